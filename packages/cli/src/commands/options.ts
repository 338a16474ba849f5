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
