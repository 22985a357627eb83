/**
 * The `deploykit` command line. Each command lives in `commands/` and is loaded only when used,
 * so `synth` never pays for `check` or `diff`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ValidationError, DefinitionsFileError } from '../config';
import { closestMatch } from '../config/closest-match';
import { EXIT, EXIT_CODES_HELP } from './exit-codes';
import { OutputDirectoryError } from '../synth/output-directory';
import { UsageError } from './usage-error';

export { EXIT } from './exit-codes';

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

/**
 * Errors that are the input's fault, by the code they exit with: invalid definitions (1), and a
 * command line that cannot run as given (2). Their message is the whole report; no stack trace.
 */
const INPUT_ERRORS: readonly { readonly is: (err: unknown) => boolean; readonly code: number }[] = [
  { is: (err) => err instanceof ValidationError || err instanceof DefinitionsFileError, code: EXIT.failed },
  { is: (err) => err instanceof OutputDirectoryError, code: EXIT.usage },
  // Loaded with their commands; matched by name so `synth` never loads `check` or `diff`.
  { is: (err) => err instanceof Error && (err.name === 'CheckInputError' || err.name === 'DiffError' || err.name === 'OutputInputError'), code: EXIT.usage },
];

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
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    process.stdout.write(`${(require('../package.json') as { version: string }).version}\n`);
    return EXIT.ok;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    const near = closestMatch(name, Object.keys(COMMANDS));
    process.stderr.write(`deploykit: unknown command ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ''}\n\n${help()}\n`);
    return EXIT.usage;
  }
  const command = COMMANDS[name]();
  try {
    const { values, positionals } = parseOptions(command, rest);
    if (values.help) {
      process.stdout.write(`${command.usage}\n\n${EXIT_CODES_HELP}\n`);
      return EXIT.ok;
    }
    return await command.run(values, positionals);
  } catch (err) {
    return report(err, name, command);
  }
}

/** Parses the options of `command`, turning node:util's messages into ours (with a suggestion). */
function parseOptions(command: Command, args: string[]): { values: Record<string, unknown>; positionals: string[] } {
  const options = { ...command.options, help: { type: 'boolean' as const, short: 'h' } };
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = (err as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'([^']+)'/.exec(message)?.[1] ?? '';
      const flag = given.replace(/^-+/, '').split('=')[0];
      const near = closestMatch(flag, Object.keys(options));
      throw new UsageError(`unknown option ${given.startsWith('-') ? given.split('=')[0] : `--${flag}`}${near ? `; did you mean --${near}?` : ''}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const given = /'([^']+)'/.exec(message)?.[1] ?? '';
      throw new UsageError(`unexpected argument ${JSON.stringify(given)}; this command takes only options (see --help)`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /'(--?[\w-]+)/.exec(message)?.[1];
      throw new UsageError(option && /argument missing/.test(message) ? `${option} needs a value` : message.split('\n')[0]);
    }
    throw err;
  }
}

function report(err: unknown, name: string, command: Command): number {
  const debug = Boolean(process.env.DEPLOYKIT_DEBUG);
  const trace = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  if (err instanceof UsageError) {
    process.stderr.write(`deploykit ${name}: ${err.message}${trace}\n\n${command.usage}\n`);
    return EXIT.usage;
  }
  const input = INPUT_ERRORS.find((kind) => kind.is(err));
  if (input) {
    const nothing = err instanceof ValidationError ? '\nNothing was written.' : '';
    process.stderr.write(`deploykit ${name}: ${(err as Error).message}${nothing}${trace}\n`);
    return input.code;
  }
  const message = err instanceof Error ? err.message : String(err);
  // A rule's check that throws (matched by name: the policy engine loads only with `check`) is the rule's bug, which the message names.
  const culprit = err instanceof Error && err.name === 'RuleCheckError' ? 'This is a bug in that rule' : 'This is a bug in deploykit or its environment';
  process.stderr.write(
    `deploykit ${name}: internal error: ${message}\n` +
      (debug ? `${err instanceof Error ? (err.stack ?? '') : ''}\n` : `${culprit}; rerun with DEPLOYKIT_DEBUG=1 to see the stack trace.\n`),
  );
  return EXIT.internal;
}
