/**
 * The Terraform toolchain of the project's tests: deploykit/testing's, with the provider mirror from
 * DEPLOYKIT_TF_PLUGIN_MIRROR or, when it is unset, looked for in the usual plugin directories and, last,
 * anywhere on the root file system (the library itself never searches the disk).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROVIDER_MIRROR_ENV, terraformToolchain as configuredToolchain, type TerraformToolchain } from '../../testing';

export { initPluginDirectory, reuseInitialisedPlugins, runTerraform, type TerraformToolchain } from '../../testing';

const AWS_PATH = join('registry.terraform.io', 'hashicorp', 'aws');

function hasAwsProvider(mirror: string): boolean {
  return existsSync(join(mirror, AWS_PATH));
}

/** Locates the provider mirror; undefined when none is found. */
export function findProviderMirror(): string | undefined {
  const fromEnv = process.env[PROVIDER_MIRROR_ENV];
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

/** The toolchain with the mirror found once per process. */
export function terraformToolchain(): TerraformToolchain {
  if (cached) return cached;
  const mirror = findProviderMirror();
  if (!mirror) {
    return (cached = {
      available: false,
      reason: `no hashicorp/aws provider mirror found (set ${PROVIDER_MIRROR_ENV} to the directory holding registry.terraform.io/)`,
    });
  }
  return (cached = configuredToolchain({ providerMirror: mirror }));
}
