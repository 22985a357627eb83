/**
 * YAML for Kubernetes manifests, fast. Synth writes objects with a small emitter of a strict YAML
 * subset (block mappings and sequences, plain or JSON-quoted scalars); `diff` and `check` read that
 * subset back with a matching line parser and fall back to the full `yaml` package for anything
 * else (hand-written or older files). Both are an order of magnitude faster than a general YAML
 * library on large outputs; round-trip tests pin their agreement with it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const RESERVED = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~']);
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

/**
 * Characters a YAML 1.1 reader (kubectl's, PyYAML) refuses raw (C0 controls but tab and line ends, DEL,
 * C1 controls, U+FFFE/U+FFFF) or reads as a line break (U+0085 NEL, U+2028, U+2029), plus the byte-order
 * mark. Written as `\uXXXX` escapes, which YAML 1.1 allows in double-quoted scalars (JSON already
 * escapes the C0 controls).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const YAML11_UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Thrown when a value cannot be written as YAML that every reader reads back identically. */
export class YamlWriteError extends Error {
  /** Where in the written object the value is, e.g. `data.key`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path || '(document)'}: ${message}`);
    this.name = 'YamlWriteError';
    this.path = path;
  }
}

/** `value` as a JSON string with every character YAML 1.1 does not take raw escaped. */
function quoted(value: string, path: string): string {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) {
    const code = lone[0].charCodeAt(0).toString(16).toUpperCase();
    throw new YamlWriteError(
      path,
      `the string ${JSON.stringify(value)} holds a lone UTF-16 surrogate (U+${code}), which cannot be encoded as UTF-8 nor escaped for kubectl's YAML reader; remove it or pair it`,
    );
  }
  return JSON.stringify(value).replace(YAML11_UNSAFE_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(value: string | number | boolean | null, path: string): string {
  if (typeof value === 'string') {
    return PLAIN.test(value) && !RESERVED.has(value.toLowerCase()) ? value : quoted(value, path);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new YamlWriteError(path, `cannot write ${value} as YAML`);
  return String(value);
}

const childPath = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : PLAIN.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/**
 * One object as YAML (no document markers).
 * @throws YamlWriteError for a value no YAML reader would read back identically (a lone surrogate, NaN)
 */
export function stringifyObject(value: unknown): string {
  const out: string[] = [];
  emitBlock(value as Json, 0, out, '');
  return `${out.join('\n')}\n`;
}

/** Objects as a multi-document YAML stream, `---` between documents. */
export function stringifyDocuments(docs: readonly unknown[]): string {
  return docs.map((d) => stringifyObject(d)).join('---\n');
}

const pad = (n: number) => ' '.repeat(n);

function isContainer(v: Json): v is Json[] | { [key: string]: Json } {
  return v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

function inline(v: Json, path: string): string {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  return scalar(v, path);
}

/**
 * Emits `value` at column `col`. Mappings: `key: scalar` or `key:` + nested block at col+2;
 * sequences: `- ` items at col, item content at col+2 (the first line of an item shares the dash).
 */
function emitBlock(value: Json, col: number, out: string[], path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (isContainer(item)) {
        const start = out.length;
        emitBlock(item, col + 2, out, childPath(path, index));
        out[start] = `${pad(col)}- ${out[start].slice(col + 2)}`;
      } else {
        out.push(`${pad(col)}- ${inline(item, childPath(path, index))}`);
      }
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (child === undefined) continue;
      const at = childPath(path, key);
      if (isContainer(child)) {
        out.push(`${pad(col)}${scalar(key, at)}:`);
        emitBlock(child, col + 2, out, at);
      } else {
        out.push(`${pad(col)}${scalar(key, at)}: ${inline(child, at)}`);
      }
    }
    return;
  }
  out.push(`${pad(col)}${inline(value, path)}`);
}

// ---------------------------------------------------------------------------------------------
// Reading

interface Line {
  indent: number;
  text: string;
}

class Unsupported extends Error {}

function parseScalar(text: string): Json {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new Unsupported();
    }
  }
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (text === 'null' || text === '~') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (PLAIN.test(text) && !RESERVED.has(text.toLowerCase())) return text;
  throw new Unsupported();
}

/** Splits `key: rest` where key is plain or JSON-quoted; undefined when the line is not a pair. */
function splitPair(text: string): [string, string] | undefined {
  if (text.startsWith('"')) {
    const end = /^"(?:[^"\\]|\\.)*"/.exec(text);
    if (!end || text[end[0].length] !== ':') return undefined;
    return [JSON.parse(end[0]) as string, text.slice(end[0].length + 1).trim()];
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const key = text.slice(0, colon);
  if (!PLAIN.test(key)) return undefined;
  const rest = text.slice(colon + 1);
  if (rest !== '' && !rest.startsWith(' ')) return undefined;
  return [key, rest.trim()];
}

