import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Package } from '../../model/index.js';
import { parseUvLock, uvLockParser } from './uv-lock.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`__fixtures__/${path}`, import.meta.url), 'utf8');

const get = (packages: readonly Package[], name: string, version?: string): Package => {
  const found = packages.find(
    (p) => p.name === name && (version === undefined || p.version === version),
  );
  if (found === undefined) throw new Error(`no package ${name}`);
  return found;
};

const names = (packages: readonly Package[], pick: (p: Package) => boolean): string[] =>
  packages.filter(pick).map((p) => `${p.name}@${p.version ?? ''}`);

describe('pypi/uv-lock on uv 0.13.9 output', () => {
  const { packages, diagnostics } = parseUvLock(fixture('uv/uv.lock'), { file: 'uv.lock' });

  it('reads every package, both versions of a name split by markers, at its line', () => {
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(29);
    expect(packages.map((p) => `${p.name}==${p.version ?? '?'}`)).toEqual([
      'certifi==2026.10.19.post1',
      'chardet==3.0.4',
      'click==8.1.8',
      'click==8.5.1',
      'colorama==0.4.6',
      'exceptiongroup==1.3.2',
      'fixture-app==0.1.0',
      'flask==0.12.2',
      'gitpkg==0.3.0',
      'idna==2.7',
      'iniconfig==2.1.0',
      'iniconfig==2.3.1',
      'itsdangerous==2.2.0',
      'jinja2==3.1.6',
      'localpkg==0.1.0',
      'markupsafe==3.0.4',
      'packaging==26.3',
      'packaging==26.4',
      'pluggy==1.6.0',
      'pluggy==1.7.0',
      'pysocks==1.7.1',
      'pytest==7.4.4',
      'pyyaml==6.0.1',
      'requests==2.19.0',
      'six==1.16.0',
      'tomli==2.5.0',
      'typing-extensions==4.16.0',
      'urllib3==1.23',
      'werkzeug==3.1.9',
    ]);
    expect(get(packages, 'click', '8.1.8').location).toEqual({ file: 'uv.lock', line: 26 });
    expect(get(packages, 'click', '8.5.1').location.line).toBe(41);
    expect(get(packages, 'fixture-app').location.line).toBe(74);
    expect(get(packages, 'pytest').location.line).toBe(412);
    expect(get(packages, 'werkzeug').location.line).toBe(590);
  });

  it('takes the roots from the virtual project at "."', () => {
    expect(get(packages, 'fixture-app')).toMatchObject({
      local: true,
      direct: false,
      source: { type: 'path', path: '.' },
      paths: [['fixture-app@0.1.0']],
    });
    expect(names(packages, (p) => p.direct)).toEqual([
      'flask@0.12.2',
      'gitpkg@0.3.0',
      'localpkg@0.1.0',
      'pytest@7.4.4',
      'pyyaml@6.0.1',
      'requests@2.19.0',
    ]);
    expect(names(packages, (p) => p.dev)).toEqual([
      'exceptiongroup@1.3.2',
      'iniconfig@2.1.0',
      'iniconfig@2.3.1',
      'packaging@26.3',
      'packaging@26.4',
      'pluggy@1.6.0',
      'pluggy@1.7.0',
      'pytest@7.4.4',
      'tomli@2.5.0',
      'typing-extensions@4.16.0',
    ]);
    // pyyaml is the project's extra; pysocks comes through requests[socks], asked for.
    expect(names(packages, (p) => p.optional)).toEqual(['pyyaml@6.0.1']);
  });

  it('records paths of transitive packages, version-qualified edges included', () => {
    expect(get(packages, 'click', '8.1.8').paths).toEqual([
      ['fixture-app@0.1.0', 'flask@0.12.2', 'click@8.1.8'],
    ]);
    expect(get(packages, 'pysocks').paths).toEqual([
      ['fixture-app@0.1.0', 'requests@2.19.0', 'pysocks@1.7.1'],
    ]);
    expect(get(packages, 'idna').paths).toEqual([
      ['fixture-app@0.1.0', 'localpkg@0.1.0', 'idna@2.7'],
      ['fixture-app@0.1.0', 'requests@2.19.0', 'idna@2.7'],
    ]);
    expect(get(packages, 'six').paths).toEqual([
      ['fixture-app@0.1.0', 'gitpkg@0.3.0', 'six@1.16.0'],
    ]);
  });

  it('records registry, git (with commit) and editable sources, and the sdist sha256', () => {
    expect(get(packages, 'flask')).toMatchObject({
      purl: 'pkg:pypi/flask@0.12.2',
      source: { type: 'registry', url: 'https://pypi.example.com/simple' },
      integrity: 'sha256:49f44461237b69ecd901cc7ce66feea0319b9158743dd27a2899962ab214dac1',
    });
    expect(get(packages, 'gitpkg').source).toEqual({
      type: 'git',
      url: 'https://git.example.com/acme/gitpkg.git',
      commit: '15a93368c62c798bd86fc6df164f5a273c8ce797',
    });
    expect(get(packages, 'localpkg')).toMatchObject({
      local: true,
      source: { type: 'path', path: 'localpkg' },
    });
  });
});

