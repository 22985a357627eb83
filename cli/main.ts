/**
 * The `deploykit` command line. Each command lives in `commands/` and is loaded only when used,
 * so `synth` never pays for `check` or `diff`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, DefinitionsFileError } from '../config';
import { OutputDirectoryError } from './output-directory';
import { UsageError } from './usage-error';

/** Exit codes of every command. */
export const EXIT = { ok: 0, failed: 1, error: 2 } as const;

/** A command: its options (node:util parseArgs format), a one-line summary and its handler. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[]): Promise<number> | number;
}

const COMMANDS: Record<string, () => Command> = {
  synth: () => require('./commands/synth').synthCommand,
  bootstrap: () => require('./commands/bootstrap').bootstrapCommand,
  config: () => require('./commands/config').configCommand,
  schema: () => require('./commands/schema').schemaCommand,
  check: () => require('./commands/check').checkCommand,
  diff: () => require('./commands/diff').diffCommand,
  graph: () => require('./commands/graph').graphCommand,
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, load]) => `  ${name.padEnd(9)} ${load().summary}`);
  return [
    'deploykit — environment definitions to Terraform, Kubernetes and CI pipelines',
    '',
    'Usage: deploykit <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'deploykit <command> --help' for a command's options.",
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.error;
  }
  if (name === '--version') {
    process.stdout.write(`${(require('../package.json') as { version: string }).version}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`deploykit: unknown command '${name}'\n\n${help()}\n`);
    return EXIT.error;
  }
  const command = load();
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run(values, positionals);
  } catch (err) {
    return report(err, name, command);
  }
}

function report(err: unknown, name: string, command: Command): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`deploykit ${name}: ${err.message}\nNothing was written.\n`);
    return EXIT.failed;
  }
  if (err instanceof DefinitionsFileError || err instanceof OutputDirectoryError) {
    process.stderr.write(`deploykit ${name}: ${err.message}\n`);
    return EXIT.failed;
  }
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`deploykit ${name}: ${(err as Error).message}\n\n${command.usage}\n`);
    return EXIT.error;
  }
  process.stderr.write(`deploykit ${name}: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  return EXIT.error;
}
