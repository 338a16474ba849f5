// End to end: the built CLI as a subprocess on examples/polyglot and on broken copies of it.
// Needs `pnpm build` first (`pnpm test` and `pnpm test:int` do it).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repo, 'packages/cli/dist/bin.js');
const example = join(repo, 'examples/polyglot');

interface JsonPackage {
  name: string;
  version: string | null;
  purl: string;
  direct: boolean;
  dev: boolean;
  location: { file: string; line: number };
  source: { type: string };
}
interface JsonInventory {
  projects: {
    ecosystem: string;
    manifest: string | null;
    lockfile: string | null;
    packages: JsonPackage[];
  }[];
  errors: { file: string; line: number | null; message: string; code: string | null }[];
  warnings: unknown[];
}

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function isJsonInventory(doc: unknown): doc is JsonInventory {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    'projects' in doc &&
    Array.isArray(doc.projects) &&
    'errors' in doc &&
    Array.isArray(doc.errors) &&
    'warnings' in doc &&
    Array.isArray(doc.warnings)
  );
}

function parseOutput(stdout: string): JsonInventory {
  const doc: unknown = JSON.parse(stdout);
  if (!isJsonInventory(doc)) throw new Error(`not an inventory document: ${stdout.slice(0, 200)}`);
  return doc;
}

const nameVersions = (packages: readonly JsonPackage[]) =>
  packages.map((p) => `${p.name}@${p.version ?? ''}`).sort();

/**
 * Per lockfile: every package counted (`total`, local ones included), the registry packages as
 * name@version, and the direct ones (`(dev)` when only for development).
 */
const EXPECTED: Record<
  string,
  {
    ecosystem: string;
    manifest: string | null;
    total: number;
    direct: string[];
    packages: string[];
  }