describe('pypi/uv-lock by hand', () => {
  it('uses [manifest] members as roots and works whatever the registry host', () => {
    const text = [
      'version = 1',
      '[manifest]',
      'members = ["app", "lib"]',
      '',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'source = { editable = "packages/app" }',
      'dependencies = [{ name = "lib" }, { name = "__proto__" }]',
      '',
      '[[package]]',
      'name = "lib"',
      'source = { editable = "packages/lib" }',
      '',
      '[[package]]',
      'name = "__proto__"',
      'version = "1!2.0.post1.dev3+local.7"',
      'source = { registry = "https://user:token@mirror.example.net/pypi" }',
      'dependencies = [{ name = "constructor" }]',
      '',
      '[[package]]',
      'name = "constructor"',
      'version = "2"',
      'source = { url = "https://files.example.com/constructor-2.tar.gz" }',
      '__proto__ = { polluted = true }',
    ].join('\n');
    const { packages, diagnostics } = parseUvLock(text, { file: 'uv.lock' });
    expect(diagnostics).toEqual([]);
    expect(
      packages.map((p) => [p.name, p.version, p.direct, p.local, p.location.line, p.paths]),
    ).toEqual([
      ['app', '0.1.0', false, true, 5, [['app@0.1.0']]],
      // a member without a version (dynamic) is kept, with no version
      ['lib', undefined, true, true, 11, [['lib']]],
      [
        '-proto-',
        '1!2.0.post1.dev3+local.7',
        true,
        undefined,
        15,
        [['app@0.1.0', '-proto-@1!2.0.post1.dev3+local.7']],
      ],
      [
        'constructor',
        '2',
        false,
        undefined,
        21,
        [['app@0.1.0', '-proto-@1!2.0.post1.dev3+local.7', 'constructor@2']],
      ],
    ]);
    expect(packages[2]?.source).toEqual({
      type: 'registry',
      url: 'https://mirror.example.net/pypi',
    });
    expect('polluted' in {}).toBe(false);
  });

  it('turns an entry without a name or version into a warning and keeps the rest', () => {
    const text =
      'version = 1\n[[package]]\nname = "a"\nversion = "1"\n\n[[package]]\nversion = "2"\n\n[[package]]\nname = "b"\nsource = { registry = "https://pypi.example.com/simple" }\n';
    const { packages, diagnostics } = parseUvLock(text, { file: 'uv.lock' });
    expect(packages.map((p) => p.name)).toEqual(['a']);
    expect(diagnostics.map((d) => `${d.file}:${String(d.line)}: ${d.message}`)).toEqual([
      'uv.lock:6: package entry without a name, skipped',
      'uv.lock:9: package "b" has no version, skipped',
    ]);
  });

  it('rejects malformed TOML with the line smol-toml reports', () => {
    expect(() => parseUvLock('version = 1\n[[package]]\nname = "a\n', { file: 'uv.lock' })).toThrow(
      expect.objectContaining({
        code: 'PARSE_FAILED',
        message: expect.stringMatching(/^uv\.lock:3: invalid TOML \(/) as string,
      }) as Error,
    );
  });

  it('matches uv.lock only', () => {
    expect(uvLockParser.matches('uv.lock')).toBe(true);
    expect(uvLockParser.matches('poetry.lock')).toBe(false);
  });
});
