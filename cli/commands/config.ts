import { loadDefinitions, toEffectiveInput } from '../../config';
import type { Command } from '../main';
import { UsageError } from '../usage-error';

/** `deploykit config`: the effective definitions after defaults, in the input shape. */
export const configCommand: Command = {
  summary: 'print the effective definitions (every default applied); feeds back through --config',
  usage: `Usage: deploykit config [--config <file>] [--format yaml|json]

  --config <file>     definitions file (default: built-in example)
  --format <format>   yaml or json (default: yaml)`,
  options: {
    config: { type: 'string' },
    format: { type: 'string', default: 'yaml' },
  },
  run(values) {
    const format = values.format as string;
    if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, not ${JSON.stringify(format)}`);
    const effective = toEffectiveInput(loadDefinitions(values.config as string | undefined));
    const text = format === 'json' ? `${JSON.stringify(effective, null, 2)}\n` : (require('yaml') as typeof import('yaml')).stringify(effective);
    process.stdout.write(text);
    return 0;
  },
};
