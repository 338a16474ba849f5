import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../../errors.js';
import type { Package } from '../../model/index.js';
import { jsonSectionKeyLines } from './lock-lines.js';
import { parsePipfileLock, pipfileLockParser } from './pipfile-lock.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`__fixtures__/${path}`, import.meta.url), 'utf8');

const get = (packages: readonly Package[], name: string): Package => {
  const found = packages.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no package ${name}`);
  return found;
};

describe('pypi/pipfile-lock on pipenv 2026.10.3 output', () => {
  const { packages, diagnostics } = parsePipfileLock(fixture('pipenv/Pipfile.lock'), {
    file: 'Pipfile.lock',
    manifestText: fixture('pipenv/Pipfile'),
    manifestFile: 'Pipfile',
  });

  it('reads default and develop with versions, lines and dev flags', () => {
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(16);
    expect(packages.map((p) => `${p.name}==${p.version ?? '?'}${p.dev ? ' (dev)' : ''}`)).toEqual([
      'certifi==2026.10.19.post1',
      'chardet==3.0.4',
      'click==8.5.1',
      'flask==0.12.2',
      'idna==2.7',
      'itsdangerous==2.2.0',
      'jinja2==3.1.6',
      'markupsafe==3.0.4',
      'pysocks==1.7.1',
      'requests==2.19.0',
      'urllib3==1.23',
      'werkzeug==3.1.9',
      'iniconfig==2.3.1 (dev)',
      'packaging==26.4 (dev)',
      'pluggy==1.7.0 (dev)',
      'pytest==7.4.4 (dev)',
    ]);
    expect(get(packages, 'certifi').location).toEqual({ file: 'Pipfile.lock', line: 19 });
    expect(get(packages, 'pysocks').location.line).toBe(229);
    expect(get(packages, 'requests').location.line).toBe(238);
    expect(get(packages, 'pytest').location.line).toBe(291);
  });

  it('takes direct from the Pipfile; paths are [Pipfile, package] for direct ones only', () => {
    expect(packages.filter((p) => p.direct).map((p) => p.name)).toEqual([
      'flask',
      'requests',
      'pytest',
    ]);
    expect(get(packages, 'requests').paths).toEqual([['Pipfile', 'requests@2.19.0']]);
    expect(get(packages, 'urllib3').paths).toEqual([]);
  });

  it('records the index URL and the first sha256', () => {
    expect(get(packages, 'flask')).toMatchObject({
      purl: 'pkg:pypi/flask@0.12.2',
      source: { type: 'registry', url: 'https://pypi.example.com/simple' },
      integrity: 'sha256:0749df235e3ff61ac108f69ac178c9770caeaccad2509cb762ce1f65570a8856',
    });
  });
});

describe('pypi/pipfile-lock by hand', () => {
  const sha = 'abcdef0123456789abcdef0123456789abcdef01';
  const text = JSON.stringify(
    {
      _meta: { sources: [{ name: 'private', url: 'https://tok:secret@pypi.example.com/simple' }] },
      default: {
        gitpkg: {
          editable: true,
          git: 'https://user:pw@git.example.com/acme/gitpkg.git',
          ref: sha,
        },
        local: { editable: true, path: './libs/local' },
        remote: { file: 'https://files.example.com/remote-1.0.tar.gz' },
        ranged: { version: '*' },
        ['__proto__']: { version: '==1.0' },
        constructor: { version: '==2.0' },
        shared: { version: '==3.0' },
        broken: 'not an object',
      },
      develop: { shared: { version: '==3.0' }, Dev_Tool: { version: '==0.1', index: 'private' } },
    },
    null,
    4,
  );

  it('reads git, path, file, unpinned and hostile names; a bad entry is a warning', () => {
    const { packages, diagnostics } = parsePipfileLock(text, { file: 'Pipfile.lock' });
    expect(
      packages.map((p) => [
        p.name,
        p.version,
        p.specifier,
        p.dev,
        p.local,
        p.source,
        p.location.line,
      ]),
    ).toEqual([
      [
        'gitpkg',
        undefined,
        undefined,
        false,
        undefined,
        { type: 'git', url: 'https://git.example.com/acme/gitpkg.git', commit: sha },
        11,
      ],
      ['local', undefined, undefined, false, true, { type: 'path', path: './libs/local' }, 16],
      [
        'remote',
        undefined,
        undefined,
        false,
        undefined,
        { type: 'url', url: 'https://files.example.com/remote-1.0.tar.gz' },
        20,
      ],
      [
        'ranged',
        undefined,
        '*',
        false,
        undefined,
        { type: 'registry', url: 'https://pypi.example.com/simple' },
        23,
      ],
      [
        '-proto-',
        '1.0',
        undefined,
        false,
        undefined,
        { type: 'registry', url: 'https://pypi.example.com/simple' },
        26,
      ],
      [
        'constructor',
        '2.0',
        undefined,
        false,
        undefined,
        { type: 'registry', url: 'https://pypi.example.com/simple' },
        29,
      ],
      [
        'shared',
        '3.0',
        undefined,
        false,
        undefined,
        { type: 'registry', url: 'https://pypi.example.com/simple' },
        32,
      ],
      [
        'dev-tool',
        '0.1',
        undefined,
        true,
        undefined,
        { type: 'registry', url: 'https://pypi.example.com/simple' },
        41,
      ],
    ]);
    expect(diagnostics).toEqual([
      {
        level: 'warning',
        file: 'Pipfile.lock',
        line: 35,
        message: 'entry "broken" in "default" is not an object, skipped',
        code: 'PARSE_FAILED',
      },
    ]);
    expect(JSON.stringify(packages)).not.toContain('secret');
    expect(JSON.stringify(packages)).not.toContain('pw@');
    expect('polluted' in {}).toBe(false);
  });

  it.each([
    [
      '{\n  "default": {\n    "a": {"version": "==1"}\n',
      "Pipfile.lock:4: invalid JSON (Expected ',' or '}' after property value)",
    ],
    ['[1, 2]', 'Pipfile.lock:1: expected a JSON object'],
    ['', 'Pipfile.lock: empty file, expected JSON'],
  ])('rejects a malformed file: %j', (input, message) => {
    expect(() => parsePipfileLock(input, { file: 'Pipfile.lock' })).toThrow(
      expect.objectContaining({ code: 'PARSE_FAILED', message }) as SupplyAuditError,
    );
  });

  it('finds key lines in one pass, honouring strings with braces and escapes', () => {
    const lines = jsonSectionKeyLines(
      '{"a": {"x\\"}": 1,\n"y": "{["},\n"b": [{"z": 1}],\n"c": {\n"w": {}}}',
    );
    expect([...lines].map(([k, v]) => [k, [...v]])).toEqual([
      [
        'a',
        [
          ['x"}', 1],
          ['y', 2],
        ],
      ],
      ['c', [['w', 5]]],
    ]);
  });

  it('matches Pipfile.lock only', () => {
    expect(pipfileLockParser.matches('Pipfile.lock')).toBe(true);
    expect(pipfileLockParser.matches('Pipfile')).toBe(false);
  });
});
