// Registry lookups for real: the http client against loopback servers that answer like the npm
// registry, the PyPI JSON API, crates.io and RubyGems; and `cargo metadata` run for real.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startRegistryServers,
  type RegistryKind,
  type RegistryServer,
} from '../../../../test/servers/registry-servers.js';
import { lookupCargoLicense } from '../ecosystems/cargo/license-lookup.js';
import { createHttpClient } from '../http/client.js';
import type { Ecosystem, InventoriedProject, Inventory, Package } from '../model/index.js';
import { configSchema } from '../policy/config.js';
import { checkLicenses, type LicenseCheckOptions } from './license.js';
import type { RegistryUrls } from './license-lookup.js';

let servers: Record<RegistryKind, RegistryServer>;
let tmp = '';
let registries: RegistryUrls;

beforeAll(async () => {
  servers = await startRegistryServers();
  registries = {
    npm: servers.npm.url,
    pypi: servers.pypi.url,
    cratesIo: servers['crates-io'].url,
    rubygems: servers.rubygems.url,
  };
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'sa-license-int-')));
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  for (const s of Object.values(servers)) s.requests.length = 0;
});

function pkg(ecosystem: Ecosystem, name: string, version: string, line: number): Package {
  return {
    ecosystem,
    name,
    version,
    purl: `pkg:x/${name}@${version}`,
    direct: true,
    dev: false,
    optional: false,
    paths: [],
    location: { file: 'lock', line },
    source: { type: 'registry' },
  };
}

function inventoryOf(root: string, packages: Package[]): Inventory {
  const byEco = new Map<Ecosystem, Package[]>();
  for (const p of packages) byEco.set(p.ecosystem, [...(byEco.get(p.ecosystem) ?? []), p]);
  const projects: InventoriedProject[] = [...byEco].map(([ecosystem, list]) => ({
    ecosystem,
    dir: '.',
    lockfile: 'lock',
    packages: list,
    diagnostics: [],
    parsed: true,
  }));
  return { root, projects, diagnostics: [] };
}

const PACKAGES = [
  pkg('npm', 'left-pad', '1.3.0', 1),
  pkg('npm', '@babel/code-frame', '7.24.7', 2),
  pkg('npm', 'json-schema', '0.2.3', 3),
  pkg('npm', 'no-such-package', '1.0.0', 4),
  pkg('PyPI', 'requests', '2.32.3', 5),
  pkg('PyPI', 'attrs', '25.3.0', 6),
  pkg('PyPI', 'psycopg2', '2.9.9', 7),
  pkg('crates.io', 'serde', '1.0.210', 8),
  pkg('crates.io', 'winapi', '0.3.9', 9),
  pkg('RubyGems', 'rails', '7.1.3', 10),
  pkg('RubyGems', 'unlicensed-gem', '0.1.0', 11),
];

const CONFIG = configSchema.parse({
  licenses: { allow: ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'AFL-2.1'], deny: ['WTFPL'] },
});

function options(extra: Partial<LicenseCheckOptions> = {}): LicenseCheckOptions {
  return {
    http: createHttpClient({ timeoutMs: 2_000, maxRetries: 2, baseDelayMs: 10 }),
    registries,
    // cargo is skipped here (no PATH), so crates come from the API
    hostEnv: { PATH: '/nonexistent' },
    ...extra,
  };
}

function requestCount(): number {
  return Object.values(servers).reduce((n, s) => n + s.requests.length, 0);
}

