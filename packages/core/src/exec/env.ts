// The environment a tool gets: an allowlist from the host environment (passed in by the caller;
// the library never reads process.env), plus the variables the caller names explicitly.
import { isAbsolute } from 'node:path';
import { SupplyAuditError } from '../errors.js';
import { isInsideAny } from './paths.js';

/** Host variables a tool may see. Credentials (GITHUB_TOKEN, NPM_TOKEN, ...) are not here. */
export const ALLOWED_ENV_KEYS = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
  'SYSTEMROOT',
] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const SECRET_NAME = /token|secret|password|passwd|auth|key|credential/i;

export interface ChildEnvOptions {
  /** per-tool variables the caller passes on purpose (registry settings, a token it owns) */
  readonly extra?: Readonly<Record<string, string>>;
  /** PATH entries inside these directories are dropped (the scanned repository) */
  readonly forbiddenRoots?: readonly string[];
}

/** Build the child environment. Relative PATH entries and entries inside the repo are dropped. */
export function buildChildEnv(
  hostEnv: Readonly<Record<string, string | undefined>>,
  options: ChildEnvOptions = {},
): Record<string, string> {
  const entries = new Map<string, string>();
  for (const key of ALLOWED_ENV_KEYS) {
    if (!Object.hasOwn(hostEnv, key)) continue;
    const value = hostEnv[key];
    if (typeof value === 'string' && !value.includes('\0')) entries.set(key, value);
  }
  const path = entries.get('PATH');
  if (path !== undefined) {
    entries.set('PATH', sanitizePath(path, options.forbiddenRoots ?? []));
  }
  for (const [key, value] of Object.entries(options.extra ?? {})) {
    if (!ENV_NAME.test(key) || key === '__proto__') {
      throw new SupplyAuditError(
        'EXEC_FAILED',
        `invalid environment variable name ${JSON.stringify(key.slice(0, 80))}`,
      );
    }
    if (value.includes('\0')) {
      throw new SupplyAuditError('EXEC_FAILED', `environment variable ${key} contains a NUL byte`);
    }
    entries.set(key, value);
  }
  return Object.fromEntries(entries);
}

/** Values of explicitly passed variables that look like credentials, for redaction. */
export function secretValuesOf(extra: Readonly<Record<string, string>> | undefined): string[] {
  if (extra === undefined) return [];
  return Object.entries(extra)
    .filter(([k]) => SECRET_NAME.test(k))
    .map(([, v]) => v);
}

/** Keep absolute PATH entries outside the forbidden roots, in order, without duplicates. */
export function sanitizePath(path: string, forbiddenRoots: readonly string[]): string {
  const kept: string[] = [];
  for (const dir of path.split(':')) {
    if (dir === '' || !isAbsolute(dir) || kept.includes(dir)) continue;
    if (isInsideAny(dir, forbiddenRoots)) continue;
    kept.push(dir);
  }
  return kept.join(':');
}
