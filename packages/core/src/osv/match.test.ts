import { describe, expect, it } from 'vitest';
import { matchRecord } from './match.js';
import { parseOsvRecord, type OsvRecord } from './schema.js';

function record(affected: unknown[], extra: Record<string, unknown> = {}): OsvRecord {
  const r = parseOsvRecord({ id: 'TEST-1', modified: '2024-01-01T00:00:00Z', affected, ...extra });
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

const range = (events: Record<string, string>[], type = 'ECOSYSTEM') => ({ type, events });

describe('matchRecord', () => {
  it('never matches a withdrawn record', () => {
    const r = record(
      [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [range([{ introduced: '0' }])] }],
      { withdrawn: '2024-02-01T00:00:00Z' },
    );
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: '1.0.0' })).toBeUndefined();
  });

  it('compares ecosystems exactly: a suffix or another case is another ecosystem', () => {
    const r = record([
      { package: { ecosystem: 'npm:foo', name: 'a' }, ranges: [range([{ introduced: '0' }])] },
      { package: { ecosystem: 'NPM', name: 'a' }, ranges: [range([{ introduced: '0' }])] },
    ]);
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: '1.0.0' })).toBeUndefined();
  });

  it('skips invalid event values and keeps the rest', () => {
    const r = record([
      {
        package: { ecosystem: 'npm', name: 'a' },
        ranges: [
          range([
            { introduced: 'garbage' },
            { introduced: '1.0.0' },
            { fixed: '2019-09-12' },
            { fixed: '2.0.0' },
          ]),
        ],
      },
    ]);
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: '0.9.0' })).toBeUndefined();
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: '1.5.0' })).toEqual({
      fixedVersions: ['2.0.0'],
    });
  });

  it('needs a valid installed version for ranges; versions[] still match by string', () => {
    const r = record([
      {
        package: { ecosystem: 'npm', name: 'a' },
        ranges: [range([{ introduced: '0' }, { fixed: '3.0.0' }])],
        versions: ['weird-1'],
      },
    ]);
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: 'weird-2' })).toBeUndefined();
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: 'weird-1' })).toEqual({
      fixedVersions: [],
    });
  });

  it('offers the smallest fix above a version listed in versions[] but in no range', () => {
    const r = record([
      {
        package: { ecosystem: 'PyPI', name: 'a' },
        ranges: [
          range([{ introduced: '2.0' }, { fixed: '2.1' }, { introduced: '3.0' }, { fixed: '3.1' }]),
        ],
        versions: ['1.5'],
      },
    ]);
    expect(matchRecord(r, { ecosystem: 'PyPI', name: 'A', version: '1.5' })).toEqual({
      fixedVersions: ['2.1'],
    });
  });

  it('applies SemVer to SEMVER ranges whatever the ecosystem', () => {
    const r = record([
      {
        package: { ecosystem: 'PyPI', name: 'a' },
        ranges: [range([{ introduced: '1.0.0-alpha' }, { fixed: '1.0.0' }], 'SEMVER')],
      },
    ]);
    expect(matchRecord(r, { ecosystem: 'PyPI', name: 'a', version: '1.0.0-beta' })).toEqual({
      fixedVersions: ['1.0.0'],
    });
  });

  it('treats a contiguous fixed/introduced pair at one version as still affected', () => {
    const r = record([
      {
        package: { ecosystem: 'npm', name: 'a' },
        ranges: [
          range([
            { introduced: '1.0.0' },
            { fixed: '1.5.0' },
            { introduced: '1.5.0' },
            { fixed: '2.0.0' },
          ]),
        ],
      },
    ]);
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: '1.5.0' })).toEqual({
      fixedVersions: ['2.0.0'],
    });
  });

  it('stays linear on hostile records', () => {
    const events: Record<string, string>[] = [{ introduced: '0' }];
    for (let i = 1; i <= 5_000; i++)
      events.push({ introduced: `${String(i)}.0.0` }, { fixed: `${String(i)}.0.1` });
    const r = record([
      {
        package: { ecosystem: 'npm', name: 'a' },
        ranges: [range(events)],
        versions: [' '.repeat(50_000)],
      },
    ]);
    const start = performance.now();
    expect(matchRecord(r, { ecosystem: 'npm', name: 'a', version: '4999.0.0' })).toEqual({
      fixedVersions: ['4999.0.1'],
    });
    expect(
      matchRecord(r, { ecosystem: 'npm', name: 'a', version: '9'.repeat(10_000) }),
    ).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});
