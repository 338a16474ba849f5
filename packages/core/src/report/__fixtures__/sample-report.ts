// A realistic report used by the renderer tests: real advisory ids and versions from the OSV data.
import type { Finding, Report } from '../../model/index.js';

export const lodashProto: Finding = {
  kind: 'vulnerability',
  id: 'GHSA-p6mc-m468-83gw',
  aliases: ['CVE-2020-8203'],
  severity: 'high',
  cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H', score: 7.4 },
  summary: 'Prototype Pollution in lodash',
  package: { ecosystem: 'npm', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' },
  paths: [['web@1.0.0', 'lodash@4.17.15'], ['web@1.0.0', 'async@2.6.0', 'lodash@4.17.15']],
  location: { file: 'web/package-lock.json', line: 1234 },
  fixedVersions: ['4.17.19'],
  sources: ['npm-audit', 'osv'],
  fingerprint: '5d41402abc4b2a76b9719d911017c592',
  message: 'lodash@4.17.15 is affected by GHSA-p6mc-m468-83gw (high): Prototype Pollution in lodash; fixed in 4.17.19',
};

export const requestsLeak: Finding = {
  kind: 'vulnerability',
  id: 'PYSEC-2018-28',
  aliases: ['CVE-2018-18074', 'GHSA-x84v-xcm2-53pg'],
  severity: 'unknown',
  summary: 'Requests sends an HTTP Authorization header to an http URI upon receiving a same-hostname https-to-http redirect',
  package: { ecosystem: 'PyPI', name: 'requests', version: '2.19.0', purl: 'pkg:pypi/requests@2.19.0' },
  paths: [['requirements.txt', 'requests@2.19.0']],
  location: { file: 'api/requirements.txt', line: 3 },
  fixedVersions: ['2.20.0'],
  sources: ['osv', 'pip-audit'],
  fingerprint: '7d793037a0760186574b0282f2f435e7',
  message: 'requests@2.19.0 is affected by PYSEC-2018-28: Requests sends an HTTP Authorization header; fixed in 2.20.0',
};

export const flatmap: Finding = {
  kind: 'malicious',
  id: 'GHSA-mh6f-8j2x-4483',
  aliases: ['CVE-2018-1000851'],
  severity: 'critical',
  summary: 'Critical severity vulnerability that affects event-stream and flatmap-stream',
  package: { ecosystem: 'npm', name: 'flatmap-stream', version: '0.1.1', purl: 'pkg:npm/flatmap-stream@0.1.1' },
  paths: [['web@1.0.0', 'event-stream@3.3.6', 'flatmap-stream@0.1.1']],
  location: { file: 'web/package-lock.json', line: 410 },
  fixedVersions: [],
  sources: ['osv'],
  fingerprint: '0cc175b9c0f1b6a831c399e269772661',
  message: 'flatmap-stream@0.1.1 is malicious (GHSA-mh6f-8j2x-4483)',
};

export const pinning: Finding = {
  kind: 'pinning',
  id: 'actions-unpinned',
  aliases: [],
  severity: 'medium',
  summary: 'GitHub Action not pinned to a commit SHA',
  paths: [],
  location: { file: '.github/workflows/ci\nyml | evil.yml', line: 12 },
  fixedVersions: [],
  sources: [],
  fingerprint: '92eb5ffee6ae2fec3ad71c777531578f',
  message: 'actions/checkout@v4 is not pinned to a full commit SHA',
};

export function sampleReport(findings: readonly Finding[] = [lodashProto, requestsLeak, flatmap, pinning]): Report {
  const count = (pred: (f: Finding) => boolean) => findings.filter(pred).length;
  return {
    schemaVersion: 1,
    tool: { name: 'supplyaudit', version: '0.1.0' },
    target: 'examples/polyglot',
    startedAt: '2026-12-03T10:00:00.000Z',
    durationMs: 1234,
    complete: true,
    sources: [
      { name: 'osv', status: 'ok', durationMs: 120 },
      { name: 'npm-audit', status: 'ok', version: '11.19.1', durationMs: 900 },
      { name: 'pip-audit', status: 'ok', version: '2.10.1', durationMs: 800 },
      { name: 'bundler-audit', status: 'skipped', reason: 'not installed', durationMs: 0 },
    ],
    projects: [
      { ecosystem: 'npm', manifest: 'web/package.json', lockfile: 'web/package-lock.json', packageCount: 57 },
      { ecosystem: 'PyPI', lockfile: 'api/requirements.txt', packageCount: 5 },
    ],
    findings,
    summary: {
      bySeverity: {
        critical: count((f) => f.severity === 'critical'),
        high: count((f) => f.severity === 'high'),
        medium: count((f) => f.severity === 'medium'),
        low: count((f) => f.severity === 'low'),
        unknown: count((f) => f.severity === 'unknown'),
      },
      byKind: {
        vulnerability: count((f) => f.kind === 'vulnerability'),
        malicious: count((f) => f.kind === 'malicious'),
        license: count((f) => f.kind === 'license'),
        pinning: count((f) => f.kind === 'pinning'),
        lockfile: count((f) => f.kind === 'lockfile'),
      },
    },
    verdict: { exitCode: 1, reasons: ['3 findings at or above medium', '1 malicious package', '1 pinning finding at or above medium'] },
  };
}
