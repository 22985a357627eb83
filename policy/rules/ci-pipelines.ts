/**
 * CI rules over the generated pipeline files: OIDC instead of static keys, images tagged with the
 * commit SHA, manual gates where the definitions ask for approval, and deploys that verify the
 * rollout, fail the job and roll back.
 */
import { expandVariables, type PipelineFile, type PipelineJob } from '../pipeline-files';
import type { ProjectContext } from '../context';
import type { ProjectRule } from '../types';


const STATIC_KEY = /\b(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY)\b|\bAKIA[0-9A-Z]{16}\b/g;
const SHA_REFERENCE = /CI_COMMIT_SHA|CI_COMMIT_SHORT_SHA|github\.sha|GITHUB_SHA/;

/** The jobs of a file that deploy `env`: they declare it as their environment, or apply its output. */
export function deployJobs(file: PipelineFile, env: string): PipelineJob[] {
  // `terraform … apply` or a terraform-apply script; not a role ARN that ends in `-apply` (a plan job's identity).
  const applies = /\b(kubectl\s+(apply|rollout)|terraform(\s+-\S+)*\s+apply|terraform-apply(\.sh)?|deploykit\s+deploy)\b/;
  const names = new RegExp(`(--env[ =]${env}\\b|dist/${env}/|-chdir=\\S*/${env}/)`);
  return file.jobs.filter(
    (j) => !j.runsOnFailure && (j.environment === env || (j.environment === undefined && applies.test(j.ownScript.join('\n')) && names.test(j.ownScript.join('\n')))),
  );
}

/** The deploy jobs of `env` and every job (of no other environment) that waits for them, e.g. a separate verify job. */
export function deployChain(file: PipelineFile, env: string): PipelineJob[] {
  const chain = new Set(deployJobs(file, env));
  let grew = true;
  while (grew) {
    grew = false;
    for (const job of file.jobs) {
      if (chain.has(job) || (job.environment !== undefined && job.environment !== env)) continue;
      if (job.needs.some((n) => [...chain].some((c) => c.name === n))) {
        chain.add(job);
        grew = true;
      }
    }
  }
  return [...chain];
}

export const noStaticKeys: ProjectRule = {
  id: 'DK-CI-001',
  name: 'NoStaticAwsKeys',
  scope: 'project',
  severity: 'error',
  layer: 'ci',
  title: 'Pipelines use OIDC role assumption, never static AWS keys',
  fix: "remove AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; assume the deploy role through OIDC (GitLab id_tokens, GitHub 'id-token: write' + aws-actions/configure-aws-credentials)",
  upstream: [{ tool: 'Checkov', id: 'CKV_GHA_3' }, { tool: 'Trivy', id: 'aws-access-key-id (secret scanning)' }],
  helpUri: 'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
  *check({ pipelines }) {
    for (const file of pipelines) {
      const lines = file.text.split('\n');
      for (const [i, line] of lines.entries()) {
        for (const match of line.matchAll(STATIC_KEY)) {
          const shown = match[0].startsWith('AKIA') ? 'AKIA…' : match[0];
          yield { target: file.file, file: file.file, value: `line ${i + 1}: ${shown}`, message: `line ${i + 1} uses static AWS credentials (${shown})` };
        }
      }
    }
  },
};

