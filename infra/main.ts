/**
 * Entry point for the cdktf CLI (`cdktf synth`, see cdktf.json): one stack per environment.
 * Definitions come from DEPLOYKIT_CONFIG (a definitions file) or the built-in example.
 */
import { App } from './vendor/terraform';
import { loadDefinitions, stackName } from '../config';
import { EnvironmentStack } from './environment-stack';

const definitions = loadDefinitions(process.env.DEPLOYKIT_CONFIG);
const app = new App({ stackTraces: false });
for (const environment of definitions.environments) {
  new EnvironmentStack(app, stackName(definitions.system, environment), { definitions, environment });
}
app.synth();
