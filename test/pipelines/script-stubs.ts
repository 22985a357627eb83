/** Recording stand-ins for the CLIs the pipeline scripts call, for control-flow tests. */
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempDir } from '../support/synth';

/** Tools replaced by stubs. */
export const STUBBED_TOOLS = ['kubectl', 'terraform', 'aws', 'docker', 'curl', 'gh', 'deploykit'] as const;

/**
 * A stub appends `<tool> <argv>` to the log and exits 0, unless `STUB_FAIL_<TOOL>` holds a substring of
 * its argv: then it exits `STUB_EXIT_<TOOL>` (default 1) for the first `STUB_TIMES_<TOOL>` matches (default all).
 * `aws sts ...` prints fake credentials and `aws ecr get-login-password` a fake password.
 */
const STUB = `#!/usr/bin/env bash
tool="$(basename "$0")"
upper="$(printf '%s' "$tool" | tr '[:lower:]' '[:upper:]')"
printf '%s %s\\n' "$tool" "$*" >>"$STUB_LOG"
if [[ " $* " == *" --password-stdin "* ]]; then cat >/dev/null; fi
fail_var="STUB_FAIL_$upper"; exit_var="STUB_EXIT_$upper"; times_var="STUB_TIMES_$upper"
if [[ -n "\${!fail_var:-}" && " $* " == *"\${!fail_var}"* ]]; then
  count_file="$STUB_LOG.$tool.count"
  count=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
  echo "$count" >"$count_file"
  if [[ -z "\${!times_var:-}" || "$count" -le "\${!times_var}" ]]; then exit "\${!exit_var:-1}"; fi
fi
case "$tool $1 $2" in
  "aws sts assume-role-with-web-identity") echo "ASIAFAKEKEYID fakeSecretKey fakeSessionToken" ;;
  "aws ecr get-login-password") echo "fakeRegistryPassword" ;;
esac
if [[ "$tool" == "deploykit" && "$1" == "diff" ]]; then echo "## deploykit diff"; fi
exit 0
`;

/** Result of one script run. */
export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The stub calls, one `<tool> <argv>` per line, in order. */
  readonly calls: string[];
}

/** A temporary working directory with the stubs first on PATH. */
export class StubbedShell {
  readonly dir = tempDir('deploykit-scripts-');
  private readonly bin = join(this.dir, 'bin');
  private readonly log = join(this.dir, 'calls.log');

  constructor() {
    mkdirSync(this.bin);
    for (const tool of STUBBED_TOOLS) {
      writeFileSync(join(this.bin, tool), STUB);
      chmodSync(join(this.bin, tool), 0o755);
    }
  }

  /** Creates a file (and its directories) inside the working directory. */
  file(path: string, content = ''): void {
    mkdirSync(join(this.dir, path, '..'), { recursive: true });
    writeFileSync(join(this.dir, path), content);
  }

  /** Runs a script of `pipelines/scripts/` with `args` and extra environment variables. */
  run(script: string, args: readonly string[], env: Record<string, string> = {}): ScriptRun {
    writeFileSync(this.log, '');
    const result = spawnSync(join(__dirname, '../../pipelines/scripts', script), args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        PATH: `${this.bin}:/usr/bin:/bin`,
        HOME: this.dir,
        STUB_LOG: this.log,
        DEPLOYKIT_CLI: 'deploykit',
        ...env,
      },
    });
    const calls = existsSync(this.log) ? readFileSync(this.log, 'utf8').split('\n').filter(Boolean) : [];
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, calls };
  }
}