export const imageTagFromSha: ProjectRule = {
  id: 'DK-CI-002',
  name: 'ImageTagFromCommitSha',
  scope: 'project',
  severity: 'error',
  layer: 'ci',
  title: 'Pipelines tag and deploy images with the commit SHA',
  fix: 'pass --image-tag $CI_COMMIT_SHA (GitLab) or ${{ github.sha }} (GitHub) to synth, and tag pushed images the same way',
  upstream: [{ tool: 'kube-score', id: 'container-image-tag' }],
  helpUri: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html',
  *check({ pipelines }) {
    for (const file of pipelines) {
      const lines = file.text.split('\n');
      let tags = 0;
      for (const [i, line] of lines.entries()) {
        for (const m of line.matchAll(/--image-tag[ =]+("[^"]*"|'[^']*'|\S+)/g)) {
          tags++;
          if (!SHA_REFERENCE.test(expandVariables(m[1], file.variables))) {
            yield { target: file.file, file: file.file, value: `line ${i + 1}: --image-tag ${m[1]}`, message: `--image-tag ${m[1]} is not derived from the commit SHA` };
          }
        }
        for (const m of line.matchAll(/(?:docker|podman|buildah)\s+(?:build|push|tag)\b[^\n]*?\s(?:-t\s+|--tag[ =])?([^\s"']+:[^\s"']+)/g)) {
          const image = expandVariables(m[1], file.variables);
          if (/:latest\b/.test(image) || !SHA_REFERENCE.test(image)) {
            yield { target: file.file, file: file.file, value: `line ${i + 1}: ${m[1]}`, message: `image ${m[1]} is not tagged with the commit SHA` };
          }
        }
      }
      if (tags === 0 && /deploykit\b[^\n]*\bsynth|npm run synth/.test(file.text)) {
        yield { target: file.file, file: file.file, value: 'no --image-tag', message: "the pipeline synthesizes without --image-tag, so it deploys the definitions' tags, not the commit it built" };
      }
    }
  },
};

/** Environments whose definitions require a person to approve deploys. */
function gatedEnvironments(ctx: ProjectContext): string[] {
  return ctx.environments.filter((c) => c.env.deploy.approval === 'manual' || c.env.tier === 'production').map((c) => c.env.name);
}

/** True when a person must act before the job runs: it is manual, or it waits (needs) for a gated job. */
export function isGated(file: PipelineFile, job: PipelineJob, seen: Set<string> = new Set()): boolean {
  if (job.manual) return true;
  seen.add(job.name);
  return job.needs.some((name) => {
    const needed = file.jobs.find((j) => j.name === name);
    return needed !== undefined && !seen.has(name) && isGated(file, needed, seen);
  });
}

export const productionManualGate: ProjectRule = {
  id: 'DK-CI-003',
  name: 'ProductionManualGate',
  scope: 'project',
  severity: 'error',
  layer: 'ci',
  title: 'Deploys to production (approval "manual") wait for a person',
  fix: "GitLab: 'when: manual' on the first deploy job (later jobs 'needs' it); GitHub: 'environment: <env>' with required reviewers configured in the repository settings",
  upstream: [{ tool: 'CIS Software Supply Chain', id: '1.1.x (protected deployments)' }],
  helpUri: 'https://docs.gitlab.com/ci/jobs/job_control/#create-a-job-that-must-be-run-manually',
  *check(ctx) {
    for (const env of gatedEnvironments(ctx)) {
      for (const file of ctx.pipelines) {
        for (const job of deployJobs(file, env)) {
          if (!isGated(file, job)) {
            yield { environment: env, target: `${file.file}#${job.name}`, file: file.file, value: file.system === 'gitlab' ? 'not manual, needs no manual job' : 'no environment', message: `job ${job.name} deploys ${env} without a manual gate` };
          }
        }
      }
    }
  },
};

const VERIFY = /kubectl\s+(?:\S+\s+)*rollout\s+status|kubectl\s+(?:\S+\s+)*wait\b/;
const ROLLBACK = /kubectl\s+(?:\S+\s+)*rollout\s+undo|helm\s+rollback/;

function swallowed(line: string): boolean {
  return VERIFY.test(line) && /\|\|\s*(true|:|echo\b)|;\s*true\s*$/.test(line);
}

export const verifyFailsAndRollsBack: ProjectRule = {
  id: 'DK-CI-004',
  name: 'DeployVerifiesAndRollsBack',
  scope: 'project',
  severity: 'error',
  layer: 'ci',
  title: 'Every environment deploy verifies the rollout, fails the job when it fails, and rolls back',
  fix: "run 'kubectl rollout status --timeout=…' (directly or in a script the job calls) without '|| true', allow_failure or continue-on-error, and 'kubectl rollout undo' when it fails",
  upstream: [],
  helpUri: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/',
  *check(ctx) {
    for (const c of ctx.environments) {
      const env = c.env.name;
      for (const file of ctx.pipelines) {
        const jobs = deployChain(file, env);
        if (jobs.length === 0) continue;
        const verifiers = jobs.filter((j) => VERIFY.test(j.script.join('\n')));
        if (verifiers.length === 0) {
          yield { environment: env, target: `${file.file}#${env}`, file: file.file, value: 'no rollout status', message: `no job deploying ${env} waits for the rollout (kubectl rollout status)` };
          continue;
        }
        for (const job of verifiers) {
          const swallowing = job.script.filter(swallowed);
          if (swallowing.length > 0 || job.allowFailure || /^\s*set\s+\+e\b/m.test(job.script.join('\n'))) {
            yield { environment: env, target: `${file.file}#${job.name}`, file: file.file, value: swallowing[0]?.trim() ?? (job.allowFailure ? 'allow_failure' : 'set +e'), message: `job ${job.name} does not fail when the rollout verification fails` };
          }
        }
        const failureJobs = file.jobs.filter((j) => j.runsOnFailure && (j.environment === env || j.needs.some((n) => jobs.some((d) => d.name === n))));
        const rollback = jobs.some((j) => ROLLBACK.test([...j.script, ...j.onFailure].join('\n'))) || failureJobs.some((f) => ROLLBACK.test(f.script.join('\n')));
        if (!rollback) yield { environment: env, target: `${file.file}#${env}`, file: file.file, value: 'no rollback', message: `no job deploying ${env} rolls back (kubectl rollout undo) when verification fails` };
      }
    }
  },
};

export const CI_RULES: readonly ProjectRule[] = [noStaticKeys, imageTagFromSha, productionManualGate, verifyFailsAndRollsBack];
