import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCargoAudit } from '../ecosystems/cargo/audit-adapter.js';
import { parseBundlerAudit } from '../ecosystems/rubygems/audit-adapter.js';
import {
  formatPurl,
  type Ecosystem,
  type InventoriedProject,
  type Package,
} from '../model/index.js';
import type { NativeAdvisory } from '../sources/types.js';
import { dedupeFindings } from './dedupe.js';
import { fingerprintFinding } from './fingerprint.js';
import { findingsFromNative } from './normalise-native.js';

const fixture = (eco: string, name: string) =>
  readFileSync(
    new URL(`../ecosystems/${eco}/__fixtures__/native/recorded/${name}`, import.meta.url),
    'utf8',
  );

function pkg(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  file: string,
  line: number,
): Package {
  return {
    ecosystem,
    name,
    version,
    purl: formatPurl(ecosystem, name, version),
    direct: true,
    dev: false,
    optional: false,
    paths: [[`app@0.1.0`, `${name}@${version}`]],
    location: { file, line },
    source: { type: 'registry' },
  };
}
function withLockfile(advisories: readonly NativeAdvisory[], lockfile: string): NativeAdvisory[] {
  return advisories.map((a) => ({ ...a, lockfile }));
}

describe('findingsFromNative', () => {
  const project: InventoriedProject = {
    ecosystem: 'crates.io',
    dir: '.',
    lockfile: 'Cargo.lock',
    parsed: true,
    diagnostics: [],
    packages: [
      pkg('crates.io', 'libsqlite3-sys', '0.24.2', 'Cargo.lock', 40),
      pkg('crates.io', 'time', '0.1.45', 'Cargo.lock', 90),
      pkg('crates.io', 'ouroboros', '0.15.6', 'Cargo.lock', 70),
      pkg('crates.io', 'h2', '0.3.17', 'Cargo.lock', 20),
    ],
  };
  const parsed = parseCargoAudit({
    exitCode: 1,
    stdout: fixture('cargo', 'qualitytime-2023-vulns-unsound-yanked.json'),
    stderr: '',
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  const { findings, unmatched } = findingsFromNative(
    withLockfile(parsed.advisories, 'Cargo.lock'),
    [project],
  );

  it('places cargo-audit results on the inventory packages with CVSS severities', () => {
    expect(unmatched).toBe(0);
    expect(
      findings.map((f) => [
        f.kind,
        f.id,
        f.aliases.join(' '),
        f.package?.name,
        f.severity,
        f.cvss?.score,
        f.location?.line,
      ]),
    ).toEqual([
      [
        'vulnerability',
        'RUSTSEC-2022-0090',
        'GHSA-jw36-hf63-69r9 CVE-2022-35737',
        'libsqlite3-sys',
        'high',
        7.5,
        40,
      ],
      [
        'vulnerability',
        'RUSTSEC-2020-0071',
        'GHSA-wcg3-cvx6-7396 CVE-2020-26235',
        'time',
        'medium',
        6.2,
        90,
      ],
      ['vulnerability', 'RUSTSEC-2023-0042', '', 'ouroboros', 'low', undefined, 70],
      ['lockfile', 'cargo-audit/yanked', '', 'h2', 'low', undefined, 20],
    ]);
    expect(findings[0]?.message).toBe(
      'libsqlite3-sys@0.24.2 is affected by RUSTSEC-2022-0090 (high): `libsqlite3-sys` via C SQLite CVE-2022-35737; fixed in >=0.25.1',
    );
    expect(findings[3]?.message).toBe(
      'h2@0.3.17 is flagged yanked by cargo-audit/yanked (low): h2 0.3.17 is yanked from crates.io; no fixed version',
    );
    expect(findings[0]?.sources).toEqual(['cargo-audit']);
  });

  it('fingerprints like an OSV finding of the same advisory and merges with it', () => {
    const first = findings[0];
    if (first === undefined) throw new Error('no finding');
    const osvFingerprint = fingerprintFinding({
      kind: 'vulnerability',
      ids: ['GHSA-jw36-hf63-69r9', 'CVE-2022-35737', 'RUSTSEC-2022-0090'],
      ecosystem: 'crates.io',
      name: 'libsqlite3-sys',
      version: '0.24.2',
      file: 'Cargo.lock',
    });
    expect(first.fingerprint).toBe(osvFingerprint);
    const osv = {
      ...first,
      id: 'RUSTSEC-2022-0090',
      aliases: ['CVE-2022-35737', 'GHSA-jw36-hf63-69r9'],
      sources: ['osv'],
    };
    const merged = dedupeFindings([first, osv], (f) => f.fingerprint);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.sources).toEqual(['cargo-audit', 'osv']);
  });

  it('reports an insecure gem source as a lockfile finding', () => {
    const r = parseBundlerAudit({
      exitCode: 1,
      stdout: fixture('rubygems', 'local-v0.9.3-insecure-source-and-unpatched-gem.json'),
      stderr: '',
    });
    if (!r.ok) throw new Error(r.reason);
    const gems: InventoriedProject = {
      ecosystem: 'RubyGems',
      dir: '.',
      lockfile: 'Gemfile.lock',
      parsed: true,
      diagnostics: [],
      packages: [pkg('RubyGems', 'rake', '12.3.2', 'Gemfile.lock', 4)],
    };
    const out = findingsFromNative(withLockfile(r.advisories, 'Gemfile.lock'), [gems]);
    expect(
      out.findings.map((f) => [f.kind, f.id, f.severity, f.location?.line, f.message]),
    ).toEqual([
      [
        'lockfile',
        'bundler-audit/insecure-source',
        'medium',
        1,
        'Gems are fetched from http://203.0.113.10/ over an insecure protocol',
      ],
      [
        'vulnerability',
        'CVE-2020-8130',
        'high',
        4,
        'rake@12.3.2 is affected by CVE-2020-8130 (high): OS Command Injection in Rake; fixed in >= 12.3.3',
      ],
    ]);
    expect(out.findings[1]?.aliases).toEqual(['GHSA-jppv-gw3r-w3q8']);
  });

  it('matches PyPI names by PEP 503 and keeps advisories whose package is not in the inventory', () => {
    const advisory: NativeAdvisory = {
      ids: ['PYSEC-2018-28', 'CVE-2018-18074'],
      ecosystem: 'PyPI',
      packageName: 'requests',
      version: '2.19.0',
      severity: 'unknown',
      title: 't',
      fixedVersions: ['2.20.0'],
      source: 'pip-audit',
      kind: 'vulnerability',
      lockfile: 'poetry.lock',
    };
    const py: InventoriedProject = {
      ecosystem: 'PyPI',
      dir: '.',
      lockfile: 'poetry.lock',
      parsed: true,
      diagnostics: [],
      packages: [pkg('PyPI', 'Requests', '2.19.0', 'poetry.lock', 12)],
    };
    expect(findingsFromNative([advisory], [py]).findings[0]?.location).toEqual({
      file: 'poetry.lock',
      line: 12,
    });
    const lost = findingsFromNative([{ ...advisory, packageName: 'other' }], [py]);
    expect(lost.unmatched).toBe(1);
    expect(lost.findings[0]).toMatchObject({
      severity: 'unknown',
      package: { name: 'other', purl: 'pkg:pypi/other@2.19.0' },
    });
    expect(lost.findings[0]?.location).toBeUndefined();
  });
});
