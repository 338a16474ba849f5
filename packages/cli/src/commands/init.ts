// `supplyaudit init`: write a commented starter config that passes validation.
import { access, open } from 'node:fs/promises';
import { join } from 'node:path';
import { STARTER_CONFIG, STARTER_CONFIG_FILE, SupplyAuditError } from '@supplyaudit/core';
import { registerCommand } from '../run.js';
import { usageError } from './options.js';

registerCommand((cli, ctx) =>
  cli.command(
    'init [path]',
    `Write a commented starter config (${STARTER_CONFIG_FILE})`,
    (y) =>
      y
        .positional('path', {
          type: 'string',
          description: 'Folder to write it in (default: the current one)',
        })
        .option('force', { type: 'boolean', description: 'Overwrite an existing file' })
        .example('$0 init', `Create ./${STARTER_CONFIG_FILE}`),
    async (argv) => {
      const file = join(argv.path ?? '.', STARTER_CONFIG_FILE);
      const exists = await access(file).then(
        () => true,
        () => false,
      );
      if (exists && argv.force !== true)
        throw usageError(`${file} already exists; use --force to overwrite it`);
      try {
        const handle = await open(file, argv.force === true ? 'w' : 'wx', 0o644);
        try {
          await handle.writeFile(STARTER_CONFIG, 'utf8');
        } finally {
          await handle.close();
        }
      } catch (cause) {
        throw new SupplyAuditError('OUTPUT_FAILED', `${file}: cannot write the config`, {
          cause,
          file,
        });
      }
      if (argv['quiet'] !== true) ctx.io.stdout.write(`wrote ${file}\n`);
      ctx.exitCode = 0;
    },
  ),
);
