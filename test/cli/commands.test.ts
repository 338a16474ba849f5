// End to end: every command of DESIGN.md through the built binary, and every exit code with the
// case that produces it.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLEAN_NPM,
  EXAMPLE,
  EXAMPLE_OSV,
  cleanupScratch,
  copyTree,
  exampleDatabase,
  parseJson,
  readReport,
  runCli,
  tempDir,
} from './cli-harness.js';

let db: string;

beforeAll(async () => {
  db = await exampleDatabase();
});

afterAll(() => {
  cleanupScratch();
});

describe('exit codes', () => {
  it('0: a clean tree (a lockfile no advisory affects)', async () => {
    const r = await runCli(['scan', CLEAN_NPM, '--offline', '--db', db, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = readReport(r.stdout);
    expect(report.findings).toEqual([]);
    expect(report.verdict).toEqual({
      exitCode: 0,
      reasons: ['no findings at or above the threshold'],
    });
    expect(report.projects).toEqual([
      {
        ecosystem: 'npm',
        manifest: 'package.json',
        lockfile: 'package-lock.json',
        packageCount: 1,
      },
    ]);
    expect(r.stderr).toBe('');
  });

  it('0: the vulnerable example with --fail-on none', async () => {
    const r = await runCli(['scan', EXAMPLE, '--offline', '--db', db, '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(readReport(r.stdout).findings.length).toBeGreaterThan(100);
  });

  it('1: the example, vulnerable on purpose, in all four ecosystems', async () => {
    const r = await runCli(['scan', 'examples/polyglot', '--offline', '--db', db]);
    expect(r.code).toBe(1);
    const report = readReport(r.stdout);
    expect(report.complete).toBe(true);
    const ecosystems = new Set(
      report.findings.filter((f) => f.kind === 'vulnerability').map((f) => f.package?.ecosystem),
    );
    expect([...ecosystems].sort()).toEqual(['PyPI', 'RubyGems', 'crates.io', 'npm']);
    const ids = report.findings.map(
      (f) => `${f.id} ${f.package?.name ?? ''}@${f.package?.version ?? ''}`,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'GHSA-35jh-r3h4-6jhm lodash@4.17.15',
        'GHSA-xvch-5gv4-984h minimist@1.2.0',
        'PYSEC-2021-142 pyyaml@5.3.1',
        'RUSTSEC-2021-0003 smallvec@0.6.13',
        'GHSA-c6qg-cjj8-47qp rack@2.0.1',
      ]),
    );
    expect(report.verdict.exitCode).toBe(1);
  });

  it.each([
    [
      ['scan', '--format', 'xml'],
      'supplyaudit: Invalid values: Argument: format, Given: "xml", Choices: "table", "json", "sarif", "markdown"',
    ],
    [['scan', '--fromat', 'json'], 'supplyaudit: unknown option --fromat. Did you mean --format?'],
    [['scna'], 'supplyaudit: unknown command scna. Did you mean scan?'],
    [['db', 'stauts'], 'supplyaudit: unknown command db stauts. Did you mean db status?'],
    [
      ['scan', '--sources', 'osv,snyk'],
      'supplyaudit: --sources: unknown source "snyk"; expected some of osv, npm-audit, pnpm-audit, yarn-audit, pip-audit, cargo-audit, bundler-audit',
    ],
  ])('2: bad usage %j, one line and nothing on stdout', async (args, line) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\nRun supplyaudit --help for usage.\n`);
  });

  it('2: a bad environment variable is a usage error', async () => {
    const r = await runCli(['scan', CLEAN_NPM, '--offline', '--db', db], {
      env: { SUPPLYAUDIT_FAIL_ON: 'severe' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'supplyaudit: SUPPLYAUDIT_FAIL_ON: expected one of critical, high, medium, low, none, got severe',
    );
  });

  it('2: a bad config file, every problem with its path, nothing scanned', async () => {
    const tree = copyTree(CLEAN_NPM, 'bad-config');
    writeFileSync(
      join(tree, 'supplyaudit.config.json'),
      JSON.stringify({ failOn: 'severe', osv: { mode: 'sometimes' }, colour: true }),
    );
    const r = await runCli(['scan', tree, '--offline', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `supplyaudit: ${join(tree, 'supplyaudit.config.json')}: invalid configuration`,
    );
    expect(r.stderr).toContain('  failOn: ');
    expect(r.stderr).toContain('  osv.mode: ');
    expect(r.stderr).toContain('  colour: unknown key');
    expect(r.stderr).not.toContain('    at ');
  });

  it('3: the OSV API unreachable (--osv online, apiUrl on a closed loopback port)', async () => {
    const tree = copyTree(CLEAN_NPM, 'unreachable');
    writeFileSync(
      join(tree, 'supplyaudit.config.json'),
      JSON.stringify({ osv: { apiUrl: 'http://127.0.0.1:9' } }),
    );
    const r = await runCli(['scan', tree, '--osv', 'online', '--sources', 'osv']);
    expect(r.code).toBe(3);
    const report = readReport(r.stdout);
    expect(report.complete).toBe(false);
    expect(report.sources).toEqual([
      {
        name: 'osv',
        status: 'failed',
        durationMs: expect.any(Number) as unknown,
        reason:
          'POST http://127.0.0.1:9/v1/querybatch: network error (fetch failed) (gave up after 4 attempts)',
      },
    ]);
    expect(report.verdict.exitCode).toBe(3);
  });

  it('3: a truncated lockfile; the rest of the tree is still reported', async () => {
    const tree = copyTree(EXAMPLE, 'truncated');
    const lock = join(tree, 'rust/Cargo.lock');
    const text = readFileSync(lock, 'utf8');
    writeFileSync(lock, text.slice(0, 700));
    const r = await runCli(['scan', tree, '--offline', '--db', db]);
    expect(r.code).toBe(3);
    const report = readReport(r.stdout);
    expect(report.complete).toBe(false);
    expect(report.verdict.reasons.some((x) => x.includes('rust/Cargo.lock'))).toBe(true);
    // the npm, PyPI and RubyGems findings are still there
    const ecosystems = new Set(
      report.findings.filter((f) => f.kind === 'vulnerability').map((f) => f.package?.ecosystem),
    );
    expect([...ecosystems].sort()).toEqual(['PyPI', 'RubyGems', 'npm']);
    expect(report.projects.find((p) => p.lockfile === 'rust/Cargo.lock')?.packageCount).toBe(0);
  });

  it('3: --offline without a database: OSV failed, said why', async () => {
    const r = await runCli(['scan', CLEAN_NPM, '--offline', '--db', join(tempDir('nodb'), 'db')]);
    expect(r.code).toBe(3);
    const report = readReport(r.stdout);
    expect(report.sources[0]?.status).toBe('failed');
    expect(report.sources[0]?.reason).toContain('run supplyaudit db update');
  });
});

describe('every command', () => {
  it('inventory: JSON per project, and a table with --format table', async () => {
    const json = await runCli(['inventory', EXAMPLE]);
    expect(json.code).toBe(0);
    const doc = parseJson(json.stdout);
    expect(doc).toMatchObject({ projects: expect.any(Array) as unknown });
    const table = await runCli(['inventory', EXAMPLE, '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('web/package-lock.json');
  });

  it('db update then db status (table and JSON)', async () => {
    const dir = join(tempDir('db-cmd'), 'osv');
    const update = await runCli(['db', 'update', '--from', EXAMPLE_OSV, '--db', dir]);
    expect(update.code).toBe(0);
    const status = await runCli(['db', 'status', '--db', dir, '--format', 'json']);
    expect(status.code).toBe(0);
    const text = status.stdout;
    for (const [ecosystem, records] of [
      ['npm', 14],
      ['PyPI', 146],
      ['crates.io', 7],
      ['RubyGems', 154],
    ] as const) {
      expect(text).toMatch(
        new RegExp(
          `"ecosystem": "${ecosystem.replace('.', '\\.')}",\\s*"records": ${String(records)},`,
        ),
      );
    }
    const table = await runCli(['db', 'status', '--db', dir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('RubyGems');
  });

  it('licenses --offline', async () => {
    const r = await runCli(['licenses', CLEAN_NPM, '--offline', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('is-number');
    expect(r.stdout).toContain('MIT');
  });

  it('init writes a config that scan accepts, and refuses to overwrite it', async () => {
    const tree = copyTree(CLEAN_NPM, 'init');
    const first = await runCli(['init', tree]);
    expect(first.code).toBe(0);
    const files = [
      'supplyaudit.config.json',
      '.supplyauditrc.yaml',
      '.supplyauditrc.yml',
      '.supplyauditrc.json',
    ];
    const written = files.filter((f) => existsSync(join(tree, f)));
    expect(written).toHaveLength(1);
    expect(first.stdout).toBe(`wrote ${join(tree, written[0] ?? '')}\n`);
    const again = await runCli(['init', tree]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; use --force to overwrite it');
    const scan = await runCli(['scan', tree, '--offline', '--db', db]);
    expect(scan.code).toBe(0);
  });

  it('explain: an advisory by alias, with the packages here it affects (exit 0)', async () => {
    const r = await runCli(['explain', 'CVE-2021-23337', '--path', EXAMPLE, '--db', db]);
    expect(r.code).toBe(0);
    const doc = parseJson(r.stdout);
    expect(doc).toMatchObject({
      query: 'CVE-2021-23337',
      advisories: [
        {
          id: 'GHSA-35jh-r3h4-6jhm',
          aliases: ['CVE-2021-23337'],
          summary: 'Command Injection in lodash',
          fixedVersions: ['4.17.21'],
        },
      ],
      affects: [
        {
          advisory: 'GHSA-35jh-r3h4-6jhm',
          ecosystem: 'npm',
          name: 'lodash',
          version: '4.17.19',
          location: { file: 'pnpm-workspace/pnpm-lock.yaml', line: 32 },
          fixedVersions: ['4.17.21'],
        },
        {
          advisory: 'GHSA-35jh-r3h4-6jhm',
          ecosystem: 'npm',
          name: 'lodash',
          version: '4.17.15',
          location: { file: 'web/package-lock.json', line: 254 },
          fixedVersions: ['4.17.21'],
        },
      ],
    });
  });

  it('explain: the table names the ranges, fixes and where each affected package is', async () => {
    const r = await runCli([
      'explain',
      'RUSTSEC-2021-0003',
      '--path',
      'examples/polyglot',
      '--db',
      db,
      '--format',
      'table',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 6)).toEqual([
      'RUSTSEC-2021-0003  Buffer overflow in SmallVec::insert_many',
      '  aliases    CVE-2021-25900, GHSA-43w2-9j62-hq99',
      '  severity   critical 9.8',
      '             CVSS_V3 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      '  dates      published 2021-01-08, modified 2026-07-17',
      '  affected   crates.io smallvec: >=0.6.3 <0.6.14, >=1.0.0 <1.6.1',
    ]);
    expect(r.stdout).toContain(
      'Affects 1 package under examples/polyglot:\n  crates.io smallvec@0.6.13  rust/Cargo.lock:',
    );
  });

  it('explain: an advisory that exists but affects no version here still exits 0', async () => {
    // GHSA-jf85-cpcp-j695 (lodash prototype pollution) is fixed in 4.17.12, below both lodashes here
    const r = await runCli([
      'explain',
      'GHSA-jf85-cpcp-j695',
      '--path',
      EXAMPLE,
      '--db',
      db,
      '--format',
      'table',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Affects no package under');
  });

  it('explain: an id the database does not know exits 2 with a clear line', async () => {
    const r = await runCli(['explain', 'GHSA-0000-0000-0000', '--path', EXAMPLE, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(
      /^supplyaudit: GHSA-0000-0000-0000: not in the offline database .* for the \d+ packages under .*examples\/polyglot/,
    );
  });

  it('explain without a database exits 3 and says how to get one', async () => {
    const r = await runCli([
      'explain',
      'CVE-2021-23337',
      '--path',
      EXAMPLE,
      '--db',
      join(tempDir('nodb2'), 'db'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toContain('no OSV database: run supplyaudit db update');
  });

  it.each(['scan', 'inventory', 'db', 'db update', 'db status', 'licenses', 'init', 'explain'])(
    '%s --help exits 0 with usage on stdout',
    async (command) => {
      const r = await runCli([...command.split(' '), '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`supplyaudit ${command}`);
      expect(r.stderr).toBe('');
    },
  );

  it('--version prints the version of the package', async () => {
    const r = await runCli(['--version']);
    const pkg = parseJson(readFileSync(join(EXAMPLE, '../../packages/cli/package.json'), 'utf8'));
    expect(pkg).toMatchObject({ version: r.stdout.trim() });
    expect(r.code).toBe(0);
  });
});
