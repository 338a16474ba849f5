import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import './inventory.js';
import { run } from '../run.js';

let root: string;

function capture(cwd: string, isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (c: string) => (stdout += c), isTTY },
    stderr: { write: (c: string) => (stderr += c) },
    env: {},
    cwd,
  };
  return { io, out: () => stdout, err: () => stderr };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'supplyaudit-cli-inventory-'));
  mkdirSync(join(root, 'app'));
  writeFileSync(join(root, 'app/requirements.txt'), 'requests==2.19.0\n');
  writeFileSync(join(root, 'app/Gemfile'), 'source "https://rubygems.example.com"\n');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('supplyaudit inventory (in process)', () => {
  it('exits 2 with one clear line when the path does not exist', async () => {
    const c = capture(root);
    expect(await run(['inventory', 'missing'], c.io)).toBe(2);
    expect(c.out()).toBe('');
    expect(c.err()).toBe(
      `supplyaudit: ${join(root, 'missing')}: no such directory\nRun supplyaudit --help for usage.\n`,
    );
  });

  it('exits 2 on a bad --format without running the command', async () => {
    const c = capture(root);
    expect(await run(['inventory', '.', '--format', 'xml'], c.io)).toBe(2);
    expect(c.out()).toBe('');
    expect(c.err()).toBe(
      'supplyaudit: Invalid values: Argument: format, Given: "xml", Choices: "table", "json"\nRun supplyaudit --help for usage.\n',
    );
  });

  it('suggests the command a typo was meant to be', async () => {
    const c = capture(root);
    expect(await run(['invntory'], c.io)).toBe(2);
    expect(c.err().split('\n')[0]).toBe(
      'supplyaudit: unknown command invntory. Did you mean inventory?',
    );
  });

  it('exits 2 on a bad --max-file-bytes', async () => {
    const c = capture(root);
    expect(await run(['inventory', '--max-file-bytes', '0'], c.io)).toBe(2);
    expect(c.err()).toBe('supplyaudit: --max-file-bytes takes a positive whole number\n');
  });

  it('prints JSON when stdout is not a terminal, relative to the cwd by default', async () => {
    const c = capture(root);
    expect(await run(['inventory'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({
      projects: [
        {
          ecosystem: 'PyPI',
          manifest: null,
          lockfile: 'app/requirements.txt',
          packages: [
            {
              name: 'requests',
              version: '2.19.0',
              purl: 'pkg:pypi/requests@2.19.0',
              direct: true,
              dev: false,
              location: { file: 'app/requirements.txt', line: 1 },
              source: { type: 'registry' },
            },
          ],
        },
        { ecosystem: 'RubyGems', manifest: 'app/Gemfile', lockfile: null, packages: [] },
      ],
      errors: [],
      warnings: [],
    });
    expect(c.err()).toBe('');
  });

  it('takes one value per --exclude, leaving the path positional', async () => {
    const c = capture('/');
    expect(await run(['inventory', '--exclude', 'app', root], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({ projects: [], errors: [], warnings: [] });
    const t = capture('/', true);
    expect(await run(['inventory', '--exclude', 'Gemfile', root], t.io)).toBe(0);
    expect(t.out().trimEnd().split('\n').at(-1)).toBe('1 package in 1 project (PyPI 1)');
  });

  it('prints a table on a terminal', async () => {
    const c = capture(root, true);
    expect(await run(['inventory', root], c.io)).toBe(0);
    expect(c.out()).toBe(
      [
        'PyPI app/requirements.txt (1 package)',
        '┌──────────┬─────────┬──────────────┬────────────────────────┐',
        '│ name     │ version │ scope        │ location               │',
        '├──────────┼─────────┼──────────────┼────────────────────────┤',
        '│ requests │ 2.19.0  │ prod, direct │ app/requirements.txt:1 │',
        '└──────────┴─────────┴──────────────┴────────────────────────┘',
        '',
        'RubyGems app/Gemfile (no lockfile, 0 packages)',
        '',
        '1 package in 2 projects (PyPI 1, RubyGems 0)',
        '',
      ].join('\n'),
    );
  });
});
