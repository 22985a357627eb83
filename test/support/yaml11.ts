/** Reading files with a YAML 1.1 reader (PyYAML), which treats characters as kubectl's go-yaml does. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The Python interpreter with PyYAML: `DEPLOYKIT_TEST_PYTHON` (set by `.ci/run` when it installs Debian's python3-yaml), else `python3`. */
const PYTHON = process.env.DEPLOYKIT_TEST_PYTHON ?? 'python3';

/** The documents of each file as PyYAML reads them; throws with PyYAML's message when it refuses a file. */
export function readYaml11(files: readonly string[]): Record<string, unknown[]> {
  const run = spawnSync(PYTHON, [join(__dirname, 'yaml11-read.py'), ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`PyYAML refused the YAML (exit ${run.status}): ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as Record<string, unknown[]>;
}
