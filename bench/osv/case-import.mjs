// One import of a generated export folder into a new database (built core from dist).
// Usage: node case-import.mjs FROM DBDIR [Ecosystem] [--keep]   (without --keep DBDIR is removed after)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, cpuMs, rssMB } from './common.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const [from, dbDir, ecosystem] = args.filter((a) => a !== '--keep');
const { importOsv } = await import(join(DIST, 'osv', 'store', 'index.js'));
rmSync(dbDir, { recursive: true, force: true });
const start = performance.now();
const c0 = process.cpuUsage();
const summary = await importOsv({
  dbDir,
  from,
  ...(ecosystem === undefined ? {} : { ecosystems: [ecosystem] }),
});
const ms = performance.now() - start;
const cpu = cpuMs(c0);
if (!keep) rmSync(dbDir, { recursive: true, force: true });
const records = summary.ecosystems.reduce((n, e) => n + e.records, 0);
const skipped = summary.ecosystems.reduce((n, e) => n + e.skipped, 0);
console.log(JSON.stringify({ ms, cpuMs: cpu, rssMB: rssMB(), records, skipped }));
