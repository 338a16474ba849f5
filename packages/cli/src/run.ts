// The CLI: parses argv with yargs, runs one command over core, and maps every outcome to an exit code.
import { SupplyAuditError, VERSION, describeError, exitCodeFor } from '@supplyaudit/core';
import yargs, { type Argv } from 'yargs';
import type { Io } from './io.js';

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

/** Run the CLI with the given arguments (without `node` and the script); returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const ctx: CommandContext = { io, exitCode: 0 };
  const debug = argv.includes('--debug');
  let cli: Argv = yargs([...argv])
    .scriptName('supplyaudit')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command: supplyaudit --help lists them.')
    .option('debug', { type: 'boolean', description: 'Show stack traces of errors' })
    .option('quiet', { type: 'boolean', description: 'Print nothing but the report' })
    .option('config', {
      type: 'string',
      description: 'Config file to use instead of looking for one',
    })
    .wrap(Math.min(100, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message: string | null, error: Error | undefined) => {
      // Throwing stops yargs before any handler runs with arguments it rejected.
      if (error) throw error;
      // One line, and the mistyped command named next to yargs' suggestion.
      let text = (message ?? 'invalid usage')
        .split('\n')
        .map((line) => line.trim())
        .join(' ');
      const typed = argv.find((a) => !a.startsWith('-'));
      if (text.startsWith('Did you mean') && typed !== undefined) {
        text = `unknown command ${typed}. ${text}`;
      }
      throw new SupplyAuditError('USAGE', text);
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

export type { CommandContext };
