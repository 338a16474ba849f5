// The pipeline of DESIGN.md: discover → inventory → sources (parallel) → merge → checks → policy
// → report. The only module (with index.ts) that composes the others.
import { join, resolve } from 'node:path';
import { SupplyAuditError } from './errors.js';
import { checkLockfiles } from './checks/lockfile.js';
import { checkActionsPinning } from './checks/pinning-actions.js';
import { checkDockerfilePinning } from './checks/pinning-docker.js';
import { checkPinning } from './checks/pinning-manifests.js';
import { checkLicenses } from './checks/license.js';
import type { CheckFinding } from './checks/types.js';
import { withParseMemo } from './decode/index.js';
import { nodeFs, readFoundFile } from './discover/index.js';
import { inventory as runInventory } from './inventory.js';
import { fingerprintFinding } from './merge/fingerprint.js';
import { dedupeFindings } from './merge/dedupe.js';
import { findingsFromNative } from './merge/normalise-native.js';
import { ECOSYSTEM_PLUGINS } from './ecosystems/index.js';
import {
  SEVERITIES,
  type Finding,
  type FindingKind,
  type Severity,
  type InventoriedProject,
  type Inventory,
  type Report,
  type SourceName,
  type SourceStatus,
} from './model/index.js';
import { createOsvSource, type OsvLookup, type OsvSourceOptions } from './osv/source.js';
import { openOsvStore, type OsvStore } from './osv/store/index.js';
import { applyIgnores } from './policy/ignores.js';
import { DEFAULT_CONFIG, type Config } from './policy/config.js';
import { decideVerdict } from './policy/verdict.js';
import { createNativeSource } from './sources/native-source.js';
import { runSources } from './sources/run-sources.js';
import type {
  AdvisorySource,
  AuditorAdapter,
  NativeToolOptions,
  SourceResult,
} from './sources/types.js';
import { VERSION } from './version.js';

export interface ScanLogger {
  debug?(message: string): void;
  /** progress: a source started or finished */
  progress?(event: {
    source: SourceName;
    status: 'running' | SourceStatus['status'];
    reason?: string;
  }): void;
}

export interface ScanOptions {
  /** the folder to scan */
  readonly path: string;
  /** validated config (defaults when absent) */
  readonly config?: Config;
  /** the offline database folder; the CLI resolves --db, SUPPLYAUDIT_DB and the cache dir */
  readonly dbDir?: string;
  /** supplyaudit's cache folder: OSV API records under `osv-api/`, registry licenses under `licenses/` */
  readonly cacheDir?: string;
  /** HTTP(S) proxy for registry and OSV requests (the caller reads it from the environment) */
  readonly proxy?: string;
  /** the host environment, read once by the caller (native tools' PATH, HOME, proxies) */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
  /** per-tool settings (explicit binaries, registries, local databases) */
  readonly tools?: Partial<Record<SourceName, NativeToolOptions>>;
  readonly signal?: AbortSignal;
  readonly logger?: ScanLogger;
  /** for tests: the clock */
  readonly now?: () => Date;
  /** for tests and mirrors: HTTP options of the OSV client (e.g. allow loopback http) */
  readonly osvHttp?: OsvSourceOptions['online'];
}

/** The native auditors, one per ecosystem plugin that has one. */
const NATIVE_ADAPTERS: readonly AuditorAdapter[] = ECOSYSTEM_PLUGINS.flatMap((p) =>
  p.auditor === undefined ? [] : [p.auditor],
);
const NATIVE_NAMES = new Set<SourceName>(NATIVE_ADAPTERS.map((a) => a.source));

