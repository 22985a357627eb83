/** applyCostCentre on a real environment chart: labels everywhere, and the failures at synth. */
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { defineEnvironments, exampleDefinitions, stackName } from '../../config';
import { EnvironmentChart } from '../../k8s';
import { applyCostCentre } from './cost-centre-labels';

function prodChart(): EnvironmentChart {
  const definitions = defineEnvironments(structuredClone(exampleDefinitions));
  const environment = definitions.environments.find((e) => e.name === 'prod')!;
  return new EnvironmentChart(Testing.app(), stackName(definitions.system, environment), { definitions, environment });
}

function find(objects: readonly any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

describe('applyCostCentre', () => {
  const chart = prodChart();
  applyCostCentre(chart, { costCentre: 'cc-1234' });
  const objects = Testing.synth(chart);

  test('labels every Kubernetes object with the cost centre', () => {
    expect(objects.length).toBeGreaterThan(15);
    for (const obj of objects) expect([`${obj.kind}/${obj.metadata.name}`, obj.metadata.labels['cost-centre']]).toEqual([`${obj.kind}/${obj.metadata.name}`, 'cc-1234']);
  });

  test("labels the pods too, keeping the template's other labels and the selector unchanged", () => {
    const deployment = find(objects, 'Deployment', 'company-web');
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'cost-centre': 'cc-1234', 'app.kubernetes.io/name': 'company-web' });
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'company-web', 'app.kubernetes.io/instance': 'company-web-prod' });
  });

  test('fails synth, naming the Deployment and container, when an escape hatch lets a container run as root', () => {
    const unsafe = prodChart();
    unsafe.services['company-api'].deployment.addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/securityContext/runAsNonRoot', false),
    );
    applyCostCentre(unsafe, { costCentre: 'cc-1234' });
    expect(() => Testing.synth(unsafe)).toThrow(
      `company-prod/company-api/Deployment (Deployment company-api): container "http" 'securityContext.runAsNonRoot' (false) is refused by the organisation; remove the override, containers run as non-root`,
    );
  });

  test('fails synth when the pod-level runAsNonRoot is switched off', () => {
    const unsafe = prodChart();
    unsafe.services['company-web'].deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/securityContext/runAsNonRoot', false));
    applyCostCentre(unsafe, { costCentre: 'cc-1234' });
    expect(() => Testing.synth(unsafe)).toThrow(
      `company-prod/company-web/Deployment (Deployment company-web): pod 'securityContext.runAsNonRoot' (false) is refused by the organisation; remove the override, pods run as non-root`,
    );
  });

  test('fails synth when an object is added after the labels were applied', () => {
    const late = prodChart();
    applyCostCentre(late, { costCentre: 'cc-1234' });
    new ApiObject(late, 'LateConfig', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'company-web' } });
    expect(() => Testing.synth(late)).toThrow(
      `company-prod/LateConfig (ConfigMap late): label 'cost-centre' is missing; the object was added after applyCostCentre(), call it last`,
    );
  });
});
