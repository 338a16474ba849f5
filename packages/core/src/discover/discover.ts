// discover(root): the projects under a folder, and what could not be looked at.
import { resolve } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES } from '../decode/index.js';
import { ECOSYSTEM_PLUGINS } from '../ecosystems/index.js';
import type { EcosystemPlugin } from '../ecosystems/types.js';
import { SupplyAuditError } from '../errors.js';
import type { Diagnostic, PolicyFile, Project } from '../model/index.js';
import { createClassifier, policyFileKind } from './file-kinds.js';
import { errorCode, nodeFs, type DiscoverFs } from './fs.js';
import { compileExcludes } from './glob.js';
import { buildProjects, comparePaths, compareStrings } from './projects.js';
import { readFoundFile } from './read.js';
import { walkTree } from './walk.js';

export interface DiscoverOptions {
  /** extra folder or file names (`fixtures`) or globs relative to the root (`examples/**`) to skip */
  readonly exclude?: readonly string[];
  /** largest manifest or lockfile read, in bytes (default DEFAULT_MAX_FILE_BYTES) */
  readonly maxFileBytes?: number;
  readonly signal?: AbortSignal;
  /** for tests: the filesystem to walk */
  readonly fs?: DiscoverFs;
  /** for tests: the plugins whose files count */
  readonly plugins?: readonly EcosystemPlugin[];
}

export interface Discovery {
  /** real path of the scanned root */
  readonly root: string;
  readonly projects: readonly Project[];
  /**
   * Problems met on the way. An error whose `file` is a project's manifest or lockfile means that
   * file may not be read (outside the root, too large, not a regular file).
   */
  readonly diagnostics: readonly Diagnostic[];
  /** workflows, action metadata and Dockerfiles for the pinning checks (refused ones left out) */
  readonly policyFiles: readonly PolicyFile[];
}

/** Resolve and check the root; a missing or non-folder root is a usage error. */
export async function resolveRoot(path: string, fs: DiscoverFs = nodeFs): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(resolve(path));
    const stats = await fs.stat(real);
    if (!stats.isDirectory()) {
      throw new SupplyAuditError('USAGE', `${path}: not a directory; give the folder to scan`);
    }
  } catch (cause) {
    if (cause instanceof SupplyAuditError) throw cause;
    const code = errorCode(cause);
    const reason = code === 'ENOENT' ? 'no such directory' : `cannot open (${code ?? 'error'})`;
    throw new SupplyAuditError('USAGE', `${path}: ${reason}`, { cause });
  }
  return real;
}

export async function discover(path: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const fs = options.fs ?? nodeFs;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const classifier = createClassifier(options.plugins ?? ECOSYSTEM_PLUGINS);
  const root = await resolveRoot(path, fs);
  const walked = await walkTree(root, {
    fs,
    classifier,
    isExcluded: compileExcludes(options.exclude ?? []),
    maxFileBytes,
    signal: options.signal,
  });
  const projects = await buildProjects(walked.files, classifier, async (file) => {
    try {
      return await readFoundFile(fs, root, file.rel, maxFileBytes);
    } catch {
      return undefined;
    }
  });
  const refused = walked.files.flatMap((f) => (f.refused === undefined ? [] : [f.refused]));
  const diagnostics = [...walked.diagnostics, ...refused].sort(
    (a, b) => comparePaths(a.file, b.file) || compareStrings(a.message, b.message),
  );
  const policyFiles: PolicyFile[] = [];
  for (const f of walked.files) {
    const kind = policyFileKind(f.dir === '.' ? '' : f.dir, f.name);
    if (kind !== undefined && f.refused === undefined) policyFiles.push({ rel: f.rel, kind });
  }
  policyFiles.sort((a, b) => comparePaths(a.rel, b.rel));
  return { root, projects, diagnostics, policyFiles };
}
