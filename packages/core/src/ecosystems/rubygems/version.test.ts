import { Version } from '@renovatebot/ruby-semver/dist/ruby/version.js';
import { describe, expect, it } from 'vitest';
import { rubygemsVersionScheme as scheme } from './version.js';

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('RubyGems version scheme (Gem::Version)', () => {
  it.each([
    ['1.0.0.rc1', '1.0.0', -1], // a letter makes a prerelease
    ['1.0', '1.0.0', 0], // trailing zeros do not count
    ['5.3', '5.3.0.0', 0],
    ['2.0.0-alpha', '2.0.0.pre.alpha', 0], // `-` reads as `.pre.`
    ['2.0.0-alpha', '2.0.0.beta1', 1], // "pre" > "beta"
    ['2.0.0.beta1', '2.0.0', -1],
    ['1.0.a', '1.0.b', -1],
    ['1.0.0.a10', '1.0.0.a9', 1],
    ['1.0.0.rc1', '1.0.0.rc.1', 0], // split at digit/letter boundaries
    ['1.10', '1.9', 1],
    ['1.0.a', '1.a', 0],
    ['6.1.7.1', '6.1.7', 1],
    ['1.0.B', '1.0.a', -1], // byte order, as Ruby's String#<=>
    ['1.00000000000000000002', '1.00000000000000000001', 1],
    ['1.99999999999999999999', '1.99999999999999999998', 1], // Ruby has bignums
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(sign(scheme.compare(a, b))).toBe(expected);
    expect(sign(scheme.compare(b, a))).toBe(0 - expected || 0);
  });

  it('differs from the library where the library is wrong', () => {
    // ruby-semver compares letters with localeCompare and numbers with parseInt.
    expect(new Version('1.0.B').compare(new Version('1.0.a'))).toBe(1);
    expect(
      new Version('1.99999999999999999999').compare(new Version('1.99999999999999999998')),
    ).toBe(0);
  });

  it.each(['', '   ', 'abc', '1.0.0+build', '1..0', '.1', '1.0 beta', '~> 1.0'])(
    'rejects %j',
    (v) => {
      expect(scheme.isValid(v)).toBe(false);
    },
  );

  it('rejects hostile versions quickly', () => {
    const hostile = [
      ' '.repeat(50_000),
      ' '.repeat(50_000) + 'x', // the library's /^\s*(…)?\s*$/ is quadratic on this
      '9'.repeat(10_000),
      `1.${'9'.repeat(10_000)}`,
      `1.0-${'a'.repeat(10_000)}`,
      `1${'.a'.repeat(5_000)}`,
    ];
    const start = performance.now();
    for (const v of hostile) {
      expect(scheme.isValid(v)).toBe(false);
      expect(scheme.compare(v, '1.0')).toBe(-1);
    }
    expect(performance.now() - start).toBeLessThan(100);
  });
});
