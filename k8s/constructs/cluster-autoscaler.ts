/**
 * `ClusterAutoscaler`: the Kubernetes side of node autoscaling in compute mode "node-groups". The
 * autoscaler watches for pods that cannot be scheduled and raises the desired size of the managed
 * node groups' Auto Scaling groups (up to their `maxSize`), and drains and removes nodes that stay
 * underused. Its IAM role and the Pod Identity association binding it to
 * `kube-system/cluster-autoscaler` come from the environment's Terraform
 * (`clusterComponentRoleName(system, env, CLUSTER_AUTOSCALER)`).
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 * @see docs/kubernetes.md
 */
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IPV4_CIDR_REGEX } from '../../config/cidr';
import { CLUSTER_AUTOSCALER, CLUSTER_COMPONENT_LABEL, SERVICE_ACCOUNT_ROLE_ANNOTATION } from '../../config/naming';
import { CPU_QUANTITY_REGEX, MEMORY_QUANTITY_REGEX, cpuMillicores } from '../../config/quantity';
import { IAM_ROLE_ARN_REGEX, REGION_REGEX } from '../../config/schema';
import { propIssue, throwIfInvalidProps, type ValidationIssue } from '../../config/validation-error';
import { CLUSTER_AUTOSCALER_RELEASES, clusterAutoscalerImage } from '../cluster-autoscaler-versions';
import { baseEgressRules } from '../egress-rules';
import {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeDeployment,
  KubeNetworkPolicy,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  Quantity,
  typedApiObject,
  type PolicyRule,
} from '../kube-api';
import { podDisruptionBudget } from '../pod-disruption-budget';

/** Port of the autoscaler's HTTP server (`--address`): `/metrics` and `/health-check`. */
export const CLUSTER_AUTOSCALER_PORT = 8085;

/** Name of every object of the autoscaler (Deployment, ServiceAccount, RBAC, PDB). */
export const CLUSTER_AUTOSCALER_NAME = CLUSTER_AUTOSCALER.serviceAccount;

/** Where the Kubernetes client inside a pod reads its ServiceAccount token, CA and namespace. */
const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** CPU and memory of the autoscaler container. */
export interface ClusterAutoscalerResources {
  /** CPU request, e.g. `100m`. */
  readonly cpuRequest: string;
  /** CPU limit. */
  readonly cpuLimit: string;
  /** Memory request and limit (equal, so the pod is never the first evicted under memory pressure). */
  readonly memory: string;
}

/** The autoscaler's default CPU and memory (upstream's requests; the CPU limit leaves room for bursts in large clusters). */
export const CLUSTER_AUTOSCALER_RESOURCES: ClusterAutoscalerResources = { cpuRequest: '100m', cpuLimit: '500m', memory: '600Mi' };

/** Props of {@link ClusterAutoscaler}: plain values, no environment definitions needed. */
export interface ClusterAutoscalerProps {
  /**
   * Name of the EKS cluster whose managed node groups the autoscaler scales (it finds their Auto
   * Scaling groups by the tags EKS puts on them). The cluster must run managed node groups, not EKS Auto Mode.
   */
  readonly clusterName: string;
  /** AWS region of the cluster (`AWS_REGION` of the autoscaler). */
  readonly region: string;
  /** CIDR of the cluster's VPC: kubelet probes and metrics scrapers reach the autoscaler from it. */
  readonly vpcCidr: string;
  /**
   * IAM role the autoscaler's ServiceAccount (`kube-system/cluster-autoscaler`) is bound to through an
   * EKS Pod Identity association (made outside Kubernetes, e.g. in Terraform); written as the
   * `deploykit.io/iam-role-arn` annotation.
   * @default - no annotation
   */
  readonly roleArn?: string;
  /**
   * The cluster's Kubernetes minor version (e.g. `1.35`): picks the image of the same minor from
   * CLUSTER_AUTOSCALER_RELEASES. Required unless `image` is set.
   * @default - none
   */
  readonly kubernetesVersion?: string;
  /**
   * Labels of every object (the environment labels the pipeline selects by); the component labels
   * are added to them.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Image to run. Its minor version must equal the cluster's.
   * @default - the release of `kubernetesVersion` in CLUSTER_AUTOSCALER_RELEASES
   */
  readonly image?: string;
  /**
   * CPU and memory. Memory grows with the number of nodes and pods (upstream: 600Mi serves a few
   * hundred nodes).
   * @default CLUSTER_AUTOSCALER_RESOURCES ({ cpuRequest: '100m', cpuLimit: '500m', memory: '600Mi' })
   */
  readonly resources?: ClusterAutoscalerResources;
}

