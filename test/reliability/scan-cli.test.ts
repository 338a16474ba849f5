// RELIABILITY.md through the built CLI (`supplyaudit scan` / `inventory` as subprocesses):
// lockfile sources flagged and never fetched, credentials and tokens in no output, byte-identical
// JSON, nothing written outside the cache and --output, a failed source gives exit 3, --offline
// opens no socket, special files and a path with a newline. Needs `pnpm build` first.
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  diffTrees,
  EXAMPLE_OSV,
  field,
  items,
  makeTmp,
  parseJson,
  refusedPort,
  sealedEnv,
  snapshotTree,
  startLoopback,
  writeProject,
  writeTree,
  type LoopbackServer,
} from './harness.js';

const PASSWORD = 's3cr3tPASSWORDmarker';
const INDEX_TOKEN = 't0kenINDEXmarker';
const GITHUB_TOKEN = 'ghp_GITHUBTOKENmarker0000000000000000';
const NPM_TOKEN = 'npm_NPMTOKENmarker000000000000000000';
const MARKERS = [PASSWORD, INDEX_TOKEN, GITHUB_TOKEN, NPM_TOKEN];

const tmp = makeTmp('scan-cli');
const home = join(tmp.dir, 'home');
const root = join(tmp.dir, 'tree');
let server: LoopbackServer;
let env: Record<string, string>;

const tmpEnv = join(tmp.dir, 'tmpdir');

beforeAll(async () => {
  server = await startLoopback();
  mkdirSync(home, { recursive: true });
  mkdirSync(tmpEnv, { recursive: true });
  env = sealedEnv(home, { TMPDIR: tmpEnv, GITHUB_TOKEN, NPM_TOKEN, NODE_AUTH_TOKEN: NPM_TOKEN });
  const update = await cli(['db', 'update', '--from', EXAMPLE_OSV], { env });
  if (update.code !== 0) throw new Error(`db update failed: ${update.stderr}`);
  const loop = server.url;
  writeProject(root, 'web', 'package-lock', [
    {
      name: 'plain-http',
      version: '1.0.0',
      source: 'http://npm.example.com/plain-http/-/plain-http-1.0.0.tgz',
    },
    { name: 'local-file', version: '1.0.0', source: 'file:../local-file-1.0.0.tgz' },
    {
      name: 'git-ssh',
      version: '1.0.0',
      source:
        'git+ssh://git@git.example.com/acme/git-ssh.git#0123456789abcdef0123456789abcdef01234567',
    },
    { name: 'loopback', version: '1.0.0', source: `${loop}/loopback/-/loopback-1.0.0.tgz` },
    { name: 'metadata', version: '1.0.0', source: 'http://169.254.169.254/latest/meta-data/x.tgz' },
    { name: 'lodash', version: '4.17.15' },
  ]);
  writeProject(root, 'pnpm', 'pnpm-lock', [
    { name: 'loopback', version: '1.0.0', source: `${loop}/pnpm/loopback-1.0.0.tgz` },
  ]);
  writeProject(root, 'yarn', 'yarn-classic', [
    {
      name: 'metadata',
      version: '1.0.0',
      source: 'http://169.254.169.254/yarn/metadata-1.0.0.tgz',
    },
  ]);
  writeProject(root, 'cargo', 'cargo-lock', [
    { name: 'loopback', version: '1.0.0', source: `registry+${loop}/index` },
  ]);
  writeProject(root, 'ruby', 'gemfile-lock', [
    { name: 'loopback', version: '1.0.0', source: `${loop}/` },
  ]);
  writeProject(root, 'uv', 'uv-lock', [
    { name: 'metadata', version: '1.0.0', source: 'http://169.254.169.254/simple' },
  ]);
  writeProject(root, 'poetry', 'poetry-lock', [
    { name: 'loopback', version: '1.0.0', source: `${loop}/simple` },
  ]);
  writeProject(root, 'pipenv', 'pipfile-lock', [
    { name: 'loopback', version: '1.0.0', source: `${loop}/simple` },
  ]);
  writeTree(root, {
    'py/requirements.txt': [
      `--index-url https://user:${INDEX_TOKEN}@pypi.example.com/simple`,
      `--extra-index-url https://${INDEX_TOKEN}@pypi2.example.com/simple`,
      `-e git+https://user:${PASSWORD}@git.example.com/acme/pkg.git#egg=pkg`,
      `private @ https://user:${PASSWORD}@files.example.com/private-1.0.tar.gz`,
      'jinja2==2.10',
      '',
    ].join('\n'),
  });
});

afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

const scanArgs = (format: string, ...more: string[]) => [
  'scan',
  root,
  '--osv',
  'offline',
  '--sources',
  'osv',
  '--format',
  format,
  ...more,
];

interface Finding {
  id: string;
  file: string;
  line: number;
  message: string;
}
function findingsOf(doc: unknown): Finding[] {
  return items(field(doc, 'findings')).map((f) => ({
    id: String(field(f, 'id')),
    file: String(field(f, 'location', 'file')),
    line: Number(field(f, 'location', 'line')),
    message: String(field(f, 'message')),
  }));
}

describe('lockfile sources: flagged by the lockfile check, never fetched', () => {
  let doc: unknown;
  let code: number | null;

  beforeAll(async () => {
    const result = await cli(scanArgs('json'), { env });
    code = result.code;
    doc = parseJson(result.stdout);
  });

  it('exits 1 (policy) with a complete report, and the loopback server saw no request', () => {
    expect(code).toBe(1);
    expect(field(doc, 'complete')).toBe(true);
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['web/package-lock.json', 'plain-http@1.0.0', 'lockfile-insecure-source', /unencrypted/],
    ['web/package-lock.json', 'local-file@1.0.0', 'lockfile-non-registry-source', /path/],
    ['web/package-lock.json', 'git-ssh@1.0.0', 'lockfile-non-registry-source', /git/],
    [
      'web/package-lock.json',
      'loopback@1.0.0',
      'lockfile-insecure-source',
      /internal address \(127\.0\.0\.1\)/,
    ],
    [
      'web/package-lock.json',
      'metadata@1.0.0',
      'lockfile-insecure-source',
      /internal address \(169\.254\.169\.254\)/,
    ],
    [
      'pnpm/pnpm-lock.yaml',
      'loopback@1.0.0',
      'lockfile-insecure-source',
      /internal address \(127\.0\.0\.1\)/,
    ],
    [
      'yarn/yarn.lock',
      'metadata@1.0.0',
      'lockfile-insecure-source',
      /internal address \(169\.254\.169\.254\)/,
    ],
    [
      'cargo/Cargo.lock',
      'loopback@1.0.0',
      'lockfile-insecure-source',
      /internal address \(127\.0\.0\.1\)/,
    ],
    [
      'ruby/Gemfile.lock',
      'loopback@1.0.0',
      'lockfile-insecure-source',
      /internal address \(127\.0\.0\.1\)/,
    ],
    [
      'uv/uv.lock',
      'metadata@1.0.0',
      'lockfile-insecure-source',
      /internal address \(169\.254\.169\.254\)/,
    ],
    [
      'poetry/poetry.lock',
      'loopback@1.0.0',
      'lockfile-insecure-source',
      /internal address \(127\.0\.0\.1\)/,
    ],
    [
      'pipenv/Pipfile.lock',
      'loopback@1.0.0',
      'lockfile-insecure-source',
      /internal address \(127\.0\.0\.1\)/,
    ],
  ])('%s: %s is flagged %s', (file, pkg, id, re) => {
    const hits = findingsOf(doc).filter(
      (f) =>
        f.file === file && f.id === id && f.message.startsWith(`${pkg} `) && re.test(f.message),
    );
    expect(hits.map((f) => `${f.file}: ${f.message}`)).toHaveLength(1);
  });
});

