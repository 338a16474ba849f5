import { describe, expect, it } from 'vitest';
import {
  classifyNpmSpecifier,
  npmSatisfies,
  readNpmLockedRoots,
  readPackageJson,
} from './manifest.js';

describe('npm manifest reader', () => {
  it.each([
    ['1.2.3', 'registry', true],
    ['^1.2.3', 'registry', false],
    ['latest', 'registry', false],
    ['npm:lodash@4.17.15', 'alias', true],
    ['npm:lodash@^4', 'alias', false],
    ['workspace:*', 'workspace', true],
    ['file:../x', 'path', true],
    ['github:acme/x#0123456789abcdef0123456789abcdef01234567', 'git', true],
    ['acme/x#main', 'git', false],
    ['https://npm.example.com/x.tgz', 'url', false],
  ] as const)('%s is %s (exact: %s)', (spec, kind, exact) => {
    expect(classifyNpmSpecifier(spec)).toMatchObject({ kind, exact });
  });

  it.each([
    ['1.2.8', '^1.0.0', true],
    ['1.2.8', '^2.0.0', false],
    ['4.17.15', 'npm:lodash@^4.17.0', true],
    ['1.0.0', 'latest', undefined],
    ['1.0.0', 'git+https://git.example.com/x.git', undefined],
  ] as const)('%s satisfies %s: %s', (version, spec, expected) => {
    expect(npmSatisfies(version, spec)).toBe(expected);
  });

  it('keeps __proto__ as a name, with its line', () => {
    const text =
      '{\n  "dependencies": {\n    "__proto__": "^1.0.0",\n    "constructor": "1.0.0"\n  }\n}\n';
    const m = readPackageJson(text, 'package.json');
    expect(m.dependencies.map((d) => [d.name, d.line, d.exact])).toEqual([
      ['__proto__', 3, false],
      ['constructor', 4, true],
    ]);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('reads pnpm importers with specifiers, versions and lines', () => {
    const text = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      ajv:',
      '        specifier: ^6.0.0',
      '        version: 6.12.6',
      '  packages/lib:',
      '    devDependencies:',
      '      ajv-keywords:',
      '        specifier: 3.5.2',
      '        version: 3.5.2(ajv@6.12.6)',
      '',
    ].join('\n');
    expect(readNpmLockedRoots(text, 'pnpm-lock.yaml')).toEqual({
      importers: ['dir:.', 'dir:packages/lib'],
      roots: [
        { importer: 'dir:.', name: 'ajv', specifier: '^6.0.0', version: '6.12.6', line: 5 },
        {
          importer: 'dir:packages/lib',
          name: 'ajv-keywords',
          specifier: '3.5.2',
          version: '3.5.2',
          line: 10,
        },
      ],
    });
  });

  it('is linear on hostile specifiers and versions', () => {
    const padded = `^1.0.0${' '.repeat(50_000)}`;
    const digits = '9'.repeat(10_000);
    const start = performance.now();
    expect(npmSatisfies('1.0.0', padded)).toBeUndefined();
    expect(npmSatisfies(digits, '^1.0.0')).toBeUndefined();
    expect(classifyNpmSpecifier(padded)).toMatchObject({ kind: 'registry', exact: false });
    expect(classifyNpmSpecifier('a/'.repeat(20_000)).kind).toBe('registry');
    const m = readPackageJson(
      JSON.stringify({ dependencies: { x: padded, y: digits } }),
      'package.json',
    );
    expect(m.dependencies.map((d) => d.exact)).toEqual([false, false]);
    expect(performance.now() - start).toBeLessThan(500);
  });
});
