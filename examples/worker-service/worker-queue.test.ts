/** WorkerQueue on its own: defaults, the consume grant, and every validation message. */
import { TerraformStack, Testing } from '../../infra/vendor/terraform';
import { WorkerQueue, type WorkerQueueProps } from './worker-queue';

function queueIn(props: Partial<WorkerQueueProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const queue = new WorkerQueue(stack, 'Queue', { queueName: 'jobs', deadLetterQueueName: 'jobs-dlq', ...props });
  return { queue, json: JSON.parse(Testing.synth(stack)) };
}

describe('WorkerQueue', () => {
  test('defaults to a 60 s visibility timeout, 4 days retention and 5 receives before dead-lettering', () => {
    const { json } = queueIn();
    const queue = Object.values<any>(json.resource.aws_sqs_queue).find((q) => q.name === 'jobs');
    expect(queue).toMatchObject({ visibility_timeout_seconds: 60, message_retention_seconds: 345600, sqs_managed_sse_enabled: true });
    expect(JSON.parse(queue.redrive_policy).maxReceiveCount).toBe(5);
  });

  test('grantConsume returns one statement scoped to the queue ARN and adds it to the grantee', () => {
    const { queue } = queueIn();
    const added: unknown[] = [];
    const statement = queue.grantConsume({ addToPolicy: (s) => added.push(s) });
    expect(statement).toEqual({
      sid: 'SqsConsumeJobs',
      actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
      resources: [queue.queueArn],
    });
    expect(added).toEqual([statement]);
  });

  test.each<[Partial<WorkerQueueProps>, string]>([
    [{ visibilityTimeoutSeconds: 50000 }, "test/Queue: 'visibilityTimeoutSeconds' (50000) must be a whole number from 0 to 43200; set it above the longest processing time"],
    [{ maxReceiveCount: 0 }, "test/Queue: 'maxReceiveCount' (0) must be a whole number from 1 to 1000; retry a failing message a few times, e.g. 5"],
    [
      { messageRetentionSeconds: 1209600 },
      "test/Queue: 'messageRetentionSeconds' (1209600) must be a whole number from 60 to 1209599; keep it below the dead-letter queue's 14 days, or failed messages expire as they arrive there",
    ],
    [{ queueName: 'jobs.fifo.x' }, `test/Queue: 'queueName' ("jobs.fifo.x") is not an SQS queue name; use at most 80 letters, digits, '-' and '_'`],
  ])('fails with an exact message when %j is invalid', (props, message) => {
    expect(() => queueIn(props)).toThrow(message);
  });
});
