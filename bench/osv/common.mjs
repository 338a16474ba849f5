// Shared by the OSV engine benchmark cases: paths, the peers' locations, and running a case on
// Node 24 (for osv-offline-db 3.x) when asked with --node24.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, '..', '..', 'packages', 'core', 'dist');
export const PEERS = join(here, '..', '.data', 'peers');
export const NODE24 = join(PEERS, 'node24', 'node_modules', '.bin', 'node');
export const PEER_V3 = join(PEERS, 'v3', 'node_modules', '@renovatebot', 'osv-offline-db');
export const PEER_V1 = join(PEERS, 'v1', 'node_modules', '@renovatebot', 'osv-offline-db');
/** Imported stores (made by the suite from data-1x / data-2x). */
export const DB_1X = join(DATA, 'db-1x');
export const DB_2X = join(DATA, 'db-2x');
/** A copy of the .nedb files for osv-offline-db 1.x, which rewrites its files on every load. */
export const NEDB_V1 = join(DATA, 'nedb-v1');

export function peerVersion(dir) {
  const file = join(dir, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

export const rssMB = () => process.resourceUsage().maxRSS / 1024;

/** CPU time of the whole process (user + system, all threads) in ms, optionally since `from`. */
export function cpuMs(from) {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
}

/**
 * With --node24 on an older Node, run this same script on the peers' Node 24 and pass its last
 * line through (the case measures itself, so the extra process costs nothing in the figures).
 * Returns the arguments without the flag.
 */
export function onNode24(script) {
  const args = process.argv.slice(2);
  if (!args.includes('--node24')) return { args, delegated: false };
  const rest = args.filter((a) => a !== '--node24');
  if (Number(process.versions.node.split('.')[0]) >= 22) return { args: rest, delegated: false };
  if (!existsSync(NODE24)) throw new Error(`no Node 24 in ${NODE24}: run bench/osv/setup-peers.sh`);
  const out = execFileSync(NODE24, ['--expose-gc', script, ...rest], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  console.log(out.trim().split('\n').pop());
  return { args: rest, delegated: true };
}
