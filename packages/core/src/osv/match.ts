// Whether one installed package@version is affected by one OSV record, by the OSV rule
// (https://ossf.github.io/osv-schema/#evaluation, schema 1.6): listed in `versions`, or inside
// any SEMVER/ECOSYSTEM range evaluated with the ecosystem's own version order.
import { cargoVersionScheme } from '../ecosystems/cargo/version.js';
import { npmVersionScheme } from '../ecosystems/npm/version.js';
import { pypiVersionScheme } from '../ecosystems/pypi/version.js';
import { rubygemsVersionScheme } from '../ecosystems/rubygems/version.js';
import type { VersionScheme } from '../ecosystems/types.js';
import type { Ecosystem } from '../model/index.js';
import type { OsvAffected, OsvEvent, OsvEventKind, OsvRange, OsvRecord } from './schema.js';

/** The order of ECOSYSTEM ranges in each ecosystem. */
export const OSV_VERSION_SCHEMES: Record<Ecosystem, VersionScheme> = {
  npm: npmVersionScheme,
  PyPI: pypiVersionScheme,
  'crates.io': cargoVersionScheme,
  RubyGems: rubygemsVersionScheme,
};

/** SEMVER ranges are SemVer 2.0.0 whatever the ecosystem (the spec says so). */
const SEMVER_SCHEME: VersionScheme = cargoVersionScheme;

export interface MatchTarget {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
}

export interface MatchResult {
  /**
   * Versions that would resolve the advisory for the installed version: in each range that
   * contains it, the smallest `fixed` above it. Deduplicated, in the ecosystem's order.
   */
  readonly fixedVersions: string[];
}

/** Package names as the ecosystem compares them: PEP 503 for PyPI, exact elsewhere. */
export function normalizeOsvPackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/** `"0"` in an event is below every version of every scheme (OSV spec). */
const ZERO = '0';

// At the same version, a `fixed` that closes one span comes before the `introduced` that opens
// the next ([1.0,1.5) + [1.5,2.0) leaves 1.5 affected), and `introduced` comes before a
// `last_affected` at the same version (a single-version range [X, X]).
const TIE_ORDER: Record<OsvEventKind, number> = {
  fixed: 0,
  limit: 0,
  introduced: 1,
  last_affected: 2,
};

function compareEventValues(scheme: VersionScheme, a: string, b: string): number {
  if (a === ZERO || b === ZERO) return a === b ? 0 : a === ZERO ? -1 : 1;
  return scheme.compare(a, b);
}

/** Sorted events per scheme and range: checked records are shared, read-only, for the process. */
const sortedEvents = new Map<VersionScheme, WeakMap<OsvRange, readonly OsvEvent[]>>();

/** The range's events but limits, sorted; values the scheme cannot order are skipped. */
function walkEvents(range: OsvRange, scheme: VersionScheme): readonly OsvEvent[] {
  let byRange = sortedEvents.get(scheme);
  if (byRange === undefined) {
    byRange = new WeakMap();
    sortedEvents.set(scheme, byRange);
  }
  let events = byRange.get(range);
  if (events === undefined) {
    events = sortEvents(range, scheme);
    byRange.set(range, events);
  }
  return events;
}

function sortEvents(range: OsvRange, scheme: VersionScheme): OsvEvent[] {
  const events = range.events.filter(
    (e) => e.kind !== 'limit' && (e.value === ZERO || scheme.isValid(e.value)),
  );
  return events.sort(
    (a, b) => compareEventValues(scheme, a.value, b.value) || TIE_ORDER[a.kind] - TIE_ORDER[b.kind],
  );
}

/** Below a limit of the range, when it has any (`"*"` means no limit). */
function isBeforeLimits(range: OsvRange, scheme: VersionScheme, version: string): boolean {
  let hasLimit = false;
  for (const e of range.events) {
    if (e.kind !== 'limit') continue;
    if (e.value === '*') return true;
    if (e.value !== ZERO && !scheme.isValid(e.value)) continue;
    hasLimit = true;
    if (compareEventValues(scheme, version, e.value) < 0) return true;
  }
  return !hasLimit;
}

/**
 * Whether the range contains the version; when it does, the smallest `fixed` above it in this
 * range (undefined when none is). The spec's walk: the last event at or below the version decides.
 */
function evaluateRange(
  range: OsvRange,
  scheme: VersionScheme,
  version: string,
): { affected: boolean; fixed?: string } {
  if (!isBeforeLimits(range, scheme, version)) return { affected: false };
  let affected = false;
  const events = walkEvents(range, scheme);
  for (const e of events) {
    const c = compareEventValues(scheme, version, e.value);
    if (e.kind === 'introduced' && (e.value === ZERO || c >= 0)) affected = true;
    else if (e.kind === 'fixed' && c >= 0) affected = false;
    else if (e.kind === 'last_affected' && c > 0) affected = false;
  }
  if (!affected) return { affected };
  const fixed = events.find(
    (e) => e.kind === 'fixed' && compareEventValues(scheme, version, e.value) < 0,
  );
  return fixed === undefined ? { affected } : { affected, fixed: fixed.value };
}

