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

function scalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') {
    return PLAIN.test(value) && !RESERVED.has(value.toLowerCase()) ? value : JSON.stringify(value);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`cannot write ${value} as YAML`);
  return String(value);
}

/** One object as YAML (no document markers). */
export function stringifyObject(value: unknown): string {
  const out: string[] = [];
  emitBlock(value as Json, 0, out);
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

function inline(v: Json): string {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  return scalar(v);
}

/**
 * Emits `value` at column `col`. Mappings: `key: scalar` or `key:` + nested block at col+2;
 * sequences: `- ` items at col, item content at col+2 (the first line of an item shares the dash).
 */
function emitBlock(value: Json, col: number, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isContainer(item)) {
        const start = out.length;
        emitBlock(item, col + 2, out);
        out[start] = `${pad(col)}- ${out[start].slice(col + 2)}`;
      } else {
        out.push(`${pad(col)}- ${inline(item)}`);
      }
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (child === undefined) continue;
      if (isContainer(child)) {
        out.push(`${pad(col)}${scalar(key)}:`);
        emitBlock(child, col + 2, out);
      } else {
        out.push(`${pad(col)}${scalar(key)}: ${inline(child)}`);
      }
    }
    return;
  }
  out.push(`${pad(col)}${inline(value)}`);
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

/** Reads the subset {@link stringifyDocuments} writes; undefined when the text uses anything else. */
export function parseDocumentsFast(text: string): unknown[] | undefined {
  try {
    return text
      .split(/^---$/m)
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

/** Every document of a YAML stream: the fast reader when it can, else the full `yaml` package. */
export function parseDocuments(text: string): unknown[] {
  const fast = parseDocumentsFast(text);
  if (fast) return fast;
  const yaml = require('yaml') as typeof import('yaml');
  return yaml
    .parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((d) => d !== null && d !== undefined);
}
