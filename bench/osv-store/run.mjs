// `node bench/osv-store/run.mjs [import] [lookup]`: generate the full-scale exports (once), then
// measure import time and peak RSS, and cold/warm lookups of a 10,000-package tree (store alone,
// and through the OSV source as a scan runs it), on the database and on one twice its size, each
// in fresh processes (medians). Needs `pnpm build` first (the cases import packages/core/dist;
// SA_CORE_DIST=/abs/dist measures another build). BENCH_RUNS sets the runs (default 5).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, runCase } from '../harness.mjs';
import { DATA, DATA_2X, generate, generate2x } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Like the harness's measure(), also keeping the median process CPU time (user + system). */
function measure(cases, runs) {
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let r = 0; r < runs; r++) {
    for (const c of cases) samples.get(c.name).push(runCase(c.script, c.args, c.env));
  }
  return cases.map((c) => {
    const s = samples.get(c.name);
    return {
      name: c.name,
      reference: c.reference === true,
      ms: median(s.map((x) => x.ms)),
      rssMB: median(s.map((x) => x.rssMB)),
      cpuMs: median(s.map((x) => x.cpuMs)),
      extra: s[0],
    };
  });
}

const cpuNote = (results) =>
  `median process CPU ms (user+system; less sensitive than wall time to other jobs): ${results.map((r) => `${r.name.split(':')[0]} ${r.cpuMs.toFixed(0)}`).join('; ')}`;

export function osvStoreSuite(
  runs = Number(process.env.BENCH_RUNS ?? 5),
  parts = ['import', 'lookup'],
) {
  if (!existsSync(join(DATA, 'npm', 'all.zip'))) generate();
  if (!existsSync(join(DATA_2X, 'npm', 'all.zip'))) generate2x();
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const machine = `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average at start ${load()}`;
  const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-osv-'));
  try {
    if (parts.includes('import')) {
      // Each run imports into its own new folder, so every import is a first import.
      const imports = [];
      for (const [name, eco] of [
        ['import npm (230,000 records)', 'npm'],
        ['import all four (254,000 records)', 'all'],
      ]) {
        const samples = [];
        for (let r = 0; r < runs; r++) {
          const db = join(scratch, `db-${String(r)}-${eco}`);
          samples.push(runCase(join(here, 'case-import.mjs'), [db, eco]));
          rmSync(db, { recursive: true, force: true });
        }
        const med = (k) => [...samples.map((s) => s[k])].sort((a, b) => a - b)[samples.length >> 1];
        imports.push({
          name,
          reference: false,
          ms: med('ms'),
          rssMB: med('rssMB'),
          cpuMs: med('cpuMs'),
          extra: samples[0],
        });
      }
      imports[0].reference = true;
      printTable(
        `osv-store import (median of ${String(runs)} fresh processes, new database each)`,
        imports,
        `${machine}\n${cpuNote(imports)}`,
      );
    }
    if (parts.includes('lookup')) {
      const db = join(scratch, 'db-1x');
      const db2 = join(scratch, 'db-2x');
      runCase(join(here, 'case-import.mjs'), [db, 'all']);
      runCase(join(here, 'case-import.mjs'), [db2, 'all', DATA_2X]);
      const lookup = join(here, 'case-lookup.mjs');
      const source = join(here, 'case-source.mjs');
      const lookups = measure(
        [
          {
            name: 'cold: new process, open + 10,000 lookups',
            script: lookup,
            args: [db, 'cold'],
            reference: true,
          },
          { name: 'cold, database 2x (508,000 records)', script: lookup, args: [db2, 'cold'] },
          { name: 'warm: second pass of 10,000 lookups', script: lookup, args: [db, 'warm'] },
          { name: 'source cold: lookups + parse + match', script: source, args: [db, 'cold'] },
          { name: 'source cold, database 2x', script: source, args: [db2, 'cold'] },
          { name: 'source warm: second run (store reopened)', script: source, args: [db, 'warm'] },
        ],
        runs,
      );
      const [cold, , , src] = lookups;
      printTable(
        `osv-store lookups: 7,000 npm + 2,000 PyPI + 500 crates + 500 gems (median of ${String(runs)} fresh processes)`,
        lookups,
        `${machine}, at end ${load()}; ${String(cold.extra.hits)} packages with advisories, ${String(cold.extra.records)} records returned; source: ${String(src.extra.findings)} findings\n${cpuNote(lookups)}`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const parts = process.argv.slice(2);
  osvStoreSuite(undefined, parts.length > 0 ? parts : ['import', 'lookup']);
}
