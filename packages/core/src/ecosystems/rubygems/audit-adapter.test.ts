// parseBundlerAudit on every recorded real bundler-audit output (copied from shared/fixtures/native/bundler-audit).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { briefAdvisories } from '../../sources/__fixtures__/brief.js';
import { bundlerAuditArgs, parseBundlerAudit } from './audit-adapter.js';

const dir = new URL('./__fixtures__/native/recorded/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const parse = (name: string, exitCode = 1) =>
  parseBundlerAudit({ exitCode, stdout: read(name), stderr: '' });
const brief = (name: string) => briefAdvisories(parse(name));
const INSECURE = [
  'insecure-source',
  'bundler-audit/insecure-source',
  'http://203.0.113.10/@',
  'medium',
  '',
];

describe('parseBundlerAudit on recorded outputs', () => {
  it('no vulnerabilities', () => {
    expect(parse('local-v0.9.3-no-vulns.json', 0)).toEqual({ ok: true, advisories: [] });
  });

  it('insecure source and an unpatched gem: prefixes completed', () => {
    expect(brief('local-v0.9.3-insecure-source-and-unpatched-gem.json')).toEqual([
      INSECURE,
      ['vulnerability', 'CVE-2020-8130 GHSA-jppv-gw3r-w3q8', 'rake@12.3.2', 'high', '>= 12.3.3'],
    ]);
    const r = parse('local-v0.9.3-insecure-source-and-unpatched-gem.json');
    expect(r.ok && r.advisories[1]).toMatchObject({
      title: 'OS Command Injection in Rake',
      url: 'https://github.com/advisories/GHSA-jppv-gw3r-w3q8',
      cvssScore: 8.1,
    });
    expect(r.ok && r.advisories[0]?.title).toBe(
      'Gems are fetched from http://203.0.113.10/ over an insecure protocol',
    );
  });

  it('--ignore leaves only the insecure source (exit 1 all the same)', () => {
    expect(brief('local-v0.9.3-ignore-flag-insecure-source-only.json')).toEqual([INSECURE]);
  });

  it('21 results for activerecord 3.2.10 with OSVDB ids and null criticality', () => {
    const rows = brief('local-v0.9.3-unpatched-gems-activerecord-3.2.10.json');
    expect(rows).toHaveLength(21);
    expect(rows[0]).toEqual([
      'vulnerability',
      'CVE-2013-0155 GHSA-gppp-5xc5-wfpx OSVDB-89025',
      'activerecord@3.2.10',
      'high',
      '~> 2.3.16 | ~> 3.0.19 | ~> 3.1.10 | >= 3.2.11',
    ]);
    expect(rows[4]).toEqual([
      'vulnerability',
      'CVE-2014-3482 GHSA-mhwp-qhpc-h3jm OSVDB-108664',
      'activerecord@3.2.10',
      'unknown',
      '~> 3.2.19',
    ]);
    expect(rows[19]).toEqual([
      'vulnerability',
      'CVE-2026-54906 GHSA-6wx8-w4f5-wwcr',
      'concurrent-ruby@1.1.7',
      'low',
      '>= 1.3.7',
    ]);
    expect(rows.filter((r) => r[3] === 'unknown')).toHaveLength(3);
  });

  it('0.9.0.1 pretty-printed, with a GHSA-only advisory', () => {
    expect(brief('defectdojo-v0.9.0.1-unpatched-gems.json')).toEqual([
      [
        'vulnerability',
        'CVE-2020-8161 GHSA-5f9h-9pjv-v6j7',
        'rack@1.6.13',
        'unknown',
        '~> 2.1.3 | >= 2.2.0',
      ],
      [
        'vulnerability',
        'CVE-2020-8184 GHSA-j6w9-fv6q-3q52',
        'rack@1.6.13',
        'unknown',
        '~> 2.1.4 | >= 2.2.3',
      ],
      [
        'vulnerability',
        'CVE-2018-3760 GHSA-pr3h-jjhj-573x',
        'sprockets@2.2.3',
        'unknown',
        '>= 2.12.5, < 3.0.0 | >= 3.7.2, < 4.0.0 | >= 4.0.0.beta8',
      ],
      ['vulnerability', 'GHSA-xc9x-jj77-9p9j', 'nokogiri@1.15.2', 'unknown', '>= 1.16.2'],
    ]);
  });

  it('update progress text before the JSON is tolerated', () => {
    expect(parse('local-v0.9.3-update-flag-stdout-text-before-json.txt', 0)).toEqual({
      ok: true,
      advisories: [],
    });
  });

  it('a missing database (auto-download attempted offline) is a failure with the cause', () => {
    expect(
      parseBundlerAudit({
        exitCode: 1,
        stdout: read('local-v0.9.3-missing-db-autodownload-stdout.txt'),
        stderr: read('local-v0.9.3-missing-db-autodownload-stderr.txt'),
      }),
    ).toEqual({
      ok: false,
      reason:
        "bundle-audit printed no JSON (exit 1) (stdout: failed to download https://github.com/rubysec/ruby-advisory-db.git to \"/home/dev/ba/nonexistent-db\"): Cloning into '/home/dev/ba/nonexistent-db'... | fatal: unable to access 'https://github.com/rubysec/ruby-advisory-db.git/': Could not resolve host: github.com",
    });
  });

  it('redacts credentials in an insecure source URL', () => {
    const r = parseBundlerAudit({
      exitCode: 1,
      stdout:
        '{"results":[{"type":"insecure_source","source":"http://user:pw@gems.example.com/"}]}',
      stderr: '',
    });
    expect(r.ok && r.advisories[0]?.packageName).toBe('http://***@gems.example.com/');
  });
});

describe('bundlerAuditArgs', () => {
  it('never updates, optionally uses a local database', () => {
    expect(
      bundlerAuditArgs({ gemfileLock: 'Gemfile.lock', database: '/db/ruby-advisory-db' }),
    ).toEqual([
      'check',
      '--format=json',
      '--gemfile-lock=Gemfile.lock',
      '--no-update',
      '--quiet',
      '--database=/db/ruby-advisory-db',
    ]);
  });
});