describe('registry lookups', () => {
  it('read each registry the way it answers', async () => {
    const project = join(tmp, 'online');
    mkdirSync(project);
    const result = await checkLicenses(inventoryOf(project, PACKAGES), CONFIG, options());
    expect(result.entries.map((e) => [e.package, e.license, e.source, e.verdict])).toEqual([
      ['left-pad', 'WTFPL', 'registry', 'denied'],
      ['@babel/code-frame', 'MIT', 'registry', 'allowed'],
      ['json-schema', '(AFL-2.1 OR BSD-2-Clause)', 'registry', 'allowed'],
      ['no-such-package', undefined, 'unknown', 'unknown'],
      ['requests', 'Apache-2.0', 'registry', 'allowed'],
      ['attrs', 'MIT', 'registry', 'allowed'],
      ['psycopg2', 'LGPL-3.0-or-later', 'registry', 'not-allowed'],
      ['serde', 'MIT OR Apache-2.0', 'registry', 'allowed'],
      ['winapi', 'MIT OR Apache-2.0', 'registry', 'allowed'],
      ['rails', 'MIT', 'registry', 'allowed'],
      ['unlicensed-gem', undefined, 'unknown', 'unknown'],
    ]);
    expect(result.entries.find((e) => e.package === 'json-schema')?.declared).toBe(
      '(AFLv2.1 OR BSD)',
    );
    expect(result.findings.map((f) => f.message)).toEqual([
      'left-pad@1.3.0 is licensed WTFPL, which is denied',
      'no-such-package@1.0.0 has no license information',
      'psycopg2@2.9.9 is licensed LGPL-3.0-or-later ("LGPL with exceptions" read as LGPL-3.0-or-later), which is not in the allow list',
      'unlicensed-gem@0.1.0 has no license information',
    ]);
    expect(result.warnings).toEqual([
      'no-such-package@1.0.0: not found in the registry',
      'cargo metadata skipped: cargo is not installed (cargo was not found on PATH)',
    ]);
    expect(servers.npm.requests.map((r) => r.path).sort()).toEqual([
      '/@babel%2Fcode-frame',
      '/json-schema',
      '/left-pad',
      '/no-such-package',
    ]);
    expect(servers.pypi.requests.map((r) => r.path).sort()).toEqual([
      '/pypi/attrs/25.3.0/json',
      '/pypi/psycopg2/2.9.9/json',
      '/pypi/requests/2.32.3/json',
    ]);
    expect(servers['crates-io'].requests.map((r) => r.userAgent)).toEqual([
      'supplyaudit/0.1.0 (license lookup)',
      'supplyaudit/0.1.0 (license lookup)',
    ]);
    expect(servers.rubygems.requests.map((r) => r.path).sort()).toEqual([
      '/api/v2/rubygems/rails/versions/7.1.3.json',
      '/api/v2/rubygems/unlicensed-gem/versions/0.1.0.json',
    ]);
  });

  it('opens no socket offline and lists what stayed unknown', async () => {
    const project = join(tmp, 'offline');
    mkdirSync(project);
    const result = await checkLicenses(
      inventoryOf(project, PACKAGES.slice(0, 3)),
      CONFIG,
      options({ offline: true }),
    );
    expect(requestCount()).toBe(0);
    expect(result.entries.map((e) => e.source)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(result.warnings).toEqual([
      'offline: 3 packages had no license in local sources: left-pad@1.3.0, @babel/code-frame@7.24.7, json-schema@0.2.3',
    ]);
  });

  it('opens no socket when the config turns online lookups off', async () => {
    const config = configSchema.parse({ checks: { license: { online: false } } });
    await checkLicenses(inventoryOf(tmp, PACKAGES.slice(0, 2)), config, options());
    expect(requestCount()).toBe(0);
  });

  it('answers the second run from the cache', async () => {
    const cacheDir = join(tmp, 'cache');
    const project = join(tmp, 'cached');
    mkdirSync(project);
    const first = await checkLicenses(
      inventoryOf(project, PACKAGES),
      CONFIG,
      options({ cacheDir }),
    );
    // 11 packages, one of them not found
    expect(requestCount()).toBe(11);
    for (const s of Object.values(servers)) s.requests.length = 0;
    const second = await checkLicenses(
      inventoryOf(project, PACKAGES),
      CONFIG,
      options({ cacheDir }),
    );
    // only the 404 is asked again: a missing package may be published later
    expect(servers.npm.requests.map((r) => r.path)).toEqual(['/no-such-package']);
    expect(requestCount()).toBe(1);
    expect(second.entries).toEqual(first.entries);
  });

  it('retries a 500 and then succeeds', async () => {
    servers.npm.injectFault({ kind: 'status', status: 500 });
    const result = await checkLicenses(
      inventoryOf(tmp, [pkg('npm', 'left-pad', '1.3.0', 1)]),
      CONFIG,
      options(),
    );
    expect(servers.npm.requests.length).toBe(2);
    expect(result.entries.map((e) => [e.license, e.source])).toEqual([['WTFPL', 'registry']]);
    expect(result.warnings).toEqual([]);
  });

  it('gives up on a slow registry after the timeout and says so', async () => {
    servers.pypi.injectFault({ kind: 'slow', delayMs: 3_000 });
    const started = Date.now();
    const result = await checkLicenses(
      inventoryOf(tmp, [pkg('PyPI', 'requests', '2.32.3', 1)]),
      CONFIG,
      options({ http: createHttpClient({ timeoutMs: 200, maxRetries: 0 }) }),
    );
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(result.entries.map((e) => e.verdict)).toEqual(['unknown']);
    expect(result.warnings).toEqual([
      `requests@2.32.3: license lookup in the registry failed: GET ${servers.pypi.url}/pypi/requests/2.32.3/json: no complete response within 200 ms`,
    ]);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    servers.npm.injectFault({ kind: 'slow', delayMs: 100 }, 6);
    const many = Array.from({ length: 6 }, (_, i) => pkg('npm', `pkg-${String(i)}`, '1.0.0', i));
    const started = Date.now();
    await checkLicenses(inventoryOf(tmp, many), CONFIG, options({ concurrency: 2 }));
    // six slow answers, two at a time: at least three rounds
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(servers.npm.requests.length).toBe(6);
  });
});

describe('cargo metadata', () => {
  const hostEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
  let project = '';
  beforeAll(() => {
    project = join(tmp, 'cargo-ws');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(join(project, 'helper', 'src'), { recursive: true });
    writeFileSync(
      join(project, 'Cargo.toml'),
      '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nhelper = { path = "helper" }\n',
    );
    writeFileSync(join(project, 'src', 'main.rs'), 'fn main() {}\n');
    writeFileSync(
      join(project, 'helper', 'Cargo.toml'),
      '[package]\nname = "helper"\nversion = "0.2.0"\nedition = "2021"\nlicense = "MIT OR Apache-2.0"\n',
    );
    writeFileSync(join(project, 'helper', 'src', 'lib.rs'), '\n');
    writeFileSync(
      join(project, 'Cargo.lock'),
      '# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "helper",\n]\n\n[[package]]\nname = "helper"\nversion = "0.2.0"\n',
    );
  });

  it('reads licenses of the downloaded sources, offline, without touching the lockfile', async () => {
    const result = await lookupCargoLicense(pkg('crates.io', 'helper', '0.2.0', 1), project, {
      offline: true,
      registries,
      hostEnv,
    });
    expect(result).toEqual({ license: 'MIT OR Apache-2.0', source: 'installed', warnings: [] });
    expect(requestCount()).toBe(0);
  });
});
