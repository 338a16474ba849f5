// `supplyaudit inventory [path]`: the packages found, per project.
import { resolve } from 'node:path';
import { inventory } from '@supplyaudit/core';
import {
  INVENTORY_FORMATS,
  allDiagnostics,
  formatDiagnosticLine,
  inventoryExitCode,
  inventoryToJson,
  renderInventoryTable,
} from '../render-inventory.js';
import { registerCommand } from '../run.js';

registerCommand((cli, ctx) =>
  cli.command(
    'inventory [path]',
    'List every locked package, per project',
    (y) =>
      y
        .positional('path', { type: 'string', description: 'Directory to scan (default: .)' })
        .option('format', {
          choices: INVENTORY_FORMATS,
          description: 'Output format (table on a terminal, json otherwise)',
        })
        .option('exclude', {
          type: 'string',
          array: true,
          // one value per --exclude, so `--exclude x path` keeps `path` positional
          nargs: 1,
          description:
            'Folder names or globs (from the root) to skip, besides node_modules, .git, ...',
        })
        .option('max-file-bytes', {
          type: 'number',
          description: 'Largest manifest or lockfile read (default 64 MiB)',
        }),
    async (argv) => {
      const { io } = ctx;
      const maxFileBytes = argv['max-file-bytes'];
      if (maxFileBytes !== undefined && (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1)) {
        io.stderr.write('supplyaudit: --max-file-bytes takes a positive whole number\n');
        ctx.exitCode = 2;
        return;
      }
      const result = await inventory(resolve(io.cwd, argv.path ?? '.'), {
        ...(argv.exclude === undefined ? {} : { exclude: argv.exclude }),
        ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
      });
      const format = argv.format ?? (io.stdout.isTTY === true ? 'table' : 'json');
      io.stdout.write(format === 'json' ? inventoryToJson(result) : renderInventoryTable(result));
      for (const d of allDiagnostics(result)) io.stderr.write(`${formatDiagnosticLine(d)}\n`);
      ctx.exitCode = inventoryExitCode(result);
    },
  ),
);
