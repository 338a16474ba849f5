// package-lock.json (lockfileVersion 1, 2, 3) and npm-shrinkwrap.json.
// Format: https://github.com/npm/cli/blob/v11.6.2/docs/lib/content/configuring-npm/package-lock-json.md
// v2/v3 read `packages` (keys are node_modules paths; edges resolve the way node looks modules up);
// v1 reads the nested `dependencies` tree the same way.
import {
  getBoolean,
  getObject,
  getString,
  isJsonObject,
  ownEntries,
  parseJson,
  type JsonObject,
} from '../../decode/index.js';
import { SupplyAuditError } from '../../errors.js';
import type { Diagnostic, PackageSource } from '../../model/index.js';
import {
  walkDependencyGraph,
  type EdgeKind,
  type GraphEdge,
  type GraphNode,
  type GraphRoot,
} from '../dependency-graph.js';
import type { LockfileParser, ParseContext, ParseResult } from '../types.js';
import { packageLockKeyLines, scanJsonKeys } from './json-key-lines.js';
import {
  nodeLabel,
  parseNpmAlias,
  readManifest,
  sourceFromResolved,
  makeEntry,
  toPackage,
  warning,
  type Entry,
} from './npm-common.js';

const NM = 'node_modules/';

/** `node_modules/a/node_modules/@s/b` → `@s/b`; a folder key (`packages/lib`) → `lib`. */
export function nameFromKey(key: string): string {
  const i = key.lastIndexOf(NM);
  if (i !== -1) return key.slice(i + NM.length);
  const slash = key.lastIndexOf('/');
  return slash === -1 ? key : key.slice(slash + 1);
}

/** The folder whose node_modules holds `key`: `a/node_modules/b` → `a`, `node_modules/b` → ``. */
function parentKey(key: string): string {
  const i = key.lastIndexOf(`/${NM}`);
  return i === -1 ? '' : key.slice(0, i);
}

/**
 * Node's module lookup over lockfile keys: from a folder, `<folder>/node_modules/<name>`, then
 * each enclosing node_modules up to the root's. A workspace folder (`packages/lib`) looks in its
 * own node_modules, then the root's. Built once per lockfile; each look-up is a few map reads
 * on strings the JSON parser already hashed, no key building.
 */
export function nodeModulesLookup(
  keys: Iterable<string>,
): (from: string, name: string) => string | undefined {
  const children = new Map<string, Map<string, string>>();
  for (const key of keys) {
    const i = key.lastIndexOf(NM);
    if (i === -1 || (i > 0 && key.charCodeAt(i - 1) !== 0x2f)) continue;
    const folder = i === 0 ? '' : key.slice(0, i - 1);
    let map = children.get(folder);
    if (map === undefined) {
      map = new Map();
      children.set(folder, map);
    }
    map.set(key.slice(i + NM.length), key);
  }
  return (from, name) => {
    let base = from;
    for (;;) {
      const found = children.get(base)?.get(name);
      if (found !== undefined) return found;
      if (base === '') return undefined;
      base = parentKey(base);
    }
  };
}

const DEP_FIELDS = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
  ['devDependencies', 'dev'],
] as const;

/** Calls `visit(name, kind)` for each declared dependency of a lockfile entry. */
function forEachDep(
  entry: JsonObject,
  includeDev: boolean,
  visit: (name: string, kind: EdgeKind) => void,
): void {
  for (const [field, kind] of DEP_FIELDS) {
    if (kind === 'dev' && !includeDev) continue;
    const obj = getObject(entry, field);
    if (obj === undefined) continue;
    const peerMeta = kind === 'peer' ? getObject(entry, 'peerDependenciesMeta') : undefined;
    for (const name of Object.keys(obj)) {
      const optionalPeer =
        peerMeta !== undefined && getBoolean(getObject(peerMeta, name) ?? {}, 'optional') === true;
      visit(name, optionalPeer ? 'optional' : kind);
    }
  }
}

function fail(file: string, line: number, reason: string): SupplyAuditError {
  return new SupplyAuditError('PARSE_FAILED', `${file}:${String(line)}: ${reason}`, { file, line });
}

export const packageLockParser = {
  id: 'npm/package-lock',
  version: 1,
  ecosystem: 'npm',
  matches: (fileName: string) =>
    fileName === 'package-lock.json' || fileName === 'npm-shrinkwrap.json',
  parse(text: string, ctx: ParseContext): ParseResult {
    const json = parseJson(text, ctx.file);
    if (!isJsonObject(json)) throw fail(ctx.file, 1, 'expected a JSON object at the top level');
    const packages = getObject(json, 'packages');
    if (packages !== undefined) return parseModern(text, json, packages, ctx);
    const deps = getObject(json, 'dependencies');
    if (deps !== undefined) return parseLegacy(text, json, deps, ctx);
    if (Object.hasOwn(json, 'packages') || Object.hasOwn(json, 'dependencies')) {
      throw fail(ctx.file, 1, '`packages` or `dependencies` is not an object');
    }
    return { packages: [], diagnostics: [] };
  },
} satisfies LockfileParser;

