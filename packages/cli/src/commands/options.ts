// Helpers shared by commands for flags and environment variables.
import { SupplyAuditError } from '@supplyaudit/core';
import type { Io } from '../io.js';

export function usageError(message: string): SupplyAuditError {
  return new SupplyAuditError('USAGE', message);
}

/** `a,b, c` → validated names; an unknown name is a usage error naming the flag. */
export function splitList<T extends string>(
  value: string,
  allowed: readonly T[],
  flag: string,
): T[] {
  const out: T[] = [];
  for (const part of value.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    const hit = allowed.find((a) => a === name);
    if (hit === undefined)
      throw usageError(
        `${flag}: unknown source ${JSON.stringify(name)}; expected some of ${allowed.join(', ')}`,
      );
    out.push(hit);
  }
  return out;
}

/** `1`/`true`/`yes` → true, `0`/`false`/`no` → false, unset → undefined. */
export function envFlag(env: Io['env'], name: string): boolean | undefined {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw usageError(`${name}: expected true or false, got ${JSON.stringify(env[name])}`);
}

/** Colour on a terminal unless NO_COLOR; FORCE_COLOR forces it (https://no-color.org). */
export function colorEnabled(io: Io, stream: Io['stdout']): boolean {
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  const no = io.env['NO_COLOR'];
  if (no !== undefined && no !== '') return false;
  return stream.isTTY === true;
}

/** `--quiet`, else `SUPPLYAUDIT_QUIET`. */
export function isQuiet(argv: Readonly<Record<string, unknown>>, env: Io['env']): boolean {
  const flag = argv['quiet'];
  if (typeof flag === 'boolean') return flag;
  return envFlag(env, 'SUPPLYAUDIT_QUIET') ?? false;
}

/** `--config FILE`, else `SUPPLYAUDIT_CONFIG`; undefined means look for one. */
export function configFile(
  argv: Readonly<Record<string, unknown>>,
  env: Io['env'],
): string | undefined {
  const flag = argv['config'];
  if (typeof flag === 'string' && flag !== '') return flag;
  const fromEnv = env['SUPPLYAUDIT_CONFIG'];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/**
 * The proxy for requests to `url`, from HTTPS_PROXY / https_proxy / HTTP_PROXY / http_proxy (the
 * first set, for https and http alike, as curl does for HTTPS_PROXY), unless NO_PROXY names the
 * host: `*`, a host name, or a domain (`example.com` and `.example.com` both match its
 * subdomains), with an optional `:port`.
 */
export function proxyFor(env: Io['env'], url: string): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  const names =
    target.protocol === 'https:'
      ? ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']
      : ['HTTP_PROXY', 'http_proxy'];
  const proxy = names.map((n) => env[n]?.trim()).find((v) => v !== undefined && v !== '');
  if (proxy === undefined) return undefined;
  const noProxy = env['NO_PROXY'] ?? env['no_proxy'] ?? '';
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port === '' ? (target.protocol === 'https:' ? '443' : '80') : target.port;
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return undefined;
    const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
    const parts = entry.split(':');
    const [rawName, entryPort] =
      bracketed !== null
        ? [bracketed[1] ?? '', bracketed[2]]
        : parts.length === 2
          ? [parts[0] ?? '', parts[1]]
          : [entry, undefined];
    const name = rawName.replace(/^\*?\./, '');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return undefined;
  }
  return proxy;
}

/**
 * Columns to render tables in: the terminal's width; else `COLUMNS` when set (tests and pipes
 * fix the layout with it); else 100 on stdout and 120 in a file.
 */
export function outputWidth(io: Io, toFile: boolean): number {
  if (!toFile && io.stdout.isTTY === true && io.stdout.columns !== undefined)
    return io.stdout.columns;
  const columns = Number(io.env['COLUMNS']);
  if (Number.isSafeInteger(columns) && columns >= 40 && columns <= 1000) return columns;
  return toFile ? 120 : 100;
}