function schemeFor(ecosystem: Ecosystem, range: OsvRange): VersionScheme | undefined {
  if (range.type === 'SEMVER') return SEMVER_SCHEME;
  if (range.type === 'ECOSYSTEM') return OSV_VERSION_SCHEMES[ecosystem];
  return undefined; // GIT ranges hold commits, not versions
}

/** Listed in `versions`: the same string, or the same version by the scheme (`0.5` is `0.5.0` in PEP 440). */
function isListed(versions: readonly string[], target: MatchTarget): boolean {
  if (versions.includes(target.version)) return true;
  const scheme = OSV_VERSION_SCHEMES[target.ecosystem];
  if (!scheme.isValid(target.version)) return false;
  return versions.some((v) => scheme.isValid(v) && scheme.compare(v, target.version) === 0);
}

function matchAffected(entry: OsvAffected, target: MatchTarget, fixes: Set<string>): boolean {
  let hit = false;
  for (const range of entry.ranges) {
    const scheme = schemeFor(target.ecosystem, range);
    if (scheme === undefined || !scheme.isValid(target.version)) continue;
    const r = evaluateRange(range, scheme, target.version);
    if (!r.affected) continue;
    hit = true;
    if (r.fixed !== undefined) fixes.add(r.fixed);
  }
  if (!hit && isListed(entry.versions, target)) {
    hit = true;
    // Listed but in no range: offer the entry's smallest fix above it, when it can be ordered.
    const scheme = OSV_VERSION_SCHEMES[target.ecosystem];
    if (scheme.isValid(target.version)) {
      let best: string | undefined;
      for (const range of entry.ranges) {
        if (range.type === 'GIT') continue;
        const s = schemeFor(target.ecosystem, range) ?? scheme;
        for (const e of range.events) {
          if (e.kind !== 'fixed' || e.value === ZERO || !s.isValid(e.value)) continue;
          if (s.compare(e.value, target.version) <= 0) continue;
          if (best === undefined || s.compare(e.value, best) < 0) best = e.value;
        }
      }
      if (best !== undefined) fixes.add(best);
    }
  }
  return hit;
}

/** Chained fixes followed at most this far (records have a handful of ranges). */
const MAX_FIX_ROUNDS = 8;

/** Whether the record affects the package at this version; undefined when it does not. */
export function matchRecord(record: OsvRecord, target: MatchTarget): MatchResult | undefined {
  const fixes = new Set<string>();
  if (!collectFixes(record, target, fixes)) return undefined;
  const scheme = OSV_VERSION_SCHEMES[target.ecosystem];
  const order = (a: string, b: string): number =>
    scheme.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
  // A fix of one range can lie inside another range of the same record (node-fetch 2.6.0 in
  // GHSA-r683-j2x4-v87g: [0, 2.6.7) and [1.0, 3.1.1); sinatra 2.0.0.beta2 fixed in 2.0.0-alpha,
  // which opens the next range). Follow such fixes to the versions the record no longer affects;
  // when none can be reached, keep the candidates: the data says no more.
  const resolving = new Set<string>();
  const seen = new Set<string>(fixes);
  let pending = [...fixes];
  for (let round = 0; round < MAX_FIX_ROUNDS && pending.length > 0; round++) {
    const next: string[] = [];
    for (const fix of pending) {
      const further = new Set<string>();
      if (!collectFixes(record, { ...target, version: fix }, further)) {
        resolving.add(fix);
        continue;
      }
      for (const f of further) {
        if (!seen.has(f)) {
          seen.add(f);
          next.push(f);
        }
      }
    }
    pending = next;
  }
  return { fixedVersions: [...(resolving.size > 0 ? resolving : fixes)].sort(order) };
}

/** Whether the record affects the target, adding the fixes of the ranges that contain it. */
function collectFixes(record: OsvRecord, target: MatchTarget, fixes: Set<string>): boolean {
  if (record.withdrawn !== undefined) return false;
  const name = normalizeOsvPackageName(target.ecosystem, target.name);
  let hit = false;
  for (const entry of record.affected) {
    // Exact: `Debian:12` is not `Debian`, and `pypi` is not `PyPI`.
    if (entry.package.ecosystem !== target.ecosystem) continue;
    if (normalizeOsvPackageName(target.ecosystem, entry.package.name) !== name) continue;
    if (matchAffected(entry, target, fixes)) hit = true;
  }
  return hit;
}
