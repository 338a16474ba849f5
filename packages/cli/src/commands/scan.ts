// `supplyaudit scan [path]`: the main job. Flags map onto config keys (defaults live in the config
// schema, never here); the report goes to stdout or --output; the exit code is the verdict's.
import {
  FAIL_ON,
  SOURCE_NAMES,
  loadConfig,
  renderJson,
  renderMarkdown,
  renderSarif,
  renderTable,
  defaultDatabaseDir,
  resolveDatabaseDir,
  scan,
  type Report,
  type ScanLogger,
} from '@supplyaudit/core';
import type { Io } from '../io.js';
import { writeFileAtomic } from '../output.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { registerCommand } from '../run.js';
import { colorEnabled, envFlag, splitList, usageError } from './options.js';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(
  report: Report,
  format: ReportFormat,
  io: Io,
  toFile: boolean,
): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'table':
      return renderTable(report, {
        color: !toFile && colorEnabled(io, io.stdout),
        width: toFile ? 120 : (io.stdout.columns ?? 100),
      });
  }
}

function progressLogger(io: Io, quiet: boolean): ScanLogger | undefined {
  if (quiet || io.stderr.isTTY !== true) return undefined;
  const started = Date.now();
  return {
    progress(event) {
      const elapsed = `${((Date.now() - started) / 1000).toFixed(1)}s`;
      const mark =
        event.status === 'running'
          ? '…'
          : event.status === 'ok'
            ? '✓'
            : event.status === 'skipped'
              ? '-'
              : '✗';
      const reason = event.reason === undefined ? '' : `: ${event.reason}`;
      io.stderr.write(`${mark} ${event.source} ${event.status}${reason} (${elapsed})\n`);
    },
  };
}

registerCommand((cli, ctx) =>
  cli.command(
    'scan [path]',
    'Audit a tree: OSV advisories, native auditors and policy checks',
    (y) =>
      y
        .positional('path', {
          type: 'string',
          description: 'Directory to scan (default: the current one)',
        })
        .option('format', {
          choices: REPORT_FORMATS,
          description: 'Report format (table on a terminal, json otherwise)',
        })
        .option('output', {
          type: 'string',
          description: 'Write the report to this file (atomically) instead of stdout',
        })
        .option('fail-on', {
          choices: FAIL_ON,
          description: 'Lowest severity that fails the run with exit 1',
        })
        .option('sources', {
          type: 'string',
          description: `Comma-separated sources: ${SOURCE_NAMES.join(',')}`,
        })
        .option('osv', {
          choices: ['auto', 'offline', 'online'] as const,
          description: 'Where OSV data comes from',
        })
        .option('offline', { type: 'boolean', description: 'No network at all' })
        .option('db', {
          type: 'string',
          description: 'Offline database folder (default: $SUPPLYAUDIT_DB, else the user cache)',
        })
        .example('$0 scan', 'Scan the current folder, table on a terminal')
        .example(
          '$0 scan . --format sarif --output supplyaudit.sarif',
          'SARIF for GitHub code scanning',
        )
        .example(
          '$0 scan --offline --db ./osv-db --fail-on high',
          'Offline, failing only on high or critical',
        ),
    async (argv) => {
      const { io } = ctx;
      const env = io.env;
      const path = argv.path ?? env['SUPPLYAUDIT_PATH'] ?? '.';
      const sourcesFlag = argv.sources ?? env['SUPPLYAUDIT_SOURCES'];
      const sources =
        sourcesFlag === undefined ? undefined : splitList(sourcesFlag, SOURCE_NAMES, '--sources');
      const failOn = argv['fail-on'] ?? env['SUPPLYAUDIT_FAIL_ON'];
      if (failOn !== undefined && !(FAIL_ON as readonly string[]).includes(failOn)) {
        throw usageError(
          `SUPPLYAUDIT_FAIL_ON: expected one of ${FAIL_ON.join(', ')}, got ${failOn}`,
        );
      }
      const offline = argv.offline ?? envFlag(env, 'SUPPLYAUDIT_OFFLINE');
      const overrides: Record<string, unknown> = {
        ...(failOn === undefined ? {} : { failOn }),
        ...(sources === undefined ? {} : { sources }),
        ...(offline === undefined ? {} : { offline }),
        ...(argv.osv === undefined ? {} : { osv: { mode: argv.osv } }),
      };
      const configFile = (argv['config'] as string | undefined) ?? env['SUPPLYAUDIT_CONFIG'];
      const { config } = await loadConfig(path, {
        ...(configFile === undefined ? {} : { explicit: configFile }),
        overrides,
      });
      const logger = progressLogger(io, argv['quiet'] === true);
      const dbDir = resolveDatabaseDir({
        flag: argv.db ?? config.db,
        env,
        platform: process.platform,
        home: env['HOME'] ?? homedir(),
        cwd: io.cwd,
      });
      const report = await scan({
        path,
        config,
        dbDir,
        cacheDir: join(
          dirname(defaultDatabaseDir(env, process.platform, env['HOME'] ?? homedir())),
          'osv-api',
        ),
        hostEnv: env,
        ...(logger === undefined ? {} : { logger }),
      });
      const fromEnv = env['SUPPLYAUDIT_FORMAT'];
      const envFormat =
        fromEnv === undefined || fromEnv === ''
          ? undefined
          : REPORT_FORMATS.find((f) => f === fromEnv);
      if (fromEnv !== undefined && fromEnv !== '' && envFormat === undefined) {
        throw usageError(
          `SUPPLYAUDIT_FORMAT: expected one of ${REPORT_FORMATS.join(', ')}, got ${fromEnv}`,
        );
      }
      const format: ReportFormat =
        argv.format ??
        envFormat ??
        (io.stdout.isTTY === true && argv.output === undefined ? 'table' : 'json');
      const text = renderReport(report, format, io, argv.output !== undefined);
      if (argv.output === undefined) io.stdout.write(text);
      else await writeFileAtomic(argv.output, text);
      ctx.exitCode = report.verdict.exitCode;
    },
  ),
);
