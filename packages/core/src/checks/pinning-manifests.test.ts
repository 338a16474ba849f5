import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inventory } from '../inventory.js';
import { DEFAULT_CONFIG, type Config } from '../policy/config.js';
import { checkPinning } from './pinning-manifests.js';

const base = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

function reader(root: string) {
  return (file: string): string | undefined => {
    try {
      return readFileSync(join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}

function withPinning(pinning: Partial<Config['checks']['pinning']>): Config {
  return {
    ...DEFAULT_CONFIG,
    checks: { ...DEFAULT_CONFIG.checks, pinning: { ...DEFAULT_CONFIG.checks.pinning, ...pinning } },
  };
}

async function run(dir: string, config: Config = DEFAULT_CONFIG) {
  const root = join(base, dir);
  const result = await checkPinning(await inventory(root), reader(root), config);
  return result.findings.map((f) => [
    f.id,
    f.severity,
    `${f.location?.file ?? ''}:${String(f.location?.line)}`,
    f.message,
  ]);
}

describe('checkPinning (manifests)', () => {
  it('flags each kind of manifest that does not pin, with its line', async () => {
    expect(await run('manifests', withPinning({ severity: 'medium' }))).toEqual([
      [
        'cargo-app-without-lock',
        'medium',
        'cargo-app/Cargo.toml:6',
        'cargo-app/Cargo.toml builds an application but there is no Cargo.lock: commit one (cargo generate-lockfile) so builds use the same versions',
      ],
      [
        'gem-unpinned-without-lock',
        'medium',
        'gemfile/Gemfile:4',
        'gem puma has no version and there is no Gemfile.lock: any version may be installed',
      ],
      [
        'gem-unpinned-without-lock',
        'medium',
        'gemfile/Gemfile:9',
        'gem rspec has no version and there is no Gemfile.lock: any version may be installed',
      ],
      [
        'npm-range',
        'low',
        'npm-locked/package.json:6',
        '@isaacs/cliui is declared as "^8.0.0", a range: installs may resolve different versions; npm-locked/package-lock.json pins it',
      ],
      [
        'npm-range',
        'low',
        'npm-locked/package.json:9',
        'mkdirp is declared as "~0.5.1", a range: installs may resolve different versions; npm-locked/package-lock.json pins it',
      ],
      [
        'npm-range',
        'medium',
        'npm-unlocked/package.json:5',
        'caret is declared as "^1.2.3", a range: installs may resolve different versions',
      ],
      [
        'npm-range',
        'medium',
        'npm-unlocked/package.json:6',
        'tilde is declared as "~1.2.3", a range: installs may resolve different versions',
      ],
      [
        'npm-range',
        'medium',
        'npm-unlocked/package.json:7',
        'star is declared as "*", a range: installs may resolve different versions',
      ],
      [
        'npm-range',
        'medium',
        'npm-unlocked/package.json:8',
        'ex is declared as "1.x", a range: installs may resolve different versions',
      ],
      [
        'npm-range',
        'medium',
        'npm-unlocked/package.json:9',
        'open is declared as ">=2.0.0", a range: installs may resolve different versions',
      ],
      [
        'npm-tag',
        'medium',
        'npm-unlocked/package.json:10',
        'tagged is declared as "latest", not a version range (a dist-tag?): it moves to whatever is published next',
      ],
      [
        'npm-git-unpinned',
        'medium',
        'npm-unlocked/package.json:11',
        'gitmoving comes from git "git+https://git.example.com/acme/lib.git#main" without a full commit: the branch or tag can move',
      ],
      [
        'npm-git-unpinned',
        'medium',
        'npm-unlocked/package.json:13',
        'shorthand comes from git "acme/lib" without a full commit: the branch or tag can move',
      ],
      [
        'npm-url',
        'medium',
        'npm-unlocked/package.json:14',
        'tarball is a tarball URL "https://npm.example.com/tarball/lib-1.0.0.tgz": what it serves can change',
      ],
      [
        'npm-range',
        'medium',
        'npm-unlocked/package.json:15',
        'aliased is declared as "npm:real@^2.0.0", a range: installs may resolve different versions',
      ],
      [
        'npm-range',
        'medium',
        'npm-unlocked/package.json:17',
        '__proto__ is declared as "^1.0.0", a range: installs may resolve different versions',
      ],
      [
        'pipfile-wildcard',
        'medium',
        'pipfile/Pipfile:8',
        'requests allows any version and no lockfile pins it: each install may resolve a different version',
      ],
      [
        'pipfile-wildcard',
        'medium',
        'pipfile/Pipfile:9',
        'urllib3 allows ">=1.26" and no lockfile pins it: each install may resolve a different version',
      ],
      [
        'pipfile-wildcard',
        'medium',
        'pipfile/Pipfile:13',
        'pytest allows ">=7" and no lockfile pins it: each install may resolve a different version',
      ],
      [
        'pyproject-unlocked-range',
        'medium',
        'pyproject/pyproject.toml:6',
        'requests allows ">=2.19" and no lockfile pins it: each install may resolve a different version',
      ],
      [
        'pyproject-unlocked-range',
        'medium',
        'pyproject/pyproject.toml:7',
        'six allows any version and no lockfile pins it: each install may resolve a different version',
      ],
      [
        'pyproject-unlocked-range',
        'medium',
        'pyproject/pyproject.toml:11',
        'pyyaml allows "~=6.0" and no lockfile pins it: each install may resolve a different version',
      ],
      [
        'python-unpinned',
        'medium',
        'requirements/requirements.txt:2',
        'requests allows ">=2.19": pin it with == (pip-compile writes pinned requirements)',
      ],
      [
        'python-unpinned',
        'medium',
        'requirements/requirements.txt:3',
        'six allows any version: pin it with == (pip-compile writes pinned requirements)',
      ],
      [
        'python-unpinned',
        'medium',
        'requirements/requirements.txt:6',
        'gitpkg comes from git without a full commit: the branch or tag can move',
      ],
    ]);
  });

  it('requireExact: ranges a lockfile pins take the policy severity', async () => {
    const rows = await run('manifests', withPinning({ severity: 'high', requireExact: true }));
    expect(rows.filter((r) => r[2]?.startsWith('npm-locked/'))).toEqual([
      [
        'npm-range',
        'high',
        'npm-locked/package.json:6',
        '@isaacs/cliui is declared as "^8.0.0", a range: installs may resolve different versions; npm-locked/package-lock.json pins it, but requireExact asks for an exact version in the manifest',
      ],
      [
        'npm-range',
        'high',
        'npm-locked/package.json:9',
        'mkdirp is declared as "~0.5.1", a range: installs may resolve different versions; npm-locked/package-lock.json pins it, but requireExact asks for an exact version in the manifest',
      ],
    ]);
  });

  it('requireHashes: requirements without --hash', async () => {
    const rows = await run('manifests', withPinning({ requireHashes: true }));
    expect(rows.filter((r) => r[0] === 'python-no-hash').map((r) => r[2])).toEqual([
      'requirements/requirements.txt:1',
      'requirements/requirements.txt:2',
      'requirements/requirements.txt:3',
    ]);
  });

  it('does nothing when disabled', async () => {
    expect(await run('manifests', withPinning({ enabled: false }))).toEqual([]);
  });
});
