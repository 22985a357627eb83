/**
 * `ConfigError` is the name {@link ValidationError} had before constructs reported their props'
 * problems the same way; it is the same class, so `instanceof ConfigError` keeps working.
 * @deprecated use `ValidationError`
 */
export { ValidationError as ConfigError } from './validation-error';
