// `supplyaudit db update|status`: fill and inspect the offline OSV database.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import {
  ECOSYSTEMS,
  SupplyAuditError,
  describeAge,
  importOsv,
  openOsvStore,
  resolveDatabaseDir,
  type Ecosystem,
  type StoreStatus,
} from '@supplyaudit/core';
import type { Io } from '../io.js';
import { registerCommand } from '../run.js';
import { usageError } from './options.js';

const STATUS_FORMATS = ['table', 'json'] as const;

function databaseDir(io: Io, flag: string | undefined): string {
  return resolveDatabaseDir({
    flag,
    env: io.env,
    platform: process.platform,
    home: io.env['HOME'] ?? homedir(),
    cwd: io.cwd,
  });
}

function parseEcosystems(values: readonly string[] | undefined): Ecosystem[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const out: Ecosystem[] = [];
  for (const value of values.flatMap((v) => v.split(','))) {
    const name = value.trim();
    if (name === '') continue;
    // Accept any case (`pypi`, `crates.io`), report OSV's spelling.
    const hit = ECOSYSTEMS.find((e) => e.toLowerCase() === name.toLowerCase());
    if (hit === undefined) {
      throw usageError(
        `--ecosystem: unknown ecosystem ${JSON.stringify(name)}; expected some of ${ECOSYSTEMS.join(', ')}`,
      );
    }
    if (!out.includes(hit)) out.push(hit);
  }
  return out;
}

function shortSha(sha: string): string {
  return sha.slice(0, 12);
}

export function renderStatusTable(status: StoreStatus, now: Date): string {
  const head = ['ecosystem', 'records', 'skipped', 'source', 'sha256', 'age'];
  const rows = status.ecosystems.map((e) => [
    e.ecosystem,
    String(e.records),
    String(e.skipped),
    e.source,
    shortSha(e.sha256),
    describeAge(e.importedAt, now),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    `OSV database ${status.dir} (schema ${String(status.schemaVersion)})`,
    line(head),
    ...rows.map(line),
  ].join('\n');
}

registerCommand((cli, ctx) =>
  cli.command('db <command>', 'Fill and inspect the offline OSV database', (db) =>
    db
      .command(
        'update',
        'Fetch or import OSV data into the offline database (atomically)',
        (y) =>
          y
            .option('from', {
              type: 'string',
              description:
                'A folder laid out as <Ecosystem>/all.zip, one zip, or an https URL (default: the osv.dev exports)',
            })
            .option('ecosystem', {
              type: 'string',
              array: true,
              description: `Only these ecosystems (${ECOSYSTEMS.join(', ')})`,
            })
            .option('db', {
              type: 'string',
              description: 'Database folder (default: $SUPPLYAUDIT_DB, else the user cache)',
            })
            .example('$0 db update', 'Download the osv.dev exports of all four ecosystems')
            .example('$0 db update --from ./osv --ecosystem npm', 'Import ./osv/npm/all.zip'),
        async (argv) => {
          const ecosystems = parseEcosystems(argv.ecosystem);
          const dbDir = databaseDir(ctx.io, argv.db);
          let summary;
          try {
            const from =
              argv.from === undefined || /^https?:\/\//i.test(argv.from)
                ? argv.from
                : resolve(ctx.io.cwd, argv.from);
            summary = await importOsv({ dbDir, from, ecosystems });
          } catch (error) {
            if (error instanceof SupplyAuditError && error.code === 'USAGE') throw error;
            ctx.io.stderr.write(
              `supplyaudit: db update failed: ${error instanceof Error ? error.message : String(error)}\n`,
            );
            ctx.exitCode = 3;
            return;
          }
          const quiet = argv['quiet'] === true;
          for (const d of summary.diagnostics) {
            if (!quiet) ctx.io.stderr.write(`warning: ${d.file}: ${d.message}\n`);
          }
          for (const e of summary.ecosystems) {
            ctx.io.stdout.write(
              `${e.ecosystem}: ${String(e.records)} records, ${String(e.skipped)} skipped, from ${e.source} (sha256 ${shortSha(e.sha256)})\n`,
            );
          }
          if (summary.kept.length > 0)
            ctx.io.stdout.write(`kept unchanged: ${summary.kept.join(', ')}\n`);
          ctx.io.stdout.write(
            `database updated in ${dbDir} (${(summary.durationMs / 1000).toFixed(1)} s)\n`,
          );
        },
      )
      .command(
        'status',
        'Show per ecosystem: records, skipped, source, checksum and age',
        (y) =>
          y
            .option('db', {
              type: 'string',
              description: 'Database folder (default: $SUPPLYAUDIT_DB, else the user cache)',
            })
            .option('format', {
              choices: STATUS_FORMATS,
              description: 'Output format (default: table)',
            }),
        async (argv) => {
          const dbDir = databaseDir(ctx.io, argv.db);
          const store = await openOsvStore(dbDir);
          try {
            const status = store.status();
            ctx.io.stdout.write(
              argv.format === 'json'
                ? `${JSON.stringify(status, null, 2)}\n`
                : `${renderStatusTable(status, new Date())}\n`,
            );
          } finally {
            await store.close();
          }
        },
      )
      .demandCommand(1, 'Name a db command: update or status.'),
  ),
);
