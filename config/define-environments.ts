/**
 * `defineEnvironments()`: the one entry from raw definitions (TypeScript data, JSON or YAML) to the
 * resolved, validated definitions the layers read. Every problem is collected; one `ValidationError`
 * carries them all.
 */
import { z } from 'zod';
import { formatCidr, parseCidr, subnet } from './cidr';
import { ValidationError } from './validation-error';
import { builtInMessage, toConfigIssue, type ConfigIssue } from './issue-format';
import { reservedKeyIssues } from './input-keys';
import { redactSecretValues, secretValueIssues } from './secret-values';
import { clusterIssues, crossEnvironmentIssues, networkIssues, promotionIssues, regionIssues, runnerIssues, runnerNetworkIssues, secretReferenceIssues, serviceIssues, type RawIssue } from './rules';
import {
  definitionsSchema,
  serviceNameSchema,
  serviceSchema,
  type DefinitionsInput,
  type ParsedEnvironment,
  type ParsedService,
} from './schema';
import type { Definitions, EnvironmentDefinition, ServiceDefinition, Tier } from './types';

/** Environments are parsed without their service overrides, which are validated merged, in context. */
const environmentSchema = definitionsSchema.shape.environments.element.extend({
  services: z.record(serviceNameSchema, z.unknown()).default({}),
});
const rootSchema = definitionsSchema.extend({
  services: z.record(serviceNameSchema, z.unknown()).default({}),
  environments: z.array(z.unknown()).min(1, { error: 'must define at least one environment; add dev' }),
});

const PARSE = { error: builtInMessage };

/**
 * Validates raw environment definitions and resolves every default.
 * @throws ValidationError listing every problem, each with its path, the value received and a fix.
 */
export function defineEnvironments(input: DefinitionsInput | unknown): Definitions {
  const issues: ConfigIssue[] = [];
  const raw = isRecord(input) ? input : {};
  const rawEnvs = Array.isArray(raw.environments) ? raw.environments : [];
  // Environments are named in paths by their name; a repeated name falls back to `environments[i]`.
  const envNames = rawEnvs
    .map((e) => (isRecord(e) && typeof e.name === 'string' ? e.name : undefined))
    .map((name, i, all) => (name !== undefined && all.indexOf(name) === i ? name : undefined));
  const add = (zodIssues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []) => {
    for (const iss of zodIssues) {
      issues.push(...toConfigIssue({ ...iss, path: [...prefix, ...iss.path] } as z.core.$ZodIssue, envNames));
    }
  };
  const addRaw = (list: RawIssue[]) => list.forEach((r) => issues.push(...toConfigIssue(customIssue(r), envNames)));

  addRaw(reservedKeyIssues(input));
  // Secrets written as values (whatever the field is called), masked in the messages.
  addRaw(secretValueIssues(input));
  const root = rootSchema.safeParse(input, PARSE);
  if (!root.success) add(root.error.issues);

  // The catalogue: complete services.
  const rawCatalogue = isRecord(raw.services) ? raw.services : {};
  const catalogue: Record<string, ParsedService> = {};
  const catalogueIssues = new Set<string>();
  for (const [name, value] of Object.entries(rawCatalogue)) {
    const parsed = serviceSchema.safeParse(value, PARSE);
    if (parsed.success) catalogue[name] = parsed.data;
    else {
      add(parsed.error.issues, ['services', name]);
      parsed.error.issues.forEach((i) => catalogueIssues.add(issueKey(i)));
    }
  }

  // Environments: each parsed on its own, then its services merged and validated in its context.
  const environments: EnvironmentDefinition[] = [];
  const envIndexes: number[] = [];
  // Whether every environment and service parsed: rules comparing environments' services need them all.
  let complete = true;
  rawEnvs.forEach((rawEnv, i) => {
    const parsedEnv = environmentSchema.safeParse(rawEnv, PARSE);
    if (!parsedEnv.success) {
      complete = false;
      add(parsedEnv.error.issues, ['environments', i]);
    }
    const rawServices = isRecord(rawEnv) && isRecord(rawEnv.services) ? rawEnv.services : {};
    const services: ServiceDefinition[] = [];
    for (const [name, override] of Object.entries(rawServices)) {
      const at = ['environments', i, 'services', name];
      // A service outside the catalogue is defined inline: the merged parse validates it whole.
      const inCatalogue = Object.hasOwn(rawCatalogue, name);
      const merged = mergeOverride(inCatalogue ? rawCatalogue[name] : {}, override);
      const parsed = serviceSchema.safeParse(merged, PARSE);
      if (parsed.success) {
        services.push(resolveService(name, parsed.data));
        continue;
      }
      complete = false;
      add(parsed.error.issues.filter((iss) => !(inCatalogue && catalogueIssues.has(issueKey(iss)))), at);
    }
    const at = ['environments', i];
    if (parsedEnv.success) {
      const env = resolveEnvironment(parsedEnv.data as ParsedEnvironment, services);
      addRaw([
        ...regionIssues(env, at),
        ...networkIssues(env, at),
        ...clusterIssues(env, at),
        ...serviceIssues(env, at),
        ...secretReferenceIssues(env, at),
        ...runnerIssues(env, root.data?.ci, at),
        ...runnerNetworkIssues(env, root.data?.ci, at),
      ]);
      environments.push(env);
      envIndexes.push(i);
    } else {
      // Salvage the fields that are valid, so their own rules still report in this run.
      const part = salvage(rawEnv);
      const env = resolveEnvironment({ region: 'ap-east-1', ...part, name: part.name ?? envNames[i] ?? '' } as ParsedEnvironment, services);
      if (part.region) addRaw(regionIssues(env, at));
      if (part.network) addRaw(networkIssues(env, at));
      if (part.cluster) addRaw(clusterIssues(env, at));
      addRaw(serviceIssues(env, at));
    }
  });
  // Promotion sources follow definition order and a missing service would seem not run: with anything
  // unparsed, the promotion rules could report what is not so.
  const promotion = complete ? promotionIssues({ environments }) : [];
  addRaw(
    [...crossEnvironmentIssues({ system: { name: rootSystemName(raw) }, environments }), ...promotion].map((r) => ({
      ...r,
      path: r.path[0] === 'environments' ? ['environments', envIndexes[r.path[1] as number], ...r.path.slice(2)] : r.path,
    })),
  );

  // No message may print a secret the definitions hold, whichever rule refused its field.
  if (issues.length > 0 || !root.success) throw new ValidationError(redactSecretValues(issues, input));
  return { system: root.data.system, ci: root.data.ci, catalogue, environments };
}