describe('secrets: lockfile credentials and environment tokens appear in no output', () => {
  it.each([['json'], ['sarif'], ['markdown'], ['table']])('scan --format %s', async (format) => {
    const { stdout, stderr } = await cli(scanArgs(format), { env });
    expect(stdout.length).toBeGreaterThan(100);
    for (const marker of MARKERS) {
      expect(stdout).not.toContain(marker);
      expect(stderr).not.toContain(marker);
    }
    expect(stdout).not.toMatch(/user:[^@\s"]*@/);
  });

  it('scan --format json --debug to stderr', async () => {
    const { stdout, stderr } = await cli([...scanArgs('json'), '--debug'], { env });
    for (const marker of MARKERS) expect(stdout + stderr).not.toContain(marker);
  });

  it('inventory --format json (and the table)', async () => {
    for (const format of ['json', 'table']) {
      const { code, stdout, stderr } = await cli(['inventory', root, '--format', format], { env });
      expect(code).toBe(0);
      expect(stdout).toContain('py/requirements.txt');
      for (const marker of MARKERS) expect(stdout + stderr).not.toContain(marker);
    }
  });

  it('--output files hold no secret either', async () => {
    for (const format of ['json', 'sarif', 'markdown', 'table']) {
      const out = join(tmp.dir, `secret-report.${format}`);
      await cli(scanArgs(format, '--output', out), { env });
      const text = readFileSync(out, 'utf8');
      for (const marker of MARKERS) expect(text).not.toContain(marker);
    }
  });
});

/** The JSON report without what may change between runs: timestamps and durations. */
function stable(text: string): string {
  return text
    .replace(/"startedAt": "[^"]*"/g, '"startedAt": "-"')
    .replace(/"durationMs": \d+/g, '"durationMs": 0')
    .replace(/"startTimeUtc": "[^"]*"/g, '"startTimeUtc": "-"');
}

describe('reports', () => {
  it('the same inputs give byte-identical JSON apart from startedAt and durationMs', async () => {
    const a = await cli(scanArgs('json'), { env });
    const b = await cli(scanArgs('json'), { env });
    expect(a.stdout).not.toBe('');
    expect(stable(b.stdout)).toBe(stable(a.stdout));
    // SARIF: the same, apart from invocations[].startTimeUtc
    const s1 = await cli(scanArgs('sarif'), { env });
    const s2 = await cli(scanArgs('sarif'), { env });
    expect(stable(s2.stdout)).toBe(stable(s1.stdout));
  });

  it('a scan writes nothing outside its cache folder and --output', async () => {
    const outDir = join(tmp.dir, 'out');
    mkdirSync(outDir, { recursive: true });
    const cache = join(home, '.cache', 'supplyaudit');
    const watched = [root, home, tmpEnv, outDir];
    const before = watched.map((d) => snapshotTree(d));
    const result = await cli(scanArgs('json', '--output', join(outDir, 'report.json')), {
      env,
      cwd: outDir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const after = watched.map((d) => snapshotTree(d));
    const changes = watched.flatMap((d, i) =>
      diffTrees(before[i] ?? new Map<string, string>(), after[i] ?? new Map<string, string>()).map(
        (c) => `${c[0] ?? ''}${join(d, c.slice(1))}`,
      ),
    );
    expect(
      changes.filter((c) => !c.slice(1).startsWith(`${cache}/`) && c.slice(1) !== cache),
    ).toEqual([`+${join(outDir, 'report.json')}`]);
    expect(field(parseJson(readFileSync(join(outDir, 'report.json'), 'utf8')), 'complete')).toBe(
      true,
    );
  });

  it('a failed source gives complete:false and exit 3 even with zero findings', async () => {
    const port = await refusedPort();
    const clean = join(tmp.dir, 'clean');
    writeProject(clean, '.', 'package-lock', [{ name: 'zlib-ng', version: '1.2.3' }]);
    writeTree(clean, {
      'supplyaudit.config.json': JSON.stringify({
        osv: { apiUrl: `http://127.0.0.1:${String(port)}` },
        timeouts: { httpMs: 2000 },
      }),
    });
    const { code, stdout, stderr } = await cli(
      ['scan', clean, '--osv', 'online', '--sources', 'osv', '--format', 'json'],
      { env, timeoutMs: 110_000 },
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(3);
    const doc = parseJson(stdout);
    expect(field(doc, 'complete')).toBe(false);
    expect(findingsOf(doc)).toEqual([]);
    expect(field(doc, 'sources', 0, 'name')).toBe('osv');
    expect(field(doc, 'sources', 0, 'status')).toBe('failed');
    expect(String(field(doc, 'sources', 0, 'reason'))).toContain(`127.0.0.1:${String(port)}`);
    expect(field(doc, 'verdict', 'exitCode')).toBe(3);
  });

  it('a failed source keeps the findings found so far (lockfile findings), still exit 3', async () => {
    const port = await refusedPort();
    const dirty = join(tmp.dir, 'dirty');
    writeProject(dirty, '.', 'gemfile-lock', [
      { name: 'zlib-ng', version: '1.2.3', source: 'http://rubygems.example.com/' },
    ]);
    writeTree(dirty, {
      'supplyaudit.config.json': JSON.stringify({
        osv: { apiUrl: `http://127.0.0.1:${String(port)}` },
        timeouts: { httpMs: 2000 },
      }),
    });
    const { code, stdout } = await cli(
      ['scan', dirty, '--osv', 'online', '--sources', 'osv', '--format', 'json'],
      { env, timeoutMs: 110_000 },
    );
    expect(code).toBe(3);
    const doc = parseJson(stdout);
    expect(field(doc, 'complete')).toBe(false);
    expect(findingsOf(doc).map((f) => `${f.id} ${f.file}:${String(f.line)}`)).toEqual([
      'lockfile-insecure-source Gemfile.lock:4',
      'lockfile-no-integrity Gemfile.lock:4',
    ]);
  });

  it('--offline opens no socket: proxies, the OSV URL and registries all point at a counting server', async () => {
    const offlineServer = await startLoopback();
    try {
      const tree = join(tmp.dir, 'offline');
      writeProject(tree, 'web', 'package-lock', [{ name: 'lodash', version: '4.17.15' }]);
      writeProject(tree, 'py', 'requirements', [{ name: 'jinja2', version: '2.10' }]);
      writeProject(tree, 'rust', 'cargo-lock', [{ name: 'smallvec', version: '0.6.13' }]);
      writeProject(tree, 'ruby', 'gemfile-lock', [{ name: 'rack', version: '2.0.1' }]);
      writeTree(tree, {
        'supplyaudit.config.json': JSON.stringify({
          osv: { apiUrl: offlineServer.url },
          licenses: { allow: ['MIT'] },
        }),
        'web/.npmrc': `registry=${offlineServer.url}/\n`,
        'py/pip.conf': `[global]\nindex-url = ${offlineServer.url}/simple\n`,
      });
      const proxied = {
        ...env,
        HTTPS_PROXY: offlineServer.url,
        HTTP_PROXY: offlineServer.url,
        https_proxy: offlineServer.url,
        http_proxy: offlineServer.url,
        npm_config_registry: `${offlineServer.url}/`,
      };
      const { code, stdout } = await cli(['scan', tree, '--offline', '--format', 'json'], {
        env: proxied,
      });
      expect(offlineServer.requests).toEqual([]);
      const doc = parseJson(stdout);
      expect([1, 3]).toContain(code);
      expect(field(doc, 'sources', 0, 'name')).toBe('osv');
      expect(field(doc, 'sources', 0, 'status')).toBe('ok');
      expect(
        findingsOf(doc).some((f) => f.id.startsWith('GHSA-') && f.file === 'web/package-lock.json'),
      ).toBe(true);
    } finally {
      await offlineServer.close();
    }
  });
});

describe('special files under the scanned root', () => {
  it('a symlink leaving the root, a symlink loop and a FIFO: one line each, the rest scanned, exit 3', async () => {
    const tree = join(tmp.dir, 'special');
    writeProject(tree, 'ok', 'gemfile-lock', [{ name: 'rack', version: '2.0.1' }]);
    writeProject(tree, 'fifo', 'package-lock', [{ name: 'lodash', version: '4.17.15' }]);
    rmSync(join(tree, 'fifo/package-lock.json'));
    expect(spawnSync('mkfifo', [join(tree, 'fifo/package-lock.json')]).status).toBe(0);
    writeProject(tmp.dir, 'outside', 'cargo-lock', [{ name: 'smallvec', version: '0.6.13' }]);
    mkdirSync(join(tree, 'escape'), { recursive: true });
    writeFileSync(join(tree, 'escape/Cargo.toml'), '[package]\nname = "x"\nversion = "0.1.0"\n');
    symlinkSync(join(tmp.dir, 'outside/Cargo.lock'), join(tree, 'escape/Cargo.lock'));
    mkdirSync(join(tree, 'loop'), { recursive: true });
    symlinkSync('..', join(tree, 'loop/up'));
    symlinkSync('self', join(tree, 'loop/self'));
    const { code, stdout, stderr } = await cli(
      ['scan', tree, '--osv', 'offline', '--sources', 'osv', '--format', 'json'],
      { env, timeoutMs: 60_000 },
    );
    expect(code).toBe(3);
    expect(stderr).not.toMatch(/\n\s+at /);
    const doc = parseJson(stdout);
    expect(field(doc, 'complete')).toBe(false);
    const warnings = items(field(doc, 'warnings')).map(String);
    expect(warnings).toContain(
      'escape/Cargo.lock: symlink to a file outside the scanned root; refused',
    );
    expect(warnings).toContain(
      'fifo/package-lock.json: not a regular file (FIFO, socket or device); not read',
    );
    for (const w of warnings) expect(w).not.toContain('\n');
    // the rest is scanned: rack 2.0.1 has advisories in examples/osv
    expect(findingsOf(doc).some((f) => f.file === 'ok/Gemfile.lock')).toBe(true);
  });

  it('a path with a newline: SARIF percent-encodes it, Markdown and the table stay intact', async () => {
    const tree = join(tmp.dir, 'newline');
    writeProject(tree, 'we\nird|dir', 'package-lock', [
      {
        name: 'plain-http',
        version: '1.0.0',
        source: 'http://npm.example.com/plain-http-1.0.0.tgz',
      },
      { name: 'lodash', version: '4.17.15' },
    ]);
    const args = ['scan', tree, '--osv', 'offline', '--sources', 'osv', '--format'];
    const sarif = await cli([...args, 'sarif'], { env });
    expect(sarif.code).toBe(1);
    const uris = new Set(
      items(field(parseJson(sarif.stdout), 'runs', 0, 'results')).map((r) =>
        String(field(r, 'locations', 0, 'physicalLocation', 'artifactLocation', 'uri')),
      ),
    );
    expect([...uris]).toEqual(['we%0Aird%7Cdir/package-lock.json']);
    const markdown = await cli([...args, 'markdown'], { env });
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).not.toContain('we\nird');
    const table = markdown.stdout.split('\n').filter((l) => l.startsWith('|'));
    expect(table.length).toBeGreaterThan(2);
    for (const row of table) {
      expect(row.endsWith('|')).toBe(true);
      // the header's column count holds on every row (escaped pipes do not count)
      expect(row.replaceAll('\\|', '').split('|').length).toBe((table[0] ?? '').split('|').length);
    }
    const tableOut = await cli([...args, 'table'], { env });
    expect(tableOut.stdout).not.toContain('we\nird');
    const json = await cli([...args, 'json'], { env });
    expect(
      findingsOf(parseJson(json.stdout)).some((f) => f.file === 'we\nird|dir/package-lock.json'),
    ).toBe(true);
  });
});
