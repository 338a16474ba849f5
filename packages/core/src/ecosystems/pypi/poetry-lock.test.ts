import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../../errors.js';
import type { Package } from '../../model/index.js';
import { parsePoetryLock, poetryLockParser } from './poetry-lock.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`__fixtures__/${path}`, import.meta.url), 'utf8');

const pins = (packages: readonly Package[]): string[] =>
  packages.map((p) => `${p.name}==${p.version ?? '?'}`);

const get = (packages: readonly Package[], name: string): Package => {
  const found = packages.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no package ${name}`);
  return found;
};

const names = (packages: readonly Package[], pick: (p: Package) => boolean): string[] =>
  packages.filter(pick).map((p) => p.name);

describe('pypi/poetry-lock, Poetry 2.5 (lock-version 2.1: groups, markers)', () => {
  const { packages, diagnostics } = parsePoetryLock(fixture('poetry-v2/poetry.lock'), {
    file: 'poetry.lock',
    manifestText: fixture('poetry-v2/pyproject.toml'),
    manifestFile: 'pyproject.toml',
  });

  it('reads every package, in file order, at its [[package]] line', () => {
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(24);
    expect(pins(packages)).toEqual([
      'certifi==2026.10.19.post1',
      'chardet==3.0.4',
      'click==8.1.8',
      'colorama==0.4.6',
      'exceptiongroup==1.3.2',
      'flask==0.12.2',
      'gitpkg==0.3.0',
      'idna==2.7',
      'iniconfig==2.1.0',
      'itsdangerous==2.2.0',
      'jinja2==3.1.6',
      'localpkg==0.1.0',
      'markupsafe==3.0.4',
      'packaging==26.3',
      'pluggy==1.6.0',
      'pysocks==1.7.1',
      'pytest==7.4.4',
      'pyyaml==6.0.1',
      'requests==2.19.0',
      'six==1.16.0',
      'tomli==2.5.0',
      'typing-extensions==4.16.0',
      'urllib3==1.22',
      'werkzeug==3.1.9',
    ]);
    expect(get(packages, 'certifi').location).toEqual({ file: 'poetry.lock', line: 3 });
    expect(get(packages, 'flask').location.line).toBe(73);
    expect(get(packages, 'pyyaml').location.line).toBe(406);
    expect(get(packages, 'werkzeug').location.line).toBe(608);
  });

  it('takes direct from pyproject.toml and dev/optional from the lock', () => {
    expect(names(packages, (p) => p.direct)).toEqual([
      'flask',
      'gitpkg',
      'localpkg',
      'pytest',
      'pyyaml',
      'requests',
    ]);
    expect(names(packages, (p) => p.dev)).toEqual([
      'exceptiongroup',
      'iniconfig',
      'packaging',
      'pluggy',
      'pytest',
      'tomli',
      'typing-extensions',
    ]);
    // colorama is in both groups (main on Windows, through click): not dev.
    expect(get(packages, 'colorama').dev).toBe(false);
    expect(names(packages, (p) => p.optional)).toEqual(['pyyaml']);
    // pysocks comes through requests[socks], which the project asks for.
    expect(get(packages, 'pysocks').optional).toBe(false);
  });

  it('records the shortest dependency paths of transitive packages', () => {
    expect(get(packages, 'markupsafe').paths).toEqual([
      ['fixture-app@0.1.0', 'flask@0.12.2', 'jinja2@3.1.6', 'markupsafe@3.0.4'],
      ['fixture-app@0.1.0', 'flask@0.12.2', 'werkzeug@3.1.9', 'markupsafe@3.0.4'],
    ]);
    expect(get(packages, 'typing-extensions').paths).toEqual([
      ['fixture-app@0.1.0', 'pytest@7.4.4', 'exceptiongroup@1.3.2', 'typing-extensions@4.16.0'],
    ]);
    expect(get(packages, 'gitpkg').paths).toEqual([['fixture-app@0.1.0', 'gitpkg@0.3.0']]);
  });

  it('records git, directory and registry sources, and the first sha256', () => {
    expect(get(packages, 'gitpkg')).toMatchObject({
      purl: 'pkg:pypi/gitpkg@0.3.0',
      source: {
        type: 'git',
        url: 'https://git.example.com/acme/gitpkg.git',
        commit: '15a93368c62c798bd86fc6df164f5a273c8ce797',
      },
    });
    expect(get(packages, 'localpkg')).toMatchObject({
      local: true,
      source: { type: 'path', path: 'localpkg' },
    });
    expect(get(packages, 'flask').source).toEqual({ type: 'registry' });
    expect(get(packages, 'flask').integrity).toBe(
      'sha256:0749df235e3ff61ac108f69ac178c9770caeaccad2509cb762ce1f65570a8856',
    );
  });
});

describe('pypi/poetry-lock, Poetry 1.4 (lock-version 2.0 with category, legacy source)', () => {
  const { packages, diagnostics } = parsePoetryLock(fixture('poetry-v1/poetry.lock'), {
    file: 'app/poetry.lock',
    manifestText: fixture('poetry-v1/pyproject.toml'),
    manifestFile: 'app/pyproject.toml',
  });

  it('reads packages, category dev, direct and the legacy index', () => {
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(20);
    expect(names(packages, (p) => p.direct)).toEqual(['flask', 'pytest', 'requests']);
    expect(names(packages, (p) => p.dev)).toEqual([
      'exceptiongroup',
      'iniconfig',
      'packaging',
      'pluggy',
      'pytest',
      'tomli',
      'typing-extensions',
    ]);
    expect(get(packages, 'urllib3')).toMatchObject({
      version: '1.23',
      location: { file: 'app/poetry.lock', line: 568 },
      source: { type: 'registry', url: 'https://pypi.example.com/simple' },
      paths: [['fixture-app@0.1.0', 'requests@2.19.0', 'urllib3@1.23']],
    });
    expect(get(packages, 'flask').location.line).toBe(96);
  });
});

describe('pypi/poetry-lock by hand', () => {
  it('reads lock-version 1.1 hashes from [metadata.files] and category', () => {
    const text = [
      '[[package]]',
      'name = "Foo_Bar"',
      'version = "1!2.0.post1.dev3+local.7"',
      'category = "dev"',
      'optional = false',
      '',
      '[metadata]',
      'lock-version = "1.1"',
      'content-hash = "abc"',
      '',
      '[metadata.files]',
      'foo-bar = [',
      '    {file = "foo_bar-2.0.tar.gz", hash = "sha256:aaaa"},',
      ']',
    ].join('\n');
    const { packages } = parsePoetryLock(text, { file: 'poetry.lock' });
    expect(packages).toEqual([
      {
        ecosystem: 'PyPI',
        name: 'foo-bar',
        version: '1!2.0.post1.dev3+local.7',
        purl: 'pkg:pypi/foo-bar@1%212.0.post1.dev3%2Blocal.7',
        direct: false,
        dev: true,
        optional: false,
        paths: [],
        location: { file: 'poetry.lock', line: 1 },
        source: { type: 'registry' },
        integrity: 'sha256:aaaa',
      },
    ]);
  });

  it('keeps __proto__ and constructor as data, and pollutes nothing', () => {
    const text = [
      '[[package]]',
      'name = "__proto__"',
      'version = "1.0"',
      '[package.dependencies]',
      'constructor = "*"',
      '__proto__ = { polluted = "yes" }',
      '',
      '[[package]]',
      'name = "constructor"',
      'version = "2.0"',
      '[package.source]',
      'type = "url"',
      'url = "https://user:pw@files.example.com/constructor-2.0.tar.gz"',
    ].join('\n');
    const { packages } = parsePoetryLock(text, {
      file: 'poetry.lock',
      manifestText: '[tool.poetry.dependencies]\n__proto__ = "1.0"\n',
    });
    expect(pins(packages)).toEqual(['-proto-==1.0', 'constructor==2.0']);
    expect(packages[1]?.paths).toEqual([['pyproject.toml', '-proto-@1.0', 'constructor@2.0']]);
    expect(packages[1]?.source).toEqual({
      type: 'url',
      url: 'https://files.example.com/constructor-2.0.tar.gz',
    });
    expect(packages[1]?.location.line).toBe(8);
    expect('polluted' in {}).toBe(false);
  });

  it('turns a bad entry into a warning and keeps the rest', () => {
    const text =
      '[[package]]\nname = "ok"\nversion = "1"\n\n[[package]]\nname = "nover"\n\n[[package]]\nversion = "3"\n';
    const { packages, diagnostics } = parsePoetryLock(text, { file: 'poetry.lock' });
    expect(pins(packages)).toEqual(['ok==1']);
    expect(diagnostics.map((d) => `${d.file}:${String(d.line)}: ${d.message}`)).toEqual([
      'poetry.lock:5: package entry without a version, skipped',
      'poetry.lock:8: package entry without a name, skipped',
    ]);
  });

  it.each([
    ['[[package]]\nname = "a"\nversion = \n', 'poetry.lock:3: invalid TOML (invalid value)'],
    ['package = "nope"\n', 'poetry.lock:1: "package" is not an array of tables'],
  ])('rejects a malformed file with file:line', (text, message) => {
    let caught: unknown;
    try {
      parsePoetryLock(text, { file: 'poetry.lock' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SupplyAuditError);
    expect(caught).toMatchObject({ code: 'PARSE_FAILED', message });
  });

  it('warns about a broken pyproject.toml and still reads the lock', () => {
    const { packages, diagnostics } = parsePoetryLock('[[package]]\nname = "a"\nversion = "1"\n', {
      file: 'poetry.lock',
      manifestText: '[project\n',
      manifestFile: 'pyproject.toml',
    });
    expect(pins(packages)).toEqual(['a==1']);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ level: 'warning', file: 'pyproject.toml', line: 1 });
  });

  it('stays linear on a 10k-character version and 20k packages', () => {
    const many = Array.from(
      { length: 20_000 },
      (_, i) =>
        `[[package]]\nname = "p${String(i)}"\nversion = "1.${'0'.repeat(i === 7 ? 10_000 : 1)}"\n[package.dependencies]\np${String(i + 1)} = "*"\n`,
    ).join('\n');
    const started = performance.now();
    const { packages } = parsePoetryLock(many, {
      file: 'poetry.lock',
      manifestText: '[project]\ndependencies = ["p0"]\n',
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(packages).toHaveLength(20_000);
    expect(packages[7]?.version?.length).toBe(10_002);
    expect(packages[19_999]?.location.line).toBe(19_999 * 6 + 1);
  });

  it('matches poetry.lock only', () => {
    expect(poetryLockParser.matches('poetry.lock')).toBe(true);
    expect(poetryLockParser.matches('sub/poetry.lock')).toBe(true);
    expect(poetryLockParser.matches('uv.lock')).toBe(false);
  });
});
