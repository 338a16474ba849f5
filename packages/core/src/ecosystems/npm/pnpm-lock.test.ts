import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../../errors.js';
import { contextFor, find, fixture, ids, SMALL_APP } from './__fixtures__/load.js';
import { parsePackageKey, pnpmLockParser, stripPeers } from './pnpm-lock.js';

const parse = (dir: string) =>
  pnpmLockParser.parse(fixture(`${dir}/pnpm-lock.yaml`), contextFor(dir, 'pnpm-lock.yaml'));

function failure(text: string): string {
  try {
    pnpmLockParser.parse(text, { file: 'pnpm-lock.yaml' });
  } catch (error) {
    if (error instanceof SupplyAuditError && error.code === 'PARSE_FAILED') return error.message;
    throw error;
  }
  throw new Error('expected PARSE_FAILED');
}

/** pnpm stores each name@version once, plus the workspace member `lib`. */
const PNPM_APP = [
  ...new Set([
    ...SMALL_APP,
    'ajv@6.12.6',
    'ajv-keywords@3.5.2',
    'fast-deep-equal@3.1.3',
    'fast-json-stable-stringify@2.1.0',
    'json-schema-traverse@0.4.1',
    'lib@0.2.0',
    'punycode@2.3.1',
    'uri-js@4.4.1',
  ]),
].sort();

