// One import of the generated exports into a fresh database folder (built core from dist).
// Usage: node case-import.mjs DBDIR [Ecosystem]
import { importOsv } from '../../packages/core/dist/osv/store/index.js';
import { DATA } from './generate.mjs';

const [dbDir, ecosystem] = process.argv.slice(2);
const start = performance.now();
const summary = await importOsv({ dbDir, from: DATA, ...(ecosystem ? { ecosystems: [ecosystem] } : {}) });
const ms = performance.now() - start;
const records = summary.ecosystems.reduce((n, e) => n + e.records, 0);
console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, records }));
