// The root README's "Supported files" table is generated from the per-ecosystem READMEs
// (scripts/gen-supported-files.mjs, `pnpm gen:docs`): this fails when the two drift apart.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = join(repo, 'scripts/gen-supported-files.mjs');
const ECOSYSTEMS = ['npm', 'pypi', 'cargo', 'rubygems'] as const;

function generator(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of what the generator reads: README.md, the registry and the ecosystem READMEs. */
function copyOfRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'supplyaudit-docs-'));
  temps.push(root);
  const files = [
    'README.md',
    'packages/core/src/ecosystems/index.ts',
    ...ECOSYSTEMS.map((id) => `packages/core/src/ecosystems/${id}/README.md`),
  ];
  for (const rel of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    cpSync(join(repo, rel), join(root, rel));
  }
  return root;
}

function tableOf(readme: string): string[] {
  const start = readme.indexOf('<!-- supported-files:start -->');
  const end = readme.indexOf('<!-- supported-files:end -->');
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| ['));
}

describe('README.md supported files table', () => {
  it('matches the ecosystem READMEs (run pnpm gen:docs when this fails)', () => {
    const result = generator('--check');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('README.md: supported files table is up to date\n');
    expect(result.status).toBe(0);
  });

  it('lists every registered ecosystem, in registry order, with each lockfile parser', () => {
    const rows = tableOf(readFileSync(join(repo, 'README.md'), 'utf8'));
    const ecosystems = [...new Set(rows.map((r) => /^\| \[([^\]]+)\]/.exec(r)?.[1]))];
    expect(ecosystems).toEqual(['npm', 'PyPI', 'crates.io', 'RubyGems']);
    const parsers = rows.flatMap((r) => [...r.matchAll(/`([a-z]+\/[a-z-]+)`/g)].map((m) => m[1]));
    expect(parsers).toEqual([
      'npm/package-lock',
      'npm/pnpm-lock',
      'npm/yarn-lock',
      'pypi/poetry-lock',
      'pypi/uv-lock',
      'pypi/pipfile-lock',
      'pypi/requirements',
      'cargo/cargo-lock',
      'rubygems/gemfile-lock',
    ]);
  });

  it('fails --check on a drifted row, and regenerating fixes it', () => {
    const root = copyOfRepo();
    const eco = join(root, 'packages/core/src/ecosystems/cargo/README.md');
    writeFileSync(
      eco,
      readFileSync(eco, 'utf8').replace(
        'formats v1 (cargo < 1.41), v2, v3 and v4',
        'formats v1 to v5',
      ),
    );
    const drifted = generator('--check', '--root', root);
    expect(drifted.status).toBe(1);
    expect(drifted.stderr).toBe(
      'README.md: the supported files table differs from the ecosystem READMEs; run pnpm gen:docs\n',
    );

    expect(generator('--root', root).status).toBe(0);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(tableOf(readme)).toContain(
      '| [crates.io](packages/core/src/ecosystems/cargo/README.md) | `Cargo.lock` | formats v1 to v5 | `cargo/cargo-lock` |',
    );
    expect(generator('--check', '--root', root).status).toBe(0);
  });

  it('fails --check when the README table is edited by hand', () => {
    const root = copyOfRepo();
    const file = join(root, 'README.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('`npm/yarn-lock`', '`npm/yarn`'));
    expect(generator('--check', '--root', root).status).toBe(1);
  });

  it('refuses a registered ecosystem without a README, and a malformed row', () => {
    const root = copyOfRepo();
    rmSync(join(root, 'packages/core/src/ecosystems/rubygems/README.md'));
    const missing = generator('--check', '--root', root);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      'gen-supported-files: packages/core/src/ecosystems/rubygems/README.md: missing (every registered ecosystem has one)\n',
    );

    const other = copyOfRepo();
    const eco = join(other, 'packages/core/src/ecosystems/npm/README.md');
    writeFileSync(
      eco,
      readFileSync(eco, 'utf8').replace(
        '| `yarn.lock` | yarn 1 (classic) and yarn 2+ (berry, `__metadata`) | `npm/yarn-lock` |',
        '| `yarn.lock` | `npm/yarn-lock` |',
      ),
    );
    const malformed = generator('--check', '--root', other);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toBe(
      'gen-supported-files: packages/core/src/ecosystems/npm/README.md:16: expected 3 non-empty cells\n',
    );
  });
});
