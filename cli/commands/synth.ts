import { loadDefinitions } from '../../config';
import { join } from 'node:path';
import { planPipelines } from '../../pipelines/regenerate';
import type { Command } from '../main';
import { loadExtensions } from '../../synth/extensions';
import { readImageDigests, synthesize } from '../../synth/synthesize';

/** `deploykit synth`: every environment's Terraform and Kubernetes output, atomically. */
export const synthCommand: Command = {
  summary: 'synthesize Terraform, Kubernetes and CI pipeline output for every environment',
  usage: `Usage: deploykit synth [--env <name>]... [--config <file>] [--out <dir>] [--image-tag <tag>] [--image-digests <file>] [--quiet]

  --env <name>        environment to synthesize (repeatable); others keep their last output (default: all)
  --config <file>     definitions: .ts/.js module (default export; may export 'stack' and 'chart' factories)
                      or .json/.yaml file (default: built-in example)
  --out <dir>         output directory, replaced atomically (default: dist)
  --image-tag <tag>   image tag for every service, e.g. the commit SHA (default: each service's image.tag)
  --image-digests <file>  JSON object of service name → "sha256:<64 hex>": those services run
                      <repo>:<tag>@<digest> (a release promoted from the environment that verified it)
  --pipelines-dir <dir>  where .gitlab-ci.yml and .github/workflows/deploy.yml are regenerated from every
                      environment, together with the output: a failed synth changes neither (default: .)
  --no-pipelines      do not regenerate the pipeline files
  --quiet             print nothing on success`,
  options: {
    env: { type: 'string', multiple: true },
    config: { type: 'string' },
    out: { type: 'string', default: 'dist' },
    'image-tag': { type: 'string' },
    'image-digests': { type: 'string' },
    'pipelines-dir': { type: 'string', default: '.' },
    'no-pipelines': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
  run(values) {
    const started = performance.now();
    let repairs: readonly string[] = [];
    const defs = loadDefinitions(values.config as string | undefined);
    const outDir = values.out as string;
    const pipelinesDir = values['pipelines-dir'] as string;
    // From every environment even when --env filters the synth; written in the same step as the
    // output, so a synth that fails at any point changes neither.
    const pipelines = values['no-pipelines'] ? undefined : planPipelines(defs, { rootDir: pipelinesDir, configFile: values.config as string | undefined });
    const summaries = synthesize(defs, {
      ...loadExtensions(values.config as string | undefined),
      outDir,
      environments: values.env as string[] | undefined,
      imageTag: values['image-tag'] as string | undefined,
      imageDigests: values['image-digests'] === undefined ? undefined : readImageDigests(values['image-digests'] as string),
      extraFiles: pipelines?.changed.map((file) => ({ path: join(pipelinesDir, file.path), content: file.content })),
      extraFilePaths: pipelines && [...pipelines.written, ...pipelines.unchanged].map((path) => join(pipelinesDir, path)),
      onRecovered: (list) => (repairs = list),
    });
    pipelines?.remember();
    if (!values.quiet) {
      const width = Math.max(...summaries.map((s) => s.name.length), 3);
      const lines = summaries.map(
        (s) =>
          `  ${s.name.padEnd(width)}  terraform ${String(s.terraformResources).padStart(4)} resources  ` +
          `kubernetes ${String(s.kubernetesObjects).padStart(4)} objects  ${String(s.files.length).padStart(2)} files  ${String(s.milliseconds).padStart(5)} ms`,
      );
      process.stdout.write(
        `deploykit synth → ${outDir}/\n${lines.join('\n')}\n  ${summaries.length} environment(s) in ${Math.round(performance.now() - started)} ms\n`,
      );
      if (pipelines) {
        const state = [...pipelines.written.map((p) => `${p} written`), ...pipelines.unchanged.map((p) => `${p} up to date`)];
        process.stdout.write(`  pipelines: ${state.join(', ')}\n`);
      }
      if (repairs.length > 0) process.stdout.write(`  recovered from a killed run: ${repairs.join('; ')}\n`);
    }
    return 0;
  },
};
