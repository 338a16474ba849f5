// What the npm-family parsers share: reading package.json dependency lists, `npm:` aliases,
// classifying `resolved` URLs into sources, and turning graph facts into Packages.
import { getObject, getString, isJsonObject, ownEntries, parseJson } from '../../decode/index.js';
import type { Diagnostic, Package, PackageSource } from '../../model/index.js';
import { formatPurl } from '../../model/index.js';
import type { EdgeKind, GraphEdge, NodeFacts } from '../dependency-graph.js';

/** A package.json's own name, version and declared dependencies (name → range, by kind). */
export interface Manifest {
  readonly name?: string;
  readonly version?: string;
  readonly deps: readonly {
    readonly name: string;
    readonly range: string;
    readonly kind: EdgeKind;
  }[];
  readonly workspaces: readonly string[];
}

const MANIFEST_FIELDS = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
  ['peerDependencies', 'peer'],
] as const;

/** Read a package.json; undefined when it is not valid JSON (the lockfile still counts). */
export function readManifest(text: string, file: string): Manifest | undefined {
  let json;
  try {
    json = parseJson(text, file);
  } catch {
    return undefined;
  }
  if (!isJsonObject(json)) return undefined;
  const seen = new Set<string>();
  const deps: { name: string; range: string; kind: EdgeKind }[] = [];
  // npm: an optional dependency also listed in dependencies is optional; dev loses to prod.
  for (const [field, kind] of MANIFEST_FIELDS) {
    const obj = getObject(json, field);
    if (obj === undefined) continue;
    for (const [name, range] of ownEntries(obj)) {
      if (typeof range !== 'string' || seen.has(name)) continue;
      if (kind === 'prod' && Object.hasOwn(getObject(json, 'optionalDependencies') ?? {}, name)) {
        continue;
      }
      seen.add(name);
      deps.push({ name, range, kind });
    }
  }
  const ws = json['workspaces'];
  const list = Array.isArray(ws) ? ws : isJsonObject(ws) ? (getArrayOf(ws, 'packages') ?? []) : [];
  const name = getString(json, 'name');
  const version = getString(json, 'version');
  return {
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
    deps,
    workspaces: list.filter((w): w is string => typeof w === 'string'),
  };
}

function getArrayOf(obj: Record<string, unknown>, key: string): unknown[] | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  return Array.isArray(v) ? v : undefined;
}

/** `npm:real-name@range` → real name and range; undefined for anything else. */
export function parseNpmAlias(spec: string): { name: string; range: string } | undefined {
  if (!spec.startsWith('npm:')) return undefined;
  const rest = spec.slice(4);
  const at = rest.indexOf('@', 1);
  if (at === -1) return { name: rest, range: '' };
  return { name: rest.slice(0, at), range: rest.slice(at + 1) };
}

const GIT_PREFIXES = ['git+', 'git://', 'github:', 'gitlab:', 'bitbucket:'] as const;

/** Where a package comes from, from npm's or yarn's `resolved` (URLs are data, never fetched). */
export function sourceFromResolved(resolved: string | undefined): PackageSource {
  if (resolved === undefined || resolved === '') return { type: 'registry' };
  if (GIT_PREFIXES.some((p) => resolved.startsWith(p))) {
    const hash = resolved.lastIndexOf('#');
    if (hash === -1) return { type: 'git', url: resolved };
    return { type: 'git', url: resolved.slice(0, hash), commit: resolved.slice(hash + 1) };
  }
  if (resolved.startsWith('https://') || resolved.startsWith('http://')) {
    // Registry tarballs live at <registry>/<name>/-/<file>.tgz; anything else is a plain URL.
    const url = stripHash(resolved);
    return url.includes('/-/') ? { type: 'registry', url } : { type: 'url', url };
  }
  if (resolved.startsWith('file:')) return { type: 'path', path: resolved.slice(5) };
  return { type: 'path', path: resolved };
}

function stripHash(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * Everything a parser knows about one locked package before the graph walk. Every field is
 * always present (undefined when unknown) so that all entries share one shape.
 */
export interface Entry {
  readonly key: string;
  readonly name: string;
  readonly version: string | undefined;
  readonly line: number;
  readonly source: PackageSource;
  readonly alias: string | undefined;
  readonly integrity: string | undefined;
  readonly license: string | undefined;
  readonly local: boolean;
  /** the lockfile's own flags, used when the graph cannot reach the entry */
  readonly dev: boolean;
  readonly optional: boolean;
  readonly edges: GraphEdge[];
}

export function nodeLabel(name: string, version: string | undefined): string {
  return version === undefined ? name : `${name}@${version}`;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An Entry and its graph facts as a Package. Unreachable entries keep the lockfile's flags.
 * Built field by field: this runs once per package of 10,000-package lockfiles.
 */
export function toPackage(entry: Entry, facts: NodeFacts | undefined, file: string): Package {
  const pkg: Mutable<Package> = {
    ecosystem: 'npm',
    name: entry.name,
    purl: formatPurl('npm', entry.name, entry.version),
    direct: facts?.direct ?? false,
    dev: facts?.dev ?? entry.dev,
    optional: facts?.optional ?? entry.optional,
    paths: facts?.paths ?? [],
    location: { file, line: entry.line },
    source: entry.source,
  };
  if (entry.version !== undefined) pkg.version = entry.version;
  if (entry.local) pkg.local = true;
  if (entry.integrity !== undefined) pkg.integrity = entry.integrity;
  if (entry.license !== undefined) pkg.license = entry.license;
  if (entry.alias !== undefined) pkg.alias = entry.alias;
  return pkg;
}

/** A new Entry; fields left out are undefined or false. */
export function makeEntry(
  base: Pick<Entry, 'key' | 'name' | 'line' | 'source'>,
  more: {
    version?: string | undefined;
    alias?: string | undefined;
    integrity?: string | undefined;
    license?: string | undefined;
    local?: boolean | undefined;
    dev?: boolean | undefined;
    optional?: boolean | undefined;
  } = {},
): Entry {
  return {
    key: base.key,
    name: base.name,
    version: more.version,
    line: base.line,
    source: base.source,
    alias: more.alias,
    integrity: more.integrity,
    license: more.license,
    local: more.local === true,
    dev: more.dev === true,
    optional: more.optional === true,
    edges: [],
  };
}

export function warning(file: string, line: number, message: string): Diagnostic {
  return { level: 'warning', file, line, message, code: 'PARSE_FAILED' };
}
