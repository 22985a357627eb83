import { defineEnvironments, isMetricsPort, loadBalancerName } from '../../config';
import { configIssuesOf, exampleInput } from '../support/synth';

const envNamed = (input: any, name: string) => input.environments.find((e: { name: string }) => e.name === name);

describe('observability definitions', () => {
  test('default to Container Insights on, 90 days of logs, the amazon-cloudwatch namespace and alarms only in production', () => {
    const input = exampleInput();
    for (const env of input.environments) delete env.observability;
    const defs = defineEnvironments(input);
    for (const env of defs.environments) {
      expect(env.observability).toMatchObject({ containerInsights: true, logRetentionDays: 90, monitoringNamespace: 'amazon-cloudwatch' });
      expect(env.observability.alarms).toMatchObject({ enabled: env.tier === 'production', restartThreshold: 3, target5xxThreshold: 10 });
      expect(env.observability.alarms.actionsTopicArn).toBeUndefined();
    }
  });

  test('an explicit alarms.enabled wins over the tier', () => {
    const input = exampleInput();
    const dev = envNamed(input, 'dev');
    dev.observability = { alarms: { enabled: true } };
    expect(defineEnvironments(input).environments.find((e) => e.name === 'dev')!.observability.alarms.enabled).toBe(true);
  });

  test('fails on a retention CloudWatch Logs does not accept, naming the accepted ones', () => {
    const issues = configIssuesOf((input) => (envNamed(input, 'staging').observability = { logRetentionDays: 45 }));
    expect(issues).toEqual([
      {
        path: 'staging.observability',
        message:
          "'logRetentionDays' (45) is not a retention CloudWatch Logs accepts for container logs; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      },
    ]);
  });

  test('fails on an alarm topic that is not an SNS topic ARN', () => {
    const issues = configIssuesOf((input) => (envNamed(input, 'prod').observability = { alarms: { actionsTopicArn: 'arn:aws:sqs:ap-east-1:333333333333:q' } }));
    expect(issues).toEqual([
      {
        path: 'prod.observability.alarms',
        message: `'actionsTopicArn' ("arn:aws:sqs:ap-east-1:333333333333:q") is not an SNS topic ARN; use arn:aws:sns:<region>:<account>:<topic>`,
      },
    ]);
  });

  test('a port is a metrics port when flagged, or by default when named "metrics"', () => {
    expect(isMetricsPort({ name: 'metrics', containerPort: 9090 })).toBe(true);
    expect(isMetricsPort({ name: 'metrics', containerPort: 9090, metrics: false })).toBe(false);
    expect(isMetricsPort({ name: 'prom', containerPort: 9100, metrics: true })).toBe(true);
    expect(isMetricsPort({ name: 'admin', containerPort: 8081 })).toBe(false);
  });

  test('load balancer names fit the 32 characters ELB allows and stay unique', () => {
    const defs = defineEnvironments(exampleInput());
    const env = defs.environments[0];
    const long = { ...env.services[0], name: 'a-service-with-a-rather-long-name' };
    const longer = { ...env.services[0], name: 'a-service-with-a-rather-long-name-too' };
    const system = { name: 'internal' };
    expect(loadBalancerName(system, env, long).length).toBeLessThanOrEqual(32);
    expect(loadBalancerName(system, env, long)).not.toBe(loadBalancerName(system, env, longer));
    expect(loadBalancerName(system, env, long).startsWith('internal-')).toBe(false);
    expect(loadBalancerName(system, env, long).startsWith('alb-internal-')).toBe(true);
  });
});
