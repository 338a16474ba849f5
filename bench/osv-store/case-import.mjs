// One import of the generated exports into a fresh database folder (built core from dist, or from
// SA_CORE_DIST to measure another build). Usage: node case-import.mjs DBDIR [Ecosystem] [FROM]
import { coreDist } from './dist.mjs';
import { DATA } from './generate.mjs';

const { importOsv } = await import(coreDist('osv/store/index.js'));
const [dbDir, ecosystem, from] = process.argv.slice(2);
const start = performance.now();
const summary = await importOsv({
  dbDir,
  from: from ?? DATA,
  ...(ecosystem && ecosystem !== 'all' ? { ecosystems: [ecosystem] } : {}),
});
const ms = performance.now() - start;
const records = summary.ecosystems.reduce((n, e) => n + e.records, 0);
console.log(
  JSON.stringify({
    ms,
    rssMB: process.resourceUsage().maxRSS / 1024,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    records,
  }),
);
