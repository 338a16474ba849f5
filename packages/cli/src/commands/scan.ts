// `supplyaudit scan [path]`: the main job. Flags map onto config keys (defaults live in the config
// schema, never here); the report goes to stdout or --output; the exit code is the verdict's.
import {
  DEFAULT_CONFIG,
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
} from '@supplyaudit/core';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Io } from '../io.js';
import { writeFileAtomic } from '../output.js';
import { createProgress } from '../progress.js';
import { registerCommand } from '../run.js';
import {
  colorEnabled,
  configFile,
  envFlag,
  isQuiet,
  outputWidth,
  proxyFor,
  splitList,
  usageError,
} from './options.js';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
export const OSV_MODES = ['auto', 'offline', 'online'] as const;
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
        width: outputWidth(io, toFile),
      });
  }
}

/** `--format`, else `SUPPLYAUDIT_FORMAT`, else table on a terminal and json otherwise. */
function chooseFormat(flag: ReportFormat | undefined, io: Io, toFile: boolean): ReportFormat {
  if (flag !== undefined) return flag;
  const fromEnv = io.env['SUPPLYAUDIT_FORMAT'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const hit = REPORT_FORMATS.find((f) => f === fromEnv);
    if (hit === undefined)
      throw usageError(
        `SUPPLYAUDIT_FORMAT: expected one of ${REPORT_FORMATS.join(', ')}, got ${fromEnv}`,
      );
    return hit;
  }
  return io.stdout.isTTY === true && !toFile ? 'table' : 'json';
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T | undefined {
  if (value === undefined || value === '') return undefined;
  const hit = allowed.find((a) => a === value);
  if (hit === undefined)
    throw usageError(`${name}: expected one of ${allowed.join(', ')}, got ${value}`);
  return hit;
}

registerCommand((cli, ctx) =>
  cli.command(
    'scan [path]',
    'Audit a tree: OSV advisories, native auditors and policy checks',
    (y) =>
      y
        .positional('path', {
          type: 'string',
          description: 'Directory to scan (default: the current one) [env SUPPLYAUDIT_PATH]',
        })
        .option('format', {
          choices: REPORT_FORMATS,
          description:
            'Report format (default: table on a terminal, json otherwise) [env SUPPLYAUDIT_FORMAT]',
        })
        .option('output', {
          type: 'string',
          description:
            'Write the report to this file (atomically) instead of stdout [env SUPPLYAUDIT_OUTPUT]',
        })
        .option('fail-on', {
          choices: FAIL_ON,
          description: `Lowest severity that fails the run with exit 1 (default: ${DEFAULT_CONFIG.failOn}) [env SUPPLYAUDIT_FAIL_ON]`,
        })
        .option('sources', {
          type: 'string',
          description: `Comma-separated sources: ${SOURCE_NAMES.join(',')} (default: osv and every native auditor installed) [env SUPPLYAUDIT_SOURCES]`,
        })
        .option('osv', {
          choices: OSV_MODES,
          description: `Where OSV data comes from (default: ${DEFAULT_CONFIG.osv.mode}: the local database when fresh, else the API) [env SUPPLYAUDIT_OSV]`,
        })
        .option('offline', {
          type: 'boolean',
          description: 'No network at all: OSV from the local database [env SUPPLYAUDIT_OFFLINE]',
        })
        .option('db', {
          type: 'string',
          description: 'Offline database folder (default: the user cache) [env SUPPLYAUDIT_DB]',
        })
        .example('$0 scan', 'Scan the current folder, table on a terminal')
        .example(
          '$0 scan . --format sarif --output supplyaudit.sarif',
          'SARIF for GitHub code scanning',
        )
        .example(
          '$0 scan --offline --db ./osv-db --fail-on high',
          'Offline, failing only on high or critical',
        )
        .example('$0 scan --format json --fail-on none > report.json', 'JSON, never failing'),
    async (argv) => {
      const { io } = ctx;
      const env = io.env;
      const path = argv.path ?? env['SUPPLYAUDIT_PATH'] ?? '.';
      const sourcesFlag = argv.sources ?? env['SUPPLYAUDIT_SOURCES'];
      const sources =
        sourcesFlag === undefined ? undefined : splitList(sourcesFlag, SOURCE_NAMES, '--sources');
      const failOn =
        argv['fail-on'] ?? oneOf(env['SUPPLYAUDIT_FAIL_ON'], FAIL_ON, 'SUPPLYAUDIT_FAIL_ON');
      const osvMode = argv.osv ?? oneOf(env['SUPPLYAUDIT_OSV'], OSV_MODES, 'SUPPLYAUDIT_OSV');
      const offline = argv.offline ?? envFlag(env, 'SUPPLYAUDIT_OFFLINE');
      const output = argv.output ?? nonEmpty(env['SUPPLYAUDIT_OUTPUT']);
      const toFile = output !== undefined;
      // Checked before the scan, so a bad value costs nothing.
      const format = chooseFormat(argv.format, io, toFile);
      const quiet = isQuiet(argv, env);
      const overrides: Record<string, unknown> = {
        ...(failOn === undefined ? {} : { failOn }),
        ...(sources === undefined ? {} : { sources }),
        ...(offline === undefined ? {} : { offline }),
        ...(osvMode === undefined ? {} : { osv: { mode: osvMode } }),
      };
      const explicit = configFile(argv, env);
      const { config } = await loadConfig(path, {
        ...(explicit === undefined ? {} : { explicit }),
        overrides,
      });
      const home = env['HOME'] ?? homedir();
      const dbDir = resolveDatabaseDir({
        flag: argv.db,
        config: config.db,
        env,
        platform: process.platform,
        home,
        cwd: io.cwd,
      });
      // The library never reads the environment: the proxy is decided here, once.
      const osvProxy = config.offline ? undefined : proxyFor(env, config.osv.apiUrl);
      // Registries differ per package; NO_PROXY applies to them only as `*`.
      const registryProxy = config.offline ? undefined : proxyFor(env, 'https://registry.invalid');
      const progress = createProgress(io, {
        quiet,
        color: colorEnabled(io, io.stderr),
        debug: argv['debug'] === true || envFlag(env, 'SUPPLYAUDIT_DEBUG') === true,
      });
      let report: Report;
      try {
        report = await scan({
          path,
          config,
          dbDir,
          cacheDir: dirname(defaultDatabaseDir(env, process.platform, home)),
          hostEnv: env,
          ...(progress.logger === undefined ? {} : { logger: progress.logger }),
          ...(osvProxy === undefined ? {} : { osvHttp: { http: { proxy: osvProxy } } }),
          ...(registryProxy === undefined ? {} : { proxy: registryProxy }),
        });
      } catch (error) {
        progress.stop();
        throw error;
      }
      progress.finish(report);
      const text = renderReport(report, format, io, toFile);
      if (output === undefined) io.stdout.write(text);
      else await writeFileAtomic(resolve(io.cwd, output), text);
      ctx.exitCode = report.verdict.exitCode;
    },
  ),
);

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
