/**
 * How a team extends deploykit's Terraform without touching it: a subclass of `EnvironmentStack`
 * that adds a queue per worker, grants the worker's existing `WorkloadIdentity` exactly the right
 * to consume it, and adds the SQS endpoint the workers reach it through.
 */
import { TerraformOutput } from '../../infra/vendor/terraform';
import type { Construct } from 'constructs';
import { stackName } from '../../config';
import { EnvironmentStack, sidFrom, type EnvironmentStackProps } from '../../infra';
import { deadLetterQueueName, queueName } from './naming';
import { SqsEndpoint } from './sqs-endpoint';
import { WorkerQueue } from './worker-queue';
import { checkWorkerCatalogue, workersOf, type WorkerCatalogue } from './workers';

/** Props of {@link CompanyStack}. */
export interface CompanyStackProps extends EnvironmentStackProps {
  /** Which catalogue services are workers, with their queue settings. */
  readonly workers: WorkerCatalogue;
}

/** deploykit's environment stack plus the company's worker queues. */
export class CompanyStack extends EnvironmentStack {
  /** Worker queues by service name. */
  public readonly queues: ReadonlyMap<string, WorkerQueue>;
  /** The SQS interface endpoint; undefined when the environment runs no worker. */
  public readonly sqsEndpoint: SqsEndpoint | undefined;

  constructor(scope: Construct, id: string, props: CompanyStackProps) {
    super(scope, id, props);
    checkWorkerCatalogue(props.definitions, props.workers);
    const { system } = props.definitions;
    const env = props.environment;

    const queues = new Map<string, WorkerQueue>();
    for (const worker of workersOf(env, props.workers)) {
      // Construct ids are a contract: `Queue<Worker>` fixes the queues' Terraform addresses.
      const queue = new WorkerQueue(this, `Queue${sidFrom(worker.name)}`, {
        ...props.workers[worker.name],
        queueName: queueName(system, env, worker),
        deadLetterQueueName: deadLetterQueueName(system, env, worker),
        tags: { service: worker.name },
      });
      const identity = this.workloadIdentities.get(worker.name);
      if (!identity) throw new Error(`${this.node.path}: no workload identity for worker ${JSON.stringify(worker.name)}`);
      queue.grantConsume(identity);
      queues.set(worker.name, queue);
    }
    this.queues = queues;

    this.sqsEndpoint =
      queues.size > 0
        ? new SqsEndpoint(this, 'SqsEndpoint', {
            name: stackName(system, env),
            region: env.region,
            vpcId: this.network.vpcId,
            vpcCidr: env.network.vpcCidr,
            subnetIds: this.network.privateSubnets.subnetIds,
          })
        : undefined;

    new TerraformOutput(this, 'queue_urls', {
      value: Object.fromEntries([...queues].map(([worker, queue]) => [worker, queue.queueUrl])),
      description: 'SQS queue URL by worker',
    });
  }
}
