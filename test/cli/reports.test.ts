// End to end: the four report formats of the built binary on the example and on fixture trees,
// checked against their schemas; stable bytes; nothing meant for terminals when there is none;
// no secret from the environment in any output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLEAN_NPM,
  cleanupScratch,
  copyTree,
  exampleDatabase,
  parseJson,
  readReport,
  runCli,
  sarifSchemaErrors,
  tempDir,
  withoutTimes,
} from './cli-harness.js';

let db: string;

beforeAll(async () => {
  db = await exampleDatabase();
});

afterAll(() => {
  cleanupScratch();
});

const FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
const TREES = [
  ['the example', 'examples/polyglot', 1],
  ['a clean tree', 'test/cli/__fixtures__/clean-npm', 0],
] as const;

describe.each(TREES)('every format on %s', (_name, tree, exitCode) => {
  it.each(FORMATS)('--format %s', async (format) => {
    const r = await runCli(['scan', tree, '--offline', '--db', db, '--format', format]);
    expect(r.code).toBe(exitCode);
    expect(r.stderr).toBe('');
    switch (format) {
      case 'json': {
        const report = readReport(r.stdout);
        expect(report.verdict.exitCode).toBe(exitCode);
        break;
      }
      case 'sarif': {
        const sarif = parseJson(r.stdout);
        expect(sarifSchemaErrors(sarif)).toBeUndefined();
        expect(sarif).toMatchObject({
          version: '2.1.0',
          runs: [{ tool: { driver: { name: 'supplyaudit' } } }],
        });
        if (exitCode === 1) expect(r.stdout).toContain('"ruleId": "GHSA-35jh-r3h4-6jhm"');
        break;
      }
      case 'markdown':
        expect(r.stdout).toMatch(/^#/);
        if (exitCode === 1) expect(r.stdout).toContain('GHSA-35jh-r3h4-6jhm');
        break;
      case 'table':
        expect(r.stdout).toContain(
          exitCode === 1 ? 'Verdict: FAIL (exit 1)' : 'Verdict: PASS (exit 0)',
        );
        break;
    }
  });
});

describe('the report contract', () => {
  it('a failed source still gives a report that validates (complete: false)', async () => {
    const r = await runCli(['scan', CLEAN_NPM, '--offline', '--db', join(tempDir('none'), 'db')]);
    expect(r.code).toBe(3);
    expect(readReport(r.stdout).complete).toBe(false);
  });

  it('the same inputs give the same JSON bytes, apart from startedAt and durationMs', async () => {
    const args = ['scan', 'examples/polyglot', '--offline', '--db', db, '--format', 'json'];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.stdout).not.toBe('');
    expect(withoutTimes(a.stdout)).toBe(withoutTimes(b.stdout));
  });

  it('SARIF too, apart from the invocation times', async () => {
    const args = ['scan', 'examples/polyglot', '--offline', '--db', db, '--format', 'sarif'];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.stdout).toContain('"startTimeUtc": "');
    expect(withoutTimes(a.stdout)).toBe(withoutTimes(b.stdout));
  });

  it('the example table keeps its exact layout (COLUMNS fixes the width)', async () => {
    // --sources osv: which native auditors are installed differs between machines
    const r = await runCli(
      [
        'scan',
        'examples/polyglot',
        '--offline',
        '--db',
        db,
        '--format',
        'table',
        '--sources',
        'osv',
      ],
      {
        env: { COLUMNS: '100' },
      },
    );
    expect(r.code).toBe(1);
    await expect(r.stdout).toMatchFileSnapshot('__snapshots__/example-scan-table.txt');
    for (const line of r.stdout.split('\n').filter((l) => /^[┌│├└]/.test(l)))
      expect(Array.from(line).length).toBeLessThanOrEqual(100);
  });

  it('the table fits a narrow terminal width', async () => {
    const r = await runCli(
      ['scan', 'examples/polyglot', '--offline', '--db', db, '--format', 'table'],
      {
        env: { COLUMNS: '60' },
      },
    );
    const boxed = r.stdout.split('\n').filter((line) => /^[┌│├└]/.test(line));
    expect(boxed.length).toBeGreaterThan(10);
    for (const line of boxed) expect(Array.from(line).length).toBeLessThanOrEqual(60);
  });
});

