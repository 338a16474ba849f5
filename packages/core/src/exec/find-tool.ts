// Tool discovery: where a tool is on PATH (never inside the scanned repository), and its version.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describeError } from '../errors.js';
import { buildChildEnv } from './env.js';
import { isInsideAny } from './paths.js';
import { runCommand } from './run-command.js';

const BARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const VERSION = /\d{1,9}(?:\.\d{1,9}){1,3}/;

export type BinaryLookup =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly rejected: boolean; readonly reason: string };

/**
 * Find an executable by bare name on `pathEnv`, or check an absolute path. Relative PATH entries
 * (which would mean the tool's working directory, inside the repo) are ignored; a binary that is,
 * or resolves through a symlink, inside a forbidden root is rejected rather than run.
 */
export function resolveBinary(
  name: string,
  options: { readonly pathEnv: string | undefined; readonly forbiddenRoots: readonly string[] },
): BinaryLookup {
  const roots = options.forbiddenRoots;
  if (isAbsolute(name))
    return (
      checkCandidate(name, name, roots) ?? missing(`${name} does not exist or is not executable`)
    );
  if (!BARE_NAME.test(name)) {
    return {
      found: false,
      rejected: true,
      reason: `invalid tool name ${JSON.stringify(name.slice(0, 80))}`,
    };
  }
  for (const dir of (options.pathEnv ?? '').split(':')) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const hit = checkCandidate(name, join(dir, name), roots);
    if (hit !== undefined) return hit;
  }
  return missing(`${name} was not found on PATH`);
}

function missing(reason: string): BinaryLookup {
  return { found: false, rejected: false, reason };
}

function checkCandidate(
  name: string,
  candidate: string,
  roots: readonly string[],
): BinaryLookup | undefined {
  try {
    if (!statSync(candidate).isFile()) return undefined;
    accessSync(candidate, constants.X_OK);
  } catch {
    return undefined;
  }
  if (isInsideAny(candidate, roots)) {
    return {
      found: false,
      rejected: true,
      reason: `refusing to run ${name} from ${realpathSync(candidate)}: it is inside the scanned repository`,
    };
  }
  return { found: true, path: candidate };
}

export interface FindToolOptions {
  /** the host environment (PATH is read from it); passed in, never process.env */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  /** directories a binary must not come from: the scanned root */
  readonly forbiddenRoots: readonly string[];
  /** an explicit binary path from configuration instead of a PATH search */
  readonly explicitPath?: string;
  readonly minVersion?: string;
  /** how to ask for the version; `--version` by default */
  readonly versionArgs?: readonly string[];
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type ToolInfo =
  | {
      readonly status: 'ok';
      readonly installed: true;
      readonly tooOld: false;
      readonly path: string;
      readonly version: string | undefined;
    }
  | {
      readonly status: 'too-old';
      readonly installed: true;
      readonly tooOld: true;
      readonly path: string;
      readonly version: string;
      readonly reason: string;
    }
  | {
      readonly status: 'missing';
      readonly installed: false;
      readonly tooOld: false;
      readonly reason: string;
    }
  /** a binary was found but refused (inside the repo) or does not answer `--version` */
  | {
      readonly status: 'unusable';
      readonly installed: false;
      readonly tooOld: false;
      readonly reason: string;
    };

/** Locate `name`, run `name --version` with a short timeout, and compare with `minVersion`. */
export async function findTool(name: string, options: FindToolOptions): Promise<ToolInfo> {
  const lookup = resolveBinary(options.explicitPath ?? name, {
    pathEnv: options.hostEnv['PATH'],
    forbiddenRoots: options.forbiddenRoots,
  });
  if (!lookup.found) {
    return lookup.rejected
      ? { status: 'unusable', installed: false, tooOld: false, reason: lookup.reason }
      : {
          status: 'missing',
          installed: false,
          tooOld: false,
          reason: `${name} is not installed (${lookup.reason})`,
        };
  }
  let output: string;
  try {
    const env = buildChildEnv(options.hostEnv, { forbiddenRoots: options.forbiddenRoots });
    const result = await runCommand({
      file: lookup.path,
      args: options.versionArgs ?? ['--version'],
      cwd: homeOrRoot(env['HOME']),
      env,
      timeoutMs: options.timeoutMs ?? 15_000,
      killGraceMs: 1_000,
      maxStdoutBytes: 64 * 1024,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (result.exitCode !== 0) {
      return {
        status: 'unusable',
        installed: false,
        tooOld: false,
        reason: `${name} at ${lookup.path} failed to report its version (exit ${String(result.exitCode)})`,
      };
    }
    output = `${result.stdout}\n${result.stderr}`;
  } catch (error) {
    return {
      status: 'unusable',
      installed: false,
      tooOld: false,
      reason: `${name} at ${lookup.path}: ${describeError(error)}`,
    };
  }
  const version = VERSION.exec(output.slice(0, 4096))?.[0];
  if (
    options.minVersion !== undefined &&
    version !== undefined &&
    compareDottedVersions(version, options.minVersion) < 0
  ) {
    return {
      status: 'too-old',
      installed: true,
      tooOld: true,
      path: lookup.path,
      version,
      reason: `${name} ${version} is older than the ${options.minVersion} supplyaudit needs`,
    };
  }
  return { status: 'ok', installed: true, tooOld: false, path: lookup.path, version };
}

/** Numeric comparison of dotted versions (`2.10.1` > `2.9`); missing parts count as 0. */
export function compareDottedVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function homeOrRoot(home: string | undefined): string {
  try {
    if (home !== undefined && statSync(home).isDirectory()) return home;
  } catch {
    // fall through
  }
  return '/';
}