/** Decide where OSV data comes from, and say so. */
async function osvSourceOptions(
  options: ScanOptions,
  config: Config,
  now: Date,
): Promise<{ osv: OsvSourceOptions; store?: OsvStore }> {
  const offline = config.offline || config.osv.mode === 'offline';
  const notes: string[] = [];
  let store: OsvStore | undefined;
  if (options.dbDir !== undefined && config.osv.mode !== 'online') {
    try {
      store = await openOsvStore(options.dbDir);
    } catch (error) {
      if (offline) {
        const reason = error instanceof SupplyAuditError ? error.message : String(error);
        return { osv: { mode: 'offline', notes: [`osv: ${reason}`] } };
      }
      notes.push('osv: no usable offline database; using the OSV API');
    }
  }
  if (store !== undefined) {
    const ages = store
      .status()
      .ecosystems.map((e) => (now.getTime() - new Date(e.importedAt).getTime()) / 86_400_000);
    const oldest = ages.length === 0 ? Infinity : Math.max(...ages);
    const stale = oldest > config.osv.maxAgeDays;
    if (!stale || offline) {
      if (stale)
        notes.push(
          `osv: the offline database is ${String(Math.floor(oldest))} days old (more than ${String(config.osv.maxAgeDays)}): run supplyaudit db update`,
        );
      const lookup: OsvLookup = store;
      return { osv: { mode: 'offline', store: lookup, notes }, store };
    }
    notes.push(
      `osv: the offline database is ${String(Math.floor(oldest))} days old; using the OSV API instead`,
    );
    await store.close();
    store = undefined;
  }
  if (offline) {
    return {
      osv: {
        mode: 'offline',
        notes: [
          ...notes,
          'osv: no offline database: run supplyaudit db update (or scan without --offline)',
        ],
      },
    };
  }
  return {
    osv: {
      mode: 'online',
      online: {
        baseUrl: config.osv.apiUrl,
        timeoutMs: config.timeouts.httpMs,
        ...(options.cacheDir === undefined ? {} : { cacheDir: join(options.cacheDir, 'osv-api') }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...options.osvHttp,
      },
      notes,
    },
  };
}

/** Per-tool settings: the config's `auditors`, then the caller's (tests, embedding) over them. */
function toolOptions(
  config: Config,
  extra: ScanOptions['tools'],
): Partial<Record<SourceName, NativeToolOptions>> {
  const a = config.auditors;
  const npm = a['npm-audit'];
  const pip = a['pip-audit'];
  const cargo = a['cargo-audit'];
  const bundler = a['bundler-audit'];
  const fromConfig: Partial<Record<SourceName, NativeToolOptions>> = {
    'npm-audit': {
      ...(npm?.binary === undefined ? {} : { binary: npm.binary }),
      ...(npm?.registry === undefined ? {} : { registry: npm.registry }),
      ...(npm?.omitDev === undefined ? {} : { omitDev: npm.omitDev }),
    },
    'pip-audit': {
      ...(pip?.binary === undefined ? {} : { binary: pip.binary }),
      ...(pip?.osvUrl === undefined ? {} : { osvUrl: pip.osvUrl }),
    },
    'cargo-audit': {
      ...(cargo?.binary === undefined ? {} : { binary: cargo.binary }),
      ...(cargo?.db === undefined ? {} : { db: cargo.db }),
    },
    'bundler-audit': {
      ...(bundler?.binary === undefined ? {} : { binary: bundler.binary }),
      ...(bundler?.db === undefined ? {} : { db: bundler.db }),
    },
  };
  const out: Partial<Record<SourceName, NativeToolOptions>> = {};
  for (const name of NATIVE_NAMES) {
    const merged = { ...fromConfig[name], ...extra?.[name] };
    if (Object.keys(merged).length > 0) out[name] = merged;
  }
  return out;
}

function chooseSources(config: Config): { names: SourceName[]; explicit: boolean } {
  if (config.sources !== undefined) return { names: [...new Set(config.sources)], explicit: true };
  return { names: ['osv', ...NATIVE_NAMES], explicit: false };
}

/**
 * Scan a folder. Within one scan each lockfile and manifest is parsed once: the checks reuse what
 * the inventory parsed (see decode/memo.ts).
 */
export function scan(options: ScanOptions): Promise<Report> {
  return withParseMemo(() => runScan(options));
}

async function runScan(options: ScanOptions): Promise<Report> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const started = performance.now();
  const config = options.config ?? DEFAULT_CONFIG;
  const root = resolve(options.path);
  const inv: Inventory = await runInventory(root, {
    exclude: config.exclude,
    maxFileBytes: config.maxFileBytes,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });

  const warnings: string[] = [];
  const { names, explicit } = chooseSources(config);
  const sources: AdvisorySource[] = [];
  let store: OsvStore | undefined;
  if (names.includes('osv')) {
    const chosen = await osvSourceOptions(options, config, startedAt);
    store = chosen.store;
    sources.push(createOsvSource(chosen.osv, (w) => warnings.push(...w)));
  }
  for (const adapter of NATIVE_ADAPTERS) {
    if (names.includes(adapter.source)) sources.push(createNativeSource(adapter));
  }
  const results: SourceResult[] = [];
  try {
    const projects = inv.projects.filter((p) => p.parsed);
    for (const s of sources) options.logger?.progress?.({ source: s.name, status: 'running' });
    results.push(
      ...(await runSources(sources, projects, {
        root,
        hostEnv: options.hostEnv ?? {},
        offline: config.offline,
        timeoutMs: config.timeouts.auditorMs,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        tools: toolOptions(config, options.tools),
      })),
    );
  } finally {
    await store?.close();
  }
  // Asked for, but with nothing to run: the registry retired the endpoints these commands use
  // (docs/adr/0009); OSV covers pnpm and yarn lockfiles.
  for (const name of names) {
    if (name === 'pnpm-audit' || name === 'yarn-audit') {
      results.push({
        name,
        status: 'skipped',
        reason:
          'not available: the registry retired its audit endpoint; OSV covers pnpm and yarn lockfiles',
        advisories: [],
        findings: [],
        durationMs: 0,
      });
    }
  }
  for (const r of results)
    options.logger?.progress?.({
      source: r.name,
      status: r.status,
      ...(r.reason === undefined ? {} : { reason: r.reason }),
    });

  // Native tools that are not installed are simply skipped, unless they were asked for by name.
  const required = new Set<SourceName>([...config.requiredSources, ...(explicit ? names : [])]);
  const statuses: SourceStatus[] = results.map((r) => {
    const status =
      r.status === 'skipped' && required.has(r.name) && r.reason !== 'no project it applies to'
        ? ({
            name: r.name,
            status: 'failed',
            reason: `required but skipped: ${r.reason ?? ''}`,
            durationMs: r.durationMs,
          } as const)
        : {
            name: r.name,
            status: r.status,
            durationMs: r.durationMs,
            ...(r.reason === undefined ? {} : { reason: r.reason }),
          };
    return r.version === undefined ? status : { ...status, version: r.version };
  });

  const raw: Finding[] = [];
  for (const r of results) {
    raw.push(...r.findings);
    if (r.advisories.length > 0)
      raw.push(...findingsFromNative(r.advisories, inv.projects).findings);
    for (const note of r.notes ?? []) warnings.push(`${r.name}: ${note}`);
  }
  const checked = await runChecks(inv, config, warnings);
  if (
    config.checks.license.enabled &&
    (config.licenses.allow.length > 0 || config.licenses.deny.length > 0)
  ) {
    const licenses = await checkLicenses(inv, config, {
      now: startedAt,
      ...(options.hostEnv === undefined ? {} : { hostEnv: options.hostEnv }),
      ...(options.cacheDir === undefined ? {} : { cacheDir: join(options.cacheDir, 'licenses') }),
      ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    warnings.push(...licenses.warnings);
    checked.push(...withFingerprints(licenses.findings));
  }
  const merged = [...dedupeFindings(raw, fingerprintOf), ...checked];
  const ignored = applyIgnores(merged, config.ignores, startedAt);
  warnings.push(...ignored.warnings);
  const findings = sortFindings(ignored.findings);

  const unreadable = inv.projects
    .filter((p) => !p.parsed)
    .map((p) => p.lockfile ?? p.manifest ?? p.dir);
  for (const d of [...inv.diagnostics, ...inv.projects.flatMap((p) => p.diagnostics)]) {
    warnings.push(`${d.file}${d.line === undefined ? '' : `:${String(d.line)}`}: ${d.message}`);
  }
  const verdict = decideVerdict({
    findings,
    sources: statuses,
    failOn: config.failOn,
    unreadable,
    nothingChecked: inv.projects.length === 0,
  });
  return buildReport({
    target: options.path,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    sources: statuses,
    projects: inv.projects,
    findings,
    verdict,
    warnings,
  });
}

/** Pinning and lockfile checks over what the inventory found; policy findings with fingerprints. */
async function runChecks(inv: Inventory, config: Config, warnings: string[]): Promise<Finding[]> {
  const readText = (rel: string): Promise<string | undefined> =>
    readFoundFile(nodeFs, inv.root, rel, config.maxFileBytes).catch((error: unknown) => {
      warnings.push(error instanceof SupplyAuditError ? error.message : `${rel}: cannot read`);
      return undefined;
    });
  const out: CheckFinding[] = [];
  if (config.checks.pinning.enabled) {
    const options = { severity: config.checks.pinning.severity };
    for (const file of inv.policyFiles ?? []) {
      const text = await readText(file.rel);
      if (text === undefined) continue;
      out.push(
        ...(file.kind === 'dockerfile'
          ? checkDockerfilePinning(text, file.rel, options)
          : checkActionsPinning(text, file.rel, options)),
      );
    }
  }
  for (const check of [checkPinning, checkLockfiles]) {
    const result = await check(inv, readText, config);
    out.push(...result.findings);
    for (const d of result.diagnostics) {
      warnings.push(`${d.file}${d.line === undefined ? '' : `:${String(d.line)}`}: ${d.message}`);
    }
  }
  return withFingerprints(out);
}

/** Policy findings are identified by rule, subject and file: stable when lines move. */
function withFingerprints(findings: readonly CheckFinding[]): Finding[] {
  return findings.map(({ subject, ...finding }) => ({
    ...finding,
    fingerprint: fingerprintFinding({
      kind: finding.kind,
      ids: [finding.id],
      name: subject,
      ...(finding.location === undefined ? {} : { file: finding.location.file }),
    }),
  }));
}

/** The stable identity of an advisory finding (see merge/fingerprint.ts). */
export function fingerprintOf(f: Finding): string {
  return fingerprintFinding({
    kind: f.kind,
    ids: [f.id, ...f.aliases],
    ...(f.package === undefined ? {} : { ecosystem: f.package.ecosystem, name: f.package.name }),
    ...(f.package?.version === undefined ? {} : { version: f.package.version }),
    ...(f.location === undefined ? {} : { file: f.location.file }),
  });
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) =>
    f.kind === 'malicious' ? 5 : SEVERITIES.length - SEVERITIES.indexOf(f.severity);
  return [...findings].sort(
    (a, b) =>
      rank(b) - rank(a) ||
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.package?.name ?? '').localeCompare(b.package?.name ?? '') ||
      (a.package?.version ?? '').localeCompare(b.package?.version ?? '') ||
      a.id.localeCompare(b.id),
  );
}

