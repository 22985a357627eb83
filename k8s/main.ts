/**
 * Entry point for the cdk8s CLI (`cdk8s synth`, see cdk8s.yaml): one chart per environment.
 * Definitions come from DEPLOYKIT_CONFIG or the built-in example; DEPLOYKIT_IMAGE_TAG overrides image tags.
 */
import { App } from 'cdk8s';
import { loadDefinitions, stackName } from '../config';
import { EnvironmentChart } from './environment-chart';

const definitions = loadDefinitions(process.env.DEPLOYKIT_CONFIG);
const app = new App();
for (const environment of definitions.environments) {
  new EnvironmentChart(app, stackName(definitions.system, environment), {
    definitions,
    environment,
    imageTag: process.env.DEPLOYKIT_IMAGE_TAG,
  });
}
app.synth();
