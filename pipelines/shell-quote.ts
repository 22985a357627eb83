/** Quoting of values written into CI shell commands. @internal */

const SAFE = /^[A-Za-z0-9_./:=,@%+-]+$/;

/** A single shell word: unchanged when it holds only safe characters, else single-quoted. */
export function shellQuote(value: string): string {
  if (SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line of a script and its options; `null`/`undefined` option values drop the option. */
export function commandLine(script: string, options: ReadonlyArray<readonly [string, string | undefined] | string>): string {
  const words = [script];
  for (const option of options) {
    if (typeof option === 'string') {
      words.push(option);
    } else if (option[1] !== undefined) {
      words.push(option[0], option[1].startsWith('"$') ? option[1] : shellQuote(option[1]));
    }
  }
  return words.join(' ');
}
