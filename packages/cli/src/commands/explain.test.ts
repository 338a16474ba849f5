import { describe, expect, it } from 'vitest';
import { describeEvents, explainRecord, normalizeName } from './explain.js';

describe('describeEvents', () => {
  it.each([
    [
      [
        { kind: 'introduced', value: '0' },
        { kind: 'fixed', value: '4.17.21' },
      ],
      'all versions <4.17.21',
    ],
    [
      [
        { kind: 'introduced', value: '0.6.3' },
        { kind: 'fixed', value: '0.6.14' },
        { kind: 'introduced', value: '1.0.0' },
        { kind: 'fixed', value: '1.6.1' },
      ],
      '>=0.6.3 <0.6.14, >=1.0.0 <1.6.1',
    ],
    [
      [
        { kind: 'introduced', value: '1.0' },
        { kind: 'last_affected', value: '1.4' },
      ],
      '>=1.0 <=1.4',
    ],
    [[{ kind: 'introduced', value: '0' }], 'all versions'],
  ] as const)('%j', (events, text) => {
    expect(describeEvents(events)).toBe(text);
  });
});

describe('explainRecord', () => {
  const here = new Map([
    ['npm', new Set(['lodash'])],
    ['PyPI', new Set(['pyyaml'])],
  ] as const);

  it('keeps only the affected entries of packages found here, with fixed versions and OSV events', () => {
    const record: unknown = JSON.parse(`{
      "id": "GHSA-35jh-r3h4-6jhm", "aliases": ["CVE-2021-23337"], "summary": "Command Injection in lodash",
      "details": "line one\\r\\nline two", "modified": "2022-02-08T00:00:00Z",
      "severity": [{ "type": "CVSS_V3", "score": "CVSS:3.1/AV:N" }],
      "database_specific": { "severity": "HIGH" },
      "affected": [
        { "package": { "ecosystem": "npm", "name": "lodash" },
          "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }, { "fixed": "4.17.21" }] }] },
        { "package": { "ecosystem": "npm", "name": "lodash-es" },
          "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }, { "fixed": "4.17.21" }] }] }
      ],
      "references": [{ "type": "ADVISORY", "url": "https://nvd.example.com/CVE-2021-23337" }, { "url": 7 }]
    }`);
    if (typeof record !== 'object' || record === null) throw new Error('fixture');
    expect(explainRecord(Object.fromEntries(Object.entries(record)), here)).toEqual({
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      summary: 'Command Injection in lodash',
      details: 'line one\nline two',
      modified: '2022-02-08T00:00:00Z',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }],
      databaseSeverity: 'HIGH',
      affected: [
        {
          ecosystem: 'npm',
          name: 'lodash',
          ranges: [
            {
              type: 'SEMVER',
              events: [{ introduced: '0' }, { fixed: '4.17.21' }],
              text: 'all versions <4.17.21',
            },
          ],
          versions: [],
        },
      ],
      fixedVersions: ['4.17.21'],
      references: [{ type: 'ADVISORY', url: 'https://nvd.example.com/CVE-2021-23337' }],
    });
  });

  it('drops escape sequences from record text and ignores inherited or odd-typed fields', () => {
    const raw: unknown = JSON.parse(
      '{"id":"PYSEC-1","__proto__":{"summary":"polluted"},"details":"\\u001b[2Jgone\\u0007","aliases":"CVE-1",' +
        '"affected":[{"package":{"ecosystem":"PyPI","name":"PyYAML"},"versions":["5.3.1",5]}]}',
    );
    if (typeof raw !== 'object' || raw === null) throw new Error('fixture');
    const e = explainRecord(Object.fromEntries(Object.entries(raw)), here);
    expect(e.summary).toBe('');
    expect(e.details).toBe('[2Jgone');
    expect(e.aliases).toEqual([]);
    expect(e.affected).toEqual([
      { ecosystem: 'PyPI', name: 'PyYAML', ranges: [], versions: ['5.3.1'] },
    ]);
    const probe: Record<string, unknown> = {};
    expect(probe['summary']).toBeUndefined();
  });

  it('normalises PyPI names as PEP 503 does', () => {
    expect(normalizeName('PyPI', 'Zope.Interface__x')).toBe('zope-interface-x');
    expect(normalizeName('npm', 'Lodash')).toBe('lodash');
  });
});
