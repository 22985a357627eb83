/**
 * The extended stack: worker queues, the worker's least-privilege SQS grant, the SQS endpoint and
 * pinned addresses, and the real `terraform validate` against the hashicorp/aws provider.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from '../../infra/vendor/terraform';
import { stackName, type Definitions } from '../../config';
import { initPluginDirectory, runTerraform, terraformToolchain } from '../../test/support/terraform';
import { EnvironmentStack } from '../../infra/environment-stack';
import { RESOURCE_TYPE_ACTIONS, uncoveredResourceTypes } from '../../infra/bootstrap/apply-permissions';
import { companyApplyPermissions } from './apply-permissions';
import { CompanyStack } from './company-stack';
import { companyDefinitions, companyWorkers } from './company-definitions';
import { CONSUME_ACTIONS } from './worker-queue';
import type { WorkerCatalogue } from './workers';

type Resources = Record<string, Record<string, any>>;

function synthCompanyStack(envName: string, workers: WorkerCatalogue = companyWorkers, defs: Definitions = companyDefinitions()) {
  const environment = defs.environments.find((e) => e.name === envName);
  if (!environment) throw new Error(`no environment ${envName}`);
  const stack = new CompanyStack(Testing.app(), stackName(defs.system, environment), { definitions: defs, environment, workers });
  const json = JSON.parse(Testing.synth(stack, true));
  return { stack, json, resources: (type: string): Resources => json.resource[type] ?? {} };
}

/** The `[name, resource]` of the one resource of `type` whose logical id starts with `prefix`. */
function entry(resources: Resources, prefix: string): [string, Record<string, any>] {
  const found = Object.entries(resources).filter(([name]) => name.replace(/_[0-9A-F]{8}$/, '') === prefix);
  if (found.length !== 1) throw new Error(`expected one resource ${prefix}, found ${found.length}: ${Object.keys(resources).join(', ')}`);
  return found[0];
}

