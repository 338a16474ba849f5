// `supplyaudit inventory [path]`: the packages found, per project.
import { registerCommand } from '../run.js';

registerCommand((cli, ctx) =>
  cli.command(
    'inventory [path]',
    'List every locked package, per project',
    (y) =>
      y
        .positional('path', { type: 'string', description: 'Directory to scan' })
        .option('format', { choices: ['table', 'json'] as const, description: 'Output format' }),
    () => {
      ctx.io.stderr.write('supplyaudit: inventory is not implemented yet\n');
      ctx.exitCode = 3;
    },
  ),
);
