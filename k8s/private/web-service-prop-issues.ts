/**
 * The checks of `WebService`'s props: the rules the environment definitions apply at load, for
 * users who build the props themselves. Never stricter than the definitions, so every service a
 * definition accepts renders.
 * @internal
 */
import type { IConstruct } from 'constructs';
import { IPV4_CIDR_REGEX } from '../../config/cidr';
import { CPU_QUANTITY_REGEX, MEMORY_QUANTITY_REGEX, cpuMillicores, memoryBytes } from '../../config/quantity';
import {
  CERTIFICATE_ARN_REGEX,
  DNS_LABEL_REGEX,
  ENV_VAR_REGEX,
  HOSTNAME_REGEX,
  HTTP_PATH_REGEX,
  IAM_ROLE_ARN_REGEX,
  IMAGE_DIGEST_REGEX,
  IMAGE_TAG_REGEX,
  LABEL_KEY_REGEX,
  LABEL_VALUE_REGEX,
  PORT_NAME_REGEX,
  REGION_REGEX,
  SECRET_JSON_KEY_REGEX,
  SECRET_KEY_REGEX,
  SECRETS_MANAGER_ARN_REGEX,
  SSM_PARAMETER_ARN_REGEX,
  isSharedNamespace,
} from '../../config/schema';
import { propIssue, type ValidationIssue } from '../../config/validation-error';
import type { ContainerResources, ProbeTiming } from '../restricted-pod';
import type { WebServiceProps } from '../constructs/web-service';
import { WEB_SERVICE_DEFAULTS } from '../web-service-defaults';
import { INSTANCE_LABEL, NAME_LABEL, VERSION_LABEL } from '../workload-labels';

