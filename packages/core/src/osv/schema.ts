// The OSV record (https://ossf.github.io/osv-schema/, schema 1.6): untrusted JSON in, a typed
// record out. Tolerant of nulls and missing optional fields; a record without an id, a modified
// date or any usable affected entry is refused with a one-line reason. Objects stay JSON data
// (own keys only, `__proto__` is just a key): nothing is copied key by key onto a plain object.
import {
  getArray,
  getObject,
  getString,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from '../decode/json.js';

export const OSV_RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT'] as const;
export type OsvRangeType = (typeof OSV_RANGE_TYPES)[number];

export const OSV_EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
export type OsvEventKind = (typeof OSV_EVENT_KINDS)[number];

/** One range event: OSV's `{ "fixed": "1.2.3" }` read as `{ kind: 'fixed', value: '1.2.3' }`. */
export interface OsvEvent {
  readonly kind: OsvEventKind;
  readonly value: string;
}

export interface OsvRange {
  /** `SEMVER`, `ECOSYSTEM` or `GIT`; other types are dropped while parsing */
  readonly type: OsvRangeType;
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvPackage {
  /** as written, suffix included (`Debian:12`); compared exactly */
  readonly ecosystem: string;
  readonly name: string;
  readonly purl?: string;
}

export interface OsvAffected {
  readonly package: OsvPackage;
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  readonly database_specific?: JsonObject;
  readonly ecosystem_specific?: JsonObject;
}

export interface OsvSeverity {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, ... as written */
  readonly type: string;
  readonly score: string;
}

export interface OsvReference {
  readonly type: string;
  readonly url: string;
}

export interface OsvRecord {
  readonly id: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly summary: string;
  readonly details: string;
  readonly severity: readonly OsvSeverity[];
  readonly affected: readonly OsvAffected[];
  readonly database_specific?: JsonObject;
  readonly references: readonly OsvReference[];
}

export type OsvParseResult =
  | {
      readonly ok: true;
      readonly record: OsvRecord;
      /** parts dropped as unusable (an affected entry without a package name, ...) */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

// Caps far above real records (the largest PyPA `versions` list has a few thousand entries);
// a record beyond them is hostile, and its excess is dropped with a warning.
const MAX_ID_LENGTH = 256;
const MAX_LIST = 100_000;
const MAX_AFFECTED = 10_000;
const MAX_EVENTS = 10_000;

function isRangeType(value: string): value is OsvRangeType {
  return (OSV_RANGE_TYPES as readonly string[]).includes(value);
}

function capped<T>(
  list: readonly T[],
  max: number,
  what: string,
  warnings: string[],
): readonly T[] {
  if (list.length <= max) return list;
  warnings.push(`${what}: ${String(list.length)} entries, only the first ${String(max)} kept`);
  return list.slice(0, max);
}

function stringList(obj: JsonObject, key: string, warnings: string[]): string[] {
  const raw = getArray(obj, key);
  if (raw === undefined) return [];
  const out: string[] = [];
  for (const v of capped(raw, MAX_LIST, key, warnings)) if (typeof v === 'string') out.push(v);
  return out;
}

function nonEmpty(obj: JsonObject, key: string): string | undefined {
  const v = getString(obj, key);
  return v === undefined || v.trim() === '' ? undefined : v;
}

function parseEvents(raw: readonly JsonValue[], where: string, warnings: string[]): OsvEvent[] {
  const events: OsvEvent[] = [];
  for (const e of capped(raw, MAX_EVENTS, `${where}.events`, warnings)) {
    if (!isJsonObject(e)) continue;
    // One kind per event by the schema; take the first kind present, in the schema's order.
    const kind = OSV_EVENT_KINDS.find((k) => getString(e, k) !== undefined);
    const value = kind === undefined ? undefined : getString(e, kind);
    if (kind === undefined || value === undefined || value === '') {
      warnings.push(`${where}: event without a version dropped`);
      continue;
    }
    events.push({ kind, value });
  }
  return events;
}

function parseRanges(raw: readonly JsonValue[], where: string, warnings: string[]): OsvRange[] {
  const ranges: OsvRange[] = [];
  raw.forEach((r, i) => {
    if (!isJsonObject(r)) return;
    const type = getString(r, 'type');
    if (type === undefined || !isRangeType(type)) {
      warnings.push(
        `${where}.ranges[${String(i)}]: unknown range type ${JSON.stringify(type ?? null)}`,
      );
      return;
    }
    const events = parseEvents(
      getArray(r, 'events') ?? [],
      `${where}.ranges[${String(i)}]`,
      warnings,
    );
    const repo = getString(r, 'repo');
    ranges.push({ type, events, ...(repo === undefined ? {} : { repo }) });
  });
  return ranges;
}

function parseAffected(raw: JsonValue, where: string, warnings: string[]): OsvAffected | undefined {
  if (!isJsonObject(raw)) return undefined;
  const pkg = getObject(raw, 'package');
  const ecosystem = pkg === undefined ? undefined : getString(pkg, 'ecosystem');
  const name = pkg === undefined ? undefined : getString(pkg, 'name');
  if (pkg === undefined || ecosystem === undefined || name === undefined || name === '') {
    warnings.push(`${where}: no package ecosystem and name, entry dropped`);
    return undefined;
  }
  const purl = getString(pkg, 'purl');
  const databaseSpecific = getObject(raw, 'database_specific');
  const ecosystemSpecific = getObject(raw, 'ecosystem_specific');
  return {
    package: { ecosystem, name, ...(purl === undefined || purl === '' ? {} : { purl }) },
    ranges: parseRanges(
      capped(getArray(raw, 'ranges') ?? [], MAX_EVENTS, `${where}.ranges`, warnings),
      where,
      warnings,
    ),
    versions: stringList(raw, 'versions', warnings),
    ...(databaseSpecific === undefined ? {} : { database_specific: databaseSpecific }),
    ...(ecosystemSpecific === undefined ? {} : { ecosystem_specific: ecosystemSpecific }),
  };
}

/** Read one OSV record from parsed JSON. Never throws. */
export function parseOsvRecord(value: unknown): OsvParseResult {
  if (!isJsonObject(value)) return { ok: false, reason: 'not a JSON object' };
  const id = getString(value, 'id');
  if (id === undefined || id.trim() === '') return { ok: false, reason: 'no "id"' };
  if (id.length > MAX_ID_LENGTH)
    return { ok: false, reason: `"id" longer than ${String(MAX_ID_LENGTH)} characters` };
  const modified = getString(value, 'modified');
  if (modified === undefined || modified === '') {
    return { ok: false, reason: `${id}: no "modified" date` };
  }
  const warnings: string[] = [];
  const affected: OsvAffected[] = [];
  const rawAffected = getArray(value, 'affected') ?? [];
  capped(rawAffected, MAX_AFFECTED, 'affected', warnings).forEach((a, i) => {
    const entry = parseAffected(a, `${id}: affected[${String(i)}]`, warnings);
    if (entry !== undefined) affected.push(entry);
  });
  if (rawAffected.length > 0 && affected.length === 0) {
    return { ok: false, reason: `${id}: no usable "affected" entry` };
  }
  const severity: OsvSeverity[] = [];
  for (const s of getArray(value, 'severity') ?? []) {
    if (!isJsonObject(s)) continue;
    const type = getString(s, 'type');
    const score = getString(s, 'score');
    if (type !== undefined && score !== undefined && score !== '') severity.push({ type, score });
  }
  const references: OsvReference[] = [];
  for (const r of capped(getArray(value, 'references') ?? [], MAX_LIST, 'references', warnings)) {
    if (!isJsonObject(r)) continue;
    const url = getString(r, 'url');
    if (url !== undefined) references.push({ type: getString(r, 'type') ?? 'WEB', url });
  }
  const databaseSpecific = getObject(value, 'database_specific');
  const published = nonEmpty(value, 'published');
  const withdrawn = nonEmpty(value, 'withdrawn');
  const record: OsvRecord = {
    id,
    modified,
    ...(published === undefined ? {} : { published }),
    ...(withdrawn === undefined ? {} : { withdrawn }),
    aliases: stringList(value, 'aliases', warnings),
    related: stringList(value, 'related', warnings),
    summary: getString(value, 'summary') ?? '',
    details: getString(value, 'details') ?? '',
    severity,
    affected,
    ...(databaseSpecific === undefined ? {} : { database_specific: databaseSpecific }),
    references,
  };
  return { ok: true, record, warnings };
}
