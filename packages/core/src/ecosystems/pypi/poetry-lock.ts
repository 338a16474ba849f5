// poetry.lock, every lock format Poetry has written: 1.1 (`[metadata.files]`, `category`),
// 2.0 (`files` per package, `category` until Poetry 1.5) and 2.1 (Poetry 2: `groups`, `markers`).
// The lock records the graph; pyproject.toml says which packages are direct.
import { posix } from 'node:path';
import type { Diagnostic, Package, PackageSource } from '../../model/index.js';
import { walkDependencyGraph, type GraphNode, type GraphRoot } from '../dependency-graph.js';
import type { LockfileParser, ParseContext, ParseResult } from '../types.js';
import { TomlEntryLines } from './lock-lines.js';
import { normalizePypiName } from './name.js';
import { readPyproject, strongestEdges } from './pyproject.js';
import { firstSha256, stepLabel, toPackage } from './pypi-package.js';
import {
  getList,
  getOwn,
  getStrings,
  getTable,
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
  readonly version: string;
  readonly line: number;
  readonly table: TomlTable;
}

/** `[package.source]`: git (with the resolved commit), url, directory/file, or a named index. */
function sourceOf(table: TomlTable): { source: PackageSource; local: boolean } {
  const source = getTable(table, 'source');
  const type = source ? getText(source, 'type') : undefined;
  const url = source ? getText(source, 'url') : undefined;
  if (source === undefined || type === undefined)
    return { source: { type: 'registry' }, local: false };
  switch (type) {
    case 'git': {
      const resolved = getText(source, 'resolved_reference');
      return {
        source: {
          type: 'git',
          ...(url === undefined ? {} : { url: stripCredentials(url) }),
          ...(resolved !== undefined && isCommitHash(resolved)
            ? { commit: resolved.toLowerCase() }
            : {}),
        },
        local: false,
      };
    }
    case 'url':
      return {
        source: { type: 'url', ...(url === undefined ? {} : { url: stripCredentials(url) }) },
        local: false,
      };
    case 'directory':
    case 'file':
      return {
        source: { type: 'path', ...(url === undefined ? {} : { path: stripCredentials(url) }) },
        local: type === 'directory',
      };
    default:
      // `legacy` and other indexes: a registry at that URL.
      return {
        source: { type: 'registry', ...(url === undefined ? {} : { url: stripCredentials(url) }) },
        local: false,
      };
  }
}

/** First sha256 of `files = [{file, hash}]`, or of lock 1.1's `[metadata.files]` for the name. */
function integrityOf(
  table: TomlTable,
  legacyFiles: Map<string, readonly unknown[]>,
  name: string,
): string | undefined {
  const files = getList(table, 'files') ?? legacyFiles.get(name) ?? [];
  return firstSha256(files.map((f) => (isTable(f) ? getOwn(f, 'hash') : undefined)));
}

export function parsePoetryLock(text: string, ctx: ParseContext): ParseResult {
  const doc = parseToml(text, ctx.file);
  const diagnostics: Diagnostic[] = [];
  const items = getTableArray(doc, 'package', ctx.file);
  const metadata = getTable(doc, 'metadata');
  const legacyFiles = new Map<string, readonly unknown[]>();
  const metadataFiles = metadata ? getTable(metadata, 'files') : undefined;
  for (const [name, files] of metadataFiles ? tableEntries(metadataFiles) : []) {
    if (Array.isArray(files)) legacyFiles.set(normalizePypiName(name), files);
  }

  const lines = new TomlEntryLines(text);
  const entries: Entry[] = [];
  const byName = new Map<string, string[]>();
  const keys = new Set<string>();
  items.forEach((item, index) => {
    const table = isTable(item) ? item : undefined;
    const rawName = table ? getText(table, 'name') : undefined;
    const version = table ? getText(table, 'version') : undefined;
    const line = lines.lineOf(rawName ?? '', version, index);
    if (table === undefined || rawName === undefined || version === undefined || rawName === '') {
      diagnostics.push({
        level: 'warning',
        file: ctx.file,
        line,
        message: `package entry without a ${rawName ? 'version' : 'name'}, skipped`,
        code: 'PARSE_FAILED',
      });
      return;
    }
    const name = normalizePypiName(rawName);
    let key = `${name}@${version}`;
    if (keys.has(key)) key = `${key}#${String(index)}`;
    keys.add(key);
    const sameName = byName.get(name);
    if (sameName === undefined) byName.set(name, [key]);
    else sameName.push(key);
    entries.push({ key, name, version, line, table });
  });

  const nodes = new Map<string, GraphNode>();
  for (const entry of entries) {
    const deps = getTable(entry.table, 'dependencies');
    const edges = (deps ? tableEntries(deps) : []).flatMap(([dep]) =>
      (byName.get(normalizePypiName(dep)) ?? []).map((to) => ({ to, kind: 'prod' as const })),
    );
    nodes.set(entry.key, { label: stepLabel(entry.name, entry.version), edges });
  }

  const roots: GraphRoot[] = [];
  if (ctx.manifestText !== undefined) {
    const manifestFile = ctx.manifestFile ?? posix.join(posix.dirname(ctx.file), 'pyproject.toml');
    const declared = readPyproject(ctx.manifestText, manifestFile);
    diagnostics.push(...declared.diagnostics);
    roots.push({
      label: declared.label,
      edges: strongestEdges(
        declared.dependencies.flatMap((d) =>
          (byName.get(d.name) ?? []).map((to) => ({ to, kind: d.kind })),
        ),
      ),
    });
  }
  const facts = walkDependencyGraph(roots, nodes);

  const packages: Package[] = entries.map((entry) => {
    const fact = facts.get(entry.key);
    const groups = getStrings(entry.table, 'groups');
    const category = getText(entry.table, 'category');
    // The lock's own scope wins: Poetry computed it with every marker and extra in view.
    const dev =
      getList(entry.table, 'groups') !== undefined
        ? !groups.includes('main')
        : category !== undefined
          ? category === 'dev'
          : (fact?.dev ?? false);
    const lockOptional = getOwn(entry.table, 'optional');
    const { source, local } = sourceOf(entry.table);
    return toPackage({
      name: entry.name,
      version: entry.version,
      direct: fact?.direct ?? false,
      dev,
      optional: typeof lockOptional === 'boolean' ? lockOptional : (fact?.optional ?? false),
      local,
      paths: fact?.paths ?? [],
      location: { file: ctx.file, line: entry.line },
      source,
      integrity: integrityOf(entry.table, legacyFiles, entry.name),
    });
  });
  return { packages, diagnostics };
}

export const poetryLockParser = {
  id: 'pypi/poetry-lock',
  version: 1,
  ecosystem: 'PyPI',
  matches: (fileName: string) => posix.basename(fileName) === 'poetry.lock',
  parse: parsePoetryLock,
} satisfies LockfileParser;
