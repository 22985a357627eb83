/**
 * The definitions module a team passes to the CLI: `deploykit synth --config
 * examples/worker-service/deploykit.config.ts` synthesizes the company's own stack and chart (with
 * the worker queues and WorkerService) instead of deploykit's, for every environment. `check` and
 * `diff` take the same `--config`, and `deploykit bootstrap --config` grants the CI apply roles what the
 * company's constructs need (`applyPermissions`).
 */
import type { ChartFactory, StackFactory } from '../../synth/extensions';
import { companyApplyPermissions } from './apply-permissions';
import { CompanyChart } from './company-chart';
import { companyDefinitionsInput, companyWorkers } from './company-definitions';
import { CompanyStack } from './company-stack';

export default companyDefinitionsInput;

/** Each environment's Terraform: deploykit's stack plus the worker queues. */
export const stack: StackFactory = (scope, id, props) => new CompanyStack(scope, id, { ...props, workers: companyWorkers });

/** Each environment's Kubernetes objects: deploykit's chart plus the workers. */
export const chart: ChartFactory = (scope, id, props) => new CompanyChart(scope, id, { ...props, workers: companyWorkers });

/** What the CI apply roles need for the resource types the company's constructs add. */
export const applyPermissions = companyApplyPermissions;
