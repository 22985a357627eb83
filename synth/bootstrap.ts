/**
 * The bootstrap engine: one Terraform configuration per AWS account (`<out>/<account>/cdk.tf.json`),
 * written atomically like synth's output. Files Terraform itself keeps next to the configuration
 * (local state before its migration into S3, the provider lock file) survive a rewrite.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App as CdktfApp } from '../infra/vendor/terraform';
import { ValidationError, bootstrapStackName, type Definitions } from '../config';
import type { ResourceTypeActions } from '../infra/bootstrap/apply-permissions';
import { BootstrapStack, bootstrapAccounts, type BootstrapBackend } from '../infra/bootstrap/bootstrap-stack';
import { StagedOutput } from './output-directory';
import { MANIFEST_FILE } from './output-manifest';

/** Files Terraform writes next to a bootstrap configuration that a rewrite keeps. */
export const PRESERVED_TERRAFORM_FILES: readonly string[] = ['terraform.tfstate', 'terraform.tfstate.backup', '.terraform.lock.hcl'];

/** Options of {@link writeBootstrap}. */
export interface BootstrapOptions {
  /** Output directory. */
  readonly outDir: string;
  /** Accounts to write; others keep their previous output. @default - every account of the definitions */
  readonly accounts?: readonly string[];
  /** A definitions module's `applyPermissions`. @default {} */
  readonly applyPermissions?: ResourceTypeActions;
  /** Where each bootstrap stack keeps its own state. @default "local" */
  readonly backend?: BootstrapBackend;
}

/** What was written for one account. */
export interface BootstrapSummary {
  readonly account: string;
  /** The stack name, `bootstrapStackName(system, account)`. */
  readonly stackName: string;
  /** The environments the account's bootstrap covers. */
  readonly environments: readonly string[];
  /** Terraform resources in the stack. */
  readonly terraformResources: number;
  /** The configuration file, relative to the output directory. */
  readonly file: string;
}

/** The manifest of a bootstrap output directory. */
export interface BootstrapManifest {
  readonly generator: 'deploykit';
  /** The configuration file of each account's bootstrap. */
  readonly bootstrap: Record<string, string>;
}

/** Writes the bootstrap configuration of the selected accounts into `outDir`, atomically. */
export function writeBootstrap(defs: Definitions, options: BootstrapOptions): BootstrapSummary[] {
  const known = bootstrapAccounts(defs);
  const selected = options.accounts && options.accounts.length > 0 ? [...new Set(options.accounts)] : known;
  const unknown = selected.filter((a) => !known.includes(a));
  if (unknown.length > 0) {
    throw new ValidationError(
      unknown.map((a) => ({ path: '--account', message: `(${JSON.stringify(a)}) has no environment in the definitions; use one of ${known.join(', ')}` })),
    );
  }
  const staged = StagedOutput.begin(options.outDir);
  try {
    const previous = readManifest(staged.target);
    const manifest: BootstrapManifest = { generator: 'deploykit', bootstrap: {} };
    const summaries: BootstrapSummary[] = [];
    for (const account of known) {
      const dir = join(staged.staging, account);
      const before = join(staged.target, account);
      if (selected.includes(account)) {
        summaries.push(writeAccount(defs, account, staged.staging, options));
        manifest.bootstrap[account] = `${account}/cdk.tf.json`;
        for (const file of PRESERVED_TERRAFORM_FILES) if (existsSync(join(before, file))) copyFileSync(join(before, file), join(dir, file));
      } else if (previous?.bootstrap?.[account] && existsSync(before)) {
        // The provider plugins (.terraform/, hundreds of MB) are not copied: `terraform init` restores them.
        cpSync(before, dir, { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('.terraform') });
        manifest.bootstrap[account] = previous.bootstrap[account];
      }
    }
    writeFileSync(join(staged.staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    staged.commit();
    return summaries;
  } catch (err) {
    staged.abort();
    throw err;
  }
}

function writeAccount(defs: Definitions, account: string, root: string, options: BootstrapOptions): BootstrapSummary {
  const cdktfOut = join(root, '.cdktf', account);
  mkdirSync(cdktfOut, { recursive: true });
  const app = new CdktfApp({ outdir: cdktfOut, stackTraces: false });
  const name = bootstrapStackName(defs.system, account);
  const stack = new BootstrapStack(app, name, {
    definitions: defs,
    account,
    applyPermissions: options.applyPermissions,
    backend: options.backend,
  });
  app.synth();
  renameSync(join(cdktfOut, 'stacks', name), join(root, account));
  rmSync(join(root, '.cdktf'), { recursive: true, force: true });
  const json = JSON.parse(readFileSync(join(root, account, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object> };
  const terraformResources = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return { account, stackName: name, environments: stack.environments.map((e) => e.name), terraformResources, file: `${account}/cdk.tf.json` };
}

function readManifest(dir: string): Partial<BootstrapManifest> | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Partial<BootstrapManifest>;
  } catch {
    return undefined;
  }
}
