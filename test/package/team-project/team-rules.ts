/**
 * The team's own `deploykit check` rule, typed with deploykit/policy: every namespaced object of a catalogue
 * service carries the owner label, so a service rendered by deploykit's chart instead of the team's is caught.
 */
import { namespaceName } from 'deploykit/config';
import { namespaceOf, targetOf, type EnvironmentRule, type FindingInput } from 'deploykit/policy';
import { OWNER_LABEL, type TeamCatalogue } from './team-service';

/** `STOREFRONT-K8S-001` over the services of `catalogue`. */
export function ownerLabelRule(catalogue: TeamCatalogue): EnvironmentRule {
  return {
    id: 'STOREFRONT-K8S-001',
    name: 'CatalogueObjectsCarryOwner',
    scope: 'environment',
    severity: 'error',
    layer: 'kubernetes',
    title: `Every namespaced object of a catalogue service carries the '${OWNER_LABEL}' label naming its owner`,
    fix: "render the service with the team's chart (export 'chart' from the definitions module), or remove it from the catalogue",
    upstream: [],
    helpUri: 'https://wiki.example.com/storefront/rules/STOREFRONT-K8S-001',
    *check({ env, kubernetes }): Iterable<FindingInput> {
      for (const service of env.services) {
        const owner = catalogue[service.name]?.owner;
        if (owner === undefined) continue;
        for (const object of kubernetes.all()) {
          if (namespaceOf(object) !== namespaceName(service)) continue;
          const label = object.metadata.labels?.[OWNER_LABEL];
          if (label !== owner) {
            yield {
              target: targetOf(object),
              value: label === undefined ? 'missing' : JSON.stringify(label),
              message: `metadata.labels['${OWNER_LABEL}'] must be ${JSON.stringify(owner)}`,
              file: kubernetes.fileOf(object),
            };
          }
        }
      }
    },
  };
}
