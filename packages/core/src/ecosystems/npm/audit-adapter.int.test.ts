// The real npm CLI running `npm audit` through the npm-audit source against a loopback registry
// (test/servers/npm-audit-server.ts) serving real GitHub advisories, in a project whose hostile
// .npmrc tries to redirect the audit and attach a token.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startNpmAuditServer,
  type NpmAuditServer,
} from '../../../../../test/servers/npm-audit-server.js';
import { formatPurl, type InventoriedProject, type Package } from '../../model/index.js';
import { createNativeSource } from '../../sources/native-source.js';
import type { SourceContext } from '../../sources/types.js';
import { npmAuditAdapter } from './audit-adapter.js';

const FIXTURE = new URL('./__fixtures__/native/project-lodash-minimist/', import.meta.url);
const TOKEN = 'SECRET-npm-token-0123456789';
let server: NpmAuditServer;
let root: string;

function pkg(name: string, version: string, dev = false): Package {
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: formatPurl('npm', name, version),
    direct: !dev || name === 'mkdirp',
    dev,
    optional: false,
    paths: [],
    location: { file: 'app/package-lock.json', line: 1 },
    source: { type: 'registry' },
  };
}
const project = (lockfile = 'app/package-lock.json'): InventoriedProject => ({
  ecosystem: 'npm',
  dir: 'app',
  manifest: 'app/package.json',
  lockfile,
  parser: 'npm/package-lock',
  parsed: true,
  diagnostics: [],
  packages: [
    pkg('lodash', '4.17.15'),
    pkg('minimist', '1.2.0'),
    pkg('minimist', '0.0.8', true),
    pkg('mkdirp', '0.5.1', true),
  ],
});
const ctx = (extra: Partial<SourceContext> = {}): SourceContext => ({
  root,
  hostEnv: {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_TOKEN: 'ghp_notforthetool0123456789012345',
    NPM_TOKEN: TOKEN,
  },
  offline: false,
  timeoutMs: 60_000,
  tools: { 'npm-audit': { registry: server.url, isolateUserConfig: true } },
  ...extra,
});

