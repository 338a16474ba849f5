// SemVer 2.0.0 precedence (node-semver `compare`), parsed leniently because advisories write `1.0`
// (GHSA-r683-j2x4-v87g) and `v1.2.3`. npm and crates.io order versions this way (RustSec opens
// ranges at `0.0.0-0`); each ecosystem names its scheme in its own version.ts.
import { SemVer } from 'semver';
import type { VersionScheme } from './types.js';
import { memoizeParser, orderedScheme } from './version-order.js';

/** node-semver's own MAX_LENGTH: anything longer is not a version, and is rejected before any regex. */
const MAX_VERSION_LENGTH = 256;

// Linear: each group starts with a distinct literal (`.`, `-`, `+`). A prerelease is kept as
// written; semver.coerce would drop it (`1.0.0-beta` → `1.0.0`), which reorders ranges.
const PARTIAL = /^[v=]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

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
export const parseLenientSemver = memoizeParser(parseUncached);

/** A SemVer scheme under an ecosystem's own id. */
export function createSemverScheme(id: string): VersionScheme {
  return orderedScheme(id, parseLenientSemver, (a, b) => a.compare(b));
}
