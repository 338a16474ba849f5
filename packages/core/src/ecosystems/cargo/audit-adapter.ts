// cargo-audit as an advisory source: `cargo-audit audit --json --file=Cargo.lock` with a local
// RustSec database (`--db=DIR --no-fetch`) when one is configured. Vulnerabilities and warnings
// (unmaintained, unsound, notice, yanked) are both reported; warnings as low severity with their
// kind. Facts: shared TOOLS.md section 6; rustsec/rustsec cargo-audit 0.22 `Report`.
import { basename, resolve } from 'node:path';
import { getObject, getString, isJsonObject, type JsonObject } from '../../decode/index.js';
import { assertSafeArgValue, buildChildEnv, runCommand, secretValuesOf } from '../../exec/index.js';
import type { InventoriedProject } from '../../model/index.js';
import {
  getNumber,
  objectArray,
  readJsonDocument,
  stringArray,
  uniqueIds,
  withStderr,
} from '../../sources/tool-output.js';
import type {
  AdapterRunContext,
  AuditorAdapter,
  NativeAdvisory,
  NativeAdvisoryKind,
  NativeToolOptions,
  ParseOutcome,
  ToolOutput,
} from '../../sources/types.js';

export interface CargoAuditArgsInput {
  /** absolute path of Cargo.lock */
  readonly lockfile: string;
  /** a local RustSec database directory; used without fetching */
  readonly db?: string;
}

/**
 * Arguments for the `cargo-audit` binary itself (`cargo-audit audit ...`). It is run directly
 * rather than as `cargo audit`: cargo would first read the scanned repository's
 * `.cargo/config.toml`, whose `[alias]` table could redirect `audit` to any command.
 */
export function cargoAuditArgs(input: CargoAuditArgsInput): string[] {
  assertSafeArgValue(input.lockfile, 'the Cargo.lock path');
  const args = ['audit', '--json', `--file=${input.lockfile}`];
  if (input.db !== undefined) {
    assertSafeArgValue(input.db, 'the RustSec database path');
    args.push(`--db=${input.db}`, '--no-fetch');
  }
  return args;
}

const WARNING_KINDS: Readonly<Record<string, NativeAdvisoryKind>> = {
  unmaintained: 'unmaintained',
  unsound: 'unsound',
  yanked: 'yanked',
  notice: 'notice',
};

/**
 * Parse cargo-audit's JSON report (every schema since 2020: `warnings` keyed by kind). A report
 * from an empty database is a failure: old versions loaded 0 advisories from a missing `--db`
 * and exited 0 (rustsec#1372).
 */
export function parseCargoAudit(output: ToolOutput): ParseOutcome {
  const doc = readJsonDocument('cargo audit', output);
  if (!doc.ok) return doc;
  const report = doc.value;
  if (!isJsonObject(report))
    return { ok: false, reason: 'cargo audit printed JSON that is not an object' };
  const vulnerabilities = getObject(report, 'vulnerabilities');
  if (vulnerabilities === undefined) {
    return {
      ok: false,
      reason: withStderr(
        'cargo audit printed JSON in a shape supplyaudit does not know (no vulnerabilities)',
        output,
      ),
    };
  }
  const database = getObject(report, 'database');
  const count = database === undefined ? undefined : getNumber(database, 'advisory-count');
  if (count === 0) {
    return {
      ok: false,
      reason: 'cargo audit loaded 0 advisories: the RustSec database is empty or missing',
    };
  }
  const advisories: NativeAdvisory[] = [];
  for (const v of objectArray(vulnerabilities, 'list')) {
    const a = toAdvisory(v, 'vulnerability');
    if (a !== undefined) advisories.push(a);
  }
  const warnings = getObject(report, 'warnings') ?? {};
  for (const [key, list] of Object.entries(warnings)) {
    if (!Array.isArray(list)) continue;
    const kind = Object.hasOwn(WARNING_KINDS, key) ? WARNING_KINDS[key] : 'notice';
    for (const w of list) {
      if (!isJsonObject(w)) continue;
      const a = toAdvisory(w, kind ?? 'notice');
      if (a !== undefined) advisories.push(a);
    }
  }
  return { ok: true, advisories };
}