interface ReportParts {
  readonly target: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly sources: readonly SourceStatus[];
  readonly projects: readonly InventoriedProject[];
  readonly findings: readonly Finding[];
  readonly verdict: Report['verdict'];
  readonly warnings: readonly string[];
}

export function buildReport(parts: ReportParts): Report {
  const active = parts.findings.filter((f) => f.ignored === undefined);
  const bySeverity: Record<Severity, number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    unknown: 0,
  };
  const byKind: Record<FindingKind, number> = {
    vulnerability: 0,
    malicious: 0,
    license: 0,
    pinning: 0,
    lockfile: 0,
  };
  for (const f of active) {
    bySeverity[f.severity]++;
    byKind[f.kind]++;
  }
  return {
    schemaVersion: 1,
    tool: { name: 'supplyaudit', version: VERSION },
    target: parts.target,
    startedAt: parts.startedAt.toISOString(),
    durationMs: parts.durationMs,
    complete: parts.verdict.exitCode !== 3,
    sources: parts.sources,
    projects: parts.projects.map((p) => ({
      ecosystem: p.ecosystem,
      ...(p.manifest === undefined ? {} : { manifest: p.manifest }),
      ...(p.lockfile === undefined ? {} : { lockfile: p.lockfile }),
      packageCount: p.packages.length,
    })),
    findings: parts.findings,
    summary: { bySeverity, byKind },
    verdict: parts.verdict,
    ...(parts.warnings.length === 0 ? {} : { warnings: [...new Set(parts.warnings)] }),
  };
}
