/**
 * What the deploy identity of an environment may do: log in to ECR, push and pull the environment's
 * images, pull the verified images of its promotion source (another account), and describe its
 * cluster to build a kubeconfig. Kubernetes permissions come from its EKS access entry, which the
 * environment stack creates (`CiClusterAccess`).
 */
import { clusterName, promotionSource, type Definitions, type EnvironmentDefinition } from '../../config';
import { CROSS_ACCOUNT_PULL_ACTIONS, ECR_AUTHORIZATION_TOKEN_STATEMENT, PUSH_ACTIONS } from '../constructs/ecr-repository';
import type { PolicyStatement } from '../policy-statement';
import { eksClusterArn } from '../private/arn';
import { environmentRepositoryArns } from './plan-permissions';

/** Actions that read images and their tags (promotion, verification): the ones a promotion source's repositories grant. */
export const ECR_PULL_ACTIONS: readonly string[] = CROSS_ACCOUNT_PULL_ACTIONS;

/** Actions that upload images. */
export const ECR_PUSH_ACTIONS: readonly string[] = PUSH_ACTIONS;

/** The deploy role's identity policy. */
export function deployRoleStatements(defs: Definitions, env: EnvironmentDefinition): PolicyStatement[] {
  const own = environmentRepositoryArns(env);
  const source = promotionSource(defs, env);
  const sourceRepositories = source ? environmentRepositoryArns(source) : [];
  return [
    ECR_AUTHORIZATION_TOKEN_STATEMENT,
    ...(own.length > 0 ? [{ sid: 'PushImages', actions: [...ECR_PULL_ACTIONS, ...ECR_PUSH_ACTIONS].sort(), resources: own }] : []),
    ...(sourceRepositories.length > 0 ? [{ sid: 'PullPromotionSourceImages', actions: [...ECR_PULL_ACTIONS], resources: sourceRepositories }] : []),
    { sid: 'DescribeCluster', actions: ['eks:DescribeCluster'], resources: [eksClusterArn(env.region, env.account, clusterName(defs.system, env))] },
  ];
}
