// One update at a time per database: a lock file created exclusively, holding pid, host and a
// token, kept fresh by a heartbeat. A lock whose process is dead (same host) or whose heartbeat
// stopped is stale and taken over; the switch re-checks the token, so a lock taken over from a
// process that was only slow makes that process abort instead of switching.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SupplyAuditError } from '../../errors.js';
import { LOCK_FILE, describe, isErrno } from './layout.js';
import { own } from './records.js';

export interface LockOptions {
  /** heartbeat older than this makes a lock stale (default 30 s) */
  readonly staleMs?: number;
  /** how long to wait for a live lock before failing (default 0: fail at once) */
  readonly waitMs?: number;
  /** heartbeat period (default 5 s) */
  readonly heartbeatMs?: number;
}

export interface UpdateLock {
  readonly token: string;
  /** true while the lock file is still ours */
  isHeld(): Promise<boolean>;
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  hostname: string;
  token: string;
  createdAt: string;
}

export async function acquireUpdateLock(
  dbDir: string,
  options: LockOptions = {},
): Promise<UpdateLock> {
  const file = join(dbDir, LOCK_FILE);
  const token = randomBytes(8).toString('hex');
  const staleMs = options.staleMs ?? 30_000;
  const waitUntil = Date.now() + (options.waitMs ?? 0);
  const content: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    token,
    createdAt: new Date().toISOString(),
  };
  for (;;) {
    try {
      await writeFile(file, JSON.stringify(content), { flag: 'wx', mode: 0o644 });
      break;
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) {
        throw new SupplyAuditError(
          'DB_WRITE_FAILED',
          `${dbDir}: cannot create the update lock: ${describe(error)}`,
          {
            cause: error,
          },
        );
      }
    }
    const holder = await inspect(file, staleMs);
    if (holder.stale) {
      // Move it aside rather than delete: if another process took it over first, our rename
      // moves *its* fresh lock, and its token check before switching makes it abort.
      await rename(file, `${file}.stale-${token}`).catch(() => undefined);
      await rm(`${file}.stale-${token}`, { force: true });
      continue;
    }
    if (Date.now() >= waitUntil) {
      throw new SupplyAuditError(
        'DB_LOCKED',
        `${dbDir}: another update is running (${holder.description}); try again when it has finished`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const timer = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => undefined);
  }, options.heartbeatMs ?? 5000);
  timer.unref();
  return {
    token,
    async isHeld(): Promise<boolean> {
      const held = await readLock(file);
      return held?.token === token;
    },
    async release(): Promise<void> {
      clearInterval(timer);
      const held = await readLock(file);
      if (held?.token === token) await rm(file, { force: true });
    },
  };
}

async function inspect(
  file: string,
  staleMs: number,
): Promise<{ stale: boolean; description: string }> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch {
    return { stale: false, description: 'lock just released' };
  }
  const age = Date.now() - mtimeMs;
  const held = await readLock(file);
  if (held === undefined) {
    // Created but not yet written, or written by something else: stale once it is not brand new.
    return { stale: age > 2000, description: 'unreadable lock file' };
  }
  const description = `pid ${String(held.pid)} on ${held.hostname} since ${held.createdAt}`;
  if (held.hostname === hostname() && !isProcessAlive(held.pid))
    return { stale: true, description };
  return { stale: age > staleMs, description };
}

async function readLock(file: string): Promise<LockContent | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const pid = own(data, 'pid');
  const host = own(data, 'hostname');
  const token = own(data, 'token');
  const createdAt = own(data, 'createdAt');
  if (typeof pid !== 'number' || typeof host !== 'string' || typeof token !== 'string')
    return undefined;
  return { pid, hostname: host, token, createdAt: typeof createdAt === 'string' ? createdAt : '?' };
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, 'EPERM');
  }
}
