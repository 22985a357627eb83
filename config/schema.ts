/**
 * The schema of deploykit's environment definitions: field types, formats, defaults and the rules
 * that need only one object's own fields. Rules that span objects (service ↔ environment,
 * environment ↔ environment) live in `rules.ts`. Every description below ends up in the JSON Schema
 * that `deploykit schema` prints, so editors show it.
 */
import { z } from 'zod';
import { IPV4_CIDR_REGEX } from './cidr';
import { SUPPORTED_EKS_VERSIONS } from './eks-versions';
import { CPU_QUANTITY_REGEX, MEMORY_QUANTITY_REGEX, cpuMillicores, memoryBytes } from './quantity';
import { objectIssue, show } from './issue-format';

/** DNS-1123 label: lowercase alphanumerics and '-', 1–63 characters, alphanumeric at both ends. */
export const DNS_LABEL_REGEX = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Docker/OCI image tag. */
export const IMAGE_TAG_REGEX = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** An image digest as `deploykit synth --image-digests` takes it: `sha256:` and 64 lowercase hex digits. */
export const IMAGE_DIGEST_REGEX = /^sha256:[0-9a-f]{64}$/;
/** An ECR repository name (lowercase, may contain '/', '.', '_', '-'). */
export const REPOSITORY_NAME_REGEX = /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** An AWS region name such as `ap-east-1`. */
export const REGION_REGEX = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** An environment variable name. */
export const ENV_VAR_REGEX = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An S3 bucket name. */
export const BUCKET_REGEX = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
/** An IAM principal ARN (role or user) allowed as cluster administrator. */
export const IAM_PRINCIPAL_ARN_REGEX = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
/** An IAM role ARN (a workload's or a cluster component's role). */
export const IAM_ROLE_ARN_REGEX = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** An ACM certificate ARN. */
export const CERTIFICATE_ARN_REGEX = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** An IANA service name, used for named container ports (at most 15 characters). */
export const PORT_NAME_REGEX = /^(?=.{1,15}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/**
 * An HTTP path for probes and health checks. It reaches shell lines of the pipelines (the smoke test),
 * so shell and expression characters (`$ & ' " ( ) * { }`, spaces) are refused.
 */
export const HTTP_PATH_REGEX = /^\/[A-Za-z0-9._~!+,;=:@/%-]*$/;
/** A Terraform state object key: path segments of letters, digits and `. _ -`, no `..`, at most 1024 characters. */
export const STATE_KEY_REGEX = /^(?!.*\.\.)(?!\/)[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
/** An AWS tag key (1–128) or value (0–256): letters, digits, spaces and `_ . : / = + - @` (AWS's own set, no `$ { }` Terraform would interpolate). */
export const AWS_TAG_REGEX = /^[\p{L}\p{N} _.:/=+@-]*$/u;
/** A key inside a Kubernetes Secret: letters, digits and `. _ -`. */
export const SECRET_KEY_REGEX = /^[A-Za-z0-9._-]{1,253}$/;
/** A GitLab project path, `group/project` or `group/subgroup/project`. */
export const GITLAB_PROJECT_REGEX = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;
/** A GitHub repository, `owner/repo`. */
export const GITHUB_REPOSITORY_REGEX = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/;
/**
 * A git branch name deploykit writes into pipeline rules, GitHub expressions, shell lines and IAM trust
 * policies: letters, digits and `. _ / -`, starting with a letter or digit, no `..`, `//`, `@{`, trailing
 * `/` or `.lock` (git's own rules), at most 100 characters. Quotes, spaces, `$`, `*` and the like are refused.
 */
export const GIT_BRANCH_REGEX = /^(?!.*\.\.)(?!.*\/\/)(?!.*\/$)(?!.*\.lock$)(?!.*\/\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
/** A CI runner label or tag (GitLab `tags`, GitHub `runs-on`): letters, digits and `. _ -`, at most 63 characters. */
export const RUNNER_LABEL_REGEX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/**
 * A `deploykit check` rule id: upper-case letters and digits in at least two parts joined by single
 * hyphens, starting with a letter (`DK-TF-001` built in, `ACME-K8S-001` from a definitions module).
 */
export const RULE_ID_REGEX = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
/** An SNS topic ARN (alarm actions). */
export const SNS_TOPIC_ARN_REGEX = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** A DNS host name for an Ingress rule. */
export const HOSTNAME_REGEX = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/;

const DNS_HINT = "use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/** A string that must match `regex`; the error names the value, what it should be and how to fix it. */
function pattern(regex: RegExp, what: string, hint: string) {
  return z.string({ error: typeError('a string') }).regex(regex, { error: (iss) => `(${show(iss.input)}) is not ${what}; ${hint}` });
}

function typeError(expected: string) {
  return (iss: { input?: unknown }) =>
    iss.input === undefined ? `is required (${expected}); add it` : `(${show(iss.input)}) must be ${expected}; fix its type`;
}

const dnsLabel = (what: string) => pattern(DNS_LABEL_REGEX, `a valid ${what} (DNS-1123 label)`, DNS_HINT);
const cidr = (what: string) => pattern(IPV4_CIDR_REGEX, `${what} (an IPv4 CIDR like 10.0.0.0/16)`, 'write it as a.b.c.d/n');

function integer(min: number, max: number, unit = '') {
  return z
    .number({ error: typeError('a number') })
    .int({ error: (iss) => `(${show(iss.input)}) must be a whole number${unit}; round it` })
    .min(min, { error: (iss) => `(${show(iss.input)}) must be >= ${min}${unit}; raise it` })
    .max(max, { error: (iss) => `(${show(iss.input)}) must be <= ${max}${unit}; lower it` });
}

const port = () => integer(1, 65535);

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined
        ? `is required; use one of ${values.map((v) => show(v)).join(', ')}`
        : `(${show(iss.input)}) must be one of ${values.map((v) => show(v)).join(', ')}; pick one of them`,
  });
}

