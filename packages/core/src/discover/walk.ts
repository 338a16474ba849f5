// Walking a tree iteratively: the skip list, symlink rules (never out of the root, never twice
// into one folder), no FIFOs or devices, size caps, and a diagnostic for every folder or file refused.
import { join, relative, sep } from 'node:path';
import type { ErrorCode } from '../errors.js';
import type { Diagnostic } from '../model/index.js';
import { isSkippedDir, type FileClassifier } from './file-kinds.js';
import { errorCode, type DiscoverFs, type FileStats } from './fs.js';

export interface WalkOptions {
  readonly fs: DiscoverFs;
  readonly classifier: FileClassifier;
  readonly isExcluded: (relPath: string) => boolean;
  readonly maxFileBytes: number;
  readonly signal?: AbortSignal | undefined;
}

/** A file discovery wants, found at `rel` (relative, `/` separators). */
export interface FoundFile {
  readonly rel: string;
  /** folder relative to the root, `.` for the root */
  readonly dir: string;
  readonly name: string;
  /** absolute path to open (may be a symlink inside the root) */
  readonly abs: string;
  readonly size: number;
  /** set when the file may not be read: the project still shows, with this error */
  readonly refused?: Diagnostic;
}

export interface WalkResult {
  /** real path of the root */
  readonly root: string;
  readonly files: readonly FoundFile[];
  readonly diagnostics: readonly Diagnostic[];
}

interface PendingDir {
  readonly abs: string;
  readonly real: string;
  readonly rel: string;
  /** dev:ino of a folder reached through a symlink, checked again when its turn comes */
  readonly key?: string;
}

/** Whether `child` (a real path) is `root` or inside it. */
export function isInside(root: string, child: string): boolean {
  if (child === root) return true;
  const rel = relative(root, child);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
}

function statKey(stats: FileStats): string {
  return `${String(stats.dev)}:${String(stats.ino)}`;
}

function error(file: string, code: ErrorCode, message: string): Diagnostic {
  return { level: 'error', file, code, message };
}

function warning(file: string, message: string): Diagnostic {
  return { level: 'warning', file, message };
}

export function tooLargeMessage(size: number, max: number): string {
  return `file is ${String(size)} bytes, over the ${String(max)}-byte limit`;
}

