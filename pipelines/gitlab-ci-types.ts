/** The subset of the GitLab CI YAML syntax the generator writes. @see https://docs.gitlab.com/ci/yaml/ */

/** One `rules:` entry. */
export interface GitlabRule {
  /** The condition; without it the rule always matches. */
  readonly if?: string;
  readonly when?: 'on_success' | 'manual' | 'never' | 'always';
}

/** One `needs:` entry. */
export interface GitlabNeed {
  readonly job: string;
  readonly artifacts: boolean;
}

/** A job's `environment:`. */
export interface GitlabEnvironment {
  readonly name: string;
  readonly action: 'start' | 'prepare' | 'verify';
  readonly deployment_tier: 'production' | 'staging' | 'testing' | 'development' | 'other';
}

/** A GitLab CI job. */
export interface GitlabJob {
  readonly stage: string;
  readonly image: string;
  readonly services?: readonly string[];
  readonly variables?: Readonly<Record<string, string>>;
  readonly id_tokens?: Readonly<Record<string, { readonly aud: string }>>;
  /** Runner tags: only runners carrying every tag pick the job up. */
  readonly tags?: readonly string[];
  readonly needs?: readonly GitlabNeed[];
  readonly rules?: readonly GitlabRule[];
  readonly resource_group?: string;
  readonly interruptible?: boolean;
  readonly environment?: GitlabEnvironment;
  readonly cache?: { readonly key: string | { readonly files: readonly string[] }; readonly paths: readonly string[] };
  readonly before_script?: readonly string[];
  readonly script: readonly string[];
  readonly after_script?: readonly string[];
  readonly artifacts?: {
    readonly when?: 'on_success' | 'on_failure' | 'always';
    readonly paths: readonly string[];
    readonly exclude?: readonly string[];
    readonly expire_in: string;
    readonly access?: 'developer' | 'all' | 'none';
    readonly reports?: { readonly codequality?: string };
  };
}

/** A whole `.gitlab-ci.yml`: the global keys, then the jobs by name. */
export interface GitlabPipeline {
  readonly workflow: { readonly rules: readonly GitlabRule[] };
  readonly stages: readonly string[];
  readonly variables: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, GitlabJob>>;
}
