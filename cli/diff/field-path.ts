/** Field paths as the report prints them: `vpc_config.endpoint_public_access`, `metadata.labels["app.kubernetes.io/name"]`. */

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Appends an object key to a path. */
export function childPath(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Appends a list segment (`[0]`, `[web]`, `[containerPort=8080]`) to a path. */
export function itemPath(path: string, label: string): string {
  return `${path}${label}`;
}

/** The last object key of a path (`password` for `spec.master_password`), used to spot sensitive fields. */
export function lastKey(path: string): string {
  const match = /(?:^|\.)([A-Za-z_$][\w$-]*)$|\["((?:[^"\\]|\\.)*)"\]$/.exec(path);
  return match?.[1] ?? (match?.[2] !== undefined ? (JSON.parse(`"${match[2]}"`) as string) : '');
}
