// The license check: find each package's license (lockfile, installed copy, registry), read it
// as SPDX and judge it against `licenses.allow` / `licenses.deny`, with per-package exceptions.
import { dirname, isAbsolute, join } from 'node:path';
import { describeError } from '../errors.js';
import { createHttpClient, type HttpClient } from '../http/client.js';
import { createLimit } from '../inventory.js';
import {
  findingPackage,
  type Ecosystem,
  type InventoriedProject,
  type Inventory,
  type Location,
  type Package,
  type Severity,
} from '../model/index.js';
import type { Config } from '../policy/config.js';
import {
  compileLicensePolicy,
  evaluateBranches,
  readLicense,
  type ExpressionVerdict,
  type ReadLicense,
} from './license-expression.js';
import {
  DEFAULT_REGISTRY_URLS,
  type LicenseLookup,
  type LicenseLookupOptions,
  type LicenseLookupResult,
  type LicenseSource,
  type RegistryUrls,
} from './license-lookup.js';
import { LICENSE_LOOKUPS } from './license-lookups.js';
import { policyFinding, type CheckFinding } from './types.js';

export const LICENSE_VERDICTS = [
  'allowed',
  'denied',
  'not-allowed',
  'unknown',
  'excepted',
] as const;
export type LicenseVerdict = (typeof LICENSE_VERDICTS)[number];

export const LICENSE_RULES = ['license-denied', 'license-not-allowed', 'license-unknown'] as const;
export type LicenseRule = (typeof LICENSE_RULES)[number];

export interface LicenseEntry {
  readonly ecosystem: Ecosystem;
  readonly package: string;
  readonly version?: string;
  readonly purl: string;
  /** the SPDX expression judged, else what was declared, else undefined */
  readonly license?: string;
  /** what the package declared, when normalisation changed it (`Apache 2`) */
  readonly declared?: string;
  readonly source: LicenseSource;
  readonly verdict: LicenseVerdict;
  readonly location: Location;
  /** for `excepted`: the exception's reason */
  readonly exceptionReason?: string;
}

export interface LicenseCheckOptions {
  /** local sources only (also when `config.offline` or `checks.license.online` is false) */
  readonly offline?: boolean;
  /** the client for registry lookups (default: one made for this run with `timeouts.httpMs`) */
  readonly http?: HttpClient;
  /** HTTP(S) proxy for the client made here (the caller reads it from the environment) */
  readonly proxy?: string;
  /** the on-disk cache of registry answers */
  readonly cacheDir?: string;
  readonly registries?: Partial<RegistryUrls>;
  /** host environment for local tools (cargo metadata) */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
  /** a folder outside the scanned tree to run local tools in */
  readonly toolCwd?: string;
  /** packages looked up at once (default 8) */
  readonly concurrency?: number;
  /** today, for exception expiry (default: now) */
  readonly now?: Date;
  /** include packages only reachable through dev dependencies (default true) */
  readonly includeDev?: boolean;
  /** for tests and embedding: the lookup per ecosystem */
  readonly lookups?: Partial<Record<Ecosystem, LicenseLookup>>;
  readonly signal?: AbortSignal;
}

export interface LicenseCheckResult {
  readonly entries: LicenseEntry[];
  readonly findings: CheckFinding[];
  readonly warnings: string[];
}

type Exception = Config['licenses']['exceptions'][number];

