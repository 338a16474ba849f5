// uv.lock (uv's TOML lock, `version = 1`): one `[[package]]` per name and version, each with a
// `source` (registry, git, url, path, directory, editable, virtual), `dependencies`,
// `optional-dependencies` (extras) and, on the project's own packages, `dev-dependencies` (groups).
// The roots are the lock's own packages: workspace members, or the editable/virtual project at `.`.
import { posix } from 'node:path';
import type { Diagnostic, Package, PackageSource } from '../../model/index.js';
import {
  walkDependencyGraph,
  type EdgeKind,
  type GraphEdge,
  type GraphNode,
  type GraphRoot,
} from '../dependency-graph.js';
import type { LockfileParser, ParseContext, ParseResult } from '../types.js';
import { TomlEntryLines } from './lock-lines.js';
import { normalizePypiName } from './name.js';
import { strongestEdges } from './pyproject.js';
import { firstSha256, stepLabel, toPackage } from './pypi-package.js';
import {
  getOwn,
  getStrings,
  getTable,
  getTables,
  getText,
  isTable,
  parseToml,
  tableEntries,
  type TomlTable,
  getTableArray,
} from '../../decode/toml.js';
import { isCommitHash, stripCredentials } from './url.js';

interface Entry {
  readonly key: string;
  readonly name: string;
  readonly version: string | undefined;
  readonly line: number;
  readonly table: TomlTable;
  readonly source: PackageSource;
  readonly local: boolean;
  /** the `editable`/`virtual`/`directory` path, for finding the roots */
  readonly localPath: string | undefined;
}

const LOCAL_KINDS = ['editable', 'virtual', 'directory'] as const;

function sourceOf(table: TomlTable): { source: PackageSource; local: boolean; localPath?: string } {
  const source = getTable(table, 'source');
  if (source === undefined) return { source: { type: 'registry' }, local: false };
  const registry = getText(source, 'registry');
  if (registry !== undefined) {
    // A registry may also be a local directory of wheels (`registry = "./wheels"`).
    return { source: { type: 'registry', url: stripCredentials(registry) }, local: false };
  }
  const git = getText(source, 'git');
  if (git !== undefined) {
    // `https://host/repo.git?rev=...#<commit>`: the remote, and the commit uv resolved.
    const hash = git.indexOf('#');
    const commit = hash === -1 ? '' : git.slice(hash + 1);
    let remote = hash === -1 ? git : git.slice(0, hash);
    const query = remote.indexOf('?');
    if (query !== -1) remote = remote.slice(0, query);
    return {
      source: {
        type: 'git',
        url: stripCredentials(remote),
        ...(isCommitHash(commit) ? { commit: commit.toLowerCase() } : {}),
      },
      local: false,
    };
  }
  const url = getText(source, 'url');
  if (url !== undefined)
    return { source: { type: 'url', url: stripCredentials(url) }, local: false };
  for (const kind of LOCAL_KINDS) {
    const path = getText(source, kind);
    if (path !== undefined) return { source: { type: 'path', path }, local: true, localPath: path };
  }
  const path = getText(source, 'path');
  if (path !== undefined) return { source: { type: 'path', path }, local: false };
  return { source: { type: 'registry' }, local: false };
}

/** The sdist's sha256, else the first wheel's. */
function integrityOf(table: TomlTable): string | undefined {
  const sdist = getTable(table, 'sdist');
  const hashes = [sdist ? getOwn(sdist, 'hash') : undefined];
  for (const wheel of getTables(table, 'wheels')) hashes.push(getOwn(wheel, 'hash'));
  return firstSha256(hashes);
}

interface Resolver {
  readonly byName: Map<string, Entry[]>;
}

/** `{ name, version?, source? }` → the entries it means (all of that name when not narrowed). */
function resolve(resolver: Resolver, dep: TomlTable): Entry[] {
  const rawName = getText(dep, 'name');
  if (rawName === undefined) return [];
  const candidates = resolver.byName.get(normalizePypiName(rawName)) ?? [];
  const version = getText(dep, 'version');
  if (version === undefined || candidates.length < 2) return candidates;
  return candidates.filter((c) => c.version === version);
}

function depsOf(table: TomlTable | undefined, key: string): TomlTable[] {
  return table ? getTables(table, key) : [];
}