beforeAll(async () => {
  server = await startNpmAuditServer();
  root = mkdtempSync(join(tmpdir(), 'sa-npm-audit-'));
  mkdirSync(join(root, 'app'));
  copyFileSync(new URL('package.json', FIXTURE), join(root, 'app/package.json'));
  copyFileSync(new URL('package-lock.json', FIXTURE), join(root, 'app/package-lock.json'));
  const host = new URL(server.url).host;
  // Hostile project config: another registry, a token for ours, and env expansion of NPM_TOKEN.
  writeFileSync(
    join(root, 'app/.npmrc'),
    `registry=${server.url}evil/\n//${host}/:_authToken=${TOKEN}\n//${host}/evil/:_authToken=\${NPM_TOKEN}\n_auth=${Buffer.from(`u:${TOKEN}`).toString('base64')}\nalways-auth=true\n`,
  );
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('npm audit (real npm) against the loopback bulk endpoint', () => {
  it('reports the real advisories and never sends the project .npmrc credentials', async () => {
    const result = await createNativeSource(npmAuditAdapter).run([project()], ctx());
    expect(result.status).toBe('ok');
    expect(result.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(
      result.advisories
        .map((a) => [
          a.ids.join(' '),
          `${a.packageName}@${a.version ?? ''}`,
          a.severity,
          a.fixedVersions.join('|'),
          a.lockfile,
        ])
        .sort(),
    ).toEqual([
      ['GHSA-29mw-wpgm-hmr9', 'lodash@4.17.15', 'medium', '4.17.21', 'app/package-lock.json'],
      ['GHSA-35jh-r3h4-6jhm', 'lodash@4.17.15', 'high', '4.17.21', 'app/package-lock.json'],
      ['GHSA-p6mc-m468-83gw', 'lodash@4.17.15', 'high', '4.17.20', 'app/package-lock.json'],
      ['GHSA-vh95-rmgr-6w4m', 'minimist@0.0.8', 'medium', '0.2.1', 'app/package-lock.json'],
      ['GHSA-vh95-rmgr-6w4m', 'minimist@1.2.0', 'medium', '1.2.3', 'app/package-lock.json'],
      ['GHSA-xvch-5gv4-984h', 'minimist@0.0.8', 'critical', '0.2.4', 'app/package-lock.json'],
      ['GHSA-xvch-5gv4-984h', 'minimist@1.2.0', 'critical', '1.2.6', 'app/package-lock.json'],
    ]);
    const bulk = server.requests.filter((r) => r.method === 'POST');
    expect(bulk).toHaveLength(1);
    expect(bulk[0]?.url).toBe('/-/npm/v1/security/advisories/bulk');
    expect(bulk[0]?.bulk).toEqual({
      lodash: ['4.17.15'],
      minimist: ['1.2.0', '0.0.8'],
      mkdirp: ['0.5.1'],
    });
    expect(bulk[0]?.headers['content-encoding']).toBe('gzip');
    for (const request of server.requests) {
      expect(request.headers['authorization']).toBeUndefined();
      expect(request.url.startsWith('/evil')).toBe(false);
      expect(JSON.stringify(request.headers)).not.toContain(TOKEN);
    }
  });

  it('fails (not "no findings") when the endpoint answers 405', async () => {
    server.failBulkWith(405);
    const result = await createNativeSource(npmAuditAdapter).run([project()], ctx());
    expect(result.status).toBe('failed');
    expect(result.reason).toBe(
      `app/package-lock.json: npm audit failed: the audit endpoint answered 405 Method Not Allowed - POST ${server.url}-/npm/v1/security/advisories/bulk - Method Not Allowed`,
    );
    expect(result.advisories).toEqual([]);
  });

  it('fails with ENOLOCK when the lockfile is missing', async () => {
    const result = await createNativeSource(npmAuditAdapter).run(
      [project('app/npm-shrinkwrap.json')],
      ctx(),
    );
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(
      /^app\/npm-shrinkwrap\.json: npm audit failed: ENOLOCK: This command requires an existing lockfile\./,
    );
  });

  it.each([
    ['auditci-npm7-v2-critical.json', 'ok', undefined],
    [
      'npm11-error-enolock.json',
      'failed',
      'app/package-lock.json: npm audit failed: ENOLOCK: This command requires an existing lockfile.: npm error code ENOLOCK',
    ],
  ])(
    'exit 1 with %s from a stand-in npm: decided by the JSON, not the exit code',
    async (recorded, status, reason) => {
      const bin = mkdtempSync(join(tmpdir(), 'sa-fake-npm-'));
      try {
        writeFileSync(
          join(bin, 'npm'),
          '#!/bin/sh\nif [ "$1" = --version ]; then echo 11.19.1; exit 0; fi\ncat "$FAKE_NPM_OUTPUT"\necho "npm error code ENOLOCK" >&2\nexit 1\n',
        );
        chmodSync(join(bin, 'npm'), 0o755);
        const output = fileURLToPath(
          new URL(`./__fixtures__/native/recorded/${recorded}`, import.meta.url),
        );
        const result = await createNativeSource(npmAuditAdapter).run(
          [project()],
          ctx({
            hostEnv: { PATH: `${bin}:/usr/bin:/bin` },
            tools: { 'npm-audit': { env: { FAKE_NPM_OUTPUT: output } } },
          }),
        );
        expect(result.status).toBe(status);
        expect(result.reason).toBe(reason);
        expect(result.advisories.map((a) => a.ids[0])).toEqual(
          status === 'ok' ? ['GHSA-28xh-wpgr-7fm8'] : [],
        );
      } finally {
        rmSync(bin, { recursive: true, force: true });
      }
    },
  );

  it('is skipped when npm is not installed, and offline without a loopback registry', async () => {
    const missing = await createNativeSource(npmAuditAdapter).run(
      [project()],
      ctx({ hostEnv: { PATH: '/nonexistent-bin' } }),
    );
    expect(missing).toMatchObject({
      status: 'skipped',
      reason: 'npm is not installed (npm was not found on PATH)',
    });
    const offline = await createNativeSource(npmAuditAdapter).run(
      [project()],
      ctx({ offline: true, tools: {} }),
    );
    expect(offline).toMatchObject({
      status: 'skipped',
      reason: 'offline: npm audit needs the npm registry',
    });
  });
});
