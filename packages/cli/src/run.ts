// The CLI: parses argv with yargs, runs one command over core, and maps every outcome to an exit
// code. Usage mistakes (a mistyped command or option, a bad value) are one line on stderr that
// says what was meant, and exit 2 before any command runs.
import { SupplyAuditError, VERSION, describeError, exitCodeFor } from '@supplyaudit/core';
import yargs, { type Argv } from 'yargs';
import type { Io } from './io.js';
import { envFlag } from './commands/options.js';

export type { Io } from './io.js';

interface CommandContext {
  readonly io: Io;
  exitCode: number;
}

type Builder = (cli: Argv, ctx: CommandContext) => Argv;

const commands: Builder[] = [];

/** Register a command module. Each module calls this once at import. */
export function registerCommand(builder: Builder): void {
  commands.push(builder);
}

/** Options every command takes; their environment variables are read by the commands. */
const GLOBAL_VALUE_OPTIONS = new Set(['config']);

/** Run the CLI with the given arguments (without `node` and the script); returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const ctx: CommandContext = { io, exitCode: 0 };
  let debug = argv.includes('--debug');
  try {
    debug ||= envFlag(io.env, 'SUPPLYAUDIT_DEBUG') === true;
  } catch (error) {
    return reportError(error, io, false);
  }
  let cli: Argv = yargs([...argv])
    .scriptName('supplyaudit')
    .usage('supplyaudit <command> [options]\n\nAudit a repository’s software supply chain.')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, 'name a command (supplyaudit --help lists them)')
    .option('config', {
      type: 'string',
      global: true,
      description: 'Config file to use instead of looking for one [env SUPPLYAUDIT_CONFIG]',
    })
    .option('quiet', {
      type: 'boolean',
      global: true,
      description: 'No progress or notes: only the result [env SUPPLYAUDIT_QUIET]',
    })
    .option('debug', {
      type: 'boolean',
      global: true,
      description: 'Show stack traces of errors [env SUPPLYAUDIT_DEBUG]',
    })
    .epilog(
      'Exit codes: 0 passed, 1 policy violated, 2 usage or configuration error, 3 scan incomplete.\nDocs: docs/cli.md',
    )
    .wrap(Math.min(100, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message: string | null, error: Error | undefined) => {
      // Throwing stops yargs before any handler runs with arguments it rejected.
      if (error) throw error;
      throw new SupplyAuditError('USAGE', describeUsage(message ?? '', argv, cli));
    });
  for (const command of commands) cli = command(cli, ctx);
  let output = '';
  try {
    await cli.parseAsync([...argv], {}, (_err: unknown, _argv: unknown, text: string) => {
      output = text;
    });
  } catch (error) {
    return reportError(error, io, debug);
  }
  if (output !== '') io.stdout.write(`${output}\n`);
  return ctx.exitCode;
}

function reportError(error: unknown, io: Io, debug: boolean): number {
  const code = exitCodeFor(error);
  if (error instanceof SupplyAuditError) {
    io.stderr.write(`supplyaudit: ${error.message}\n`);
    if (error.code === 'USAGE') io.stderr.write('Run supplyaudit --help for usage.\n');
  } else {
    io.stderr.write(`supplyaudit: internal error: ${describeError(error)}\n`);
    if (!debug) io.stderr.write('Run again with --debug for details, and report it.\n');
  }
  if (debug && error instanceof Error && error.stack !== undefined)
    io.stderr.write(`${error.stack}\n`);
  return code;
}

/** yargs' message rewritten as one line that names what was typed and what was meant. */
export function describeUsage(message: string, argv: readonly string[], cli: Argv): string {
  const text = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  const words = positionals(argv);
  const context = commandPath(cli);
  const meant = /^Did you mean (.+)\?$/.exec(text)?.[1];
  if (meant !== undefined) {
    // recommendCommands: the mistyped word is the one after the commands already matched.
    const typed = words[context.length] ?? words.find((w) => distance(w, meant) <= 3) ?? '?';
    return `unknown command ${[...context, typed].join(' ')}. Did you mean ${[...context, meant].join(' ')}?`;
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(text)?.[1];
  if (unknown !== undefined) {
    // yargs lists `--fail-onn` twice, as `fail-onn` and `failOnn`.
    const given = unknown.split(', ');
    const names = given.filter((n) => !given.some((o) => o !== n && camel(o) === n));
    const first = names[0] ?? '';
    if (
      words[context.length] === first &&
      !argv.includes(`--${first}`) &&
      !argv.includes(`-${first}`)
    ) {
      const known = subcommands(cli);
      if (known.length > 0) {
        const near = closest(first, known);
        return near === undefined
          ? `unknown command ${[...context, first].join(' ')}; expected one of ${known.join(', ')}`
          : `unknown command ${[...context, first].join(' ')}. Did you mean ${[...context, near].join(' ')}?`;
      }
      return `unexpected argument ${first}`;
    }
    const options = optionNames(cli);
    return names
      .map((name) => {
        const flag = name.length === 1 ? `-${name}` : `--${name}`;
        if (!argv.some((a) => a === flag || a.startsWith(`${flag}=`)))
          return `unexpected argument ${name}`;
        const near = closest(name, options);
        return near === undefined
          ? `unknown option ${flag}`
          : `unknown option ${flag}. Did you mean --${near}?`;
      })
      .join('; ');
  }
  if (text.startsWith('Not enough non-option arguments')) {
    const known = subcommands(cli);
    if (context.length > 0 && known.length > 0)
      return `${context.join(' ')} needs a subcommand: ${known.join(', ')}`;
    return context.length === 0
      ? 'name a command (supplyaudit --help lists them)'
      : `${context.join(' ')}: missing argument`;
  }
  return text === '' ? 'invalid usage' : text;
}

/** Non-option words of argv, skipping the values of global options given as `--config FILE`. */
function positionals(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (GLOBAL_VALUE_OPTIONS.has(a.replace(/^--?/, ''))) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

// yargs keeps the state of the command being parsed on its instance but declares no types for
// it; these read it defensively (a missing method means no suggestion, never a crash).
function call(target: unknown, method: string): unknown {
  if (typeof target !== 'object' || target === null) return undefined;
  const fn: unknown = Reflect.get(target, method);
  if (typeof fn !== 'function') return undefined;
  const value: unknown = Reflect.apply(fn, target, []);
  return value;
}

function field(target: unknown, key: string): unknown {
  if (typeof target !== 'object' || target === null || !Object.hasOwn(target, key))
    return undefined;
  const value: unknown = Reflect.get(target, key);
  return value;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The commands matched so far (`['db']` while parsing `db stauts`). */
function commandPath(cli: Argv): string[] {
  return strings(field(call(call(cli, 'getInternalMethods'), 'getContext'), 'commands'));
}

function camel(name: string): string {
  return name.replace(/-+([^-])/g, (_m, c: string) => c.toUpperCase());
}

/** DESIGN.md's order, for lists in messages; commands not named here come after. */
const COMMAND_ORDER = ['scan', 'inventory', 'db', 'licenses', 'init', 'explain', 'monitor'];

/** Subcommands of the command being parsed (top-level commands at the top). */
function subcommands(cli: Argv): string[] {
  const internal = call(cli, 'getInternalMethods');
  const rank = (c: string) => {
    const i = COMMAND_ORDER.indexOf(c);
    return i === -1 ? COMMAND_ORDER.length : i;
  };
  return strings(call(call(internal, 'getCommandInstance'), 'getCommands')).sort(
    (a, b) => rank(a) - rank(b),
  );
}

/** Long option names of the command being parsed. */
function optionNames(cli: Argv): string[] {
  const key = field(call(cli, 'getOptions'), 'key');
  if (typeof key !== 'object' || key === null) return [];
  return Object.keys(key).filter((k) => k.length > 1 && !k.includes('_'));
}

/** The nearest candidate within a distance that still reads as a typo, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment) distance, on short words only. */
export function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] ?? [];
      let d = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

export type { CommandContext };
