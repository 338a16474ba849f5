import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../../errors.js';
import { contextFor, find, fixture, ids, SMALL_APP } from './__fixtures__/load.js';
import { splitDescriptors, yarnLockParser } from './yarn-lock.js';

const parse = (dir: string) =>
  yarnLockParser.parse(fixture(`${dir}/yarn.lock`), contextFor(dir, 'yarn.lock'));

/** yarn keeps one entry per resolved name@version, except classic's aliased descriptors. */
const YARN_APP = [...new Set(SMALL_APP)];

describe('npm/yarn-lock', () => {
  it('splits entry headers into descriptors', () => {
    expect(splitDescriptors('"@a/b@^1.0.0", c@npm:d@^2, "e@1"')).toEqual([
      '@a/b@^1.0.0',
      'c@npm:d@^2',
      'e@1',
    ]);
  });

  // The same app locked by yarn 1.22.22 (classic) and yarn 4 (berry); lines of entry headers.
  it.each([
    ['yarn-classic', 26, { isOdd: 81, lodash: 88, nested: 93 }],
    ['yarn-berry', 24, { isOdd: 126, lodash: 135, nested: 142 }],
  ])('reads %s', (dir, count, line) => {
    const { packages, diagnostics } = parse(dir);
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(count);
    expect([...new Set(ids(packages))]).toEqual(YARN_APP);
    expect(find(packages, 'is-odd', '3.0.1')).toMatchObject({
      direct: true,
      dev: false,
      optional: true,
      location: { file: `${dir}/yarn.lock`, line: line.isOdd },
    });
    expect(find(packages, 'is-number', '6.0.0')).toMatchObject({ direct: false, optional: true });
    expect(find(packages, 'is-number', '7.0.0')).toMatchObject({ direct: true, dev: true });
    expect(find(packages, 'lodash', '4.17.15')).toMatchObject({
      alias: 'lodash-legacy',
      direct: true,
      purl: 'pkg:npm/lodash@4.17.15',
      location: { line: line.lodash },
    });
    expect(find(packages, 'minimist', '0.0.8')).toMatchObject({
      direct: false,
      location: { line: line.nested },
      paths: [['app@1.0.0', 'mkdirp@0.5.1', 'minimist@0.0.8']],
    });
    expect(find(packages, 'wrap-ansi', '7.0.0').alias).toBe('wrap-ansi-cjs');
    expect(find(packages, 'color-name', '1.1.4').paths).toEqual([
      [
        'app@1.0.0',
        '@isaacs/cliui@8.0.2',
        'wrap-ansi@7.0.0',
        'ansi-styles@4.3.0',
        'color-convert@2.0.1',
        'color-name@1.1.4',
      ],
    ]);
  });

  it('records classic resolved URLs and integrity, berry checksums', () => {
    const classic = find(parse('yarn-classic').packages, 'is-odd', '3.0.1');
    expect(classic.source).toEqual({
      type: 'registry',
      url: 'https://npm.example.com/is-odd/-/is-odd-3.0.1.tgz',
    });
    expect(classic.integrity).toBe(
      'sha512-CQpnWPrDwmP1+SMHXZhtLtJv90yiyVfluGsX5iNCVkrhQtU3TQHsUWPG9wkdk9Lgd5yNpAg9jQEo90CBaXgWMA==',
    );
    const berry = find(parse('yarn-berry').packages, 'is-odd', '3.0.1');
    expect(berry.source).toEqual({ type: 'registry' });
    expect(berry.integrity?.startsWith('10c0/')).toBe(true);
  });

  it('reads a berry workspace: members are roots and local packages', () => {
    const { packages, diagnostics } = parse('yarn-berry-workspace');
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(32);
    expect(find(packages, 'lib', '0.2.0')).toMatchObject({
      local: true,
      direct: true,
      source: { type: 'workspace', path: 'packages/lib' },
      location: { line: 178 },
      paths: [['app@1.0.0', 'lib@0.2.0']],
    });
    expect(find(packages, 'punycode', '2.3.1').paths).toEqual([
      ['lib@0.2.0', 'ajv@6.12.6', 'uri-js@4.4.1', 'punycode@2.3.1'],
    ]);
    // minimist@1.2.8: dev for lib, prod for the root.
    expect(find(packages, 'minimist', '1.2.8')).toMatchObject({ dev: false, direct: true });
  });

  it('classifies berry git, link and tarball resolutions', () => {
    const text = [
      '__metadata:',
      '  version: 8',
      '',
      '"g@https://git.example.com/o/g.git#commit=0123456789abcdef0123456789abcdef01234567":',
      '  version: 1.0.0',
      '  resolution: "g@https://git.example.com/o/g.git#commit=0123456789abcdef0123456789abcdef01234567"',
      '',
      '"l@link:../l::locator=app%40workspace%3A.":',
      '  version: 0.0.0-use.local',
      '  resolution: "l@link:../l::locator=app%40workspace%3A."',
      '',
      '"t@https://files.example.com/t.tgz":',
      '  version: 2.0.0',
      '  resolution: "t@https://files.example.com/t.tgz"',
    ].join('\n');
    const { packages } = yarnLockParser.parse(text, { file: 'yarn.lock' });
    expect(packages.map((p) => [p.name, p.location.line, p.local ?? false, p.source])).toEqual([
      [
        'g',
        4,
        false,
        {
          type: 'git',
          url: 'https://git.example.com/o/g.git',
          commit: '0123456789abcdef0123456789abcdef01234567',
        },
      ],
      ['l', 8, true, { type: 'link', path: '../l::locator=app%40workspace%3A.' }],
      ['t', 12, false, { type: 'url', url: 'https://files.example.com/t.tgz' }],
    ]);
  });

  describe('hostile input', () => {
    it('keeps __proto__, constructor and prototype as names without pollution', () => {
      const text = [
        '# yarn lockfile v1',
        '',
        '__proto__@^1.0.0:',
        '  version "1.0.0"',
        '  dependencies:',
        '    constructor "^1.0.0"',
        '',
        'constructor@^1.0.0:',
        '  version "1.0.0"',
        '',
        '"prototype@1.0.0":',
        '  version "2.0.0"',
        '',
      ].join('\n');
      const ctx = {
        file: 'yarn.lock',
        manifestText: '{"dependencies": {"__proto__": "^1.0.0", "prototype": "1.0.0"}}',
      };
      const { packages } = yarnLockParser.parse(text, ctx);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(packages.map((p) => [p.name, p.version, p.location.line, p.direct, p.paths])).toEqual([
        ['__proto__', '1.0.0', 3, true, [['.', '__proto__@1.0.0']]],
        ['constructor', '1.0.0', 8, false, [['.', '__proto__@1.0.0', 'constructor@1.0.0']]],
        ['prototype', '2.0.0', 11, true, [['.', 'prototype@2.0.0']]],
      ]);
    });

    it('warns about an entry without a version and keeps the rest', () => {
      const text =
        'a@^1.0.0:\n  resolved "https://npm.example.com/a/-/a-1.0.0.tgz"\n\nb@^1.0.0:\n  version "1.0.0"\n';
      const { packages, diagnostics } = yarnLockParser.parse(text, { file: 'yarn.lock' });
      expect(ids(packages)).toEqual(['b@1.0.0']);
      expect(diagnostics).toEqual([
        {
          level: 'warning',
          file: 'yarn.lock',
          line: 1,
          message: 'entry "a@^1.0.0" has no version',
          code: 'PARSE_FAILED',
        },
      ]);
    });

    it('refuses a berry lockfile with an alias bomb', () => {
      const text =
        '__metadata:\n  version: 8\n"a@npm:1": &a\n  version: 1.0.0\n"b@npm:1":\n  x: [*a, *a]\n';
      try {
        yarnLockParser.parse(text, { file: 'yarn.lock' });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(SupplyAuditError);
        expect(error instanceof Error ? error.message : '').toBe(
          'yarn.lock:3: YAML anchor &a is not allowed in a lockfile',
        );
      }
    });

    it.each(['yarn-classic', 'yarn-berry'])('reads %s with a BOM and CRLF line ends', (dir) => {
      const text = `\uFEFF${fixture(`${dir}/yarn.lock`).replace(/\n/g, '\r\n')}`;
      const { packages } = yarnLockParser.parse(text, contextFor(dir, 'yarn.lock'));
      expect(packages).toHaveLength(dir === 'yarn-classic' ? 26 : 24);
      expect(find(packages, 'is-odd', '3.0.1').location.line).toBe(
        dir === 'yarn-classic' ? 81 : 126,
      );
      expect(find(packages, 'is-odd', '3.0.1').direct).toBe(true);
    });
  });
});