function rootLabel(name: string | undefined, version: string | undefined, file: string): string {
  if (name !== undefined) return nodeLabel(name, version);
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '.' : file.slice(0, slash);
}

/** lockfileVersion 2 and 3: the flat `packages` map. */
function parseModern(
  text: string,
  json: JsonObject,
  packages: JsonObject,
  ctx: ParseContext,
): ParseResult {
  const file = ctx.file;
  const keyLines = packageLockKeyLines(text).entries;
  const lineOf = (key: string): number => keyLines.get(key) ?? 1;
  const diagnostics: Diagnostic[] = [];

  const objects = new Map<string, JsonObject>();
  const links = new Map<string, string>();
  for (const [key, value] of ownEntries(packages)) {
    if (!isJsonObject(value)) {
      diagnostics.push(warning(file, lineOf(key), `entry "${key}" is not an object`));
      continue;
    }
    objects.set(key, value);
    if (getBoolean(value, 'link') === true) {
      const target = getString(value, 'resolved');
      if (target !== undefined) links.set(key, target);
    }
  }

  const entries = new Map<string, Entry>();
  const localFolders: string[] = [];
  for (const [key, value] of objects) {
    if (key === '') continue;
    const isFolder = !key.startsWith(NM) && !key.includes(`/${NM}`);
    const line = lineOf(key);
    if (links.has(key)) {
      const target = links.get(key) ?? '';
      // The target folder's own entry stands for it; a link to an unlisted folder stands alone.
      if (!objects.has(target)) {
        entries.set(
          key,
          makeEntry(
            { key, name: nameFromKey(key), line, source: { type: 'link', path: target } },
            { local: true },
          ),
        );
      }
      continue;
    }
    const folderName = nameFromKey(key);
    const name = getString(value, 'name') ?? folderName;
    const version = getString(value, 'version');
    if (version === undefined && !isFolder) {
      diagnostics.push(warning(file, line, `entry "${key}" has no version`));
      continue;
    }
    let source: PackageSource;
    if (isFolder) {
      source = {
        type: key.startsWith('../') || key.startsWith('/') ? 'link' : 'workspace',
        path: key,
      };
      localFolders.push(key);
    } else if (getBoolean(value, 'inBundle') === true) {
      source = { type: 'bundled' };
    } else {
      source = sourceFromResolved(getString(value, 'resolved'));
    }
    entries.set(
      key,
      makeEntry(
        { key, name, line, source },
        {
          version,
          alias: !isFolder && folderName !== name ? folderName : undefined,
          integrity: getString(value, 'integrity'),
          license: getString(value, 'license'),
          local: isFolder,
          dev: getBoolean(value, 'dev') === true,
          optional: getBoolean(value, 'optional') === true,
        },
      ),
    );
  }

  const lookup = nodeModulesLookup(objects.keys());
  const resolve = (from: string, name: string): string | undefined => {
    const found = lookup(from, name);
    if (found === undefined) return undefined;
    const target = links.get(found);
    if (target === undefined) return found;
    return entries.has(target) ? target : found;
  };
  const edgesFrom = (key: string, includeDev: boolean, edges: GraphEdge[] = []): GraphEdge[] => {
    forEachDep(objects.get(key) ?? {}, includeDev, (name, kind) => {
      const to = resolve(key, name);
      if (to !== undefined && entries.has(to)) edges.push({ to, kind });
    });
    return edges;
  };

  const nodes = new Map<string, GraphNode>();
  for (const [key, entry] of entries) {
    edgesFrom(key, entry.local, entry.edges);
    nodes.set(key, { label: nodeLabel(entry.name, entry.version), edges: entry.edges });
  }
  const root = objects.get('') ?? {};
  const roots: GraphRoot[] = [
    {
      label: rootLabel(
        getString(root, 'name') ?? getString(json, 'name'),
        getString(root, 'version') ?? getString(json, 'version'),
        file,
      ),
      edges: edgesFrom('', true),
    },
    // Workspace members and linked folders are installed with their dev dependencies.
    ...localFolders.map((key) => ({
      label: nodes.get(key)?.label ?? key,
      edges: edgesFrom(key, true),
    })),
  ];
  const facts = walkDependencyGraph(roots, nodes);
  const out = [...entries.values()].map((e) => toPackage(e, facts.get(e.key), file));
  return { packages: out, diagnostics };
}

