import { defineEnvironments, ValidationError } from '../../config';
import { show } from '../../config/issue-format';
import { exampleInput } from '../support/synth';

describe('show', () => {
  test('writes values JSON cannot hold instead of throwing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const shared = [1];
    expect(show(10n)).toBe('10n');
    expect(show(function handler() {})).toBe('function handler');
    expect(show(Symbol('x'))).toBe('Symbol(x)');
    expect(show(cyclic)).toBe('{"a":1,"self":"[circular]"}');
    expect(show({ big: 2n, run() {} })).toBe('{"big":"2n","run":"[function run]"}');
    expect(show({ first: shared, second: shared })).toBe('{"first":[1],"second":[1]}');
    expect(show(Number.NaN)).toBe('NaN');
    expect(show('x'.repeat(200))).toHaveLength(120);
  });

  test('fails with a message, not a crash, when definitions hold a BigInt, a function or a cycle', () => {
    const input = exampleInput();
    const dev = input.environments[0];
    dev.cluster.nodeGroups[Object.keys(dev.cluster.nodeGroups)[0]].maxSize = 5n;
    dev.account = () => '111111111111';
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    dev.state.bucket = cycle;
    let issues: ValidationError['issues'] = [];
    try {
      defineEnvironments(input);
    } catch (err) {
      issues = (err as ValidationError).issues;
    }
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        `'account' (a function) must be a string; fix its type`,
        `'bucket' ({"self":"[circular]"}) must be a string; fix its type`,
        `'maxSize' (5n) must be a number; fix its type`,
      ]),
    );
  });
});
