// Small glob matching for exclude options and workspace member patterns: `*` and `?` within one
// segment, `**` across segments. Greedy matching with one backtrack point: O(n·m), never exponential.

function matchWildcard<T>(
  pattern: readonly T[],
  text: readonly T[],
  isStar: (p: T) => boolean,
  matchOne: (p: T, t: T) => boolean,
): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern[p];
    const tc = text[t];
    if (pc !== undefined && isStar(pc)) {
      starP = p++;
      starT = t;
    } else if (pc !== undefined && tc !== undefined && matchOne(pc, tc)) {
      p++;
      t++;
    } else if (starP !== -1) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length) {
    const pc = pattern[p];
    if (pc === undefined || !isStar(pc)) return false;
    p++;
  }
  return true;
}

/** Whether one path segment matches a segment pattern with `*` and `?`. */
export function matchSegment(pattern: string, segment: string): boolean {
  return matchWildcard(
    Array.from(pattern),
    Array.from(segment),
    (c) => c === '*',
    (p, t) => p === '?' || p === t,
  );
}

/** Strips `./`, a leading `/` and trailing slashes; joins nothing else. */
export function normalizePattern(pattern: string): string {
  let p = pattern.trim();
  while (p.startsWith('./')) p = p.slice(2);
  while (p.startsWith('/')) p = p.slice(1);
  while (p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

/** Whether a `/`-separated relative path matches a glob (anchored at both ends). */
export function matchGlob(pattern: string, path: string): boolean {
  const patternSegments = normalizePattern(pattern)
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  const pathSegments = path.split('/').filter((s) => s !== '' && s !== '.');
  return matchWildcard(
    patternSegments,
    pathSegments,
    (s) => s === '**',
    (p, t) => matchSegment(p, t),
  );
}

/** A path matcher for exclude options: a bare name matches that name anywhere, a path is anchored. */
export function compileExcludes(patterns: readonly string[]): (relPath: string) => boolean {
  const names: string[] = [];
  const paths: string[] = [];
  for (const raw of patterns) {
    const p = normalizePattern(raw);
    if (p === '') continue;
    if (p.includes('/')) paths.push(p);
    else names.push(p);
  }
  if (names.length === 0 && paths.length === 0) return () => false;
  return (relPath) => {
    const slash = relPath.lastIndexOf('/');
    const base = slash === -1 ? relPath : relPath.slice(slash + 1);
    return names.some((n) => matchSegment(n, base)) || paths.some((p) => matchGlob(p, relPath));
  };
}
