// SemVer 2.0.0 precedence (node-semver `compare`), parsed leniently because advisories write `1.0`
// (GHSA-r683-j2x4-v87g) and `v1.2.3`. npm and crates.io order versions this way (RustSec opens
// ranges at `0.0.0-0`); each ecosystem names its scheme in its own version.ts.
import { SemVer } from 'semver';
import type { VersionScheme } from './types.js';

/** node-semver's own MAX_LENGTH: anything longer is not a version, and is rejected before any regex. */
const MAX_VERSION_LENGTH = 256;

// Linear: each group starts with a distinct literal (`.`, `-`, `+`). A prerelease is kept as
// written; semver.coerce would drop it (`1.0.0-beta` → `1.0.0`), which reorders ranges.
const PARTIAL = /^[v=]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const cache = new Map<string, SemVer | null>();
const CACHE_LIMIT = 20_000;

function trimmed(version: string): string | undefined {
  if (version.length > MAX_VERSION_LENGTH) return undefined;
  const t = version.trim();
  return t === '' ? undefined : t;
}

function parseUncached(version: string): SemVer | null {
  const t = trimmed(version);
  if (t === undefined) return null;
  const m = PARTIAL.exec(t);
  if (m === null) return null;
  const [, major = '', minor = '0', patch = '0', pre = '', build = ''] = m;
  try {
    return new SemVer(`${major}.${minor}.${patch}${pre}${build}`);
  } catch {
    // invalid identifiers (`01` in a prerelease, empty `..`), numbers beyond 2^53
    return null;
  }
}

/** The parsed version, or null when it is not a SemVer version, even leniently. */
export function parseLenientSemver(version: string): SemVer | null {
  const hit = cache.get(version);
  if (hit !== undefined) return hit;
  const parsed = parseUncached(version);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(version, parsed);
  return parsed;
}

/** A SemVer scheme under an ecosystem's own id. */
export function createSemverScheme(id: string): VersionScheme {
  return {
    id,
    isValid: (version: string): boolean => parseLenientSemver(version) !== null,
    compare(a: string, b: string): number {
      const pa = parseLenientSemver(a);
      const pb = parseLenientSemver(b);
      // Total even on misuse: invalid strings sort first, by code unit.
      if (pa === null || pb === null) {
        if (pa !== null) return 1;
        if (pb !== null) return -1;
        return a < b ? -1 : a > b ? 1 : 0;
      }
      return pa.compare(pb);
    },
  };
}
