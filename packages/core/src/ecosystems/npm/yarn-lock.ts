// yarn.lock: yarn 1 ("classic", its own line format) and yarn 2+ ("berry", YAML with `__metadata`).
// Formats: https://github.com/yarnpkg/yarn/blob/v1.22.22/src/lockfile/parse.js and
// https://github.com/yarnpkg/berry/blob/%40yarnpkg/cli/4.9.2/packages/yarnpkg-core/sources/Project.ts
// Entries are keyed by the descriptors they satisfy (`name@range, name@range2`); a dependency
// `name: range` points at the entry whose key lists `name@range`. yarn records no root and no
// dev flags, so direct and dev come from package.json (and workspace package.json files).
import { getObject, isJsonObject, ownEntries, parseYaml } from '../../decode/index.js';
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
  nodeLabel,
  parseNpmAlias,
  readManifest,
  sourceFromResolved,
  makeEntry,
  toPackage,
  warning,
  type Entry,
  type Manifest,
} from './npm-common.js';
import { yamlTopLevelLines } from './yaml-key-lines.js';

const METADATA = /^"?__metadata"?:/m;

/** `name@range` → name (a scoped name keeps its leading `@`). */
function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? descriptor : descriptor.slice(0, at);
}

/** Split `a@1, "b@2"` into descriptors, honouring quotes. */
export function splitDescriptors(header: string): string[] {
  const out: string[] = [];
  for (const part of header.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    out.push(unquote(trimmed));
  }
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

/** `key value` / `key "value"` / `key:` → [key, value] (value '' for a block opener). */
function splitField(body: string): [string, string] {
  let keyEnd: number;
  if (body.startsWith('"')) {
    keyEnd = 1;
    while (keyEnd < body.length && body.charCodeAt(keyEnd) !== 0x22) {
      keyEnd += body.charCodeAt(keyEnd) === 0x5c ? 2 : 1;
    }
    keyEnd++;
  } else {
    keyEnd = 0;
    while (
      keyEnd < body.length &&
      body.charCodeAt(keyEnd) !== 0x20 &&
      !(body.charCodeAt(keyEnd) === 0x3a && keyEnd === body.length - 1)
    ) {
      keyEnd++;
    }
  }
  const key = unquote(body.slice(0, keyEnd));
  const rest = body.slice(keyEnd).trim();
  return [key, rest === ':' ? '' : unquote(rest)];
}

interface RawEntry {
  readonly descriptors: string[];
  readonly line: number;
  readonly fields: Map<string, string>;
  readonly deps: [string, string, EdgeKind][];
}

const DEP_BLOCKS: ReadonlyMap<string, EdgeKind> = new Map([
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
]);

/** yarn 1: a line reader (the format is not YAML). Linear in the text. */
function readClassic(text: string): RawEntry[] {
  const entries: RawEntry[] = [];
  let current: RawEntry | undefined;
  let block: EdgeKind | undefined;
  let line = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    line++;
    let raw = text.slice(start, end);
    start = end + 1;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const body = raw.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const indent = raw.length - body.length;
    if (indent === 0) {
      block = undefined;
      current = body.endsWith(':')
        ? { descriptors: splitDescriptors(body.slice(0, -1)), line, fields: new Map(), deps: [] }
        : undefined;
      if (current !== undefined) entries.push(current);
    } else if (current !== undefined && indent === 2) {
      const [key, value] = splitField(body);
      block = value === '' ? DEP_BLOCKS.get(key) : undefined;
      if (value !== '') current.fields.set(key, value);
    } else if (current !== undefined && indent === 4 && block !== undefined) {
      const [name, range] = splitField(body);
      current.deps.push([name, range, block]);
    }
  }
  return entries;
}

