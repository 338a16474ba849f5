// Cargo.toml as the policy checks see it: each declared dependency (real crate name after
// `package = ...` renames) with its line, kind and exactness, whether the crate is an application,
// and what Cargo.lock records as each local crate's dependencies.
// Requirement syntax: https://doc.rust-lang.org/1.90.0/cargo/reference/specifying-dependencies.html
// (a bare version is a caret requirement; clauses are joined by commas).
import semver from 'semver';
import { TomlLines } from '../../decode/toml-lines.js';
import { isSupplyAuditError } from '../../errors.js';
import type { Diagnostic } from '../../model/index.js';
import type {
  DeclaredDependency,
  DeclaredKind,
  DeclaredManifest,
  LockedRoot,
  LockedRoots,
  ManifestReader,
} from '../types.js';
import {
  getOwn,
  getTable,
  getText,
  isTable,
  parseToml,
  type TomlTable,
} from '../../decode/toml.js';

const MAX_SPEC_LENGTH = 1024;
const MAX_VERSION_LENGTH = 256;
const DEP_TABLES = [
  ['dependencies', 'prod'],
  ['build-dependencies', 'prod'],
  ['dev-dependencies', 'dev'],
  ['build_dependencies', 'prod'],
  ['dev_dependencies', 'dev'],
] as const;

const OPERATORS = ['>=', '<=', '=', '>', '<', '~', '^'] as const;

/** A Cargo requirement as a node-semver range: bare versions become caret ranges. */
export function cargoRequirementToRange(requirement: string): string | undefined {
  if (requirement.length > MAX_SPEC_LENGTH) return undefined;
  const clauses: string[] = [];
  for (const raw of requirement.split(',')) {
    const clause = raw.trim();
    if (clause === '') return undefined;
    if (clause === '*') {
      clauses.push('*');
      continue;
    }
    const op = OPERATORS.find((o) => clause.startsWith(o));
    const version = clause.slice(op?.length ?? 0).trim();
    if (version === '' || version.length > MAX_VERSION_LENGTH || /[\s,|]/.test(version)) {
      return undefined;
    }
    clauses.push(`${op ?? '^'}${version}`);
  }
  if (clauses.length === 0) return undefined;
  const range = clauses.join(' ');
  try {
    return semver.validRange(range) === null ? undefined : range;
  } catch {
    return undefined;
  }
}

/** `=1.2.3`: the one requirement form that allows a single version. */
export function isExactCargoRequirement(requirement: string): boolean {
  const t = requirement.trim();
  if (!t.startsWith('=') || t.includes(',') || t.length > MAX_VERSION_LENGTH) return false;
  return semver.valid(t.slice(1).trim()) !== null;
}

export function cargoSatisfies(version: string, requirement: string): boolean | undefined {
  if (version.length > MAX_VERSION_LENGTH || semver.valid(version) === null) return undefined;
  const range = cargoRequirementToRange(requirement);
  if (range === undefined) return undefined;
  return semver.satisfies(version, range);
}

function isHex40(text: string): boolean {
  return text.length === 40 && /^[0-9a-f]+$/i.test(text);
}

function specOf(value: unknown): {
  specifier: string;
  kind: DeclaredKind;
  exact: boolean;
  realName?: string;
  target?: string;
} {
  if (typeof value === 'string') {
    return { specifier: value, kind: 'registry', exact: isExactCargoRequirement(value) };
  }
  if (!isTable(value)) return { specifier: '', kind: 'registry', exact: false };
  const realName = getText(value, 'package');
  const renamed = realName === undefined ? {} : { realName };
  if (getOwn(value, 'workspace') === true) {
    return { specifier: '', kind: 'workspace', exact: false, ...renamed };
  }
  const git = getText(value, 'git');
  if (git !== undefined) {
    return {
      specifier: git,
      kind: 'git',
      exact: isHex40(getText(value, 'rev') ?? ''),
      target: git,
      ...renamed,
    };
  }
  const path = getText(value, 'path');
  const version = getText(value, 'version');
  // A path dependency with a version is published with the version: the path is local only.
  if (path !== undefined) return { specifier: path, kind: 'path', exact: true, ...renamed };
  return {
    specifier: version ?? '',
    kind: 'registry',
    exact: version !== undefined && isExactCargoRequirement(version),
    ...renamed,
  };
}

