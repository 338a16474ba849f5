import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import './db.js';
import { run } from '../run.js';

const OSV = fileURLToPath(new URL('../../../core/src/osv/store/__fixtures__/osv', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'supplyaudit-cli-db-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function capture(env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    env,
    cwd: root,
  };
  return { io, out: () => stdout, err: () => stderr };
}

describe('supplyaudit db (in process)', () => {
  it('imports a folder of exports and shows the status as a table and as JSON', async () => {
    const c = capture({ SUPPLYAUDIT_DB: 'db-env' });
    expect(
      await run(['db', 'update', '--from', OSV, '--ecosystem', 'npm', '--ecosystem', 'pypi'], c.io),
    ).toBe(0);
    expect(c.err()).toBe('');
    const db = join(root, 'db-env');
    expect(c.out().split('\n').slice(0, 2)).toEqual([
      `npm: 56 records, 0 skipped, from ${join(OSV, 'npm', 'all.zip')} (sha256 51b049b55831)`,
      `PyPI: 2661 records, 0 skipped, from ${join(OSV, 'PyPI', 'all.zip')} (sha256 ${
        c
          .out()
          .split('\n')[1]
          ?.match(/sha256 ([0-9a-f]{12})/)?.[1] ?? '?'
      })`,
    ]);
    expect(c.out()).toMatch(
      new RegExp(
        `database updated in ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+\\.\\d s\\)\\n$`,
      ),
    );

    const t = capture({ SUPPLYAUDIT_DB: 'db-env' });
    expect(await run(['db', 'status'], t.io)).toBe(0);
    const lines = t.out().trimEnd().split('\n');
    expect(lines[0]).toBe(`OSV database ${db} (schema 1)`);
    expect(lines[1]).toMatch(/^ecosystem +records +skipped +source +sha256 +age$/);
    expect(lines[2]).toMatch(/^npm +56 +0 +\S+npm\/all\.zip +51b049b55831 +0 min$/);
    expect(lines[3]).toMatch(/^PyPI +2661 +0 /);

    const j = capture();
    expect(await run(['db', 'status', '--db', 'db-env', '--format', 'json'], j.io)).toBe(0);
    const status: unknown = JSON.parse(j.out());
    expect(status).toMatchObject({
      dir: db,
      schemaVersion: 1,
      ecosystems: [
        { ecosystem: 'npm', records: 56 },
        { ecosystem: 'PyPI', records: 2661 },
      ],
    });
  });

  it('exits 3 with one line when there is no database', async () => {
    const c = capture();
    expect(await run(['db', 'status', '--db', 'nothing-here'], c.io)).toBe(3);
    expect(c.err()).toBe(
      `supplyaudit: ${join(root, 'nothing-here')}: no OSV database: run supplyaudit db update\n`,
    );
  });

  it('exits 3 when the update fails, and 2 for usage errors', async () => {
    const bad = capture();
    expect(
      await run(
        [
          'db',
          'update',
          '--db',
          'db-bad',
          '--from',
          join(OSV, '..', 'copy-osv.sh'),
          '--ecosystem',
          'npm',
        ],
        bad.io,
      ),
    ).toBe(3);
    expect(bad.err()).toMatch(
      /^supplyaudit: db update failed: .*copy-osv\.sh: not a zip archive \(.*\)\n$/,
    );
    const usage = capture();
    expect(await run(['db', 'update', '--db', 'x', '--ecosystem', 'maven'], usage.io)).toBe(2);
    expect(usage.err()).toBe(
      'supplyaudit: --ecosystem: unknown ecosystem "maven"; expected some of npm, PyPI, crates.io, RubyGems\nRun supplyaudit --help for usage.\n',
    );
    const missing = capture();
    expect(await run(['db', 'update', '--db', 'x', '--from', 'no-such-dir'], missing.io)).toBe(2);
    expect(missing.err()).toBe(
      `supplyaudit: --from ${join(root, 'no-such-dir')}: no such file or folder\nRun supplyaudit --help for usage.\n`,
    );
  });
});