/** yarn 2+: YAML; entries are the top-level keys other than `__metadata`. */
function readBerry(text: string, file: string): RawEntry[] {
  const doc = parseYaml(text, file);
  if (!isJsonObject(doc)) {
    throw new SupplyAuditError('PARSE_FAILED', `${file}:1: expected a YAML mapping`, { file });
  }
  const lines = yamlTopLevelLines(text);
  const entries: RawEntry[] = [];
  for (const [key, value] of ownEntries(doc)) {
    if (key === '__metadata') continue;
    const line = lines.get(key) ?? 1;
    const fields = new Map<string, string>();
    const deps: [string, string, EdgeKind][] = [];
    if (isJsonObject(value)) {
      for (const [field, v] of ownEntries(value)) {
        if (typeof v === 'string') fields.set(field, v);
      }
      const meta = getObject(value, 'dependenciesMeta') ?? {};
      for (const [name, range] of ownEntries(getObject(value, 'dependencies') ?? {})) {
        if (typeof range !== 'string') continue;
        const optional = getObject(meta, name)?.['optional'] === true;
        deps.push([name, range, optional ? 'optional' : 'prod']);
      }
      for (const [name, range] of ownEntries(getObject(value, 'optionalDependencies') ?? {})) {
        if (typeof range === 'string') deps.push([name, range, 'optional']);
      }
    } else {
      fields.set('__invalid', 'true');
    }
    entries.push({ descriptors: splitDescriptors(key), line, fields, deps });
  }
  return entries;
}

/** berry `resolution` (`name@npm:1.0.0`, `name@workspace:path`, ...) → source. */
function berrySource(resolution: string): PackageSource {
  const name = descriptorName(resolution);
  const reference = resolution.slice(name.length + 1);
  if (reference.startsWith('workspace:')) {
    return { type: 'workspace', path: reference.slice('workspace:'.length) };
  }
  if (reference.startsWith('link:') || reference.startsWith('portal:')) {
    return { type: 'link', path: reference.slice(reference.indexOf(':') + 1) };
  }
  if (reference.startsWith('file:')) return { type: 'path', path: reference.slice(5) };
  const commit = /#commit=([0-9a-f]{7,64})$/.exec(reference);
  if (commit?.[1] !== undefined) {
    return { type: 'git', url: reference.slice(0, commit.index), commit: commit[1] };
  }
  if (reference.startsWith('https:') || reference.startsWith('http:')) {
    return { type: 'url', url: reference };
  }
  return { type: 'registry' };
}

export const yarnLockParser = {
  id: 'npm/yarn-lock',
  version: 1,
  ecosystem: 'npm',
  matches: (fileName: string) => fileName === 'yarn.lock',
  parse(text: string, ctx: ParseContext): ParseResult {
    const file = ctx.file;
    const berry = METADATA.test(text);
    const raws = berry ? readBerry(text, file) : readClassic(text);
    const diagnostics: Diagnostic[] = [];
    const entries = new Map<string, Entry>();
    const byDescriptor = new Map<string, string>();
    const workspaces = new Map<string, string>(); // path → entry key (berry)
    for (const raw of raws) {
      const key = `#${String(raw.line)}`;
      const first = raw.descriptors[0] ?? '';
      let version = raw.fields.get('version');
      if (raw.fields.has('__invalid')) {
        diagnostics.push(warning(file, raw.line, `entry "${first}" is not a mapping`));
        continue;
      }
      if (version === undefined) {
        diagnostics.push(warning(file, raw.line, `entry "${first}" has no version`));
        continue;
      }
      for (const d of raw.descriptors) byDescriptor.set(d, key);
      const installedAs = descriptorName(first);
      let name = installedAs;
      let source: PackageSource;
      let local = false;
      if (berry) {
        const resolution = raw.fields.get('resolution') ?? first;
        name = descriptorName(resolution);
        source = berrySource(resolution);
        if (source.type === 'workspace') {
          const path = source.path ?? '.';
          workspaces.set(path, key);
          // berry writes 0.0.0-use.local; the member's package.json has the real version
          const related = path === '.' ? undefined : ctx.readRelated?.(`${path}/package.json`);
          const member =
            related === undefined ? undefined : readManifest(related.text, related.file);
          if (member?.version !== undefined) version = member.version;
        }
        local = source.type === 'workspace' || source.type === 'link';
      } else {
        const alias = parseNpmAlias(first.slice(installedAs.length + 1));
        if (alias !== undefined) name = alias.name;
        source = sourceFromResolved(raw.fields.get('resolved'));
      }
      const integrity = raw.fields.get(berry ? 'checksum' : 'integrity');
      entries.set(
        key,
        makeEntry(
          { key, name, line: raw.line, source },
          {
            version,
            // An alias only when the package is never installed under its own name here.
            alias: raw.descriptors.some((d) => descriptorName(d) === name)
              ? undefined
              : installedAs,
            integrity,
            local,
          },
        ),
      );
    }

    const nodes = new Map<string, GraphNode>();
    for (const raw of raws) {
      const key = `#${String(raw.line)}`;
      const entry = entries.get(key);
      if (entry === undefined) continue;
      for (const [name, range, kind] of raw.deps) {
        const to = byDescriptor.get(`${name}@${range}`);
        if (to !== undefined) entry.edges.push({ to, kind });
      }
    }
    for (const [key, entry] of entries) {
      nodes.set(key, { label: nodeLabel(entry.name, entry.version), edges: entry.edges });
    }

    const rawDeps = new Map(raws.map((r) => [`#${String(r.line)}`, r.deps]));
    const roots = rootsOf(ctx, berry, workspaces, rawDeps, byDescriptor);
    const facts = walkDependencyGraph(roots, nodes);
    return {
      packages: [...entries.values()]
        .filter((e) => !(e.source.type === 'workspace' && e.source.path === '.'))
        .map((e) => toPackage(e, facts.get(e.key), file)),
      diagnostics,
    };
  },
} satisfies LockfileParser;

