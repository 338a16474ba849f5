// The library as a consumer uses it: the BUILT package (packages/core/dist) reached through its
// package.json `exports`, from a project that has it in node_modules, imported from ESM and
// required from CommonJS (Node >= 20.19 can require an ES module without top-level await).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'supplyaudit-consumer-'));
  mkdirSync(join(project, 'node_modules/@supplyaudit'), { recursive: true });
  symlinkSync(join(repo, 'packages/core'), join(project, 'node_modules/@supplyaudit/core'), 'dir');
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

function node(args: readonly string[]) {
  const r = spawnSync(process.execPath, args, {
    cwd: project,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: project,
      EXAMPLE: join(repo, 'examples/polyglot'),
      OSV: join(repo, 'examples/osv'),
      DB: join(project, 'osv-db'),
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastJsonLine(stdout: string): unknown {
  const value: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
  return value;
}

const ESM = `
import { importOsv, openOsvStore, inventory, scan, validateConfig, renderJson, renderSarif,
  renderMarkdown, renderTable, SupplyAuditError, VERSION } from '@supplyaudit/core';
const inv = await inventory(process.env.EXAMPLE);
await importOsv({ dbDir: process.env.DB, from: process.env.OSV });
const store = await openOsvStore(process.env.DB);
const lodash = (await store.lookup('npm', 'lodash')).length;
const status = store.status().ecosystems.map((e) => [e.ecosystem, e.records]);
await store.close();
const checked = validateConfig({ offline: true, sources: ['osv'] });
if (!checked.ok) throw new Error(checked.errors.join('; '));
const report = await scan({ path: process.env.EXAMPLE, config: checked.config, dbDir: process.env.DB });
const json = JSON.parse(renderJson(report));
let error = '';
try { await inventory(process.env.EXAMPLE + '/missing'); } catch (e) { error = e instanceof SupplyAuditError ? e.code : 'other'; }
console.log(JSON.stringify({
  version: VERSION,
  projects: inv.projects.map((p) => [p.ecosystem, p.lockfile, p.packages.length]),
  lodash, status,
  verdict: report.verdict.exitCode, complete: report.complete,
  ecosystems: [...new Set(report.findings.filter((f) => f.kind === 'vulnerability').map((f) => f.package.ecosystem))].sort(),
  sameJson: json.findings.length === report.findings.length,
  renders: [renderSarif(report).startsWith('{'), renderMarkdown(report).length > 0,
    renderTable(report, { width: 80, color: false }).includes('Verdict')],
  error,
}));
`;

describe('@supplyaudit/core from a consumer project', () => {
  it('ESM import: inventory, the offline database, scan and every renderer', () => {
    const r = node(['--input-type=module', '-e', ESM]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lastJsonLine(r.stdout)).toEqual({
      version: '0.1.0',
      projects: [
        ['npm', 'pnpm-workspace/pnpm-lock.yaml', 5],
        ['PyPI', 'python/requirements-dev.txt', 1],
        ['PyPI', 'python/requirements.txt', 7],
        ['PyPI', 'python/uv-app/uv.lock', 6],
        ['RubyGems', 'ruby/Gemfile.lock', 12],
        ['crates.io', 'rust/Cargo.lock', 8],
        ['npm', 'web/package-lock.json', 52],
      ],
      lodash: 4,
      status: [
        ['npm', 14],
        ['PyPI', 146],
        ['crates.io', 7],
        ['RubyGems', 154],
      ],
      verdict: 1,
      complete: true,
      ecosystems: ['PyPI', 'RubyGems', 'crates.io', 'npm'],
      sameJson: true,
      renders: [true, true, true],
      error: 'USAGE',
    });
  });

  it('CommonJS require (the package has no top-level await)', () => {
    const r = node([
      '-e',
      `const core = require('@supplyaudit/core');
       core.inventory(process.env.EXAMPLE).then((inv) => {
         console.log(JSON.stringify({ scan: typeof core.scan, error: typeof core.SupplyAuditError,
           packages: inv.projects.reduce((n, p) => n + p.packages.length, 0) }));
       });`,
    ]);
    expect(r.code).toBe(0);
    expect(lastJsonLine(r.stdout)).toEqual({ scan: 'function', error: 'function', packages: 91 });
  });

  it('exposes only its exports map: no deep imports into dist', () => {
    const r = node([
      '--input-type=module',
      '-e',
      `try { await import('@supplyaudit/core/dist/scan.js'); console.log('"imported"'); }
       catch (e) { console.log(JSON.stringify(e.code)); }`,
    ]);
    expect(lastJsonLine(r.stdout)).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const pkg = node([
      '-e',
      `console.log(JSON.stringify(require('@supplyaudit/core/package.json').name))`,
    ]);
    expect(lastJsonLine(pkg.stdout)).toBe('@supplyaudit/core');
  });
});
