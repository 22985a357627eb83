import { loadDefinitions } from '../../config';
import { bootstrapStateKey } from '../../infra/bootstrap/bootstrap-stack';
import { writeBootstrap } from '../../synth/bootstrap';
import { loadExtensions } from '../../synth/extensions';
import type { Command } from '../main';
import { UsageError } from '../usage-error';

/** `deploykit bootstrap`: the once-per-account Terraform that the environment stacks build on. */
export const bootstrapCommand: Command = {
  summary: 'write the once-per-account Terraform: state buckets, OIDC providers, permissions boundary, CI roles',
  usage: `Usage: deploykit bootstrap --out <dir> [--config <file>] [--account <id>]... [--backend local|s3] [--quiet]

  --out <dir>         output directory, replaced atomically; one <dir>/<account>/cdk.tf.json per account
                      (a local terraform.tfstate and .terraform.lock.hcl next to it are kept)
  --config <file>     definitions: .ts/.js module (default export; may export 'applyPermissions')
                      or .json/.yaml file (default: built-in example)
  --account <id>      AWS account to write (repeatable); others keep their last output (default: all)
  --backend <kind>    where each bootstrap keeps its own state: 'local' for the first apply (the bucket
                      does not exist yet), then 's3' to move it into the account's first state bucket
                      with 'terraform init -migrate-state' (default: local)
  --quiet             print nothing on success

Then, as an administrator of each account: terraform -chdir=<dir>/<account> init && terraform -chdir=<dir>/<account> apply
See docs/first-day.md.`,
  options: {
    out: { type: 'string' },
    config: { type: 'string' },
    account: { type: 'string', multiple: true },
    backend: { type: 'string', default: 'local' },
    quiet: { type: 'boolean', default: false },
  },
  run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'; options start with --`);
    const outDir = values.out as string | undefined;
    if (outDir === undefined || outDir === '') throw new UsageError("'--out' is required; name the directory to write, e.g. --out bootstrap");
    const backend = values.backend as string;
    if (backend !== 'local' && backend !== 's3') throw new UsageError(`'--backend' (${JSON.stringify(backend)}) must be 'local' or 's3'`);
    const accounts = (values.account as string[] | undefined) ?? [];
    const bad = accounts.find((a) => !/^\d{12}$/.test(a));
    if (bad !== undefined) throw new UsageError(`'--account' (${JSON.stringify(bad)}) is not an AWS account id; use the 12 digits`);
    const configFile = values.config as string | undefined;
    const defs = loadDefinitions(configFile);
    const summaries = writeBootstrap(defs, {
      outDir,
      accounts,
      applyPermissions: loadExtensions(configFile).applyPermissions,
      backend,
    });
    if (!values.quiet) {
      const lines = summaries.map(
        (s) => `  ${s.account}  ${s.stackName}  ${String(s.terraformResources).padStart(4)} resources  environments ${s.environments.join(', ')}  → ${outDir}/${s.file}`,
      );
      const state = backend === 's3' ? `the account's first state bucket, key ${bootstrapStateKey(defs)}` : 'local, terraform.tfstate next to cdk.tf.json';
      process.stdout.write(`deploykit bootstrap → ${outDir}/ (own state: ${state})\n${lines.join('\n')}\n`);
    }
    return 0;
  },
};
