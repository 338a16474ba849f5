// RELIABILITY.md, "Versions": a version padded with 50k spaces, a 10k-digit component and a
// 10k-character prerelease, in every lockfile format, through the whole of `scan()` (inventory,
// OSV range matching on the offline store, checks, report) — linear, no crash.
import { importOsv, renderJson, scan, validateConfig, type Config } from '@supplyaudit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECOSYSTEM_OF, FORMATS, LOCKFILE_NAME, VULNERABLE } from './formats.js';
import { EXAMPLE_OSV, makeTmp, writeProject } from './harness.js';

const tmp = makeTmp('versions');
const dbDir = `${tmp.dir}/db`;
let config: Config;

beforeAll(async () => {
  await importOsv({ dbDir, from: EXAMPLE_OSV, now: new Date() });
  const result = validateConfig({ osv: { mode: 'offline' }, sources: ['osv'] });
  if (!result.ok) throw new Error('config');
  config = result.config;
});
afterAll(() => {
  tmp.cleanup();
});

const HOSTILE: [string, (v: string) => string][] = [
  ['padded with 50k spaces', (v) => `${' '.repeat(50_000)}${v}${' '.repeat(50_000)}`],
  ['a 10k-digit component', (v) => `${v}.${'9'.repeat(10_000)}`],
  ['a 10k-digit major', () => `${'1'.repeat(10_000)}.0.0`],
  ['a 10k-character prerelease', (v) => `${v}-${'a.1-'.repeat(2_500)}`],
  ['50k dots', (v) => `${v}${'.'.repeat(50_000)}`],
];

describe.each(FORMATS)('%s', (format) => {
  it('control: the plain vulnerable version gives a vulnerability finding at its line', async () => {
    const ecosystem = ECOSYSTEM_OF[format];
    const vulnerable = VULNERABLE[ecosystem];
    if (vulnerable === undefined) throw new Error(ecosystem);
    const root = `${tmp.dir}/${format}-control`;
    writeProject(root, '.', format, [vulnerable, { name: 'zlib-ng', version: '1.2.3' }]);
    const report = await scan({ path: root, config, dbDir });
    const hits = report.findings.filter(
      (f) => f.kind === 'vulnerability' && f.package?.name === vulnerable.name,
    );
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((f) => f.package?.version === vulnerable.version)).toBe(true);
    expect(hits[0]?.location?.file).toBe(LOCKFILE_NAME[format]);
  });

  it.each(HOSTILE)('a version %s: scan() finishes quickly and reports', async (_name, make) => {
    const ecosystem = ECOSYSTEM_OF[format];
    const vulnerable = VULNERABLE[ecosystem];
    if (vulnerable === undefined) throw new Error(ecosystem);
    const root = `${tmp.dir}/${format}-${_name.replaceAll(' ', '-')}`;
    writeProject(root, '.', format, [
      { name: vulnerable.name, version: make(vulnerable.version) },
      { name: 'zlib-ng', version: '1.2.3' },
    ]);
    const started = performance.now();
    const report = await scan({ path: root, config, dbDir });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(5_000);
    expect(report.projects.map((p) => p.lockfile)).toEqual([LOCKFILE_NAME[format]]);
    expect(report.sources.map((s) => `${s.name}:${s.status}`)).toEqual(['osv:ok']);
    // The hostile version is either kept as data or dropped with a warning; the other entry counts.
    expect(report.projects[0]?.packageCount).toBeGreaterThanOrEqual(1);
    // Never a finding that claims the hostile version is one of the vulnerable ones it is not.
    const json = renderJson(report);
    expect(json.length).toBeLessThan(2_000_000);
    expect([0, 1]).toContain(report.verdict.exitCode);
  });
});
