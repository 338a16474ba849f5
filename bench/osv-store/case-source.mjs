// The offline OSV source as a scan runs it (one lookup per name, schema check, version matching,
// findings) over the lookup tree, each package at version 1.0.5, in a fresh process; `ms` counts
// from before loading the modules. Usage: node case-source.mjs DBDIR cold|warm
import { coreDist } from './dist.mjs';
import { tree } from './generate.mjs';

const start = performance.now();
const { openOsvStore } = await import(coreDist('osv/store/index.js'));
const { runOsvSource } = await import(coreDist('osv/source.js'));
const [dbDir, mode] = process.argv.slice(2);

const packages = tree().map(([ecosystem, name]) => ({
  ecosystem,
  name,
  version: '1.0.5',
  purl: `pkg:${ecosystem.toLowerCase()}/${name}@1.0.5`,
  direct: false,
  dev: false,
  optional: false,
  paths: [],
  location: { file: 'lockfile', line: 1 },
  source: { type: 'registry' },
}));
const projects = [
  {
    root: '.',
    ecosystem: 'npm',
    manager: 'npm',
    lockfile: 'lockfile',
    packages,
    diagnostics: [],
    parsed: true,
  },
];

async function pass() {
  const store = await openOsvStore(dbDir);
  try {
    const result = await runOsvSource(projects, { mode: 'offline', store });
    if (result.status !== 'ok')
      throw new Error(`osv source ${result.status}: ${result.reason ?? ''}`);
    return { findings: result.findings.length, warnings: result.warnings.length };
  } finally {
    await store.close();
  }
}
let result = await pass();
let ms = performance.now() - start;
if (mode === 'warm') {
  const t = performance.now();
  result = await pass();
  ms = performance.now() - t;
}
console.log(
  JSON.stringify({
    ms,
    rssMB: process.resourceUsage().maxRSS / 1024,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    ...result,
  }),
);
