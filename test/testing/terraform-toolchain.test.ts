/** The library's Terraform toolchain takes the provider mirror from configuration only, never from a disk search. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_MIRROR_ENV, terraformToolchain } from '../../testing';
import { tempDir } from '../support/synth';

describe('terraformToolchain', () => {
  const saved = process.env[PROVIDER_MIRROR_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[PROVIDER_MIRROR_ENV];
    else process.env[PROVIDER_MIRROR_ENV] = saved;
  });

  function mirror(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'registry.terraform.io'));
    return dir;
  }

  test('is unavailable without a configured mirror, saying how to configure one', () => {
    delete process.env[PROVIDER_MIRROR_ENV];
    expect(terraformToolchain({ terraformBinary: '/bin/true' })).toEqual({
      available: false,
      reason: 'no provider mirror configured: set DEPLOYKIT_TF_PLUGIN_MIRROR or the option providerMirror to the directory holding registry.terraform.io/',
    });
  });

  test('takes the mirror from the option before the environment variable, and writes a mirror-only CLI config', () => {
    process.env[PROVIDER_MIRROR_ENV] = mirror();
    const fromOption = mirror();
    const toolchain = terraformToolchain({ providerMirror: fromOption, terraformBinary: '/bin/true' });
    if (!toolchain.available) throw new Error(toolchain.reason);
    expect(toolchain.mirror).toBe(fromOption);
    const config = readFileSync(toolchain.cliConfigFile, 'utf8');
    expect(config).toContain(`path    = ${JSON.stringify(fromOption)}`);
    expect(config).toContain('exclude = ["registry.terraform.io/hashicorp/*"]');
  });

  test('takes the mirror from DEPLOYKIT_TF_PLUGIN_MIRROR', () => {
    const fromEnv = mirror();
    process.env[PROVIDER_MIRROR_ENV] = fromEnv;
    expect(terraformToolchain({ terraformBinary: '/bin/true' })).toMatchObject({ available: true, mirror: fromEnv });
  });

  test('refuses a mirror without registry.terraform.io/', () => {
    const empty = tempDir();
    expect(terraformToolchain({ providerMirror: empty, terraformBinary: '/bin/true' })).toEqual({
      available: false,
      reason: `provider mirror ${empty} has no registry.terraform.io/ directory; point it at the directory holding registry.terraform.io/`,
    });
  });
});