> = {
  'pnpm-workspace/pnpm-lock.yaml': {
    total: 5,
    direct: ['@polyglot/shared', 'lodash', 'minimist (dev)', 'node-fetch'],
    ecosystem: 'npm',
    manifest: 'pnpm-workspace/package.json',
    packages: ['lodash@4.17.19', 'minimist@1.2.0', 'node-fetch@2.6.0'],
  },
  'python/requirements-dev.txt': {
    total: 1,
    direct: ['pyyaml'],
    ecosystem: 'PyPI',
    manifest: null,
    packages: ['pyyaml@5.3.1'],
  },
  'python/requirements.txt': {
    total: 7,
    direct: ['certifi', 'chardet', 'idna', 'jinja2', 'markupsafe', 'requests', 'urllib3'],
    ecosystem: 'PyPI',
    manifest: null,
    packages: [
      'certifi@2018.4.16',
      'chardet@3.0.4',
      'idna@2.7',
      'jinja2@2.10',
      'markupsafe@1.1.1',
      'requests@2.19.0',
      'urllib3@1.24.1',
    ],
  },
  'python/uv-app/uv.lock': {
    total: 6,
    direct: ['django', 'pyyaml (dev)'],
    ecosystem: 'PyPI',
    manifest: 'python/uv-app/pyproject.toml',
    packages: ['asgiref@3.13.0', 'django@3.2', 'pytz@2026.6', 'pyyaml@5.3.1', 'sqlparse@0.6.1'],
  },
  'ruby/Gemfile.lock': {
    total: 12,
    direct: ['activerecord', 'nokogiri', 'rack'],
    ecosystem: 'RubyGems',
    manifest: 'ruby/Gemfile',
    packages: [
      'activemodel@5.2.0',
      'activerecord@5.2.0',
      'activesupport@5.2.0',
      'arel@9.0.0',
      'concurrent-ruby@1.1.5',
      'i18n@1.6.0',
      'mini_portile2@2.4.0',
      'minitest@5.11.3',
      'nokogiri@1.10.3',
      'rack@2.0.1',
      'thread_safe@0.3.6',
      'tzinfo@1.2.5',
    ],
  },
  'rust/Cargo.lock': {
    total: 8,
    direct: ['smallvec', 'time'],
    ecosystem: 'crates.io',
    manifest: 'rust/Cargo.toml',
    packages: [
      'libc@0.2.191',
      'maybe-uninit@2.0.0',
      'smallvec@0.6.13',
      'time@0.1.43',
      'winapi-i686-pc-windows-gnu@0.4.0',
      'winapi-x86_64-pc-windows-gnu@0.4.0',
      'winapi@0.3.9',
    ],
  },
  'web/package-lock.json': {
    total: 52,
    direct: ['express', 'lodash', 'minimist (dev)'],
    ecosystem: 'npm',
    manifest: 'web/package.json',
    packages: [
      'accepts@1.3.8',
      'array-flatten@1.1.1',
      'body-parser@1.19.0',
      'bytes@3.1.0',
      'content-disposition@0.5.3',
      'content-type@1.0.5',
      'cookie-signature@1.0.6',
      'cookie@0.4.0',
      'debug@2.6.9',
      'depd@1.1.2',
      'destroy@1.0.4',
      'ee-first@1.1.1',
      'encodeurl@1.0.4',
      'escape-html@1.0.3',
      'etag@1.8.1',
      'express@4.17.1',
      'finalhandler@1.1.2',
      'forwarded@0.2.0',
      'fresh@0.5.2',
      'http-errors@1.7.2',
      'iconv-lite@0.4.24',
      'inherits@2.0.3',
      'ipaddr.js@1.9.1',
      'lodash@4.17.15',
      'media-typer@0.3.0',
      'merge-descriptors@1.0.1',
      'methods@1.1.2',
      'mime-db@1.52.0',
      'mime-types@2.1.35',
      'mime@1.6.0',
      'minimist@1.2.5',
      'ms@2.0.0',
      'ms@2.1.1',
      'negotiator@0.6.3',
      'on-finished@2.3.0',
      'parseurl@1.3.3',
      'path-to-regexp@0.1.7',
      'proxy-addr@2.0.8',
      'qs@6.7.0',
      'range-parser@1.2.1',
      'raw-body@2.4.0',
      'safe-buffer@5.1.2',
      'safer-buffer@2.1.2',
      'send@0.17.1',
      'serve-static@1.14.1',
      'setprototypeof@1.1.1',
      'statuses@1.5.0',
      'toidentifier@1.0.0',
      'type-is@1.6.18',
      'unpipe@1.0.0',
      'utils-merge@1.0.1',
      'vary@1.1.2',
    ].sort(),
  },
};