const ESC = '\x1b';

/** Text without SGR (colour) sequences: ESC [ digits/semicolons m. */
function stripSgr(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ESC && text[i + 1] === '[') {
      let j = i + 2;
      while (j < text.length && '0123456789;'.includes(text[j] ?? 'x')) j++;
      if (text[j] === 'm') {
        i = j;
        continue;
      }
    }
    out += text[i] ?? '';
  }
  return out;
}

describe('no terminal, no terminal noise', () => {
  it.each(FORMATS)(
    '--format %s: no escape sequence on stdout or stderr, no progress',
    async (format) => {
      const r = await runCli([
        'scan',
        'examples/polyglot',
        '--offline',
        '--db',
        db,
        '--format',
        format,
      ]);
      expect(r.stdout.includes(ESC)).toBe(false);
      expect(r.stderr).toBe('');
    },
  );

  it('errors carry no escape sequences either', async () => {
    const r = await runCli(['scan', '--fromat', 'json']);
    expect(r.stderr.includes(ESC)).toBe(false);
  });

  it('FORCE_COLOR turns colour on for a pipe; NO_COLOR does not override it', async () => {
    const forced = await runCli(
      ['scan', 'examples/polyglot', '--offline', '--db', db, '--format', 'table'],
      {
        env: { FORCE_COLOR: '1', NO_COLOR: '1' },
      },
    );
    expect(forced.stdout.includes(ESC)).toBe(true);
    // colour only decorates: without the escapes it is the plain table
    const plain = await runCli([
      'scan',
      'examples/polyglot',
      '--offline',
      '--db',
      db,
      '--format',
      'table',
    ]);
    expect(stripSgr(forced.stdout)).toBe(plain.stdout);
  });

  it('--output writes a table without colour even with FORCE_COLOR', async () => {
    const out = join(tempDir('out'), 'report.txt');
    const r = await runCli(
      ['scan', 'examples/polyglot', '--offline', '--db', db, '--format', 'table', '--output', out],
      { env: { FORCE_COLOR: '1' } },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8').includes(ESC)).toBe(false);
  });
});

describe('secrets from the environment never reach any output', () => {
  const MARKER = 'tok_SUPPLYAUDIT_MARKER_7f3a9c';
  const env = {
    GITHUB_TOKEN: MARKER,
    NPM_TOKEN: MARKER,
    NODE_AUTH_TOKEN: MARKER,
    GH_TOKEN: MARKER,
    PYPI_TOKEN: MARKER,
    CARGO_REGISTRY_TOKEN: MARKER,
    BUNDLE_RUBYGEMS__PKG__GITHUB__COM: MARKER,
    HTTPS_PROXY: `http://user:${MARKER}@127.0.0.1:9`,
  };

  const cases = [
    ...FORMATS.map((f) => ['scan', 'examples/polyglot', '--offline', '--format', f]),
    ['scan', 'examples/polyglot', '--offline', '--format', 'json', '--debug'],
    ['inventory', 'examples/polyglot'],
    ['licenses', 'examples/polyglot', '--offline', '--format', 'json'],
    ['explain', 'CVE-2021-23337', '--path', 'examples/polyglot'],
    ['db', 'status'],
    ['scan', '--fromat', 'json', '--debug'],
  ];
  it.each(cases.map((args) => [args.join(' '), args] as const))('%s', async (_name, args) => {
    const takesDb = ['scan', 'explain', 'db'].includes(args[0] ?? '') && args[1] !== '--fromat';
    const r = await runCli([...args, ...(takesDb ? ['--db', db] : [])], { env });
    expect(r.code).not.toBeNull();
    expect(r.stdout + r.stderr).not.toContain(MARKER);
  });

  it('an online scan through a proxy with credentials does not print them when it fails', async () => {
    const tree = copyTree(CLEAN_NPM, 'proxy');
    const r = await runCli(['scan', tree, '--osv', 'online', '--sources', 'osv', '--debug'], {
      env,
    });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(MARKER);
  });
});
