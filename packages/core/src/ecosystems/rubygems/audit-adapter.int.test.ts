// bundler-audit cannot be installed here (RubyGems only): the real "not installed" path, and the
// run() flow (staging, arguments, database checks) with a stand-in executable that replays a
// recorded real output.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool } from '../../exec/index.js';
import type { InventoriedProject } from '../../model/index.js';
import { createNativeSource } from '../../sources/native-source.js';
import type { SourceContext } from '../../sources/types.js';
import { bundlerAuditAdapter } from './audit-adapter.js';

const hostEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
const RECORDED = new URL(
  './__fixtures__/native/recorded/local-v0.9.3-insecure-source-and-unpatched-gem.json',
  import.meta.url,
);
let root: string;
let fakeBin: string;
let db: string;

const project: InventoriedProject = {
  ecosystem: 'RubyGems',
  dir: 'rb',
  manifest: 'rb/Gemfile',
  lockfile: 'rb/Gemfile.lock',
  parsed: true,
  diagnostics: [],
  packages: [],
};
const ctx = (extra: Partial<SourceContext> = {}): SourceContext => ({
  root,
  hostEnv,
  offline: true,
  timeoutMs: 30_000,
  tools: { 'bundler-audit': { db } },
  ...extra,
});

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sa-bundler-audit-'));
  mkdirSync(join(root, 'rb'));
  writeFileSync(join(root, 'rb/Gemfile'), 'system("touch pwned")\n');
  writeFileSync(
    join(root, 'rb/Gemfile.lock'),
    'GEM\n  remote: http://203.0.113.10/\n  specs:\n    rake (12.3.2)\n\nDEPENDENCIES\n  rake (= 12.3.2)\n',
  );
  db = join(root, 'ruby-advisory-db');
  mkdirSync(join(db, 'gems/rake'), { recursive: true });
  writeFileSync(join(db, 'gems/rake/CVE-2020-8130.yml'), '---\ngem: rake\ncve: 2020-8130\n');
  // The stand-in records its cwd, the files there and its arguments, then prints the real output.
  // Outside the scanned root: a binary inside it would be refused (as the next test checks).
  fakeBin = mkdtempSync(join(tmpdir(), 'sa-bundler-audit-bin-'));
  writeFileSync(
    join(fakeBin, 'bundle-audit'),
    `#!/bin/sh\nif [ "$1" = version ]; then echo "bundler-audit 0.9.3"; exit 0; fi\n{ pwd; ls -A; printf '%s\\n' "$@"; } > ${JSON.stringify(join(root, 'seen.txt'))}\ncat ${JSON.stringify(RECORDED.pathname)}\nexit 1\n`,
  );
  chmodSync(join(fakeBin, 'bundle-audit'), 0o755);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(fakeBin, { recursive: true, force: true });
});

describe('bundler-audit source', () => {
  it('is skipped when bundle-audit is not installed (the real state of this machine)', async () => {
    const real = await findTool('bundle-audit', { hostEnv, forbiddenRoots: [] });
    if (real.status === 'ok') return; // installed after all (see .ci/install-native-tools.sh)
    const result = await createNativeSource(bundlerAuditAdapter).run([project], ctx());
    expect(result).toMatchObject({
      status: 'skipped',
      reason: 'bundle-audit is not installed (bundle-audit was not found on PATH)',
      advisories: [],
    });
  });

  it('runs in a staged copy holding only the lockfile and an empty Gemfile', async () => {
    const result = await createNativeSource(bundlerAuditAdapter).run(
      [project],
      ctx({ hostEnv: { ...hostEnv, PATH: `${fakeBin}:/usr/bin:/bin` } }),
    );
    expect(result.status).toBe('ok');
    expect(result.version).toBe('0.9.3');
    expect(
      result.advisories.map((a) => [a.kind, a.ids.join(' '), a.packageName, a.version ?? '']),
    ).toEqual([
      ['insecure-source', 'bundler-audit/insecure-source', 'http://203.0.113.10/', ''],
      ['vulnerability', 'CVE-2020-8130 GHSA-jppv-gw3r-w3q8', 'rake', '12.3.2'],
    ]);
    const [cwd, ...rest] = readFileSync(join(root, 'seen.txt'), 'utf8').trimEnd().split('\n');
    expect(cwd?.startsWith(join(root, 'rb'))).toBe(false);
    expect(rest).toEqual([
      'Gemfile',
      'Gemfile.lock',
      'check',
      '--format=json',
      '--gemfile-lock=Gemfile.lock',
      '--no-update',
      '--quiet',
      `--database=${db}`,
    ]);
  });

  it('refuses to run a bundle-audit that lives inside the scanned repository', async () => {
    mkdirSync(join(root, 'rb/bin'), { recursive: true });
    writeFileSync(join(root, 'rb/bin/bundle-audit'), '#!/bin/sh\necho "bundler-audit 9.9.9"\n');
    chmodSync(join(root, 'rb/bin/bundle-audit'), 0o755);
    const result = await createNativeSource(bundlerAuditAdapter).run(
      [project],
      ctx({ hostEnv: { ...hostEnv, PATH: `${join(root, 'rb/bin')}:/usr/bin:/bin` } }),
    );
    expect(result).toMatchObject({
      status: 'failed',
      reason: `refusing to run bundle-audit from ${join(root, 'rb/bin/bundle-audit')}: it is inside the scanned repository`,
    });
  });

  it('refuses a missing database instead of letting bundler-audit clone one', async () => {
    const missing = join(root, 'no-db');
    const result = await createNativeSource(bundlerAuditAdapter).run(
      [project],
      ctx({
        hostEnv: { ...hostEnv, PATH: `${fakeBin}:/usr/bin:/bin` },
        tools: { 'bundler-audit': { db: missing } },
      }),
    );
    expect(result).toMatchObject({
      status: 'failed',
      reason: `rb/Gemfile.lock: the ruby-advisory-db directory ${missing} does not exist or is empty`,
    });
  });
});
