import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ECOSYSTEM_PLUGINS } from '../ecosystems/index.js';
import { inventory } from '../inventory.js';
import { DEFAULT_CONFIG, type Config } from '../policy/config.js';
import {
  checkLockfiles,
  hostOf,
  isAllowedRegistry,
  isInternalHost,
  redactUrl,
} from './lockfile.js';

const base = fileURLToPath(new URL('./__fixtures__/lockfile/', import.meta.url));

/** The scan's reader, limited here to the fixture folder. */
function reader(root: string) {
  return (file: string): string | undefined => {
    try {
      return readFileSync(join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}

async function run(dir: string, config: Config = DEFAULT_CONFIG) {
  const root = join(base, dir);
  const result = await checkLockfiles(await inventory(root), reader(root), config);
  return {
    rows: result.findings.map((f) => [
      f.kind,
      f.id,
      f.severity,
      `${f.location?.file ?? ''}:${String(f.location?.line)}`,
      f.message,
    ]),
    diagnostics: result.diagnostics,
  };
}

describe('checkLockfiles', () => {
  it('npm workspace: changed range, undeclared, removed, missing integrity, http and internal host, registry not allowed', async () => {
    const { rows, diagnostics } = await run('npm-out-of-sync', {
      ...DEFAULT_CONFIG,
      allowedRegistries: { npm: ['https://npm.example.com'] },
    });
    expect(diagnostics).toEqual([]);
    expect(rows).toEqual([
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'package.json:8',
        'minimist is locked at 1.2.8 in package-lock.json, which does not satisfy "^2.0.0" in package.json: run npm install',
      ],
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'package.json:9',
        'left-pad is declared in package.json but not locked in package-lock.json: run npm install',
      ],
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'package-lock.json:18',
        'mkdirp is a direct dependency in package-lock.json but no longer declared in package.json: run npm install',
      ],
      [
        'lockfile',
        'lockfile-no-integrity',
        'medium',
        'package-lock.json:144',
        'is-number@7.0.0 has no integrity hash in package-lock.json: a changed download would not be noticed',
      ],
      [
        'lockfile',
        'lockfile-insecure-source',
        'medium',
        'package-lock.json:193',
        'minimist@1.2.8 is fetched over an unencrypted connection from "http://127.0.0.1:4873/minimist/-/minimist-1.2.8.tgz": use https',
      ],
      [
        'lockfile',
        'lockfile-insecure-source',
        'medium',
        'package-lock.json:193',
        'minimist@1.2.8 is fetched from an internal address (127.0.0.1): a lockfile should not point at loopback, link-local or private hosts',
      ],
      [
        'lockfile',
        'lockfile-registry-not-allowed',
        'medium',
        'package-lock.json:193',
        'minimist@1.2.8 resolves from "http://127.0.0.1:4873/minimist/-/minimist-1.2.8.tgz", which is not in allowedRegistries for npm: a dependency-confusion risk',
      ],
    ]);
  });

  it('Pipfile.lock: the recorded hash decides, computed as pipenv does', async () => {
    expect((await run('pipenv-in-sync')).rows).toEqual([]);
    expect((await run('pipenv-out-of-sync')).rows).toEqual([
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'Pipfile.lock:4',
        'Pipfile.lock was written for a different Pipfile (its recorded hash does not match): run pipenv lock',
      ],
    ]);
  });

  it('poetry.lock: content-hash of poetry 1.x and 2.x layouts', async () => {
    expect((await run('poetry-v1-in-sync')).rows).toEqual([]);
    expect((await run('poetry-v1-out-of-sync')).rows).toEqual([
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'poetry.lock:615',
        'poetry.lock was written for a different pyproject.toml (its recorded hash does not match): run poetry lock',
      ],
    ]);
    const gitpkg = [
      'lockfile',
      'lockfile-non-registry-source',
      'medium',
      'poetry.lock:91',
      'gitpkg@0.3.0 comes from git "https://git.example.com/acme/gitpkg.git", pinned to commit 15a93368c62c, not from a registry: no registry checksum or advisory data covers it',
    ];
    expect((await run('poetry-v2-in-sync')).rows).toEqual([gitpkg]);
    expect((await run('poetry-v2-out-of-sync')).rows).toEqual([
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'poetry.lock:632',
        'poetry.lock was written for a different pyproject.toml (its recorded hash does not match): run poetry lock',
      ],
      gitpkg,
    ]);
  });

  it('uv.lock: the project entry records the requirements it was locked for', async () => {
    expect((await run('uv-out-of-sync')).rows).toEqual([
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'pyproject.toml:6',
        'flask is declared as ">=1.0" in pyproject.toml but uv.lock was written for "==0.12.2": run uv lock',
      ],
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'pyproject.toml:10',
        'click is declared in pyproject.toml but not locked in uv.lock: run uv lock',
      ],
      [
        'lockfile',
        'lockfile-non-registry-source',
        'medium',
        'uv.lock:124',
        'gitpkg@0.3.0 comes from git "https://git.example.com/acme/gitpkg.git", pinned to commit 15a93368c62c, not from a registry: no registry checksum or advisory data covers it',
      ],
    ]);
  });

  it('Cargo workspace member: version outside the requirement, undeclared, removed', async () => {
    expect((await run('cargo-out-of-sync')).rows).toEqual([
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'crates/app/Cargo.toml:8',
        'smallvec is locked at 0.6.13 in Cargo.lock, which does not satisfy "=1.0.0" in crates/app/Cargo.toml: run cargo update --workspace',
      ],
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'crates/app/Cargo.toml:9',
        'serde is declared in crates/app/Cargo.toml but not locked in Cargo.lock: run cargo update --workspace',
      ],
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'Cargo.lock:11',
        'time is a direct dependency in Cargo.lock but no longer declared in crates/app/Cargo.toml: run cargo update --workspace',
      ],
    ]);
  });

  it('Gemfile.lock DEPENDENCIES: changed requirement, undeclared, removed; git gem', async () => {
    expect((await run('gem-out-of-sync')).rows).toEqual([
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'Gemfile:6',
        'rack is declared as "~> 2.0" in Gemfile but Gemfile.lock was written for "= 1.4.1": run bundle install',
      ],
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'Gemfile:7',
        'puma is declared in Gemfile but not locked in Gemfile.lock: run bundle install',
      ],
      [
        'lockfile',
        'lockfile-out-of-sync',
        'medium',
        'Gemfile.lock:71',
        'webmock is a direct dependency in Gemfile.lock but no longer declared in Gemfile: run bundle install',
      ],
      [
        'lockfile',
        'lockfile-non-registry-source',
        'medium',
        'Gemfile.lock:6',
        'acme-client@2.0.0.pre.alpha comes from git "https://git.example.com/acme/acme-client.git", pinned to commit 5d1c0ffee0dd, not from a registry: no registry checksum or advisory data covers it',
      ],
    ]);
  });

  it('manifests without a lockfile (but not one that declares only local packages)', async () => {
    expect((await run('missing')).rows).toEqual([
      [
        'lockfile',
        'lockfile-missing',
        'medium',
        'py/Pipfile:1',
        'py/Pipfile has no lockfile: every install resolves versions afresh (lock it with pipenv lock, poetry lock, uv lock or pip-compile)',
      ],
      [
        'lockfile',
        'lockfile-missing',
        'medium',
        'site/Gemfile:1',
        'site/Gemfile has no lockfile: every install resolves versions afresh (bundle lock writes Gemfile.lock)',
      ],
      [
        'lockfile',
        'lockfile-missing',
        'medium',
        'tool/Cargo.toml:1',
        'tool/Cargo.toml has no lockfile: every install resolves versions afresh (cargo generate-lockfile writes Cargo.lock)',
      ],
      [
        'lockfile',
        'lockfile-missing',
        'medium',
        'web/package.json:1',
        'web/package.json has no lockfile: every install resolves versions afresh (npm install writes package-lock.json)',
      ],
    ]);
  });

  it('does nothing when disabled, and uses the configured severity', async () => {
    const off = {
      ...DEFAULT_CONFIG,
      checks: { ...DEFAULT_CONFIG.checks, lockfile: { enabled: false, severity: 'high' as const } },
    };
    expect((await run('missing', off)).rows).toEqual([]);
    const high = {
      ...DEFAULT_CONFIG,
      checks: { ...DEFAULT_CONFIG.checks, lockfile: { enabled: true, severity: 'high' as const } },
    };
    expect((await run('missing', high)).rows.map((r) => r[2])).toEqual([
      'high',
      'high',
      'high',
      'high',
    ]);
  });
});

