import { loadDefinitions } from '../../config';
import { diagramsMarkdown, environmentDiagram } from '../graph/environment-diagram';
import type { Command } from '../main';
import { selectEnvironments } from '../../synth/synthesize';
import { UsageError } from '../usage-error';

/** `deploykit graph`: architecture diagrams (Mermaid) generated from the definitions. */
export const graphCommand: Command = {
  summary: 'print architecture diagrams (Mermaid) of the environments',
  usage: `Usage: deploykit graph [--env <name>]... [--config <file>] [--format markdown|mermaid]

  --env <name>        environment to draw (repeatable; default: all)
  --config <file>     definitions file (default: built-in example)
  --format <format>   markdown: a heading and a fenced mermaid block per environment (default);
                      mermaid: the bare diagram of exactly one environment (use with --env)`,
  options: {
    env: { type: 'string', multiple: true },
    config: { type: 'string' },
    format: { type: 'string', default: 'markdown' },
  },
  run(values) {
    const defs = loadDefinitions(values.config as string | undefined);
    const envs = selectEnvironments(defs, values.env as string[] | undefined);
    const format = values.format as string;
    if (format === 'markdown') {
      process.stdout.write(diagramsMarkdown(defs, envs));
    } else if (format === 'mermaid') {
      if (envs.length !== 1) throw new UsageError('--format mermaid draws one environment; add --env <name>');
      process.stdout.write(environmentDiagram(defs, envs[0]));
    } else {
      throw new UsageError(`--format must be markdown or mermaid, not ${JSON.stringify(format)}`);
    }
    return 0;
  },
};