export function parseUvLock(text: string, ctx: ParseContext): ParseResult {
  const doc = parseToml(text, ctx.file);
  const diagnostics: Diagnostic[] = [];
  const items = getTableArray(doc, 'package', ctx.file);
  const lines = new TomlEntryLines(text);
  const entries: Entry[] = [];
  const resolver: Resolver = { byName: new Map() };
  const keys = new Set<string>();
  items.forEach((item, index) => {
    const table = isTable(item) ? item : undefined;
    const rawName = table ? getText(table, 'name') : undefined;
    // uv leaves out `version` for local packages whose version is dynamic.
    const version = table ? getText(table, 'version') : undefined;
    const line = lines.lineOf(rawName ?? '', version, index);
    if (table === undefined || rawName === undefined || rawName === '') {
      diagnostics.push({
        level: 'warning',
        file: ctx.file,
        line,
        message: 'package entry without a name, skipped',
        code: 'PARSE_FAILED',
      });
      return;
    }
    const name = normalizePypiName(rawName);
    const { source, local, localPath } = sourceOf(table);
    if (version === undefined && !local) {
      diagnostics.push({
        level: 'warning',
        file: ctx.file,
        line,
        message: `package "${name.slice(0, 80)}" has no version, skipped`,
        code: 'PARSE_FAILED',
      });
      return;
    }
    let key = `${name}@${version ?? ''}`;
    if (keys.has(key)) key = `${key}#${String(index)}`;
    keys.add(key);
    const entry: Entry = { key, name, version, line, table, source, local, localPath };
    entries.push(entry);
    const sameName = resolver.byName.get(name);
    if (sameName === undefined) resolver.byName.set(name, [entry]);
    else sameName.push(entry);
  });

  // Extras some edge asks for (`{ name = "requests", extra = ["socks"] }`): their dependencies
  // are installed; the extras nobody asks for are not.
  const wanted = new Set<string>();
  for (const entry of entries) {
    const dev = getTable(entry.table, 'dev-dependencies');
    const optional = getTable(entry.table, 'optional-dependencies');
    const all = [
      ...depsOf(entry.table, 'dependencies'),
      ...(dev ? tableEntries(dev) : []).flatMap(([, v]) =>
        Array.isArray(v) ? v.filter(isTable) : [],
      ),
      ...(optional ? tableEntries(optional) : []).flatMap(([, v]) =>
        Array.isArray(v) ? v.filter(isTable) : [],
      ),
    ];
    for (const dep of all) {
      for (const extra of getStrings(dep, 'extra')) {
        for (const target of resolve(resolver, dep)) wanted.add(`${target.key}\0${extra}`);
      }
    }
  }

  const edgesOf = (entry: Entry, isRoot: boolean): GraphEdge[] => {
    const edges: GraphEdge[] = [];
    const add = (deps: readonly TomlTable[], kind: EdgeKind): void => {
      for (const dep of deps)
        for (const target of resolve(resolver, dep)) edges.push({ to: target.key, kind });
    };
    add(depsOf(entry.table, 'dependencies'), 'prod');
    const optional = getTable(entry.table, 'optional-dependencies');
    for (const [extra, deps] of optional ? tableEntries(optional) : []) {
      const tables = Array.isArray(deps) ? deps.filter(isTable) : [];
      // A root's extras are optional; a dependency's extras are installed when asked for.
      if (isRoot) add(tables, 'optional');
      else if (wanted.has(`${entry.key}\0${extra}`)) add(tables, 'prod');
    }
    if (isRoot) {
      const groups = getTable(entry.table, 'dev-dependencies');
      for (const [, deps] of groups ? tableEntries(groups) : []) {
        add(Array.isArray(deps) ? deps.filter(isTable) : [], 'dev');
      }
    }
    return strongestEdges(edges);
  };

  // Roots: workspace members named in `[manifest]`, else the project at `.` (editable or virtual).
  const manifest = getTable(doc, 'manifest');
  const members = new Set(getStrings(manifest ?? {}, 'members').map(normalizePypiName));
  let rootEntries = entries.filter((e) =>
    members.size > 0 ? members.has(e.name) && e.local : e.localPath === '.',
  );
  if (rootEntries.length === 0) {
    // No project at `.` (a lock of a workspace root without its own package): local packages
    // that nothing depends on.
    const depended = new Set<string>();
    for (const entry of entries) for (const edge of edgesOf(entry, false)) depended.add(edge.to);
    rootEntries = entries.filter((e) => e.local && !depended.has(e.key));
  }
  const rootKeys = new Set(rootEntries.map((e) => e.key));
  const roots: GraphRoot[] = rootEntries.map((e) => ({
    label: stepLabel(e.name, e.version),
    edges: edgesOf(e, true),
  }));
  const nodes = new Map<string, GraphNode>();
  // Roots are nodes too, so that one workspace member depending on another is seen.
  for (const entry of entries) {
    nodes.set(entry.key, {
      label: stepLabel(entry.name, entry.version),
      edges: edgesOf(entry, false),
    });
  }
  const facts = walkDependencyGraph(roots, nodes);

  const packages: Package[] = entries.map((entry) => {
    const fact = facts.get(entry.key);
    const isRoot = rootKeys.has(entry.key);
    return toPackage({
      name: entry.name,
      version: entry.version,
      direct: fact?.direct ?? false,
      dev: fact?.dev ?? false,
      optional: fact?.optional ?? false,
      local: entry.local,
      paths: isRoot ? [[stepLabel(entry.name, entry.version)]] : (fact?.paths ?? []),
      location: { file: ctx.file, line: entry.line },
      source: entry.source,
      integrity: integrityOf(entry.table),
    });
  });
  return { packages, diagnostics };
}

export const uvLockParser = {
  id: 'pypi/uv-lock',
  version: 1,
  ecosystem: 'PyPI',
  matches: (fileName: string) => posix.basename(fileName) === 'uv.lock',
  parse: parseUvLock,
} satisfies LockfileParser;