export function readCargoManifest(text: string, file: string): DeclaredManifest {
  let doc: TomlTable;
  try {
    doc = parseToml(text, file);
  } catch (error) {
    if (!isSupplyAuditError(error)) throw error;
    const prefix = `${file}:${String(error.line)}: `;
    const diagnostic: Diagnostic = {
      level: 'warning',
      file,
      ...(error.line === undefined ? {} : { line: error.line }),
      message: `${error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message}; its dependencies are not checked`,
      code: 'PARSE_FAILED',
    };
    return { dependencies: [], diagnostics: [diagnostic] };
  }
  const lines = new TomlLines(text);
  const dependencies: DeclaredDependency[] = [];
  const scopes: [string, TomlTable][] = [['', doc]];
  const target = getTable(doc, 'target');
  for (const [cfg, t] of target === undefined ? [] : Object.entries(target)) {
    if (isTable(t)) scopes.push([`target.${cfg}`, t]);
  }
  for (const [prefix, scopeTable] of scopes) {
    for (const [tableName, scope] of DEP_TABLES) {
      const table = getTable(scopeTable, tableName);
      if (table === undefined) continue;
      const path = prefix === '' ? tableName : `${prefix}.${tableName}`;
      for (const [key, value] of Object.entries(table)) {
        const spec = specOf(value);
        dependencies.push({
          name: spec.realName ?? key,
          specifier: spec.specifier,
          scope,
          line: lines.keyLine(path, key) ?? lines.headerLine(path) ?? 1,
          kind: spec.kind,
          exact: spec.exact,
          ...(spec.target === undefined ? {} : { target: spec.target }),
        });
      }
    }
  }
  const pkg = getTable(doc, 'package');
  const name = pkg === undefined ? undefined : getText(pkg, 'name');
  const bins = getOwn(doc, 'bin');
  const hasBin = Array.isArray(bins) && bins.length > 0;
  // The brief rule: a [[bin]], or a [package] that is not declared a library only ([lib] without [[bin]]).
  const application = hasBin || (pkg !== undefined && getTable(doc, 'lib') === undefined);
  const line = lines.headerLine(hasBin ? 'bin' : 'package') ?? lines.headerLine('workspace') ?? 1;
  return {
    ...(name === undefined ? {} : { name }),
    dependencies,
    application,
    line,
    diagnostics: [],
  };
}

/** Cargo.lock: each local crate (no `source`) lists its direct dependencies. */
export function readCargoLockedRoots(text: string, file: string): LockedRoots | undefined {
  let doc: TomlTable;
  try {
    doc = parseToml(text, file);
  } catch (error) {
    if (isSupplyAuditError(error)) return undefined;
    throw error;
  }
  const list = getOwn(doc, 'package');
  if (!Array.isArray(list)) return undefined;
  const all = text.split('\n');
  const headers: number[] = [];
  all.forEach((l, i) => {
    if (l.trim() === '[[package]]') headers.push(i);
  });
  const versions = new Map<string, string[]>();
  for (const p of list) {
    if (!isTable(p)) continue;
    const n = getText(p, 'name');
    const v = getText(p, 'version');
    if (n !== undefined && v !== undefined) versions.set(n, [...(versions.get(n) ?? []), v]);
  }
  const roots: LockedRoot[] = [];
  const importers: string[] = [];
  list.forEach((p: unknown, index: number) => {
    if (!isTable(p) || getOwn(p, 'source') !== undefined) return;
    const name = getText(p, 'name');
    if (name === undefined) return;
    const importer = `name:${name}`;
    importers.push(importer);
    const start = headers[index] ?? 0;
    const end = headers[index + 1] ?? all.length;
    const deps = getOwn(p, 'dependencies');
    for (const d of Array.isArray(deps) ? deps : []) {
      if (typeof d !== 'string') continue;
      const parts = d.trim().split(' ');
      const depName = parts[0] ?? '';
      const listed = versions.get(depName) ?? [];
      const version = parts[1] ?? (listed.length === 1 ? listed[0] : undefined);
      let line = start + 1;
      for (let i = start; i < end; i++) {
        if ((all[i] ?? '').includes(`"${d}"`)) {
          line = i + 1;
          break;
        }
      }
      roots.push({ importer, name: depName, ...(version === undefined ? {} : { version }), line });
    }
  });
  return { roots, importers };
}

export const cargoManifestReader = {
  manifests: ['Cargo.toml'],
  readManifest: readCargoManifest,
  satisfies: cargoSatisfies,
  readLockedRoots: readCargoLockedRoots,
} satisfies ManifestReader;