describe('CompanyStack', () => {
  const prod = synthCompanyStack('prod');

  test("the applyPermissions export covers exactly the resource types the company stack adds to deploykit's", () => {
    const defs = companyDefinitions();
    const environment = defs.environments.find((e) => e.name === 'prod')!;
    const plain = JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), stackName(defs.system, environment), { definitions: defs, environment }), true));
    const added = Object.keys(prod.json.resource).filter((type) => !(type in plain.resource));
    expect(added.sort()).toEqual(Object.keys(companyApplyPermissions).sort());
    expect(uncoveredResourceTypes(added, { ...RESOURCE_TYPE_ACTIONS, ...companyApplyPermissions })).toEqual([]);
  });
  const queues = prod.resources('aws_sqs_queue');
  const [queueId, queue] = entry(queues, 'QueueCompanyWorker');
  const [dlqId, dlq] = entry(queues, 'QueueCompanyWorker_DeadLetterQueue');

  test('creates the worker queue named by queueName(), encrypted, long-polling, with the chosen visibility timeout', () => {
    expect(queue).toMatchObject({
      name: 'company-prod-company-worker',
      sqs_managed_sse_enabled: true,
      visibility_timeout_seconds: 120,
      message_retention_seconds: 345600,
      receive_wait_time_seconds: 20,
      tags: { service: 'company-worker' },
    });
  });

  test('sends a message to the encrypted dead-letter queue after maxReceiveCount receives', () => {
    expect(dlq).toMatchObject({ name: 'company-prod-company-worker-dlq', sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    expect(JSON.parse(queue.redrive_policy)).toEqual({ deadLetterTargetArn: `\${aws_sqs_queue.${dlqId}.arn}`, maxReceiveCount: 5 });
  });

  test('lets only the worker queue redrive into the dead-letter queue', () => {
    const allow = Object.values(prod.resources('aws_sqs_queue_redrive_allow_policy'));
    expect(allow).toHaveLength(1);
    expect(allow[0].queue_url).toBe(`\${aws_sqs_queue.${dlqId}.url}`);
    expect(JSON.parse(allow[0].redrive_allow_policy)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [`\${aws_sqs_queue.${queueId}.arn}`] });
  });

  test("grants the worker's role exactly the four consume actions on that queue's ARN, and nothing on the dead-letter queue", () => {
    const [roleId, role] = entry(prod.resources('aws_iam_role'), 'WorkloadCompanyWorker');
    expect(role.name).toBe('company-prod-company-worker');
    const policies = Object.values(prod.resources('aws_iam_role_policy')).filter((p) => p.role === `\${aws_iam_role.${roleId}.id}`);
    expect(policies).toHaveLength(1);
    expect(JSON.parse(policies[0].policy).Statement).toEqual([
      { Sid: 'SqsConsumeCompanyProdCompanyWorker', Effect: 'Allow', Action: [...CONSUME_ACTIONS], Resource: `\${aws_sqs_queue.${queueId}.arn}` },
    ]);
    expect(CONSUME_ACTIONS).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
  });

  test('leaves the web services without any SQS permission', () => {
    const sqsPolicies = Object.values(prod.resources('aws_iam_role_policy')).filter((p) => p.policy.includes('sqs:'));
    expect(sqsPolicies).toHaveLength(1);
  });

  test('keeps what deploykit gives every service: an image repository and a Pod Identity association for the worker', () => {
    expect(entry(prod.resources('aws_ecr_repository'), 'RepositoryCompanyWorker')[1].name).toBe('company-worker');
    expect(entry(prod.resources('aws_eks_pod_identity_association'), 'WorkloadCompanyWorker_PodIdentityAssociation')[1]).toMatchObject({
      namespace: 'company-worker',
      service_account: 'company-worker',
    });
  });

  test('adds an SQS interface endpoint in the private subnets, reachable on HTTPS from the VPC only', () => {
    const endpoint = entry(prod.resources('aws_vpc_endpoint'), 'SqsEndpoint')[1];
    expect(endpoint).toMatchObject({ service_name: 'com.amazonaws.ap-east-1.sqs', vpc_endpoint_type: 'Interface', private_dns_enabled: true });
    expect(endpoint.subnet_ids).toHaveLength(3);
    const [groupId] = entry(prod.resources('aws_security_group'), 'SqsEndpoint_SecurityGroup');
    const toEndpoint = Object.values(prod.resources('aws_vpc_security_group_ingress_rule')).filter(
      (rule) => rule.security_group_id === `\${aws_security_group.${groupId}.id}`,
    );
    expect(toEndpoint).toEqual([
      expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: companyDefinitions().environments.find((e) => e.name === 'prod')!.network.vpcCidr, description: expect.any(String) }),
    ]);
  });

  test('outputs the queue URL of each worker', () => {
    expect(prod.json.output.queue_urls.value).toEqual({ 'company-worker': `\${aws_sqs_queue.${queueId}.url}` });
  });

  test('pins the Terraform addresses of the stateful queues (construct ids are a contract)', () => {
    expect(Object.keys(queues).sort()).toEqual(['QueueCompanyWorker_711A9789', 'QueueCompanyWorker_DeadLetterQueue_D79F2D10']);
  });

  test('adds no queue and no endpoint when the environment runs no worker', () => {
    const { json } = synthCompanyStack('prod', {}, companyDefinitions());
    expect(json.resource.aws_sqs_queue).toBeUndefined();
    expect(json.resource.aws_vpc_endpoint).toBeUndefined();
  });

  test('fails when a worker is not a service of the catalogue', () => {
    expect(() => synthCompanyStack('prod', { 'company-wroker': {} })).toThrow(
      "workers.company-wroker: is not a service of the catalogue (company-web, company-api, company-worker); add it to 'services' or fix the name",
    );
  });
});

const toolchain = terraformToolchain();
if (!toolchain.available) {
  test.skip(`terraform validate of the extended prod stack (skipped: ${toolchain.reason})`, () => undefined);
} else {
  const tc = toolchain;
  describe('terraform validate with the real AWS provider', () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

    test('the extended prod stack with its queues, grant and endpoint is valid', () => {
      const source = mkdtempSync(join(tmpdir(), 'deploykit-worker-'));
      dirs.push(source);
      const file = join(source, 'cdk.tf.json');
      writeFileSync(file, JSON.stringify(synthCompanyStack('prod').json));
      const dir = initPluginDirectory(tc, file);
      dirs.push(dir);
      expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
    }, 180_000);
  });
}
