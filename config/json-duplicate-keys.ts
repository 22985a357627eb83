/**
 * Duplicate keys in a JSON document. `JSON.parse` keeps the last value of a repeated key without a
 * word, so a definitions file could hold two `tier`s and deploy the one the reader did not see (YAML
 * files are parsed with unique keys already).
 */

/** One repeated key: the path of the object holding it, the key and the 1-based lines of both. */
export interface DuplicateKey {
  readonly path: (string | number)[];
  readonly key: string;
  readonly firstLine: number;
  readonly line: number;
}

/** Every repeated key in `text`, which must be valid JSON (parse it first). */
export function jsonDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  let pos = 0;
  const lineAt = (at: number) => text.slice(0, at).split('\n').length;
  const skipSpace = () => {
    while (pos < text.length && ' \t\r\n\ufeff'.includes(text[pos])) pos++;
  };
  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    while (text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const readValue = (path: (string | number)[]): void => {
    skipSpace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const lines = new Map<string, number>();
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        skipSpace();
        const at = pos;
        const key = readString();
        const first = lines.get(key);
        if (first === undefined) lines.set(key, lineAt(at));
        else found.push({ path, key, firstLine: first, line: lineAt(at) });
        skipSpace();
        pos++; // ':'
        readValue([...path, key]);
        skipSpace();
        if (text[pos++] === '}') return;
      }
    } else if (c === '[') {
      pos++;
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (let i = 0; ; i++) {
        readValue([...path, i]);
        skipSpace();
        if (text[pos++] === ']') return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (pos < text.length && !',]} \t\r\n'.includes(text[pos])) pos++;
    }
  };
  readValue([]);
  return found;
}
