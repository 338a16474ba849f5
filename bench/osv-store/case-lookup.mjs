// Cold then warm lookups of a 10,000-package tree in a fresh process: the time includes loading
// the store module, opening the database and reading the indexes. Usage: node case-lookup.mjs DBDIR cold|warm
import { coreDist } from './dist.mjs';
import { tree } from './generate.mjs';

const start = performance.now();
const { openOsvStore } = await import(coreDist('osv/store/index.js'));
const [dbDir, mode] = process.argv.slice(2);

const store = await openOsvStore(dbDir);
const packages = tree();
async function pass() {
  let records = 0;
  let hits = 0;
  await Promise.all(
    packages.map(async ([eco, name]) => {
      const found = await store.lookup(eco, name);
      records += found.length;
      if (found.length > 0) hits++;
    }),
  );
  return { records, hits };
}
let result = await pass();
let ms = performance.now() - start;
if (mode === 'warm') {
  const t = performance.now();
  result = await pass();
  ms = performance.now() - t;
}
await store.close();
console.log(
  JSON.stringify({
    ms,
    rssMB: process.resourceUsage().maxRSS / 1024,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    ...result,
  }),
);