/**
 * What the autoscaler reads and writes cluster-wide, from upstream's
 * `cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml`, reduced:
 * - no `extensions` group (gone since Kubernetes 1.16) and no `endpoints` (only the old
 *   endpoints-based leader election used them; leases are the default);
 * - no `pods/status` update and no `jobs` patch (the AWS provider's scale-up and scale-down never
 *   write them; Jobs are only read as pod owners);
 * - leases and the status ConfigMap are namespaced, so they are in the kube-system Role.
 */
const CLUSTER_RULES: PolicyRule[] = [
  // Events about scale-ups and scale-downs on pods and nodes.
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  // Scale-down: evict the pods of a node, respecting PodDisruptionBudgets.
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  // Scale-down: taint nodes ToBeDeletedByClusterAutoscaler before draining them.
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'update'] },
  // The scheduler simulation: where pods fit, which pods a drain would move and who owns them.
  {
    apiGroups: [''],
    resources: ['namespaces', 'pods', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['apps'], resources: ['statefulsets', 'replicasets', 'daemonsets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['list', 'watch'] },
  {
    apiGroups: ['storage.k8s.io'],
    resources: ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities', 'volumeattachments'],
    verbs: ['get', 'list', 'watch'],
  },
  // Dynamic Resource Allocation objects (the scheduler framework of 1.32+ reads them).
  { apiGroups: ['resource.k8s.io'], resources: ['deviceclasses', 'resourceslices', 'resourceclaims'], verbs: ['get', 'list', 'watch'] },
];

/** What the autoscaler writes in its own namespace: its leader-election lease and its status ConfigMap. */
const NAMESPACE_RULES: PolicyRule[] = [
  // `create` cannot be limited to a name (the object does not exist yet).
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [CLUSTER_AUTOSCALER_NAME], verbs: ['get', 'update'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
  { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-autoscaler-status'], verbs: ['get', 'update', 'delete'] },
];

/**
 * The autoscaler's command-line flags for a cluster.
 * - `--cloud-provider=aws`: scale EC2 Auto Scaling groups (the managed node groups' ASGs).
 * - `--node-group-auto-discovery=asg:tag=…`: find the ASGs by the tags EKS puts on every managed node
 *   group's ASG (`k8s.io/cluster-autoscaler/enabled`, `k8s.io/cluster-autoscaler/<cluster>`), so new
 *   node groups need no flag change and another cluster's groups in the account are never touched.
 * - `--balance-similar-node-groups`: keep groups with the same instance shape (e.g. one per zone) at
 *   similar sizes, so zone spread survives scale-ups.
 * - `--skip-nodes-with-system-pods=false`: a node running only kube-system pods (CoreDNS replicas,
 *   this autoscaler) may still be removed; their PodDisruptionBudgets keep them safe. The
 *   autoscaler's own pod is protected by its `safe-to-evict: "false"` annotation.
 * - `--skip-nodes-with-local-storage=false`: the services mount an emptyDir at /tmp (read-only root
 *   file system); with the default `true` no node running a service could ever be removed.
 * - `--expander=least-waste`: among groups that could take the pending pods, choose the one that
 *   leaves the least idle CPU and memory.
 * - `--address=:8085`: metrics and the health check the probes call.
 */
export function clusterAutoscalerArgs(cluster: string): string[] {
  return [
    '--cloud-provider=aws',
    `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${cluster}`,
    '--balance-similar-node-groups',
    '--skip-nodes-with-system-pods=false',
    '--skip-nodes-with-local-storage=false',
    '--expander=least-waste',
    `--address=:${CLUSTER_AUTOSCALER_PORT}`,
    '--v=2',
  ];
}

/**
 * The Cluster Autoscaler in `kube-system`: ServiceAccount (annotated with its IAM role), ClusterRole
 * and Role with their bindings, Deployment, PodDisruptionBudget and a NetworkPolicy selecting only its
 * own pods. All of it belongs to the cluster output (kube-system is a system namespace).
 *
 * Credentials: EKS Pod Identity gives the pod AWS credentials for its IAM role (the agent at
 * 169.254.170.23); the Kubernetes API is reached with the ServiceAccount's token, which the pod mounts
 * explicitly as a projected, expiring token (the ServiceAccount itself does not automount it into
 * other pods).
 */
export class ClusterAutoscaler extends Construct {
  /** The ServiceAccount the Pod Identity association names. */
  readonly serviceAccount: ApiObject;
  /** Cluster-wide read access and node/eviction writes. */
  readonly clusterRole: ApiObject;
  /** Binds {@link clusterRole} to the ServiceAccount. */
  readonly clusterRoleBinding: ApiObject;
  /** Lease and status ConfigMap access in kube-system. */
  readonly role: ApiObject;
  /** Binds {@link role} to the ServiceAccount. */
  readonly roleBinding: ApiObject;
  /** The Deployment (one replica, leader-elected). */
  readonly deployment: ApiObject;
  /** Lets a node drain evict the autoscaler (it restarts elsewhere). */
  readonly podDisruptionBudget: ApiObject;
  /** Limits the autoscaler pods' traffic: health and metrics port in, DNS, credentials and HTTPS out. */
  readonly networkPolicy: ApiObject;
  /** The image the Deployment runs. */
  readonly image: string;
  /** The autoscaler's flags. */
  readonly args: readonly string[];

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    throwIfInvalidProps(this, clusterAutoscalerPropIssues(this, props));
    const namespace = CLUSTER_AUTOSCALER.namespace;
    const name = CLUSTER_AUTOSCALER_NAME;
    const selector = { 'app.kubernetes.io/name': name };
    const labels = { ...props.labels, ...selector, [CLUSTER_COMPONENT_LABEL]: CLUSTER_AUTOSCALER.serviceAccount };
    const resources = props.resources ?? CLUSTER_AUTOSCALER_RESOURCES;
    this.image = props.image ?? clusterAutoscalerImage(props.kubernetesVersion!);
    this.args = clusterAutoscalerArgs(props.clusterName);
    const subject = { kind: 'ServiceAccount', name: CLUSTER_AUTOSCALER.serviceAccount, namespace };

    this.serviceAccount = typedApiObject(this, 'ServiceAccount', KubeServiceAccount, {
      metadata: {
        name: CLUSTER_AUTOSCALER.serviceAccount,
        namespace,
        labels,
        annotations: props.roleArn === undefined ? undefined : { [SERVICE_ACCOUNT_ROLE_ANNOTATION]: props.roleArn },
      },
      automountServiceAccountToken: false,
    });
    this.clusterRole = typedApiObject(this, 'ClusterRole', KubeClusterRole, { metadata: { name, labels }, rules: CLUSTER_RULES });
    this.clusterRoleBinding = typedApiObject(this, 'ClusterRoleBinding', KubeClusterRoleBinding, {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [subject],
    });
    this.role = typedApiObject(this, 'Role', KubeRole, { metadata: { name, namespace, labels }, rules: NAMESPACE_RULES });
    this.roleBinding = typedApiObject(this, 'RoleBinding', KubeRoleBinding, {
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [subject],
    });

    const portName = 'http-metrics';
    this.deployment = typedApiObject(this, 'Deployment', KubeDeployment, {
      metadata: { name, namespace, labels },
      spec: {
        // One active instance at a time (leader election); a second replica would only wait.
        replicas: 1,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: IntOrString.fromNumber(1), maxUnavailable: IntOrString.fromNumber(0) } },
        revisionHistoryLimit: 3,
        template: {
          metadata: {
            labels,
            // The autoscaler never removes the node it runs on.
            annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
          },
          spec: {
            serviceAccountName: CLUSTER_AUTOSCALER.serviceAccount,
            automountServiceAccountToken: false,
            priorityClassName: 'system-cluster-critical',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              runAsGroup: 65534,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name,
                image: this.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['./cluster-autoscaler'],
                args: [...this.args],
                env: [{ name: 'AWS_REGION', value: props.region }],
                ports: [{ name: portName, containerPort: CLUSTER_AUTOSCALER_PORT, protocol: 'TCP' }],
                resources: {
                  requests: { cpu: Quantity.fromString(resources.cpuRequest), memory: Quantity.fromString(resources.memory) },
                  limits: { cpu: Quantity.fromString(resources.cpuLimit), memory: Quantity.fromString(resources.memory) },
                },
                // /health-check fails when the autoscaling loop has not run for too long.
                livenessProbe: {
                  httpGet: { path: '/health-check', port: IntOrString.fromString(portName) },
                  initialDelaySeconds: 30,
                  periodSeconds: 30,
                  timeoutSeconds: 5,
                  failureThreshold: 3,
                },
                readinessProbe: { tcpSocket: { port: IntOrString.fromString(portName) }, periodSeconds: 10, timeoutSeconds: 2 },
                securityContext: {
                  runAsNonRoot: true,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'kube-api-access', mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true }],
              },
            ],
            // The token for the Kubernetes API, mounted where the in-cluster client looks for it;
            // rotated by the kubelet (client-go rereads it). The image (distroless) carries its own CA
            // certificates for the AWS APIs, so no hostPath mount of the node's bundle is needed.
            volumes: [
              {
                name: 'kube-api-access',
                projected: {
                  defaultMode: 0o444,
                  sources: [
                    { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
                    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                    { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
                  ],
                },
              },
            ],
          },
        },
      },
    });

    this.podDisruptionBudget = podDisruptionBudget(this, { name, namespaceName: namespace, labels, selectorLabels: selector });

    // Selects only the autoscaler's pods: kube-system keeps no default-deny policy, which would cut
    // off CoreDNS and the other system pods.
    this.networkPolicy = typedApiObject(this, 'NetworkPolicy', KubeNetworkPolicy, {
      metadata: { name, namespace, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        // Kubelet probes and metrics scrapers come from inside the VPC.
        ingress: [
          {
            from: [{ ipBlock: { cidr: props.vpcCidr } }],
            ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(CLUSTER_AUTOSCALER_PORT) }],
          },
        ],
        // DNS and the Pod Identity agent, then HTTPS: the cluster API endpoint and the regional EC2,
        // Auto Scaling, EKS and STS endpoints (public or VPC endpoints, so no narrower CIDR holds).
        egress: [...baseEgressRules(), { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(443) }] }],
      },
    });
  }
}