/** An IngressClass name (DNS-1123 subdomain). */
const DNS_SUBDOMAIN_REGEX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An ELB name: 1–32 letters, digits and hyphens, alphanumeric at both ends, not starting with "internal-". */
const LOAD_BALANCER_NAME_REGEX = /^(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
/** The name of the main container and port. */
const MAIN_NAME = 'http';
const DNS_FIX = "use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/** The parts of an image reference `<repository>:<tag>[@<digest>]`. */
export interface ImageReferenceParts {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits an image reference; the tag is after the last `:` that follows the last `/` (a registry port is no tag). */
export function imageReferenceParts(image: string): ImageReferenceParts {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  return { repository: tagged ? name.slice(0, colon) : name, tag: tagged ? name.slice(colon + 1) : undefined, digest };
}

/** The tag of an image reference; undefined without one. */
export function imageTagOf(image: string): string | undefined {
  return imageReferenceParts(image).tag;
}

/** Every problem of `props`, each at `construct`'s path, in prop order. */
export function webServicePropIssues(construct: IConstruct, props: WebServiceProps): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, value: unknown, rule: string, fix: string) => issues.push(propIssue(construct, { field, value, rule, fix }));
  const matches = (field: string, value: unknown, regex: RegExp, what: string, fix: string): boolean => {
    if (typeof value === 'string' && regex.test(value)) return true;
    add(field, value, `is not ${what}`, fix);
    return false;
  };
  const whole = (field: string, value: number | undefined, min: number, max: number, unit = ''): void => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) add(field, value, `must be a whole number from ${min} to ${max}${unit}`, 'use a value in that range');
  };
  const dnsLabel = (field: string, value: unknown) => matches(field, value, DNS_LABEL_REGEX, 'a DNS-1123 label', DNS_FIX);
  const resources = (field: string, value: ContainerResources) => {
    for (const kind of ['cpu', 'memory'] as const) {
      const regex = kind === 'cpu' ? CPU_QUANTITY_REGEX : MEMORY_QUANTITY_REGEX;
      const fix = kind === 'cpu' ? 'use millicores like "250m" or cores like "0.5"' : 'use a number with a binary suffix like "512Mi" or "1Gi"';
      const what = `a Kubernetes ${kind === 'cpu' ? 'CPU' : 'memory'} quantity`;
      const req = matches(`${field}.requests.${kind}`, value?.requests?.[kind], regex, what, fix);
      const lim = matches(`${field}.limits.${kind}`, value?.limits?.[kind], regex, what, fix);
      const measure = kind === 'cpu' ? cpuMillicores : memoryBytes;
      if (req && lim && measure(value.requests[kind]) > measure(value.limits[kind])) {
        add(`${field}.requests.${kind}`, value.requests[kind], `must be <= '${field}.limits.${kind}' (${JSON.stringify(value.limits[kind])})`, `raise limits.${kind} or lower requests.${kind}`);
      }
    }
  };
  const timing = (field: string, value: ProbeTiming | undefined) => {
    whole(`${field}.periodSeconds`, value?.periodSeconds, 1, 3600, ' (seconds)');
    whole(`${field}.failureThreshold`, value?.failureThreshold, 1, 1000);
    whole(`${field}.timeoutSeconds`, value?.timeoutSeconds, 1, 3600, ' (seconds)');
    whole(`${field}.initialDelaySeconds`, value?.initialDelaySeconds, 0, 3600, ' (seconds)');
  };
  const httpPath = (field: string, value: string | undefined) => {
    if (value !== undefined) matches(field, value, HTTP_PATH_REGEX, 'an HTTP path', 'start it with "/" and use no spaces, quotes or shell characters');
  };
  const envNames = (field: string, env: Readonly<Record<string, unknown>> | undefined) => {
    for (const name of Object.keys(env ?? {})) {
      if (!ENV_VAR_REGEX.test(name)) add(`${field}`, name, 'is not an environment variable name', 'use letters, digits and "_", not starting with a digit');
    }
  };

  dnsLabel('name', props.name);
  const namespace = props.namespace ?? props.name;
  if (props.namespace !== undefined) dnsLabel('namespace', props.namespace);
  if (typeof namespace === 'string' && isSharedNamespace(namespace)) {
    add('namespace', namespace, 'is a namespace Kubernetes uses for itself', 'give the service its own namespace');
  }

  if (typeof props.image !== 'string' || props.image === '' || /\s/.test(props.image)) {
    add('image', props.image, 'is not an image reference', 'use <repository>:<tag> or <repository>:<tag>@sha256:<64 hex digits>');
  } else {
    const image = imageReferenceParts(props.image);
    if (image.tag === undefined) add('image', props.image, 'has no tag', 'add the release tag, e.g. <repository>:1.4.2 (the version label is the tag)');
    else matches('image', image.tag, IMAGE_TAG_REGEX, 'a valid image tag', 'use letters, digits, ".", "_" and "-", at most 128 characters');
    if (image.digest !== undefined) matches('image', image.digest, IMAGE_DIGEST_REGEX, 'a sha256 digest', 'pin the image as <repository>:<tag>@sha256:<64 lowercase hex digits>');
  }

  whole('containerPort', props.containerPort, 1, 65535);
  whole('servicePort', props.servicePort, 1, 65535);
  const portNumbers = [{ field: 'containerPort', port: props.containerPort ?? WEB_SERVICE_DEFAULTS.containerPort }];
  const portNames = [MAIN_NAME];
  (props.additionalPorts ?? []).forEach((port, i) => {
    const at = `additionalPorts[${i}]`;
    matches(`${at}.name`, port.name, PORT_NAME_REGEX, 'a port name', 'use at most 15 lowercase letters, digits and "-"');
    whole(`${at}.containerPort`, port.containerPort, 1, 65535);
    const sameNumber = portNumbers.find((p) => p.port === port.containerPort);
    if (sameNumber) add(`${at}.containerPort`, port.containerPort, `is already used by '${sameNumber.field}'`, 'give each container port its own number');
    if (portNames.includes(port.name)) add(`${at}.name`, port.name, 'is used twice ("http" is the main port)', 'give each port its own name');
    portNumbers.push({ field: `${at}.containerPort`, port: port.containerPort });
    portNames.push(port.name);
  });

  const health = props.health ?? {};
  httpPath('health.readinessPath', health.readinessPath);
  httpPath('health.livenessPath', health.livenessPath);
  httpPath('health.startupPath', health.startupPath);
  if (health.startupProbe === false && health.startupPath !== undefined) {
    add('health.startupPath', health.startupPath, "is set but 'health.startupProbe' is false", 'remove startupPath or set startupProbe to true');
  }
  timing('health.readinessTiming', health.readinessTiming);
  timing('health.livenessTiming', health.livenessTiming);
  timing('health.startupTiming', health.startupTiming);

  resources('resources', props.resources);

  whole('replicas', props.replicas, 1, 1000);
  const scaling = props.autoscaling;
  if (scaling) {
    if (props.replicas !== undefined) {
      add('replicas', props.replicas, "is set together with 'autoscaling'", 'remove replicas (the HorizontalPodAutoscaler owns the count) or autoscaling');
    }
    whole('autoscaling.minReplicas', scaling.minReplicas, 1, 1000);
    whole('autoscaling.maxReplicas', scaling.maxReplicas, 1, 1000);
    if (scaling.minReplicas > scaling.maxReplicas) {
      add('autoscaling.minReplicas', scaling.minReplicas, `must be <= 'autoscaling.maxReplicas' (${scaling.maxReplicas})`, 'raise maxReplicas or lower minReplicas');
    }
    whole('autoscaling.targetCpuUtilizationPercent', scaling.targetCpuUtilizationPercent, 1, 100, ' (percent)');
    whole('autoscaling.targetMemoryUtilizationPercent', scaling.targetMemoryUtilizationPercent, 1, 100, ' (percent)');
    whole('autoscaling.scaleDownStabilizationSeconds', scaling.scaleDownStabilizationSeconds, 0, 3600, ' (seconds)');
    const cpu = props.resources?.requests?.cpu;
    if (typeof cpu === 'string' && CPU_QUANTITY_REGEX.test(cpu) && cpuMillicores(cpu) === 0) {
      add('resources.requests.cpu', cpu, "is zero while 'autoscaling' scales on CPU utilisation, a percentage of the request", 'request the CPU the service needs, e.g. "100m"');
    }
  }

  envNames('env', props.env);
  const secretEnv = props.secretEnv ?? {};
  envNames('secretEnv', secretEnv);
  for (const name of Object.keys(props.env ?? {})) {
    if (name in secretEnv) add(`env.${name}`, props.env![name], "is also set in 'secretEnv'", 'define each variable once');
  }
  let readsAws = false;
  for (const [name, source] of Object.entries(secretEnv)) {
    const at = `secretEnv.${name}`;
    const forms = [source.kubernetesSecret && 'kubernetesSecret', source.awsSecret && 'awsSecret'].filter(Boolean);
    if (forms.length !== 1) {
      add(at, Object.keys(source ?? {}), forms.length === 0 ? 'names no source' : 'names two sources', 'give exactly one of kubernetesSecret { name, key } or awsSecret { kind, arn, jsonKey? }');
      continue;
    }
    if (source.kubernetesSecret) {
      dnsLabel(`${at}.kubernetesSecret.name`, source.kubernetesSecret.name);
      matches(`${at}.kubernetesSecret.key`, source.kubernetesSecret.key, SECRET_KEY_REGEX, 'a Secret key', 'use letters, digits, ".", "_" and "-"');
    } else if (source.awsSecret) {
      readsAws = true;
      const { kind, arn, jsonKey } = source.awsSecret;
      if (kind === 'secretsmanager') {
        matches(`${at}.awsSecret.arn`, arn, SECRETS_MANAGER_ARN_REGEX, 'a full Secrets Manager secret ARN', 'copy the full ARN with its 6-character suffix (`aws secretsmanager describe-secret --secret-id <name> --query ARN`)');
        if (jsonKey !== undefined) matches(`${at}.awsSecret.jsonKey`, jsonKey, SECRET_JSON_KEY_REGEX, 'a JSON key', 'use the top-level key of the JSON secret: letters, digits, "_", "." and "-"');
      } else if (kind === 'ssmparameter') {
        matches(`${at}.awsSecret.arn`, arn, SSM_PARAMETER_ARN_REGEX, 'an SSM parameter ARN', 'use arn:aws:ssm:<region>:<account>:parameter/<name>');
        if (jsonKey !== undefined) add(`${at}.awsSecret.jsonKey`, jsonKey, 'is set on an SSM parameter', 'remove jsonKey; only Secrets Manager secrets are read by JSON key');
      } else {
        add(`${at}.awsSecret.kind`, kind, 'must be one of "secretsmanager", "ssmparameter"', 'pick one of them');
      }
    }
  }
  if (readsAws && props.awsRegion === undefined) {
    add('awsRegion', props.awsRegion, "is not set while 'secretEnv' reads AWS secrets", 'set the region the secrets are in, e.g. "eu-west-1"');
  } else if (props.awsRegion !== undefined) {
    matches('awsRegion', props.awsRegion, REGION_REGEX, 'an AWS region name', 'use a region such as "eu-west-1"');
  }

  (props.initContainers ?? []).forEach((init, i) => {
    const at = `initContainers[${i}]`;
    dnsLabel(`${at}.name`, init.name);
    if (init.name === MAIN_NAME) add(`${at}.name`, init.name, "is the name of the service's container", 'give the init container another name, e.g. "migrate"');
    const first = (props.initContainers ?? []).findIndex((other) => other.name === init.name);
    if (first < i) add(`${at}.name`, init.name, `is already used by 'initContainers[${first}]'`, 'give each init container its own name');
    envNames(`${at}.env`, init.env);
    if (init.resources) resources(`${at}.resources`, init.resources);
  });

  (props.egress ?? []).forEach((rule, i) => {
    const at = `egress[${i}]`;
    matches(`${at}.cidr`, rule.cidr, IPV4_CIDR_REGEX, 'an IPv4 CIDR', 'write it as a.b.c.d/n');
    if (rule.ports.length === 0) add(`${at}.ports`, rule.ports, 'lists no port', 'add the destination port');
    rule.ports.forEach((port, j) => whole(`${at}.ports[${j}]`, port, 1, 65535));
    if (rule.protocol !== undefined && rule.protocol !== 'TCP' && rule.protocol !== 'UDP') add(`${at}.protocol`, rule.protocol, 'must be one of "TCP", "UDP"', 'pick one of them');
  });
  (props.ingressFromNamespaces ?? []).forEach((from, i) => dnsLabel(`ingressFromNamespaces[${i}]`, from));
  if (props.monitoringNamespace !== undefined) dnsLabel('monitoringNamespace', props.monitoringNamespace);

  const ingress = props.ingress;
  if (ingress) {
    matches('ingress.host', ingress.host, HOSTNAME_REGEX, 'a DNS host name', 'use a fully qualified name like "www.example.com"');
    matches('ingress.vpcCidr', ingress.vpcCidr, IPV4_CIDR_REGEX, 'an IPv4 CIDR', 'write the VPC CIDR as a.b.c.d/n');
    const scheme = ingress.scheme ?? 'internal';
    if (scheme !== 'internal' && scheme !== 'internet-facing') add('ingress.scheme', scheme, 'must be one of "internal", "internet-facing"', 'pick one of them');
    if (ingress.certificateArn !== undefined) {
      matches('ingress.certificateArn', ingress.certificateArn, CERTIFICATE_ARN_REGEX, 'an ACM certificate ARN', 'copy the ARN from ACM');
    } else if (scheme === 'internet-facing') {
      add('ingress.certificateArn', undefined, `is not set while 'ingress.scheme' is "internet-facing"`, 'add an ACM certificate or use scheme "internal"');
    }
    httpPath('ingress.healthCheckPath', ingress.healthCheckPath);
    if (ingress.ingressClassName !== undefined) {
      matches('ingress.ingressClassName', ingress.ingressClassName, DNS_SUBDOMAIN_REGEX, 'an IngressClass name (DNS-1123 subdomain)', 'use lowercase letters, digits, "-" and "."');
    }
    if (ingress.loadBalancerName !== undefined) {
      matches('ingress.loadBalancerName', ingress.loadBalancerName, LOAD_BALANCER_NAME_REGEX, 'a load balancer name', 'use at most 32 letters, digits and "-", not starting with "internal-"');
    }
  }

  if (props.workloadRoleArn !== undefined) matches('workloadRoleArn', props.workloadRoleArn, IAM_ROLE_ARN_REGEX, 'an IAM role ARN', 'use arn:aws:iam::<account>:role/<name>');
  if (props.instance !== undefined) {
    matches('instance', props.instance, LABEL_VALUE_REGEX, 'a Kubernetes label value', 'use at most 63 letters, digits, "-", "_" and ".", alphanumeric at both ends');
  }
  for (const [key, value] of Object.entries(props.labels ?? {})) {
    if (key === NAME_LABEL || key === INSTANCE_LABEL || key === VERSION_LABEL) {
      add('labels', key, 'is a label WebService sets itself (selector and version)', `remove it; set 'name' or 'instance' instead`);
      continue;
    }
    matches('labels', key, LABEL_KEY_REGEX, 'a Kubernetes label key', 'use an optional DNS prefix and "/", then 1–63 letters, digits, "-", "_" and "."');
    matches(`labels.${key}`, value, LABEL_VALUE_REGEX, 'a Kubernetes label value', 'use at most 63 letters, digits, "-", "_" and ".", alphanumeric at both ends');
  }

  whole('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 1, 3600, ' (seconds)');
  whole('preStopSleepSeconds', props.preStopSleepSeconds, 0, 600, ' (seconds)');
  const grace = props.terminationGracePeriodSeconds ?? WEB_SERVICE_DEFAULTS.terminationGracePeriodSeconds;
  const pause = props.preStopSleepSeconds ?? WEB_SERVICE_DEFAULTS.preStopSleepSeconds;
  if (pause >= grace) {
    add('preStopSleepSeconds', pause, `must be < 'terminationGracePeriodSeconds' (${grace})`, 'raise the grace period or shorten the pause');
  }
  if (props.preStopHandler !== undefined && props.preStopHandler !== 'sleep' && props.preStopHandler !== 'exec') {
    add('preStopHandler', props.preStopHandler, 'must be one of "sleep", "exec"', 'pick one of them');
  }
  whole('progressDeadlineSeconds', props.progressDeadlineSeconds, 30, 3600, ' (seconds)');
  whole('revisionHistoryLimit', props.revisionHistoryLimit, 1, 50);
  return issues;
}
