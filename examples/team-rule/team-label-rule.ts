/**
 * A team's own `deploykit check` rule: every Deployment carries the label naming the team that owns
 * it, so alerts and cost reports can be routed. It reads the synthesized Kubernetes objects through
 * the same readers as deploykit's built-in rules (`deploykit/policy`).
 */
import { targetOf, type EnvironmentRule } from '../../policy';

/** The label key naming a workload's owning team. */
export const TEAM_LABEL = 'acme.example/team';

/** `ACME-K8S-001`: every Deployment carries a non-empty {@link TEAM_LABEL} label. */
export const deploymentHasTeamLabel: EnvironmentRule = {
  id: 'ACME-K8S-001',
  name: 'DeploymentHasTeamLabel',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: `Every Deployment carries the '${TEAM_LABEL}' label naming its owning team`,
  fix: `add the service to SERVICE_TEAMS in examples/team-rule/team-labels.ts, or suppress the finding with a reason`,
  upstream: [],
  helpUri: 'https://wiki.acme.example/platform/rules/ACME-K8S-001',
  *check({ kubernetes }) {
    for (const deployment of kubernetes.ofKind('Deployment')) {
      const team = deployment.metadata.labels?.[TEAM_LABEL];
      if (team === undefined || team.trim() === '') {
        yield {
          target: targetOf(deployment),
          value: team === undefined ? 'missing' : JSON.stringify(team),
          message: `metadata.labels['${TEAM_LABEL}'] is missing or empty`,
          file: kubernetes.fileOf(deployment),
        };
      }
    }
  },
};
