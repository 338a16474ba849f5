// A cold offline scan of the generated 10,000-package tree in a fresh process (built core from
// packages/core/dist); `ms` counts from process start, so it includes Node's start and loading the
// modules. Usage: node case-scan.mjs DBDIR [warm]   (warm: `ms` is a second scan in the process)
import { join } from 'node:path';
import { DIST, cpuMs, rssMB } from './common.mjs';
import { TREE } from './generate.mjs';

const [dbDir, mode] = process.argv.slice(2);
const loadStart = performance.now();
const { scan } = await import(join(DIST, 'index.js'));
const { DEFAULT_CONFIG } = await import(join(DIST, 'policy', 'config.js'));
const loadMs = performance.now() - loadStart;
const config = { ...DEFAULT_CONFIG, offline: true };

const scanStart = performance.now();
let report = await scan({ path: TREE, config, dbDir });
const coldScanMs = performance.now() - scanStart;
let ms = performance.now();
let cpu = cpuMs();
if (mode === 'warm') {
  const t = performance.now();
  const c = process.cpuUsage();
  report = await scan({ path: TREE, config, dbDir });
  ms = performance.now() - t;
  cpu = cpuMs(c);
}
const osv = report.sources.find((s) => s.name === 'osv');
if (osv?.status !== 'ok')
  throw new Error(`osv source ${osv?.status ?? 'missing'}: ${osv?.reason ?? ''}`);
console.log(
  JSON.stringify({
    ms,
    cpuMs: cpu,
    rssMB: rssMB(),
    loadMs,
    coldScanMs,
    osvMs: osv.durationMs,
    packages: report.projects.reduce((n, p) => n + p.packageCount, 0),
    osvFindings: report.findings.filter((f) => f.sources.includes('osv')).length,
    allFindings: report.findings.length,
  }),
);
