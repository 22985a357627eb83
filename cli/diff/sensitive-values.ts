/**
 * Secrets never reach the report: values of Kubernetes `Secret` `data`/`stringData`, fields whose
 * name marks them sensitive (password, secret, token, private_key…), plain environment variables
 * with a secret-looking name, and sensitive Terraform outputs and variables print as `(sensitive)`.
 */
import { childPath, lastKey } from './field-path';
import type { RawChange } from './raw-change';
import type { FieldChange } from './report';

/** What a masked value prints as. */
export const MASKED = '(sensitive)';

const SENSITIVE_NAME = /(password|passwd|secret|token|private_?key|api_?key|access_?key|credential|passphrase|connection_?string)/i;
/** Names that mention a secret but hold a reference or a setting, not the secret itself. */
const REFERENCE_NAME = /(arn|_id|Id|name|Name|Ref|_ref|refs|version|_length|_count|_enabled|Enabled|_type|Type|_path|Path|_file|File|Mode|_mode)$/;
const SECRET_ENV_VALUE = /env\[([^\]]+)\]\.value$/;

/** True when a field of this name holds a secret value. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name) && !REFERENCE_NAME.test(name);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isSensitivePath(path: string, wholeItemSensitive: boolean): boolean {
  if (wholeItemSensitive) return true;
  const env = SECRET_ENV_VALUE.exec(path);
  if (env) return SENSITIVE_NAME.test(env[1]);
  return isSensitiveName(lastKey(path));
}

/** Masks sensitive strings in `value` (found at `path`), keeping its shape. */
function mask(value: unknown, path: string, wholeItemSensitive: boolean): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return isSensitivePath(path, wholeItemSensitive) ? MASKED : value;
  if (Array.isArray(value)) {
    if (isSensitivePath(path, wholeItemSensitive) && value.every((v) => typeof v === 'string')) return value.map(() => MASKED);
    return value.map((item, i) => {
      const label = isRecord(item) && typeof item.name === 'string' ? `[${item.name}]` : `[${i}]`;
      return mask(item, `${path}${label}`, wholeItemSensitive);
    });
  }
  if (isRecord(value)) {
    if (isSensitivePath(path, wholeItemSensitive) && path !== '') return MASKED;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, childPath(path, k), wholeItemSensitive)]));
  }
  return value;
}

/** The field changes of `change` with every sensitive value masked. */
export function maskedFields(change: RawChange): FieldChange[] {
  const body = (change.after ?? change.before) as Record<string, unknown> | undefined;
  const secretObject = change.layer === 'kubernetes' && change.type === 'Secret';
  const sensitiveBlock = change.layer === 'terraform' && (change.type === 'output' || change.type === 'variable') && isRecord(body) && body.sensitive === true;
  return change.fields.map((field) => {
    const whole = (secretObject && /^(data|stringData)\b/.test(field.path)) || (sensitiveBlock && field.path !== 'sensitive');
    const masked: FieldChange = { path: field.path, action: field.action };
    return {
      ...masked,
      ...(field.before !== undefined ? { before: mask(field.before, field.path, whole) } : {}),
      ...(field.after !== undefined ? { after: mask(field.after, field.path, whole) } : {}),
    };
  });
}