function toAdvisory(entry: JsonObject, listedAs: NativeAdvisoryKind): NativeAdvisory | undefined {
  const pkg = getObject(entry, 'package');
  const name = pkg === undefined ? undefined : getString(pkg, 'name');
  if (pkg === undefined || name === undefined) return undefined;
  const version = getString(pkg, 'version');
  const advisory = getObject(entry, 'advisory');
  const versions = getObject(entry, 'versions');
  const fixedVersions = versions === undefined ? [] : stringArray(versions, 'patched');
  const common = {
    ecosystem: 'crates.io',
    packageName: name,
    ...(version === undefined ? {} : { version }),
    fixedVersions,
    source: 'cargo-audit',
  } as const;
  if (advisory === undefined) {
    // A yanked crate has no advisory; the id names the check, as policy findings do.
    return {
      ...common,
      ids: [`cargo-audit/${listedAs}`],
      severity: 'low',
      title:
        `${name} ${version ?? ''} is ${listedAs === 'yanked' ? 'yanked from crates.io' : listedAs}`.replace(
          '  ',
          ' ',
        ),
      kind: listedAs,
    };
  }
  const informational = getString(advisory, 'informational');
  const kind: NativeAdvisoryKind =
    listedAs === 'vulnerability' && informational !== undefined
      ? ((Object.hasOwn(WARNING_KINDS, informational) ? WARNING_KINDS[informational] : undefined) ??
        'notice')
      : listedAs;
  const cvss = getString(advisory, 'cvss');
  const url = getString(advisory, 'url');
  return {
    ...common,
    ids: uniqueIds([getString(advisory, 'id'), ...stringArray(advisory, 'aliases')]),
    // Severity is not in the report: the merge derives it from the CVSS vector (or other sources).
    // Warnings are low by definition: no known exploitable flaw.
    severity: kind === 'vulnerability' ? 'unknown' : 'low',
    ...(cvss === undefined ? {} : { cvssVector: cvss }),
    title: oneLine(getString(advisory, 'title') ?? ''),
    ...(url === undefined || url === '' ? {} : { url }),
    kind,
  };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

export const cargoAuditAdapter = {
  source: 'cargo-audit',
  ecosystem: 'crates.io',
  binary: 'cargo-audit',
  versionArgs: ['audit', '--version'],
  // JSON report with `warnings` keyed by kind, and `--file`.
  minVersion: '0.17.0',
  offlineBlocker(options: NativeToolOptions) {
    return options.db === undefined
      ? 'cargo audit needs to fetch the RustSec database (configure a local one)'
      : undefined;
  },
  applies(project: InventoriedProject) {
    return (
      project.ecosystem === 'crates.io' &&
      project.lockfile !== undefined &&
      basename(project.lockfile) === 'Cargo.lock'
    );
  },
  async run(ctx: AdapterRunContext): Promise<ParseOutcome> {
    const lockfile = ctx.project.lockfile;
    if (lockfile === undefined) return { ok: false, reason: 'no lockfile' };
    const result = await runCommand({
      file: ctx.toolPath,
      args: cargoAuditArgs({
        lockfile: resolve(ctx.root, lockfile),
        ...(ctx.options.db === undefined ? {} : { db: resolve(ctx.options.db) }),
      }),
      // Not the project directory: cargo-audit would read the repository's .cargo/audit.toml,
      // whose `ignore` list could hide advisories. Ignores belong to supplyaudit's policy.
      cwd: ctx.tmpDir,
      env: buildChildEnv(ctx.hostEnv, {
        extra: { CARGO_TERM_COLOR: 'never', ...ctx.options.env },
        forbiddenRoots: [ctx.root],
      }),
      timeoutMs: ctx.timeoutMs,
      secrets: secretValuesOf(ctx.options.env),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    return parseCargoAudit(result);
  },
} satisfies AuditorAdapter;
