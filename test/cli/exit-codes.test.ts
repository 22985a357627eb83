import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../../synth/synthesize';
import { defineEnvironments } from '../../config';
import { BIN, runBin, STACK_FRAME } from '../support/bin';
import { exampleInput, tempDir } from '../support/synth';

const root = tempDir();
/** Definitions with one problem in their first environment. */
const invalid = join(root, 'invalid.json');
const output = join(root, 'dist');
let firstEnv = '';

beforeAll(() => {
  const input = exampleInput();
  firstEnv = input.environments[0].name;
  input.environments[0].account = '42';
  writeFileSync(invalid, JSON.stringify(input));
  synthesize(defineEnvironments(exampleInput()), { outDir: output });
});

/** Each command that reads definitions, run on the invalid file. */
const withDefinitions: Record<string, () => string[]> = {
  synth: () => ['synth', '--config', invalid, '--out', join(tempDir(), 'dist'), '--no-pipelines'],
  config: () => ['config', '--config', invalid],
  graph: () => ['graph', '--config', invalid],
  check: () => ['check', '--config', invalid],
  diff: () => ['diff', '--config', invalid, '--base', output],
};

describe('exit codes, identical in every command', () => {
  test.each(Object.keys(withDefinitions))('%s exits 1 on invalid definitions and prints each problem once, without a stack trace', (command) => {
    const run = runBin(withDefinitions[command]());
    expect(run.status).toBe(1);
    const problem = `${firstEnv}: 'account' ("42") is not an AWS account id; use the 12-digit account number`;
    expect(run.stderr).toContain(`deploykit ${command}: invalid environment definitions (1 problem):\n  - ${problem}\n`);
    expect(run.stderr.split(problem)).toHaveLength(2);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 120_000);

  test.each([
    ['synth', '--ouT', '--out'],
    ['config', '--formt', '--format'],
    ['schema', '--hlep', '--help'],
    ['check', '--severty', '--severity'],
    ['diff', '--bse', '--base'],
    ['graph', '--enb', '--env'],
  ])('%s exits 2 on the unknown option %s, naming the nearest one', (command, option, near) => {
    const run = runBin([command, option, 'x']);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`deploykit ${command}: unknown option ${option}${near ? `; did you mean ${near}?` : ''}`);
    expect(run.stderr).toContain(`Usage: deploykit ${command}`);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 120_000);

  test('an unknown command exits 2 and names the nearest command', () => {
    const run = runBin(['synht']);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('deploykit: unknown command "synht"; did you mean synth?');
  });

  test('a stray argument and a missing option value exit 2', () => {
    const stray = runBin(['graph', 'prod']);
    expect(stray.status).toBe(2);
    expect(stray.stderr.split('\n')[0]).toBe('deploykit graph: unexpected argument "prod"; this command takes only options (see --help)');
    const missing = runBin(['synth', '--out']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('deploykit synth: --out needs a value');
  });

  test('unusable paths exit 2 in every command that takes one', () => {
    const notOutput = tempDir();
    writeFileSync(join(notOutput, 'precious.txt'), 'keep');
    const synth = runBin(['synth', '--out', notOutput, '--no-pipelines']);
    expect(synth.status).toBe(2);
    expect(synth.stderr).toContain('holds no deploykit manifest.json; refusing to replace it');
    const check = runBin(['check', '--dir', tempDir()]);
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('has no synth output there');
    const diff = runBin(['diff', '--base', join(root, 'missing'), '--head', output]);
    expect(diff.status).toBe(2);
    expect(diff.stderr).toContain('neither a synth output directory nor a git revision');
    for (const run of [synth, check, diff]) expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 120_000);

  test('every --help prints the same exit-code table', () => {
    const table = runBin(['--help']).stdout.split('Exit codes (every command):')[1];
    expect(table).toContain('1  invalid definitions, or the gate failed');
    for (const command of ['synth', 'config', 'schema', 'check', 'diff', 'graph']) {
      const help = runBin([command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout.split('Exit codes (every command):')[1]).toBe(table);
    }
  }, 120_000);

  test('an error in a definitions module exits 3 without a stack trace; DEPLOYKIT_DEBUG=1 shows it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'valid.json'), JSON.stringify(exampleInput()));
    const file = join(dir, 'team.js');
    writeFileSync(file, `module.exports = { default: require('./valid.json'), stack() { throw new Error('team stack is broken'); } };\n`);
    const out = join(tempDir(), 'dist');
    const run = runBin(['synth', '--config', file, '--out', out, '--no-pipelines']);
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(
      'deploykit synth: internal error: team stack is broken\nThis is a bug in deploykit or its environment; rerun with DEPLOYKIT_DEBUG=1 to see the stack trace.\n',
    );
    const debug = runBin(['synth', '--config', file, '--out', out, '--no-pipelines'], { env: { DEPLOYKIT_DEBUG: '1' } });
    expect(debug.status).toBe(3);
    expect(debug.stderr).toMatch(STACK_FRAME);
  }, 120_000);
});

describe('what the CLI prints for a broken definitions file', () => {
  test('a syntax error in a .ts definitions file shows file:line:col and the message', () => {
    const file = join(tempDir(), 'envs.ts');
    writeFileSync(file, 'export default {\n  system: { name: "x" },\n  environments: [ 1, } ],\n};\n');
    const run = runBin(['config', '--config', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`deploykit config: cannot load definitions from ${file}: syntax error: ${file}:3:22: Unexpected "}"\n`);
  }, 120_000);
});

describe('output into a closed pipe', () => {
  test('check --format sarif into a reader that has gone exits quietly with the command status', () => {
    // `true` exits at once: every write of deploykit meets a closed pipe (EPIPE).
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" check --format sarif | true; echo "status=\${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf8',
      env: { ...process.env, DEPLOYKIT_DEBUG: '' },
    });
    const direct = runBin(['check', '--format', 'sarif']);
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr.trim()).toBe(`status=${direct.status}`);
  }, 120_000);
});
