/** The subset of the GitHub Actions workflow syntax the generator writes. @see https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax */

/** `permissions:` scopes the workflow uses. */
export type GithubPermissions = Readonly<Partial<Record<'actions' | 'contents' | 'id-token' | 'pull-requests' | 'security-events', 'read' | 'write'>>>;

/** One step: an action (`uses`) or a shell command (`run`). */
export interface GithubStep {
  readonly name: string;
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly run?: string;
}

/** A job. */
export interface GithubJob {
  readonly name?: string;
  readonly if?: string;
  readonly needs?: readonly string[];
  /** A hosted runner label, or the labels a self-hosted runner must carry. */
  readonly 'runs-on': string | readonly string[];
  readonly permissions: GithubPermissions;
  readonly environment?: { readonly name: string; readonly url?: string };
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly 'timeout-minutes': number;
  readonly env?: Readonly<Record<string, string>>;
  readonly steps: readonly GithubStep[];
}

/** A whole workflow file. */
export interface GithubWorkflow {
  readonly name: string;
  readonly on: {
    readonly push: { readonly branches: readonly string[]; readonly tags: readonly string[] };
    readonly pull_request: { readonly branches: readonly string[] };
    readonly schedule: readonly { readonly cron: string }[];
  };
  readonly permissions: GithubPermissions;
  readonly env: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, GithubJob>>;
}
