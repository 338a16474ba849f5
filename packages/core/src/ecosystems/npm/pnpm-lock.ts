// pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x.
// Format: https://github.com/pnpm/pnpm/blob/v10.12.1/lockfile/types/src/index.ts and
// https://github.com/pnpm/spec/blob/master/lockfile/6.0.md (keys `/name@1.0.0(peer@2.0.0)` in v6,
// `name@1.0.0` in `packages` plus `name@1.0.0(peer@2.0.0)` in `snapshots` in v9, `/name/1.0.0_peer`
// in v5). Peer suffixes are dropped: one Package per name@version, its graph edges merged.
import {
  getObject,
  getString,
  isJsonObject,
  ownEntries,
  parseYaml,
  type JsonObject,
  type JsonValue,
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
import {
  makeEntry,
  nodeLabel,
  readManifest,
  toPackage,
  warning,
  type Entry,
} from './npm-common.js';
import { yamlEntryLines } from './yaml-key-lines.js';

const IMPORTER_FIELDS = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
] as const;

const PACKAGE_FIELDS = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
] as const;

/** A scalar as text: versions may come back as numbers from the core schema (`5.4`). */
function scalar(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** `1.2.3(react@18.2.0)(b@1.0.0)` → `1.2.3`; v5's `1.2.3_react@18.2.0` → `1.2.3`. */
export function stripPeers(version: string, major: number): string {
  const paren = version.indexOf('(');
  let out = paren === -1 ? version : version.slice(0, paren);
  if (major < 6) {
    const underscore = out.indexOf('_');
    if (underscore !== -1) out = out.slice(0, underscore);
  }
  return out;
}

/** A package key (`/a@1.0.0(x@1)`, `a@1.0.0`, `/@s/a/1.0.0_x@1`) → name and version. */
export function parsePackageKey(
  key: string,
  major: number,
): { name: string; version: string } | undefined {
  const bare = key.startsWith('/') ? key.slice(1) : key;
  if (major < 6) {
    // v5: name/version; a scoped name has one more slash.
    const slash = bare.indexOf('/', bare.startsWith('@') ? bare.indexOf('/') + 1 : 0);
    if (slash <= 0) return undefined;
    const version = stripPeers(bare.slice(slash + 1), major);
    return version === '' ? undefined : { name: bare.slice(0, slash), version };
  }
  const at = bare.indexOf('@', 1);
  if (at <= 0) return undefined;
  const version = stripPeers(bare.slice(at + 1), major);
  return version === '' ? undefined : { name: bare.slice(0, at), version };
}

/**
 * Where a dependency value points: `link:` targets stay as they are; `1.2.3(peer)` under name
 * `a` is `a@1.2.3`; an alias (`string-width@4.2.3`, v6 `/string-width@4.2.3`, v5
 * `/string-width/4.2.3`) is its own key.
 */
function targetKey(
  depName: string,
  value: string,
  major: number,
  aliases: Map<string, string>,
): string | undefined {
  if (value.startsWith('link:')) return value;
  const stripped = stripPeers(value, major);
  const looksAliased = stripped.startsWith('/') || stripped.indexOf('@', 1) > 0;
  const parsed = looksAliased
    ? parsePackageKey(stripped, major)
    : { name: depName, version: stripped };
  if (parsed === undefined) return undefined;
  const key = `${parsed.name}@${parsed.version}`;
  // An alias is worth recording only for a package never installed under its own name.
  if (parsed.name === depName) aliases.set(key, '');
  else if (!aliases.has(key)) aliases.set(key, depName);
  return key;
}

function sourceOf(entry: JsonObject): PackageSource {
  const resolution = getObject(entry, 'resolution') ?? {};
  const type = getString(resolution, 'type');
  if (type === 'git') {
    const repo = getString(resolution, 'repo');
    const commit = getString(resolution, 'commit');
    return {
      type: 'git',
      ...(repo === undefined ? {} : { url: repo }),
      ...(commit === undefined ? {} : { commit }),
    };
  }
  if (type === 'directory') {
    const directory = getString(resolution, 'directory');
    return { type: 'path', ...(directory === undefined ? {} : { path: directory }) };
  }
  const tarball = getString(resolution, 'tarball');
  if (tarball !== undefined) {
    if (tarball.startsWith('file:')) return { type: 'path', path: tarball.slice(5) };
    return tarball.includes('/-/')
      ? { type: 'registry', url: tarball }
      : { type: 'url', url: tarball };
  }
  return { type: 'registry' };
}

function fail(file: string, line: number, reason: string): SupplyAuditError {
  return new SupplyAuditError('PARSE_FAILED', `${file}:${String(line)}: ${reason}`, { file, line });
}

export const pnpmLockParser = {
  id: 'npm/pnpm-lock',
  version: 1,
  ecosystem: 'npm',
  matches: (fileName: string) => fileName === 'pnpm-lock.yaml',
  parse(text: string, ctx: ParseContext): ParseResult {
    const file = ctx.file;
    const doc = parseYaml(text, file);
    if (!isJsonObject(doc)) throw fail(file, 1, 'expected a YAML mapping at the top level');
    const versionText = scalar(doc['lockfileVersion']);
    const major = versionText === undefined ? NaN : Number.parseInt(versionText, 10);
    if (!Object.hasOwn(doc, 'lockfileVersion') || !(major >= 5 && major <= 9)) {
      throw fail(
        file,
        1,
        `unsupported pnpm lockfileVersion ${JSON.stringify(versionText ?? null)} (5.x, 6.x and 9.x are read)`,
      );
    }
    const lines = yamlEntryLines(text, ['importers', 'packages', 'snapshots']);
    const packageLines = lines.get('packages') ?? new Map<string, number>();
    const importerLines = lines.get('importers') ?? new Map<string, number>();
    const diagnostics: Diagnostic[] = [];
    // name@version → the alias it is installed under ('' once seen under its own name)
    const aliases = new Map<string, string>();

    // Packages: one Entry per name@version.
    const entries = new Map<string, Entry>();
    const rawEdges = new Map<string, [string, string, EdgeKind][]>();
    const addEdges = (key: string, obj: JsonObject): void => {
      const list = rawEdges.get(key) ?? [];
      for (const [field, kind] of PACKAGE_FIELDS) {
        for (const [dep, value] of ownEntries(getObject(obj, field) ?? {})) {
          const v = scalar(value);
          if (v !== undefined) list.push([dep, v, kind]);
        }
      }
      rawEdges.set(key, list);
    };
    for (const [key, value] of ownEntries(getObject(doc, 'packages') ?? {})) {
      const line = packageLines.get(key) ?? packageLines.get('') ?? 1;
      if (!isJsonObject(value)) {
        diagnostics.push(warning(file, line, `package "${key}" is not a mapping`));
        continue;
      }
      // Tarball and git packages record their own name and version; before v9 their keys are
      // not name@version (`github.com/o/g/0123456`) and dependents refer to them by that key.
      const ownName = getString(value, 'name');
      const bare = key.startsWith('/') ? key.slice(1) : key;
      const parsed =
        major < 9 && ownName !== undefined && !bare.startsWith(`${ownName}@`)
          ? { name: ownName, version: stripPeers(bare, major) }
          : parsePackageKey(key, major);
      const name = ownName ?? parsed?.name;
      const version = scalar(value['version']) ?? parsed?.version;
      if (parsed === undefined || name === undefined || version === undefined) {
        diagnostics.push(warning(file, line, `package key "${key}" has no name@version`));
        continue;
      }
      const id = `${parsed.name}@${parsed.version}`;
      if (!entries.has(id)) {
        const source = sourceOf(value);
        const integrity = getString(getObject(value, 'resolution') ?? {}, 'integrity');
        entries.set(
          id,
          makeEntry(
            { key: id, name, line, source },
            {
              version,
              integrity,
              local: source.type === 'path',
              dev: value['dev'] === true,
              optional: value['optional'] === true,
            },
          ),
        );
      }
      if (major < 9) addEdges(id, value);
    }
    if (major >= 9) {
      for (const [key, value] of ownEntries(getObject(doc, 'snapshots') ?? {})) {
        const parsed = parsePackageKey(key, major);
        if (parsed === undefined || !isJsonObject(value)) continue;
        addEdges(`${parsed.name}@${parsed.version}`, value);
      }
    }

    // Importers: the roots. A lockfile of a single project keeps them at the top level.
    const importers = getObject(doc, 'importers') ?? { '.': doc };
    const manifest =
      ctx.manifestText === undefined
        ? undefined
        : readManifest(ctx.manifestText, ctx.manifestFile ?? 'package.json');
    const importerKey = (path: string): string => `importer:${path}`;
    const importerPaths = new Set(ownEntries(importers).map(([p]) => p));
    for (const [path] of ownEntries(importers)) {
      if (path === '.') continue;
      const related = ctx.readRelated?.(`${path}/package.json`);
      const member = related === undefined ? undefined : readManifest(related.text, related.file);
      const slash = path.lastIndexOf('/');
      entries.set(
        importerKey(path),
        makeEntry(
          {
            key: importerKey(path),
            name: member?.name ?? path.slice(slash + 1),
            line: importerLines.get(path) ?? importerLines.get('') ?? 1,
            source: { type: 'workspace', path },
          },
          { version: member?.version, local: true },
        ),
      );
    }

    const resolveLink = (from: string, target: string): string => {
      const rel = target.slice('link:'.length);
      const joined = joinPath(from, rel);
      if (importerPaths.has(joined)) return importerKey(joined);
      const key = `link:${joined}`;
      if (!entries.has(key)) {
        const slash = rel.lastIndexOf('/');
        entries.set(
          key,
          makeEntry(
            {
              key,
              name: rel.slice(slash + 1),
              line: importerLines.get(from) ?? 1,
              source: { type: 'link', path: joined },
            },
            { local: true },
          ),
        );
      }
      return key;
    };

    const roots: GraphRoot[] = [];
    for (const [path, value] of ownEntries(importers)) {
      if (!isJsonObject(value)) continue;
      const edges: GraphEdge[] = [];
      for (const [field, kind] of IMPORTER_FIELDS) {
        for (const [dep, spec] of ownEntries(getObject(value, field) ?? {})) {
          // v6/v9: { specifier, version }; v5: the version itself.
          const v = isJsonObject(spec) ? scalar(spec['version']) : scalar(spec);
          if (v === undefined) continue;
          const target = targetKey(dep, v, major, aliases);
          if (target === undefined) continue;
          edges.push({ to: target.startsWith('link:') ? resolveLink(path, target) : target, kind });
        }
      }
      const label =
        path === '.'
          ? manifest?.name === undefined
            ? '.'
            : nodeLabel(manifest.name, manifest.version)
          : nodeLabel(
              entries.get(importerKey(path))?.name ?? path,
              entries.get(importerKey(path))?.version,
            );
      roots.push({ label, edges });
      entries.get(importerKey(path))?.edges.push(...edges);
    }

    const nodes = new Map<string, GraphNode>();
    for (const [key, entry] of entries) {
      for (const [dep, value, kind] of rawEdges.get(key) ?? []) {
        const to = targetKey(dep, value, major, aliases);
        if (to !== undefined && !to.startsWith('link:')) entry.edges.push({ to, kind });
      }
      nodes.set(key, { label: nodeLabel(entry.name, entry.version), edges: entry.edges });
    }
    const facts = walkDependencyGraph(roots, nodes);
    return {
      packages: [...entries.values()].map((e) => {
        const alias = aliases.get(e.key);
        return toPackage(
          alias === undefined || alias === '' ? e : { ...e, alias },
          facts.get(e.key),
          file,
        );
      }),
      diagnostics,
    };
  },
} satisfies LockfileParser;

/** `packages/a` + `../b` → `packages/b`, with `/` separators. */
function joinPath(from: string, rel: string): string {
  const parts = from === '.' ? [] : from.split('/');
  for (const part of rel.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}
