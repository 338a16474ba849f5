// `pnpm bench [suite...]`: builds nothing itself (run `pnpm build` first); suites: inventory, osv, osv-store.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printTable } from './harness.mjs';
import { generate, MONOREPO } from './inventory/generate.mjs';
import { osvSuite } from './osv/suite.mjs';
import { osvStoreSuite } from './osv-store/run.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 7);
const suites = {
  inventory() {
    if (!existsSync(MONOREPO)) generate();
    const results = measure(
      [
        {
          name: 'floor: JSON/YAML/TOML parse only',
          script: join(here, 'inventory/case-floor.mjs'),
          reference: true,
        },
        { name: 'supplyaudit inventory', script: join(here, 'inventory/case-inventory.mjs') },
      ],
      runs,
    );
    printTable(
      `inventory: 10,000 npm + 5,000 pnpm + 2,000 PyPI + 1,000 crates + 500 gems (median of ${runs} fresh processes)`,
      results,
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; inventory found ${results[1].extra.packages} packages in ${results[1].extra.projects} projects, ${results[1].extra.errors} errors`,
    );
  },
  // The OSV engine: offline scan cold/warm, db size independence, import, Renovate's osv-offline-db.
  osv() {
    osvSuite(runs);
  },
  // The offline store alone: import time and memory, cold/warm lookups, database 2x.
  'osv-store'() {
    osvStoreSuite(runs);
  },
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown suite ${name}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  await suite();
}