/** An EKS cluster name. */
const CLUSTER_NAME_REGEX = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** Every problem of a {@link ClusterAutoscaler}'s props. */
function clusterAutoscalerPropIssues(construct: Construct, props: ClusterAutoscalerProps): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const check = (field: string, value: unknown, ok: boolean, rule: string, fix: string) => {
    if (!ok) issues.push(propIssue(construct, { field, value, rule, fix }));
  };
  const matches = (value: unknown, regex: RegExp) => typeof value === 'string' && regex.test(value);
  check('clusterName', props.clusterName, matches(props.clusterName, CLUSTER_NAME_REGEX), 'is not an EKS cluster name', 'use 1–100 letters, digits, "-" and "_", starting with a letter or digit');
  check('region', props.region, matches(props.region, REGION_REGEX), 'is not an AWS region name', 'use a region such as "eu-west-1"');
  check('vpcCidr', props.vpcCidr, matches(props.vpcCidr, IPV4_CIDR_REGEX), 'is not an IPv4 CIDR', 'write the VPC CIDR as a.b.c.d/n');
  if (props.roleArn !== undefined) check('roleArn', props.roleArn, matches(props.roleArn, IAM_ROLE_ARN_REGEX), 'is not an IAM role ARN', 'use arn:aws:iam::<account>:role/<name>');
  if (props.image !== undefined) {
    check('image', props.image, typeof props.image === 'string' && props.image !== '' && !/\s/.test(props.image), 'is not an image reference', 'use <repository>:<tag>');
  } else if (props.kubernetesVersion === undefined) {
    check('kubernetesVersion', undefined, false, "is not set and neither is 'image'", "set the cluster's Kubernetes minor version (e.g. \"1.35\") or the image to run");
  } else {
    check(
      'kubernetesVersion',
      props.kubernetesVersion,
      Object.prototype.hasOwnProperty.call(CLUSTER_AUTOSCALER_RELEASES, props.kubernetesVersion),
      `has no Cluster Autoscaler release in CLUSTER_AUTOSCALER_RELEASES (${Object.keys(CLUSTER_AUTOSCALER_RELEASES).join(', ')})`,
      'use a supported minor version or set image',
    );
  }
  const resources = props.resources;
  if (resources) {
    const cpu = (field: 'cpuRequest' | 'cpuLimit') =>
      matches(resources[field], CPU_QUANTITY_REGEX) || (check(`resources.${field}`, resources[field], false, 'is not a Kubernetes CPU quantity', 'use millicores like "100m" or cores like "0.5"'), false);
    const request = cpu('cpuRequest');
    const limit = cpu('cpuLimit');
    if (request && limit) {
      check('resources.cpuRequest', resources.cpuRequest, cpuMillicores(resources.cpuRequest) <= cpuMillicores(resources.cpuLimit), `must be <= 'resources.cpuLimit' (${JSON.stringify(resources.cpuLimit)})`, 'raise cpuLimit or lower cpuRequest');
    }
    check('resources.memory', resources.memory, matches(resources.memory, MEMORY_QUANTITY_REGEX), 'is not a Kubernetes memory quantity', 'use a number with a binary suffix like "600Mi"');
  }
  return issues;
}