/**
 * The roots: package.json (and, for berry, every workspace entry). A manifest says which
 * dependencies are dev; berry's workspace entries list dependencies and devDependencies alike.
 */
function rootsOf(
  ctx: ParseContext,
  berry: boolean,
  workspaces: ReadonlyMap<string, string>,
  rawDeps: ReadonlyMap<string, readonly [string, string, EdgeKind][]>,
  byDescriptor: ReadonlyMap<string, string>,
): GraphRoot[] {
  const rootManifest =
    ctx.manifestText === undefined
      ? undefined
      : readManifest(ctx.manifestText, ctx.manifestFile ?? 'package.json');
  const manifestAt = (path: string): Manifest | undefined => {
    if (path === '.') return rootManifest;
    const related = ctx.readRelated?.(`${path}/package.json`);
    return related === undefined ? undefined : readManifest(related.text, related.file);
  };
  const kindsOf = (manifest: Manifest | undefined): Map<string, EdgeKind> =>
    new Map((manifest?.deps ?? []).map((d) => [d.name, d.kind]));

  if (berry && workspaces.size > 0) {
    const roots: GraphRoot[] = [];
    for (const [path, key] of workspaces) {
      const manifest = manifestAt(path);
      const kinds = kindsOf(manifest);
      const edges: GraphEdge[] = [];
      for (const [name, range, kind] of rawDeps.get(key) ?? []) {
        const to = byDescriptor.get(`${name}@${range}`);
        if (to !== undefined) edges.push({ to, kind: kinds.get(name) === 'dev' ? 'dev' : kind });
      }
      const label =
        manifest?.name === undefined ? path : nodeLabel(manifest.name, manifest.version);
      roots.push({ label, edges });
    }
    return roots;
  }

  // yarn 1: the lockfile has no workspace entries; read the members package.json names.
  const paths = ['.', ...(rootManifest?.workspaces ?? []).filter((w) => !/[*?{[]/.test(w))];
  const roots: GraphRoot[] = [];
  for (const path of paths) {
    const manifest = manifestAt(path);
    if (manifest === undefined) continue;
    const edges: GraphEdge[] = [];
    for (const dep of manifest.deps) {
      const to = byDescriptor.get(`${dep.name}@${dep.range}`);
      if (to !== undefined) edges.push({ to, kind: dep.kind });
    }
    roots.push({
      label: manifest.name === undefined ? path : nodeLabel(manifest.name, manifest.version),
      edges,
    });
  }
  return roots;
}
