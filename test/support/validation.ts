/** Catching the one ValidationError a construct throws, to assert on its issues. */
import { ValidationError } from '../../config';

/** The ValidationError `build` throws; fails the test when it throws nothing or another error. */
export function validationErrorOf(build: () => unknown): ValidationError {
  try {
    build();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw new Error(`expected a ValidationError, got ${String(err)}`);
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

/** Each issue as `<path>: <message>`, in the order found. */
export function issueLines(error: ValidationError): string[] {
  return error.issues.map((i) => `${i.path}: ${i.message}`);
}
