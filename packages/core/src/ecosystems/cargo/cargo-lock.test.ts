import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../../errors.js';
import type { Package } from '../../model/index.js';
import type { ParseContext, ParseResult } from '../types.js';
import { cargoLockParser, parseCargoLock } from './cargo-lock.js';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, fixtures), 'utf8');

/** The workspace's manifests, as discovery would hand them over. */
function workspaceContext(file = 'Cargo.lock'): ParseContext {
  return {
    file,
    manifestFile: 'Cargo.toml',
    manifestText: read('workspace/Cargo.toml'),
    readRelated: (path) => {
      try {
        return { file: path, text: read(`workspace/${path}`) };
      } catch {
        return undefined;
      }
    },
  };
}

function byName(result: ParseResult, name: string, version?: string): Package {
  const found = result.packages.find(
    (p) => p.name === name && (version === undefined || p.version === version),
  );
  if (found === undefined) throw new Error(`no ${name} in the result`);
  return found;
}

const ALL = [
  'app@0.1.0',
  'base64@0.13.1',
  'cfg-if@0.1.10',
  'cfg-if@1.0.5',
  'getrandom@0.1.16',
  'libc@0.2.191',
  'local-helper@0.0.1',
  'maybe-uninit@2.0.0',
  'ppv-lite86@0.2.21',
  'proc-macro2@1.0.107',
  'quote@1.0.47',
  'rand@0.7.3',
  'rand_chacha@0.2.2',
  'rand_core@0.5.1',
  'rand_hc@0.2.0',
  'redox_syscall@0.1.57',
  'remove_dir_all@0.5.3',
  'smallvec@0.6.13',
  'syn@2.0.119',
  'tempfile@3.1.0',
  'time@0.1.43',
  'unicode-ident@1.0.27',
  'util@0.2.0',
  'wasi@0.9.0+wasi-snapshot-preview1',
  'winapi@0.3.9',
  'winapi-i686-pc-windows-gnu@0.4.0',
  'winapi-x86_64-pc-windows-gnu@0.4.0',
  'zerocopy@0.8.66',
  'zerocopy-derive@0.8.66',
];
const DEV_ONLY = [
  'cfg-if@0.1.10',
  'cfg-if@1.0.5',
  'getrandom@0.1.16',
  'ppv-lite86@0.2.21',
  'proc-macro2@1.0.107',
  'quote@1.0.47',
  'rand@0.7.3',
  'rand_chacha@0.2.2',
  'rand_core@0.5.1',
  'rand_hc@0.2.0',
  'redox_syscall@0.1.57',
  'remove_dir_all@0.5.3',
  'syn@2.0.119',
  'tempfile@3.1.0',
  'unicode-ident@1.0.27',
  'wasi@0.9.0+wasi-snapshot-preview1',
  'zerocopy@0.8.66',
  'zerocopy-derive@0.8.66',
];
const ids = (packages: readonly Package[]): string[] =>
  packages.map((p) => `${p.name}@${p.version ?? ''}`);

