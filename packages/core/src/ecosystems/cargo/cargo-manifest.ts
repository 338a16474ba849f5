// What Cargo.lock cannot say: which dependencies of a workspace member are dev-only. Cargo.lock
// lists normal, build and dev dependencies of members alike, so this reads the members'
// Cargo.toml files: the root manifest, its [workspace] members and the path dependencies.
import { posix } from 'node:path';
import type { Diagnostic } from '../../model/index.js';
import { isSupplyAuditError } from '../../errors.js';
import type { ParseContext } from '../types.js';
import {
  getOwn,
  getTable,
  getText,
  isTable,
  parseToml,
  type TomlTable,
} from '../../decode/toml.js';

export interface MemberManifest {
  /** `[package] name` */
  readonly name: string;
  /** folder of the manifest relative to the lockfile's folder, `.` for the root */
  readonly dir: string;
  /** real crate names (after `package = "..."` renames) declared only as dev-dependencies */
  readonly devOnly: ReadonlySet<string>;
}

export interface WorkspaceManifests {
  /** by package name; a name declared twice keeps its first manifest */
  readonly members: ReadonlyMap<string, MemberManifest>;
  readonly diagnostics: Diagnostic[];
}

/** Enough for any real workspace; a bound on hostile ones that chain path dependencies. */
const MAX_MANIFESTS = 2000;

const DEP_TABLES = ['dependencies', 'build-dependencies', 'dev-dependencies'] as const;
type DepTable = (typeof DEP_TABLES)[number];

/**
 * Read the manifests reachable from the root manifest. `localNames` are the lockfile's
 * packages without a source: a glob member (`crates/*`) is looked for as `crates/<name>`,
 * since parsers never list folders. Unreadable or malformed manifests become warnings.
 */
export function readWorkspaceManifests(
  ctx: ParseContext,
  localNames: readonly string[],
): WorkspaceManifests {
  const members = new Map<string, MemberManifest>();
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const queue: string[] = ['.'];
  let renames = new Map<string, string>();

  const read = (dir: string): { file: string; text: string } | undefined => {
    if (dir === '.' && ctx.manifestText !== undefined) {
      return {
        file: ctx.manifestFile ?? siblingOf(ctx.file, 'Cargo.toml'),
        text: ctx.manifestText,
      };
    }
    return ctx.readRelated?.(dir === '.' ? 'Cargo.toml' : `${dir}/Cargo.toml`);
  };

  for (let i = 0; i < queue.length && seen.size < MAX_MANIFESTS; i++) {
    const dir = queue[i] ?? '.';
    if (seen.has(dir)) continue;
    seen.add(dir);
    const found = read(dir);
    if (found === undefined) continue;
    let doc: TomlTable;
    try {
      doc = parseToml(found.text, found.file);
    } catch (error) {
      if (!isSupplyAuditError(error)) throw error;
      diagnostics.push({
        level: 'warning',
        file: found.file,
        ...(error.line === undefined ? {} : { line: error.line }),
        message: `${withoutPrefix(error.message, `${found.file}:${String(error.line)}: `)}; its dev-dependencies are unknown`,
        code: 'PARSE_FAILED',
      });
      continue;
    }
    const workspace = getTable(doc, 'workspace');
    if (dir === '.' && workspace !== undefined) {
      renames = workspaceRenames(workspace);
      for (const member of stringArray(getOwn(workspace, 'members'))) {
        for (const candidate of expandMember(member, localNames)) queue.push(candidate);
      }
    }
    const pkg = getTable(doc, 'package');
    const name = pkg === undefined ? undefined : getText(pkg, 'name');
    const tables = dependencyTables(doc);
    if (name !== undefined && !members.has(name)) {
      members.set(name, { name, dir, devOnly: devOnlyNames(tables, renames) });
    }
    for (const { table } of tables) {
      for (const [, spec] of Object.entries(table)) {
        if (!isTable(spec)) continue;
        const path = getText(spec, 'path');
        if (path !== undefined)
          queue.push(posix.normalize(posix.join(dir, path)).replace(/\/$/, ''));
      }
    }
  }
  return { members, diagnostics };
}

function withoutPrefix(message: string, prefix: string): string {
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function siblingOf(file: string, name: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? name : `${file.slice(0, slash)}/${name}`;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `crates/*` has no listing to expand from: try `crates/<name>` for each local package. */
function expandMember(pattern: string, localNames: readonly string[]): string[] {
  const clean = posix.normalize(pattern).replace(/\/$/, '');
  if (!/[*?[]/.test(clean)) return [clean];
  const slash = clean.lastIndexOf('/');
  const prefix = slash === -1 ? '' : clean.slice(0, slash);
  const last = clean.slice(slash + 1);
  if (last !== '*' || /[*?[]/.test(prefix)) return [];
  return localNames.map((n) => (prefix === '' ? n : `${prefix}/${n}`));
}

/** `[workspace.dependencies] x = { package = "real" }`: members say `x.workspace = true`. */
function workspaceRenames(workspace: TomlTable): Map<string, string> {
  const renames = new Map<string, string>();
  const deps = getTable(workspace, 'dependencies');
  if (deps === undefined) return renames;
  for (const [key, spec] of Object.entries(deps)) {
    const real = isTable(spec) ? getText(spec, 'package') : undefined;
    if (real !== undefined) renames.set(key, real);
  }
  return renames;
}

/** The three dependency tables, top-level and under every `[target.'cfg(...)']`. */
function dependencyTables(doc: TomlTable): { kind: DepTable; table: TomlTable }[] {
  const out: { kind: DepTable; table: TomlTable }[] = [];
  const scopes: TomlTable[] = [doc];
  const target = getTable(doc, 'target');
  if (target !== undefined) {
    for (const [, t] of Object.entries(target)) if (isTable(t)) scopes.push(t);
  }
  for (const scope of scopes) {
    for (const kind of DEP_TABLES) {
      const table = getTable(scope, kind);
      // Cargo also accepts the old `dev_dependencies` / `build_dependencies` spellings.
      const legacy = kind === 'dependencies' ? undefined : getTable(scope, kind.replace('-', '_'));
      if (table !== undefined) out.push({ kind, table });
      if (legacy !== undefined) out.push({ kind, table: legacy });
    }
  }
  return out;
}

function devOnlyNames(
  tables: readonly { kind: DepTable; table: TomlTable }[],
  renames: ReadonlyMap<string, string>,
): Set<string> {
  const dev = new Set<string>();
  const other = new Set<string>();
  for (const { kind, table } of tables) {
    for (const [key, spec] of Object.entries(table)) {
      const real = crateName(key, spec, renames);
      (kind === 'dev-dependencies' ? dev : other).add(real);
    }
  }
  for (const name of other) dev.delete(name);
  return dev;
}

function crateName(key: string, spec: unknown, renames: ReadonlyMap<string, string>): string {
  if (isTable(spec)) {
    const renamed = getText(spec, 'package');
    if (renamed !== undefined) return renamed;
    if (getOwn(spec, 'workspace') === true) return renames.get(key) ?? key;
  }
  return key;
}
