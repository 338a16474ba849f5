import { compare as libraryCompare } from '@renovatebot/pep440';
import { describe, expect, it } from 'vitest';
import { pypiVersionScheme as scheme } from './version.js';

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('PyPI version scheme (PEP 440)', () => {
  it.each([
    ['1.0', '1.0.0', 0],
    ['1.0A1', '1.0a1', 0],
    ['v1.0', '1.0', 0],
    ['1.0.dev1', '1.0a1', -1],
    ['1.0a1', '1.0b1', -1],
    ['1.0b1', '1.0rc1', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0', '1.0.post1', -1],
    ['1.0.post1.dev1', '1.0.post1', -1],
    ['1.0a1.dev1', '1.0a1', -1],
    ['1.0.dev1', '1.0a1.dev1', -1],
    ['1!0.1', '2.0', 1], // the epoch dominates
    ['1.0+local', '1.0', 1], // local sorts after its public version
    ['1.0+local', '1.0.post1', -1],
    ['1.0+abc.5', '1.0+abc.10', -1],
    ['1.0+abc', '1.0+5', -1], // numeric local segments sort after letters
    ['1.0-1', '1.0.post1', 0],
    ['2.4.0.0', '2.4.0', 0],
    ['2.3.3.0', '2.4.0.0', -1],
    ['1.10', '1.9', 1],
    ['0.8.0-alpha2', '0.8.0a2', 0],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(sign(scheme.compare(a, b))).toBe(expected);
    expect(sign(scheme.compare(b, a))).toBe(0 - expected || 0);
  });

  // The two invalid event values in the PyPA data (PYSEC-2019-125, PYSEC-2021-371).
  it.each(['2019-09-12', '0.2.0-n653', '', '  ', 'latest', '1.0.0.x', '1..0'])(
    'rejects %j',
    (v) => {
      expect(scheme.isValid(v)).toBe(false);
    },
  );

  it('fences off the library’s float precision: over 15 digits in a row is not a version', () => {
    // The library itself says these are equal.
    expect(libraryCompare('1.99999999999999999', '1.99999999999999998')).toBe(0);
    expect(scheme.isValid('1.99999999999999999')).toBe(false);
    expect(scheme.isValid('1.999999999999999')).toBe(true);
  });

  it('rejects hostile versions quickly', () => {
    const hostile = [
      ' '.repeat(50_000),
      ' '.repeat(50_000) + 'x',
      '9'.repeat(10_000),
      `1.${'9'.repeat(10_000)}`,
      `1.0a${'1'.repeat(10_000)}`,
      `1.0+${'a'.repeat(10_000)}`,
      `1.0+${'a.'.repeat(5_000)}`,
    ];
    const start = performance.now();
    for (const v of hostile) {
      expect(scheme.isValid(v)).toBe(false);
      expect(scheme.compare(v, '1.0')).toBe(-1);
    }
    expect(performance.now() - start).toBeLessThan(100);
  });
});
