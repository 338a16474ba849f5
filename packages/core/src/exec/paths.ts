// Containment checks for binaries and PATH entries against the scanned repository.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `child` is `root` or below it (lexically, on resolved paths). */
export function isInside(child: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(child));
  if (rel === '') return true;
  return !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

/** Inside any root, comparing both the given and the real (symlink-resolved) paths. */
export function isInsideAny(path: string, roots: readonly string[]): boolean {
  const candidates = [resolve(path), realOrSelf(path)];
  const realRoots = roots.flatMap((r) => [resolve(r), realOrSelf(r)]);
  return candidates.some((c) => realRoots.some((r) => isInside(c, r)));
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
