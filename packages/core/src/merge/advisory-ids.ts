// Advisory ids across databases: which of several aliases names an advisory, in a way that does
// not depend on which sources ran (a finding's fingerprint is built from it).

/** Preference among id families; lower wins. GHSA first: npm audit, OSV and most tools know it. */
const FAMILY_ORDER = ['GHSA', 'RUSTSEC', 'PYSEC', 'CVE', 'OSV', 'MAL'] as const;

function familyRank(id: string): number {
  const dash = id.indexOf('-');
  const prefix = dash === -1 ? id : id.slice(0, dash);
  const rank = (FAMILY_ORDER as readonly string[]).indexOf(prefix.toUpperCase());
  return rank === -1 ? FAMILY_ORDER.length : rank;
}

/** Stable order of ids: by family preference, then by code units. */
export function compareAdvisoryIds(a: string, b: string): number {
  const ra = familyRank(a);
  const rb = familyRank(b);
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The id that names a group of aliases, the same whichever subset of sources reported it. */
export function canonicalAdvisoryId(ids: Iterable<string>): string {
  let best: string | undefined;
  for (const id of ids) {
    if (best === undefined || compareAdvisoryIds(id, best) < 0) best = id;
  }
  return best ?? '';
}
