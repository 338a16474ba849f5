// The OSV source: every locked package checked against OSV advisories, from the offline database
// or the online API. Expected failures (no database, API down) are a `failed` status, never an
// exception and never a silently empty result.
import { SupplyAuditError, describeError } from '../errors.js';
import type { Ecosystem, Finding, InventoriedProject, Package } from '../model/index.js';
import type { AdvisorySource, SourceResult } from '../sources/types.js';
import { findingFromOsv } from './findings.js';
import { matchRecord, normalizeOsvPackageName, type MatchResult } from './match.js';
import { queryOsvOnline, type OsvOnlineOptions } from './online.js';
import { parseOsvRecord, type OsvParseResult, type OsvRecord } from './schema.js';

/** What the OSV source needs of an offline database. */
export interface OsvLookup {
  lookup(ecosystem: Ecosystem, name: string): Promise<unknown[]>;
}

export type OsvMode = 'offline' | 'online';

export interface OsvSourceOptions {
  readonly mode: OsvMode;
  /** offline: the opened database */
  readonly store?: OsvLookup;
  /** online: API client options */
  readonly online?: OsvOnlineOptions;
  /** one-line notes to add to the report (which data was used, how old it is) */
  readonly notes?: readonly string[];
}

export interface OsvSourceResult extends SourceResult {
  readonly warnings: readonly string[];
}

/** Packages worth asking about: pinned to a version, and not part of the project itself. */
export function osvCandidates(projects: readonly InventoriedProject[]): Package[] {
  const out: Package[] = [];
  for (const p of projects) {
    for (const pkg of p.packages) {
      if (pkg.version === undefined || pkg.version === '' || pkg.local === true) continue;
      if (
        pkg.source.type === 'workspace' ||
        pkg.source.type === 'link' ||
        pkg.source.type === 'path'
      )
        continue;
      out.push(pkg);
    }
  }
  return out;
}

/**
 * Records already checked, by the raw object the store handed out: the offline store shares one
 * object per record across lookups and scans (read-only), so a record is checked once per process.
 */
const checked = new WeakMap<object, OsvParseResult>();

function parseOnce(value: unknown): OsvParseResult {
  if (typeof value !== 'object' || value === null) return parseOsvRecord(value);
  let result = checked.get(value);
  if (result === undefined) {
    result = parseOsvRecord(value);
    checked.set(value, result);
  }
  return result;
}

function parseRecords(
  raw: readonly unknown[],
  warnings: string[],
  seen: Map<string, OsvRecord | undefined>,
): OsvRecord[] {
  const out: OsvRecord[] = [];
  for (const value of raw) {
    const parsed = parseOnce(value);
    if (!parsed.ok) {
      warnings.push(`osv: skipped an unusable advisory record: ${parsed.reason}`);
      continue;
    }
    const key = `${parsed.record.id}\u0000${parsed.record.modified}`;
    const known = seen.get(key);
    if (known !== undefined) {
      out.push(known);
      continue;
    }
    seen.set(key, parsed.record);
    out.push(parsed.record);
  }
  return out;
}

/** matchRecord's answers per checked record and (ecosystem, name, version), for the process. */
const matches = new WeakMap<OsvRecord, Map<string, MatchResult | undefined>>();

function matchOnce(
  record: OsvRecord,
  ecosystem: Ecosystem,
  name: string,
  version: string,
): MatchResult | undefined {
  let known = matches.get(record);
  if (known === undefined) {
    known = new Map();
    matches.set(record, known);
  }
  const key = `${ecosystem}\u0000${name}\u0000${version}`;
  if (known.has(key)) return known.get(key);
  const match = matchRecord(record, { ecosystem, name, version });
  known.set(key, match);
  return match;
}

function findingsFor(
  pkg: Package,
  records: readonly OsvRecord[],
  trustAffected: boolean,
): Finding[] {
  const out: Finding[] = [];
  const ids = new Set<string>();
  for (const record of records) {
    if (ids.has(record.id)) continue;
    const version = pkg.version ?? '';
    const match = matchOnce(record, pkg.ecosystem, pkg.name, version);
    if (match === undefined && !trustAffected) continue;
    if (record.withdrawn !== undefined) continue;
    ids.add(record.id);
    out.push(findingFromOsv(record, pkg, match?.fixedVersions ?? []));
  }
  return out;
}

export async function runOsvSource(
  projects: readonly InventoriedProject[],
  options: OsvSourceOptions,
): Promise<OsvSourceResult> {
  const started = performance.now();
  const warnings: string[] = [...(options.notes ?? [])];
  const candidates = osvCandidates(projects);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const findings: Finding[] = [];
    const seen = new Map<string, OsvRecord | undefined>();
    if (options.mode === 'offline') {
      const store = options.store;
      if (store === undefined)
        throw new SupplyAuditError('DB_MISSING', 'no offline database: run supplyaudit db update');
      // One lookup per (ecosystem, name), whatever the number of versions and lockfiles.
      const byName = new Map<string, Package[]>();
      for (const pkg of candidates) {
        const key = `${pkg.ecosystem}\u0000${normalizeOsvPackageName(pkg.ecosystem, pkg.name)}`;
        const list = byName.get(key);
        if (list === undefined) byName.set(key, [pkg]);
        else list.push(pkg);
      }
      for (const list of byName.values()) {
        const first = list[0];
        if (first === undefined) continue;
        const records = parseRecords(
          await store.lookup(first.ecosystem, first.name),
          warnings,
          seen,
        );
        if (records.length === 0) continue;
        for (const pkg of list) findings.push(...findingsFor(pkg, records, false));
      }
    } else {
      const unique = new Map<string, number>();
      const queries: { ecosystem: Ecosystem; name: string; version: string }[] = [];
      const queryOf: number[] = [];
      for (const pkg of candidates) {
        const key = `${pkg.ecosystem}\u0000${pkg.name}\u0000${pkg.version ?? ''}`;
        let index = unique.get(key);
        if (index === undefined) {
          index = queries.length;
          unique.set(key, index);
          queries.push({ ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version ?? '' });
        }
        queryOf.push(index);
      }
      const result = await queryOsvOnline(queries, options.online);
      warnings.push(...result.notes.map((n) => `osv: ${n}`));
      candidates.forEach((pkg, i) => {
        const raw = result.records.get(queryOf[i] ?? -1) ?? [];
        // The API already decided these affect the version; a record it could not return in
        // full (404 on hydration) still counts, with what is known of it.
        findings.push(...findingsFor(pkg, parseRecords(raw, warnings, seen), true));
      });
    }
    return { name: 'osv', status: 'ok', advisories: [], findings, durationMs: elapsed(), warnings };
  } catch (error) {
    if (error instanceof SupplyAuditError) {
      return {
        name: 'osv',
        status: 'failed',
        reason: error.message,
        advisories: [],
        findings: [],
        durationMs: elapsed(),
        warnings,
      };
    }
    return {
      name: 'osv',
      status: 'failed',
      reason: `unexpected error: ${describeError(error)}`,
      advisories: [],
      findings: [],
      durationMs: elapsed(),
      warnings,
    };
  }
}

/** The OSV source in the shape every source has, for the scan's runner. */
export function createOsvSource(
  options: OsvSourceOptions,
  onWarnings: (warnings: readonly string[]) => void,
): AdvisorySource {
  return {
    name: 'osv',
    applies: (project) => project.packages.length > 0,
    run: async (projects) => {
      const result = await runOsvSource(projects, options);
      onWarnings(result.warnings);
      return result;
    },
  };
}
