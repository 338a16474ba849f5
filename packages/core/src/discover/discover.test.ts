import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ECOSYSTEM_PLUGINS } from '../ecosystems/index.js';
import type { EcosystemPlugin } from '../ecosystems/types.js';
import { discover as discoverWith, type DiscoverOptions } from './discover.js';
import { nodeFs, type DiscoverFs } from './fs.js';

// Parsers land separately: these tests are about files, so no plugin has any.
const noParsers = ECOSYSTEM_PLUGINS.map((p) => ({ ...p, lockfiles: [] }));
const discover = (path: string, options: DiscoverOptions = {}) =>
  discoverWith(path, { plugins: noParsers, ...options });

let root: string;
let outside: string;

function write(files: Record<string, string>, base = root): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), text);
  }
}

beforeEach(() => {
  // tmpfs when there is one: the 100k-file tree is created in about a second there.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const tmp = mkdtempSync(join(base, 'supplyaudit-discover-'));
  root = join(tmp, 'root');
  outside = join(tmp, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
});

afterEach(() => {
  rmSync(dirname(root), { recursive: true, force: true });
});

/** A filesystem that counts calls and can fail chosen folders. */
function countingFs(failDirs: ReadonlySet<string> = new Set()) {
  const calls = { readDir: 0, lstat: 0, stat: 0, realpath: 0, readFile: 0 };
  const fs: DiscoverFs = {
    readDir: (p) => {
      calls.readDir++;
      if (failDirs.has(p))
        return Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' }));
      return nodeFs.readDir(p);
    },
    lstat: (p) => (calls.lstat++, nodeFs.lstat(p)),
    stat: (p) => (calls.stat++, nodeFs.stat(p)),
    realpath: (p) => (calls.realpath++, nodeFs.realpath(p)),
    readFile: (p, max) => (calls.readFile++, nodeFs.readFile(p, max)),
  };
  return { fs, calls };
}

describe('discover: pairing', () => {
  it('pairs each manifest with its lockfile per ecosystem, sorted by folder', async () => {
    write({
      'package.json': '{}',
      'package-lock.json': '{}',
      'py/pyproject.toml': '',
      'py/poetry.lock': '',
      'py/requirements.txt': '',
      'py/requirements-dev.txt': '',
      'pipenv/Pipfile': '',
      'pipenv/Pipfile.lock': '{}',
      'rs/Cargo.toml': '',
      'rs/Cargo.lock': '',
      'rb/Gemfile': '',
      'rb/Gemfile.lock': '',
      'rb2/gems.rb': '',
      'rb2/gems.locked': '',
      'lonely/package.json': '{}',
      'only-lock/yarn.lock': '',
      'uv/pyproject.toml': '',
      'uv/uv.lock': '',
      'README.md': '',
    });
    const { projects, diagnostics } = await discover(root);
    expect(diagnostics).toEqual([]);
    expect(projects).toEqual([
      // below a folder with an npm lockfile: a member of that project
      {
        ecosystem: 'npm',
        dir: '.',
        manifest: 'package.json',
        lockfile: 'package-lock.json',
        members: ['lonely/package.json'],
      },
      { ecosystem: 'npm', dir: 'only-lock', lockfile: 'only-lock/yarn.lock' },
      {
        ecosystem: 'PyPI',
        dir: 'pipenv',
        manifest: 'pipenv/Pipfile',
        lockfile: 'pipenv/Pipfile.lock',
      },
      { ecosystem: 'PyPI', dir: 'py', manifest: 'py/pyproject.toml', lockfile: 'py/poetry.lock' },
      { ecosystem: 'PyPI', dir: 'py', lockfile: 'py/requirements-dev.txt' },
      { ecosystem: 'PyPI', dir: 'py', lockfile: 'py/requirements.txt' },
      { ecosystem: 'RubyGems', dir: 'rb', manifest: 'rb/Gemfile', lockfile: 'rb/Gemfile.lock' },
      { ecosystem: 'RubyGems', dir: 'rb2', manifest: 'rb2/gems.rb', lockfile: 'rb2/gems.locked' },
      { ecosystem: 'crates.io', dir: 'rs', manifest: 'rs/Cargo.toml', lockfile: 'rs/Cargo.lock' },
      { ecosystem: 'PyPI', dir: 'uv', manifest: 'uv/pyproject.toml', lockfile: 'uv/uv.lock' },
    ]);
  });

  it('gives the same result on every run', async () => {
    write({
      'b/package.json': '{}',
      'a/package.json': '{}',
      'a-b/Cargo.toml': '',
      'a/b/Gemfile': '',
    });
    const first = await discover(root);
    const second = await discover(root);
    expect(second).toEqual(first);
    expect(first.projects.map((p) => p.manifest)).toEqual([
      'a/package.json',
      'a/b/Gemfile',
      'a-b/Cargo.toml',
      'b/package.json',
    ]);
  });

  it('treats a file only a parser knows like the files that parser reads', async () => {
    const requirements: EcosystemPlugin = {
      id: 'pypi',
      ecosystem: 'PyPI',
      manifests: ['pyproject.toml', 'Pipfile'],
      lockfiles: [
        {
          id: 'pypi/requirements',
          version: 1,
          ecosystem: 'PyPI',
          matches: (n) => n.endsWith('.txt') && n.includes('requirements'),
          parse: () => ({ packages: [], diagnostics: [] }),
        },
      ],
      normalizeName: (n) => n,
    };
    write({ 'py/pyproject.toml': '', 'py/dev-requirements.txt': '' });
    const { projects } = await discover(root, { plugins: [requirements] });
    expect(projects).toEqual([
      {
        ecosystem: 'PyPI',
        dir: 'py',
        lockfile: 'py/dev-requirements.txt',
        parser: 'pypi/requirements',
      },
      { ecosystem: 'PyPI', dir: 'py', manifest: 'py/pyproject.toml' },
    ]);
  });

  it('picks the parser whose matches() accepts the base name', async () => {
    const plugin: EcosystemPlugin = {
      id: 'npm',
      ecosystem: 'npm',
      manifests: ['package.json'],
      lockfiles: [
        {
          id: 'npm/package-lock',
          version: 1,
          ecosystem: 'npm',
          matches: (n) => n === 'package-lock.json' || n === 'npm-shrinkwrap.json',
          parse: () => ({ packages: [], diagnostics: [] }),
        },
        {
          id: 'npm/bun-lock',
          version: 1,
          ecosystem: 'npm',
          matches: (n) => n === 'bun.lock',
          parse: () => ({ packages: [], diagnostics: [] }),
        },
      ],
      normalizeName: (n) => n,
    };
    write({
      'a/package.json': '{}',
      'a/package-lock.json': '{}',
      'b/package.json': '{}',
      'b/bun.lock': '',
    });
    const { projects } = await discover(root, { plugins: [plugin] });
    expect(projects).toEqual([
      {
        ecosystem: 'npm',
        dir: 'a',
        manifest: 'a/package.json',
        lockfile: 'a/package-lock.json',
        parser: 'npm/package-lock',
      },
      {
        ecosystem: 'npm',
        dir: 'b',
        manifest: 'b/package.json',
        lockfile: 'b/bun.lock',
        parser: 'npm/bun-lock',
      },
    ]);
  });
});

describe('discover: workspaces', () => {
  it('makes pnpm importers members of the root lockfile', async () => {
    write({
      'package.json': '{}',
      'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n",
      'pnpm-lock.yaml': '',
      'packages/a/package.json': '{}',
      'packages/b/package.json': '{}',
      'packages/b/nested/package.json': '{}',
    });
    const { projects } = await discover(root);
    expect(projects).toEqual([
      {
        ecosystem: 'npm',
        dir: '.',
        manifest: 'package.json',
        lockfile: 'pnpm-lock.yaml',
        members: [
          'packages/a/package.json',
          'packages/b/nested/package.json',
          'packages/b/package.json',
        ],
      },
    ]);
  });

  it('makes declared npm/yarn workspaces members even without a lockfile, others stay projects', async () => {
    write({
      'package.json': JSON.stringify({ workspaces: ['apps/*', '!apps/legacy'] }),
      'apps/web/package.json': '{}',
      'apps/legacy/package.json': '{}',
      'tools/x/package.json': '{}',
      'yarn-classic/package.json': JSON.stringify({ workspaces: { packages: ['libs/**'] } }),
      'yarn-classic/libs/deep/one/package.json': '{}',
    });
    const { projects } = await discover(root);
    expect(projects).toEqual([
      { ecosystem: 'npm', dir: '.', manifest: 'package.json', members: ['apps/web/package.json'] },
      { ecosystem: 'npm', dir: 'apps/legacy', manifest: 'apps/legacy/package.json' },
      { ecosystem: 'npm', dir: 'tools/x', manifest: 'tools/x/package.json' },
      {
        ecosystem: 'npm',
        dir: 'yarn-classic',
        manifest: 'yarn-classic/package.json',
        members: ['yarn-classic/libs/deep/one/package.json'],
      },
    ]);
  });

  it('reads Cargo [workspace] members globs and exclude', async () => {
    write({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*", "tools/cli"]\nexclude = ["crates/old"]\n',
      'crates/a/Cargo.toml': '[package]\nname = "a"\n',
      'crates/old/Cargo.toml': '[package]\nname = "old"\n',
      'tools/cli/Cargo.toml': '[package]\nname = "cli"\n',
      'tools/other/Cargo.toml': '[package]\nname = "other"\n',
    });
    const { projects } = await discover(root);
    expect(projects.map((p) => [p.manifest, p.members ?? []])).toEqual([
      ['Cargo.toml', ['crates/a/Cargo.toml', 'tools/cli/Cargo.toml']],
      ['crates/old/Cargo.toml', []],
      ['tools/other/Cargo.toml', []],
    ]);
  });

  it('makes a manifest below a folder with its lockfile a member; its own lockfile makes it a project', async () => {
    write({
      'Cargo.toml': '[package]\nname = "root"\n',
      'Cargo.lock': '',
      'sub/helper/Cargo.toml': '[package]\nname = "helper"\n',
      'web/package.json': '{}',
      'web/package-lock.json': '{}',
      'web/lib/package.json': '{}',
      'web/own/package.json': '{}',
      'web/own/yarn.lock': '',
      'py/pyproject.toml': '[tool.uv.workspace]\nmembers = ["libs/*"]\n',
      'py/uv.lock': '',
      'py/libs/one/pyproject.toml': '',
    });
    const { projects } = await discover(root);
    expect(projects.map((p) => [p.lockfile ?? p.manifest, p.members ?? []])).toEqual([
      ['Cargo.lock', ['sub/helper/Cargo.toml']],
      ['py/uv.lock', ['py/libs/one/pyproject.toml']],
      ['web/package-lock.json', ['web/lib/package.json']],
      ['web/own/yarn.lock', []],
    ]);
  });
});

describe('discover: what is skipped', () => {
  it('never enters the skip list, virtualenvs or excluded paths', async () => {
    const skipped = [
      'node_modules',
      '.git',
      'vendor',
      'target',
      '.venv',
      'venv',
      '__pycache__',
      '.tox',
      'bower_components',
    ];
    write(Object.fromEntries(skipped.map((d) => [`${d}/x/package.json`, '{}'])));
    write({
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/requirements.txt': '',
      'fixtures/package.json': '{}',
      'examples/a/package.json': '{}',
      'examples/b/keep/package.json': '{}',
      'app/requirements-test.txt': '',
      'app/package.json': '{}',
    });
    const { fs, calls } = countingFs();
    const { projects } = await discover(root, {
      fs,
      exclude: ['fixtures', 'examples/a', '**/requirements-test.txt'],
    });
    expect(projects.map((p) => p.manifest ?? p.lockfile)).toEqual([
      'app/package.json',
      'examples/b/keep/package.json',
    ]);
    // root, app, env (read once to see pyvenv.cfg), examples, examples/b, examples/b/keep
    expect(calls.readDir).toBe(6);
  });

  it('skips 100k files under node_modules without reading them', async () => {
    write({ 'package.json': '{}', 'package-lock.json': '{}' });
    for (let d = 0; d < 100; d++) {
      const dir = join(root, 'node_modules', `pkg-${String(d)}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 1000; f++) closeSync(openSync(join(dir, `f${String(f)}.json`), 'w'));
    }
    const { fs, calls } = countingFs();
    const { projects } = await discover(root, { fs });
    expect(projects).toHaveLength(1);
    // stat + realpath: the root; lstat: the two files; readDir: the root only
    expect(calls).toEqual({ readDir: 1, lstat: 2, stat: 2, realpath: 1, readFile: 0 });
  }, 120_000);
});

describe('discover: symlinks, special files, limits', () => {
  it('refuses a lockfile that is a symlink leaving the root', async () => {
    write({ 'package-lock.json': '{}' }, outside);
    write({ 'app/package.json': '{}' });
    symlinkSync(join(outside, 'package-lock.json'), join(root, 'app/package-lock.json'));
    const { projects, diagnostics } = await discover(root);
    expect(projects).toEqual([
      {
        ecosystem: 'npm',
        dir: 'app',
        manifest: 'app/package.json',
        lockfile: 'app/package-lock.json',
      },
    ]);
    expect(diagnostics).toEqual([
      {
        level: 'error',
        file: 'app/package-lock.json',
        code: 'PATH_OUTSIDE_ROOT',
        message: 'symlink to a file outside the scanned root; refused',
      },
    ]);
  });

  it('follows a lockfile symlink that stays inside the root', async () => {
    write({ 'shared/Cargo.lock': '', 'app/Cargo.toml': '' });
    symlinkSync('../shared/Cargo.lock', join(root, 'app/Cargo.lock'));
    const { projects, diagnostics } = await discover(root);
    expect(diagnostics).toEqual([]);
    expect(projects.map((p) => p.lockfile)).toEqual(['app/Cargo.lock', 'shared/Cargo.lock']);
  });

  it('does not follow folder symlinks out of the root, into loops, or twice into one folder', async () => {
    write({ 'package.json': '{}' }, outside);
    write({ 'real/Gemfile': '', 'a/Cargo.toml': '' });
    symlinkSync(outside, join(root, 'escape'));
    symlinkSync('..', join(root, 'a/up'));
    symlinkSync('self', join(root, 'self'));
    symlinkSync('real', join(root, 'alias')); // sorts before `real`: must still be reported as real/
    const { projects, diagnostics } = await discover(root);
    expect(projects.map((p) => p.manifest)).toEqual(['a/Cargo.toml', 'real/Gemfile']);
    expect(diagnostics).toEqual([
      {
        level: 'warning',
        file: 'a/up',
        message: 'symlink loop (points to a folder above it); not followed',
      },
      {
        level: 'warning',
        file: 'escape',
        message: 'symlink to a folder outside the scanned root; not followed',
      },
      { level: 'warning', file: 'self', message: 'symlink loop; not followed' },
    ]);
  });

  it('walks a folder reached only through an in-root symlink', async () => {
    write({ 'store/node_modules/x/package.json': '{}', 'data/app/Gemfile': '' });
    symlinkSync('data/app', join(root, 'linked'));
    const { projects } = await discover(root, { exclude: ['data'] });
    expect(projects.map((p) => p.manifest)).toEqual(['linked/Gemfile']);
  });

  it('refuses a file over the size cap with its size and the limit', async () => {
    write({ Gemfile: '', 'Gemfile.lock': 'x'.repeat(200) });
    const { projects, diagnostics } = await discover(root, { maxFileBytes: 100 });
    expect(projects).toEqual([
      { ecosystem: 'RubyGems', dir: '.', manifest: 'Gemfile', lockfile: 'Gemfile.lock' },
    ]);
    expect(diagnostics).toEqual([
      {
        level: 'error',
        file: 'Gemfile.lock',
        code: 'FILE_TOO_LARGE',
        message: 'file is 200 bytes, over the 100-byte limit',
      },
    ]);
  });

  it('never opens a lockfile that is not a regular file (FIFO, socket, device)', async () => {
    write({ 'package.json': '{}' });
    const { fs, calls } = countingFs();
    const fifoFs: DiscoverFs = {
      ...fs,
      readDir: async (p) => {
        const entries = await fs.readDir(p);
        if (p !== root) return entries;
        return [
          ...entries,
          {
            name: 'package-lock.json',
            isFile: () => false,
            isDirectory: () => false,
            isSymbolicLink: () => false,
          },
        ];
      },
    };
    const { projects, diagnostics } = await discover(root, { fs: fifoFs });
    expect(projects).toEqual([
      { ecosystem: 'npm', dir: '.', manifest: 'package.json', lockfile: 'package-lock.json' },
    ]);
    expect(diagnostics).toEqual([
      {
        level: 'error',
        file: 'package-lock.json',
        code: 'FILE_UNREADABLE',
        message: 'not a regular file (FIFO, socket or device); not read',
      },
    ]);
    expect(calls.readFile).toBe(0);
  });

  it('reports an unreadable folder and walks on', async () => {
    // Root ignores chmod 000, so the error is injected at the readDir call.
    write({ 'locked/Gemfile': '', 'open/Gemfile': '' });
    const { fs } = countingFs(new Set([join(root, 'locked')]));
    const { projects, diagnostics } = await discover(root, { fs });
    expect(projects.map((p) => p.manifest)).toEqual(['open/Gemfile']);
    expect(diagnostics).toEqual([
      {
        level: 'error',
        file: 'locked',
        code: 'FILE_UNREADABLE',
        message: 'cannot read folder (EACCES); skipped',
      },
    ]);
  });

  // Root reads through chmod 000, so this one only runs as a normal user (CI); the injected test
  // above covers root.
  it.skipIf(process.getuid?.() === 0)('reports a folder chmod 000 and walks on', async () => {
    write({ 'locked/Gemfile': '', 'open/Gemfile': '' });
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const { projects, diagnostics } = await discover(root);
      expect(projects.map((p) => p.manifest)).toEqual(['open/Gemfile']);
      expect(diagnostics).toEqual([
        {
          level: 'error',
          file: 'locked',
          code: 'FILE_UNREADABLE',
          message: 'cannot read folder (EACCES); skipped',
        },
      ]);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });

  it('keeps a path with a newline as data', async () => {
    write({ 'we\nird/requirements.txt': '' });
    const { projects } = await discover(root);
    expect(projects).toEqual([
      { ecosystem: 'PyPI', dir: 'we\nird', lockfile: 'we\nird/requirements.txt' },
    ]);
  });

  it('rejects a root that is missing or not a folder as a usage error', async () => {
    write({ 'file.txt': '' });
    await expect(discover(join(root, 'nope'))).rejects.toMatchObject({
      code: 'USAGE',
      message: `${join(root, 'nope')}: no such directory`,
    });
    await expect(discover(join(root, 'file.txt'))).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('stops when the signal aborts', async () => {
    write({ 'a/Gemfile': '' });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(discover(root, { signal: controller.signal })).rejects.toThrow('stop');
  });
});
