/**
 * `WorkerQueue`: the SQS queue a worker consumes, encrypted at rest, with a dead-letter queue that
 * catches messages the worker failed to process `maxReceiveCount` times.
 */
import { SqsQueue, SqsQueueRedriveAllowPolicy } from '../../infra/vendor/terraform';
import { Construct } from 'constructs';
import { sidFrom, type IPolicyHolder, type PolicyStatement } from '../../infra';

/** The longest time SQS keeps a message: 14 days, the dead-letter queue's retention. */
export const MAX_RETENTION_SECONDS = 1_209_600;

/** What a worker may do with its queue: receive, delete, extend the visibility, read attributes. */
export const CONSUME_ACTIONS = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
] as const;

/** Settings of a worker's queue that a team chooses per worker. */
export interface WorkerQueueOptions {
  /**
   * Seconds a received message stays hidden from other consumers (0–43200); set it above the
   * longest processing time, or a slow message is processed twice.
   * @default 60
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Receives after which a message moves to the dead-letter queue (1–1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Seconds the queue keeps an unprocessed message (60 up to, not including, 1209600, the
   * dead-letter queue's retention: SQS keeps a message's original enqueue time when it moves).
   * @default 345600 (4 days)
   */
  readonly messageRetentionSeconds?: number;
}

/** Props of {@link WorkerQueue}. */
export interface WorkerQueueProps extends WorkerQueueOptions {
  /** Queue name, from `queueName(system, env, service)`. */
  readonly queueName: string;
  /** Dead-letter queue name, from `deadLetterQueueName(system, env, service)`. */
  readonly deadLetterQueueName: string;
  /**
   * Tags on both queues (the provider's default tags are added).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An SQS queue with SQS-managed encryption and a dead-letter queue. */
export class WorkerQueue extends Construct {
  /** The underlying `aws_sqs_queue` the worker reads (escape hatch). */
  public readonly resource: SqsQueue;
  /** The dead-letter `aws_sqs_queue`. */
  public readonly deadLetterQueue: SqsQueue;
  /** ARN of the queue. */
  public readonly queueArn: string;
  /** URL of the queue. */
  public readonly queueUrl: string;
  /** Name of the queue. */
  public readonly queueName: string;

  constructor(scope: Construct, id: string, props: WorkerQueueProps) {
    super(scope, id);
    const where = this.node.path;
    const visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? 60;
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const messageRetentionSeconds = props.messageRetentionSeconds ?? 345_600;
    checkRange(where, 'visibilityTimeoutSeconds', visibilityTimeoutSeconds, 0, 43_200, 'set it above the longest processing time');
    checkRange(where, 'maxReceiveCount', maxReceiveCount, 1, 1000, 'retry a failing message a few times, e.g. 5');
    checkRange(
      where,
      'messageRetentionSeconds',
      messageRetentionSeconds,
      60,
      MAX_RETENTION_SECONDS - 1,
      'keep it below the dead-letter queue\'s 14 days, or failed messages expire as they arrive there',
    );
    for (const [field, name] of [['queueName', props.queueName], ['deadLetterQueueName', props.deadLetterQueueName]] as const) {
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
        throw new Error(`${where}: '${field}' (${JSON.stringify(name)}) is not an SQS queue name; use at most 80 letters, digits, '-' and '_'`);
      }
    }
    const tags = { ...(props.tags ?? {}) };

    this.deadLetterQueue = new SqsQueue(this, 'DeadLetterQueue', {
      name: props.deadLetterQueueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: MAX_RETENTION_SECONDS,
      tags,
    });
    this.resource = new SqsQueue(this, 'Resource', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds,
      messageRetentionSeconds,
      receiveWaitTimeSeconds: 20,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount }),
      tags,
    });
    // Only this queue may send its failures to the dead-letter queue. A separate resource, because
    // the queue already refers to the dead-letter queue and a reference back would be a cycle.
    new SqsQueueRedriveAllowPolicy(this, 'DeadLetterRedriveAllowPolicy', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.resource.arn] }),
    });
    this.queueArn = this.resource.arn;
    this.queueUrl = this.resource.url;
    this.queueName = props.queueName;
  }

  /** The statement that lets a worker consume this queue, and nothing else; added to `grantee` when given. */
  public grantConsume(grantee?: IPolicyHolder): PolicyStatement {
    const statement: PolicyStatement = {
      sid: `SqsConsume${sidFrom(this.queueName)}`,
      actions: [...CONSUME_ACTIONS],
      resources: [this.queueArn],
    };
    grantee?.addToPolicy(statement);
    return statement;
  }
}

function checkRange(where: string, field: string, value: number, min: number, max: number, fix: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${where}: '${field}' (${value}) must be a whole number from ${min} to ${max}; ${fix}`);
  }
}
