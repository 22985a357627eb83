/**
 * The chart half of the team rule: each service's Deployment gets the {@link TEAM_LABEL} label from
 * the team's ownership table. A service missing from the table is what `ACME-K8S-001` reports.
 */
import { ApiObject } from 'cdk8s';
import { EnvironmentChart, NAME_LABEL } from '../../k8s';
import type { ChartFactory } from '../../synth/extensions';
import { TEAM_LABEL } from './team-label-rule';

/** Owning team by service name. `company-api` has no owner yet: `deploykit check` reports its Deployments. */
export const SERVICE_TEAMS: Readonly<Record<string, string>> = {
  'company-web': 'storefront',
};

/** Builds deploykit's chart, then labels each Deployment whose service has an owner in `teams`. */
export function teamLabelledChart(teams: Readonly<Record<string, string>>): ChartFactory {
  return (scope, id, props) => {
    const chart = new EnvironmentChart(scope, id, props);
    for (const obj of chart.node.findAll()) {
      if (!(obj instanceof ApiObject) || obj.kind !== 'Deployment') continue;
      const team = teams[obj.metadata.getLabel(NAME_LABEL) ?? ''];
      if (team !== undefined) obj.metadata.addLabel(TEAM_LABEL, team);
    }
    return chart;
  };
}
