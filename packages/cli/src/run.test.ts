import { describe, expect, it } from 'vitest';
import { VERSION } from '@supplyaudit/core';
import type { Io } from './io.js';
import './commands/index.js';
import { closest, distance, run } from './run.js';

function capture(env: Io['env'] = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (c: string) => (stdout += c), isTTY: false },
    stderr: { write: (c: string) => (stderr += c), isTTY: false },
    env,
    cwd: process.cwd(),
  };
  return { io, out: () => stdout, err: () => stderr };
}

async function usage(...argv: string[]): Promise<{ code: number; line: string; out: string }> {
  const c = capture();
  const code = await run(argv, c.io);
  return { code, line: c.err().split('\n')[0] ?? '', out: c.out() };
}

describe('usage errors name what was typed and what was meant', () => {
  it.each([
    [['scna', '.'], 'supplyaudit: unknown command scna. Did you mean scan?'],
    [['explian', 'X'], 'supplyaudit: unknown command explian. Did you mean explain?'],
    [['db', 'stauts'], 'supplyaudit: unknown command db stauts. Did you mean db status?'],
    [['db', 'upgrade'], 'supplyaudit: unknown command db upgrade. Did you mean db update?'],
    [
      ['frobnicate'],
      'supplyaudit: unknown command frobnicate; expected one of scan, inventory, db, licenses, init, explain',
    ],
    [['scan', '--fromat', 'json'], 'supplyaudit: unknown option --fromat. Did you mean --format?'],
    [
      ['scan', '--fail-onn', 'high'],
      'supplyaudit: unknown option --fail-onn. Did you mean --fail-on?',
    ],
    [['scan', '--ofline'], 'supplyaudit: unknown option --ofline. Did you mean --offline?'],
    [['scan', '--qiet'], 'supplyaudit: unknown option --qiet. Did you mean --quiet?'],
    [['scan', '--zzzzzz'], 'supplyaudit: unknown option --zzzzzz'],
    [['scan', 'a', 'b'], 'supplyaudit: unexpected argument b'],
    [['db'], 'supplyaudit: db needs a subcommand: update, status'],
    [[], 'supplyaudit: name a command (supplyaudit --help lists them)'],
  ])('%j', async (argv, expected) => {
    const r = await usage(...argv);
    expect(r.line).toBe(expected);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });

  it('ends with a pointer to --help', async () => {
    const c = capture();
    await run(['scna'], c.io);
    expect(c.err()).toBe(
      'supplyaudit: unknown command scna. Did you mean scan?\nRun supplyaudit --help for usage.\n',
    );
  });

  it('a bad SUPPLYAUDIT_DEBUG is a usage error too', async () => {
    const c = capture({ SUPPLYAUDIT_DEBUG: 'maybe' });
    expect(await run(['--version'], c.io)).toBe(2);
    expect(c.err()).toContain('SUPPLYAUDIT_DEBUG: expected true or false');
  });
});

describe('help and version', () => {
  it('--version prints the version alone', async () => {
    const c = capture();
    expect(await run(['--version'], c.io)).toBe(0);
    expect(c.out()).toBe(`${VERSION}\n`);
    expect(c.err()).toBe('');
  });

  it('--help lists every command of DESIGN.md, the globals and the exit codes', async () => {
    const c = capture();
    expect(await run(['--help'], c.io)).toBe(0);
    for (const command of [
      'scan [path]',
      'inventory [path]',
      'db',
      'licenses',
      'init',
      'explain <id>',
    ])
      expect(c.out()).toContain(`supplyaudit ${command}`);
    for (const option of ['--config', '--quiet', '--debug', '--version'])
      expect(c.out()).toContain(option);
    expect(c.out()).toContain('Exit codes: 0 passed, 1 policy violated');
  });

  it.each([['scan'], ['explain'], ['init'], ['inventory'], ['db'], ['licenses']])(
    '%s --help shows its options and, where the command has them, examples',
    async (command) => {
      const c = capture();
      expect(await run([command, '--help'], c.io)).toBe(0);
      expect(c.out()).toContain(`supplyaudit ${command}`);
      if (['scan', 'explain', 'init'].includes(command)) expect(c.out()).toContain('Examples:');
    },
  );

  it.each([
    ['scan'],
    ['inventory'],
    ['db', 'update'],
    ['db', 'status'],
    ['licenses'],
    ['init'],
    ['explain'],
  ])(
    '%s %s: no option declares a default in yargs (defaults live in the config schema)',
    async (...command) => {
      const c = capture();
      expect(await run([...command, '--help'], c.io)).toBe(0);
      expect(c.out()).not.toContain('[default:');
    },
  );

  it('scan --help shows the schema default where there is one', async () => {
    const c = capture();
    await run(['scan', '--help'], c.io);
    expect(c.out()).toContain('(default: low)');
  });
});

describe('suggestions', () => {
  it.each([
    ['scan', 'scan', 0],
    ['scna', 'scan', 1],
    ['fromat', 'format', 1],
    ['kitten', 'sitting', 3],
  ])('distance(%s, %s) = %i', (a, b, d) => {
    expect(distance(a, b)).toBe(d);
  });

  it('suggests only what reads as a typo', () => {
    expect(closest('invntory', ['scan', 'inventory'])).toBe('inventory');
    expect(closest('xyz', ['scan', 'init'])).toBeUndefined();
  });
});
