// parseNpmAudit on every recorded real npm audit output (fixtures copied from shared/fixtures/native/npm).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isJsonObject, parseJson } from '../../decode/index.js';
import { formatPurl, type Package } from '../../model/index.js';
import {
  fixesFromVulnerableRange,
  npmAuditArgs,
  parseNpmAudit,
  rootAdvisoryUrls,
} from './audit-adapter.js';

const dir = new URL('./__fixtures__/native/recorded/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const parse = (name: string, exitCode = 1, packages?: Package[]) =>
  parseNpmAudit(
    { exitCode, stdout: read(name), stderr: '' },
    packages === undefined ? {} : { packages },
  );
const brief = (name: string, packages?: Package[]) => {
  const r = parse(name, 1, packages);
  if (!r.ok) throw new Error(r.reason);
  return r.advisories.map((a) => [
    a.ids.join(' '),
    a.packageName,
    a.version ?? '',
    a.severity,
    a.fixedVersions.join('|'),
  ]);
};

function pkg(name: string, version: string): Package {
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: formatPurl('npm', name, version),
    direct: true,
    dev: false,
    optional: false,
    paths: [],
    location: { file: 'package-lock.json', line: 1 },
    source: { type: 'registry' },
  };
}

describe('parseNpmAudit on recorded outputs', () => {
  it.each([
    ['auditci-npm6-v1-none.json'],
    ['auditci-npm7-v2-none.json'],
    ['npm11-localmock-v2-no-vulns.json'],
  ])('%s: ok with no advisories', (name) => {
    expect(parse(name, 0)).toEqual({ ok: true, advisories: [] });
  });

  it.each([
    [
      'npm11-error-enolock.json',
      'npm audit failed: ENOLOCK: This command requires an existing lockfile.',
    ],
    [
      'defectdojo-error-enoaudit.json',
      'npm audit failed: ENOAUDIT: Your configured registry (https://registry.npmjs.org/) may not support audit requests, or the audit endpoint may be temporarily unavailable.',
    ],
    [
      'npm11-error-endpoint-405.json',
      'npm audit failed: the audit endpoint answered 405 Method Not Allowed - POST http://127.0.0.1:47314/-/npm/v1/security/advisories/bulk - Method Not Allowed',
    ],
    [
      'npm10-error-quick-endpoint-405.json',
      'npm audit failed: the audit endpoint answered 405 Method Not Allowed - POST http://127.0.0.1:47314/-/npm/v1/security/audits/quick - Method Not Allowed',
    ],
  ])('%s: a failure, not "no findings"', (name, reason) => {
    expect(parse(name)).toEqual({ ok: false, reason });
  });

  it('npm 6 critical: GHSA first, CVE alias, version from findings, fix from patched_versions', () => {
    const r = parse('auditci-npm6-v1-critical.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.advisories).toHaveLength(1);
    expect(r.advisories[0]).toMatchObject({
      packageName: 'open',
      version: '0.0.5',
      severity: 'critical',
      fixedVersions: ['6.0.0'],
      source: 'npm-audit',
      kind: 'vulnerability',
      ecosystem: 'npm',
    });
    expect(r.advisories[0]?.ids[0]).toBe('GHSA-28xh-wpgr-7fm8');
  });

  it('npm 6 multi paths: five advisories with CVE aliases', () => {
    expect(brief('auditci-npm6-v1-multi-paths.json')).toEqual([
      ['GHSA-pw2r-vq6v-hr8c CVE-2022-0536', 'follow-redirects', '1.0.0', 'medium', '1.14.8'],
      ['GHSA-74fj-2j2h-c42q CVE-2022-0155', 'follow-redirects', '1.0.0', 'high', '1.14.7'],
      ['GHSA-cph5-m8f7-6c5x CVE-2021-3749', 'axios', '0.15.3', 'high', '0.21.2'],
      ['GHSA-4w2v-q235-vp99 CVE-2020-28168', 'axios', '0.15.3', 'high', '0.21.1'],
      ['GHSA-42xw-2xvc-qx8m CVE-2019-10742', 'axios', '0.15.3', 'high', '0.18.1'],
    ]);
  });

  it('npm 6 with cwe null and an npm-only id', () => {
    expect(brief('defectdojo-npm6-v1-cwe-null.json')).toEqual([
      ['NPM-146 CVE-2017-16042', 'growl', '1.9.2', 'critical', '1.10.2'],
    ]);
  });

  it('npm 7 critical: no version without an inventory', () => {
    expect(brief('auditci-npm7-v2-critical.json')).toEqual([
      ['GHSA-28xh-wpgr-7fm8', 'open', '', 'critical', '6.0.0'],
    ]);
  });

  it('npm 7 transitive effects: only root advisories, chains resolve to them', () => {
    expect(brief('auditci-npm7-v2-transitive-effects.json')).toEqual([
      ['GHSA-cph5-m8f7-6c5x', 'axios', '', 'high', ''],
      ['GHSA-4w2v-q235-vp99', 'axios', '', 'high', '0.21.1'],
      ['GHSA-42xw-2xvc-qx8m', 'axios', '', 'high', ''],
      ['GHSA-pw2r-vq6v-hr8c', 'follow-redirects', '', 'medium', '1.14.8'],
      ['GHSA-74fj-2j2h-c42q', 'follow-redirects', '', 'high', '1.14.7'],
    ]);
    const report = parseJson(read('auditci-npm7-v2-transitive-effects.json'), 'x');
    if (!isJsonObject(report) || !isJsonObject(report['vulnerabilities'])) throw new Error('shape');
    expect(rootAdvisoryUrls(report['vulnerabilities'], 'github-build')).toEqual([
      'https://github.com/advisories/GHSA-42xw-2xvc-qx8m',
      'https://github.com/advisories/GHSA-4w2v-q235-vp99',
      'https://github.com/advisories/GHSA-74fj-2j2h-c42q',
      'https://github.com/advisories/GHSA-cph5-m8f7-6c5x',
      'https://github.com/advisories/GHSA-pw2r-vq6v-hr8c',
    ]);
  });

  it('early npm 7 without isDirect and with npmjs.com advisory urls', () => {
    expect(brief('defectdojo-npm7early-v2-no-isdirect.json')).toEqual([
      ['NPM-1488', 'acorn', '', 'medium', '5.7.4|6.4.1|7.1.1'],
      ['NPM-1227', 'highcharts', '', 'high', '7.2.2|8.1.1'],
      ['NPM-1518', 'jquery', '', 'medium', '3.5.0'],
      ['NPM-1490', 'kind-of', '', 'low', '6.0.3'],
      ['NPM-1523', 'lodash', '', 'low', '4.17.19'],
      ['NPM-1179', 'minimist', '', 'low', '0.2.1|1.2.3'],
      ['NPM-961', 'node-sass', '', 'low', '4.13.1'],
      ['NPM-1500', 'yargs-parser', '', 'low', '13.1.2|15.0.1|18.1.2'],
    ]);
  });

  it('npm 9/10 era with cwe and cvss', () => {
    const r = parse('defectdojo-npm7plus-v2-many-vulns.json');
    expect(brief('defectdojo-npm7plus-v2-many-vulns.json')).toEqual([
      ['GHSA-gxpj-cx7g-858c', 'debug', '', 'medium', '4.3.1'],
      ['GHSA-c2qf-rxjj-qqgw', 'semver', '', 'medium', '7.5.2'],
      ['GHSA-3787-6prv-h9w3', 'undici', '', 'low', ''],
    ]);
    expect(r.ok && r.advisories[0]?.cvssVector).toBe(
      'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
    );
  });

  it('npm 11 against the mock: versions resolved from the inventory by each advisory range', () => {
    const inventory = [
      pkg('lodash', '4.17.15'),
      pkg('minimist', '1.2.0'),
      pkg('minimist', '0.0.8'),
      pkg('mkdirp', '0.5.1'),
    ];
    expect(brief('npm11-localmock-v2-multi-dev-nested.json', inventory)).toEqual([
      ['GHSA-p6mc-m468-83gw', 'lodash', '4.17.15', 'high', '4.17.19'],
      ['GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.15', 'high', '4.17.21'],
      ['GHSA-vh95-rmgr-6w4m', 'minimist', '0.0.8', 'medium', '0.2.1'],
      ['GHSA-vh95-rmgr-6w4m', 'minimist', '1.2.0', 'medium', '1.2.3'],
      ['GHSA-xvch-5gv4-984h', 'minimist', '0.0.8', 'critical', '0.2.4'],
      ['GHSA-xvch-5gv4-984h', 'minimist', '1.2.0', 'critical', '1.2.6'],
    ]);
    const r = parse('npm11-localmock-v2-multi-dev-nested.json', 1, inventory);
    expect(r.ok && r.advisories[0]).toMatchObject({
      title: 'Prototype Pollution in lodash',
      url: 'https://github.com/advisories/GHSA-p6mc-m468-83gw',
      cvssVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H',
      cvssScore: 7.4,
    });
  });

  it('npm 11 --omit=dev and without packuments', () => {
    expect(brief('npm11-localmock-v2-omit-dev.json')).toHaveLength(4);
    expect(brief('npm11-localmock-v2-no-packument-fixavailable-false.json')).toEqual([
      ['GHSA-p6mc-m468-83gw', 'lodash', '', 'high', '4.17.19'],
      ['GHSA-35jh-r3h4-6jhm', 'lodash', '', 'high', '4.17.21'],
    ]);
  });

  // The three remaining recorded files are request/response bodies of the registry endpoint, not
  // npm audit output; test/servers/npm-audit-server.int.test.ts uses them. As stdout they fail.
  it.each([
    'bulk-request-body-npm11.19.1.json',
    'quick-audit-request-body-npm10.9.2.json',
    'npmcli-arborist-fixture-bulk-advisory-response.json',
  ])('%s is not a report', (name) => {
    expect(parse(name)).toEqual({
      ok: false,
      reason:
        'npm audit printed JSON in a shape supplyaudit does not know (no vulnerabilities or advisories)',
    });
  });

  it.each([
    [
      { exitCode: 1, stdout: '', stderr: 'npm error code E500\n' },
      'npm audit printed nothing on stdout (exit 1): npm error code E500',
    ],
    [
      { exitCode: 1, stdout: '{"auditReportVer', stderr: '' },
      'npm audit output:1: invalid JSON (Unterminated string) (exit 1)',
    ],
    [{ exitCode: 0, stdout: '[]', stderr: '' }, 'npm audit printed JSON that is not an object'],
  ])('broken output %#', (output, reason) => {
    expect(parseNpmAudit(output)).toEqual({ ok: false, reason });
  });
});

describe('npmAuditArgs', () => {
  it('builds flag=value arguments', () => {
    expect(
      npmAuditArgs({
        registry: 'http://127.0.0.1:4873/',
        omitDev: true,
        userconfig: '/tmp/x/empty',
      }),
    ).toEqual([
      'audit',
      '--json',
      '--package-lock-only',
      '--registry=http://127.0.0.1:4873/',
      '--userconfig=/tmp/x/empty',
      '--omit=dev',
    ]);
    expect(() => npmAuditArgs({ registry: '--foo' })).toThrow(
      'refusing to pass the npm registry URL to a tool: "--foo" starts with "-"',
    );
  });
  it('derives fixes from vulnerable ranges', () => {
    expect(fixesFromVulnerableRange('>=3.7.0 <4.17.19')).toEqual(['4.17.19']);
    expect(fixesFromVulnerableRange('<=0.21.1')).toEqual([]);
    expect(fixesFromVulnerableRange('not a range')).toEqual([]);
  });
});
