// parseCargoAudit on every recorded real cargo-audit report (copied from shared/fixtures/native/cargo-audit).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { briefAdvisories } from '../../sources/__fixtures__/brief.js';
import { cargoAuditArgs, parseCargoAudit } from './audit-adapter.js';

const dir = new URL('./__fixtures__/native/recorded/', import.meta.url);
const parse = (name: string, exitCode = 1) =>
  parseCargoAudit({ exitCode, stdout: readFileSync(new URL(name, dir), 'utf8'), stderr: '' });
const brief = (name: string) => briefAdvisories(parse(name));

describe('parseCargoAudit on recorded outputs', () => {
  it('2021, no findings', () => {
    expect(parse('defectdojo-2021-no-findings.json', 0)).toEqual({ ok: true, advisories: [] });
  });

  it('2021, vulnerabilities plus unmaintained and yanked warnings', () => {
    expect(brief('defectdojo-2021-many-findings.json')).toEqual([
      [
        'vulnerability',
        'RUSTSEC-2020-0091 CVE-2020-35711',
        'arc-swap@0.4.7',
        'unknown',
        '>=1.1.0 | >=0.4.8',
      ],
      [
        'vulnerability',
        'RUSTSEC-2021-0020 CVE-2021-21299',
        'hyper@0.13.9',
        'unknown',
        '>=0.14.3 | >=0.13.10, <0.14.0 | >=0.12.36, <0.13.0',
      ],
      [
        'vulnerability',
        'RUSTSEC-2021-0003 CVE-2021-25900',
        'smallvec@0.6.13',
        'unknown',
        '>=0.6.14, <1.0.0 | >=1.6.1',
      ],
      [
        'vulnerability',
        'RUSTSEC-2021-0003 CVE-2021-25900',
        'smallvec@1.5.0',
        'unknown',
        '>=0.6.14, <1.0.0 | >=1.6.1',
      ],
      ['unmaintained', 'RUSTSEC-2021-0064', 'cpuid-bool@0.1.2', 'low', ''],
      ['unmaintained', 'RUSTSEC-2020-0016', 'net2@0.2.35', 'low', ''],
      ['unmaintained', 'RUSTSEC-2020-0056', 'stdweb@0.4.20', 'low', ''],
      ['yanked', 'cargo-audit/yanked', 'arc-swap@0.4.7', 'low', ''],
      ['yanked', 'cargo-audit/yanked', 'bytecount@0.6.1', 'low', ''],
      ['yanked', 'cargo-audit/yanked', 'miow@0.2.1', 'low', ''],
      ['yanked', 'cargo-audit/yanked', 'net2@0.2.35', 'low', ''],
      ['yanked', 'cargo-audit/yanked', 'pin-project-lite@0.1.11', 'low', ''],
      ['yanked', 'cargo-audit/yanked', 'pin-project-lite@0.2.0', 'low', ''],
    ]);
    const r = parse('defectdojo-2021-many-findings.json');
    expect(r.ok && r.advisories[7]?.title).toBe('arc-swap 0.4.7 is yanked from crates.io');
  });

  it('2026, CVSS vectors (3.1 and 4.0) and GHSA aliases', () => {
    const rows = brief('defectdojo-2026-many-findings-cvss.json');
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual([
      'vulnerability',
      'RUSTSEC-2026-0047 CVE-2026-3338 GHSA-hfpc-8r3f-gw53 GHSA-jchq-39cv-q4wj',
      'aws-lc-sys@0.36.0',
      'unknown',
      '>=0.38.0',
    ]);
    const r = parse('defectdojo-2026-many-findings-cvss.json');
    if (!r.ok) throw new Error(r.reason);
    expect(r.advisories.filter((a) => a.cvssVector !== undefined).map((a) => a.cvssVector)).toEqual(
      [
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N',
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N',
        'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N',
        'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N',
        'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:L/SA:N',
      ],
    );
    expect(r.advisories[5]).toMatchObject({
      packageName: 'lettre',
      url: expect.stringMatching(/^https:\/\//) as unknown,
    });
  });

  it('2023, unsound and yanked warnings', () => {
    expect(brief('qualitytime-2023-vulns-unsound-yanked.json')).toEqual([
      [
        'vulnerability',
        'RUSTSEC-2022-0090 CVE-2022-35737 GHSA-jw36-hf63-69r9',
        'libsqlite3-sys@0.24.2',
        'unknown',
        '>=0.25.1',
      ],
      [
        'vulnerability',
        'RUSTSEC-2020-0071 CVE-2020-26235 GHSA-wcg3-cvx6-7396',
        'time@0.1.45',
        'unknown',
        '>=0.2.23',
      ],
      ['unsound', 'RUSTSEC-2023-0042', 'ouroboros@0.15.6', 'low', ''],
      ['yanked', 'cargo-audit/yanked', 'h2@0.3.17', 'low', ''],
    ]);
  });

  it.each([
    [
      { exitCode: 2, stdout: '', stderr: "error: not found: Couldn't load Cargo.lock\n" },
      "cargo audit printed nothing on stdout (exit 2): error: not found: Couldn't load Cargo.lock",
    ],
    [
      {
        exitCode: 0,
        stdout:
          '{"database":{"advisory-count":0},"vulnerabilities":{"found":false,"count":0,"list":[]},"warnings":{}}',
        stderr: '',
      },
      'cargo audit loaded 0 advisories: the RustSec database is empty or missing',
    ],
    [
      { exitCode: 1, stdout: '{"error":"x"}', stderr: '' },
      'cargo audit printed JSON in a shape supplyaudit does not know (no vulnerabilities)',
    ],
  ])('failure %#', (output, reason) => {
    expect(parseCargoAudit(output)).toEqual({ ok: false, reason });
  });
});

describe('cargoAuditArgs', () => {
  it('uses the local database without fetching', () => {
    expect(cargoAuditArgs({ lockfile: '/r/Cargo.lock', db: '/db' })).toEqual([
      'audit',
      '--json',
      '--file=/r/Cargo.lock',
      '--db=/db',
      '--no-fetch',
    ]);
    expect(cargoAuditArgs({ lockfile: '/r/Cargo.lock' })).toEqual([
      'audit',
      '--json',
      '--file=/r/Cargo.lock',
    ]);
  });
});
