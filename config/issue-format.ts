/**
 * One shape for every definition problem:
 * `<where>: '<field>' (<value received>) <rule>; <fix>`.
 */
import type { z } from 'zod';

import type { ValidationIssue } from './validation-error';

/** One problem in the environment definitions: a {@link ValidationIssue} whose path is a definition path. */
export type ConfigIssue = ValidationIssue;

/**
 * A value as it appears in messages: strings quoted, everything else as JSON, long values cut.
 * Never throws: values JSON cannot hold (BigInt, functions, symbols, cycles) are described instead.
 */
export function show(value: unknown): string {
  const text = describe(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function describe(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${value}n`;
    case 'function':
      return value.name ? `function ${value.name}` : 'a function';
    case 'symbol':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : String(value);
    default:
      break;
  }
  // The objects from the root to the one being written: a value already among them is a cycle.
  const ancestors: unknown[] = [];
  try {
    return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'function') return v.name ? `[function ${v.name}]` : '[function]';
      if (typeof v === 'symbol') return `[${v.toString()}]`;
      if (typeof v === 'number' && !Number.isFinite(v)) return `[${String(v)}]`;
      if (typeof v === 'object' && v !== null) {
        while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
        if (ancestors.includes(v)) return '[circular]';
        ancestors.push(v);
      }
      return v;
    });
  } catch (err) {
    // A getter or toJSON that throws: name the type rather than fail the whole report.
    return `a value that cannot be shown (${(err as Error).message})`;
  }
}

/** A custom issue whose message already names its fields (it is not prefixed with the last path element). */
export function objectIssue(path: (string | number)[], message: string) {
  return { code: 'custom' as const, path, message, params: { objectLevel: true } };
}

type PathElement = PropertyKey;

/** Turns a zod issue into the user-facing shape. `envNames[i]` names `environments[i]`. */
export function toConfigIssue(issue: z.core.$ZodIssue, envNames: readonly (string | undefined)[]): ConfigIssue[] {
  const path = issue.path as PathElement[];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath(path, envNames),
      message: `'${key}' is not a known field; remove it or fix its spelling`,
    }));
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    // A record key failed its own schema (e.g. a service name that is not DNS-1123).
    return [fieldIssue(path, issue.issues[0].message, envNames)];
  }
  const objectLevel = issue.code === 'custom' && (issue.params as { objectLevel?: boolean } | undefined)?.objectLevel;
  if (objectLevel || path.length === 0) {
    return [{ path: formatPath(path, envNames), message: issue.message }];
  }
  return [fieldIssue(path, issue.message, envNames)];
}

/** An issue about one field: the path names its parent, the message starts with the field. */
function fieldIssue(path: PathElement[], message: string, envNames: readonly (string | undefined)[]): ConfigIssue {
  let cut = path.length - 1;
  let field = String(path[cut]);
  if (typeof path[cut] === 'number' && cut > 0) {
    cut -= 1;
    field = `${String(path[cut])}[${String(path[cut + 1])}]`;
  }
  return { path: formatPath(path.slice(0, cut), envNames), message: `'${field}' ${message}` };
}

/** `['environments', 2, 'services', 'web']` → `prod.services.web`. */
export function formatPath(path: readonly PathElement[], envNames: readonly (string | undefined)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const el = path[i];
    if (i === 0 && el === 'environments' && typeof path[1] === 'number') {
      parts.push(envNames[path[1]] ?? `environments[${path[1]}]`);
      i++;
    } else if (typeof el === 'number') {
      parts[parts.length - 1] = `${parts[parts.length - 1] ?? ''}[${el}]`;
    } else {
      parts.push(String(el));
    }
  }
  return parts.length === 0 ? 'definitions' : parts.join('.');
}

/** Error map for zod's built-in checks (types, enums, sizes) so they read like the custom ones. */
export function builtInMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (${issue.expected}); add it`
        : `(${show(issue.input)}) must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}; fix its type`;
    case 'too_small':
      return `(${show(issue.input)}) is too small: at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}; add to it`;
    case 'too_big':
      return `(${show(issue.input)}) is too big: at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}; shorten it`;
    case 'invalid_value':
      return `(${show(issue.input)}) must be one of ${issue.values.map((v) => show(v)).join(', ')}; pick one of them`;
    default:
      return undefined;
  }
}
