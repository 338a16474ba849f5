import { describe, expect, it } from 'vitest';
import { cargoSatisfies, isExactCargoRequirement, readCargoManifest } from './manifest.js';

describe('Cargo manifest reader', () => {
  it.each([
    ['1.2.3', '1.2', true],
    ['2.0.0', '1.2', false],
    ['0.2.9', '0.2.3', true],
    ['0.3.0', '0.2.3', false],
    ['1.5.0', '>=1.2, <1.5', false],
    ['1.4.0', '~1.4', true],
    ['0.6.13', '=1.0.0', false],
    ['1.0.0', '*', true],
    ['1.0.0', 'nonsense', undefined],
  ] as const)('%s satisfies %s: %s', (version, req, expected) => {
    expect(cargoSatisfies(version, req)).toBe(expected);
  });

  it('knows exact requirements, renames, git, path, workspace and applications', () => {
    const text = [
      '[package]',
      'name = "app"',
      '',
      '[dependencies]',
      'a = "=1.0.0"',
      'b = "1"',
      'c = { version = "2", package = "real-c" }',
      'd = { git = "https://git.example.com/d.git", rev = "0123456789abcdef0123456789abcdef01234567" }',
      'e = { path = "../e" }',
      'f.workspace = true',
      '"__proto__" = "1"',
      '',
      "[target.'cfg(unix)'.dev-dependencies]",
      'g = "0.1"',
      '',
    ].join('\n');
    const m = readCargoManifest(text, 'Cargo.toml');
    expect(m.application).toBe(true);
    expect(m.dependencies.map((d) => [d.name, d.line, d.kind, d.exact, d.scope])).toEqual([
      ['a', 5, 'registry', true, 'prod'],
      ['b', 6, 'registry', false, 'prod'],
      ['real-c', 7, 'registry', false, 'prod'],
      ['d', 8, 'git', true, 'prod'],
      ['e', 9, 'path', true, 'prod'],
      ['f', 10, 'workspace', false, 'prod'],
      ['__proto__', 11, 'registry', false, 'prod'],
      ['g', 14, 'registry', false, 'dev'],
    ]);
    expect(readCargoManifest('[workspace]\nmembers = ["a"]\n', 'Cargo.toml').application).toBe(
      false,
    );
    expect(readCargoManifest('[package]\nname = "l"\n[lib]\n', 'Cargo.toml').application).toBe(
      false,
    );
  });

  it('is linear on hostile requirements and versions', () => {
    const start = performance.now();
    expect(cargoSatisfies('1.0.0', `1.0${' '.repeat(50_000)}`)).toBeUndefined();
    expect(cargoSatisfies('9'.repeat(10_000), '1')).toBeUndefined();
    expect(isExactCargoRequirement(`=${'9'.repeat(10_000)}`)).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });
});
