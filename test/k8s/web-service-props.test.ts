/** webServiceProps(): the adapter from a service definition to WebService's flat props. */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { environmentLabels, loadBalancerName, namespaceName, workloadRoleArn, type Definitions } from '../../config';
import { EnvironmentChart, WebService, webServiceProps } from '../../k8s';
import { envInputOf, useAutoMode, useNodeGroups } from '../support/synth';
import { definitionsWith, environmentOf, serviceOf } from './helpers';

const CERTIFICATE_ARN = (account: string) => `arn:aws:acm:ap-east-1:${account}:certificate/00000000-0000-4000-8000-000000000000`;

/**
 * A fixture touching every mapped field: dev on node groups, staging and prod on Auto Mode with
 * alarms in prod; a service with an internal and one with an internet-facing Ingress, AWS and
 * Kubernetes secrets, init containers, metrics and other ports, probes without a startup probe, an
 * exec preStop and a shared namespace.
 */
function fixture(input: any): void {
  useNodeGroups(envInputOf(input, 'dev'));
  for (const name of ['staging', 'prod']) useAutoMode(envInputOf(input, name));
  for (const env of input.environments) {
    env.observability = { ...env.observability, alarms: { ...(env.observability?.alarms ?? {}), enabled: env.name === 'prod' } };
    env.services = {
      ...env.services,
      'company-web': {
        ...env.services?.['company-web'],
        ingress: { host: 'www.example.com', scheme: 'internet-facing', certificateArn: CERTIFICATE_ARN(env.account) },
        initContainers: [{ name: 'migrate', command: ['/app/migrate'], env: { STEP: '1' } }],
        additionalPorts: [
          { name: 'metrics', containerPort: 9090 },
          { name: 'grpc', containerPort: 9000 },
        ],
        preStopHandler: 'exec',
      },
      'company-api': {
        ...env.services?.['company-api'],
        ingress: { host: 'api.internal.example.com', healthCheckPath: '/hc' },
        secretEnv: {
          DB_PASSWORD: { secretsManager: { arn: `arn:aws:secretsmanager:ap-east-1:${env.account}:secret:api/db-Q1w2E3`, key: 'password' } },
          TOKEN: { ssmParameter: { name: '/api/token' } },
          LEGACY: { secretName: 'legacy', key: 'token' },
        },
        namespace: 'company',
      },
    };
  }
  input.services['company-web'].namespace = 'company';
  input.services['company-web'].health = { readinessPath: '/ready', livenessPath: '/live', startupProbe: false };
}

/** The synthesized JSON of every Kubernetes object below `scope`. */
function objectsOf(scope: IConstruct): any[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
}

const defs: Definitions = definitionsWith(fixture);

describe.each(['dev', 'staging', 'prod'])('webServiceProps in %s', (envName) => {
  const environment = environmentOf(defs, envName);

  test("reproduces every object of the environment chart's services with a bare chart and flat props", () => {
    const chart = new EnvironmentChart(Testing.app(), `${defs.system.name}-${envName}`, { definitions: defs, environment, imageTag: 'abc1234' });
    const bare = new Chart(new App(), 'bare', { disableResourceNameHashes: true });
    const namespaces = new Set<string>();
    for (const service of environment.services) {
      const props = webServiceProps({ system: defs.system, environment, service, imageTag: 'abc1234', createNamespace: !namespaces.has(namespaceName(service)) });
      namespaces.add(namespaceName(service));
      const web = new WebService(bare, service.name, props);
      expect(objectsOf(web).length).toBeGreaterThan(5);
      expect(objectsOf(web)).toEqual(objectsOf(chart.services[service.name]));
    }
    expect(namespaces.size).toBe(1);
  });

  test('maps names, image, labels, role, region and ingress from the definitions and the compute mode', () => {
    const web = serviceOf(defs, envName, 'company-web');
    const props = webServiceProps({ system: defs.system, environment, service: web, imageDigest: `sha256:${'a'.repeat(64)}` });
    expect(props).toMatchObject({
      name: 'company-web',
      namespace: 'company',
      image: `${environment.account}.dkr.ecr.${environment.region}.amazonaws.com/company-web:${web.image.tag}@sha256:${'a'.repeat(64)}`,
      workloadRoleArn: workloadRoleArn(defs.system, environment, web),
      labels: environmentLabels(defs.system, environment),
      instance: `company-web-${envName}`,
      awsRegion: environment.region,
      monitoringNamespace: environment.observability.monitoringNamespace,
      health: { readinessPath: '/ready', livenessPath: '/live', startupProbe: false },
      preStopHandler: 'exec',
    });
    const autoMode = environment.cluster.compute === 'auto-mode';
    expect(props.ingress).toEqual({
      host: 'www.example.com',
      vpcCidr: environment.network.vpcCidr,
      scheme: 'internet-facing',
      certificateArn: CERTIFICATE_ARN(environment.account),
      healthCheckPath: undefined,
      ingressClassName: autoMode ? 'alb-internet-facing' : 'alb',
      schemeFromIngressClass: autoMode,
      loadBalancerName: environment.observability.alarms.enabled ? loadBalancerName(defs.system, environment, web) : undefined,
    });
  });

  test('maps secretEnv to Kubernetes and AWS sources, SSM names resolved to ARNs in the environment', () => {
    const api = serviceOf(defs, envName, 'company-api');
    expect(webServiceProps({ system: defs.system, environment, service: api }).secretEnv).toEqual({
      DB_PASSWORD: { awsSecret: { kind: 'secretsmanager', arn: `arn:aws:secretsmanager:ap-east-1:${environment.account}:secret:api/db-Q1w2E3`, jsonKey: 'password' } },
      TOKEN: { awsSecret: { kind: 'ssmparameter', arn: `arn:aws:ssm:${environment.region}:${environment.account}:parameter/api/token` } },
      LEGACY: { kubernetesSecret: { name: 'legacy', key: 'token' } },
    });
  });
});

test('refuses an image tag the environment does not allow, at the definition path', () => {
  const environment = environmentOf(defs, 'prod');
  const service = serviceOf(defs, 'prod', 'company-web');
  expect(() => webServiceProps({ system: defs.system, environment, service, imageTag: 'latest' })).toThrow(
    `prod.services.company-web.image: 'tag' ("latest") is refused in a production environment; pin a release tag or pass --image-tag <commit-sha>`,
  );
});
