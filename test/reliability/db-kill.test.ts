// RELIABILITY.md, "Advisory data": kill -9 during an update (after the download, after the index
// build, between writing and switching) leaves the previous database working and the next update
// recovers the dead process's lock; data older than the allowed age is said so. Uses the built
// core (`pnpm build` first) in a child process that SIGKILLs itself at a step of importOsv.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importOsv, openOsvStore, scan, validateConfig, type Config } from '@supplyaudit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OSV, REPO, field, makeTmp, writeProject } from './harness.js';

const tmp = makeTmp('db-kill');
afterAll(() => {
  tmp.cleanup();
});
const core = pathToFileURL(join(REPO, 'packages/core/dist/index.js')).href;

function killedImport(dbDir: string, step: string): { signal: NodeJS.Signals | null } {
  const script = `
    const { importOsv } = await import(${JSON.stringify(core)});
    await importOsv({
      dbDir: ${JSON.stringify(dbDir)},
      from: ${JSON.stringify(join(EXAMPLE_OSV, 'PyPI/all.zip'))},
      ecosystems: ['PyPI'],
      onStep: (step) => { if (step === ${JSON.stringify(step)}) process.kill(process.pid, 'SIGKILL'); },
    });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { signal: result.signal };
}

async function npmIds(dbDir: string): Promise<string[]> {
  const store = await openOsvStore(dbDir);
  try {
    const records = await store.lookup('npm', 'lodash');
    return records.map((r) => String(field(r, 'id'))).sort();
  } finally {
    await store.close();
  }
}

describe('kill -9 during db update', () => {
  it.each(['acquired', 'built', 'verified'])(
    'killed after "%s": the previous database answers, and the next update succeeds at once',
    async (step) => {
      const dbDir = join(tmp.dir, `db-${step}`);
      await importOsv({ dbDir, from: join(EXAMPLE_OSV, 'npm/all.zip'), ecosystems: ['npm'] });
      const before = await npmIds(dbDir);
      expect(before.length).toBeGreaterThan(0);
      expect(killedImport(dbDir, step).signal).toBe('SIGKILL');
      expect(await npmIds(dbDir)).toEqual(before);
      const store = await openOsvStore(dbDir);
      expect(store.status().ecosystems.map((e) => e.ecosystem)).toEqual(['npm']);
      await store.close();
      const started = performance.now();
      const summary = await importOsv({
        dbDir,
        from: join(EXAMPLE_OSV, 'PyPI/all.zip'),
        ecosystems: ['PyPI'],
      });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(summary.kept).toEqual(['npm']);
      expect(await npmIds(dbDir)).toEqual(before);
    },
  );
});

describe('data older than the allowed age', () => {
  let config: Config;
  beforeAll(() => {
    const result = validateConfig({ sources: ['osv'], offline: true });
    if (!result.ok) throw new Error('config');
    config = result.config;
  });

  it('offline: used, with a note naming its age', async () => {
    const dbDir = join(tmp.dir, 'db-old');
    const now = new Date('2026-06-30T00:00:00Z');
    await importOsv({
      dbDir,
      from: join(EXAMPLE_OSV, 'npm/all.zip'),
      ecosystems: ['npm'],
      now: new Date('2026-06-01T00:00:00Z'),
    });
    const root = join(tmp.dir, 'tree-old');
    writeProject(root, '.', 'package-lock', [{ name: 'lodash', version: '4.17.15' }]);
    const report = await scan({ path: root, config, dbDir, now: () => now });
    expect(report.sources.map((s) => `${s.name}:${s.status}`)).toEqual(['osv:ok']);
    expect(report.findings.some((f) => f.package?.name === 'lodash')).toBe(true);
    expect(report.warnings).toContain(
      'osv: the offline database is 29 days old (more than 7): run supplyaudit db update',
    );
  });
});
