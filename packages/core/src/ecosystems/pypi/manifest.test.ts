import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseToml } from '../../decode/toml.js';
import {
  pipfileHash,
  poetryContentHash,
  pypiSatisfies,
  pythonJsonDumps,
  readPipfile,
  readPyprojectManifest,
  samePypiSpecifier,
} from './manifest.js';

const fixture = (path: string) =>
  readFileSync(new URL(`./__fixtures__/${path}`, import.meta.url), 'utf8');

describe('PyPI manifest reader', () => {
  it('computes the Pipfile hash exactly as pipenv recorded it', () => {
    // The fixture was locked against the real index URL and scrubbed afterwards; put it back.
    const pipfile = fixture('pipenv/Pipfile').replace(
      'https://pypi.example.com/simple',
      'https://pypi.org/simple',
    );
    const lock = JSON.parse(fixture('pipenv/Pipfile.lock')) as {
      _meta: { hash: { sha256: string } };
    };
    expect(pipfileHash(parseToml(pipfile, 'Pipfile'))?.values).toContain(lock._meta.hash.sha256);
  });

  it('computes the poetry content-hash exactly as poetry 1.4 recorded it', () => {
    const pyproject = fixture('poetry-v1/pyproject.toml').replace(
      'https://pypi.example.com/simple',
      'https://pypi.org/simple',
    );
    const lock = fixture('poetry-v1/poetry.lock');
    const recorded = /content-hash = "([0-9a-f]+)"/.exec(lock)?.[1];
    expect(poetryContentHash(parseToml(pyproject, 'pyproject.toml'))?.values).toContain(recorded);
  });

  it('writes JSON as Python does (ensure_ascii, sorted keys, separators)', () => {
    const table = parseToml('b = "é\\u0001"\na = [1, true]\n', 'x.toml');
    expect(pythonJsonDumps(table, false)).toBe('{"a": [1, true], "b": "\\u00e9\\u0001"}');
    expect(pythonJsonDumps(table, true)).toBe('{"a":[1,true],"b":"\\u00e9\\u0001"}');
    expect(pythonJsonDumps(parseToml('d = 1979-05-27\n', 'x.toml'), true)).toBeUndefined();
  });

  it('reads Pipfile and pyproject dependencies with lines, kinds and exactness', () => {
    const pipfile = readPipfile(
      '[packages]\nflask = "==0.12.2"\n"__proto__" = "*"\ngit = { git = "https://u:p@git.example.com/x.git", ref = "main" }\n',
      'Pipfile',
    );
    expect(pipfile.dependencies.map((d) => [d.name, d.line, d.kind, d.exact, d.specifier])).toEqual(
      [
        ['flask', 2, 'registry', true, '==0.12.2'],
        ['-proto-', 3, 'registry', false, '*'],
        ['git', 4, 'git', false, 'https://git.example.com/x.git'],
      ],
    );
    const pyproject = readPyprojectManifest(
      '[tool.poetry.dependencies]\npython = "^3.9"\nflask = "0.12.2"\nclick = "^8.1"\n',
      'pyproject.toml',
    );
    expect(pyproject.dependencies.map((d) => [d.name, d.line, d.exact])).toEqual([
      ['flask', 3, true],
      ['click', 4, false],
    ]);
  });

  it.each([
    ['0.12.2', '==0.12.2', true],
    ['1.0', '>=1.0,<2', true],
    ['8.1.7', '^8.1', true],
    ['9.0', '^8.1', false],
    ['1.3.0', '~1.2', false],
    ['1.0', 'not a specifier', undefined],
  ] as const)('%s satisfies %s: %s', (version, spec, expected) => {
    expect(pypiSatisfies(version, spec)).toBe(expected);
  });

  it('compares recorded specifiers as clause sets', () => {
    expect(samePypiSpecifier('>=1, <2', '<2,>=1')).toBe(true);
    expect(samePypiSpecifier('>=1.0', '==0.12.2')).toBe(false);
  });

  it('is linear on hostile specifiers and versions', () => {
    const start = performance.now();
    expect(pypiSatisfies('1.0', `>=1.0${' '.repeat(50_000)}`)).toBeUndefined();
    expect(pypiSatisfies('9'.repeat(10_000), '>=1.0')).toBeUndefined();
    expect(pypiSatisfies('1.0', `>=${'9'.repeat(10_000)}`)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(500);
  });
});