function parseBlock(lines: Line[], start: number, indent: number): [Json, number] {
  const first = lines[start];
  if (first.indent !== indent) throw new Unsupported();
  if (first.text.startsWith('- ') || first.text === '-') {
    const list: Json[] = [];
    let i = start;
    while (i < lines.length && lines[i].indent === indent && (lines[i].text.startsWith('- ') || lines[i].text === '-')) {
      const rest = lines[i].text.slice(2);
      if (rest === '') throw new Unsupported();
      if (rest.startsWith('- ') || splitPair(rest)) {
        // A mapping or sequence item: its first line shares the dash line. Re-read that line as if
        // it stood alone at the item's indentation (in place, no copying).
        lines[i] = { indent: indent + 2, text: rest };
        const [value, next] = parseBlock(lines, i, indent + 2);
        list.push(value);
        i = next;
      } else {
        list.push(parseScalar(rest));
        i++;
      }
    }
    return [list, i];
  }
  const map: { [key: string]: Json } = {};
  let i = start;
  while (i < lines.length && lines[i].indent === indent) {
    const pair = splitPair(lines[i].text);
    if (!pair) throw new Unsupported();
    const [key, rest] = pair;
    if (rest !== '') {
      map[key] = parseScalar(rest);
      i++;
    } else {
      if (i + 1 >= lines.length || lines[i + 1].indent <= indent) throw new Unsupported();
      const [value, next] = parseBlock(lines, i + 1, lines[i + 1].indent);
      map[key] = value;
      i = next;
    }
  }
  if (i < lines.length && lines[i].indent > indent) throw new Unsupported();
  return [map, i];
}

/** Thrown when a YAML stream is malformed, or holds characters YAML 1.1 readers refuse or read differently. */
export class YamlReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlReadError';
  }
}

/**
 * Raw characters kubectl's YAML 1.1 reader refuses (C0 controls but tab and line ends, DEL, C1 controls,
 * U+FFFE/U+FFFF, a byte-order mark after the start) or reads as a line break where a YAML 1.2 reader
 * does not (U+0085, U+2028, U+2029). Readers that disagree must not silently read two different files.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_UNREADABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]|(?<!^)\ufeff/;

/** The first character YAML 1.1 readers do not read as YAML 1.2 does, with its line; undefined when none. */
export function unreadableCharacter(text: string): { readonly line: number; readonly codePoint: string } | undefined {
  const match = RAW_UNREADABLE.exec(text);
  if (!match) return undefined;
  const line = text.slice(0, match.index).split('\n').length;
  return { line, codePoint: `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` };
}

/** The documents of a YAML stream as text: split on `---` lines (LF line ends only), blank documents dropped. */
export function splitDocuments(text: string): string[] {
  const docs: string[][] = [[]];
  for (const line of text.split('\n')) {
    if (/^---[ \t]*$/.test(line)) docs.push([]);
    else docs[docs.length - 1].push(line);
  }
  return docs.map((lines) => lines.join('\n').replace(/^\n+/, '')).filter((d) => d.trim() !== '');
}

/** Reads the subset {@link stringifyDocuments} writes; undefined when the text uses anything else. */
export function parseDocumentsFast(text: string): unknown[] | undefined {
  if (unreadableCharacter(text)) return undefined;
  try {
    return splitDocuments(text)
      .map((doc) =>
        doc
          .split('\n')
          .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))
          .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() })),
      )
      .filter((lines) => lines.length > 0)
      .map((lines) => {
        const [value, end] = parseBlock(lines, 0, 0);
        if (end !== lines.length) throw new Unsupported();
        return value;
      });
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/**
 * Every non-empty document of a YAML stream: the fast reader when it can, else the full `yaml` package.
 * @throws YamlReadError for invalid YAML or characters YAML 1.1 readers (kubectl) refuse or read differently
 */
export function parseDocuments(text: string): unknown[] {
  const unreadable = unreadableCharacter(text);
  if (unreadable) {
    throw new YamlReadError(
      `line ${unreadable.line} holds the raw character ${unreadable.codePoint}, which kubectl's YAML 1.1 reader refuses or reads as a line break; write it as an escape (\\u${unreadable.codePoint.slice(2)}) in a double-quoted string`,
    );
  }
  const fast = parseDocumentsFast(text);
  if (fast) return fast;
  const yaml = require('yaml') as typeof import('yaml');
  return yaml.parseAllDocuments(text).flatMap((doc, index) => {
    const error = 'errors' in doc ? doc.errors[0] : undefined;
    if (error) throw new YamlReadError(`document ${index + 1} is not valid YAML (${error.message.split('\n')[0]})`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}
