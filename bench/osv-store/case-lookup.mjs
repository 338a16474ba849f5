// Cold then warm lookups of a 10,000-package tree in a fresh process: the time includes loading
// the store module, opening the database and reading the indexes. Usage: node case-lookup.mjs DBDIR cold|warm
import { malName, packageName } from './generate.mjs';

const start = performance.now();
const { openOsvStore } = await import('../../packages/core/dist/osv/store/index.js');
const [dbDir, mode] = process.argv.slice(2);

/** 7,000 npm + 2,000 PyPI + 500 crates + 500 gems; about a third of them have advisories. */
function tree() {
  const out = [];
  for (let i = 0; i < 7000; i++) out.push(['npm', i % 3 === 0 ? packageName('npm', i) : i % 3 === 1 ? malName('npm', i * 7) : `clean-${i}`]);
  for (let i = 0; i < 2000; i++) out.push(['PyPI', i % 2 === 0 ? packageName('PyPI', i).toUpperCase() : `clean_${i}`]);
  for (let i = 0; i < 500; i++) out.push(['crates.io', i % 2 === 0 ? packageName('crates.io', i) : `clean-${i}`]);
  for (let i = 0; i < 500; i++) out.push(['RubyGems', i % 2 === 0 ? packageName('RubyGems', i) : `clean_${i}`]);
  return out;
}

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
console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, ...result }));
