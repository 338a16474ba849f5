import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import './index.js';
import { run } from '../run.js';

let root: string;

function capture(cwd: string, isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (c: string) => (stdout += c), isTTY, columns: 120 },
    stderr: { write: (c: string) => (stderr += c) },
    // no PATH: cargo is not looked for; no HOME: the cache goes under the temporary root
    env: { XDG_CACHE_HOME: join(cwd, '.cache') },
    cwd,
  };
  return { io, out: () => stdout, err: () => stderr };
}

const LOCK = {
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '1.3.0', ms: '2.1.3' } },
    'node_modules/left-pad': {
      version: '1.3.0',
      resolved: 'https://npm.example.com/left-pad/-/left-pad-1.3.0.tgz',
      integrity:
        'sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ9YUJgXqr5+iRkS2PO0mUWhxMT07eMeHrq8DS0T8g3fNKsNQ==',
      license: 'WTFPL',
    },
    'node_modules/ms': {
      version: '2.1.3',
      resolved: 'https://npm.example.com/ms/-/ms-2.1.3.tgz',
      integrity:
        'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
      license: 'MIT',
    },
  },
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'supplyaudit-cli-licenses-'));
  mkdirSync(join(root, 'app'));
  writeFileSync(
    join(root, 'app/package.json'),
    JSON.stringify({
      name: 'app',
      version: '1.0.0',
      dependencies: { 'left-pad': '1.3.0', ms: '2.1.3' },
    }),
  );
  writeFileSync(join(root, 'app/package-lock.json'), `${JSON.stringify(LOCK, null, 2)}\n`);
  writeFileSync(
    join(root, 'deny-wtfpl.json'),
    JSON.stringify({ licenses: { allow: ['MIT'], deny: ['WTFPL'] } }),
  );
  writeFileSync(
    join(root, 'except-wtfpl.json'),
    JSON.stringify({
      licenses: {
        deny: ['WTFPL'],
        exceptions: [{ package: 'left-pad@1.3.0', reason: 'tiny, rewritten next quarter' }],
      },
    }),
  );
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('supplyaudit licenses (in process)', () => {
  it('lists licenses as JSON and exits 1 on a denied one', async () => {
    const c = capture(root);
    const code = await run(
      ['licenses', 'app', '--offline', '--format', 'json', '--config', 'deny-wtfpl.json'],
      c.io,
    );
    expect(c.err()).toBe('');
    expect(code).toBe(1);
    const parsed: unknown = JSON.parse(c.out());
    expect(parsed).toEqual({
      packages: [
        {
          ecosystem: 'npm',
          name: 'left-pad',
          version: '1.3.0',
          purl: 'pkg:npm/left-pad@1.3.0',
          license: 'WTFPL',
          declared: null,
          source: 'lockfile',
          verdict: 'denied',
          location: { file: 'package-lock.json', line: 15 },
          exceptionReason: null,
        },
        {
          ecosystem: 'npm',
          name: 'ms',
          version: '2.1.3',
          purl: 'pkg:npm/ms@2.1.3',
          license: 'MIT',
          declared: null,
          source: 'lockfile',
          verdict: 'allowed',
          location: { file: 'package-lock.json', line: 21 },
          exceptionReason: null,
        },
      ],
      findings: [
        {
          id: 'license-denied',
          severity: 'high',
          package: {
            ecosystem: 'npm',
            name: 'left-pad',
            version: '1.3.0',
            purl: 'pkg:npm/left-pad@1.3.0',
          },
          location: { file: 'package-lock.json', line: 15 },
          message: 'left-pad@1.3.0 is licensed WTFPL, which is denied',
        },
      ],
      warnings: [],
    });
  });

  it('prints a table on a terminal and exits 0 when an exception covers the package', async () => {
    const c = capture(root, true);
    const code = await run(['licenses', 'app', '--offline', '--config', 'except-wtfpl.json'], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const lines = c.out().trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('left-pad'))).toEqual([
      '│ left-pad │ 1.3.0   │ WTFPL   │ lockfile │ excepted │',
    ]);
    expect(lines.at(-1)).toBe('2 packages: 1 excepted, 1 allowed');
  });

  it('exits 2 on a bad --format and on an invalid config', async () => {
    const bad = capture(root);
    expect(await run(['licenses', 'app', '--format', 'xml'], bad.io)).toBe(2);
    writeFileSync(
      join(root, 'broken.json'),
      JSON.stringify({ licenses: { exceptions: [{ package: 'x' }] } }),
    );
    const broken = capture(root);
    expect(await run(['licenses', 'app', '--offline', '--config', 'broken.json'], broken.io)).toBe(
      2,
    );
    expect(broken.err()).toContain(
      'licenses.exceptions[0].reason: required: say why this exception is acceptable',
    );
  });

  it('exits 3 when a lockfile cannot be read', async () => {
    const dir = join(root, 'broken-lock');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"name":"b","version":"1.0.0"}');
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3, "packages": ');
    const c = capture(root);
    expect(await run(['licenses', 'broken-lock', '--offline', '--format', 'json'], c.io)).toBe(3);
    expect(c.err()).toContain('package-lock.json');
  });
});
