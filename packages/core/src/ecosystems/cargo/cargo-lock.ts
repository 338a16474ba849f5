// Cargo.lock, formats v1 to v4 (cargo's ResolveVersion:
// https://github.com/rust-lang/cargo/blob/0.96.0/src/cargo/core/resolver/resolve.rs).
// v1: dependencies as `name version (source)`, checksums in [metadata]; v2: `name` or
// `name version` when ambiguous, checksums inline; v3/v4 add a `version` key (and change how
// git URLs are encoded, which does not matter here).
import { SupplyAuditError } from '../../errors.js';
import {
  formatPurl,
  type Diagnostic,
  type Package,
  type PackageSource,
} from '../../model/index.js';
import {
  walkDependencyGraph,
  type GraphEdge,
  type GraphNode,
  type GraphRoot,
} from '../dependency-graph.js';
import type { LockfileParser, ParseContext, ParseResult } from '../types.js';
import { readWorkspaceManifests } from './cargo-manifest.js';
import { getOwn, getTable, getTableArray, getText, isTable, parseToml } from '../../decode/toml.js';

const KNOWN_FORMATS = [3, 4] as const;

interface Entry {
  readonly key: string;
  readonly name: string;
  readonly version: string;
  readonly source: string | undefined;
  readonly checksum: string | undefined;
  readonly dependencies: readonly string[];
  readonly line: number;
}

interface DependencyRef {
  readonly name: string;
  readonly version: string | undefined;
  readonly source: string | undefined;
}

export const cargoLockParser = {
  id: 'cargo/cargo-lock',
  version: 1,
  ecosystem: 'crates.io',
  matches: (fileName: string) => fileName === 'Cargo.lock',
  parse: parseCargoLock,
} satisfies LockfileParser;

export function parseCargoLock(text: string, ctx: ParseContext): ParseResult {
  const { file } = ctx;
  const doc = parseToml(text, file);
  const diagnostics: Diagnostic[] = [];
  const warn = (line: number, message: string): void => {
    diagnostics.push({ level: 'warning', file, line, message, code: 'PARSE_FAILED' });
  };

  const format = getOwn(doc, 'version');
  if (format !== undefined && !(KNOWN_FORMATS as readonly unknown[]).includes(format)) {
    warn(
      lineOfKey(text, 'version'),
      `unknown Cargo.lock format version ${describe(format)}; read as version 4`,
    );
  }
  const list = getOwn(doc, 'package');
  if (list === undefined) {
    throw new SupplyAuditError(
      'PARSE_FAILED',
      `${file}:1: no [[package]] entries (not a Cargo.lock?)`,
      {
        file,
        line: 1,
      },
    );
  }
  // When `package` is not an array, the error names the line of its key.
  const items = getTableArray(
    doc,
    'package',
    file,
    Array.isArray(list) ? 1 : lineOfKey(text, 'package'),
  );

  // v1 keeps checksums apart: "checksum name version (source)" = "hex".
  const metadataChecksums = new Map<string, string>();
  const metadata = getTable(doc, 'metadata');
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (key.startsWith('checksum ') && typeof value === 'string' && value !== '<none>') {
        metadataChecksums.set(key.slice('checksum '.length), value);
      }
    }
  }

  const headerLines = packageHeaderLines(text);
  const entries: Entry[] = [];
  const byName = new Map<string, Entry[]>();
  for (const [index, raw] of items.entries()) {
    const line = headerLines[index] ?? 1;
    if (!isTable(raw)) {
      warn(line, `[[package]] entry ${index + 1} is not a table; skipped`);
      continue;
    }
    const name = getText(raw, 'name');
    const version = getText(raw, 'version');
    if (name === undefined || name === '') {
      warn(line, `[[package]] entry ${index + 1} has no name; skipped`);
      continue;
    }
    if (version === undefined || version === '') {
      warn(line, `package "${name}" has no version; skipped`);
      continue;
    }
    const source = getText(raw, 'source');
    const deps = getOwn(raw, 'dependencies');
    const dependencies: string[] = [];
    if (Array.isArray(deps)) {
      for (const d of deps) {
        if (typeof d === 'string') dependencies.push(d);
        else warn(line, `package "${name}" has a dependency that is not a string; ignored`);
      }
    } else if (deps !== undefined) {
      warn(line, `package "${name}" has "dependencies" that is not an array; ignored`);
    }
    const checksum =
      getText(raw, 'checksum') ??
      metadataChecksums.get(
        source === undefined ? `${name} ${version}` : `${name} ${version} (${source})`,
      );
    const entry: Entry = {
      key: String(index),
      name,
      version,
      source,
      checksum,
      dependencies,
      line,
    };
    entries.push(entry);
    const same = byName.get(name);
    if (same === undefined) byName.set(name, [entry]);
    else same.push(entry);
  }

  // Workspace members and path crates have no source: they are the roots of the graph.
  const locals = entries.filter((e) => e.source === undefined);
  const manifests = readWorkspaceManifests(
    ctx,
    locals.map((e) => e.name),
  );
  diagnostics.push(...manifests.diagnostics);

  const nodes = new Map<string, GraphNode>();
  const roots: GraphRoot[] = [];
  for (const entry of entries) {
    const devOnly =
      entry.source === undefined ? manifests.members.get(entry.name)?.devOnly : undefined;
    const edges: GraphEdge[] = [];
    for (const spec of entry.dependencies) {
      const target = resolveDependency(spec, byName, (message) => {
        warn(entry.line, `${entry.name}@${entry.version}: ${message}`);
      });
      if (target === undefined) continue;
      edges.push({ to: target.key, kind: devOnly?.has(target.name) === true ? 'dev' : 'prod' });
    }
    const label = `${entry.name}@${entry.version}`;
    nodes.set(entry.key, { label, edges });
    if (entry.source === undefined) roots.push({ label, edges });
  }
  const facts = walkDependencyGraph(roots, nodes);

  const packages: Package[] = entries.map((entry) => {
    const fact = facts.get(entry.key);
    const member = entry.source === undefined ? manifests.members.get(entry.name) : undefined;
    const local = entry.source === undefined;
    return {
      ecosystem: 'crates.io',
      name: entry.name,
      version: entry.version,
      purl: formatPurl('crates.io', entry.name, entry.version),
      direct: fact?.direct ?? false,
      dev: fact?.dev ?? false,
      optional: fact?.optional ?? false,
      ...(local ? { local: true } : {}),
      paths: fact?.paths ?? [],
      location: { file, line: entry.line },
      source: describeSource(entry.source, member?.dir),
      ...(entry.checksum === undefined ? {} : { integrity: `sha256:${entry.checksum}` }),
    };
  });
  return { packages, diagnostics };
}

