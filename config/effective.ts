/**
 * The effective definitions (every default applied, every service merged into its environment) in
 * the input shape, and the JSON Schema of that shape. `deploykit config` prints the first; feeding
 * it back through `--config` synthesizes the same output. `deploykit schema` prints the second.
 */
import { z } from 'zod';
import { definitionsSchema, type DefinitionsInput } from './schema';
import type { Definitions } from './types';

/** The resolved definitions written back in the input shape, services inlined per environment. */
export function toEffectiveInput(defs: Definitions): DefinitionsInput {
  return {
    system: { ...defs.system },
    ci: { ...defs.ci },
    services: {},
    environments: defs.environments.map((env) => ({
      ...env,
      network: { ...env.network, publicSubnetCidrs: [...env.network.publicSubnetCidrs], privateSubnetCidrs: [...env.network.privateSubnetCidrs] },
      cluster: {
        ...env.cluster,
        nodeGroups: Object.fromEntries(env.cluster.nodeGroups.map(({ name, ...ng }) => [name, ng])),
      },
      services: Object.fromEntries(
        env.services.map(({ name, replicas, ...svc }) => [name, replicas === undefined ? svc : { ...svc, replicas }]),
      ),
    })),
  } as DefinitionsInput;
}

/** JSON Schema (draft 2020-12) of the definitions input, for editors and for validating JSON/YAML files. */
export function definitionsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(definitionsSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://deploykit.dev/schema/definitions.json',
    title: 'deploykit environment definitions',
  };
}
