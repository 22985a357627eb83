/** Helpers for the Kubernetes tests: synthesize charts and find objects by kind and name. */
import { App, Chart, Testing } from 'cdk8s';
import { defineEnvironments, type Definitions, type EnvironmentDefinition, type ServiceDefinition } from '../../config';
import { EnvironmentChart, WebService, webServiceProps, type WebServiceProps } from '../../k8s';
import { findKubernetesObject, findKubernetesObjects } from '../../testing';
import { exampleInput } from '../support/synth';

/** The example definitions after `mutate` changed the raw input. */
export function definitionsWith(mutate: (input: any) => void = () => {}): Definitions {
  const input = exampleInput();
  mutate(input);
  return defineEnvironments(input);
}

/** The environment named `name`. */
export function environmentOf(defs: Definitions, name: string): EnvironmentDefinition {
  const env = defs.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return env;
}

/** The service named `name` as environment `envName` runs it. */
export function serviceOf(defs: Definitions, envName: string, name: string): ServiceDefinition {
  const service = environmentOf(defs, envName).services.find((s) => s.name === name);
  if (!service) throw new Error(`no service ${name} in ${envName}`);
  return service;
}

/** Every object of an environment's chart, as `deploykit synth` writes them. */
export function synthEnvironment(defs: Definitions, envName: string, imageTag?: string): any[] {
  const chart = new EnvironmentChart(Testing.app(), `${defs.system.name}-${envName}`, {
    definitions: defs,
    environment: environmentOf(defs, envName),
    imageTag,
  });
  return Testing.synth(chart);
}

/** Options of {@link webService}. */
export interface WebServiceFixture {
  /** Changes to the example input. */
  readonly mutate?: (input: any) => void;
  /** @default "staging" */
  readonly env?: string;
  /** @default "company-web" */
  readonly service?: string;
  readonly imageTag?: string;
  /** Props replacing those the adapter derives from the definitions. */
  readonly extra?: Partial<WebServiceProps>;
}

/** One WebService in a chart of its own; `objects()` synthesizes it. */
export function webService(fixture: WebServiceFixture = {}): { webService: WebService; chart: Chart; objects: () => any[] } {
  const defs = definitionsWith(fixture.mutate);
  const envName = fixture.env ?? 'staging';
  const chart = new Chart(new App(), 'test', { disableResourceNameHashes: true });
  const props = webServiceProps({
    system: defs.system,
    environment: environmentOf(defs, envName),
    service: serviceOf(defs, envName, fixture.service ?? 'company-web'),
    imageTag: fixture.imageTag,
  });
  const ws = new WebService(chart, fixture.service ?? 'company-web', { ...props, ...fixture.extra });
  return { webService: ws, chart, objects: () => Testing.synth(chart) };
}

/** The one object of `kind` named `name`; fails when there is none or more than one. */
export function find(objects: readonly any[], kind: string, name: string): any {
  return findKubernetesObject(objects, { kind, name });
}

/** Whether an object of `kind` named `name` exists. */
export function has(objects: readonly any[], kind: string, name: string): boolean {
  return findKubernetesObjects(objects, { kind, name }).length > 0;
}

/** The container named `name` (the main container is "http") of a Deployment. */
export function containerOf(deployment: any, name = 'http'): any {
  const found = deployment.spec.template.spec.containers.filter((c: any) => c.name === name);
  if (found.length !== 1) throw new Error(`expected one container ${name}, found ${found.length}`);
  return found[0];
}

/** The issues of the ValidationError `fn` throws. */
export function configIssues(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err: any) {
    if (err?.name !== 'ValidationError') throw err;
    return [...err.issues];
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}