describe('npm/pnpm-lock', () => {
  it('splits keys of every lockfile generation and drops peer suffixes', () => {
    expect(stripPeers('1.2.3(react@18.2.0)(b@1.0.0)', 9)).toBe('1.2.3');
    expect(stripPeers('1.2.3_react@18.2.0', 5)).toBe('1.2.3');
    expect(parsePackageKey('ajv-keywords@3.5.2(ajv@6.12.6)', 9)).toEqual({
      name: 'ajv-keywords',
      version: '3.5.2',
    });
    expect(parsePackageKey('/@isaacs/cliui@8.0.2', 6)).toEqual({
      name: '@isaacs/cliui',
      version: '8.0.2',
    });
    expect(parsePackageKey('/@isaacs/cliui/8.0.2_x@1.0.0', 5)).toEqual({
      name: '@isaacs/cliui',
      version: '8.0.2',
    });
    expect(parsePackageKey('/no-version', 6)).toBeUndefined();
  });

  // The same two-importer workspace locked by pnpm 10, 8 and 7; lines of `packages:` entries.
  it.each([
    ['pnpm-v9', { isOdd: 115, lodash: 122, lib: 35 }],
    ['pnpm-v6', { isOdd: 152, lodash: 165, lib: 35 }],
    ['pnpm-v5', { isOdd: 138, lodash: 151, lib: 25 }],
  ])('reads %s', (dir, line) => {
    const { packages, diagnostics } = parse(dir);
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(32);
    expect(ids(packages)).toEqual(PNPM_APP);

    expect(find(packages, 'is-odd', '3.0.1')).toMatchObject({
      direct: true,
      dev: false,
      optional: true,
      location: { file: `${dir}/pnpm-lock.yaml`, line: line.isOdd },
      integrity:
        'sha512-CQpnWPrDwmP1+SMHXZhtLtJv90yiyVfluGsX5iNCVkrhQtU3TQHsUWPG9wkdk9Lgd5yNpAg9jQEo90CBaXgWMA==',
      source: { type: 'registry' },
    });
    expect(find(packages, 'is-number', '6.0.0')).toMatchObject({ optional: true, direct: false });
    expect(find(packages, 'is-number', '7.0.0')).toMatchObject({ direct: true, dev: true });
    expect(find(packages, 'lodash', '4.17.15')).toMatchObject({
      alias: 'lodash-legacy',
      direct: true,
      location: { line: line.lodash },
    });
    // Only ever installed as wrap-ansi-cjs; strip-ansi@6.0.1 also under its own name.
    expect(find(packages, 'wrap-ansi', '7.0.0').alias).toBe('wrap-ansi-cjs');
    expect(find(packages, 'strip-ansi', '6.0.1').alias).toBeUndefined();

    // Importers are roots: lib's dependencies have paths from lib; lib is a local workspace member.
    expect(find(packages, 'lib', '0.2.0')).toMatchObject({
      local: true,
      direct: true,
      source: { type: 'workspace', path: 'packages/lib' },
      location: { line: line.lib },
      paths: [['app@1.0.0', 'lib@0.2.0']],
    });
    expect(find(packages, 'punycode', '2.3.1').paths).toEqual([
      ['lib@0.2.0', 'ajv@6.12.6', 'uri-js@4.4.1', 'punycode@2.3.1'],
    ]);
    // ajv-keywords@3.5.2(ajv@6.12.6): the peer suffix is gone, the peer is an edge.
    expect(find(packages, 'ajv-keywords', '3.5.2')).toMatchObject({ direct: true, dev: false });
    // minimist@1.2.8 is a dev dependency of lib but a prod one of the root.
    expect(find(packages, 'minimist', '1.2.8').dev).toBe(false);
    expect(find(packages, 'minimist', '0.0.8').paths).toEqual([
      ['app@1.0.0', 'mkdirp@0.5.1', 'minimist@0.0.8'],
      ['lib@0.2.0', 'mkdirp@0.5.1', 'minimist@0.0.8'],
    ]);
  });

  it('reads a single-project v6 lockfile with dev and a git and a tarball package', () => {
    const text = [
      "lockfileVersion: '6.0'",
      '',
      'dependencies:',
      '  g:',
      '    specifier: git+https://git.example.com/o/g.git',
      '    version: github.com/o/g/0123456',
      '',
      'devDependencies:',
      '  a:',
      '    specifier: ^1.0.0',
      '    version: 1.0.0',
      '',
      'packages:',
      '',
      '  /a@1.0.0:',
      '    resolution: {integrity: sha512-aaa}',
      '    dev: true',
      '',
      '  github.com/o/g/0123456:',
      '    resolution: {type: git, repo: https://git.example.com/o/g.git, commit: 0123456}',
      '    name: g',
      '    version: 2.0.0',
      '    dev: false',
      '',
    ].join('\n');
    const { packages, diagnostics } = pnpmLockParser.parse(text, { file: 'pnpm-lock.yaml' });
    expect(diagnostics).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.location.line, p.dev, p.source])).toEqual([
      ['a', '1.0.0', 15, true, { type: 'registry' }],
      [
        'g',
        '2.0.0',
        19,
        false,
        { type: 'git', url: 'https://git.example.com/o/g.git', commit: '0123456' },
      ],
    ]);
    expect(packages.find((p) => p.name === 'g')?.direct).toBe(true);
  });

  describe('hostile input', () => {
    it('refuses an alias bomb', () => {
      const bomb = [
        "lockfileVersion: '9.0'",
        'packages:',
        '  a@1.0.0: &a {x: [1, 1, 1, 1, 1, 1, 1, 1, 1]}',
        '  b@1.0.0: &b {x: [*a, *a, *a, *a, *a, *a, *a, *a, *a]}',
        '  c@1.0.0: {x: [*b, *b, *b, *b, *b, *b, *b, *b, *b]}',
      ].join('\n');
      expect(failure(bomb)).toBe('pnpm-lock.yaml:3: YAML anchor &a is not allowed in a lockfile');
    });

    it('keeps a `<<` merge carrying __proto__ as data, and warns about the odd key', () => {
      const text = [
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    dependencies:',
        '      a: {specifier: 1.0.0, version: 1.0.0}',
        'packages:',
        '  <<: {__proto__: {polluted: yes}}',
        '  a@1.0.0:',
        '    <<: {__proto__: {polluted: yes}}',
        '    resolution: {integrity: sha512-aaa}',
        '  __proto__@1.0.0:',
        '    resolution: {integrity: sha512-bbb}',
        'snapshots:',
        '  a@1.0.0:',
        '    dependencies:',
        '      __proto__: 1.0.0',
        '  __proto__@1.0.0: {}',
      ].join('\n');
      const { packages, diagnostics } = pnpmLockParser.parse(text, { file: 'pnpm-lock.yaml' });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(packages.map((p) => [p.name, p.version, p.location.line, p.paths])).toEqual([
        ['a', '1.0.0', 8, [['.', 'a@1.0.0']]],
        ['__proto__', '1.0.0', 11, [['.', 'a@1.0.0', '__proto__@1.0.0']]],
      ]);
      expect(diagnostics).toEqual([
        {
          level: 'warning',
          file: 'pnpm-lock.yaml',
          line: 7,
          message: 'package key "<<" has no name@version',
          code: 'PARSE_FAILED',
        },
      ]);
    });

    it('refuses a merge key that needs an anchor', () => {
      const text =
        "lockfileVersion: '9.0'\nbase: &base\n  __proto__: {polluted: yes}\npackages:\n  <<: *base\n";
      expect(failure(text)).toBe(
        'pnpm-lock.yaml:2: YAML anchor &base is not allowed in a lockfile',
      );
    });

    it('warns about an entry without a version and keeps the rest', () => {
      const text =
        "lockfileVersion: '6.0'\npackages:\n  /a:\n    resolution: {integrity: x}\n  /b@2.0.0:\n    resolution: {integrity: y}\n";
      const { packages, diagnostics } = pnpmLockParser.parse(text, { file: 'pnpm-lock.yaml' });
      expect(ids(packages)).toEqual(['b@2.0.0']);
      expect(diagnostics.map((d) => `${String(d.line)}: ${d.message}`)).toEqual([
        '3: package key "/a" has no name@version',
      ]);
    });

    it.each([
      [
        'lockfileVersion: 3\n',
        'pnpm-lock.yaml:1: unsupported pnpm lockfileVersion "3" (5.x, 6.x and 9.x are read)',
      ],
      ['- a\n', 'pnpm-lock.yaml:1: expected a YAML mapping at the top level'],
      [
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {resolution: {integrity: x}\n",
        'pnpm-lock.yaml:4: invalid YAML (unexpected end of the stream within a flow collection)',
      ],
    ])('refuses %j', (text, message) => {
      expect(failure(text)).toBe(message);
    });

    it('reads a BOM and CRLF line ends with the same lines', () => {
      const text = `\uFEFF${fixture('pnpm-v9/pnpm-lock.yaml').replace(/\n/g, '\r\n')}`;
      const { packages } = pnpmLockParser.parse(text, contextFor('pnpm-v9', 'pnpm-lock.yaml'));
      expect(packages).toHaveLength(32);
      expect(find(packages, 'is-odd', '3.0.1').location.line).toBe(115);
      expect(find(packages, 'lib', '0.2.0').location.line).toBe(35);
    });
  });
});
