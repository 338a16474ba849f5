// Cold start of Renovate's @renovatebot/osv-offline-db on the same records (as .nedb files, the
// format its osv-offline bundle ships): new process, load the module, open the database, then the
// tree's 10,000 queries one after the other. `ms` counts from process start.
// Usage: node case-peer.mjs v3 --node24   (3.x: own line index over the .nedb file, Node >= 22.12)
//        node case-peer.mjs v1 [budgetMs]  (1.x: @seald-io/nedb loads every document; each query
//        scans them all, so after `budgetMs` of queries the rest is extrapolated and said so)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NEDB_V1, PEER_V1, PEER_V3, cpuMs, onNode24, peerVersion, rssMB } from './common.mjs';
import { NEDB_DIR, QUERIES } from './generate.mjs';

const { args, delegated } = onNode24(new URL(import.meta.url).pathname);
if (!delegated) {
  const [line, budgetArg] = args;
  const budgetMs = Number(budgetArg ?? 30_000);
  const queries = JSON.parse(readFileSync(QUERIES, 'utf8'));
  const t0 = performance.now();
  let OsvOfflineDb;
  if (line === 'v3') {
    ({ OsvOfflineDb } = await import(pathToFileURL(join(PEER_V3, 'dist', 'index.js')).href));
    OsvOfflineDb.rootDirectory = NEDB_DIR;
  } else {
    ({ OsvOfflineDb } = createRequire(join(PEER_V1, 'package.json'))(
      '@renovatebot/osv-offline-db',
    ));
    OsvOfflineDb.rootDirectory = NEDB_V1;
  }
  // 3.x indexes an ecosystem on its first query; 1.x loads all of them in create().
  const db = await OsvOfflineDb.create();
  const openMs = performance.now() - t0;
  let hits = 0;
  let records = 0;
  let done = 0;
  let queryMs = 0;
  // Per ecosystem, in the tree's order; 1.x gets an equal share of the budget per ecosystem and
  // the rest of that ecosystem's queries is extrapolated from its own measured rate.
  const ecosystems = [...new Set(queries.map(([e]) => e))];
  for (const eco of ecosystems) {
    const mine = queries.filter(([e]) => e === eco);
    const start = performance.now();
    let n = 0;
    for (const [ecosystem, name] of mine) {
      const found = await db.query(ecosystem, name);
      if (found.length > 0) hits++;
      records += found.length;
      n++;
      if (line === 'v1' && performance.now() - start > budgetMs / ecosystems.length) break;
    }
    const spent = performance.now() - start;
    queryMs += (spent / n) * mine.length;
    done += n;
  }
  const measuredMs = performance.now();
  // CPU time scaled like the wall time when queries were extrapolated
  const cpu = cpuMs() * ((openMs + queryMs + t0) / measuredMs);
  const ms = openMs + queryMs + t0;
  db[Symbol.dispose]?.();
  console.log(
    JSON.stringify({
      ms,
      cpuMs: cpu,
      rssMB: rssMB(),
      openMs,
      queryMs,
      queries: queries.length,
      queried: done,
      extrapolated: done < queries.length,
      measuredMs,
      // hits and records are of the queries run
      hits,
      records,
      version: peerVersion(line === 'v3' ? PEER_V3 : PEER_V1),
      node: process.version,
    }),
  );
}
