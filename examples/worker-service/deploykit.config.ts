/**
 * The definitions module a team passes to the CLI: `deploykit synth --config
 * examples/worker-service/deploykit.config.ts` synthesizes the company's own stack and chart (with
 * the worker queues and WorkerService) instead of deploykit's, for every environment. `check` and
 * `diff` take the same `--config`; `check` also reads `applyPermissions`.
 */
import type { ChartFactory, StackFactory } from '../../cli/extensions';
import type { ResourceTypeActions } from '../../infra/bootstrap/apply-permissions';
import { COMPANY_APPLY_PERMISSIONS } from './apply-permissions';
import { CompanyChart } from './company-chart';
import { companyDefinitionsInput, companyWorkers } from './company-definitions';
import { CompanyStack } from './company-stack';

export default companyDefinitionsInput;

/** Each environment's Terraform: deploykit's stack plus the worker queues. */
export const stack: StackFactory = (scope, id, props) => new CompanyStack(scope, id, { ...props, workers: companyWorkers });

/** Each environment's Kubernetes objects: deploykit's chart plus the workers. */
export const chart: ChartFactory = (scope, id, props) => new CompanyChart(scope, id, { ...props, workers: companyWorkers });

/** What the CI apply role needs for the worker queues and the SQS endpoint (deploykit check rule DK-TF-030). */
export const applyPermissions: ResourceTypeActions = COMPANY_APPLY_PERMISSIONS;
