import { defineEnvironments, loadBalancerName, namespaceName, type Definitions } from '../../config';
import { EksCluster } from '../../infra/constructs/eks-cluster';
import { ServiceAlarms, target5xxQuery } from '../../infra/constructs/service-alarms';
import { exampleInput } from '../support/synth';
import { resourcesOf, synthScope } from '../../testing';
import { synthEnvironment } from './tf-json';
import { validationErrorOf } from '../support/validation';

const TOPIC = 'arn:aws:sns:eu-west-1:444455556666:platform-alarms';

/** One production environment built here with two services: one autoscaled behind an ALB, one with fixed replicas. */
function fixture(alarms: Record<string, unknown> = {}): Definitions {
  const input = exampleInput();
  input.system = { name: 'shop' };
  const env = input.environments.find((e: { name: string }) => e.name === 'prod');
  env.cluster.name = 'shop-eks';
  env.observability = { alarms };
  input.services = {
    storefront: {
      image: { tag: '1.0.0' },
      namespace: 'front',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      autoscaling: { minReplicas: 3, maxReplicas: 7 },
      ingress: { host: 'shop.example.org', scheme: 'internal' },
    },
    billing: {
      image: { tag: '1.0.0' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      replicas: 2,
    },
  };
  env.services = { storefront: {}, billing: {} };
  input.environments = [env];
  return defineEnvironments(input);
}

function alarmsByName(defs: Definitions): Record<string, Record<string, any>> {
  const { json } = synthEnvironment(defs, defs.environments[0]);
  return Object.fromEntries(Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).map((a) => [a.alarm_name, a]));
}

describe('ServiceAlarms in an environment stack', () => {
  const defs = fixture({ actionsTopicArn: TOPIC, restartThreshold: 5, target5xxThreshold: 25 });
  const env = defs.environments[0];
  const alarms = alarmsByName(defs);
  const service = (name: string) => env.services.find((s) => s.name === name)!;

  test('creates the alarms by default in production: restarts for every service, HPA and 5xx where they apply', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      'shop-prod-billing-container-restarts',
      'shop-prod-storefront-at-max-replicas',
      'shop-prod-storefront-container-restarts',
      'shop-prod-storefront-target-5xx',
    ]);
  });

  test('alarms on Container Insights restarts of the service workload in its namespace on this cluster', () => {
    const restarts = alarms['shop-prod-storefront-container-restarts'];
    expect(restarts).toMatchObject({
      namespace: 'ContainerInsights',
      metric_name: 'pod_number_of_container_restarts',
      dimensions: { ClusterName: 'shop-eks', Namespace: namespaceName(service('storefront')), PodName: 'storefront' },
      statistic: 'Maximum',
      threshold: 5,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
    });
    expect(restarts.dimensions.Namespace).toBe('front');
    expect(alarms['shop-prod-billing-container-restarts'].dimensions).toEqual({ ClusterName: 'shop-eks', Namespace: 'billing', PodName: 'billing' });
  });

  test('alarms when the Deployment asks for the HPA maxReplicas for three periods', () => {
    const atMax = alarms['shop-prod-storefront-at-max-replicas'];
    expect(atMax).toMatchObject({
      namespace: 'ContainerInsights',
      metric_name: 'replicas_desired',
      dimensions: { ClusterName: 'shop-eks', Namespace: 'front', PodName: 'storefront' },
      statistic: 'Minimum',
      period: 300,
      evaluation_periods: 3,
      threshold: service('storefront').autoscaling!.maxReplicas,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
    });
    expect(atMax.threshold).toBe(7);
  });

  test('alarms on target 5xx of the ALB the Ingress names, through a Metrics Insights query', () => {
    const fiveXx = alarms['shop-prod-storefront-target-5xx'];
    const name = loadBalancerName(defs.system, env, service('storefront'));
    expect(fiveXx.metric_query).toEqual([
      expect.objectContaining({ id: 'target5xx', expression: target5xxQuery(name), period: 300, return_data: true }),
    ]);
    expect(fiveXx.metric_query[0].expression).toBe(
      `SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE LoadBalancer LIKE 'app/shop-prod-storefront/%'`,
    );
    expect(fiveXx).toMatchObject({ threshold: 25, comparison_operator: 'GreaterThanOrEqualToThreshold' });
    expect(fiveXx.metric_name).toBeUndefined();
  });

  test('notifies the SNS topic on ALARM and OK', () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([TOPIC]);
      expect(alarm.ok_actions).toEqual([TOPIC]);
    }
  });

  test('creates alarms without actions when no topic is set', () => {
    for (const alarm of Object.values(alarmsByName(fixture()))) expect(alarm.alarm_actions).toEqual([]);
  });

  test('creates no alarms when alarms.enabled is false', () => {
    expect(alarmsByName(fixture({ enabled: false }))).toEqual({});
  });
});

describe('ServiceAlarms props', () => {
  test('fails when the load balancer name is not an ELB name', () => {
    expect(() =>
      synthScope(
        (scope) =>
          new ServiceAlarms(scope, 'Alarms', {
            alarmNamePrefix: 'x',
            cluster: EksCluster.fromClusterAttributes(scope, 'Cluster', { clusterName: 'c', account: '111111111111', region: 'eu-west-1' }),
            namespace: 'n',
            workloadName: 'w',
            restartThreshold: 3,
            loadBalancerName: 'internal-web',
          }),
      ),
    ).toThrow(
      `stack/Alarms: 'loadBalancerName' ("internal-web") is not an ELB name; use at most 32 letters, digits and '-', not starting or ending with '-' nor starting with "internal-"`,
    );
  });

  test('reports a bad load balancer name and a bad maxReplicas in one ValidationError', () => {
    const error = validationErrorOf(() =>
      synthScope(
        (scope) =>
          new ServiceAlarms(scope, 'Alarms', {
            alarmNamePrefix: 'x',
            cluster: EksCluster.fromClusterAttributes(scope, 'Cluster', { clusterName: 'c', account: '111111111111', region: 'eu-west-1' }),
            namespace: 'n',
            workloadName: 'w',
            restartThreshold: 3,
            maxReplicas: 0,
            loadBalancerName: '-web',
          }),
      ),
    );
    expect(error.issues.map((i) => [i.path, i.field, i.value, i.fix])).toEqual([
      ['stack/Alarms', 'loadBalancerName', '-web', `use at most 32 letters, digits and '-', not starting or ending with '-' nor starting with "internal-"`],
      ['stack/Alarms', 'maxReplicas', 0, "pass the HPA's maxReplicas"],
    ]);
  });
});
