// The advisory-source contract: every source (OSV, native auditors) answers with a value that
// says ok, skipped or failed; a failure is never an exception and never stops other sources.
import type {
  Ecosystem,
  Finding,
  InventoriedProject,
  Package,
  Severity,
  SourceName,
  SourceStatusKind,
} from '../model/index.js';

/** What a native auditor says about one advisory for one installed package, normalised. */
export interface NativeAdvisory {
  /** the advisory's own id first, then its aliases (prefixed: GHSA-, CVE-, PYSEC-, RUSTSEC-) */
  readonly ids: readonly string[];
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  /** installed version; absent when the tool does not say (npm v2 without an inventory) */
  readonly version?: string;
  /** the tool's own rating; `unknown` when it gives none (pip-audit, cargo without CVSS) */
  readonly severity: Severity;
  /** CVSS vector string when the tool gives one */
  readonly cvssVector?: string;
  /** CVSS base score when the tool gives one (npm) */
  readonly cvssScore?: number;
  readonly title: string;
  /** versions or requirement strings that fix it, as the tool writes them */
  readonly fixedVersions: readonly string[];
  readonly url?: string;
  readonly source: SourceName;
  /**
   * what kind of report this is: a vulnerability, or a cargo-audit warning (unmaintained, unsound,
   * yanked, notice) or a bundler-audit insecure gem source
   */
  readonly kind: NativeAdvisoryKind;
  /** lockfile of the project it came from, relative to the root (set by the source, not parse) */
  readonly lockfile?: string;
}

export const NATIVE_ADVISORY_KINDS = [
  'vulnerability',
  'unmaintained',
  'unsound',
  'yanked',
  'notice',
  'insecure-source',
] as const;
export type NativeAdvisoryKind = (typeof NATIVE_ADVISORY_KINDS)[number];

/** What a source returns: a value in every expected case. */
export interface SourceResult {
  readonly name: SourceName;
  readonly status: SourceStatusKind;
  /** one line, for `failed` and `skipped` (and notes such as partial failures) */
  readonly reason?: string;
  /** the tool's version, when a tool ran */
  readonly version?: string;
  /** native auditors' results, for merge/normalise-native.ts */
  readonly advisories: readonly NativeAdvisory[];
  /** things worth telling the user that are not failures (packages a tool skipped) */
  readonly notes?: readonly string[];
  /** findings a source builds itself (OSV) */
  readonly findings: readonly Finding[];
  readonly durationMs: number;
}

/** Per-tool settings from configuration (and, for tests, loopback endpoints). */
export interface NativeToolOptions {
  /** an explicit binary (absolute path) instead of a PATH search */
  readonly binary?: string;
  /** npm: the registry URL to audit against (`--registry`) */
  readonly registry?: string;
  /** pip-audit: an OSV-compatible query URL (`-s osv --osv-url`) */
  readonly osvUrl?: string;
  /** cargo-audit / bundler-audit: a local advisory database directory (used with no fetch/update) */
  readonly db?: string;
  /** npm: replace ~/.npmrc with an empty file (the project's .npmrc is never read anyway) */
  readonly isolateUserConfig?: boolean;
  /** npm: leave dev dependencies out (`--omit=dev`) */
  readonly omitDev?: boolean;
  /** extra environment for this tool only (e.g. a registry token the caller owns) */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export interface SourceContext {
  /** absolute path of the scanned root; binaries inside it are never run */
  readonly root: string;
  /** the host environment, read once by the CLI/Action (the library never reads process.env) */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  /** no network at all: sources that need it are skipped with that reason */
  readonly offline: boolean;
  readonly signal?: AbortSignal;
  /** default per-run timeout of a tool */
  readonly timeoutMs?: number;
  /** directory for temporary files (requirements written from other lockfiles); os.tmpdir() else */
  readonly tmpDir?: string;
  readonly tools?: Partial<Record<SourceName, NativeToolOptions>>;
}

export interface AdvisorySource {
  readonly name: SourceName;
  /** cheap: whether this source has anything to say about the project */
  applies(project: InventoriedProject): boolean;
  run(projects: readonly InventoriedProject[], ctx: SourceContext): Promise<SourceResult>;
}

/** A tool's captured output, as parse() sees it. */
export interface ToolOutput {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export type ParseOutcome =
  | { readonly ok: true; readonly advisories: NativeAdvisory[]; readonly notes?: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** What an adapter's run() gets for one project. */
export interface AdapterRunContext {
  /** absolute root and project directory */
  readonly root: string;
  readonly projectDir: string;
  readonly project: InventoriedProject;
  /** absolute path of the tool binary, already resolved outside the repo */
  readonly toolPath: string;
  readonly toolVersion: string | undefined;
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly options: NativeToolOptions;
  readonly timeoutMs: number;
  readonly tmpDir: string;
  readonly signal?: AbortSignal;
}

/**
 * A native auditor around one tool: pure `args()` and `parse()`, one `run()` that calls exec/.
 * `run` returns the tool's failures as values; exec/ errors (timeout, output cap, cannot start)
 * may be thrown as SupplyAuditError and become a `failed` result in the native source.
 */
export interface AuditorAdapter {
  readonly source: SourceName;
  readonly ecosystem: Ecosystem;
  /** the binary looked up on PATH, and how to ask its version */
  readonly binary: string;
  readonly versionArgs: readonly string[];
  readonly minVersion: string;
  /** a one-line reason when these options need the network and `offline` forbids it */
  offlineBlocker(options: NativeToolOptions): string | undefined;
  applies(project: InventoriedProject): boolean;
  run(ctx: AdapterRunContext): Promise<ParseOutcome>;
}

/** Inventory look-ups parse() may use (npm v2 reports name and range, not the version). */
export interface ParseNativeContext {
  readonly packages?: readonly Package[];
}
