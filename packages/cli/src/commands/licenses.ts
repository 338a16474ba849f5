// `supplyaudit licenses [path]`: the license of every package, where it was found, and the
// verdict against the config's allow and deny lists.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  checkLicenses,
  defaultDatabaseDir,
  inventory,
  loadConfig,
  type LicenseCheckResult,
  type LicenseEntry,
} from '@supplyaudit/core';
import Table from 'cli-table3';
import {
  allDiagnostics,
  escapeControl,
  formatDiagnosticLine,
  inventoryExitCode,
} from '../render-inventory.js';
import { registerCommand } from '../run.js';

export const LICENSES_FORMATS = ['table', 'json'] as const;
export type LicensesFormat = (typeof LICENSES_FORMATS)[number];

/** `{ packages: [...], findings: [...], warnings: [...] }`, stable keys, nulls for absent values. */
export function licensesToJson(result: LicenseCheckResult): string {
  const packages = result.entries.map((e) => ({
    ecosystem: e.ecosystem,
    name: e.package,
    version: e.version ?? null,
    purl: e.purl,
    license: e.license ?? null,
    declared: e.declared ?? null,
    source: e.source,
    verdict: e.verdict,
    location: { file: e.location.file, line: e.location.line },
    exceptionReason: e.exceptionReason ?? null,
  }));
  const findings = result.findings.map((f) => ({
    id: f.id,
    severity: f.severity,
    package: f.package ?? null,
    location: f.location ?? null,
    message: f.message,
  }));
  return `${JSON.stringify({ packages, findings, warnings: result.warnings }, null, 2)}\n`;
}

function licenseCell(e: LicenseEntry): string {
  const license = e.license ?? '-';
  return escapeControl(e.declared === undefined ? license : `${license} (declared ${e.declared})`);
}

export function renderLicensesTable(result: LicenseCheckResult): string {
  if (result.entries.length === 0) return 'No third-party packages found.\n';
  const table = new Table({
    head: ['package', 'version', 'license', 'from', 'verdict'],
    style: { head: [], border: [] },
  });
  for (const e of result.entries) {
    table.push([
      escapeControl(e.package),
      escapeControl(e.version ?? '-'),
      licenseCell(e),
      e.source,
      e.verdict,
    ]);
  }
  const counts = new Map<string, number>();
  for (const e of result.entries) counts.set(e.verdict, (counts.get(e.verdict) ?? 0) + 1);
  const summary = [...counts].map(([v, n]) => `${String(n)} ${v}`).join(', ');
  return `${table.toString()}\n${String(result.entries.length)} packages: ${summary}\n`;
}

/** 1 when a package is denied or not allowed, else 0 (3 for unreadable files is decided by the caller). */
export function licensesExitCode(result: LicenseCheckResult): 0 | 1 {
  return result.entries.some((e) => e.verdict === 'denied' || e.verdict === 'not-allowed') ? 1 : 0;
}

registerCommand((cli, ctx) =>
  cli.command(
    'licenses [path]',
    'List the license of every package and its verdict against the allow/deny lists',
    (y) =>
      y
        .positional('path', { type: 'string', description: 'Directory to scan (default: .)' })
        .option('format', {
          choices: LICENSES_FORMATS,
          description: 'Output format (table on a terminal, json otherwise)',
        })
        .option('offline', {
          type: 'boolean',
          description: 'Only local sources (lockfiles, installed packages): no registry requests',
        })
        .example('$0 licenses --offline', 'Licenses from lockfiles and installed packages only'),
    async (argv) => {
      const { io } = ctx;
      const root = resolve(io.cwd, argv.path ?? '.');
      const explicit = argv['config'];
      const { config } = await loadConfig(root, {
        ...(typeof explicit === 'string' ? { explicit: resolve(io.cwd, explicit) } : {}),
        ...(argv.offline === true ? { overrides: { offline: true } } : {}),
      });
      const inv = await inventory(root, {
        exclude: config.exclude,
        maxFileBytes: config.maxFileBytes,
      });
      const proxy = io.env['HTTPS_PROXY'] ?? io.env['https_proxy'];
      const result = await checkLicenses(inv, config, {
        // beside the offline OSV database, in the per-user cache folder
        cacheDir: join(
          dirname(defaultDatabaseDir(io.env, process.platform, io.env['HOME'] ?? homedir())),
          'licenses',
        ),
        hostEnv: io.env,
        ...(proxy === undefined || proxy === '' ? {} : { proxy }),
      });
      const format = argv.format ?? (io.stdout.isTTY === true ? 'table' : 'json');
      io.stdout.write(format === 'json' ? licensesToJson(result) : renderLicensesTable(result));
      for (const d of allDiagnostics(inv)) io.stderr.write(`${formatDiagnosticLine(d)}\n`);
      if (argv['quiet'] !== true) {
        for (const w of result.warnings) io.stderr.write(`warning: ${escapeControl(w)}\n`);
      }
      ctx.exitCode = inventoryExitCode(inv) === 3 ? 3 : licensesExitCode(result);
    },
  ),
);