describe('cargo/cargo-lock', () => {
  it('matches only Cargo.lock', () => {
    expect(cargoLockParser.matches('Cargo.lock')).toBe(true);
    expect(cargoLockParser.matches('cargo.lock')).toBe(false);
    expect(cargoLockParser.matches('Cargo.toml')).toBe(false);
  });

  describe.each(['workspace', 'lockfile-v3', 'lockfile-v2', 'lockfile-v1'])(
    'the workspace written as %s',
    (fixture) => {
      const result = parseCargoLock(read(`${fixture}/Cargo.lock`), workspaceContext());
      // v2 and v1 have no `version = N` line and blank line; v1 has no inline checksums.
      const lines = {
        workspace: { app: 5, time: 177, 'zerocopy-derive': 239 },
        'lockfile-v3': { app: 5, time: 177, 'zerocopy-derive': 239 },
        'lockfile-v2': { app: 3, time: 175, 'zerocopy-derive': 237 },
        'lockfile-v1': { app: 3, time: 157, 'zerocopy-derive': 212 },
      }[fixture];

      it('lists every package once, with no diagnostics', () => {
        expect(result.diagnostics).toEqual([]);
        expect(result.packages).toHaveLength(29);
        expect(ids(result.packages)).toEqual(ALL);
      });

      it('marks the workspace members and the path crate local, with their folders', () => {
        const locals = result.packages.filter((p) => p.local === true);
        expect(locals.map((p) => [p.name, p.source])).toEqual([
          ['app', { type: 'path', path: 'crates/app' }],
          ['local-helper', { type: 'path', path: 'vendor/local-helper' }],
          ['util', { type: 'path', path: 'crates/util' }],
        ]);
        expect(byName(result, 'app').purl).toBe('pkg:cargo/app@0.1.0');
      });

      it('tells direct from transitive and dev-only from shipped (from the members Cargo.toml)', () => {
        expect(ids(result.packages.filter((p) => p.direct))).toEqual([
          'base64@0.13.1',
          'local-helper@0.0.1',
          'smallvec@0.6.13',
          'tempfile@3.1.0',
          'time@0.1.43',
          'util@0.2.0',
        ]);
        expect(ids(result.packages.filter((p) => p.dev))).toEqual(DEV_ONLY);
        // util lists smallvec as a dev-dependency, app as a normal one: it ships.
        expect(byName(result, 'smallvec').dev).toBe(false);
      });

      it('records lines, checksums, sources and shortest paths', () => {
        const time = byName(result, 'time');
        expect(time.location).toEqual({ file: 'Cargo.lock', line: lines?.time });
        expect(time.integrity).toBe(
          'sha256:ca8a50ef2360fbd1eeb0ecd46795a87a19024eb4b53c5dc916ca1fd95fe62438',
        );
        expect(time.source).toEqual({
          type: 'registry',
          url: 'https://github.com/rust-lang/crates.io-index',
        });
        expect(time.purl).toBe('pkg:cargo/time@0.1.43');
        expect(byName(result, 'app').location.line).toBe(lines?.app);
        expect(byName(result, 'zerocopy-derive').location.line).toBe(lines?.['zerocopy-derive']);
        expect(byName(result, 'remove_dir_all').paths).toEqual([
          ['app@0.1.0', 'tempfile@3.1.0', 'remove_dir_all@0.5.3'],
        ]);
        expect(byName(result, 'winapi').paths).toEqual([
          ['app@0.1.0', 'tempfile@3.1.0', 'winapi@0.3.9'],
          ['app@0.1.0', 'time@0.1.43', 'winapi@0.3.9'],
        ]);
        expect(byName(result, 'maybe-uninit').paths).toEqual([
          ['app@0.1.0', 'smallvec@0.6.13', 'maybe-uninit@2.0.0'],
          ['util@0.2.0', 'smallvec@0.6.13', 'maybe-uninit@2.0.0'],
        ]);
        expect(byName(result, 'local-helper').integrity).toBeUndefined();
      });

      it('resolves the two cfg-if versions by the version in the dependency entry', () => {
        expect(byName(result, 'cfg-if', '0.1.10').paths).toEqual([
          ['app@0.1.0', 'tempfile@3.1.0', 'cfg-if@0.1.10'],
        ]);
        expect(byName(result, 'cfg-if', '1.0.5').paths[0]).toEqual([
          'app@0.1.0',
          'tempfile@3.1.0',
          'rand@0.7.3',
          'getrandom@0.1.16',
          'cfg-if@1.0.5',
        ]);
      });
    },
  );

  it('reads git (commit after #) and sparse registry sources', () => {
    const result = parseCargoLock(read('git-and-sparse/Cargo.lock'), workspaceContext());
    expect(result.diagnostics).toEqual([]);
    expect(result.packages).toHaveLength(31);
    const git = byName(result, 'gitdep');
    expect(git.source).toEqual({
      type: 'git',
      url: 'https://git.example.com/acme/gitdep.git?rev=4f1c2e9',
      commit: '4f1c2e9a0b7d3c5e6f708192a3b4c5d6e7f80912',
    });
    expect(git).toMatchObject({ direct: true, dev: false, location: { line: 52 } });
    expect(git.integrity).toBeUndefined();
    expect(git.local).toBeUndefined();
    const alt = byName(result, 'alt-crate');
    expect(alt.source).toEqual({ type: 'registry', url: 'https://crates.example.com/index/' });
    expect(alt).toMatchObject({
      version: '1.2.0-beta.1',
      purl: 'pkg:cargo/alt-crate@1.2.0-beta.1',
    });
    expect(byName(result, 'libc').paths).toEqual([
      ['app@0.1.0', 'gitdep@0.3.0', 'libc@0.2.191'],
      ['app@0.1.0', 'tempfile@3.1.0', 'libc@0.2.191'],
      ['app@0.1.0', 'time@0.1.43', 'libc@0.2.191'],
    ]);
  });

  it('without manifests, counts every dependency of a local package as shipped', () => {
    const result = parseCargoLock(read('workspace/Cargo.lock'), { file: 'Cargo.lock' });
    expect(result.packages.filter((p) => p.dev)).toEqual([]);
    expect(byName(result, 'app').source).toEqual({ type: 'path' });
    expect(byName(result, 'tempfile').direct).toBe(true);
  });

  it('reads CRLF and a BOM with the same lines', () => {
    const text = `\ufeff${read('workspace/Cargo.lock').replaceAll('\n', '\r\n')}`;
    const result = parseCargoLock(text, workspaceContext());
    expect(result.packages).toHaveLength(29);
    expect(byName(result, 'time').location.line).toBe(177);
    expect(ids(result.packages.filter((p) => p.dev))).toEqual(DEV_ONLY);
  });

  it('follows renamed and workspace-inherited dev-dependencies', () => {
    const lock = [
      'version = 4',
      '',
      '[[package]]',
      'name = "root"',
      'version = "1.0.0"',
      'dependencies = ["real-a", "real-b", "c"]',
      '',
      '[[package]]',
      'name = "real-a"',
      'version = "1.0.0"',
      'source = "sparse+https://index.crates.io/"',
      '',
      '[[package]]',
      'name = "real-b"',
      'version = "2.0.0"',
      'source = "registry+https://github.com/rust-lang/crates.io-index"',
      '',
      '[[package]]',
      'name = "c"',
      'version = "3.0.0"',
      'source = "registry+https://github.com/rust-lang/crates.io-index"',
      '',
    ].join('\n');
    const manifest = [
      '[package]',
      'name = "root"',
      'version = "1.0.0"',
      '[workspace.dependencies]',
      'b = { package = "real-b", version = "2" }',
      '[dev-dependencies]',
      'a = { package = "real-a", version = "1" }',
      'b = { workspace = true }',
      "[target.'cfg(unix)'.dev-dependencies]",
      'c = "3"',
      "[target.'cfg(windows)'.build-dependencies]",
      'c = "3"',
    ].join('\n');
    const result = parseCargoLock(lock, { file: 'Cargo.lock', manifestText: manifest });
    expect(result.diagnostics).toEqual([]);
    expect(result.packages.map((p) => [p.name, p.dev, p.direct])).toEqual([
      ['root', false, false],
      ['real-a', true, true],
      ['real-b', true, true],
      ['c', false, true],
    ]);
    expect(byName(result, 'real-a').source).toEqual({
      type: 'registry',
      url: 'https://index.crates.io/',
    });
  });

  describe('hostile and malformed input', () => {
    it('fails a file that is not TOML with the line smol-toml reports', () => {
      const text = 'version = 4\n\n[[package]]\nname = "a"\nversion = "1.0.0\n';
      expect(() => parseCargoLock(text, { file: 'sub/Cargo.lock' })).toThrow(
        'sub/Cargo.lock:5: invalid TOML (control characters are not allowed in strings)',
      );
      try {
        parseCargoLock(text, { file: 'sub/Cargo.lock' });
      } catch (error) {
        expect(error).toBeInstanceOf(SupplyAuditError);
        expect(error).toMatchObject({ code: 'PARSE_FAILED', file: 'sub/Cargo.lock', line: 5 });
      }
    });

    it.each([
      ['', 'Cargo.lock:1: no [[package]] entries (not a Cargo.lock?)'],
      ['version = 4\n', 'Cargo.lock:1: no [[package]] entries (not a Cargo.lock?)'],
      ['version = 4\npackage = "x"\n', 'Cargo.lock:2: "package" is not an array of tables'],
      [
        '[[package]]\nname = "a"\nname = "b"\n',
        'Cargo.lock:3: invalid TOML (trying to redefine an already defined table or value)',
      ],
    ])('fails %j', (text, message) => {
      expect(() => parseCargoLock(text, { file: 'Cargo.lock' })).toThrow(message);
    });

    it('keeps the rest of the file when one entry is bad', () => {
      const text = [
        'version = 9',
        '',
        '[[package]]',
        'name = "root"',
        'version = "0.1.0"',
        'dependencies = ["ok", "missing", "ok 9.9.9", "bad x (y", 7]',
        '',
        '[[package]]',
        'name = "noversion"',
        '',
        '[[package]]',
        'version = "1.0.0"',
        '',
        '[[package]]',
        'name = "ok"',
        'version = "1.0.0"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        'dependencies = "nope"',
        '',
      ].join('\n');
      const result = parseCargoLock(text, { file: 'Cargo.lock' });
      expect(ids(result.packages)).toEqual(['root@0.1.0', 'ok@1.0.0']);
      expect(byName(result, 'ok').location.line).toBe(14);
      expect(byName(result, 'ok').direct).toBe(true);
      expect(result.diagnostics.map((d) => `${d.line ?? 0}: ${d.message}`)).toEqual([
        '1: unknown Cargo.lock format version 9; read as version 4',
        '3: package "root" has a dependency that is not a string; ignored',
        '8: package "noversion" has no version; skipped',
        '11: [[package]] entry 3 has no name; skipped',
        '14: package "ok" has "dependencies" that is not an array; ignored',
        '3: root@0.1.0: dependency "missing" is not in the lockfile; ignored',
        '3: root@0.1.0: dependency "ok 9.9.9" is not in the lockfile; ignored',
        '3: root@0.1.0: malformed dependency "bad x (y"; ignored',
      ]);
      expect(
        result.diagnostics.every((d) => d.level === 'warning' && d.file === 'Cargo.lock'),
      ).toBe(true);
    });

    it('keeps __proto__ and constructor as data', () => {
      const text = [
        '[[package]]',
        'name = "__proto__"',
        'version = "1.0.0"',
        'dependencies = ["constructor"]',
        '',
        '[[package]]',
        'name = "constructor"',
        'version = "2.0.0"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        '',
        '[__proto__]',
        'polluted = true',
        '',
        '[metadata]',
        '"__proto__" = "x"',
        '"checksum constructor 2.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "ab"',
      ].join('\n');
      const manifest =
        '[package]\nname = "__proto__"\n[dev-dependencies]\nconstructor = "2"\n[__proto__]\npolluted = 1\n';
      const result = parseCargoLock(text, { file: 'Cargo.lock', manifestText: manifest });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(result.diagnostics).toEqual([]);
      expect(ids(result.packages)).toEqual(['__proto__@1.0.0', 'constructor@2.0.0']);
      expect(byName(result, 'constructor')).toMatchObject({
        direct: true,
        dev: true,
        integrity: 'sha256:ab',
        paths: [['__proto__@1.0.0', 'constructor@2.0.0']],
        purl: 'pkg:cargo/constructor@2.0.0',
      });
    });

    it('warns about a member manifest that is not TOML and still reads the lockfile', () => {
      const result = parseCargoLock(read('workspace/Cargo.lock'), {
        file: 'Cargo.lock',
        manifestFile: 'Cargo.toml',
        manifestText: '[workspace\nmembers = []\n',
      });
      expect(result.packages).toHaveLength(29);
      expect(result.diagnostics).toEqual([
        {
          level: 'warning',
          file: 'Cargo.toml',
          line: 1,
          message: 'invalid TOML (illegal character in key); its dev-dependencies are unknown',
          code: 'PARSE_FAILED',
        },
      ]);
    });

    it('reads a 5 MB dependency name and 20k packages in linear time', () => {
      const long = `[[package]]\nname = "root"\nversion = "1.0.0"\ndependencies = ["${'x'.repeat(5_000_000)} 1.0 (y"]\n`;
      const t0 = performance.now();
      const one = parseCargoLock(long, { file: 'Cargo.lock' });
      expect(one.diagnostics).toHaveLength(1);
      const parts = ['version = 4', ''];
      for (let i = 0; i < 20_000; i++) {
        parts.push(
          '[[package]]',
          `name = "p${i}"`,
          'version = "1.0.0"',
          'source = "registry+https://github.com/rust-lang/crates.io-index"',
          `checksum = "${'0'.repeat(64)}"`,
          `dependencies = ["p${i + 1}"]`,
          '',
        );
      }
      parts.push('[[package]]', 'name = "p20000"', 'version = "1.0.0"', '');
      const big = parseCargoLock(parts.join('\n'), { file: 'Cargo.lock' });
      expect(big.packages).toHaveLength(20_001);
      expect(big.packages[20_000]?.location.line).toBe(2 + 20_000 * 7 + 1);
      expect(performance.now() - t0).toBeLessThan(5000);
    });
  });
});
