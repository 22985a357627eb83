/**
 * The one refusal of an `--env` name no definitions know, shared by every command that takes `--env`.
 */
import { ValidationError } from '../config';

/**
 * A ValidationError at `--env` for each of `names` not in `known` (which it lists as the choices), or
 * undefined when every name is known.
 */
export function unknownEnvironmentsError(names: readonly string[], known: readonly string[]): ValidationError | undefined {
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length === 0) return undefined;
  return new ValidationError(
    unknown.map((n) => ({ path: '--env', message: `(${JSON.stringify(n)}) is not a defined environment; use one of ${known.join(', ')}` })),
  );
}
