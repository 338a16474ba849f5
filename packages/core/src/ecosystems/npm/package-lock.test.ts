import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../../errors.js';
import { contextFor, find, fixture, ids, SMALL_APP } from './__fixtures__/load.js';
import { nodeModulesLookup, packageLockParser } from './package-lock.js';

const parse = (dir: string, lockfile = 'package-lock.json') =>
  packageLockParser.parse(fixture(`${dir}/${lockfile}`), contextFor(dir, lockfile));

function failure(text: string): string {
  try {
    packageLockParser.parse(text, { file: 'package-lock.json' });
  } catch (error) {
    if (error instanceof SupplyAuditError && error.code === 'PARSE_FAILED') return error.message;
    throw error;
  }
  throw new Error('expected PARSE_FAILED');
}

describe('npm/package-lock', () => {
  it('matches package-lock.json and npm-shrinkwrap.json only', () => {
    expect(packageLockParser.matches('package-lock.json')).toBe(true);
    expect(packageLockParser.matches('npm-shrinkwrap.json')).toBe(true);
    expect(packageLockParser.matches('package.json')).toBe(false);
  });

  // Each fixture is the same app locked by a different npm; lines are those of the entry's key.
  it.each([
    ['package-lock-v3', 'package-lock.json', { isOdd: 113, alias: 136, nested: 164, cjs: 187 }],
    ['package-lock-v2', 'package-lock.json', { isOdd: 113, alias: 136, nested: 164, cjs: 187 }],
    ['npm-shrinkwrap', 'npm-shrinkwrap.json', { isOdd: 113, alias: 136, nested: 164, cjs: 187 }],
    ['package-lock-v1', 'package-lock.json', { isOdd: 64, alias: 81, nested: 99, cjs: 116 }],
  ])('reads %s', (dir, lockfile, line) => {
    const { packages, diagnostics } = parse(dir, lockfile);
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(30);
    expect(ids(packages)).toEqual(SMALL_APP);

    const isOdd = find(packages, 'is-odd', '3.0.1');
    expect(isOdd).toMatchObject({ direct: true, dev: false, optional: true });
    expect(isOdd.location).toEqual({ file: `${dir}/${lockfile}`, line: line.isOdd });
    expect(find(packages, 'is-number', '6.0.0')).toMatchObject({
      direct: false,
      dev: false,
      optional: true,
      paths: [['app@1.0.0', 'is-odd@3.0.1', 'is-number@6.0.0']],
    });
    expect(find(packages, 'is-number', '7.0.0')).toMatchObject({ direct: true, dev: true });

    const lodash = find(packages, 'lodash', '4.17.15');
    expect(lodash).toMatchObject({
      alias: 'lodash-legacy',
      direct: true,
      purl: 'pkg:npm/lodash@4.17.15',
      location: { line: line.alias },
      source: { type: 'registry', url: 'https://npm.example.com/lodash/-/lodash-4.17.15.tgz' },
      integrity:
        'sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==',
    });

    // mkdirp@0.5.1 needs minimist 0.0.8, nested under it while the root has 1.2.8.
    expect(find(packages, 'minimist', '0.0.8')).toMatchObject({
      direct: false,
      location: { line: line.nested },
      paths: [['app@1.0.0', 'mkdirp@0.5.1', 'minimist@0.0.8']],
    });
    const cjs = packages.filter((p) => p.alias === 'string-width-cjs');
    expect(cjs.map((p) => [p.name, p.version, p.location.line])).toEqual([
      ['string-width', '4.2.3', line.cjs],
    ]);
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
    expect(find(packages, '@isaacs/cliui', '8.0.2').purl).toBe('pkg:npm/%40isaacs/cliui@8.0.2');
  });

  it('records licenses where lockfile v3 has them', () => {
    const { packages } = parse('package-lock-v3');
    expect(find(packages, '@isaacs/cliui', '8.0.2').license).toBe('ISC');
    expect(packages.filter((p) => p.license === undefined)).toEqual([]);
  });

  it('reads an npm workspace: members are local, their dev deps count for them only', () => {
    const { packages, diagnostics } = parse('npm-workspace');
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(38);
    expect(find(packages, 'lib', '0.2.0')).toMatchObject({
      local: true,
      direct: true,
      source: { type: 'workspace', path: 'packages/lib' },
      location: { line: 426 },
      paths: [['app@1.0.0', 'lib@0.2.0']],
    });
    expect(find(packages, 'punycode', '2.3.1').paths).toEqual([
      ['lib@0.2.0', 'ajv@6.12.6', 'uri-js@4.4.1', 'punycode@2.3.1'],
    ]);
    expect(find(packages, 'ajv-keywords', '3.5.2')).toMatchObject({ direct: true, dev: false });
    expect(find(packages, 'minimist', '1.2.8')).toMatchObject({ dev: false });
  });

  it('resolves like node: nested first, then each enclosing node_modules', () => {
    const lookup = nodeModulesLookup([
      'node_modules/b',
      'node_modules/a/node_modules/b',
      'node_modules/c',
      'node_modules/@s/d',
      'packages/lib/node_modules/b',
    ]);
    expect(lookup('node_modules/a', 'b')).toBe('node_modules/a/node_modules/b');
    expect(lookup('node_modules/a/node_modules/b', 'c')).toBe('node_modules/c');
    expect(lookup('node_modules/a/node_modules/b', '@s/d')).toBe('node_modules/@s/d');
    expect(lookup('packages/lib', 'b')).toBe('packages/lib/node_modules/b');
    expect(lookup('packages/lib', 'c')).toBe('node_modules/c');
    expect(lookup('', 'd')).toBeUndefined();
  });

  it('classifies git, tarball URL, file and bundled sources', () => {
    const lock = JSON.stringify(
      {
        name: 'x',
        version: '1.0.0',
        lockfileVersion: 3,
        packages: {
          '': { name: 'x', version: '1.0.0', dependencies: { g: '*', t: '*', f: '*' } },
          'node_modules/g': {
            version: '1.0.0',
            resolved:
              'git+ssh://git@git.example.com/o/g.git#0123456789abcdef0123456789abcdef01234567',
          },
          'node_modules/t': { version: '2.0.0', resolved: 'https://files.example.com/t.tgz' },
          'node_modules/f': { version: '3.0.0', resolved: 'file:vendor/f-3.0.0.tgz' },
          'node_modules/t/node_modules/b': { version: '4.0.0', inBundle: true },
        },
      },
      null,
      2,
    );
    const { packages } = packageLockParser.parse(lock, { file: 'package-lock.json' });
    expect(packages.map((p) => [p.name, p.source])).toEqual([
      [
        'g',
        {
          type: 'git',
          url: 'git+ssh://git@git.example.com/o/g.git',
          commit: '0123456789abcdef0123456789abcdef01234567',
        },
      ],
      ['t', { type: 'url', url: 'https://files.example.com/t.tgz' }],
      ['f', { type: 'path', path: 'vendor/f-3.0.0.tgz' }],
      ['b', { type: 'bundled' }],
    ]);
    expect(packages.map((p) => p.location.line)).toEqual([15, 19, 23, 27]);
  });

  describe('hostile input', () => {
    it('names the line of truncated JSON', () => {
      const text = fixture('package-lock-v3/package-lock.json').slice(0, 2000);
      expect(failure(text)).toBe('package-lock.json:65: truncated JSON (unexpected end of input)');
    });

    it('refuses a top level that is not an object', () => {
      expect(failure('[1, 2]')).toBe(
        'package-lock.json:1: expected a JSON object at the top level',
      );
    });

    it('keeps __proto__, constructor and prototype as package names without pollution', () => {
      const lock = [
        '{',
        '  "lockfileVersion": 3,',
        '  "packages": {',
        '    "": { "dependencies": { "__proto__": "1.0.0", "constructor": "1.0.0" } },',
        '    "node_modules/__proto__": { "version": "1.0.0", "polluted": "yes" },',
        '    "node_modules/constructor": { "version": "1.0.0", "dependencies": { "prototype": "*" } },',
        '    "node_modules/prototype": { "version": "2.0.0", "__proto__": { "polluted": "yes" } }',
        '  }',
        '}',
      ].join('\n');
      const { packages } = packageLockParser.parse(lock, { file: 'package-lock.json' });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(packages.map((p) => [p.name, p.version, p.location.line, p.direct])).toEqual([
        ['__proto__', '1.0.0', 5, true],
        ['constructor', '1.0.0', 6, true],
        ['prototype', '2.0.0', 7, false],
      ]);
      expect(find(packages, 'prototype', '2.0.0').paths).toEqual([
        ['.', 'constructor@1.0.0', 'prototype@2.0.0'],
      ]);
    });

    it('keeps __proto__ in a v1 tree as data', () => {
      const lock = '{"lockfileVersion":1,"dependencies":{"__proto__":{"version":"1.0.0"}}}';
      const { packages } = packageLockParser.parse(lock, { file: 'package-lock.json' });
      expect(ids(packages)).toEqual(['__proto__@1.0.0']);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('reads 100,000-deep nesting without exhausting the stack', () => {
      const deep = `{"lockfileVersion":3,"packages":{},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      expect(packageLockParser.parse(deep, { file: 'package-lock.json' })).toEqual({
        packages: [],
        diagnostics: [],
      });
    });

    it('warns about an entry without a version and keeps the rest', () => {
      const lock = [
        '{',
        '  "lockfileVersion": 3,',
        '  "packages": {',
        '    "": { "dependencies": { "a": "1", "b": "1" } },',
        '    "node_modules/a": { "resolved": "https://npm.example.com/a/-/a-1.0.0.tgz" },',
        '    "node_modules/b": { "version": "1.0.0" },',
        '    "node_modules/c": "nonsense"',
        '  }',
        '}',
      ].join('\n');
      const { packages, diagnostics } = packageLockParser.parse(lock, {
        file: 'package-lock.json',
      });
      expect(ids(packages)).toEqual(['b@1.0.0']);
      expect(diagnostics).toEqual([
        {
          level: 'warning',
          file: 'package-lock.json',
          line: 7,
          message: 'entry "node_modules/c" is not an object',
          code: 'PARSE_FAILED',
        },
        {
          level: 'warning',
          file: 'package-lock.json',
          line: 5,
          message: 'entry "node_modules/a" has no version',
          code: 'PARSE_FAILED',
        },
      ]);
    });

    it('warns about a v1 entry without a version', () => {
      const lock =
        '{\n"lockfileVersion": 1,\n"dependencies": {\n"a": {},\n"b": {"version": "1.0.0"}\n}\n}';
      const { packages, diagnostics } = packageLockParser.parse(lock, {
        file: 'package-lock.json',
      });
      expect(ids(packages)).toEqual(['b@1.0.0']);
      expect(diagnostics.map((d) => `${String(d.line)}: ${d.message}`)).toEqual([
        '4: entry "node_modules/a" has no version',
      ]);
    });

    it('reads a BOM and CRLF line ends with the same lines', () => {
      const text = `\uFEFF${fixture('package-lock-v3/package-lock.json').replace(/\n/g, '\r\n')}`;
      const { packages } = packageLockParser.parse(
        text,
        contextFor('package-lock-v3', 'package-lock.json'),
      );
      expect(packages).toHaveLength(30);
      expect(find(packages, 'is-odd', '3.0.1').location.line).toBe(113);
    });
  });
});
