import { App, TerraformOutput, Testing } from '../../infra/vendor/terraform';
import { stackName } from '../../config';
import { EnvironmentStack } from '../../infra';
import { exampleDefs } from '../support/synth';

const defs = exampleDefs();
const [dev, staging] = defs.environments;

describe('EnvironmentStack in an app with other stacks', () => {
  test('still wires a cross-stack reference when the app holds several stacks', () => {
    const app = Testing.app();
    const a = new EnvironmentStack(app, stackName(defs.system, dev), { definitions: defs, environment: dev });
    const b = new EnvironmentStack(app, stackName(defs.system, staging), { definitions: defs, environment: staging });
    new TerraformOutput(b, 'dev_vpc', { value: a.network.vpcId });
    app.synth();
    const tf = JSON.parse(Testing.synth(b));
    expect(Object.keys(tf.data?.terraform_remote_state ?? {})).toHaveLength(1);
  });

  test('synthesizes the same configuration as the same stack alone in its app', () => {
    const alone = new EnvironmentStack(new App({ stackTraces: false }), 'alone', { definitions: defs, environment: dev });
    const withOther = Testing.app();
    const twin = new EnvironmentStack(withOther, 'twin', { definitions: defs, environment: dev });
    new EnvironmentStack(withOther, 'other', { definitions: defs, environment: staging });
    expect(Testing.synth(alone)).toEqual(Testing.synth(twin));
  });
});