/** Lines of v1 entries: keys under `dependencies` (nested any depth) as node_modules paths. */
function legacyLines(text: string): Map<string, number> {
  const keyLines = new Map<string, number>();
  scanJsonKeys(text, (path, key, _offset, line) => {
    const n = path.length;
    if (n % 2 === 0 || path[n - 1] !== 'dependencies') return;
    let id = '';
    for (let i = 0; i < n; i += 2) {
      if (path[i] !== 'dependencies') return;
      const name = i + 1 < n ? path[i + 1] : key;
      id = id === '' ? `${NM}${name ?? ''}` : `${id}/${NM}${name ?? ''}`;
    }
    keyLines.set(id, line);
  });
  return keyLines;
}

/** lockfileVersion 1: the nested `dependencies` tree (npm 5 and 6). */
function parseLegacy(
  text: string,
  json: JsonObject,
  top: JsonObject,
  ctx: ParseContext,
): ParseResult {
  const file = ctx.file;
  const keyLines = legacyLines(text);
  const lineOf = (key: string): number => keyLines.get(key) ?? 1;
  const diagnostics: Diagnostic[] = [];
  const entries = new Map<string, Entry>();
  const requires = new Map<string, string[]>();

  const stack: [JsonObject, string][] = [[top, '']];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [deps, prefix] = item;
    for (const [depName, value] of ownEntries(deps)) {
      const key = prefix === '' ? `${NM}${depName}` : `${prefix}/${NM}${depName}`;
      const line = lineOf(key);
      if (!isJsonObject(value)) {
        diagnostics.push(warning(file, line, `entry "${key}" is not an object`));
        continue;
      }
      const nested = getObject(value, 'dependencies');
      if (nested !== undefined) stack.push([nested, key]);
      const spec = getString(value, 'version');
      if (spec === undefined) {
        diagnostics.push(warning(file, line, `entry "${key}" has no version`));
        continue;
      }
      const alias = parseNpmAlias(spec);
      let name = depName;
      let version: string | undefined = spec;
      let source: PackageSource;
      if (alias !== undefined) {
        name = alias.name;
        version = alias.range;
        source = sourceFromResolved(getString(value, 'resolved'));
      } else if (/^(?:git\+|git:|github:|gitlab:|bitbucket:)/.test(spec)) {
        version = undefined;
        source = sourceFromResolved(spec);
      } else if (spec.startsWith('file:')) {
        version = undefined;
        source = { type: 'path', path: spec.slice(5) };
      } else {
        source = sourceFromResolved(getString(value, 'resolved'));
      }
      if (getBoolean(value, 'bundled') === true) source = { type: 'bundled' };
      const integrity = getString(value, 'integrity');
      entries.set(
        key,
        makeEntry(
          { key, name, line, source },
          {
            version,
            alias: alias === undefined ? undefined : depName,
            integrity,
            local: source.type === 'path',
            dev: getBoolean(value, 'dev') === true,
            optional: getBoolean(value, 'optional') === true,
          },
        ),
      );
      requires.set(
        key,
        ownEntries(getObject(value, 'requires') ?? {}).map(([n]) => n),
      );
    }
  }

  const required = new Set<string>();
  const nodes = new Map<string, GraphNode>();
  const lookup = nodeModulesLookup(entries.keys());
  for (const [key, entry] of entries) {
    for (const depName of requires.get(key) ?? []) {
      const to = lookup(key, depName);
      if (to === undefined) continue;
      required.add(to);
      entry.edges.push({ to, kind: 'prod' });
    }
    nodes.set(key, { label: nodeLabel(entry.name, entry.version), edges: entry.edges });
  }

  const manifest =
    ctx.manifestText === undefined
      ? undefined
      : readManifest(ctx.manifestText, ctx.manifestFile ?? 'package.json');
  let rootEdges: GraphEdge[];
  if (manifest !== undefined) {
    rootEdges = [];
    for (const dep of manifest.deps) {
      const to = lookup('', dep.name);
      if (to !== undefined) rootEdges.push({ to, kind: dep.kind });
    }
  } else {
    // Without package.json, the top-level entries nothing else requires are the direct ones.
    rootEdges = [...entries.values()]
      .filter((e) => !e.key.includes(`/${NM}`) && !required.has(e.key))
      .map((e) => ({
        to: e.key,
        kind: e.dev ? 'dev' : e.optional ? 'optional' : 'prod',
      }));
  }
  const roots: GraphRoot[] = [
    {
      label: rootLabel(
        manifest?.name ?? getString(json, 'name'),
        manifest?.version ?? getString(json, 'version'),
        file,
      ),
      edges: rootEdges,
    },
  ];
  const facts = walkDependencyGraph(roots, nodes);
  const out = [...entries.values()]
    .sort((a, b) => a.line - b.line)
    .map((e) => toPackage(e, facts.get(e.key), file));
  return { packages: out, diagnostics };
}
