/**
 * `AutoModeIngressClass`: an IngressClass served by EKS Auto Mode's built-in Application Load
 * Balancer controller, with the `IngressClassParams` fixing the load balancer's scheme.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html
 * @see docs/kubernetes.md
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AUTO_MODE_ALB_CONTROLLER, AUTO_MODE_INGRESS_CLASS_PARAMS_API_VERSION, type AlbScheme } from '../ingress-class';
import { KubeIngressClass, typedApiObject } from '../kube-api';

/** Props of {@link AutoModeIngressClass}. */
export interface AutoModeIngressClassProps {
  /** Name of the IngressClass and of its IngressClassParams (e.g. `alb-internet-facing`). */
  readonly ingressClassName: string;
  /** Scheme of every load balancer the class creates. */
  readonly scheme: AlbScheme;
  /**
   * Labels of both objects.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A cluster-scoped IngressClass (`spec.controller: eks.amazonaws.com/alb`) and its cluster-scoped
 * IngressClassParams (`eks.amazonaws.com/v1`) setting `scheme`. Auto Mode ignores annotations on the
 * IngressClass and the `group.name` annotation on Ingresses, so class-wide settings live in the params;
 * per-service settings (certificate, health check path, target type) stay Ingress annotations.
 */
export class AutoModeIngressClass extends Construct {
  /** The IngressClass. */
  readonly ingressClass: ApiObject;
  /** Its IngressClassParams. */
  readonly ingressClassParams: ApiObject;

  constructor(scope: Construct, id: string, props: AutoModeIngressClassProps) {
    super(scope, id);
    const labels = props.labels === undefined ? undefined : { ...props.labels };
    const [group, version] = AUTO_MODE_INGRESS_CLASS_PARAMS_API_VERSION.split('/');
    this.ingressClassParams = new ApiObject(this, 'Params', {
      apiVersion: `${group}/${version}`,
      kind: 'IngressClassParams',
      metadata: { name: props.ingressClassName, labels },
      spec: { scheme: props.scheme },
    });
    this.ingressClass = typedApiObject(this, 'Resource', KubeIngressClass, {
      metadata: { name: props.ingressClassName, labels },
      spec: {
        controller: AUTO_MODE_ALB_CONTROLLER,
        parameters: { apiGroup: group, kind: 'IngressClassParams', name: props.ingressClassName, scope: 'Cluster' },
      },
    });
  }
}
