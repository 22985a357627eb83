/**
 * Rules that span objects: an environment's network against its region, services against their
 * environment's tier, environments against each other. Each returns issues; none throws.
 */
import { contains, formatCidr, isNetworkAddress, networkOf, overlaps, parseCidr } from './cidr';
import { AWS_REGIONS } from './aws-regions';
import { closestMatch } from './closest-match';
import { show, type ConfigIssue } from './issue-format';
import { IMAGE_DIGEST_REGEX, IMAGE_TAG_REGEX, isSharedNamespace } from './schema';
import { clusterName, namespaceName, stateKey } from './naming';
import { promotionSource } from './promotion';
import { partitionOf, secretArnParts } from './secret-references';
import type { Definitions, EnvironmentDefinition } from './types';

/** An issue before its path is formatted: path elements relative to the definitions root. */
export interface RawIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Region rules: the environment's region and its state bucket's region are real AWS regions. */
export function regionIssues(env: EnvironmentDefinition, at: (string | number)[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const check = (region: string | undefined, path: (string | number)[], field: string) => {
    if (region === undefined || AWS_REGIONS.includes(region)) return;
    const near = closestMatch(region, AWS_REGIONS);
    issues.push({
      path,
      message: `'${field}' (${show(region)}) is not an AWS region; ${near ? `did you mean ${show(near)}? ` : ''}use one of the regions listed in config/aws-regions.ts, e.g. "us-east-1" or "eu-west-1"`,
    });
  };
  check(env.region, at, 'region');
  if (env.state?.region !== env.region) check(env.state?.region, [...at, 'state'], 'region');
  return issues;
}

/** Network rules: zones in the region, address ranges valid, subnets inside the VPC and disjoint. */
export function networkIssues(env: EnvironmentDefinition, at: (string | number)[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const net = env.network;
  const where = [...at, 'network'];
  // Zones are checked against a real region only; an unknown region is reported once, by regionIssues.
  const knownRegion = AWS_REGIONS.includes(env.region);
  net.availabilityZones.forEach((zone, i) => {
    if (knownRegion && !(zone.startsWith(env.region) && /^[a-z]$/.test(zone.slice(env.region.length)))) {
      issues.push({
        path: where,
        message: `'availabilityZones[${i}]' (${show(zone)}) is not a zone of region ${show(env.region)}; use ${show(`${env.region}a`)}, ${show(`${env.region}b`)}, …`,
      });
    }
    if (net.availabilityZones.indexOf(zone) < i) {
      issues.push({ path: where, message: `'availabilityZones[${i}]' (${show(zone)}) is listed twice; list each zone once` });
    }
  });
  const vpc = parseCidr(net.vpcCidr);
  if (!vpc) return issues;
  if (!isNetworkAddress(vpc)) {
    issues.push({
      path: where,
      message: `'vpcCidr' (${show(net.vpcCidr)}) is not a network address (host bits are set); use ${show(formatCidr(networkOf(vpc)))}`,
    });
    return issues;
  }
  if (vpc.prefixLength < 16 || vpc.prefixLength > 24) {
    issues.push({
      path: where,
      message: `'vpcCidr' (${show(net.vpcCidr)}) must be between /16 and /24 (an AWS VPC limit); choose a /16 to /24 range`,
    });
    return issues;
  }
  const subnets: { field: string; cidr: string }[] = [];
  for (const kind of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
    const list = net[kind];
    if (list.length !== net.availabilityZones.length) {
      issues.push({
        path: where,
        message: `'${kind}' has ${list.length} entries but there are ${net.availabilityZones.length} availability zones; give one subnet per zone`,
      });
    }
    list.forEach((cidr, i) => subnets.push({ field: `${kind}[${i}]`, cidr }));
  }
  const parsed = subnets.map((s) => ({ ...s, block: parseCidr(s.cidr) }));
  parsed.forEach((s, i) => {
    if (!s.block) return;
    if (!isNetworkAddress(s.block)) {
      issues.push({
        path: where,
        message: `'${s.field}' (${show(s.cidr)}) is not a network address (host bits are set); use ${show(formatCidr(networkOf(s.block)))}`,
      });
    } else if (!contains(vpc, s.block)) {
      issues.push({ path: where, message: `'${s.field}' (${show(s.cidr)}) is outside the VPC ${show(net.vpcCidr)}; pick a range inside it` });
    } else if (s.block.prefixLength > 28) {
      issues.push({ path: where, message: `'${s.field}' (${show(s.cidr)}) is smaller than /28 (an AWS subnet limit); use a larger range` });
    }
    const clash = parsed.findIndex((o, j) => j < i && o.block && s.block && overlaps(o.block, s.block));
    if (clash >= 0) {
      issues.push({ path: where, message: `'${s.field}' (${show(s.cidr)}) overlaps '${parsed[clash].field}' (${show(parsed[clash].cidr)}); give each subnet its own range` });
    }
  });
  return issues;
}

/** Cluster rules that depend on the tier: reachable endpoint, enough nodes in production. */
export function clusterIssues(env: EnvironmentDefinition, at: (string | number)[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const where = [...at, 'cluster'];
  if (env.cluster.endpointAccess === 'public-and-private' && env.cluster.publicAccessCidrs.length === 0) {
    issues.push({
      path: where,
      message: `'publicAccessCidrs' ([]) is empty while 'endpointAccess' is "public-and-private"; list the networks allowed to reach the API, or use "private"`,
    });
  }
  env.cluster.publicAccessCidrs.forEach((cidr, i) => {
    const block = parseCidr(cidr);
    if (block && block.prefixLength === 0) {
      issues.push({
        path: where,
        message: `'publicAccessCidrs[${i}]' (${show(cidr)}) opens the Kubernetes API to the whole internet; list specific networks (office, VPN) or use endpointAccess "private"`,
      });
    } else if (block && !isNetworkAddress(block)) {
      issues.push({
        path: where,
        message: `'publicAccessCidrs[${i}]' (${show(cidr)}) is not a network address (host bits are set); use ${show(formatCidr(networkOf(block)))}`,
      });
    }
  });
  if (env.cluster.compute === 'node-groups' && env.cluster.nodeGroups.length === 0) {
    issues.push({
      path: [...where, 'nodeGroups'],
      message: `is empty while 'compute' is "node-groups"; add a node group (e.g. general: { instanceTypes: ["m6i.large"], minSize: 2, desiredSize: 2, maxSize: 4 }) or use compute "auto-mode"`,
    });
  }
  if (env.cluster.compute === 'auto-mode' && env.cluster.nodeGroups.length > 0) {
    issues.push({
      path: [...where, 'nodeGroups'],
      message: `defines ${env.cluster.nodeGroups.length} node group(s) while 'compute' is "auto-mode", where EKS Auto Mode provides and scales the nodes; remove nodeGroups or use compute "node-groups"`,
    });
  }
  if (env.tier === 'production') {
    for (const ng of env.cluster.nodeGroups) {
      if (ng.minSize < 2) {
        issues.push({
          path: [...where, 'nodeGroups', ng.name],
          message: `'minSize' (${ng.minSize}) must be >= 2 in a production environment; raise minSize so one node can fail or be replaced`,
        });
      }
    }
  }
  return issues;
}

/**
 * Reachability of the cluster API from the jobs that run kubectl: a private endpoint answers only
 * inside the VPC (or a network peered with it), which hosted runners are not, so every configured CI
 * system needs runners there (`deploy.runner`).
 */
export function runnerIssues(
  env: EnvironmentDefinition,
  ci: { readonly gitlab?: unknown; readonly github?: unknown } | undefined,
  at: (string | number)[],
): RawIssue[] {
  if (env.cluster.endpointAccess !== 'private' || !ci) return [];
  const runner = env.deploy.runner;
  const missing = [
    ...(ci.gitlab && !runner?.gitlabTags ? [['gitlabTags', 'GitLab']] : []),
    ...(ci.github && !runner?.githubLabels ? [['githubLabels', 'GitHub']] : []),
  ];
  return missing.map(([field, system]) => ({
    path: [...at, 'deploy', 'runner'],
    message: `'${field}' is not set while 'cluster.endpointAccess' is "private", so the ${system} jobs would run on hosted runners that cannot reach the cluster API; set deploy.runner.${field} to runners inside the VPC (see docs/ci-cd.md#runners), or make the endpoint "public-and-private" with the runners' addresses in publicAccessCidrs`,
  }));
}

/**
 * The networks the runners connect from (`deploy.runner.networks`), which get TCP 443 on the cluster
 * security group: required with a private endpoint (the group admits nothing else but the control
 * plane and the nodes); with a public endpoint, a network outside the VPC reaches the API through the
 * public endpoint, so it must be inside one of `cluster.publicAccessCidrs`. Never the whole internet.
 */
export function runnerNetworkIssues(
  env: EnvironmentDefinition,
  ci: { readonly gitlab?: unknown; readonly github?: unknown } | undefined,
  at: (string | number)[],
): RawIssue[] {
  const where = [...at, 'deploy', 'runner'];
  const networks = env.deploy.runner?.networks;
  if (networks === undefined) {
    if (env.cluster.endpointAccess !== 'private' || !(ci?.gitlab || ci?.github)) return [];
    return [
      {
        path: where,
        message: `'networks' is not set while 'cluster.endpointAccess' is "private", so the cluster security group admits no runner and the jobs cannot reach the cluster API; set deploy.runner.networks to the CIDRs the runners connect from, e.g. their subnet inside the VPC or a peered or VPN network (see docs/ci-cd.md#runners)`,
      },
    ];
  }
  const issues: RawIssue[] = [];
  const vpc = parseCidr(env.network.vpcCidr);
  const allowed = env.cluster.publicAccessCidrs.map(parseCidr).filter((b) => b !== undefined);
  networks.forEach((cidr, i) => {
    const block = parseCidr(cidr);
    if (!block) return; // the schema reports the syntax
    if (block.prefixLength === 0) {
      issues.push({
        path: where,
        message: `'networks[${i}]' (${show(cidr)}) would open the Kubernetes API to every address; list the runners' own networks (their subnet, a peered or VPN range)`,
      });
      return;
    }
    if (!isNetworkAddress(block)) {
      issues.push({
        path: where,
        message: `'networks[${i}]' (${show(cidr)}) is not a network address (host bits are set); use ${show(formatCidr(networkOf(block)))}`,
      });
      return;
    }
    if (networks.indexOf(cidr) < i) {
      issues.push({ path: where, message: `'networks[${i}]' (${show(cidr)}) is listed twice; list each network once` });
      return;
    }
    const inVpc = vpc !== undefined && contains(vpc, block);
    if (env.cluster.endpointAccess === 'public-and-private' && !inVpc && !allowed.some((a) => contains(a, block))) {
      issues.push({
        path: where,
        message: `'networks[${i}]' (${show(cidr)}) is outside the VPC (${show(env.network.vpcCidr)}) and not inside any of 'cluster.publicAccessCidrs', so runners there cannot reach the public endpoint; add it to cluster.publicAccessCidrs or run the runners inside the VPC`,
      });
    }
  });
  return issues;
}

/**
 * Service rules that depend on the environment or the service's name: mutable tags outside
 * development, a namespace derived from a name Kubernetes uses itself.
 */
export function serviceIssues(env: EnvironmentDefinition, at: (string | number)[]): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const svc of env.services) {
    if (svc.namespace === undefined && isSharedNamespace(namespaceName(svc))) {
      issues.push({
        path: [...at, 'services', svc.name],
        message: `'namespace' is not set, so the service would run in the namespace ${show(namespaceName(svc))} that Kubernetes uses for itself; set namespace to one of its own`,
      });
    }
    if (svc.image.tag === 'latest' && env.tier !== 'development') {
      issues.push({
        path: [...at, 'services', svc.name, 'image'],
        message: `'tag' ("latest") is refused in a ${env.tier} environment; pin a release tag or pass --image-tag <commit-sha>`,
      });
    }
  }
  return issues;
}

/**
 * AWS secret references (`secretEnv` … `secretsManager.arn`, `ssmParameter.arn`) point into the
 * environment's own partition, region and account: the CSI driver's AWS provider fetches from the
 * environment's region, and a read across accounts needs a resource policy on the secret and a
 * customer managed KMS key, which deploykit does not model.
 */
export function secretReferenceIssues(env: EnvironmentDefinition, at: (string | number)[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const partition = partitionOf(env.region);
  for (const svc of env.services) {
    for (const [variable, ref] of Object.entries(svc.secretEnv)) {
      const source = ref.secretsManager ? 'secretsManager' : ref.ssmParameter?.arn !== undefined ? 'ssmParameter' : undefined;
      const arn = ref.secretsManager?.arn ?? ref.ssmParameter?.arn;
      const parts = arn === undefined ? undefined : secretArnParts(arn);
      if (!source || !arn || !parts) continue;
      const path = [...at, 'services', svc.name, 'secretEnv', variable, source];
      if (parts.partition !== partition) {
        issues.push({
          path,
          message: `'arn' (${show(arn)}) is in partition ${show(parts.partition)}, but the environment's region ${show(env.region)} is in ${show(partition)}; use the ARN of a secret in the environment's partition`,
        });
      } else if (parts.region !== env.region && AWS_REGIONS.includes(env.region)) {
        issues.push({
          path,
          message: `'arn' (${show(arn)}) is in region ${show(parts.region)}, not the environment's region ${show(env.region)}, where the CSI driver's AWS provider fetches; replicate the secret to ${env.region} and use that replica's ARN`,
        });
      }
      if (parts.account !== env.account) {
        issues.push({
          path,
          message: `'arn' (${show(arn)}) is in account ${parts.account}, not the environment's account ${env.account}; deploykit reads secrets only in the environment's own account (a cross-account read needs a resource policy on the secret and a customer managed KMS key, which deploykit does not model), so create or replicate the secret in account ${env.account} and use its ARN`,
        });
      }
    }
  }
  return issues;
}

/** Rules across environments: unique names, state locations and clusters. */
export function crossEnvironmentIssues(defs: Pick<Definitions, 'system' | 'environments'>): RawIssue[] {
  const issues: RawIssue[] = [];
  const seen = new Map<string, number>();
  const check = (key: string, i: number, message: (first: number) => string) => {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else issues.push({ path: ['environments', i], message: message(first) });
  };
  defs.environments.forEach((env, i) => {
    const name = (j: number) => defs.environments[j].name;
    check(`name:${env.name}`, i, (j) => `'name' (${show(env.name)}) is already used by environments[${j}]; give each environment its own name`);
    const state = `s3://${env.state.bucket}/${stateKey(defs.system, env)}`;
    check(`state:${state}`, i, (j) => `'state' (${show(state)}) is also the state of ${name(j)}; give each environment its own state key`);
    const cluster = `${env.account}/${env.region}/${clusterName(defs.system, env)}`;
    check(`cluster:${cluster}`, i, (j) => `'cluster.name' (${show(clusterName(defs.system, env))}) is also the cluster of ${name(j)} in the same account and region; name the clusters apart`);
  });
  return issues;
}

/**
 * Promotion rules: a release-tag environment deploys the image digests its promotion source verified
 * (see promotionSource), so it may run only services its source runs; for any other, the promote job
 * would find no verified image and fail the release at run time.
 */
export function promotionIssues(defs: Pick<Definitions, 'environments'>): RawIssue[] {
  const issues: RawIssue[] = [];
  defs.environments.forEach((env, i) => {
    const source = promotionSource(defs, env);
    if (!source) return;
    for (const svc of env.services) {
      if (source.services.some((s) => s.name === svc.name)) continue;
      issues.push({
        path: ['environments', i, 'services', svc.name],
        message:
          `is not run by ${source.name}, whose verified images a release of ${env.name} promotes, so the promote job would find no verified image of it; ` +
          `add it to ${source.name} first, so a release promotes what ${source.name} verified`,
      });
    }
  });
  return issues;
}

/**
 * Problems with the `--image-digests` file (already-formatted issues): it must be a JSON object mapping
 * a service one of `envs` runs to a digest `sha256:<64 hex>`.
 */
export function imageDigestIssues(envs: readonly EnvironmentDefinition[], digests: unknown): ConfigIssue[] {
  if (typeof digests !== 'object' || digests === null || Array.isArray(digests)) {
    return [
      {
        path: '--image-digests',
        message: `(${show(digests)}) must be a JSON object of service name → "sha256:<64 hex>"; pass the digests file the promote job wrote`,
      },
    ];
  }
  const known = [...new Set(envs.flatMap((env) => env.services.map((s) => s.name)))];
  const issues: ConfigIssue[] = [];
  for (const [service, digest] of Object.entries(digests)) {
    if (!known.includes(service)) {
      issues.push({
        path: `--image-digests.${service}`,
        message: `is not a service of ${envs.map((e) => e.name).join(', ')}; use one of ${known.join(', ')} or remove it`,
      });
    }
    if (typeof digest !== 'string' || !IMAGE_DIGEST_REGEX.test(digest)) {
      issues.push({
        path: `--image-digests.${service}`,
        message: `(${show(digest)}) is not an image digest; write "sha256:" followed by 64 lowercase hex digits`,
      });
    }
  }
  return issues;
}

/** Problems with an `--image-tag` override for the given environments (already-formatted issues). */
export function imageTagIssues(envs: readonly EnvironmentDefinition[], tag: string | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (tag === undefined) {
    for (const env of envs) {
      for (const svc of env.services) {
        if (svc.image.tag === undefined) {
          issues.push({
            path: `${env.name}.services.${svc.name}.image`,
            message: `'tag' is not set and no --image-tag was given; pass --image-tag <commit-sha> or pin image.tag`,
          });
        }
      }
    }
    return issues;
  }
  if (!IMAGE_TAG_REGEX.test(tag)) {
    issues.push({ path: '--image-tag', message: `(${show(tag)}) is not an image tag; use letters, digits, ".", "_" and "-", at most 128 characters` });
  }
  if (tag === 'latest') {
    // Every ECR repository deploykit creates has immutable tags: a second push of "latest" fails.
    issues.push({
      path: '--image-tag',
      message: `("latest") is refused: the ECR repositories have immutable tags, so "latest" could be pushed only once; pass the commit SHA`,
    });
  }
  return issues;
}
