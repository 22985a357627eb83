/**
 * The real Terraform CLI with providers from a filesystem mirror, for offline `terraform validate` and
 * `terraform test` of synthesized stacks. The mirror is configuration: the option `providerMirror`, else the
 * environment variable `DEPLOYKIT_TF_PLUGIN_MIRROR` (the directory holding `registry.terraform.io/`); the disk
 * is never searched.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The environment variable naming the provider mirror when no option does. */
export const PROVIDER_MIRROR_ENV = 'DEPLOYKIT_TF_PLUGIN_MIRROR';

/** Options of {@link terraformToolchain}. */
export interface TerraformToolchainOptions {
  /**
   * The filesystem mirror holding `registry.terraform.io/hashicorp/aws/…`.
   * @default - the environment variable DEPLOYKIT_TF_PLUGIN_MIRROR
   */
  readonly providerMirror?: string;
  /**
   * The Terraform CLI.
   * @default - `terraform` on PATH
   */
  readonly terraformBinary?: string;
  /**
   * Provider sources (`<host>/<namespace>/*`) installed from the mirror only.
   * @default ["registry.terraform.io/hashicorp/*"]
   */
  readonly mirroredProviders?: readonly string[];
}

/** A usable toolchain. */
export interface AvailableTerraformToolchain {
  readonly available: true;
  /** The Terraform CLI. */
  readonly terraform: string;
  /** The provider mirror. */
  readonly mirror: string;
  /** A CLI config file that installs the mirrored providers from the mirror only. */
  readonly cliConfigFile: string;
}

/** A usable toolchain, or the reason there is none (for `test.skip`). */
export type TerraformToolchain = AvailableTerraformToolchain | { readonly available: false; readonly reason: string };

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The Terraform CLI and the configured provider mirror, with a CLI config that uses only the mirror for them. */
export function terraformToolchain(options: TerraformToolchainOptions = {}): TerraformToolchain {
  const terraform = options.terraformBinary ?? findOnPath('terraform');
  if (!terraform) return { available: false, reason: 'no terraform CLI on PATH (or set the option terraformBinary)' };
  const mirror = options.providerMirror ?? process.env[PROVIDER_MIRROR_ENV];
  if (!mirror) {
    return { available: false, reason: `no provider mirror configured: set ${PROVIDER_MIRROR_ENV} or the option providerMirror to the directory holding registry.terraform.io/` };
  }
  if (!existsSync(join(mirror, 'registry.terraform.io'))) {
    return { available: false, reason: `provider mirror ${mirror} has no registry.terraform.io/ directory; point it at the directory holding registry.terraform.io/` };
  }
  const include = JSON.stringify(options.mirroredProviders ?? ['registry.terraform.io/hashicorp/*']);
  const cliConfigFile = join(mkdtempSync(join(tmpdir(), 'deploykit-tf-')), 'terraform.rc');
  writeFileSync(
    cliConfigFile,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ${include}\n  }\n  direct {\n    exclude = ${include}\n  }\n}\n`,
  );
  return { available: true, terraform, mirror, cliConfigFile };
}

/** Runs terraform in `dir` with the mirror-only CLI config; returns its output or throws with it. */
export function runTerraform(toolchain: AvailableTerraformToolchain, dir: string, args: readonly string[]): string {
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

/** A directory with one `terraform init -backend=false` done on `cdkTfJson`, whose plugins other configurations reuse. */
export function initPluginDirectory(toolchain: AvailableTerraformToolchain, cdkTfJson: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploykit-tf-init-'));
  copyFileSync(cdkTfJson, join(dir, 'cdk.tf.json'));
  runTerraform(toolchain, dir, ['init', '-backend=false', '-input=false']);
  return dir;
}

/**
 * Makes the configuration in `dir` usable without its own init: links the initialised `.terraform`
 * of `pluginDir` (the AWS provider binary is ~700 MB) and copies its lock file.
 */
export function reuseInitialisedPlugins(pluginDir: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, '.terraform'))) symlinkSync(join(pluginDir, '.terraform'), join(dir, '.terraform'));
  copyFileSync(join(pluginDir, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
}

/** Options of {@link validateTerraform}. */
export interface ValidateTerraformOptions {
  /**
   * A directory from {@link initPluginDirectory} whose providers the configuration reuses.
   * @default - `terraform init -backend=false` in the configuration directory
   */
  readonly pluginDir?: string;
}

/**
 * `terraform validate` of the configuration in `dir` (e.g. a stack's `cdk.tf.json`), with the real provider
 * schemas. Throws with Terraform's diagnostics when the configuration is invalid.
 */
export function validateTerraform(toolchain: AvailableTerraformToolchain, dir: string, options: ValidateTerraformOptions = {}): void {
  if (options.pluginDir) reuseInitialisedPlugins(options.pluginDir, dir);
  else runTerraform(toolchain, dir, ['init', '-backend=false', '-input=false']);
  runTerraform(toolchain, dir, ['validate']);
}