/** Walk `rootReal` (already a real, existing directory). */
export async function walkTree(rootReal: string, options: WalkOptions): Promise<WalkResult> {
  const { fs, classifier, isExcluded, maxFileBytes, signal } = options;
  const diagnostics: Diagnostic[] = [];
  const files: FoundFile[] = [];
  const visited = new Set<string>([statKey(await fs.stat(rootReal))]);
  const stack: PendingDir[] = [{ abs: rootReal, real: rootReal, rel: '' }];
  // Folders reached through symlinks wait until every real folder is walked, so a folder is
  // always reported under its real path when it has one inside the root.
  const viaSymlink: PendingDir[] = [];

  const isSkippedPath = (relToRoot: string): boolean =>
    relToRoot.split(sep).some((segment) => isSkippedDir(segment)) ||
    isExcluded(relToRoot.split(sep).join('/'));

  const addFile = (dirRel: string, name: string, abs: string, stats: FileStats) => {
    const rel = dirRel === '' ? name : `${dirRel}/${name}`;
    let refused: Diagnostic | undefined;
    if (!stats.isFile()) {
      refused = error(
        rel,
        'FILE_UNREADABLE',
        'not a regular file (FIFO, socket or device); not read',
      );
    } else if (stats.size > maxFileBytes) {
      refused = error(rel, 'FILE_TOO_LARGE', tooLargeMessage(stats.size, maxFileBytes));
    }
    files.push({
      rel,
      dir: dirRel === '' ? '.' : dirRel,
      name,
      abs,
      size: stats.size,
      ...(refused === undefined ? {} : { refused }),
    });
  };

  for (;;) {
    const current = stack.pop() ?? viaSymlink.shift();
    if (current === undefined) break;
    signal?.throwIfAborted();
    if (current.key !== undefined) {
      if (visited.has(current.key)) continue;
      visited.add(current.key);
    }
    const dirLabel = current.rel === '' ? '.' : current.rel;
    let entries: DirEntry[];
    try {
      entries = await fs.readDir(current.abs);
    } catch (cause) {
      diagnostics.push(
        error(
          dirLabel,
          'FILE_UNREADABLE',
          `cannot read folder (${errorCode(cause) ?? 'error'}); skipped`,
        ),
      );
      continue;
    }
    // A virtualenv (any folder with pyvenv.cfg) holds installed packages, not a project.
    if (current.rel !== '' && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: PendingDir[] = [];
    for (const entry of entries) {
      const name = entry.name;
      const rel = current.rel === '' ? name : `${current.rel}/${name}`;
      const abs = join(current.abs, name);
      if (entry.isDirectory()) {
        if (isSkippedDir(name) || isExcluded(rel)) continue;
        let stats: FileStats;
        try {
          stats = await fs.lstat(abs);
        } catch (cause) {
          diagnostics.push(
            error(
              rel,
              'FILE_UNREADABLE',
              `cannot read folder (${errorCode(cause) ?? 'error'}); skipped`,
            ),
          );
          continue;
        }
        const key = statKey(stats);
        if (visited.has(key)) continue;
        visited.add(key);
        subdirs.push({ abs, real: join(current.real, name), rel });
      } else if (entry.isSymbolicLink()) {
        if (isExcluded(rel)) continue;
        const wanted = classifier.isCandidate(name, current.rel);
        let real: string;
        let stats: FileStats;
        try {
          real = await fs.realpath(abs);
          stats = await fs.stat(abs);
        } catch (cause) {
          const code = errorCode(cause);
          if (code === 'ELOOP') diagnostics.push(warning(rel, 'symlink loop; not followed'));
          else if (wanted)
            diagnostics.push(warning(rel, `broken symlink (${code ?? 'error'}); skipped`));
          continue;
        }
        const inside = isInside(rootReal, real);
        if (stats.isDirectory()) {
          if (isSkippedDir(name)) continue;
          if (!inside) {
            diagnostics.push(
              warning(rel, 'symlink to a folder outside the scanned root; not followed'),
            );
            continue;
          }
          if (isInside(real, current.real)) {
            diagnostics.push(
              warning(rel, 'symlink loop (points to a folder above it); not followed'),
            );
            continue;
          }
          if (real !== rootReal && isSkippedPath(relative(rootReal, real))) continue;
          viaSymlink.push({ abs, real, rel, key: statKey(stats) });
        } else if (wanted) {
          if (!inside) {
            files.push({
              rel,
              dir: current.rel === '' ? '.' : current.rel,
              name,
              abs,
              size: stats.size,
              refused: error(
                rel,
                'PATH_OUTSIDE_ROOT',
                'symlink to a file outside the scanned root; refused',
              ),
            });
          } else {
            addFile(current.rel, name, abs, stats);
          }
        }
      } else if (entry.isFile()) {
        if (!classifier.isCandidate(name, current.rel) || isExcluded(rel)) continue;
        let stats: FileStats;
        try {
          stats = await fs.lstat(abs);
        } catch (cause) {
          diagnostics.push(
            error(rel, 'FILE_UNREADABLE', `cannot read file (${errorCode(cause) ?? 'error'})`),
          );
          continue;
        }
        addFile(current.rel, name, abs, stats);
      } else if (classifier.isCandidate(name, current.rel) && !isExcluded(rel)) {
        // FIFO, socket, block or character device: never opened.
        files.push({
          rel,
          dir: current.rel === '' ? '.' : current.rel,
          name,
          abs,
          size: 0,
          refused: error(
            rel,
            'FILE_UNREADABLE',
            'not a regular file (FIFO, socket or device); not read',
          ),
        });
      }
    }
    // Pushed in reverse so that the next pop is the first in sorted order.
    for (let i = subdirs.length - 1; i >= 0; i--) {
      const next = subdirs[i];
      if (next !== undefined) stack.push(next);
    }
  }

  return { root: rootReal, files, diagnostics };
}

type DirEntry = Awaited<ReturnType<DiscoverFs['readDir']>>[number];
