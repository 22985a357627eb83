import { ValidationError, defineEnvironments } from '../../config';
import { exampleDefs, exampleInput } from '../support/synth';

describe('service preStopHandler', () => {
  test('defaults to the kubelet sleep action', () => {
    for (const env of exampleDefs().environments) {
      for (const service of env.services) expect(service.preStopHandler).toBe('sleep');
    }
  });

  test('accepts exec per environment', () => {
    const input = exampleInput();
    input.environments[0].services['company-web'].preStopHandler = 'exec';
    const dev = defineEnvironments(input).environments.find((e) => e.name === 'dev');
    expect(dev?.services.find((s) => s.name === 'company-web')?.preStopHandler).toBe('exec');
  });

  test('fails when the handler is not sleep or exec', () => {
    const input = exampleInput();
    input.services['company-web'].preStopHandler = 'hook';
    let issues: readonly unknown[] = [];
    try {
      defineEnvironments(input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues = err.issues;
    }
    expect(issues).toEqual([{ path: 'services.company-web', message: `'preStopHandler' ("hook") must be one of "sleep", "exec"; pick one of them` }]);
  });
});
