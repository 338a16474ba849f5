import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../decode/json.js';
import { fingerprintFinding } from '../merge/fingerprint.js';
import { formatPurl, type Ecosystem, type Package } from '../model/index.js';
import { findingFromOsv } from './findings.js';
import { matchRecord } from './match.js';
import { parseOsvRecord, type OsvRecord } from './schema.js';

function load(path: string): OsvRecord {
  const url = new URL(`./__fixtures__/${path}`, import.meta.url);
  const r = parseOsvRecord(parseJson(readFileSync(url, 'utf8'), path));
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

function pkg(ecosystem: Ecosystem, name: string, version: string): Package {
  return {
    ecosystem,
    name,
    version,
    purl: formatPurl(ecosystem, name, version),
    direct: false,
    dev: false,
    optional: false,
    paths: [['app@1.0.0', `${name}@${version}`]],
    location: { file: 'web/package-lock.json', line: 42 },
    source: { type: 'registry' },
  };
}

/** The finding for a package the record matches, with the fixes matchRecord computes. */
function finding(path: string, ecosystem: Ecosystem, name: string, version: string) {
  const record = load(path);
  const match = matchRecord(record, { ecosystem, name, version });
  if (match === undefined) throw new Error(`${record.id} does not match ${name}@${version}`);
  return findingFromOsv(record, pkg(ecosystem, name, version), match.fixedVersions);
}

describe('findingFromOsv', () => {
  it('rates converted ruby-advisory-db records by their numeric scores, the newest scale first', () => {
    expect(
      finding('records/RubyGems/GHSA-mq35-wqvf-r23c.json', 'RubyGems', 'sinatra', '2.0.1').severity,
    ).toBe('medium');
    // cvss_v2 6.4 (medium) and cvss_v3 9.1 (critical): v3 decides
    expect(
      finding('records/RubyGems/GHSA-jf85-cpcp-j695.json', 'RubyGems', 'lodash-rails', '4.17.11')
        .severity,
    ).toBe('critical');
  });

  it('builds the whole finding from a CVSS v3.1 record', () => {
    const f = finding('records/npm/GHSA-35jh-r3h4-6jhm.json', 'npm', 'lodash', '4.17.15');
    expect(f).toEqual({
      kind: 'vulnerability',
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      severity: 'high',
      cvss: {
        version: '3.1',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
        score: 7.2,
      },
      summary: 'Command Injection in lodash',
      package: {
        ecosystem: 'npm',
        name: 'lodash',
        version: '4.17.15',
        purl: 'pkg:npm/lodash@4.17.15',
      },
      paths: [['app@1.0.0', 'lodash@4.17.15']],
      location: { file: 'web/package-lock.json', line: 42 },
      fixedVersions: ['4.17.21'],
      sources: ['osv'],
      fingerprint: fingerprintFinding({
        kind: 'vulnerability',
        ids: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
        ecosystem: 'npm',
        name: 'lodash',
        version: '4.17.15',
        file: 'web/package-lock.json',
      }),
      message:
        'lodash@4.17.15 is affected by GHSA-35jh-r3h4-6jhm (high): Command Injection in lodash; fixed in 4.17.21',
    });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('scores CVSS v3.0 vectors (GHSA-74fj-2j2h-c42q) and v3.1 (GHSA-rv95-896h-c2vc)', () => {
    const v30 = finding(
      'records/npm/GHSA-74fj-2j2h-c42q.json',
      'npm',
      'follow-redirects',
      '1.14.7',
    );
    expect(v30.cvss).toEqual({
      version: '3.0',
      vector: 'CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H',
      score: 8,
    });
    expect(v30.severity).toBe('high');
    const v31 = finding('records/npm/GHSA-rv95-896h-c2vc.json', 'npm', 'express', '4.19.1');
    expect(v31.cvss?.score).toBe(6.1);
    expect(v31.severity).toBe('medium');
    expect(v31.message).toBe(
      'express@4.19.1 is affected by GHSA-rv95-896h-c2vc (medium): Express.js Open Redirect in malformed URLs; fixed in 4.19.2',
    );
  });

  it('takes the higher of a v3 and a v4 vector (GHSA-qwcr-r2fm-qrc7: 7.5 and 8.7)', () => {
    const f = finding('records/npm/GHSA-qwcr-r2fm-qrc7.json', 'npm', 'body-parser', '1.20.2');
    expect(f.cvss).toEqual({
      version: '4.0',
      vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
      score: 8.7,
    });
    expect(f.severity).toBe('high');
  });

  it.each([
    ['records/npm/GHSA-28xh-wpgr-7fm8.json', 'open', '5.0.0', 'critical'],
    ['records/npm/GHSA-pxg6-pf52-xh8x.json', 'cookie', '0.6.0', 'low'],
    ['records/npm/GHSA-8cf7-32gw-wr33.json', 'jsonwebtoken', '8.5.1', 'medium'],
  ])('rates `severity: []` from database_specific.severity (%s)', (path, name, version, level) => {
    const f = finding(path, 'npm', name, version);
    expect(f.severity).toBe(level);
    expect(f.cvss).toBeUndefined();
  });

  it('trims summaries, keeps empty aliases empty', () => {
    const f = finding('records/npm/GHSA-8cf7-32gw-wr33.json', 'npm', 'jsonwebtoken', '8.5.1');
    expect(f.summary).toBe('jsonwebtoken unrestricted key type could lead to legacy keys usage');
    const open = finding('records/npm/GHSA-28xh-wpgr-7fm8.json', 'npm', 'open', '5.0.0');
    expect(open.aliases).toEqual([]);
    expect(open.message).toBe(
      'open@5.0.0 is affected by GHSA-28xh-wpgr-7fm8 (critical): Command Injection in open; fixed in 6.0.0',
    );
  });

  it('rates RustSec informational advisories low and says when there is no fix', () => {
    const f = finding(
      'records/crates.io/RUSTSEC-2020-0011.json',
      'crates.io',
      'plutonium',
      '0.5.0',
    );
    expect(f.severity).toBe('low');
    expect(f.message).toBe(
      'plutonium@0.5.0 is affected by RUSTSEC-2020-0011 (low): Library exclusively intended to obfuscate code.; no fixed version',
    );
  });

  it('falls back to the first line of details, and to unknown severity (PYSEC-2017-4)', () => {
    const f = finding('records/PyPI/PYSEC-2017-4.json', 'PyPI', 'ansible', '2.4.0');
    expect(f.severity).toBe('unknown');
    expect(f.summary).toBe(
      'A flaw was found in the way Ansible (2.3.x before 2.3.3, and 2.4.x before 2.4.1) passed certain parameters to the jenkins_plugin module. Remote attackers could use this flaw to expose sensitive information from a remote host\'s logs. This flaw was fixed by not allowing passwords to be specified in the "params" argument, and noting this in the module documentation.',
    );
    expect(f.fixedVersions).toEqual(['2.4.1.0']);
  });

  it('marks MAL- records malicious', () => {
    const f = finding('synthetic/MAL-0000-0001.json', 'npm', 'evil-example', '1.0.0');
    expect(f.kind).toBe('malicious');
    expect(f.aliases).toEqual(['GHSA-xxxx-xxxx-xxxx']);
    expect(f.message).toBe(
      'evil-example@1.0.0 is malicious per MAL-0000-0001 (unknown): Malicious code in evil-example (npm); no fixed version',
    );
  });

  it('dedupes and sorts aliases, without the id itself', () => {
    const record = load('records/npm/GHSA-35jh-r3h4-6jhm.json');
    const f = findingFromOsv(
      {
        ...record,
        aliases: ['PYSEC-2099-1', 'CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'],
      },
      pkg('npm', 'lodash', '4.17.15'),
      [],
    );
    expect(f.aliases).toEqual(['PYSEC-2099-1', 'CVE-2021-23337']);
  });
});

describe('fingerprintFinding', () => {
  const base = {
    kind: 'vulnerability' as const,
    ecosystem: 'npm',
    name: 'lodash',
    version: '4.17.15',
    file: 'package-lock.json',
  };

  it('is the same whichever id of the advisory a source reported, in any order', () => {
    const a = fingerprintFinding({ ...base, ids: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'] });
    expect(fingerprintFinding({ ...base, ids: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'] })).toBe(a);
    expect(fingerprintFinding({ ...base, ids: ['GHSA-35jh-r3h4-6jhm'] })).toBe(a);
    expect(fingerprintFinding({ ...base, kind: 'malicious', ids: ['GHSA-35jh-r3h4-6jhm'] })).toBe(
      a,
    );
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs by package, version, lockfile and kind', () => {
    const a = fingerprintFinding({ ...base, ids: ['GHSA-35jh-r3h4-6jhm'] });
    for (const change of [
      { version: '4.17.16' },
      { name: 'lodash-es' },
      { file: 'api/package-lock.json' },
      { ecosystem: 'RubyGems' },
      { kind: 'license' as const },
    ]) {
      expect(fingerprintFinding({ ...base, ...change, ids: ['GHSA-35jh-r3h4-6jhm'] })).not.toBe(a);
    }
  });

  it('cannot be confused by separators inside fields', () => {
    const x = fingerprintFinding({ ...base, name: 'a', version: 'b\u0000c', ids: ['X-1'] });
    const y = fingerprintFinding({ ...base, name: 'a\u0000b', version: 'c', ids: ['X-1'] });
    expect(x).not.toBe(y);
  });
});