/** Parses each top-level field of an invalid environment on its own; keeps the valid ones. */
function salvage(rawEnv: unknown): Partial<ParsedEnvironment> {
  if (!isRecord(rawEnv)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(environmentSchema.shape as Record<string, z.ZodType>)) {
    const parsed = field.safeParse(rawEnv[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Partial<ParsedEnvironment>;
}

function rootSystemName(raw: Record<string, unknown>): string {
  return isRecord(raw.system) && typeof raw.system.name === 'string' ? raw.system.name : '';
}

function customIssue(r: RawIssue): z.core.$ZodIssue {
  return { code: 'custom', path: r.path, message: r.message, params: { objectLevel: true }, input: undefined } as z.core.$ZodIssue;
}

function issueKey(issue: z.core.$ZodIssue): string {
  return `${issue.path.map(String).join('.')}|${issue.message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge field by field, everything else (values, lists) replaces; `null` removes. */
export function mergeOverride(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else out[key] = mergeOverride(base[key], value);
  }
  return out;
}

function defaultTier(name: string): Tier {
  if (name === 'dev' || name === 'development') return 'development';
  if (name === 'prod' || name === 'production') return 'production';
  return 'staging';
}

function resolveService(name: string, svc: ParsedService): ServiceDefinition {
  return { ...svc, name, replicas: svc.autoscaling ? undefined : (svc.replicas ?? 2) };
}

const DEFAULT_OBSERVABILITY = definitionsSchema.shape.environments.element.shape.observability.parse(undefined);

/** The observability section with defaults (also for a salvaged environment) and the alarm switch resolved from the tier. */
function resolveObservability(parsed: ParsedEnvironment['observability'] | undefined, production: boolean): EnvironmentDefinition['observability'] {
  const observability = parsed ?? DEFAULT_OBSERVABILITY;
  return { ...observability, alarms: { ...observability.alarms, enabled: observability.alarms.enabled ?? production } };
}

/** Subnet CIDRs per availability zone, in zone order. */
export interface SubnetLayout {
  /** Public subnet per zone. */
  readonly publicSubnetCidrs: string[];
  /** Private subnet per zone. */
  readonly privateSubnetCidrs: string[];
}

/**
 * Default subnet layout for 2–4 zones: private subnets take the first four eighths of the VPC
 * (one each), public subnets the first four sixty-fourths of the fifth eighth.
 */
export function defaultSubnets(vpcCidr: string, zones: number): SubnetLayout {
  const vpc = parseCidr(vpcCidr);
  if (!vpc || vpc.prefixLength > 26) return { publicSubnetCidrs: [], privateSubnetCidrs: [] };
  const range = Array.from({ length: zones }, (_, i) => i);
  return {
    privateSubnetCidrs: range.map((i) => formatCidr(subnet(vpc, 3, i))),
    publicSubnetCidrs: range.map((i) => formatCidr(subnet(vpc, 6, 32 + i))),
  };
}

function resolveEnvironment(env: ParsedEnvironment, services: ServiceDefinition[]): EnvironmentDefinition {
  // Tolerates a salvaged environment whose network, cluster or state failed to parse.
  const tier = env.tier ?? defaultTier(env.name);
  const production = tier === 'production';
  const layout = env.network ? defaultSubnets(env.network.vpcCidr, env.network.availabilityZones.length) : defaultSubnets('', 0);
  return {
    ...env,
    tier,
    network: {
      ...env.network,
      natGateways: env.network?.natGateways ?? (production ? 'one-per-az' : 'single'),
      publicSubnetCidrs: env.network?.publicSubnetCidrs ?? layout.publicSubnetCidrs,
      privateSubnetCidrs: env.network?.privateSubnetCidrs ?? layout.privateSubnetCidrs,
    },
    cluster: {
      ...env.cluster,
      endpointAccess: env.cluster?.endpointAccess ?? (production ? 'private' : 'public-and-private'),
      compute: env.cluster?.compute ?? (Object.keys(env.cluster?.nodeGroups ?? {}).length > 0 ? 'node-groups' : 'auto-mode'),
      nodeGroups: Object.entries(env.cluster?.nodeGroups ?? {}).map(([name, ng]) => ({ ...ng, name })),
    },
    state: { ...env.state, region: env.state?.region ?? env.region },
    deploy: { approval: env.deploy?.approval ?? (production ? 'manual' : 'automatic'), runner: env.deploy?.runner },
    observability: resolveObservability(env.observability, production),
    services,
  };
}
