// The OSV part of a scan alone: the tree is inventoried first (not timed), then open the store and
// run the OSV source (lookups, schema check, version matching, findings). Usage: node case-source.mjs DBDIR
import { join } from 'node:path';
import { DIST, cpuMs, rssMB } from './common.mjs';
import { TREE } from './generate.mjs';

const [dbDir] = process.argv.slice(2);
const { inventory } = await import(join(DIST, 'index.js'));
const { openOsvStore } = await import(join(DIST, 'osv', 'store', 'index.js'));
const { runOsvSource } = await import(join(DIST, 'osv', 'source.js'));
const inv = await inventory(TREE);
const projects = inv.projects.filter((p) => p.parsed);
const t0 = performance.now();
const c0 = process.cpuUsage();
const store = await openOsvStore(dbDir);
const result = await runOsvSource(projects, { mode: 'offline', store });
await store.close();
const ms = performance.now() - t0;
if (result.status !== 'ok') throw new Error(`osv source ${result.status}: ${result.reason ?? ''}`);
console.log(
  JSON.stringify({
    ms,
    cpuMs: cpuMs(c0),
    rssMB: rssMB(),
    findings: result.findings.length,
    packages: projects.reduce((n, p) => n + p.packages.length, 0),
  }),
);
