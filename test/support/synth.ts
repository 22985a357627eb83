/** Helpers that synthesize into throwaway directories. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineEnvironments, exampleDefinitions, type Definitions } from '../../config';

/** A fresh, empty temporary directory. */
export function tempDir(prefix = 'deploykit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A deep copy of the example input, safe to mutate in a test. */
export function exampleInput(): any {
  return structuredClone(exampleDefinitions);
}

/** The example definitions, resolved. */
export function exampleDefs(): Definitions {
  return defineEnvironments(exampleInput());
}
