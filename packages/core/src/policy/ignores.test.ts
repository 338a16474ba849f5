import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/index.js';
import { applyIgnores, matchesGlob } from './ignores.js';

const lodash: Finding = {
  kind: 'vulnerability',
  id: 'GHSA-p6mc-m468-83gw',
  aliases: ['CVE-2020-8203'],
  severity: 'high',
  summary: 'Prototype Pollution in lodash',
  package: { ecosystem: 'npm', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' },
  paths: [],
  location: { file: 'apps/web/package-lock.json', line: 40 },
  fixedVersions: ['4.17.19'],
  sources: ['osv'],
  fingerprint: '5d41402abc4b2a76b9719d911017c592',
  message: '',
};
const now = new Date('2026-12-03T12:00:00Z');

describe('applyIgnores', () => {
  it('matches any alias, keeps the finding and records the reason', () => {
    const out = applyIgnores(
      [lodash],
      [{ id: 'cve-2020-8203', reason: 'only used at build time', expires: '2026-12-31' }],
      now,
    );
    expect(out.findings[0]?.ignored).toEqual({
      reason: 'only used at build time',
      expires: '2026-12-31',
    });
    expect(out.warnings).toEqual([]);
  });

  it('an expired ignore stops applying and is reported; an unused one is reported', () => {
    const out = applyIgnores(
      [lodash],
      [
        { id: 'GHSA-p6mc-m468-83gw', reason: 'waiting for upstream', expires: '2026-12-02' },
        { id: 'GHSA-0000-0000-0000', reason: 'old' },
      ],
      now,
    );
    expect(out.findings[0]?.ignored).toBeUndefined();
    expect(out.warnings).toEqual([
      'ignores[0] (GHSA-p6mc-m468-83gw) expired on 2026-12-02 and no longer applies',
      'ignores[1] (GHSA-0000-0000-0000) matched no finding; remove it if it is no longer needed',
    ]);
  });

  it('narrows by package and by path globs', () => {
    const byPkg = applyIgnores(
      [lodash],
      [{ id: 'CVE-2020-8203', reason: 'r', package: 'lodash@4.17.14' }],
      now,
    );
    expect(byPkg.findings[0]?.ignored).toBeUndefined();
    const byPath = applyIgnores(
      [lodash],
      [{ id: 'CVE-2020-8203', reason: 'r', paths: ['apps/*/package-lock.json'] }],
      now,
    );
    expect(byPath.findings[0]?.ignored).toEqual({ reason: 'r' });
  });

  it('globs: * stays within a folder, ** crosses folders, regex characters are literal', () => {
    expect(matchesGlob('apps/*/x.json', 'apps/web/x.json')).toBe(true);
    expect(matchesGlob('apps/*/x.json', 'apps/web/deep/x.json')).toBe(false);
    expect(matchesGlob('apps/**/x.json', 'apps/web/deep/x.json')).toBe(true);
    expect(matchesGlob('a+b(c).json', 'a+b(c).json')).toBe(true);
    expect(matchesGlob('a.json', 'abjson')).toBe(false);
  });
});
