/**
 * `applyCostCentre`: the Kubernetes side of the cost-centre rule. cdk8s has no Aspects API, so this
 * walks the chart's `ApiObject`s: it labels every object (and every pod template, which is what
 * cost tools read) with the cost centre, and registers a validation that fails synth when an
 * escape hatch let a container run as root, or when an object was added after the labels.
 *
 *     applyCostCentre(chart, { costCentre: 'cc-1234' }); // last, right before synth
 */
import { ApiObject, JsonPatch, type Chart } from 'cdk8s';
import { COST_CENTRE_KEY, checkCostCentre } from './cost-centre';

/** Options of {@link applyCostCentre}. */
export interface CostCentreLabelOptions {
  /** The cost centre every object is labelled with, e.g. `cc-1234`. */
  readonly costCentre: string;
}

/** Synthesized Kubernetes JSON, read loosely: escape hatches may have changed any field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Labels every object of `chart` and its pod templates, and validates the mandatory settings at synth. */
export function applyCostCentre(chart: Chart, options: CostCentreLabelOptions): void {
  checkCostCentre(options.costCentre);
  const objects = () => chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  for (const obj of objects()) {
    obj.metadata.addLabel(COST_CENTRE_KEY, options.costCentre);
    const template = podTemplatePath(obj.kind);
    if (template !== undefined) {
      const hasLabels = readPath(obj.toJson(), `${template}/metadata/labels`) !== undefined;
      obj.addJsonPatch(
        hasLabels
          ? JsonPatch.add(`${template}/metadata/labels/${COST_CENTRE_KEY}`, options.costCentre)
          : JsonPatch.add(`${template}/metadata/labels`, { [COST_CENTRE_KEY]: options.costCentre }),
      );
    }
  }
  chart.node.addValidation({ validate: () => objects().flatMap((obj) => costCentreErrors(obj, options.costCentre)) });
}

/** Where a kind keeps its pod template, as a JSON pointer. */
function podTemplatePath(kind: string): string | undefined {
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(kind)) return '/spec/template';
  if (kind === 'CronJob') return '/spec/jobTemplate/spec/template';
  return undefined;
}

function readPath(json: Json, pointer: string): Json {
  return pointer.split('/').slice(1).reduce((value, key) => value?.[key], json);
}

function costCentreErrors(obj: ApiObject, costCentre: string): string[] {
  const json = obj.toJson();
  const what = `${obj.node.path} (${obj.kind} ${json.metadata?.name})`;
  const errors: string[] = [];
  if (json.metadata?.labels?.[COST_CENTRE_KEY] !== costCentre) {
    errors.push(`${what}: label '${COST_CENTRE_KEY}' is missing; the object was added after applyCostCentre(), call it last`);
  }
  const template = podTemplatePath(obj.kind);
  const pod: Json = obj.kind === 'Pod' ? json.spec : template ? readPath(json, `${template}/spec`) : undefined;
  if (pod?.securityContext?.runAsNonRoot === false) {
    errors.push(`${what}: pod 'securityContext.runAsNonRoot' (false) is refused by the organisation; remove the override, pods run as non-root`);
  }
  for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
    if (container.securityContext?.runAsNonRoot === false) {
      errors.push(
        `${what}: container "${container.name}" 'securityContext.runAsNonRoot' (false) is refused by the organisation; remove the override, containers run as non-root`,
      );
    }
  }
  return errors;
}
