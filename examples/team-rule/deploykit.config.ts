/**
 * The definitions module of the team-rule example: `deploykit check --config
 * examples/team-rule/deploykit.config.ts` runs deploykit's rules and the team's `ACME-K8S-001`
 * (its `checkRules` export) over the built-in example, whose Deployments the `chart` factory labels
 * with their owning team.
 */
import { exampleDefinitions } from '../../config';
import type { Rule } from '../../policy';
import { deploymentHasTeamLabel } from './team-label-rule';
import { SERVICE_TEAMS, teamLabelledChart } from './team-labels';

export default exampleDefinitions;

/** Each environment's Kubernetes objects: deploykit's chart, Deployments labelled with their team. */
export const chart = teamLabelledChart(SERVICE_TEAMS);

/** The team's own rules, run by `deploykit check` with the built-in ones. */
export const checkRules: Rule[] = [deploymentHasTeamLabel];
