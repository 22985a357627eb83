import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError, loadDefinitions } from '../../config';
import { exampleInput, tempDir } from '../support/synth';

function loadError(file: string): Error {
  try {
    loadDefinitions(file);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`${file} loaded`);
}

describe('loadDefinitions', () => {
  test('fails when a JSON definitions file repeats a key, naming both lines', () => {
    const input = exampleInput();
    const text = JSON.stringify(input, null, 2).replace('"system": {', '"system": {\n    "name": "other",');
    const file = join(tempDir(), 'envs.json');
    writeFileSync(file, text);
    const err = loadError(file);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      { path: 'system', message: `'name' is given twice (lines 3 and 4); JSON keeps only the last one, so remove the other` },
    ]);
  });

  test('reports repeated keys together with the other problems of the file', () => {
    const input = exampleInput();
    input.environments[0].account = '42';
    const name = input.environments[0].name;
    const text = JSON.stringify(input).replace(`"name":"${name}",`, `"name":"${name}","tier":"staging","tier":"development",`);
    const file = join(tempDir(), 'envs.json');
    writeFileSync(file, text);
    const err = loadError(file) as ValidationError;
    expect(err.issues).toEqual([
      { path: name, message: `'tier' is given twice (lines 1 and 1); JSON keeps only the last one, so remove the other` },
      { path: name, message: `'account' ("42") is not an AWS account id; use the 12-digit account number` },
    ]);
  });

  test('names the line of a .js definitions module that throws', () => {
    const file = join(tempDir(), 'envs.js');
    writeFileSync(file, '"use strict";\nconst zones = undefined;\nmodule.exports = { default: zones.length };\n');
    const err = loadError(file);
    expect(err.message).toBe(`cannot load definitions from ${file}: Cannot read properties of undefined (reading 'length') (at ${file}:3:35)`);
  });
});
