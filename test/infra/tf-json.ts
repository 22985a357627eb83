/** Synthesizes the stack of one environment of the project's definitions (the generic helpers are in deploykit/testing). */
import { App, Testing } from '../../infra/vendor/terraform';
import { stackName, type Definitions, type EnvironmentDefinition } from '../../config';
import { EnvironmentStack } from '../../infra/environment-stack';
import { synthStack, type TfJson } from '../../testing';

/** Builds and synthesizes the stack of one environment. */
export function synthEnvironment(definitions: Definitions, environment: EnvironmentDefinition): { stack: EnvironmentStack; json: TfJson } {
  const app: App = Testing.app();
  const stack = new EnvironmentStack(app, stackName(definitions.system, environment), { definitions, environment });
  return { stack, json: synthStack(stack) };
}
