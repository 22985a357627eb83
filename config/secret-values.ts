/**
 * Secrets written as values: every string of the definitions (environment variables, labels, tags,
 * host names, anything that lands in the output) is scanned, whatever its field is called, for
 *
 * - an AWS access key id: `AKIA` (long-term) or `ASIA` (temporary) and 16 upper-case letters or digits;
 * - a PEM private key block: `-----BEGIN … PRIVATE KEY-----`;
 * - a password in a URL: `scheme://user:password@host` (not `user@host`, and not a Kubernetes
 *   reference `$(VAR)` / `${VAR}` in the password's place);
 * - a high-entropy token (see {@link isHighEntropyToken}).
 *
 * Each hit is reported with its field path and a masked excerpt; the secret itself never appears in
 * a message.
 */
import { show, type ConfigIssue } from './issue-format';
import type { RawIssue } from './rules';

/** What a secret-looking value was taken for. */
export type SecretValueKind = 'aws-access-key-id' | 'private-key' | 'url-password' | 'high-entropy-token';

/** One secret-looking part of a string. */
export interface SecretValueHit {
  readonly kind: SecretValueKind;
  /** What was found, masked: never the secret itself. */
  readonly masked: string;
}

const ACCESS_KEY_ID = /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;
const PRIVATE_KEY = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----/g;
const URL_PASSWORD = /\b([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^\s:/?#@]+):([^\s/?#@]+)@([^\s/?#]*)/g;
/** A Kubernetes (`$(VAR)`) or shell (`${VAR}`) reference standing in for the password. */
const VARIABLE_REFERENCE = /^(\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\})$/;
/** Runs of the standard base64 alphabet (padding dropped), the candidates of the entropy test. */
const BASE64_RUN = /[A-Za-z0-9+/]{24,}/g;
/** A whole value that is an ARN: ARNs are identifiers, not secrets (their other classes are still checked). */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:/;

/** Shortest token the entropy test considers. */
export const HIGH_ENTROPY_MIN_LENGTH = 24;
/**
 * Shannon entropy (bits per character) at or above which a token counts as random. Calibrated on
 * random base64: 24 characters reach it in ≈ 90 % of draws, 32 in ≈ 98 %, 40 in ≈ 99 %; identifiers
 * of the same length and alphabet (`MyService2024ConfigurationV2`: 4.18 but word-like) stay below it
 * or fail the word test.
 */
export const HIGH_ENTROPY_MIN_BITS = 4.0;
/** Share of a token in word-like runs (`[A-Z]?[a-z]{3,}`) at or above which it reads as an identifier. */
export const HIGH_ENTROPY_MAX_WORD_SHARE = 0.5;

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Whether a run of base64 characters looks like a random secret: at least
 * `HIGH_ENTROPY_MIN_LENGTH` (24) characters; an upper-case letter, a lower-case letter and a digit
 * (so hex digests, commit SHAs, UUIDs, lower-case names and CamelCase words without digits never
 * count); entropy ≥ `HIGH_ENTROPY_MIN_BITS` (4.0 bits per character); less than `HIGH_ENTROPY_MAX_WORD_SHARE` (half) of it
 * in word-like runs. `-`, `_`, `.`, `:` and `@` end a run, so host names, ARNs, image references and
 * `ELBSecurityPolicy-TLS13-1-2-2021-06` are cut into short parts (URL-safe base64 with `-`/`_` is
 * therefore caught only in runs of 24 or more).
 */
export function isHighEntropyToken(token: string): boolean {
  if (token.length < HIGH_ENTROPY_MIN_LENGTH) return false;
  if (!/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/[0-9]/.test(token)) return false;
  if (shannonEntropy(token) < HIGH_ENTROPY_MIN_BITS) return false;
  const wordLike = [...token.matchAll(/[A-Z]?[a-z]{3,}/g)].reduce((n, m) => n + m[0].length, 0);
  return wordLike / token.length < HIGH_ENTROPY_MAX_WORD_SHARE;
}

/** `AKIA…XYZ`: the first `head` and last `tail` characters. */
function mask(secret: string, head: number, tail: number): string {
  return `${secret.slice(0, head)}…${secret.slice(secret.length - tail)}`;
}

/** A hit with the text that must not be shown (the key, the block, the password, the token). */
interface SecretPart extends SecretValueHit {
  readonly secret: string;
}

function secretParts(value: string): SecretPart[] {
  const hits: SecretPart[] = [];
  for (const m of value.matchAll(ACCESS_KEY_ID)) hits.push({ kind: 'aws-access-key-id', masked: mask(m[0], 4, 3), secret: m[0] });
  for (const m of value.matchAll(PRIVATE_KEY)) {
    // The whole value from the header on is key material.
    hits.push({ kind: 'private-key', masked: `-----BEGIN ${m[1]}PRIVATE KEY-----`, secret: value.slice((m.index ?? 0) + m[0].length) });
  }
  for (const m of value.matchAll(URL_PASSWORD)) {
    const [, scheme, user, password, host] = m;
    if (VARIABLE_REFERENCE.test(password)) continue;
    hits.push({ kind: 'url-password', masked: `${scheme}://${user}:****@${host}`, secret: password });
  }
  if (!ARN.test(value)) {
    // Access key ids are reported as such, not again as random tokens.
    const rest = value.replace(ACCESS_KEY_ID, ' ');
    for (const m of rest.matchAll(BASE64_RUN)) {
      if (isHighEntropyToken(m[0])) hits.push({ kind: 'high-entropy-token', masked: `${mask(m[0], 3, 2)} (${m[0].length} characters)`, secret: m[0] });
    }
  }
  return hits;
}

/** The secret-looking parts of one string, in the order of the classes above. */
export function secretValueHits(value: string): SecretValueHit[] {
  return secretParts(value).map(({ kind, masked }) => ({ kind, masked }));
}

/**
 * Issues with every secret-looking value of `input` masked: other rules show the value they refuse
 * (`'team' ("…") is not a Kubernetes label value`), which must not print a secret either.
 */
export function redactSecretValues(issues: readonly ConfigIssue[], input: unknown): ConfigIssue[] {
  const replacements: [string, string][] = [];
  walkStrings(input, [], (value) => {
    const parts = secretParts(value);
    if (parts.length === 0) return;
    const masked = parts.map((p) => p.masked).join(', ');
    replacements.push([show(value), `(a value holding ${masked})`]);
    for (const p of parts) if (p.secret.trim().length >= 4) replacements.push([p.secret, p.masked]);
  });
  if (replacements.length === 0) return [...issues];
  return issues.map((issue) => ({
    ...issue,
    message: replacements.reduce((text, [secret, masked]) => text.split(secret).join(masked), issue.message),
  }));
}

/** Calls `visit` with every string of `input` (objects, lists; not keys) and its path. */
function walkStrings(input: unknown, path: (string | number)[], visit: (value: string, path: (string | number)[]) => void, seen = new Set<object>()): void {
  if (typeof input === 'string') {
    visit(input, path);
    return;
  }
  if (typeof input !== 'object' || input === null || seen.has(input)) return;
  seen.add(input);
  if (Array.isArray(input)) {
    input.forEach((item, i) => walkStrings(item, [...path, i], visit, seen));
    return;
  }
  for (const [key, child] of Object.entries(input)) {
    if (!SKIPPED_KEYS.has(key)) walkStrings(child, [...path, key], visit, seen);
  }
}

const WHAT: Record<SecretValueKind, string> = {
  'aws-access-key-id': 'an AWS access key id',
  'private-key': 'a PEM private key block',
  'url-password': 'a password in a URL (scheme://user:password@host)',
  'high-entropy-token': `a high-entropy token (a random-looking run of base64 characters)`,
};

const FIX: Record<SecretValueKind, string> = {
  'aws-access-key-id':
    'remove it and deactivate the key: pods get AWS credentials from their workload role (EKS Pod Identity); a third-party credential goes into AWS Secrets Manager, referenced in secretEnv ({ secretsManager: { arn } })',
  'private-key': 'move the key to AWS Secrets Manager and reference it in secretEnv ({ secretsManager: { arn } })',
  'url-password':
    'move the password to AWS Secrets Manager, reference it in secretEnv (e.g. DB_PASSWORD: { secretsManager: { arn } }) and write the URL with $(DB_PASSWORD) in its place',
  'high-entropy-token': 'move it to AWS Secrets Manager and reference it in secretEnv ({ secretsManager: { arn } }); if it is not a secret, split or shorten it',
};

/** Keys whose values are no output: the JSON Schema reference of the file. */
const SKIPPED_KEYS: ReadonlySet<string> = new Set(['$schema']);

/**
 * Every secret-looking string value of raw definitions, walked generically (objects, lists, record
 * keys), each as an issue on the field holding it: `'<field>' (<masked>) contains <what>; <fix>`.
 */
export function secretValueIssues(input: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  walkStrings(input, [], (value, path) => {
    if (path.length === 0) return;
    const last = path[path.length - 1];
    const parent = typeof last === 'number' ? path.slice(0, -2) : path.slice(0, -1);
    const field = typeof last === 'number' ? `${String(path[path.length - 2])}[${last}]` : String(last);
    for (const hit of secretParts(value)) {
      issues.push({ path: parent, message: `'${field}' (${hit.masked}) contains ${WHAT[hit.kind]}; ${FIX[hit.kind]}` });
    }
  });
  return issues;
}