const cpuQuantity = pattern(CPU_QUANTITY_REGEX, 'a Kubernetes CPU quantity', 'use millicores like "250m" or cores like "0.5"');
const memoryQuantity = pattern(
  MEMORY_QUANTITY_REGEX,
  'a Kubernetes memory quantity',
  'use a number with a binary suffix like "512Mi" or "1Gi" (not "MB" or "GB")',
);

const resourceAmounts = z.strictObject({
  cpu: cpuQuantity.describe('CPU, e.g. `250m` (millicores) or `0.5` (cores).'),
  memory: memoryQuantity.describe('Memory, e.g. `512Mi` or `1Gi`.'),
});

// ---------------------------------------------------------------------------------------------
// Services

/**
 * Names construct ids cannot take: the construct tree keeps children in a plain object, so a child
 * named like an `Object.prototype` member (`constructor`) clashes with it.
 */
const RESERVED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Keys of the service catalogue and of each environment's `services`. */
export const serviceNameSchema = dnsLabel('service name').refine((name) => !RESERVED_NAMES.has(name), {
  error: (iss) => `(${show(iss.input)}) is a reserved name (a built-in property of JavaScript objects); choose another service name`,
});

/**
 * A Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a name of 1–63 letters,
 * digits, `-`, `_` and `.`, alphanumeric at both ends.
 */