let tmp: string;

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm build first`);
  tmp = mkdtempSync(join(tmpdir(), 'supplyaudit-e2e-inventory-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('supplyaudit inventory examples/polyglot', () => {
  const run = () => {
    const result = cli('inventory', example, '--format', 'json');
    return { ...result, doc: parseOutput(result.stdout) };
  };

  it('finds the seven projects in order, members folded into the pnpm workspace', () => {
    const { doc } = run();
    expect(doc.projects.map((p) => [p.ecosystem, p.manifest, p.lockfile])).toEqual(
      Object.entries(EXPECTED).map(([lockfile, e]) => [e.ecosystem, e.manifest, lockfile]),
    );
  });

  it.each(Object.entries(EXPECTED))(
    'lists exactly the locked packages of %s',
    (lockfile, expected) => {
      const { doc } = run();
      const packages = doc.projects.find((p) => p.lockfile === lockfile)?.packages ?? [];
      expect(packages).toHaveLength(expected.total);
      // Local packages (the project itself, workspace members) are not third-party packages.
      expect(nameVersions(packages.filter((p) => p.source.type === 'registry'))).toEqual(
        expected.packages,
      );
      expect(
        packages
          .filter((p) => p.direct)
          .map((p) => `${p.name}${p.dev ? ' (dev)' : ''}`)
          .sort(),
      ).toEqual(expected.direct);
      for (const p of packages) expect(p.location.file).toBe(lockfile);
    },
  );

  it('gives npm packages their purl and lockfile lines', () => {
    const { doc } = run();
    const web = doc.projects.find((p) => p.lockfile === 'web/package-lock.json');
    expect(
      web?.packages.filter((p) => p.direct).map((p) => [p.name, p.version, p.dev, p.location.line]),
    ).toEqual([
      ['express', '4.17.1', false, 142],
      ['lodash', '4.17.15', false, 254],
      ['minimist', '1.2.5', true, 310],
    ]);
    expect(web?.packages.find((p) => p.name === 'lodash')?.purl).toBe('pkg:npm/lodash@4.17.15');
  });

  it('exits 0 with nothing on stderr: every file is read', () => {
    const { code, stderr, doc } = run();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it('prints the table with a summary on request', () => {
    const { code, stdout } = cli('inventory', example, '--format', 'table');
    expect(code).toBe(0);
    expect(stdout).toContain('RubyGems ruby/Gemfile.lock (manifest ruby/Gemfile, 12 packages)');
    expect(stdout).toContain(
      'npm pnpm-workspace/pnpm-lock.yaml (manifest pnpm-workspace/package.json, 2 members, 5 packages)',
    );
    expect(stdout).toContain('│ rack            │ 2.0.1   │ prod, direct │ ruby/Gemfile.lock:23 │');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      '91 packages in 7 projects (npm 57, PyPI 14, RubyGems 12, crates.io 8)',
    );
  });
});

describe('supplyaudit inventory on a broken tree', () => {
  it('reports a truncated lockfile in one line, exits 3 and still prints the other projects', () => {
    const root = join(tmp, 'truncated');
    cpSync(example, root, { recursive: true });
    const lock = readFileSync(join(root, 'rust/Cargo.lock'), 'utf8');
    writeFileSync(join(root, 'rust/Cargo.lock'), lock.slice(0, 700));
    const { code, stdout, stderr } = cli('inventory', root, '--format', 'json');
    expect(code).toBe(3);
    const doc = parseOutput(stdout);
    expect(doc.projects.find((p) => p.lockfile === 'rust/Cargo.lock')?.packages).toEqual([]);
    expect(doc.projects.find((p) => p.lockfile === 'ruby/Gemfile.lock')?.packages).toHaveLength(12);
    expect(doc.errors.filter((e) => e.file === 'rust/Cargo.lock')).toEqual([
      {
        file: 'rust/Cargo.lock',
        line: 29,
        message: 'invalid TOML (incomplete key-value: cannot find end of key)',
        code: 'PARSE_FAILED',
      },
    ]);
    const lines = stderr.split('\n').filter((l) => l.startsWith('rust/'));
    expect(lines).toEqual([
      'rust/Cargo.lock:29: invalid TOML (incomplete key-value: cannot find end of key)',
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('never opens a FIFO lockfile and refuses a lockfile symlinked out of the root', () => {
    const root = join(tmp, 'special');
    cpSync(join(example, 'ruby'), join(root, 'ruby'), { recursive: true });
    cpSync(join(example, 'web'), join(root, 'web'), { recursive: true });
    rmSync(join(root, 'web/package-lock.json'));
    expect(spawnSync('mkfifo', [join(root, 'web/package-lock.json')]).status).toBe(0);
    writeFileSync(join(tmp, 'outside.lock'), 'GEM\n');
    rmSync(join(root, 'ruby/Gemfile.lock'));
    symlinkSync(join(tmp, 'outside.lock'), join(root, 'ruby/Gemfile.lock'));
    const { code, stderr } = cli('inventory', root, '--format', 'json');
    expect(code).toBe(3);
    expect(stderr).toBe(
      [
        'ruby/Gemfile.lock: symlink to a file outside the scanned root; refused',
        'web/package-lock.json: not a regular file (FIFO, socket or device); not read',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 for a path that does not exist', () => {
    const { code, stdout, stderr } = cli('inventory', join(tmp, 'nope'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `supplyaudit: ${join(tmp, 'nope')}: no such directory\nRun supplyaudit --help for usage.\n`,
    );
  });
});
