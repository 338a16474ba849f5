// RubyGems' version order: Gem::Version (rubygems/version.rb). Validity and the `-` → `.pre.`
// reading come from @renovatebot/ruby-semver; the comparison is our own because the library
// compares letter segments with localeCompare (Ruby compares bytes: `B` < `a`) and numbers
// through parseInt (Ruby has bignums).
import { Version } from '@renovatebot/ruby-semver/dist/ruby/version.js';
import type { VersionScheme } from '../types.js';
import { memoizeParser, orderedScheme } from '../version-order.js';

/** Real gem versions are short; the cap also keeps the library's regex away from long input. */
const MAX_VERSION_LENGTH = 256;

/** A segment: a digit string without leading zeros (numbers) or letters (strings). */
interface Segment {
  readonly numeric: boolean;
  readonly text: string;
}

const SEGMENT = /[0-9]+|[a-z]+/gi;

function canonicalSegments(normalized: string): Segment[] {
  const segments: Segment[] = [];
  for (const m of normalized.matchAll(SEGMENT)) {
    const s = m[0];
    const numeric = s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57;
    segments.push({ numeric, text: numeric ? s.replace(/^0+(?=.)/, '') : s });
  }
  // Gem::Version#canonical_segments: split at the first letter segment, drop trailing zeros of
  // each half.
  const firstString = segments.findIndex((s) => !s.numeric);
  const numericPart = firstString === -1 ? segments : segments.slice(0, firstString);
  const stringPart = firstString === -1 ? [] : segments.slice(firstString);
  const dropTrailingZeros = (part: Segment[]): Segment[] => {
    let end = part.length;
    while (end > 0 && part[end - 1]?.numeric === true && part[end - 1]?.text === '0') end--;
    return part.slice(0, end);
  };
  return [...dropTrailingZeros(numericPart), ...dropTrailingZeros(stringPart)];
}

const ZERO: Segment = { numeric: true, text: '0' };

function compareSegments(a: Segment, b: Segment): number {
  if (a.numeric !== b.numeric) return a.numeric ? 1 : -1;
  if (a.numeric && a.text.length !== b.text.length) return a.text.length < b.text.length ? -1 : 1;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

function parseUncached(version: string): Segment[] | null {
  if (version.length > MAX_VERSION_LENGTH) return null;
  const t = version.trim();
  // Gem::Version reads a blank string as `0`; an advisory or lockfile never means that.
  if (t === '' || !Version.isCorrect(t)) return null;
  const v = Version.create(t);
  return v === null ? null : canonicalSegments(v.version());
}

/** Canonical segments of a version, or null when it is not a Gem::Version. */
const parseGemVersion = memoizeParser(parseUncached);

export const rubygemsVersionScheme: VersionScheme = orderedScheme(
  'gem-version',
  parseGemVersion,
  (sa, sb) => {
    const n = Math.max(sa.length, sb.length);
    for (let i = 0; i < n; i++) {
      const c = compareSegments(sa[i] ?? ZERO, sb[i] ?? ZERO);
      if (c !== 0) return c;
    }
    return 0;
  },
);
