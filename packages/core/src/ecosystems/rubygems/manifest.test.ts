import { describe, expect, it } from 'vitest';
import { gemSatisfies, readGemfile, readGemLockedRoots, sameGemRequirement } from './manifest.js';

describe('Gemfile reader', () => {
  it('reads gem lines with requirements, git/path options and dev groups', () => {
    const text = [
      'source "https://gems.example.com"',
      'gem "rails", "7.1.3"',
      "gem 'pg', '~> 1.5', '>= 1.5.4'",
      'gem "x", git: "https://git.example.com/x.git", ref: "0123456789abcdef0123456789abcdef01234567"',
      'gem "y", :path => "vendor/y"',
      'gem "__proto__"',
      'group :test do',
      '  gem "rspec"',
      'end',
    ].join('\n');
    expect(
      readGemfile(text, 'Gemfile').dependencies.map((d) => [
        d.name,
        d.line,
        d.kind,
        d.exact,
        d.specifier,
        d.scope,
      ]),
    ).toEqual([
      ['rails', 2, 'registry', true, '7.1.3', 'prod'],
      ['pg', 3, 'registry', false, '~> 1.5, >= 1.5.4', 'prod'],
      ['x', 4, 'git', true, '', 'prod'],
      ['y', 5, 'path', true, '', 'prod'],
      ['__proto__', 6, 'registry', false, '', 'prod'],
      ['rspec', 8, 'registry', false, '', 'dev'],
    ]);
  });

  it('reads DEPENDENCIES with requirements and locked versions', () => {
    const lock = [
      'GEM',
      '  remote: https://gems.example.com/',
      '  specs:',
      '    rack (1.4.1)',
      '',
      'DEPENDENCIES',
      '  rack (= 1.4.1)',
      '  mine!',
      '',
    ].join('\n');
    expect(readGemLockedRoots(lock, 'Gemfile.lock')).toEqual({
      importers: ['dir:.'],
      roots: [
        { importer: 'dir:.', name: 'rack', specifier: '= 1.4.1', version: '1.4.1', line: 7 },
        { importer: 'dir:.', name: 'mine', line: 8 },
      ],
    });
  });

  it.each([
    ['2.12.2', '~> 2.12', true],
    ['3.0', '~> 2.12', false],
    ['1.5.4', '~> 1.5, >= 1.5.4', true],
    ['1.0', 'garbage', undefined],
  ] as const)('%s satisfies %s: %s', (version, req, expected) => {
    expect(gemSatisfies(version, req)).toBe(expected);
  });

  it('compares requirements as Bundler writes them', () => {
    expect(sameGemRequirement('1.4.1', '= 1.4.1')).toBe(true);
    expect(sameGemRequirement('>= 1, < 2', '< 2, >= 1')).toBe(true);
    expect(sameGemRequirement('~> 2.0', '= 1.4.1')).toBe(false);
  });

  it('is linear on hostile lines and versions', () => {
    const start = performance.now();
    expect(gemSatisfies('1.0', `~> 1.0${' '.repeat(50_000)}`)).toBeUndefined();
    expect(gemSatisfies('9'.repeat(10_000), '>= 1')).toBeUndefined();
    readGemfile(`gem "a", ${'"1", '.repeat(20_000)}\n${'gem "'.repeat(20_000)}`, 'Gemfile');
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