describe('source helpers (URLs are data, never fetched)', () => {
  it.each([
    ['https://npm.example.com/a/-/a-1.tgz', 'npm.example.com', false],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254', true],
    ['git+ssh://git@10.0.0.5/acme/x.git', '10.0.0.5', true],
    ['git@git.example.com:acme/x.git', 'git.example.com', false],
    ['https://user:token@[::1]:8080/x', '::1', true],
    ['https://LOCALHOST/x', 'localhost', true],
    ['https://172.32.0.1/x', '172.32.0.1', false],
  ] as const)('%s has host %s (internal: %s)', (url, host, internal) => {
    expect(hostOf(url)).toBe(host);
    expect(isInternalHost(host)).toBe(internal);
  });

  it('redacts credentials and matches registries by prefix', () => {
    expect(redactUrl('https://user:s3cret@npm.example.com/x/-/x-1.tgz')).toBe(
      'https://***@npm.example.com/x/-/x-1.tgz',
    );
    expect(
      isAllowedRegistry('https://NPM.example.com/x/-/x-1.tgz', ['https://npm.example.com']),
    ).toBe(true);
    expect(
      isAllowedRegistry('https://npm.example.com.evil.example/x', ['https://npm.example.com']),
    ).toBe(false);
    expect(
      isAllowedRegistry('https://npm.example.com/mirror/x', ['https://npm.example.com/mirror/']),
    ).toBe(true);
  });
});

describe('checkLockfiles, a second time in the process', () => {
  it('reads what a lockfile records once per text, and again when the text changes', async () => {
    const root = join(base, 'npm-out-of-sync');
    const inv = await inventory(root);
    const calls: string[] = [];
    const plugins = ECOSYSTEM_PLUGINS.map((p) => {
      const manifestReader = p.manifestReader;
      if (manifestReader === undefined) return p;
      return {
        ...p,
        manifestReader: {
          ...manifestReader,
          readLockedRoots: (text: string, file: string) => {
            calls.push(file);
            return manifestReader.readLockedRoots?.(text, file);
          },
        },
      };
    });
    const read = reader(root);
    const first = await checkLockfiles(inv, read, DEFAULT_CONFIG, plugins);
    const again = await checkLockfiles(inv, read, DEFAULT_CONFIG, plugins);
    expect(again).toEqual(first);
    expect(calls).toEqual(['package-lock.json']);
    const changed = (file: string) => {
      const text = read(file);
      return file === 'package-lock.json' && text !== undefined ? `${text}\n` : text;
    };
    await checkLockfiles(inv, changed, DEFAULT_CONFIG, plugins);
    expect(calls).toEqual(['package-lock.json', 'package-lock.json']);
  });
});