export const LABEL_KEY_REGEX =
  /^(?:(?=[^/]{1,253}\/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(?=[^/]{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A Kubernetes label value: empty, or 1–63 letters, digits, `-`, `_` and `.`, alphanumeric at both ends. */
export const LABEL_VALUE_REGEX = /^((?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

const labelKey = pattern(
  LABEL_KEY_REGEX,
  'a Kubernetes label key',
  'use an optional DNS prefix and "/", then 1–63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (e.g. "example.com/role")',
);
const labelValue = pattern(
  LABEL_VALUE_REGEX,
  'a Kubernetes label value',
  'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
);

/** An AWS tag key: 1–128 characters, not starting with "aws:" (AWS reserves that prefix). */
const tagKey = pattern(AWS_TAG_REGEX, 'an AWS tag key', 'use letters, digits, spaces and "_ . : / = + - @"')
  .min(1, { error: 'is not a tag key: it is empty; give the tag a name' })
  .max(128, { error: (iss) => `(${show(iss.input)}) is too long for a tag key: at most 128 characters; shorten it` })
  .refine((key) => !key.toLowerCase().startsWith('aws:'), {
    error: (iss) => `(${show(iss.input)}) starts with "aws:", a prefix AWS reserves for its own tags; drop or rename the prefix`,
  });
const tagValue = pattern(AWS_TAG_REGEX, 'an AWS tag value', 'use letters, digits, spaces and "_ . : / = + - @"')
  .max(256, { error: (iss) => `(${show(iss.input)}) is too long for a tag value: at most 256 characters; shorten it` });

const autoscalingShape = {
  minReplicas: integer(1, 1000).describe('Fewest replicas the HorizontalPodAutoscaler keeps.'),
  maxReplicas: integer(1, 1000).describe('Most replicas the HorizontalPodAutoscaler may run.'),
  targetCpuUtilizationPercent: integer(1, 100, ' (percent)')
    .default(50)
    .describe('Average CPU utilisation (percent of requests) the HPA aims for. @default 50'),
  targetMemoryUtilizationPercent: integer(1, 100, ' (percent)')
    .optional()
    .describe('Average memory utilisation (percent of requests) the HPA aims for. @default - memory is not a scaling metric'),
  scaleDownStabilizationSeconds: integer(0, 3600, ' (seconds)')
    .default(300)
    .describe('Seconds the HPA waits before scaling down after load drops. @default 300'),
};

const egressRuleShape = {
  cidr: cidr('a destination network').describe('Destination network, e.g. `10.20.0.0/16`.'),
  ports: z.array(port()).min(1, { error: 'must list at least one port; add the destination port' }).describe('Destination ports.'),
  protocol: oneOf(['TCP', 'UDP']).default('TCP').describe('Transport protocol. @default "TCP"'),
  description: z.string().optional().describe('Why the service needs this destination.'),
};

const ingressShape = {
  host: pattern(HOSTNAME_REGEX, 'a DNS host name', 'use a fully qualified name like "www.example.com"').describe(
    'Host name the ALB routes to this service.',
  ),
  scheme: oneOf(['internal', 'internet-facing'])
    .default('internal')
    .describe('ALB scheme. @default "internal"'),
  certificateArn: pattern(CERTIFICATE_ARN_REGEX, 'an ACM certificate ARN', 'copy the ARN from ACM')
    .optional()
    .describe('ACM certificate for HTTPS. @default - HTTP only (internal ALBs only)'),
  healthCheckPath: pattern(HTTP_PATH_REGEX, 'an HTTP path', 'start it with "/"')
    .optional()
    .describe("ALB target health-check path. @default - the service's readiness path"),
};

/** Name of a service's main container; an init container cannot take it. */
export const MAIN_CONTAINER_NAME = 'http';

/** A NUL byte, which no process argument or environment value can carry. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const NUL = /\u0000/;
/** A UTF-16 surrogate without its pair: no YAML or UTF-8 writer can write it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * One element of an init container's `command` or `args`: a non-empty string, written into the
 * manifest verbatim (quoted and escaped for YAML 1.1 readers), so any other character is allowed.
 */
const processArgument = z
  .string({ error: typeError('a string') })
  .min(1, { error: 'is an empty string; remove it or give it a value' })
  .refine((v) => !NUL.test(v), { error: (iss) => `(${show(iss.input)}) contains a NUL character, which no process argument can carry; remove it` })
  .refine((v) => !LONE_SURROGATE.test(v), {
    error: (iss) => `(${show(iss.input)}) contains an unpaired UTF-16 surrogate, which cannot be written as UTF-8; remove it`,
  });

const envVarName = pattern(ENV_VAR_REGEX, 'an environment variable name', 'use letters, digits and "_"');

/** A container run to completion before the service's container starts (e.g. database migrations). */
const initContainerSchema = z.strictObject({
  name: dnsLabel('container name').describe(`Container name (DNS-1123 label), unique in the pod and not "${MAIN_CONTAINER_NAME}" (the service's container).`),
  command: z
    .array(processArgument, { error: typeError('a list of strings') })
    .min(1, { error: 'is an empty list; give the executable and its arguments, or remove command to use the image entrypoint' })
    .optional()
    .describe("Executable and arguments, replacing the image's ENTRYPOINT. `$(NAME)` expands the container's variable NAME; `$$` is a literal `$`. @default - the image's ENTRYPOINT"),
  args: z
    .array(processArgument, { error: typeError('a list of strings') })
    .optional()
    .describe("Arguments, replacing the image's CMD. @default - the image's CMD"),
  env: z
    .record(envVarName, z.string().refine((v) => !NUL.test(v) && !LONE_SURROGATE.test(v), { error: 'contains a NUL character or an unpaired surrogate; remove it' }))
    .default({})
    .describe("Variables added to the service's `env` (same name: this value wins); the service's `secretEnv` is passed too. @default {}"),
  resources: z
    .strictObject({ requests: resourceAmounts, limits: resourceAmounts })
    .optional()
    .describe("CPU and memory requests and limits (requests <= limits). @default - the service's resources"),
});

/**
 * A Secrets Manager secret ARN as the environment definitions take it: partition, region, account,
 * name and the 6-character random suffix Secrets Manager appends to every secret's ARN.
 */
export const SECRETS_MANAGER_ARN_REGEX = /^arn:(aws|aws-cn|aws-us-gov):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})-([A-Za-z0-9]{6})$/;
/** Any Secrets Manager secret ARN, with or without the random suffix (to tell a partial ARN apart). */
const ANY_SECRETS_MANAGER_ARN_REGEX = /^arn:[a-z-]+:secretsmanager:[^:]*:[^:]*:secret:.+$/;
/** An SSM parameter ARN: `arn:<partition>:ssm:<region>:<account>:parameter/<name without the leading "/">`. */
export const SSM_PARAMETER_ARN_REGEX = /^arn:(aws|aws-cn|aws-us-gov):ssm:([a-z0-9-]+):(\d{12}):parameter\/([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*)$/;
/** An SSM parameter name: `name` or a hierarchy `/a/b/name` of letters, digits and `_ . -` (at most 1011 characters). */
export const SSM_PARAMETER_NAME_REGEX = /^(?=.{1,1011}$)\/?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
/** A top-level key of a JSON secret: letters, digits and `_ . -` (ASCP selects it with a JMESPath). */
export const SECRET_JSON_KEY_REGEX = /^[A-Za-z0-9_.-]{1,128}$/;

const SECRETS_MANAGER_ARN_FORM = 'arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>';

/** A complete Secrets Manager ARN; a partial one (no random suffix) gets its own explanation. */
const secretsManagerArn = z.string({ error: typeError('a string') }).superRefine((arn, ctx) => {
  if (SECRETS_MANAGER_ARN_REGEX.test(arn)) return;
  ctx.addIssue({
    code: 'custom',
    input: arn,
    message: ANY_SECRETS_MANAGER_ARN_REGEX.test(arn)
      ? `(${show(arn)}) is a partial Secrets Manager ARN: it lacks the 6-character random suffix Secrets Manager appends (-AbC123); copy the full ARN (\`aws secretsmanager describe-secret --secret-id <name> --query ARN\`): the IAM grant names exactly that ARN, while a partial one would need a wildcard that also matches every other secret whose name starts the same, and a secret deleted and recreated under the same name gets a new suffix`
      : `(${show(arn)}) is not a Secrets Manager secret ARN; use the full ARN ${SECRETS_MANAGER_ARN_FORM} (\`aws secretsmanager describe-secret --secret-id <name> --query ARN\` prints it)`,
  });
});

/**
 * One `secretEnv` entry: exactly one of a Secrets Manager secret, an SSM parameter, or a Kubernetes
 * Secret (`secretName` + `key`). One object with every form's fields (not a union), so a mistake gets
 * a message naming the field rather than "no union member matched".
 */
export const secretReferenceSchema = z
  .strictObject({
    secretsManager: z
      .strictObject({
        arn: secretsManagerArn.describe(`Full secret ARN, ${SECRETS_MANAGER_ARN_FORM}.`),
        key: pattern(SECRET_JSON_KEY_REGEX, 'a JSON key', 'use the top-level key of the JSON secret: letters, digits, "_", "." and "-"')
          .optional()
          .describe('Top-level key of a JSON secret whose value the variable gets. @default - the whole secret string'),
      })
      .optional()
      .describe('An AWS Secrets Manager secret in the environment\'s account and region.'),
    ssmParameter: z
      .strictObject({
        name: pattern(SSM_PARAMETER_NAME_REGEX, 'an SSM parameter name', 'use a name like "/company/api/token" of letters, digits, "_", "." and "-"')
          .optional()
          .describe("Parameter name, in the environment's account and region."),
        arn: pattern(SSM_PARAMETER_ARN_REGEX, 'an SSM parameter ARN', 'use arn:aws:ssm:<region>:<account>:parameter/<name>')
          .optional()
          .describe('Parameter ARN.'),
      })
      .superRefine((p, ctx) => {
        if ((p.name === undefined) === (p.arn === undefined)) {
          ctx.addIssue(objectIssue([], `sets ${p.name === undefined ? 'neither' : 'both'} 'name' and 'arn'; give exactly one of them`));
        }
      })
      .optional()
      .describe('An SSM Parameter Store SecureString parameter, by name or ARN.'),
    secretName: dnsLabel('Secret name').optional().describe('A Kubernetes Secret in the service namespace (created by something else).'),
    key: pattern(SECRET_KEY_REGEX, 'a Secret key', 'use letters, digits, ".", "_" and "-"').optional().describe('Key inside the Kubernetes Secret.'),
  })
  .superRefine((ref, ctx) => {
    const forms = [ref.secretsManager && 'secretsManager', ref.ssmParameter && 'ssmParameter', ref.secretName !== undefined && 'secretName'].filter(
      (f): f is string => typeof f === 'string',
    );
    if (forms.length !== 1) {
      ctx.addIssue(
        objectIssue(
          [],
          forms.length === 0
            ? "names no source; use { secretsManager: { arn, key? } }, { ssmParameter: { name } } or { secretName, key }"
            : `combines ${forms.map((f) => `'${f}'`).join(' and ')}; use exactly one of secretsManager, ssmParameter or secretName + key`,
        ),
      );
      return;
    }
    if (ref.secretName !== undefined && ref.key === undefined) {
      ctx.addIssue(objectIssue([], `'key' is not set while 'secretName' (${show(ref.secretName)}) is; add the key inside the Kubernetes Secret`));
    }
    if (ref.secretName === undefined && ref.key !== undefined) {
      ctx.addIssue(
        objectIssue([], `'key' (${show(ref.key)}) belongs to the Kubernetes Secret form; for a JSON key of a Secrets Manager secret write secretsManager: { arn, key }`),
      );
    }
  });

/**
 * The shape of a service. `partial` makes every field optional and allows `null` to remove an
 * optional block (per-environment overrides); the full shape carries defaults and object rules.
 */
function serviceShape() {
  return {
    image: z
      .strictObject({
        repository: pattern(REPOSITORY_NAME_REGEX, 'an ECR repository name', 'use lowercase letters, digits, and . _ - /')
          .optional()
          .describe('ECR repository name. @default - the service name'),
        tag: pattern(IMAGE_TAG_REGEX, 'an image tag', 'use letters, digits, ".", "_" and "-", at most 128 characters')
          .optional()
          .describe('Image tag to deploy; `--image-tag` overrides it. `latest` is refused outside development tiers.'),
      })
      .default({})
      .describe('Where the image comes from.'),
    namespace: dnsLabel('namespace')
      .refine((ns) => !isSharedNamespace(ns), {
        error: (iss) => `(${show(iss.input)}) is a namespace Kubernetes uses for itself; give the service its own namespace`,
      })
      .optional()
      .describe('Kubernetes namespace; never "default" or a "kube-" namespace. @default - the service name'),
    containerPort: port().default(8080).describe('Port the container listens on. @default 8080'),
    servicePort: port().default(80).describe('Port the Kubernetes Service exposes. @default 80'),
    additionalPorts: z
      .array(
        z.strictObject({
          name: pattern(PORT_NAME_REGEX, 'a port name', 'use at most 15 lowercase letters, digits and "-"'),
          containerPort: port(),
          metrics: z
            .boolean()
            .optional()
            .describe(
              'Whether the port serves metrics: a metrics port is reachable only from the environment\'s `observability.monitoringNamespace`, never from the sources of the main port. @default - true when the port is named "metrics", else false',
            ),
        }),
      )
      .default([])
      .describe(
        'Further named container ports. Metrics ports (`metrics: true`, or named "metrics") admit only the monitoring namespace; the others admit the same sources as the main port. @default []',
      ),
    health: z
      .strictObject({
        readinessPath: pattern(HTTP_PATH_REGEX, 'an HTTP path', 'start it with "/"')
          .default('/readyz')
          .describe('HTTP endpoint of the readiness probe; may check dependencies. @default /readyz'),
        livenessPath: pattern(HTTP_PATH_REGEX, 'an HTTP path', 'start it with "/"')
          .default('/livez')
          .describe(
            'HTTP endpoint of the liveness probe; should check only the process. Sharing the readiness path is allowed but `deploykit check` warns (DK-K8S-026). @default /livez',
          ),
        startupPath: pattern(HTTP_PATH_REGEX, 'an HTTP path', 'start it with "/"')
          .optional()
          .describe('HTTP endpoint of the startup probe. @default - the readiness path'),
        startupProbe: z
          .boolean()
          .default(true)
          .describe(
            'Whether the container has a startup probe (5 s period × 24 failures = 2 minutes to start) that holds off the liveness probe; false removes it. @default true',
          ),
      })
      .default({ readinessPath: '/readyz', livenessPath: '/livez', startupProbe: true })
      .describe('HTTP endpoints of the readiness, liveness and startup probes. @default /readyz, /livez, startup on the readiness path'),
    resources: z
      .strictObject({ requests: resourceAmounts, limits: resourceAmounts })
      .describe('CPU and memory requests and limits of the container (requests <= limits).'),
    replicas: integer(1, 1000)
      .optional()
      .describe('Fixed replica count when `autoscaling` is not set. @default 2'),
    autoscaling: z
      .strictObject(autoscalingShape)
      .optional()
      .describe('HorizontalPodAutoscaler bounds; when set, the HPA owns the replica count. @default - fixed replicas'),
    env: z
      .record(pattern(ENV_VAR_REGEX, 'an environment variable name', 'use letters, digits and "_"'), z.string())
      .default({})
      .describe('Plain environment variables. Never put secrets here; use `secretEnv`. @default {}'),
    secretEnv: z
      .record(pattern(ENV_VAR_REGEX, 'an environment variable name', 'use letters, digits and "_"'), secretReferenceSchema)
      .default({})
      .describe(
        'Environment variables read by reference, never written here: `{ secretsManager: { arn, key? } }` (an AWS Secrets Manager secret by its full ARN, optionally one key of its JSON), `{ ssmParameter: { name } }` or `{ ssmParameter: { arn } }` (an SSM Parameter Store SecureString), or `{ secretName, key }` (a Kubernetes Secret something else creates). AWS references are delivered by the Secrets Store CSI Driver (docs/adr/0007-secrets-delivery.md) and granted to the workload role exactly. @default {}',
      ),
    initContainers: z
      .array(initContainerSchema)
      .default([])
      .describe(
        "Containers run in order, each to completion, before the service's container starts (e.g. database migrations). They run the service's image (same repository, tag and digest, so the same commit) with the same restricted security context. @default []",
      ),
    egress: z
      .array(z.strictObject(egressRuleShape))
      .default([])
      .describe('Destinations the NetworkPolicy lets the pods reach besides DNS. @default [] (DNS only)'),
    ingressFromNamespaces: z
      .array(dnsLabel('namespace'))
      .default([])
      .describe('Namespaces (e.g. an ingress controller) allowed to reach the service port, besides its own. @default []'),
    ingress: z.strictObject(ingressShape).optional().describe('Expose the service through an AWS ALB Ingress. @default - not exposed'),
    terminationGracePeriodSeconds: integer(1, 3600, ' (seconds)')
      .default(30)
      .describe('Seconds Kubernetes waits for the pod to stop. @default 30'),
    preStopSleepSeconds: integer(0, 600, ' (seconds)')
      .default(5)
      .describe('Seconds the preStop hook pauses so load balancers deregister the pod. @default 5'),
    preStopHandler: oneOf(['sleep', 'exec'])
      .default('sleep')
      .describe(
        'How the preStop pause runs: "sleep" is the kubelet\'s sleep action (Kubernetes >= 1.30, needs nothing in the image); "exec" runs `/bin/sleep` inside the container (the image must ship it). @default "sleep"',
      ),
    progressDeadlineSeconds: integer(30, 3600, ' (seconds)')
      .default(300)
      .describe('Seconds a rollout may stall before it is failed (and the pipeline rolls back). @default 300'),
    revisionHistoryLimit: integer(1, 50)
      .default(5)
      .describe('Old ReplicaSets kept for rollback. @default 5'),
  };
}

/** Namespaces a service must not run in: `default` and the `kube-` namespaces Kubernetes uses itself. */
export function isSharedNamespace(namespace: string): boolean {
  return namespace === 'default' || namespace.startsWith('kube-');
}

const SECRET_NAME_HINT = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** A complete service definition (catalogue entry, or catalogue entry merged with an override). */
export const serviceSchema = z.strictObject(serviceShape()).superRefine((svc, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue(objectIssue(path, message));
  for (const kind of ['cpu', 'memory'] as const) {
    const req = svc.resources.requests[kind];
    const lim = svc.resources.limits[kind];
    const valid = kind === 'cpu' ? CPU_QUANTITY_REGEX : MEMORY_QUANTITY_REGEX;
    if (!valid.test(req) || !valid.test(lim)) continue;
    const measure = kind === 'cpu' ? cpuMillicores : memoryBytes;
    if (measure(req) > measure(lim)) {
      issue(
        ['resources'],
        `'requests.${kind}' (${show(req)}) must be <= 'limits.${kind}' (${show(lim)}); raise limits.${kind} or lower requests.${kind}`,
      );
    }
  }
  if (svc.autoscaling && svc.autoscaling.minReplicas > svc.autoscaling.maxReplicas) {
    issue(
      ['autoscaling'],
      `'minReplicas' (${svc.autoscaling.minReplicas}) must be <= 'maxReplicas' (${svc.autoscaling.maxReplicas}); raise maxReplicas or lower minReplicas`,
    );
  }
  if (svc.autoscaling && CPU_QUANTITY_REGEX.test(svc.resources.requests.cpu) && cpuMillicores(svc.resources.requests.cpu) === 0) {
    issue(
      ['resources', 'requests'],
      `'cpu' (${show(svc.resources.requests.cpu)}) is zero while 'autoscaling' scales on CPU utilisation, a percentage of the request that is undefined for zero; request the CPU the service needs, e.g. "100m"`,
    );
  }
  if (svc.ingress?.scheme === 'internet-facing' && svc.ingress.certificateArn === undefined) {
    issue(['ingress'], `'certificateArn' is not set while 'scheme' is "internet-facing"; add an ACM certificate or use scheme "internal"`);
  }
  if (svc.autoscaling && svc.replicas !== undefined) {
    issue(
      [],
      `'replicas' (${svc.replicas}) and 'autoscaling' are both set; the HorizontalPodAutoscaler owns the count, so remove replicas or autoscaling`,
    );
  }
  const ports = [
    { name: 'containerPort', port: svc.containerPort },
    ...svc.additionalPorts.map((p, i) => ({ name: `additionalPorts[${i}].containerPort`, port: p.containerPort })),
  ];
  ports.forEach((p, i) => {
    const first = ports.findIndex((q) => q.port === p.port);
    if (first < i) {
      issue([], `'${p.name}' (${p.port}) is already used by '${ports[first].name}'; give each container port its own number`);
    }
  });
  const names = ['http', ...svc.additionalPorts.map((p) => p.name)];
  names.forEach((n, i) => {
    if (names.indexOf(n) < i) {
      issue(['additionalPorts'], `port name (${show(n)}) is used twice ("http" is the main port); give each port its own name`);
    }
  });
  if (!svc.health.startupProbe && svc.health.startupPath !== undefined) {
    issue(
      ['health'],
      `'startupPath' (${show(svc.health.startupPath)}) is set but 'startupProbe' is false; remove startupPath or set startupProbe to true`,
    );
  }
  if (svc.preStopSleepSeconds >= svc.terminationGracePeriodSeconds) {
    issue(
      [],
      `'preStopSleepSeconds' (${svc.preStopSleepSeconds}) must be < 'terminationGracePeriodSeconds' (${svc.terminationGracePeriodSeconds}); raise the grace period or shorten the pause`,
    );
  }
  svc.initContainers.forEach((init, i) => {
    const at = ['initContainers', i];
    if (init.name === MAIN_CONTAINER_NAME) {
      issue(at, `'name' (${show(init.name)}) is the name of the service's container; give the init container another name, e.g. "migrate"`);
    }
    const first = svc.initContainers.findIndex((other) => other.name === init.name);
    if (first < i) issue(at, `'name' (${show(init.name)}) is already used by 'initContainers[${first}]'; give each init container its own name`);
    if (init.resources) {
      for (const kind of ['cpu', 'memory'] as const) {
        const req = init.resources.requests[kind];
        const lim = init.resources.limits[kind];
        const valid = kind === 'cpu' ? CPU_QUANTITY_REGEX : MEMORY_QUANTITY_REGEX;
        const measure = kind === 'cpu' ? cpuMillicores : memoryBytes;
        if (valid.test(req) && valid.test(lim) && measure(req) > measure(lim)) {
          issue(
            [...at, 'resources'],
            `'requests.${kind}' (${show(req)}) must be <= 'limits.${kind}' (${show(lim)}); raise limits.${kind} or lower requests.${kind}`,
          );
        }
      }
    }
    for (const [name, value] of Object.entries(init.env)) {
      if (SECRET_NAME_HINT.test(name) && value !== '') {
        issue([...at, 'env', name], `looks like a secret written in plain text; move it to the service's 'secretEnv' and reference a Kubernetes Secret`);
      }
      if (name in svc.secretEnv) issue([...at, 'env', name], `is also set in the service's 'secretEnv'; define each variable once`);
    }
  });
  for (const [name, value] of Object.entries(svc.env)) {
    if (SECRET_NAME_HINT.test(name) && value !== '') {
      issue(['env', name], `looks like a secret written in plain text; move it to AWS Secrets Manager and reference it in 'secretEnv' ({ secretsManager: { arn } })`);
    }
    if (name in svc.secretEnv) {
      issue(['env', name], `is also set in 'secretEnv'; define each variable once`);
    }
  }
});

/**
 * Every field optional, recursively through nested objects (lists and maps stay whole: an
 * override replaces them). Defaults are dropped so an override never resets a catalogue value.
 */
function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return deepPartial(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = deepPartial(field).optional();
    }
    return z.strictObject(shape);
  }
  return schema;
}

/** Per-environment override of a catalogue service: any subset of fields; `null` removes an optional block. */
export const serviceOverrideSchema = (() => {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(serviceShape() as Record<string, z.ZodType>)) {
    const partial = deepPartial(field);
    const removable = key === 'autoscaling' || key === 'ingress' || key === 'replicas';
    shape[key] = (removable ? partial.nullable() : partial).optional();
  }
  return z
    .strictObject(shape)
    .describe(
      'Per-environment changes to a catalogue service: objects are merged field by field, lists and values replace, `null` removes autoscaling, ingress or replicas.',
    );
})();

// ---------------------------------------------------------------------------------------------
// Environments


const nodeGroupSchema = z
  .strictObject({
    instanceTypes: z
      .array(pattern(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type', 'use a type like "m6i.large"'))
      .min(1, { error: 'must list at least one instance type; add one like "m6i.large"' })
      .describe('EC2 instance types, e.g. `["m6i.large"]`.'),
    capacityType: oneOf(['ON_DEMAND', 'SPOT']).default('ON_DEMAND').describe('On-demand or spot capacity. @default "ON_DEMAND"'),
    minSize: integer(0, 1000).describe('Fewest nodes.'),
    desiredSize: integer(0, 1000).describe('Nodes at creation (the cluster autoscaler adjusts it afterwards).'),
    maxSize: integer(1, 1000).describe('Most nodes.'),
    diskSizeGiB: integer(20, 16384, ' (GiB)').default(50).describe('Root volume size in GiB. @default 50'),
    amiType: oneOf(['AL2023_x86_64_STANDARD', 'AL2023_ARM_64_STANDARD', 'BOTTLEROCKET_x86_64', 'BOTTLEROCKET_ARM_64'])
      .default('AL2023_x86_64_STANDARD')
      .describe('AMI family. @default "AL2023_x86_64_STANDARD"'),
    maxUnavailablePercent: integer(1, 100, ' (percent)')
      .default(33)
      .describe('Share of nodes a node-group update may take down at once. @default 33'),
    labels: z.record(labelKey, labelValue).default({}).describe('Kubernetes labels on the nodes (valid label keys and values). @default {}'),
    taints: z
      .array(
        z.strictObject({
          key: labelKey,
          value: labelValue.optional(),
          effect: oneOf(['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE']),
        }),
      )
      .default([])
      .describe('Kubernetes taints on the nodes. @default []'),
  })
  .superRefine((ng, ctx) => {
    if (ng.minSize > ng.desiredSize || ng.desiredSize > ng.maxSize) {
      ctx.addIssue(
        objectIssue(
          [],
          `'minSize' (${ng.minSize}) <= 'desiredSize' (${ng.desiredSize}) <= 'maxSize' (${ng.maxSize}) does not hold; make minSize <= desiredSize <= maxSize`,
        ),
      );
    }
  });

const TIERS = ['development', 'staging', 'production'] as const;

/** How an environment's cluster gets its nodes (see `cluster.compute`). */
export const COMPUTE_MODES = ['auto-mode', 'node-groups'] as const;

/** A log retention CloudWatch Logs accepts. */
const logRetentionDays = (what: string) =>
  integer(1, 3653, ' (days)').refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    error: (iss) => `(${show(iss.input)}) is not a retention CloudWatch Logs accepts for ${what}; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
  });

const observabilitySchema = z
  .strictObject({
    containerInsights: z
      .boolean()
      .default(true)
      .describe(
        'Install the Amazon CloudWatch Observability EKS add-on (Container Insights metrics and container logs in CloudWatch), with its own IAM role through EKS Pod Identity. `deploykit check` warns when a production environment turns it off (DK-TF-031). @default true',
      ),
    logRetentionDays: logRetentionDays('container logs')
      .default(90)
      .describe(
        'Days the Container Insights log groups (`/aws/containerinsights/<cluster>/application`, `dataplane`, `host`, `performance`) keep logs; deploykit creates them encrypted with the environment\'s logs key. @default 90',
      ),
    monitoringNamespace: dnsLabel('namespace')
      .default('amazon-cloudwatch')
      .describe(
        'The only namespace whose pods may reach the services\' metrics ports (NetworkPolicy). The CloudWatch agent runs in "amazon-cloudwatch". @default "amazon-cloudwatch"',
      ),
    alarms: z
      .strictObject({
        enabled: z
          .boolean()
          .optional()
          .describe(
            'Create CloudWatch alarms per service: container restarts, the HorizontalPodAutoscaler pinned at maxReplicas, and target 5xx responses at the ALB of services with an Ingress. Needs `containerInsights` for the first two. @default - true in production, else false',
          ),
        actionsTopicArn: pattern(SNS_TOPIC_ARN_REGEX, 'an SNS topic ARN', 'use arn:aws:sns:<region>:<account>:<topic>')
          .optional()
          .describe('SNS topic the alarms notify when they fire and when they recover. @default - no actions (the alarms show in the console only)'),
        restartThreshold: integer(1, 1000)
          .default(3)
          .describe('Container restarts of one pod of a service that raise the restart alarm. @default 3'),
        target5xxThreshold: integer(1, 1000000)
          .default(10)
          .describe('HTTP 5xx responses of a service\'s targets at its ALB within 5 minutes that raise the 5xx alarm. @default 10'),
      })
      .default({ restartThreshold: 3, target5xxThreshold: 10 })
      .describe('CloudWatch alarms per service. @default - on in production, off elsewhere, no actions'),
  })
  .default({ containerInsights: true, logRetentionDays: 90, monitoringNamespace: 'amazon-cloudwatch', alarms: { restartThreshold: 3, target5xxThreshold: 10 } })
  .describe('Metrics, logs and alarms of the workloads. @default - Container Insights on, 90 days of container logs, alarms in production');

const runnerLabel = pattern(RUNNER_LABEL_REGEX, 'a runner label', 'use letters, digits, ".", "_" and "-", at most 63 characters');

const environmentSchema = z.strictObject({
  name: dnsLabel('environment name').describe('Environment name, e.g. `prod`; used in paths, stacks and CI jobs.'),
  tier: oneOf(TIERS)
    .optional()
    .describe(
      'How strict the environment is: production needs manual deploys, private endpoints and ≥ 2 nodes; only development may run `latest`. @default - "development" for dev, "production" for prod/production, else "staging"',
    ),
  account: pattern(/^\d{12}$/, 'an AWS account id', 'use the 12-digit account number').describe('AWS account id (12 digits).'),
  region: pattern(REGION_REGEX, 'an AWS region', 'use a region name like "ap-east-1"').default('ap-east-1').describe('AWS region. @default "ap-east-1"'),
  network: z.strictObject({
    vpcCidr: cidr('a VPC CIDR').describe('VPC address range, e.g. `10.10.0.0/16` (/16–/24).'),
    availabilityZones: z
      .array(pattern(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/, 'an availability zone', 'use a zone name like "ap-east-1a"'))
      .min(2, { error: 'must list at least 2 availability zones; EKS needs subnets in two zones' })
      .max(4, { error: 'must list at most 4 availability zones; the default subnet layout has room for four' })
      .describe('Availability zones of the region (2–4).'),
    natGateways: oneOf(['single', 'one-per-az'])
      .optional()
      .describe('NAT gateways: one shared, or one per zone for zone-independent egress. @default - "one-per-az" in production, else "single"'),
    publicSubnetCidrs: z.array(cidr('a subnet CIDR')).optional().describe('Public subnet per zone. @default - carved from the VPC'),
    privateSubnetCidrs: z.array(cidr('a subnet CIDR')).optional().describe('Private subnet per zone. @default - carved from the VPC'),
    flowLogRetentionDays: integer(1, 3653, ' (days)').default(90).describe('Days VPC flow logs are kept. @default 90'),
  }),
  cluster: z.strictObject({
    name: dnsLabel('cluster name').optional().describe('EKS cluster name. @default - "<system>-<env>"'),
    kubernetesVersion: oneOf(SUPPORTED_EKS_VERSIONS as unknown as [string, ...string[]]).describe(
      'Kubernetes minor version, one EKS supports.',
    ),
    endpointAccess: oneOf(['private', 'public-and-private'])
      .optional()
      .describe('API endpoint exposure. @default - "private" in production, else "public-and-private"'),
    publicAccessCidrs: z
      .array(cidr('a CIDR'))
      .default([])
      .describe('Networks allowed to reach a public endpoint; never 0.0.0.0/0 by default. @default []'),
    logRetentionDays: integer(1, 3653, ' (days)').default(90).describe('Days control-plane logs are kept. @default 90'),
    admins: z
      .array(pattern(IAM_PRINCIPAL_ARN_REGEX, 'an IAM role or user ARN', 'use arn:aws:iam::<account>:role/<name>'))
      .default([])
      .describe('IAM principals granted cluster-admin through EKS access entries. @default []'),
    compute: oneOf(COMPUTE_MODES)
      .optional()
      .describe(
        'Where pods run and what adds nodes when the HorizontalPodAutoscalers scale out: "auto-mode" — EKS Auto Mode launches, scales and patches the nodes from its built-in node pools and runs the load balancer controller (no `nodeGroups`); "node-groups" — the managed node groups in `nodeGroups`, scaled between minSize and maxSize by the Cluster Autoscaler deploykit installs. See docs/adr/0006-compute-mode.md. @default - "node-groups" when nodeGroups are defined, else "auto-mode"',
      ),
    nodeGroups: z
      .record(dnsLabel('node group name'), nodeGroupSchema)
      .default({})
      .describe('Managed node groups by name; required with compute "node-groups", not allowed with "auto-mode". @default {}'),
  }),
  state: z.strictObject({
    bucket: pattern(BUCKET_REGEX, 'an S3 bucket name', 'use 3–63 lowercase letters, digits, "." and "-"').describe('S3 bucket holding Terraform state.'),
    key: pattern(STATE_KEY_REGEX, 'a state object key', 'use path segments of letters, digits, ".", "_" and "-" separated by "/"')
      .max(1024)
      .optional()
      .describe('State object key. @default - "<system>/<env>/terraform.tfstate"'),
    region: pattern(REGION_REGEX, 'an AWS region', 'use a region name like "ap-east-1"')
      .optional()
      .describe("Region of the state bucket. @default - the environment's region"),
  }),
  deploy: z
    .strictObject({
      approval: oneOf(['automatic', 'manual'])
        .optional()
        .describe('Whether a person must approve deploys. @default - "manual" in production, else "automatic"'),
      runner: z
        .strictObject({
          gitlabTags: z
            .array(runnerLabel)
            .min(1, { error: 'must list at least one runner tag; add the tag of a runner that can reach the cluster API' })
            .optional()
            .describe('GitLab `tags` selecting runners that can reach the cluster API (e.g. runners inside the VPC). @default - shared runners'),
          githubLabels: z
            .array(runnerLabel)
            .min(1, { error: 'must list at least one runner label; add the label of a runner that can reach the cluster API' })
            .optional()
            .describe('GitHub `runs-on` labels selecting runners that can reach the cluster API, e.g. `["self-hosted", "deploykit-prod"]`. @default - GitHub-hosted runners'),
          networks: z
            .array(cidr('a runner network'))
            .min(1, { error: 'must list at least one network; add the CIDR the runners connect from' })
            .optional()
            .describe(
              'Networks (IPv4 CIDRs) the runners connect from, e.g. their subnet inside the VPC (`10.30.200.0/24`) or a peered or VPN network; each gets an ingress rule for TCP 443 on the cluster security group. Required with a private endpoint; with a public endpoint, each must be inside the VPC or listed in `cluster.publicAccessCidrs`. Never `0.0.0.0/0`. @default - none (the cluster security group admits only the control plane and the nodes)',
            ),
        })
        .optional()
        .describe(
          'Runners for the jobs that talk to the Kubernetes API (cluster, deploy, verify). A private endpoint is reachable only from inside the VPC (or a peered network), so it needs runners there. @default - hosted runners (public endpoints only)',
        ),
    })
    .default({}),
  observability: observabilitySchema,
  tags: z
    .record(tagKey, tagValue)
    .default({})
    .describe('Extra AWS tags on every resource; keys 1–128 characters, not starting with "aws:". @default {}'),
  services: z
    .record(serviceNameSchema, serviceOverrideSchema)
    .default({})
    .describe('Services this environment runs: catalogue name → per-environment changes (`{}` for none).'),
  suppressions: z
    .array(
      z.strictObject({
        rule: pattern(RULE_ID_REGEX, 'a rule id', 'use an id like "DK-TF-001" from `deploykit check`'),
        target: z.string().min(1).describe('Resource address or `kind/namespace/name` the suppression applies to.'),
        reason: z.string().min(10, { error: 'must explain why (at least 10 characters); write the reason for reviewers' }),
      }),
    )
    .default([])
    .describe('Reviewed exceptions to `deploykit check` rules. @default []'),
});

/** The whole definition file: system, CI, service catalogue and environments. */
export const definitionsSchema = z.strictObject({
  $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
  system: z.strictObject({
    name: dnsLabel('system name').describe('Short name of the system; prefixes stacks, clusters and roles.'),
  }),
  ci: z
    .strictObject({
      gitlab: z
        .strictObject({
          project: pattern(GITLAB_PROJECT_REGEX, 'a GitLab project path', 'use "group/project" of letters, digits, "_", "." and "-"'),
          host: pattern(HOSTNAME_REGEX, 'a host name', 'use the GitLab host, e.g. "gitlab.com"').default('gitlab.com'),
        })
        .optional()
        .describe('GitLab project whose pipelines may assume the deploy roles.'),
      github: z
        .strictObject({
          repository: pattern(GITHUB_REPOSITORY_REGEX, 'a GitHub repository', 'use "owner/repo" of letters, digits, "_", "." and "-"'),
        })
        .optional()
        .describe('GitHub repository whose workflows may assume the deploy roles.'),
      defaultBranch: pattern(GIT_BRANCH_REGEX, 'a safe branch name', 'use letters, digits, ".", "_", "/" and "-" (no quotes, spaces, "$" or "*")')
        .default('main')
        .describe('The protected branch whose pushes deploy to non-production. @default "main"'),
    })
    .describe('CI systems allowed to deploy (OIDC, no static keys).'),
  services: z.record(serviceNameSchema, serviceSchema).default({}).describe('Service catalogue: name → complete definition.'),
  environments: z.array(environmentSchema).min(1, { error: 'must define at least one environment; add dev' }),
});

/** What a definitions file contains (the input of `defineEnvironments()`); see `deploykit schema`. */
export type DefinitionsInput = z.input<typeof definitionsSchema>;
export type ParsedDefinitions = z.output<typeof definitionsSchema>;
export type ParsedEnvironment = z.output<typeof environmentSchema>;
export type ParsedService = z.output<typeof serviceSchema>;
export type ParsedNodeGroup = z.output<typeof nodeGroupSchema>;
export type ParsedObservability = z.output<typeof observabilitySchema>;
/** A service catalogue entry as written. */
export type ServiceInput = z.input<typeof serviceSchema>;
/** A per-environment service override as written. */
export type ServiceOverrideInput = z.input<typeof serviceOverrideSchema>;
/** An environment as written. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
