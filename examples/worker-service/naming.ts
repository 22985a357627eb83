/**
 * Names of a worker's queues. The Terraform layer creates the queue under `queueName()` and the
 * Kubernetes layer hands the worker `queueUrl()`: both call these functions, so they cannot drift.
 */
import {
  stackName,
  truncateName,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../../config';

/** SQS queue name of a worker: `<system>-<env>-<service>` (at most 80 characters). */
export function queueName(system: SystemDefinition, env: EnvironmentDefinition, service: ServiceDefinition): string {
  return truncateName(`${stackName(system, env)}-${service.name}`, 80);
}

/** Name of the dead-letter queue of a worker's queue: `<queue>-dlq` (at most 80 characters). */
export function deadLetterQueueName(system: SystemDefinition, env: EnvironmentDefinition, service: ServiceDefinition): string {
  return truncateName(`${stackName(system, env)}-${service.name}-dlq`, 80);
}

/** URL of a worker's queue in the environment's account and region (what the SDK calls). */
export function queueUrl(system: SystemDefinition, env: EnvironmentDefinition, service: ServiceDefinition): string {
  return `https://sqs.${env.region}.amazonaws.com/${env.account}/${queueName(system, env, service)}`;
}
