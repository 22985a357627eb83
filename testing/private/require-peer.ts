/**
 * Loads an optional peer dependency of deploykit/testing, with an error that says how to install it.
 *
 * @internal
 */
export function requirePeer<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(`'${name}'`)) {
      throw new Error(`deploykit/testing needs the package '${name}'; install it as a dev dependency: npm install --save-dev ${name}`);
    }
    throw err;
  }
}
