/**
 * Who may assume an environment's CI identities: the OIDC issuers of the configured CI systems and
 * the token subjects (`sub`) each identity accepts. Production-like (release-tag) environments trust
 * release tags only; the others the default branch only; the read-only plan role any branch and
 * pull request.
 */
import { deploymentTargets, type CiRoleKind, type Definitions, type EnvironmentDefinition } from '../../config';
import { oidcProviderArn } from '../private/arn';
import { trustPolicy, type TrustStatement } from '../private/trust-policy';

/** The GitHub Actions OIDC issuer host. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience GitHub Actions tokens carry for AWS (`aws-actions/configure-aws-credentials`). */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** An OIDC issuer the CI roles trust. */
export interface OidcIssuer {
  /** `gitlab` or `github`. */
  readonly system: 'gitlab' | 'github';
  /** Issuer host, the prefix of the `aud`/`sub` condition keys (`gitlab.com`, {@link GITHUB_OIDC_HOST}). */
  readonly host: string;
  /** The audience the CI system's tokens carry. */
  readonly audience: string;
}

/** The token subjects one CI identity accepts, by CI system (empty when that system is not configured). */
export interface CiTrustSubjects {
  readonly gitlab: readonly string[];
  readonly github: readonly string[];
}

/** The OIDC issuers of the definitions' CI systems (GitLab: `https://<host>`, audience the same URL). */
export function oidcIssuers(defs: Definitions): OidcIssuer[] {
  const issuers: OidcIssuer[] = [];
  if (defs.ci.gitlab) issuers.push({ system: 'gitlab', host: defs.ci.gitlab.host, audience: `https://${defs.ci.gitlab.host}` });
  if (defs.ci.github) issuers.push({ system: 'github', host: GITHUB_OIDC_HOST, audience: GITHUB_OIDC_AUDIENCE });
  return issuers;
}

/** Whether an environment deploys from release tags (`v*`) rather than the default branch. */
export function deploysFromReleaseTags(defs: Definitions, env: EnvironmentDefinition): boolean {
  return deploymentTargets(defs).find((t) => t.environment.name === env.name)?.trigger === 'release-tag';
}

/**
 * The `sub` patterns a CI identity of `env` accepts:
 * - `apply`/`deploy` of a default-branch environment: pushes to the default branch only;
 * - `apply`/`deploy` of a release-tag environment: `v*` tags, and GitHub jobs in the GitHub
 *   environment of the same name (whose deployment policy must allow only `v*` tags);
 * - `plan`: any branch (GitLab merge request pipelines run on the source branch), GitHub pull
 *   requests and the default branch (the scheduled drift check). It is read-only.
 */
export function ciTrustSubjects(defs: Definitions, env: EnvironmentDefinition, kind: CiRoleKind): CiTrustSubjects {
  const project = defs.ci.gitlab?.project;
  const repo = defs.ci.github?.repository;
  const branch = defs.ci.defaultBranch;
  const gitlab = (subjects: string[]) => (project === undefined ? [] : subjects);
  const github = (subjects: string[]) => (repo === undefined ? [] : subjects);
  if (kind === 'plan') {
    return {
      gitlab: gitlab([`project_path:${project}:ref_type:branch:ref:*`]),
      github: github([`repo:${repo}:pull_request`, `repo:${repo}:ref:refs/heads/${branch}`]),
    };
  }
  if (deploysFromReleaseTags(defs, env)) {
    return {
      gitlab: gitlab([`project_path:${project}:ref_type:tag:ref:v*`]),
      github: github([`repo:${repo}:ref:refs/tags/v*`, `repo:${repo}:environment:${env.name}`]),
    };
  }
  return {
    gitlab: gitlab([`project_path:${project}:ref_type:branch:ref:${branch}`]),
    github: github([`repo:${repo}:ref:refs/heads/${branch}`]),
  };
}

/** The trust policy of a CI identity: `sts:AssumeRoleWithWebIdentity` for each issuer, with its audience and subjects. */
export function ciTrustPolicy(defs: Definitions, env: EnvironmentDefinition, kind: CiRoleKind): string {
  const subjects = ciTrustSubjects(defs, env, kind);
  const statements: TrustStatement[] = oidcIssuers(defs).map((issuer) => ({
    sid: issuer.system === 'gitlab' ? 'GitlabPipelines' : 'GithubWorkflows',
    principal: { Federated: oidcProviderArn(env.account, issuer.host) },
    actions: ['sts:AssumeRoleWithWebIdentity'],
    conditions: {
      StringEquals: { [`${issuer.host}:aud`]: issuer.audience },
      StringLike: { [`${issuer.host}:sub`]: [...subjects[issuer.system]] },
    },
  }));
  return trustPolicy(statements);
}