/** `left-pad`, `left-pad@1.3.0`, `@scope/pkg@2.0.0` → name and optional version. */
export function splitPackageSpec(spec: string): { name: string; version?: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { name: spec };
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

function exceptionMatches(exception: Exception, pkg: Package, read: ReadLicense): boolean {
  const spec = splitPackageSpec(exception.package.trim());
  if (spec.name !== pkg.name) return false;
  if (spec.version !== undefined && spec.version !== pkg.version) return false;
  if (exception.license === undefined) return true;
  const wanted = exception.license.trim();
  const declared = read.ok ? [read.expression, read.declared] : [read.declared];
  return declared.includes(wanted);
}

function packageLabel(pkg: Package): string {
  return pkg.version === undefined ? pkg.name : `${pkg.name}@${pkg.version}`;
}

function licenseText(read: ReadLicense & { ok: true }): string {
  return read.declared === undefined
    ? read.expression
    : `${read.expression} (${JSON.stringify(read.declared)} read as ${read.expression})`;
}

function unknownMessage(pkg: Package, read: ReadLicense & { ok: false }, offline: boolean): string {
  const label = packageLabel(pkg);
  switch (read.reason) {
    case 'missing':
      return read.declared === undefined
        ? `${label} has no license information${offline ? ' (offline: registries were not asked)' : ''}`
        : `${label} declares no license (${read.declared})`;
    case 'unlicensed':
      return `${label} is UNLICENSED: no license is granted to others`;
    case 'see-license':
      return `${label} has a custom license (${JSON.stringify(read.declared ?? '')}); review it by hand`;
    case 'unparsable':
      return `${label} is licensed ${JSON.stringify(read.declared ?? '')}, which is not an SPDX expression`;
    case 'too-complex':
      return `${label} has a license expression too complex to evaluate`;
  }
}

interface Judged {
  readonly verdict: Exclude<LicenseVerdict, 'excepted'>;
  readonly rule?: LicenseRule;
  readonly message?: string;
  readonly summary?: string;
}

type Evaluate = (read: ReadLicense & { ok: true }) => ExpressionVerdict;

function judge(pkg: Package, read: ReadLicense, evaluate: Evaluate, offline: boolean): Judged {
  if (!read.ok) {
    return {
      verdict: 'unknown',
      rule: 'license-unknown',
      message: unknownMessage(pkg, read, offline),
      summary: 'License unknown',
    };
  }
  const result = evaluate(read);
  const label = packageLabel(pkg);
  const single = read.branches.length === 1 && read.branches[0]?.length === 1;
  if (result.verdict === 'allowed') return { verdict: 'allowed' };
  if (result.verdict === 'denied') {
    const which = single ? '' : ` (${result.denied.join(', ')})`;
    return {
      verdict: 'denied',
      rule: 'license-denied',
      message: `${label} is licensed ${licenseText(read)}, which is denied${which}`,
      summary: `License ${read.expression} is denied`,
    };
  }
  const which = single ? '' : ` (not allowed: ${result.notAllowed.join(', ')})`;
  return {
    verdict: 'not-allowed',
    rule: 'license-not-allowed',
    message: `${label} is licensed ${licenseText(read)}, which is not in the allow list${which}`,
    summary: `License ${read.expression} is not allowed`,
  };
}

function projectDirOf(root: string, project: InventoriedProject): string {
  const file = project.lockfile ?? project.manifest;
  const rel = file === undefined ? project.dir : dirname(file);
  return isAbsolute(rel) ? rel : join(root, rel);
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const MAX_LISTED = 20;

/** Judge every third-party package's license; local (workspace, path) packages are the project's own. */
export async function checkLicenses(
  inv: Inventory,
  config: Config,
  options: LicenseCheckOptions = {},
): Promise<LicenseCheckResult> {
  const settings = config.checks.license;
  const offline = options.offline === true || config.offline || !settings.online;
  const ownClient =
    offline || options.http !== undefined
      ? undefined
      : createHttpClient({
          timeoutMs: config.timeouts.httpMs,
          ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
  const http = options.http ?? ownClient;
  const policy = compileLicensePolicy(config.licenses.allow, config.licenses.deny);
  const warnings = new Set<string>(policy.warnings);
  const today = isoDate(options.now ?? new Date());
  // Thousands of packages share a handful of licenses: read and judge each text once.
  const readMemo = new Map<string, ReadLicense>();
  const readOnce = (raw: string | undefined, ecosystem: Ecosystem): ReadLicense => {
    const key = `${ecosystem === 'crates.io' ? 'c' : 'o'}\0${raw ?? ''}`;
    let read = readMemo.get(key);
    if (read === undefined) {
      read = readLicense(raw, ecosystem);
      readMemo.set(key, read);
    }
    return read;
  };
  const verdictMemo = new Map<string, ExpressionVerdict>();
  const evaluate: Evaluate = (read) => {
    let verdict = verdictMemo.get(read.expression);
    if (verdict === undefined) {
      verdict = evaluateBranches(read.branches, policy);
      verdictMemo.set(read.expression, verdict);
    }
    return verdict;
  };

  const exceptions = config.licenses.exceptions.map((exception, index) => ({
    exception,
    index,
    expired: exception.expires !== undefined && exception.expires <= today,
    used: false,
  }));
  for (const e of exceptions) {
    if (e.expired) {
      warnings.add(
        `licenses.exceptions[${String(e.index)}] (${e.exception.package}) expired on ${e.exception.expires ?? ''} and no longer applies`,
      );
    }
  }

  const lookupOptions: LicenseLookupOptions = {
    offline,
    ...(http === undefined || offline ? {} : { http }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    registries: { ...DEFAULT_REGISTRY_URLS, ...options.registries },
    ...(options.hostEnv === undefined ? {} : { hostEnv: options.hostEnv }),
    ...(options.toolCwd === undefined ? {} : { toolCwd: options.toolCwd }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const lookups: Partial<Record<Ecosystem, LicenseLookup>> = {
    ...LICENSE_LOOKUPS,
    ...options.lookups,
  };
  const limit = createLimit(Math.max(1, options.concurrency ?? 8));
  const includeDev = options.includeDev ?? true;

  const jobs: { pkg: Package; found: Promise<LicenseLookupResult> }[] = [];
  for (const project of inv.projects) {
    const projectDir = projectDirOf(inv.root, project);
    for (const pkg of project.packages) {
      if (pkg.local === true || (!includeDev && pkg.dev)) continue;
      const lookup = lookups[pkg.ecosystem];
      const found =
        lookup === undefined
          ? Promise.resolve<LicenseLookupResult>(
              pkg.license === undefined
                ? { source: 'unknown' }
                : { license: pkg.license, source: 'lockfile' },
            )
          : limit(() => lookup(pkg, projectDir, lookupOptions)).catch(
              (error: unknown): LicenseLookupResult => ({
                source: 'unknown',
                warnings: [`${packageLabel(pkg)}: license lookup failed: ${describeError(error)}`],
              }),
            );
      jobs.push({ pkg, found });
    }
  }

  let results: LicenseLookupResult[];
  try {
    results = await Promise.all(jobs.map((job) => job.found));
  } finally {
    await ownClient?.close();
  }
  options.signal?.throwIfAborted();

  const entries: LicenseEntry[] = [];
  const findings: CheckFinding[] = [];
  const stayedUnknown: string[] = [];
  for (const [i, { pkg }] of jobs.entries()) {
    const result = results[i] ?? { source: 'unknown' };
    for (const w of result.warnings ?? []) warnings.add(w);
    const read = readOnce(result.license, pkg.ecosystem);
    const judged = judge(pkg, read, evaluate, offline);
    if (!read.ok && read.reason === 'missing' && read.declared === undefined) {
      stayedUnknown.push(packageLabel(pkg));
    }
    const applying =
      judged.verdict === 'allowed'
        ? undefined
        : exceptions.find((e) => !e.expired && exceptionMatches(e.exception, pkg, read));
    if (applying !== undefined) applying.used = true;
    const license = read.ok ? read.expression : read.declared;
    entries.push({
      ecosystem: pkg.ecosystem,
      package: pkg.name,
      ...(pkg.version === undefined ? {} : { version: pkg.version }),
      purl: pkg.purl,
      ...(license === undefined ? {} : { license }),
      ...(read.ok && read.declared !== undefined ? { declared: read.declared } : {}),
      source: result.source,
      verdict: applying === undefined ? judged.verdict : 'excepted',
      location: pkg.location,
      ...(applying === undefined ? {} : { exceptionReason: applying.exception.reason }),
    });
    if (
      applying !== undefined ||
      !settings.enabled ||
      judged.rule === undefined ||
      judged.message === undefined
    ) {
      continue;
    }
    const severity: Severity =
      judged.verdict === 'unknown' ? settings.unknownSeverity : settings.severity;
    findings.push({
      ...policyFinding(
        'license',
        judged.rule,
        severity,
        pkg.location.file,
        pkg.location.line,
        pkg.purl,
        judged.message,
        judged.summary ?? judged.rule,
      ),
      package: findingPackage(pkg),
      paths: pkg.paths,
    });
  }

  for (const e of exceptions) {
    if (!e.expired && !e.used) {
      warnings.add(
        `licenses.exceptions[${String(e.index)}] (${e.exception.package}) matched no package that needed it`,
      );
    }
  }
  if (offline && stayedUnknown.length > 0) {
    const unique = [...new Set(stayedUnknown)];
    const shown = unique.slice(0, MAX_LISTED).join(', ');
    const more =
      unique.length > MAX_LISTED ? ` and ${String(unique.length - MAX_LISTED)} more` : '';
    warnings.add(
      `offline: ${String(unique.length)} package${unique.length === 1 ? '' : 's'} had no license in local sources: ${shown}${more}`,
    );
  }
  return { entries, findings, warnings: [...warnings] };
}
