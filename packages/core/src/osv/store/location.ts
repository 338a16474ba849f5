// Where the database lives: --db, else $SUPPLYAUDIT_DB, else the config's `db`, else the user cache folder. The caller
// passes the environment in (the library never reads process.env).
import { isAbsolute, join, resolve, win32 } from 'node:path';

export interface DatabaseLocationInput {
  /** --db, when given */
  readonly flag?: string | undefined;
  /** the config file's `db`: below the flag and SUPPLYAUDIT_DB, above the default */
  readonly config?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly cwd: string;
}

export function resolveDatabaseDir(input: DatabaseLocationInput): string {
  const chosen =
    nonEmpty(input.flag) ?? nonEmpty(input.env['SUPPLYAUDIT_DB']) ?? nonEmpty(input.config);
  if (chosen !== undefined) return resolve(input.cwd, chosen);
  return defaultDatabaseDir(input.env, input.platform, input.home);
}

/** The per-user cache folder (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows). */
export function defaultDatabaseDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  home: string,
): string {
  if (platform === 'win32') {
    const local = nonEmpty(env['LOCALAPPDATA']) ?? win32.join(home, 'AppData', 'Local');
    return win32.join(local, 'supplyaudit', 'Cache', 'osv');
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'supplyaudit', 'osv');
  const xdg = nonEmpty(env['XDG_CACHE_HOME']);
  // The XDG spec says relative paths are invalid and must be ignored.
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.cache');
  return join(base, 'supplyaudit', 'osv');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
