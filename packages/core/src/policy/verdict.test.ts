import { describe, expect, it } from 'vitest';
import type { Finding, SourceStatus } from '../model/index.js';
import { decideVerdict } from './verdict.js';

const f = (severity: Finding['severity'], kind: Finding['kind'] = 'vulnerability'): Finding => ({
  kind,
  id: `ID-${severity}`,
  aliases: [],
  severity,
  summary: '',
  paths: [],
  fixedVersions: [],
  sources: ['osv'],
  fingerprint: '0123456789abcdef',
  message: '',
});
const ok: SourceStatus = { name: 'osv', status: 'ok', durationMs: 1 };

describe('decideVerdict', () => {
  it.each([
    ['critical', 'high', 0],
    ['high', 'high', 1],
    ['medium', 'unknown', 1],
    ['high', 'unknown', 0],
    ['low', 'low', 1],
    ['none', 'critical', 0],
  ] as const)('failOn %s with a %s finding gives exit %i', (failOn, severity, exitCode) => {
    expect(
      decideVerdict({
        findings: [f(severity)],
        sources: [ok],
        failOn,
        unreadable: [],
        nothingChecked: false,
      }).exitCode,
    ).toBe(exitCode);
  });

  it('fails on a malicious package at any threshold but none', () => {
    const v = decideVerdict({
      findings: [f('unknown', 'malicious')],
      sources: [ok],
      failOn: 'critical',
      unreadable: [],
      nothingChecked: false,
    });
    expect(v).toEqual({
      exitCode: 1,
      reasons: ['1 finding at or above critical', '1 malicious package'],
    });
  });

  it('is incomplete (3) when a source failed, even with no findings, and says why', () => {
    const v = decideVerdict({
      findings: [],
      sources: [
        ok,
        {
          name: 'pip-audit',
          status: 'failed',
          reason: 'timed out after 120 s',
          durationMs: 120000,
        },
      ],
      failOn: 'high',
      unreadable: [],
      nothingChecked: false,
    });
    expect(v).toEqual({ exitCode: 3, reasons: ['source pip-audit failed: timed out after 120 s'] });
  });

  it('informational findings do not fail the policy', () => {
    const info = { ...f('high', 'pinning'), informational: true };
    expect(
      decideVerdict({
        findings: [info],
        sources: [ok],
        failOn: 'low',
        unreadable: [],
        nothingChecked: false,
      }).exitCode,
    ).toBe(0);
  });

  it('names licenses and packages in its reasons', () => {
    const lic = (id: string, summary: string, name: string): Finding => ({
      ...f('high', 'license'),
      id,
      summary,
      package: { ecosystem: 'npm', name, version: '1.3.0', purl: `pkg:npm/${name}@1.3.0` },
    });
    const v = decideVerdict({
      findings: [
        f('high'),
        f('high'),
        f('critical'),
        lic('license-denied', 'License GPL-3.0-only is denied', 'left-pad'),
        lic('license-unknown', 'License unknown', 'mystery'),
      ],
      sources: [ok],
      failOn: 'high',
      unreadable: [],
      nothingChecked: false,
    });
    expect(v).toEqual({
      exitCode: 1,
      reasons: [
        '3 findings at or above high',
        '1 license denied: GPL-3.0-only in left-pad@1.3.0',
        '1 license unknown: mystery@1.3.0',
      ],
    });
  });

  it('ignored findings do not fail the policy', () => {
    const ignored = { ...f('critical'), ignored: { reason: 'not reachable' } };
    expect(
      decideVerdict({
        findings: [ignored],
        sources: [ok],
        failOn: 'low',
        unreadable: [],
        nothingChecked: false,
      }),
    ).toEqual({
      exitCode: 0,
      reasons: ['no findings at or above the threshold'],
    });
  });
});
