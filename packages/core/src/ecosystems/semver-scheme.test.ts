import { describe, expect, it } from 'vitest';
import { cargoVersionScheme } from './cargo/version.js';
import { npmVersionScheme } from './npm/version.js';

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

// npm and crates.io share one lenient SemVer scheme (semver-scheme.ts); each is checked whole.
describe.each([
  ['npm', npmVersionScheme],
  ['crates.io', cargoVersionScheme],
] as const)('%s version scheme (SemVer 2.0.0 precedence)', (_ecosystem, scheme) => {
  it.each([
    ['1.2.3', '1.2.4', -1],
    ['1.10.0', '1.9.0', 1],
    ['5.0.0-alpha.1', '5.0.0', -1],
    ['5.0.0-alpha.1', '5.0.0-alpha.2', -1],
    ['5.0.0-alpha.10', '5.0.0-alpha.2', 1],
    ['5.0.0-alpha.1', '5.0.0-beta.3', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1], // numeric < alphanumeric
    ['1.0.0-rc.1', '1.0.0-rc.1+build.5', 0], // build metadata ignored
    ['0.0.0-0', '0.0.0', -1],
    ['0.0.0-0', '0.0.0-alpha', -1],
    ['1.0', '1.0.0', 0], // lenient: GHSA-r683-j2x4-v87g writes `1.0`
    ['1', '1.0.0', 0],
    ['v1.2.3', '1.2.3', 0],
    [' 1.2.3 ', '1.2.3', 0],
    ['1.0-beta', '1.0.0', -1], // the prerelease survives lenient parsing
    ['8.0.0-alpha.4', '8.0.0-alpha.0', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(sign(scheme.compare(a, b))).toBe(expected);
    expect(sign(scheme.compare(b, a))).toBe(0 - expected || 0);
  });

  it('keeps prereleases that coercion would drop', () => {
    expect(scheme.compare('1.0.0-beta', '1.0.0')).toBeLessThan(0);
    expect(scheme.compare('1.0-rc.1', '1.0.0-rc.1')).toBe(0);
  });

  it.each([
    '',
    '   ',
    'latest',
    '1.2.3.4',
    '1.2.x',
    '^1.2.3',
    '01.2.3',
    '1.0.0-',
    '1.0.0-01',
    'abc',
  ])('rejects %j', (v) => {
    expect(scheme.isValid(v)).toBe(false);
  });

  it('sorts invalid strings first instead of throwing', () => {
    expect(scheme.compare('nope', '1.0.0')).toBe(-1);
    expect(scheme.compare('1.0.0', 'nope')).toBe(1);
  });

  it('rejects hostile versions quickly', () => {
    const hostile = [
      ' '.repeat(50_000),
      ' '.repeat(50_000) + 'x',
      '9'.repeat(10_000),
      `1.${'9'.repeat(10_000)}.0`,
      `1.0.0-${'a'.repeat(10_000)}`,
      `1.0.0-${'a.'.repeat(5_000)}`,
      '1.2.99999999999999999999',
    ];
    const start = performance.now();
    for (const v of hostile) {
      expect(scheme.isValid(v)).toBe(false);
      expect(scheme.compare(v, '1.0.0')).toBe(-1);
    }
    expect(performance.now() - start).toBeLessThan(100);
  });
});
