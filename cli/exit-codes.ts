/**
 * The exit codes of every deploykit command: one table, the same for each command (docs/cli.md).
 */
export const EXIT = {
  /** The command did what was asked; a gate (check, diff --fail-on) passed. */
  ok: 0,
  /** The definitions are invalid or cannot be loaded, or a gate failed: check findings, diff --fail-on hit. */
  failed: 1,
  /** The command line cannot be run as given: unknown command or option, a bad or missing option value, an option pointing at something unusable. */
  usage: 2,
  /** deploykit itself failed (a bug or an unexpected condition); rerun with DEPLOYKIT_DEBUG=1 for the stack trace. */
  internal: 3,
} as const;

/** The table as `--help` prints it. */
export const EXIT_CODES_HELP = `Exit codes (every command):
  0  success; the gate passed
  1  invalid definitions, or the gate failed (check: findings; diff: --fail-on hit)
  2  usage error: unknown command or option, bad option value, unusable path or git ref
  3  internal error (rerun with DEPLOYKIT_DEBUG=1 for the stack trace)`;
