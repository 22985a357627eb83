/**
 * The real Terraform CLI and the hashicorp/aws provider from a local filesystem mirror, for
 * offline `terraform validate` and `terraform test`. The mirror comes from
 * DEPLOYKIT_TF_PLUGIN_MIRROR (the directory holding `registry.terraform.io/`), else it is looked
 * for in the usual plugin directories and, last, anywhere on the root file system.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** A usable toolchain, or the reason there is none. */
export type TerraformToolchain =
  | { readonly available: true; readonly terraform: string; readonly mirror: string; readonly cliConfigFile: string }
  | { readonly available: false; readonly reason: string };

const AWS_PATH = join('registry.terraform.io', 'hashicorp', 'aws');

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function hasAwsProvider(mirror: string): boolean {
  return existsSync(join(mirror, AWS_PATH));
}

/** Locates the provider mirror; undefined when none is found. */
export function findProviderMirror(): string | undefined {
  const fromEnv = process.env.DEPLOYKIT_TF_PLUGIN_MIRROR;
  if (fromEnv) return hasAwsProvider(fromEnv) ? fromEnv : undefined;
  const home = homedir();
  const candidates = [
    join(home, '.terraform.d', 'plugins'),
    join(home, '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    ...safeList('/opt'),
  ];
  const direct = candidates.find(hasAwsProvider);
  if (direct) return direct;
  const found = spawnSync(
    'find',
    ['/', '-xdev', '-maxdepth', '8', '(', '-path', '/proc', '-o', '-name', 'node_modules', '-o', '-name', '.git', ')', '-prune', '-o',
      '-name', 'terraform-provider-aws*', '-path', `*${AWS_PATH}*`, '-print', '-quit'],
    { encoding: 'utf8', timeout: 20_000 },
  ).stdout?.trim();
  if (!found) return undefined;
  // <mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_*
  return dirname(dirname(dirname(dirname(dirname(dirname(found))))));
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

let cached: TerraformToolchain | undefined;

/** Finds the Terraform CLI and the mirror once per process and writes a CLI config that uses only the mirror. */
export function terraformToolchain(): TerraformToolchain {
  if (cached) return cached;
  const terraform = findOnPath('terraform');
  if (!terraform) return (cached = { available: false, reason: 'no terraform CLI on PATH' });
  const mirror = findProviderMirror();
  if (!mirror) {
    return (cached = {
      available: false,
      reason: 'no hashicorp/aws provider mirror found (set DEPLOYKIT_TF_PLUGIN_MIRROR to the directory holding registry.terraform.io/)',
    });
  }
  const cliConfigFile = join(mkdtempSync(join(tmpdir(), 'deploykit-tf-')), 'terraform.rc');
  writeFileSync(
    cliConfigFile,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
  );
  return (cached = { available: true, terraform, mirror, cliConfigFile });
}

/** Runs terraform in `dir` with the mirror-only CLI config; returns its output or throws with it. */
export function runTerraform(toolchain: Extract<TerraformToolchain, { available: true }>, dir: string, args: string[]): string {
  try {
    return execFileSync(toolchain.terraform, [`-chdir=${dir}`, ...args, '-no-color'], {
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: toolchain.cliConfigFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/** A directory with one `terraform init -backend=false` done, whose plugins other configurations reuse. */
export function initPluginDirectory(toolchain: Extract<TerraformToolchain, { available: true }>, cdkTfJson: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploykit-tf-init-'));
  copyFileSync(cdkTfJson, join(dir, 'cdk.tf.json'));
  runTerraform(toolchain, dir, ['init', '-backend=false', '-input=false']);
  return dir;
}

/**
 * Makes the configuration in `dir` usable without its own init: links the initialised `.terraform`
 * of `pluginDir` (the provider binary is ~700 MB) and copies its lock file.
 */
export function reuseInitialisedPlugins(pluginDir: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, '.terraform'))) symlinkSync(join(pluginDir, '.terraform'), join(dir, '.terraform'));
  copyFileSync(join(pluginDir, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
}
