import { describe, expect, it } from 'vitest';
import { TomlEntryLines } from './lock-lines.js';
import { readPyproject, strongestEdges } from './pyproject.js';

describe('readPyproject', () => {
  it('reads PEP 621, PEP 735 and Poetry declarations with their kinds (bad strings skipped)', () => {
    const text = [
      '[project]',
      'name = "My_App"',
      'version = "1.2.3"',
      'dependencies = ["Flask==0.12.2", "requests[socks]>=2 ; python_version > \'3\'", "bad name!!"]',
      '[project.optional-dependencies]',
      'yaml = ["PyYAML"]',
      '[dependency-groups]',
      'test = ["pytest", { include-group = "lint" }]',
      'lint = ["ruff"]',
      '[tool.poetry.dependencies]',
      'python = "^3.9"',
      'extra-thing = { version = "*", optional = true }',
      '[tool.poetry.dev-dependencies]',
      'black = "*"',
      '[tool.poetry.group.main.dependencies]',
      'attrs = "*"',
      '[tool.poetry.group.docs.dependencies]',
      'sphinx = "*"',
    ].join('\n');
    const declared = readPyproject(text, 'pyproject.toml');
    expect(declared.label).toBe('my-app@1.2.3');
    expect(declared.diagnostics).toEqual([]);
    expect(declared.dependencies).toEqual([
      { name: 'flask', kind: 'prod' },
      { name: 'requests', kind: 'prod' },
      { name: 'pyyaml', kind: 'optional' },
      { name: 'pytest', kind: 'dev' },
      { name: 'ruff', kind: 'dev' },
      { name: 'extra-thing', kind: 'optional' },
      { name: 'black', kind: 'dev' },
      { name: 'attrs', kind: 'prod' },
      { name: 'sphinx', kind: 'dev' },
    ]);
  });

  it('gives a warning, not an error, for a broken manifest', () => {
    expect(readPyproject('[project]\nname = \n', 'app/pyproject.toml')).toEqual({
      label: 'app/pyproject.toml',
      dependencies: [],
      diagnostics: [
        {
          level: 'warning',
          file: 'app/pyproject.toml',
          line: 2,
          message: 'invalid TOML (invalid value); direct dependencies unknown',
          code: 'PARSE_FAILED',
        },
      ],
    });
  });

  it('keeps the strongest kind per target', () => {
    expect(
      strongestEdges([
        { to: 'a', kind: 'dev' },
        { to: 'a', kind: 'prod' },
        { to: 'b', kind: 'optional' },
        { to: 'b', kind: 'dev' },
      ]),
    ).toEqual([
      { to: 'a', kind: 'prod' },
      { to: 'b', kind: 'optional' },
    ]);
  });
});

describe('TomlEntryLines', () => {
  it('skips [[package]] inside multi-line strings and matches by name and version', () => {
    const text = [
      '[[package]]', // 1
      'name = "a"',
      'version = "1"',
      'description = """',
      '[[package]]', // 5: text, not a table
      'name = "a"',
      '"""',
      '',
      '[[ package ]]  # spaced', // 9
      "name = 'A'",
      'version = "2"',
    ].join('\n');
    const lines = new TomlEntryLines(text);
    expect(lines.lineOf('a', '2', 1)).toBe(9);
    expect(lines.lineOf('a', '1', 0)).toBe(1);
    // nothing left for a third: falls back to the header of that index, or line 1
    expect(lines.lineOf('a', '3', 5)).toBe(1);
  });

  it('is linear on a line padded with 50k spaces and a 10k-character version', () => {
    const text = `[[package]]\nname${' '.repeat(50_000)}= "x"\nversion = "${'9'.repeat(10_000)}"\n`;
    const started = performance.now();
    const lines = new TomlEntryLines(text.repeat(50));
    expect(lines.lineOf('x', '9'.repeat(10_000), 0)).toBe(1);
    expect(lines.lineOf('x', '9'.repeat(10_000), 1)).toBe(4);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
