// `node bench/osv-store/run.mjs`: generate the full-scale exports (once), then measure import time
// and peak RSS, and cold/warm lookups of a 10,000-package tree, each in fresh processes (medians).
// Needs `pnpm build` first (the cases import packages/core/dist).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printTable, runCase } from '../harness.mjs';
import { DATA, generate } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);
if (!existsSync(join(DATA, 'npm', 'all.zip'))) generate();

const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-osv-'));
try {
  // Each run imports into its own new folder, so every import is a first import.
  const imports = [];
  for (const [name, eco] of [['import npm (230,000 records)', 'npm'], ['import all four (254,000 records)', undefined]]) {
    const samples = [];
    for (let r = 0; r < runs; r++) samples.push(runCase(join(here, 'case-import.mjs'), [join(scratch, `db-${r}-${eco ?? 'all'}`), ...(eco ? [eco] : [])]));
    const med = (k) => [...samples.map((s) => s[k])].sort((a, b) => a - b)[samples.length >> 1];
    imports.push({ name, reference: false, ms: med('ms'), rssMB: med('rssMB'), extra: samples[0] });
  }
  imports[0].reference = true;
  printTable(`osv-store import (median of ${runs} fresh processes, new database each)`, imports);

  const db = join(scratch, `db-0-all`);
  const lookups = measure(
    [
      { name: 'cold: new process, open + 10,000 lookups', script: join(here, 'case-lookup.mjs'), args: [db, 'cold'], reference: true },
      { name: 'warm: second pass of 10,000 lookups', script: join(here, 'case-lookup.mjs'), args: [db, 'warm'] },
    ],
    runs,
  );
  printTable(
    `osv-store lookups: 7,000 npm + 2,000 PyPI + 500 crates + 500 gems (median of ${runs} fresh processes)`,
    lookups,
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${lookups[0].extra.hits} packages with advisories, ${lookups[0].extra.records} records returned`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
