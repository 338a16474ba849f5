// Issue "Native auditors": on the polyglot example (npm, pnpm, Python, Rust, Ruby in one tree),
// a scan with OSV plus every installed auditor shows each advisory once with all its sources, the
// same advisory ids OSV alone finds, plus anything only a native tool knows. Real tools, loopback
// servers, a RustSec database in cargo-audit's own format; bundler-audit is "not installed" here.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsv, scan, validateConfig, type Finding, type Report } from '@supplyaudit/core';
import { startNpmAuditServer, type NpmAuditServer } from '../servers/npm-audit-server.js';
import { startOsvApiServer, type OsvApiServer } from '../servers/osv-api-server.js';
import { findTool } from '../../packages/core/src/exec/index.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const OSV_ZIPS = join(repo, 'packages/core/src/osv/store/__fixtures__/osv');
const RUSTSEC_DB = join(repo, 'packages/core/src/ecosystems/cargo/__fixtures__/native/rustsec-db');
const hostEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };

const installed = {
  pip:
    (await findTool('pip-audit', { hostEnv, forbiddenRoots: [], versionArgs: ['--version'] }))
      .status === 'ok',
  cargo:
    (
      await findTool('cargo-audit', {
        hostEnv,
        forbiddenRoots: [],
        versionArgs: ['audit', '--version'],
      })
    ).status === 'ok',
};

let work: string;
let npmServer: NpmAuditServer;
let osvServer: OsvApiServer;
let both: Report;
let osvOnly: Report;

function config(sources?: string[]) {
  const result = validateConfig({
    offline: true,
    ...(sources === undefined ? {} : { sources }),
    auditors: {
      'npm-audit': { registry: `${npmServer.url}/` },
      'pip-audit': { osvUrl: `${osvServer.url}/v1/query` },
      'cargo-audit': { db: RUSTSEC_DB },
    },
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

const key = (f: Finding) =>
  `${f.package?.name ?? ''}@${f.package?.version ?? ''} ${f.location?.file ?? ''}`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sa-e2e-sources-'));
  cpSync(join(repo, 'examples/polyglot'), join(work, 'tree'), { recursive: true });
  await importOsv({ dbDir: join(work, 'db'), from: OSV_ZIPS });
  npmServer = await startNpmAuditServer();
  osvServer = await startOsvApiServer();
  const common = { path: join(work, 'tree'), dbDir: join(work, 'db'), hostEnv };
  both = await scan({ ...common, config: config() });
  osvOnly = await scan({ ...common, config: config(['osv']) });
}, 180_000);

afterAll(async () => {
  await npmServer.close();
  await osvServer.close();
  rmSync(work, { recursive: true, force: true });
});

describe('scan with OSV and every installed native auditor', () => {
  it('reports each source with its status', () => {
    const status = Object.fromEntries(both.sources.map((s) => [s.name, s.status]));
    expect(status).toEqual({
      osv: 'ok',
      'npm-audit': 'ok',
      'pip-audit': installed.pip ? 'ok' : 'skipped',
      'cargo-audit': installed.cargo ? 'ok' : 'skipped',
      'bundler-audit': 'skipped',
    });
    expect(both.sources.find((s) => s.name === 'bundler-audit')?.reason).toMatch(
      /not (installed|found)/,
    );
    expect(both.complete).toBe(true);
  });

  it('shows each advisory once per package and lockfile, whatever the number of sources', () => {
    const seen = new Map<string, string>();
    for (const f of both.findings.filter(
      (x) => x.kind === 'vulnerability' || x.kind === 'malicious',
    )) {
      for (const id of [f.id, ...f.aliases]) {
        const k = `${key(f)} ${id}`;
        expect(seen.get(k), `${id} twice for ${key(f)}`).toBeUndefined();
        seen.set(k, f.fingerprint);
      }
    }
  });

  it('keeps every advisory id OSV alone finds, with the same fingerprints', () => {
    const fingerprints = new Set(both.findings.map((f) => f.fingerprint));
    const osvFindings = osvOnly.findings.filter((f) => f.kind === 'vulnerability');
    expect(osvFindings.length).toBe(150);
    for (const f of osvFindings)
      expect(fingerprints.has(f.fingerprint), `${f.id} ${key(f)}`).toBe(true);
  });

  it('merges npm audit into the OSV findings for the npm lockfile', () => {
    const lodash = both.findings.filter(
      (f) => f.package?.name === 'lodash' && f.location?.file === 'web/package-lock.json',
    );
    expect(lodash.map((f) => [f.id, f.sources])).toEqual([
      ['GHSA-35jh-r3h4-6jhm', ['npm-audit', 'osv']],
      ['GHSA-p6mc-m468-83gw', ['npm-audit', 'osv']],
      ['GHSA-29mw-wpgm-hmr9', ['npm-audit', 'osv']],
    ]);
    const minimist = both.findings.filter(
      (f) => f.package?.name === 'minimist' && f.location?.file === 'web/package-lock.json',
    );
    expect(minimist.map((f) => [f.id, f.sources])).toEqual([
      ['GHSA-xvch-5gv4-984h', ['npm-audit', 'osv']],
    ]);
  });

  it.runIf(installed.cargo)('merges cargo audit (RustSec ids) with OSV', () => {
    const smallvec = both.findings.find((f) => f.package?.name === 'smallvec');
    expect(smallvec).toMatchObject({
      id: 'RUSTSEC-2021-0003',
      sources: ['cargo-audit', 'osv'],
      severity: 'critical',
    });
    const time = both.findings.find(
      (f) => f.package?.name === 'time' && f.id === 'RUSTSEC-2020-0071',
    );
    expect(time?.sources).toEqual(['cargo-audit', 'osv']);
  });

  it.runIf(installed.pip)(
    'merges pip-audit (PYSEC ids, no severity) with OSV and takes the OSV rating',
    () => {
      const requests = both.findings.find(
        (f) => f.package?.name === 'requests' && f.id === 'PYSEC-2018-28',
      );
      expect(requests?.sources).toEqual(['osv', 'pip-audit']);
      expect(requests?.aliases).toContain('CVE-2018-18074');
    },
  );
});
