/** Reading files with a YAML 1.1 reader (PyYAML), which treats characters as kubectl's go-yaml does. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

let python: string | undefined;

/**
 * The Python interpreter with PyYAML: `DEPLOYKIT_TEST_PYTHON`, else `python3` when it has PyYAML, else
 * Debian's `/usr/bin/python3` (where `scripts/install-test-tools.sh` installs python3-yaml).
 */
function pythonWithYaml(): string {
  python ??=
    process.env.DEPLOYKIT_TEST_PYTHON ??
    (spawnSync('python3', ['-c', 'import yaml']).status === 0 ? 'python3' : '/usr/bin/python3');
  return python;
}

/** The documents of each file as PyYAML reads them; throws with PyYAML's message when it refuses a file. */
export function readYaml11(files: readonly string[]): Record<string, unknown[]> {
  const run = spawnSync(pythonWithYaml(), [join(__dirname, 'yaml11-read.py'), ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`PyYAML refused the YAML (exit ${run.status}): ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as Record<string, unknown[]>;
}
