/** Thrown when `deploykit diff` cannot read or produce one of the two outputs; the CLI exits 2 with its message. */
export class DiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffError';
  }
}
