/** Which kinds an environment's namespaced deploy prunes: SecretProviderClasses only where their CRD exists. */
import { defineEnvironments } from '../../config';
import { PRUNE_ALLOWLIST, pruneAllowlist, SECRET_PROVIDER_CLASS_KIND } from '../../pipelines/prune-allowlist';
import { resolvePipelineOptions } from '../../pipelines/pipeline-options';
import { StepCommands } from '../../pipelines/step-commands';
import { envInputOf, exampleInput } from '../support/synth';

/** The example with one service of `dev` reading (or not) a Secrets Manager secret, whatever the example does. */
function devWith(awsSecret: boolean) {
  const input = exampleInput();
  const dev = envInputOf(input, 'dev');
  const [first] = Object.keys(input.services);
  for (const name of Object.keys(input.services)) input.services[name].secretEnv = {};
  for (const e of input.environments) for (const svc of Object.values<any>(e.services)) if (svc) delete svc.secretEnv;
  if (awsSecret) {
    dev.services[first] = { ...(dev.services[first] ?? {}) };
    dev.services[first].secretEnv = {
      DB_PASSWORD: { secretsManager: { arn: `arn:aws:secretsmanager:${dev.region ?? 'ap-east-1'}:${dev.account}:secret:app/db-AbC123`, key: 'password' } },
    };
  }
  const definitions = defineEnvironments(input);
  return { definitions, env: definitions.environments.find((e) => e.name === 'dev')! };
}

describe('pruneAllowlist', () => {
  test('adds SecretProviderClass where a service reads an AWS secret (the add-on brings its CRD)', () => {
    const { env } = devWith(true);
    expect(pruneAllowlist(env)).toEqual([...PRUNE_ALLOWLIST, SECRET_PROVIDER_CLASS_KIND]);
  });

  test('leaves it out where no service does, so the prune never asks for a kind the cluster lacks', () => {
    const { env } = devWith(false);
    expect(pruneAllowlist(env)).toEqual([...PRUNE_ALLOWLIST]);
    expect(PRUNE_ALLOWLIST).not.toContain(SECRET_PROVIDER_CLASS_KIND);
  });

  test("the namespaced deploy command passes exactly the environment's list", () => {
    for (const awsSecret of [true, false]) {
      const { definitions, env } = devWith(awsSecret);
      const line = new StepCommands(definitions, resolvePipelineOptions({})).deployNamespaces(env);
      const kinds = [...line.matchAll(/--prune-allowlist '?([^' ]+)'?/g)].map((m) => m[1]);
      expect(kinds).toEqual(pruneAllowlist(env));
    }
  });
});
