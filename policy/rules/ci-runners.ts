/**
 * CI rule tying the pipelines to the Terraform: an environment whose EKS API endpoint is private is
 * reachable only from inside its VPC (or a peered network), so every job that talks to its
 * Kubernetes API (`deploy.sh`, `verify.sh`, `smoke-test.sh`) must run on runners placed there,
 * never on the CI system's hosted runners.
 */
import { clusterName } from '../../config';
import type { CheckContext } from '../context';
import type { PipelineFile, PipelineJob } from '../pipeline-files';
import { block } from '../terraform-config';
import type { ProjectRule } from '../types';

/** Pipeline scripts that call the Kubernetes API of the environment. */
const CLUSTER_SCRIPTS = /(?:^|[\s/])(deploy|verify|smoke-test)\.sh\b/;

/** GitHub-hosted runner labels: `ubuntu-*`, `windows-*`, `macos-*`. */
export const GITHUB_HOSTED_LABEL = /^(ubuntu|windows|macos)-/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The names of clusters in the environment's Terraform whose API endpoint is private only. */
function privateClusters(ctx: CheckContext): string[] {
  return ctx.terraform
    .ofType('aws_eks_cluster')
    .filter((c) => block(c.values.vpc_config).endpoint_public_access === false)
    .map((c) => (typeof c.values.name === 'string' ? c.values.name : clusterName(ctx.system, ctx.env)));
}

/** The jobs of a file that run a cluster script for the environment (by `environment:`, `--env <env>` or `--cluster <cluster>`). */
export function clusterJobs(file: PipelineFile, env: string, clusters: readonly string[]): PipelineJob[] {
  const names = new RegExp(`--env[ =]['"]?${escape(env)}\\b|--cluster[ =]['"]?(${clusters.map(escape).join('|')})(?![\\w-])`);
  return file.jobs.filter((job) => {
    const lines = job.ownScript.filter((l) => CLUSTER_SCRIPTS.test(l));
    return lines.length > 0 && (job.environment === env || lines.some((l) => names.test(l)));
  });
}

/** Why a job's runners cannot reach a private endpoint, or undefined when it selects its own runners. */
function hostedRunner(job: PipelineJob): string | undefined {
  if (job.system === 'gitlab') return job.runnerLabels.length === 0 ? 'no tags' : undefined;
  if (job.runnerLabels.length === 0) return 'no runs-on';
  if (job.runnerLabels.some((l) => l.includes('${{'))) return undefined;
  return job.runnerLabels.every((l) => GITHUB_HOSTED_LABEL.test(l)) ? `runs-on: ${job.runnerLabels.join(', ')}` : undefined;
}

export const privateEndpointRunners: ProjectRule = {
  id: 'DK-CI-005',
  name: 'PrivateEndpointSelfHostedRunners',
  scope: 'project',
  severity: 'error',
  layer: 'ci',
  title: 'Jobs that reach a private cluster API endpoint (deploy.sh, verify.sh, smoke-test.sh) run on selected runners, not hosted ones',
  fix: "set the environment's deploy.runner (gitlabTags / githubLabels) to runners inside the cluster's VPC, and deploy.runner.networks to the CIDRs they connect from (the cluster security group admits them on 443), then regenerate the pipelines: GitLab 'tags', GitHub 'runs-on' with a self-hosted label",
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  *check(ctx) {
    for (const c of ctx.environments) {
      const clusters = privateClusters(c);
      if (clusters.length === 0) continue;
      for (const file of ctx.pipelines) {
        for (const job of clusterJobs(file, c.env.name, clusters)) {
          const why = hostedRunner(job);
          if (why === undefined) continue;
          yield {
            environment: c.env.name,
            target: `${file.file}#${job.name}`,
            file: file.file,
            value: why,
            message: `job ${job.name} calls the private API endpoint of ${clusters.join(', ')} from ${file.system === 'gitlab' ? "GitLab's shared runners" : 'GitHub-hosted runners'} (${why}), which cannot reach it`,
          };
        }
      }
    }
  },
};

export const CI_RUNNER_RULES: readonly ProjectRule[] = [privateEndpointRunners];