/** `name`, `name version` or `name version (source)`, resolved to one entry. */
function resolveDependency(
  spec: string,
  byName: ReadonlyMap<string, readonly Entry[]>,
  warn: (message: string) => void,
): Entry | undefined {
  const ref = parseDependencyRef(spec);
  if (ref === undefined) {
    warn(`malformed dependency "${spec.slice(0, 200)}"; ignored`);
    return undefined;
  }
  let candidates = byName.get(ref.name) ?? [];
  if (ref.version !== undefined) candidates = candidates.filter((e) => e.version === ref.version);
  if (ref.source !== undefined) candidates = candidates.filter((e) => e.source === ref.source);
  const [first, second] = candidates;
  if (first === undefined) {
    warn(`dependency "${spec.slice(0, 200)}" is not in the lockfile; ignored`);
    return undefined;
  }
  if (second !== undefined) {
    // v1 writes path crates as `name version` with no source: prefer the one without a source.
    const local = ref.source === undefined ? candidates.filter((e) => e.source === undefined) : [];
    if (local.length === 1) return local[0];
    warn(
      `dependency "${spec.slice(0, 200)}" matches ${candidates.length} packages; the first is used`,
    );
  }
  return first;
}

function parseDependencyRef(spec: string): DependencyRef | undefined {
  const s = spec.trim();
  const sp = s.indexOf(' ');
  if (sp === -1) return s === '' ? undefined : { name: s, version: undefined, source: undefined };
  const name = s.slice(0, sp);
  const rest = s.slice(sp + 1);
  const sp2 = rest.indexOf(' ');
  if (sp2 === -1) return { name, version: rest, source: undefined };
  const version = rest.slice(0, sp2);
  const tail = rest.slice(sp2 + 1);
  if (!tail.startsWith('(') || !tail.endsWith(')') || tail.length < 3) return undefined;
  return { name, version, source: tail.slice(1, -1) };
}

/** `registry+URL`, `sparse+URL`, `git+URL?rev=..#commit`, `path+file://...`, or none (local). */
export function describeSource(source: string | undefined, dir?: string): PackageSource {
  if (source === undefined)
    return dir === undefined ? { type: 'path' } : { type: 'path', path: dir };
  const plus = source.indexOf('+');
  const kind = plus === -1 ? '' : source.slice(0, plus);
  const url = source.slice(plus + 1);
  switch (kind) {
    case 'registry':
    case 'sparse':
      return { type: 'registry', url };
    case 'git': {
      const hash = url.indexOf('#');
      if (hash === -1) return { type: 'git', url };
      return { type: 'git', url: url.slice(0, hash), commit: url.slice(hash + 1) };
    }
    case 'path':
      return { type: 'path', url };
    default:
      return { type: 'url', url: source };
  }
}

/**
 * Line of each `[[package]]` header, in order: smol-toml keeps no positions, and the n-th
 * header is the n-th array element. One forward scan with indexOf.
 */
function packageHeaderLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (isPackageHeader(text, start, end)) lines.push(line);
    line++;
    start = end + 1;
  }
  return lines;
}

function isPackageHeader(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\ufeff')) i++;
  if (text.charCodeAt(i) !== 0x5b || text.charCodeAt(i + 1) !== 0x5b) return false; // `[[`
  // `[[package]]`, allowing the spaces TOML allows inside the brackets.
  const inner = text
    .slice(i + 2, Math.min(end, i + 64))
    .replaceAll(' ', '')
    .replaceAll('\t', '');
  return inner.startsWith('package]]') || inner.startsWith('"package"]]');
}

/** Line of the first top-level `key =` (for messages about top-level keys). */
function lineOfKey(text: string, key: string): number {
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const row = text.slice(start, Math.min(end, start + key.length + 8)).trimStart();
    if (row.startsWith(key) && row.slice(key.length).trimStart().startsWith('=')) return line;
    if (row.startsWith('[')) return 1; // past the top level
    line++;
    start = end + 1;
  }
  return 1;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value.slice(0, 40)}"` : String(value).slice(0, 40);
}
