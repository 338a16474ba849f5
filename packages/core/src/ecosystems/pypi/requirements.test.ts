import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Package } from '../../model/index.js';
import type { ParseContext } from '../types.js';
import { logicalLines, parseRequirements, requirementsParser } from './requirements.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`__fixtures__/${path}`, import.meta.url), 'utf8');

/** A context whose includes come from a map of root-relative paths (as discovery would give). */
function ctxWith(file: string, files: Record<string, string> = {}): ParseContext {
  const map = new Map(Object.entries(files));
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  return {
    file,
    readRelated: (relative: string) => {
      const path = `${dir}${relative}`;
      const text = map.get(path);
      return text === undefined ? undefined : { file: path, text };
    },
  };
}

const pins = (packages: readonly Package[]): string[] =>
  packages.map((p) => `${p.name}==${p.version ?? '?'}`).sort();

const byName = (packages: readonly Package[], name: string): Package => {
  const found = packages.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no package ${name}`);
  return found;
};

const COMPILED = [
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
];

describe('pypi/requirements on pip-compile output', () => {
  it('reads every pin of requirements.txt with its line', () => {
    const { packages, diagnostics } = parseRequirements(
      fixture('pip-compile/requirements.txt'),
      ctxWith('requirements.txt'),
    );
    expect(diagnostics).toEqual([]);
    expect(packages).toHaveLength(12);
    expect(pins(packages)).toEqual(COMPILED);
    expect(byName(packages, 'certifi').location).toEqual({ file: 'requirements.txt', line: 7 });
    expect(byName(packages, 'requests').location).toEqual({ file: 'requirements.txt', line: 27 });
    expect(byName(packages, 'werkzeug').location).toEqual({ file: 'requirements.txt', line: 31 });
    expect(byName(packages, 'requests')).toEqual({
      ecosystem: 'PyPI',
      name: 'requests',
      version: '2.19.0',
      purl: 'pkg:pypi/requests@2.19.0',
      direct: true,
      dev: false,
      optional: false,
      paths: [['requirements.txt', 'requests@2.19.0']],
      location: { file: 'requirements.txt', line: 27 },
      source: { type: 'registry' },
    });
  });

  it('reads the --generate-hashes form: continuation lines, first sha256, first line', () => {
    const { packages, diagnostics } = parseRequirements(
      fixture('pip-compile/requirements-hashes.txt'),
      ctxWith('requirements-hashes.txt'),
    );
    expect(diagnostics).toEqual([]);
    expect(pins(packages)).toEqual(COMPILED);
    const flask = byName(packages, 'flask');
    expect(flask.location.line).toBe(18);
    expect(flask.integrity).toBe(
      'sha256:0749df235e3ff61ac108f69ac178c9770caeaccad2509cb762ce1f65570a8856',
    );
    expect(byName(packages, 'pysocks').location.line).toBe(189);
    expect(byName(packages, 'werkzeug').location.line).toBe(202);
  });

  it('matches requirements file names only', () => {
    expect(requirementsParser.matches('requirements.txt')).toBe(true);
    expect(requirementsParser.matches('requirements-dev.txt')).toBe(true);
    expect(requirementsParser.matches('dev-requirements.txt')).toBe(true);
    expect(requirementsParser.matches('requirements.in')).toBe(false);
    expect(requirementsParser.matches('constraints.txt')).toBe(false);
  });
});

describe('pypi/requirements by hand', () => {
  it('records unpinned requirements with their specifier and no version', () => {
    const text = [
      'Django>=3.2,<4',
      'attrs~=23.1',
      'six',
      'numpy==1.*',
      'Foo.Bar_baz (>=1.0)',
      'exact===1.0-weird',
      'epoch==1!2.0.post1.dev3+local.7',
    ].join('\n');
    const { packages, diagnostics } = parseRequirements(text, ctxWith('requirements.txt'));
    expect(diagnostics).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.specifier, p.purl, p.location.line])).toEqual([
      ['django', undefined, '>=3.2,<4', 'pkg:pypi/django', 1],
      ['attrs', undefined, '~=23.1', 'pkg:pypi/attrs', 2],
      ['six', undefined, '*', 'pkg:pypi/six', 3],
      ['numpy', undefined, '==1.*', 'pkg:pypi/numpy', 4],
      ['foo-bar-baz', undefined, '>=1.0', 'pkg:pypi/foo-bar-baz', 5],
      ['exact', '1.0-weird', undefined, 'pkg:pypi/exact@1.0-weird', 6],
      [
        'epoch',
        '1!2.0.post1.dev3+local.7',
        undefined,
        'pkg:pypi/epoch@1%212.0.post1.dev3%2Blocal.7',
        7,
      ],
    ]);
  });

  it('handles markers, extras, comments, continuations, CRLF and ignored options', () => {
    const text = [
      '# a comment',
      '--no-binary :all:',
      '--prefer-binary',
      'requests[socks,security] == 2.19.0 ; python_version >= "3.6"  # pinned',
      'urllib3==1.23;python_version<"4"',
      'jinja2\\',
      '==2.10 \\',
      '    --hash=sha512:abc --hash sha256:deadbeef',
      '',
      '   ',
    ].join('\r\n');
    const { packages, diagnostics } = parseRequirements(text, ctxWith('requirements.txt'));
    expect(diagnostics).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.location.line, p.integrity])).toEqual([
      ['requests', '2.19.0', 4, undefined],
      ['urllib3', '1.23', 5, undefined],
      ['jinja2', '2.10', 6, 'sha256:deadbeef'],
    ]);
  });

  it('joins pip-style: a comment line ends a continuation', () => {
    expect(logicalLines('a==1 \\\n# note \\\nb==2\n')).toEqual([
      { line: 1, text: 'a==1' },
      { line: 3, text: 'b==2' },
    ]);
  });

  it('follows -r and -c relative to the including file, each package at its own file:line, cycle-safe', () => {
    const files = {
      'app/requirements.txt': '-r base/common.txt\n-c constraints.txt\nflask>=0.12\n',
      'app/base/common.txt': '# shared\nrequests==2.19.0\n-r ../requirements.txt\n-r more.txt\n',
      'app/base/more.txt': 'idna==2.7\n-r common.txt\n',
      'app/constraints.txt': 'flask==0.12.2\nnot-required==9.9\n',
    };
    const { packages, diagnostics } = parseRequirements(
      files['app/requirements.txt'],
      ctxWith('app/requirements.txt', files),
    );
    expect(diagnostics).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.specifier, p.location])).toEqual([
      ['requests', '2.19.0', undefined, { file: 'app/base/common.txt', line: 2 }],
      ['idna', '2.7', undefined, { file: 'app/base/more.txt', line: 1 }],
      // the constraint gives the exact version pip would install
      ['flask', '0.12.2', undefined, { file: 'app/requirements.txt', line: 3 }],
    ]);
    expect(packages.every((p) => p.direct && !p.dev)).toBe(true);
    expect(packages[0]?.paths).toEqual([['app/requirements.txt', 'requests@2.19.0']]);
  });

  it('warns about includes it cannot read, and remote ones, and goes on', () => {
    const { packages, diagnostics } = parseRequirements(
      '-r missing.txt\n--requirement=https://user:secret@example.com/r.txt\nsix==1.16.0\n',
      ctxWith('requirements.txt'),
    );
    expect(pins(packages)).toEqual(['six==1.16.0']);
    expect(diagnostics).toEqual([
      {
        level: 'warning',
        file: 'requirements.txt',
        line: 1,
        message: 'cannot read included file "missing.txt"',
        code: 'PARSE_FAILED',
      },
      {
        level: 'warning',
        file: 'requirements.txt',
        line: 2,
        message: 'remote include "https://example.com/r.txt" is not read',
        code: 'PARSE_FAILED',
      },
    ]);
  });

  it('records VCS, URL and local entries as non-registry sources', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const text = [
      `-e git+https://git.example.com/acme/lib.git@${sha}#egg=Acme_Lib`,
      'git+https://git.example.com/acme/other.git@v1.2#egg=other[extra]',
      'named @ https://files.example.com/named-1.0.tar.gz',
      'https://files.example.com/wheelpkg-2.0.1-py3-none-any.whl',
      '-e ./libs/local#egg=local-lib',
      '-e .',
      './dist/built-3.0-py3-none-any.whl',
    ].join('\n');
    const { packages, diagnostics } = parseRequirements(text, ctxWith('requirements.txt'));
    expect(diagnostics).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.local, p.source])).toEqual([
      [
        'acme-lib',
        undefined,
        true,
        { type: 'git', url: 'https://git.example.com/acme/lib.git', commit: sha },
      ],
      [
        'other',
        undefined,
        undefined,
        { type: 'git', url: 'https://git.example.com/acme/other.git' },
      ],
      [
        'named',
        undefined,
        undefined,
        { type: 'url', url: 'https://files.example.com/named-1.0.tar.gz' },
      ],
      [
        'wheelpkg',
        '2.0.1',
        undefined,
        { type: 'url', url: 'https://files.example.com/wheelpkg-2.0.1-py3-none-any.whl' },
      ],
      ['local-lib', undefined, true, { type: 'path', path: './libs/local' }],
      ['built', '3.0', undefined, { type: 'path', path: './dist/built-3.0-py3-none-any.whl' }],
    ]);
    expect(packages[0]?.specifier).toBeUndefined();
  });

  it('never lets credentials out: sources, diagnostics, anything', () => {
    const text = [
      '--index-url https://alice:s3cr3t-token@pypi.example.com/simple',
      '--extra-index-url https://bob:hunter2@extra.example.com/simple',
      '-i=https://__token__:pypi-AgEI@pypi.example.com/simple/',
      'six==1.16.0',
      '-e git+https://carol:ghp_tokenvalue@git.example.com/acme/private.git#egg=private',
      'priv @ https://dave:pw123@files.example.com/priv-1.0.tar.gz',
      'git+https://erin:pw456@git.example.com/x/noname.git',
      'bad @ https://frank:pw789@files.example.com/x.tar.gz extra words',
    ].join('\n');
    const result = parseRequirements(text, ctxWith('requirements.txt'));
    const all = JSON.stringify(result);
    for (const secret of [
      's3cr3t',
      'hunter2',
      'pypi-AgEI',
      'ghp_tokenvalue',
      'pw123',
      'pw456',
      'pw789',
      'alice',
      'carol',
      'dave',
      'erin',
      'frank',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(result.packages.map((p) => [p.name, p.source])).toEqual([
      ['six', { type: 'registry', url: 'https://pypi.example.com/simple/' }],
      ['private', { type: 'git', url: 'https://git.example.com/acme/private.git' }],
      ['priv', { type: 'url', url: 'https://files.example.com/priv-1.0.tar.gz' }],
    ]);
    expect(result.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [
        7,
        'cannot tell the package name of "git+https://git.example.com/x/noname.git" (add #egg=name), skipped',
      ],
      [
        8,
        'unexpected text after the URL in "bad @ https://files.example.com/x.tar.gz extra words", skipped',
      ],
    ]);
  });

  it('turns bad lines into warnings with file:line and keeps the rest', () => {
    const text = ['good==1.0', '==1.0', 'bad>>1', 'x[unclosed==1', '--bogus-option', 'fine'].join(
      '\n',
    );
    const { packages, diagnostics } = parseRequirements(text, ctxWith('r/requirements.txt'));
    expect(packages.map((p) => p.name)).toEqual(['good', 'fine']);
    expect(diagnostics.map((d) => `${d.file}:${String(d.line)}: ${d.message}`)).toEqual([
      'r/requirements.txt:2: expected a package name in "==1.0", skipped',
      'r/requirements.txt:3: invalid version specifier ">>1" in "bad>>1", skipped',
      'r/requirements.txt:4: unclosed "[" of extras in "x[unclosed==1", skipped',
      'r/requirements.txt:5: unknown option "--bogus-option", ignored',
    ]);
  });

  it('keeps __proto__ and constructor as plain names', () => {
    const { packages } = parseRequirements(
      '__proto__==1.0\nconstructor==2.0\n',
      ctxWith('requirements.txt'),
    );
    expect(pins(packages)).toEqual(['-proto-==1.0', 'constructor==2.0']);
    expect('polluted' in {}).toBe(false);
  });

  it('stays linear on hostile lines: 50k spaces, a 10k-character version, a 1 MB continuation', () => {
    const long = `pkg==${'1'.repeat(10_000)}`;
    const padded = `spaced${' '.repeat(50_000)}>=1.0${' '.repeat(50_000)}`;
    const continued = `${'a'.repeat(10)}==1.0 ${'\\\n '.repeat(300_000)}`;
    const started = performance.now();
    const { packages } = parseRequirements(
      [long, padded, continued].join('\n'),
      ctxWith('requirements.txt'),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(packages.map((p) => [p.name, p.version?.length, p.specifier])).toEqual([
      ['pkg', 10_000, undefined],
      ['spaced', undefined, '>=1.0'],
      ['aaaaaaaaaa', 3, undefined],
    ]);
  });
});
