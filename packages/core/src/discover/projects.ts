// From found files to Projects: a lockfile with the manifest beside it, requirements files on their
// own, and manifests without a lockfile either as members of an ancestor's project (workspaces,
// a lockfile higher up) or as projects of their own.
import { posix } from 'node:path';
import type { Ecosystem, Project } from '../model/index.js';
import type { FileClassifier, LockfileKind } from './file-kinds.js';
import type { FoundFile } from './walk.js';
import {
  cargoWorkspaces,
  isDeclaredMember,
  npmWorkspaces,
  pnpmWorkspaces,
  uvWorkspaces,
  type WorkspaceDeclaration,
} from './workspaces.js';

/** Reads a found file's text for workspace declarations; undefined when it cannot be read. */
export type ReadText = (file: FoundFile) => Promise<string | undefined>;

interface Draft {
  ecosystem: Ecosystem;
  dir: string;
  manifest?: string;
  manifestName?: string;
  lockfile?: string;
  kind?: LockfileKind;
  parser?: string;
  members: string[];
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Paths compared segment by segment, so a folder's subtree stays together (`a`, `a/b`, `a-b`). */
export function comparePaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = compareStrings(as[i] ?? '', bs[i] ?? '');
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

function depth(path: string): number {
  return path.split('/').length;
}

function dirKey(dir: string): string {
  return dir === '.' ? '' : dir;
}

/** `a/b` relative to `a` is `b`; `.` when equal. */
function relativeDir(ancestor: string, dir: string): string {
  return ancestor === '.' ? dir : dir.slice(ancestor.length + 1);
}

function ancestorsOf(dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  while (d !== '.') {
    d = posix.dirname(d);
    out.push(d);
  }
  return out;
}

export async function buildProjects(
  files: readonly FoundFile[],
  classifier: FileClassifier,
  readText: ReadText,
): Promise<Project[]> {
  const byDir = new Map<string, FoundFile[]>();
  for (const f of files) {
    const list = byDir.get(f.dir);
    if (list === undefined) byDir.set(f.dir, [f]);
    else list.push(f);
  }

  const drafts: Draft[] = [];
  const draftsByDir = new Map<string, Draft[]>();
  const lockless: { file: FoundFile; ecosystem: Ecosystem }[] = [];

  for (const [dir, dirFiles] of byDir) {
    const names = new Set(dirFiles.map((f) => f.name));
    const paired = new Set<string>();
    const here: Draft[] = [];
    for (const f of dirFiles) {
      const kind = classifier.lockfileKind(f.name);
      if (kind === undefined) continue;
      const manifestName = kind.manifests.find((m) => names.has(m));
      if (manifestName !== undefined) paired.add(manifestName);
      const parser = classifier.parserFor(f.name, kind.ecosystem);
      here.push({
        ecosystem: kind.ecosystem,
        dir,
        ...(manifestName === undefined
          ? {}
          : { manifest: dir === '.' ? manifestName : `${dir}/${manifestName}`, manifestName }),
        lockfile: f.rel,
        kind,
        ...(parser === undefined ? {} : { parser: parser.id }),
        members: [],
      });
    }
    for (const f of dirFiles) {
      const ecosystem = classifier.manifestEcosystem(f.name);
      if (ecosystem === undefined || paired.has(f.name)) continue;
      lockless.push({ file: f, ecosystem });
    }
    drafts.push(...here);
    draftsByDir.set(dir, here);
  }

  // Workspace declarations, read at most once per root manifest.
  const declarations = new Map<string, Promise<WorkspaceDeclaration | undefined>>();
  const declarationOf = (
    dir: string,
    manifestName: string,
  ): Promise<WorkspaceDeclaration | undefined> => {
    const key = `${dir}\0${manifestName}`;
    let pending = declarations.get(key);
    if (pending === undefined) {
      pending = readDeclaration(byDir.get(dir) ?? [], manifestName, readText);
      declarations.set(key, pending);
    }
    return pending;
  };

  // Shallow manifests first, so that a workspace root is its own project before members join it.
  lockless.sort(
    (a, b) => depth(a.file.rel) - depth(b.file.rel) || comparePaths(a.file.rel, b.file.rel),
  );
  const locklessDrafts = new Map<string, Draft>();
  for (const { file, ecosystem } of lockless) {
    let owner: Draft | undefined;
    for (const ancestor of ancestorsOf(file.dir)) {
      const withLock = (draftsByDir.get(ancestor) ?? []).find(
        (d) => d.ecosystem === ecosystem && d.kind?.manifests.includes(file.name) === true,
      );
      if (withLock !== undefined) {
        owner = withLock;
        break;
      }
      const rootManifest = (byDir.get(ancestor) ?? []).find((f) => f.name === file.name);
      if (rootManifest === undefined) continue;
      const declaration = await declarationOf(ancestor, file.name);
      if (
        declaration !== undefined &&
        isDeclaredMember(declaration, relativeDir(ancestor, file.dir))
      ) {
        owner =
          locklessDrafts.get(rootManifest.rel) ??
          (draftsByDir.get(ancestor) ?? []).find((d) => d.manifest === rootManifest.rel);
        if (owner !== undefined) break;
      }
    }
    if (owner !== undefined) {
      owner.members.push(file.rel);
      continue;
    }
    const parser = classifier.parserFor(file.name, ecosystem);
    const draft: Draft = {
      ecosystem,
      dir: file.dir,
      manifest: file.rel,
      manifestName: file.name,
      ...(parser === undefined ? {} : { parser: parser.id }),
      members: [],
    };
    drafts.push(draft);
    locklessDrafts.set(file.rel, draft);
  }

  return drafts
    .map((d): Project => ({
      ecosystem: d.ecosystem,
      dir: d.dir,
      ...(d.manifest === undefined ? {} : { manifest: d.manifest }),
      ...(d.lockfile === undefined ? {} : { lockfile: d.lockfile }),
      ...(d.parser === undefined ? {} : { parser: d.parser }),
      ...(d.members.length === 0 ? {} : { members: [...d.members].sort(comparePaths) }),
    }))
    .sort(
      (a, b) =>
        comparePaths(dirKey(a.dir), dirKey(b.dir)) ||
        compareStrings(a.ecosystem, b.ecosystem) ||
        compareStrings(a.lockfile ?? a.manifest ?? '', b.lockfile ?? b.manifest ?? ''),
    );
}

async function readDeclaration(
  dirFiles: readonly FoundFile[],
  manifestName: string,
  readText: ReadText,
): Promise<WorkspaceDeclaration | undefined> {
  const read = async (name: string) => {
    const f = dirFiles.find((x) => x.name === name && x.refused === undefined);
    return f === undefined ? undefined : readText(f);
  };
  switch (manifestName) {
    case 'package.json': {
      const pnpm = await read('pnpm-workspace.yaml');
      const fromPnpm = pnpm === undefined ? undefined : pnpmWorkspaces(pnpm);
      if (fromPnpm !== undefined) return fromPnpm;
      const pkg = await read('package.json');
      return pkg === undefined ? undefined : npmWorkspaces(pkg);
    }
    case 'Cargo.toml': {
      const text = await read('Cargo.toml');
      return text === undefined ? undefined : cargoWorkspaces(text);
    }
    case 'pyproject.toml': {
      const text = await read('pyproject.toml');
      return text === undefined ? undefined : uvWorkspaces(text);
    }
    default:
      return undefined;
  }
}
