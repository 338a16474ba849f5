import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../decode/json.js';
import { parseOsvRecord, type OsvRecord } from './schema.js';

function fixture(path: string): unknown {
  const url = new URL(`./__fixtures__/records/${path}`, import.meta.url);
  return parseJson(readFileSync(url, 'utf8'), path);
}

function parsed(value: unknown): OsvRecord {
  const r = parseOsvRecord(value);
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

describe('parseOsvRecord', () => {
  it('reads a RustSec record with nulls and several pairs in one range', () => {
    const r = parsed(fixture('crates.io/RUSTSEC-2017-0002.json'));
    expect(r.id).toBe('RUSTSEC-2017-0002');
    expect(r.published).toBe('2017-01-23T12:00:00Z');
    expect(r.aliases).toEqual(['CVE-2017-18587', 'GHSA-q89x-f52w-6hj2']);
    expect(r.severity).toEqual([
      { type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N' },
    ]);
    expect(r.affected).toHaveLength(1);
    expect(r.affected[0]?.package).toEqual({
      ecosystem: 'crates.io',
      name: 'hyper',
      purl: 'pkg:cargo/hyper',
    });
    expect(r.affected[0]?.ranges).toEqual([
      {
        type: 'SEMVER',
        events: [
          { kind: 'introduced', value: '0.0.0-0' },
          { kind: 'fixed', value: '0.9.18' },
          { kind: 'introduced', value: '0.10.0' },
          { kind: 'fixed', value: '0.10.2' },
        ],
      },
    ]);
    expect(r.affected[0]?.database_specific?.['informational']).toBeNull();
    expect(r.database_specific).toEqual({ license: 'CC0-1.0' });
  });

  it('reads a record without aliases, published or severity (PYSEC-2024-1)', () => {
    const r = parsed(fixture('PyPI/PYSEC-2024-1.json'));
    expect(r.aliases).toEqual([]);
    expect(r.published).toBeUndefined();
    expect(r.severity).toEqual([]);
    expect(r.affected[0]?.versions).toEqual(['0.5']);
    expect(r.affected[0]?.ranges).toEqual([]);
  });

  it('keeps withdrawn, and a GIT range beside an ECOSYSTEM one', () => {
    expect(parsed(fixture('PyPI/PYSEC-2022-15.json')).withdrawn).toBe('2022-02-22T16:15:07Z');
    const r = parsed(fixture('PyPI/PYSEC-2019-155.json'));
    expect(r.affected[0]?.ranges.map((x) => x.type)).toEqual(['GIT', 'ECOSYSTEM']);
  });

  it('keeps `__proto__` inside strings and as a key as plain data', () => {
    const r = parsed(fixture('npm/GHSA-hrpp-h998-j3pp.json'));
    expect(r.details).toContain('__proto__');
    const hostile = parseJson(
      '{"id":"X-1","modified":"2024-01-01T00:00:00Z","__proto__":{"polluted":1},' +
        '"database_specific":{"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}}},' +
        '"affected":[{"package":{"ecosystem":"npm","name":"__proto__"},"versions":["1.0.0"]}]}',
      'hostile.json',
    );
    const h = parsed(hostile);
    expect(h.affected[0]?.package.name).toBe('__proto__');
    expect(Object.hasOwn(h.database_specific ?? {}, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(h.database_specific)).toBe(Object.prototype);
  });

  it('tolerates nulls and wrong types in optional fields', () => {
    const r = parsed({
      id: 'X-2',
      modified: '2024-01-01T00:00:00Z',
      published: null,
      aliases: null,
      summary: null,
      severity: [null, { type: 'CVSS_V3' }, { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }],
      affected: [
        null,
        { package: { ecosystem: 'npm', name: 'a' }, ranges: null, versions: [1, 'x'] },
        {
          package: { ecosystem: 'npm', name: 'b' },
          ranges: [
            { type: 'WEIRD', events: [] },
            { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: null }, 7, {}] },
          ],
        },
      ],
      references: [{ url: 'https://example.com' }, { type: 'WEB' }],
    });
    expect(r.aliases).toEqual([]);
    expect(r.summary).toBe('');
    expect(r.published).toBeUndefined();
    expect(r.severity).toEqual([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }]);
    expect(r.affected.map((a) => a.package.name)).toEqual(['a', 'b']);
    expect(r.affected[0]?.versions).toEqual(['x']);
    expect(r.affected[1]?.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ kind: 'introduced', value: '0' }] },
    ]);
    expect(r.references).toEqual([{ type: 'WEB', url: 'https://example.com' }]);
  });

  it.each([
    [null, 'not a JSON object'],
    [[], 'not a JSON object'],
    [{ modified: '2024-01-01T00:00:00Z' }, 'no "id"'],
    [{ id: '  ', modified: '2024-01-01T00:00:00Z' }, 'no "id"'],
    [{ id: 'X-3' }, 'X-3: no "modified" date'],
    [
      { id: 'X-4', modified: '2024-01-01T00:00:00Z', affected: [{ package: { name: 'a' } }] },
      'X-4: no usable "affected" entry',
    ],
  ])('refuses %j', (value, reason) => {
    expect(parseOsvRecord(value)).toEqual({ ok: false, reason });
  });
});
