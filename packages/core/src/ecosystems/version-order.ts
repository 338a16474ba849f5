// What every ecosystem's version scheme shares: a bounded parse cache (range walks and matching
// meet the same strings again and again), and a total order that never throws, with versions the
// scheme cannot read sorted first by code unit.
import type { VersionScheme } from './types.js';

const CACHE_LIMIT = 20_000;

/** Remember a parser's answers, nulls included; the cache is cleared when full. */
export function memoizeParser<T>(
  parse: (version: string) => T | null,
): (version: string) => T | null {
  const cache = new Map<string, T | null>();
  return (version) => {
    const hit = cache.get(version);
    if (hit !== undefined) return hit;
    const parsed = parse(version);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(version, parsed);
    return parsed;
  };
}

/** A scheme from a (memoized) parser and an order of parsed versions. */
export function orderedScheme<T>(
  id: string,
  parse: (version: string) => T | null,
  compare: (a: T, b: T) => number,
): VersionScheme {
  return {
    id,
    isValid: (version) => parse(version) !== null,
    compare(a, b) {
      const pa = parse(a);
      const pb = parse(b);
      // Total even on misuse: invalid strings sort first, by code unit.
      if (pa === null || pb === null) {
        if (pa !== null) return 1;
        if (pb !== null) return -1;
        return a < b ? -1 : a > b ? 1 : 0;
      }
      return compare(pa, pb);
    },
  };
}
