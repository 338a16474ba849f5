// Cold start of the offline store in a fresh process: load the module, open the database and look
// up the tree's 10,000 names one after the other (as the OSV source does). `ms` counts from process
// start. Usage: node case-lookup.mjs DBDIR [--node24]
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DIST, cpuMs, onNode24, rssMB } from './common.mjs';
import { QUERIES } from './generate.mjs';

const { args, delegated } = onNode24(new URL(import.meta.url).pathname);
if (!delegated) {
  const [dbDir] = args;
  const queries = JSON.parse(readFileSync(QUERIES, 'utf8'));
  const t0 = performance.now();
  const { openOsvStore } = await import(join(DIST, 'osv', 'store', 'index.js'));
  const store = await openOsvStore(dbDir);
  const openMs = performance.now() - t0;
  let hits = 0;
  let records = 0;
  for (const [ecosystem, name] of queries) {
    const found = await store.lookup(ecosystem, name);
    if (found.length > 0) hits++;
    records += found.length;
  }
  await store.close();
  const ms = performance.now();
  console.log(
    JSON.stringify({
      ms,
      cpuMs: cpuMs(),
      rssMB: rssMB(),
      openMs,
      queryMs: ms - t0 - openMs,
      queries: queries.length,
      hits,
      records,
      node: process.version,
    }),
  );
}
