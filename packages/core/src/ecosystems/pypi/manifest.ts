// Pipfile and pyproject.toml as the policy checks see them: each declared dependency with its line,
// its kind and whether it is exact; the manifest hash pipenv and poetry record in their lockfiles,
// computed as they compute it; and what uv.lock records as the project's declared requirements.
import { createHash } from 'node:crypto';
import { satisfies as pep440Satisfies, validRange as pep440ValidRange } from '@renovatebot/pep440';
import { getObject, getString, isJsonObject, LineIndex, parseJson } from '../../decode/index.js';
import { TomlLines } from '../../decode/toml-lines.js';
import { isSupplyAuditError } from '../../errors.js';
import type { Diagnostic } from '../../model/index.js';
import type {
  DeclaredDependency,
  DeclaredKind,
  DeclaredManifest,
  LockedRoot,
  LockedRoots,
  ManifestHash,
  ManifestReader,
} from '../types.js';
import { normalizePypiName } from './name.js';
import { parseRequirement, pinnedVersion } from './pep508.js';
import { pypiVersionScheme } from './version.js';
import {
  getList,
  getOwn,
  getTable,
  getText,
  getTables,
  isTable,
  parseToml,
  tableEntries,
  type TomlTable,
} from '../../decode/toml.js';
import { isCommitHash, stripCredentials } from './url.js';

const MAX_SPEC_LENGTH = 1024;

type Scope = DeclaredDependency['scope'];

// ---------------------------------------------------------------------------------------------
// Python's json.dumps, for the hashes: sort_keys, ensure_ascii, and the given separators.

/** json.dumps(value, sort_keys=True, separators=...) or undefined for values JSON cannot carry
 * the way Python would write them (dates, floats: smol-toml gives `1.0` as the number 1). */
export function pythonJsonDumps(value: unknown, compact: boolean): string | undefined {
  const out: string[] = [];
  const itemSep = new Emit(compact ? ',' : ', ');
  const keySep = compact ? ':' : ': ';
  // An explicit stack instead of recursion: pieces of text to emit, or values still to write.
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v instanceof Emit) out.push(v.text);
    else if (v === null) out.push('null');
    else if (v === true) out.push('true');
    else if (v === false) out.push('false');
    else if (typeof v === 'string') out.push(pythonString(v));
    else if (typeof v === 'bigint') out.push(v.toString());
    else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return undefined;
      out.push(String(v));
    } else if (Array.isArray(v)) {
      out.push('[');
      stack.push(new Emit(']'));
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i]);
        if (i > 0) stack.push(itemSep);
      }
    } else if (isTable(v)) {
      // Python sorts str keys by code point; UTF-16 order differs only for astral characters.
      const keys = Object.keys(v).sort();
      out.push('{');
      stack.push(new Emit('}'));
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] ?? '';
        stack.push(getOwn(v, key));
        stack.push(new Emit(`${pythonString(key)}${keySep}`));
        if (i > 0) stack.push(itemSep);
      }
    } else {
      return undefined;
    }
  }
  return out.join('');
}

/** Text to emit as it is (never a value from the file: TOML gives no class instances). */
class Emit {
  constructor(readonly text: string) {}
}

function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i] ?? '';
  }
  return `${out}"`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Specifiers

/** A PEP 440 specifier that allows one version: `==1.2.3` (no wildcard) or `===x`. */
export function isExactPep440(specifier: string): boolean {
  return specifier.length <= MAX_SPEC_LENGTH && pinnedVersion(specifier) !== undefined;
}

/** Poetry's constraint syntax (`^1.2`, `~1.2`, `1.2.3`, `*`, `||`) as PEP 440 alternatives. */
export function poetryToPep440(constraint: string): string[] | undefined {
  if (constraint.length > MAX_SPEC_LENGTH) return undefined;
  const alternatives: string[] = [];
  for (const alt of constraint.split('||')) {
    const clauses: string[] = [];
    for (const raw of alt.split(',')) {
      const c = raw.trim();
      if (c === '' || c === '*') continue;
      if (c.startsWith('^') || (c.startsWith('~') && !c.startsWith('~='))) {
        const range = caretOrTilde(c.startsWith('^') ? 'caret' : 'tilde', c.slice(1).trim());
        if (range === undefined) return undefined;
        clauses.push(...range);
      } else if (c.charCodeAt(0) >= 48 && c.charCodeAt(0) <= 57) {
        clauses.push(`==${c}`);
      } else {
        clauses.push(c);
      }
    }
    alternatives.push(clauses.join(','));
  }
  return alternatives;
}

function caretOrTilde(kind: 'caret' | 'tilde', version: string): string[] | undefined {
  const release = version.split(/[^0-9.]/, 1)[0] ?? '';
  const parts = release.split('.').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p.length > 15)) return undefined;
  const nums = parts.map(Number);
  let upper: number[];
  if (kind === 'tilde') {
    upper = nums.length === 1 ? [(nums[0] ?? 0) + 1] : [nums[0] ?? 0, (nums[1] ?? 0) + 1];
  } else {
    const first = nums.findIndex((n) => n !== 0);
    const at = first === -1 ? nums.length - 1 : first;
    upper = [...nums.slice(0, at), (nums[at] ?? 0) + 1];
  }
  return [`>=${version}`, `<${upper.join('.')}`];
}

export function pypiSatisfies(version: string, specifier: string): boolean | undefined {
  if (!pypiVersionScheme.isValid(version) || specifier.length > MAX_SPEC_LENGTH) return undefined;
  const alternatives = poetryToPep440(specifier.trim());
  if (alternatives === undefined) return undefined;
  let known = false;
  for (const alt of alternatives) {
    if (alt === '') return true;
    if (hasLongDigitRun(alt) || !pep440ValidRange(alt)) continue;
    known = true;
    if (pep440Satisfies(version, alt, { prereleases: true })) return true;
  }
  return known ? false : undefined;
}

function hasLongDigitRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    run = c >= 48 && c <= 57 ? run + 1 : 0;
    if (run > 15) return true;
  }
  return false;
}

/** Clauses compared as sets, without whitespace: `>=1, <2` is `<2,>=1`. */
export function samePypiSpecifier(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .split(',')
      .map((c) => c.replaceAll(' ', '').replaceAll('\t', ''))
      .filter((c) => c !== '')
      .sort()
      .join(',');
  return norm(a) === norm(b);
}

// ---------------------------------------------------------------------------------------------
// Manifests

interface Found {
  readonly name: string;
  readonly specifier: string;
  readonly scope: Scope;
  readonly line: number;
  readonly kind: DeclaredKind;
  readonly exact: boolean;
  readonly target?: string;
}

function dep(found: Found): DeclaredDependency {
  return found;
}

function unreadable(file: string, error: unknown): DeclaredManifest {
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

/** A Pipfile / Poetry table value: `"*"`, `"==1.0"`, `{ version = ..., git = ..., path = ... }`. */
function tableSpec(
  value: unknown,
  poetry: boolean,
): { specifier: string; kind: DeclaredKind; exact: boolean; target?: string } {
  if (typeof value === 'string') return versionSpec(value, poetry);
  if (Array.isArray(value)) {
    // Poetry's multiple-constraint form: one entry per marker; exact only if each one is.
    const specs = value.filter(isTable).map((t) => tableSpec(t, poetry));
    const first = specs[0];
    if (first === undefined) return { specifier: '', kind: 'registry', exact: false };
    return { ...first, exact: specs.every((s) => s.exact && s.kind === first.kind) };
  }
  if (!isTable(value)) return { specifier: '', kind: 'registry', exact: false };
  const git = getText(value, 'git');
  if (git !== undefined) {
    const ref = getText(value, 'rev') ?? getText(value, 'ref') ?? '';
    return {
      specifier: stripCredentials(git),
      kind: 'git',
      exact: isCommitHash(ref),
      target: stripCredentials(git),
    };
  }
  const path = getText(value, 'path');
  if (path !== undefined) return { specifier: path, kind: 'path', exact: true };
  const url = getText(value, 'url') ?? getText(value, 'file');
  if (url !== undefined) {
    const local = !url.includes('://') || url.startsWith('file:');
    return {
      specifier: stripCredentials(url),
      kind: local ? 'path' : 'url',
      exact: local,
      ...(local ? {} : { target: stripCredentials(url) }),
    };
  }
  if (getOwn(value, 'workspace') === true) return { specifier: '', kind: 'workspace', exact: true };
  const version = getText(value, 'version');
  return versionSpec(version ?? '*', poetry);
}

function versionSpec(
  specifier: string,
  poetry: boolean,
): { specifier: string; kind: DeclaredKind; exact: boolean } {
  const s = specifier.length > MAX_SPEC_LENGTH ? specifier : specifier.trim();
  if (s === '*' || s === '') return { specifier: s, kind: 'registry', exact: false };
  if (poetry) {
    const alts = poetryToPep440(s);
    const only = alts?.length === 1 ? alts[0] : undefined;
    return { specifier: s, kind: 'registry', exact: only !== undefined && isExactPep440(only) };
  }
  return { specifier: s, kind: 'registry', exact: isExactPep440(s) };
}

/** PEP 508 strings (PEP 621 and PEP 735 lists). */
function requirementDeps(
  list: readonly unknown[] | undefined,
  scope: Scope,
  lines: TomlLines,
  fromLine: number,
  file: string,
  diagnostics: Diagnostic[],
): Found[] {
  const out: Found[] = [];
  for (const item of list ?? []) {
    if (typeof item !== 'string') continue; // `{ include-group = ... }`
    const line = lines.stringLine(fromLine, item) ?? fromLine;
    const parsed = parseRequirement(item);
    if (!parsed.ok) {
      diagnostics.push({
        level: 'warning',
        file,
        line,
        message: `"${item.slice(0, 100)}": ${parsed.reason}; ignored`,
        code: 'PARSE_FAILED',
      });
      continue;
    }
    const req = parsed.requirement;
    const name = normalizePypiName(req.name);
    if (req.url !== undefined) {
      const url = stripCredentials(req.url);
      const git = url.startsWith('git+');
      const at = url.lastIndexOf('@');
      const local = url.startsWith('file:');
      out.push({
        name,
        specifier: url,
        scope,
        line,
        kind: git ? 'git' : local ? 'path' : 'url',
        exact: git
          ? at > url.indexOf('://') && isCommitHash(url.slice(at + 1).split('#', 1)[0] ?? '')
          : local,
        ...(local ? {} : { target: url }),
      });
    } else {
      out.push({
        name,
        specifier: req.specifier,
        scope,
        line,
        kind: 'registry',
        exact: isExactPep440(req.specifier),
      });
    }
  }
  return out;
}

const PIPFILE_META = new Set(['source', 'requires', 'pipenv', 'scripts', 'pipfile']);

export function readPipfile(text: string, file: string): DeclaredManifest {
  let doc: TomlTable;
  try {
    doc = parseToml(text, file);
  } catch (error) {
    return unreadable(file, error);
  }
  const lines = new TomlLines(text);
  const dependencies: DeclaredDependency[] = [];
  for (const [section, table] of tableEntries(doc)) {
    if (PIPFILE_META.has(section) || !isTable(table)) continue;
    const scope: Scope =
      section === 'packages' ? 'prod' : section === 'dev-packages' ? 'dev' : 'optional';
    for (const [name, value] of tableEntries(table)) {
      const spec = tableSpec(value, false);
      dependencies.push(
        dep({
          name: normalizePypiName(name),
          ...spec,
          scope,
          line: lines.keyLine(section, name) ?? lines.headerLine(section) ?? 1,
        }),
      );
    }
  }
  const hash = pipfileHash(doc);
  return { dependencies, diagnostics: [], ...(hash === undefined ? {} : { hash }) };
}

const PLETTE_SECTIONS = new Set([
  'source',
  'packages',
  'dev-packages',
  'requires',
  'scripts',
  'pipfile',
  'pipenv',
  'default',
  'develop',
]);
const DEFAULT_SOURCE = [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }];

/**
 * `_meta.hash.sha256` of Pipfile.lock: sha256 of json.dumps(data, sort_keys=True,
 * separators=(",", ":")) over the Pipfile's data, with pypi as the source when none is given.
 * plette's Pipfile.get_hash (pipenv's vendored plette 2.x) hashes section keys as written; pipenv
 * 2026's Pipfile.calculate_hash first normalises package names (PEP 503). Both are accepted.
 */
export function pipfileHash(doc: TomlTable): ManifestHash | undefined {
  const values: string[] = [];
  for (const normalise of [false, true]) {
    const section = (key: string): unknown => {
      const table = getTable(doc, key);
      if (table === undefined) return getOwn(doc, key) ?? emptyTable();
      if (!normalise) return table;
      const out = emptyTable();
      for (const [k, v] of tableEntries(table)) out[normalizePypiName(k)] = v;
      return out;
    };
    const data = emptyTable();
    const meta = emptyTable();
    meta['sources'] = getOwn(doc, 'source') ?? DEFAULT_SOURCE;
    meta['requires'] = getOwn(doc, 'requires') ?? emptyTable();
    data['_meta'] = meta;
    data['default'] = section('packages');
    data['develop'] = section('dev-packages');
    for (const [category] of tableEntries(doc)) {
      if (PLETTE_SECTIONS.has(category)) continue;
      data[category] = section(category);
    }
    const json = pythonJsonDumps(data, true);
    if (json === undefined) return undefined;
    values.push(sha256Hex(json));
  }
  return { kind: 'pipenv-sha256', values: [...new Set(values)] };
}

/** A null-prototype record: keys from the file stay data. */
function emptyTable(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

const POETRY_LEGACY_KEYS = ['dependencies', 'source', 'extras', 'dev-dependencies'] as const;
const POETRY_KEYS = [...POETRY_LEGACY_KEYS, 'group'] as const;
const PROJECT_KEYS = ['requires-python', 'dependencies', 'optional-dependencies'] as const;

/**
 * poetry.lock `[metadata] content-hash`, as poetry 2.5's Locker._get_content_hash computes it
 * (sha256 of json.dumps(relevant, sort_keys=True)); poetry before 2.3 left dependency groups
 * out, so that variant is accepted too. Poetry 1.x hashes the legacy layout the same way.
 */
export function poetryContentHash(doc: TomlTable): ManifestHash | undefined {
  const project = getTable(doc, 'project') ?? emptyTable();
  const tool = getTable(getTable(doc, 'tool') ?? emptyTable(), 'poetry') ?? emptyTable();
  const values: string[] = [];
  for (const withGroups of [true, false]) {
    const groups = withGroups ? getTable(doc, 'dependency-groups') : undefined;
    const hasGroups = groups !== undefined && Object.keys(groups).length > 0;
    const relevantProject = emptyTable();
    for (const key of PROJECT_KEYS) {
      const v = getOwn(project, key);
      if (v !== undefined) relevantProject[key] = v;
    }
    const hasProject = Object.keys(relevantProject).length > 0;
    const relevantPoetry = emptyTable();
    for (const key of POETRY_KEYS) {
      const v = getOwn(tool, key);
      const legacy = (POETRY_LEGACY_KEYS as readonly string[]).includes(key);
      if (v === undefined && (!legacy || hasProject || hasGroups)) continue;
      relevantPoetry[key] = v ?? null;
    }
    let content: Record<string, unknown>;
    if (hasProject || hasGroups) {
      content = emptyTable();
      if (hasProject) content['project'] = relevantProject;
      if (hasGroups) content['dependency-groups'] = groups;
      const t = emptyTable();
      t['poetry'] = relevantPoetry;
      content['tool'] = t;
    } else {
      content = relevantPoetry;
    }
    const json = pythonJsonDumps(content, false);
    if (json === undefined) return undefined;
    values.push(sha256Hex(json));
  }
  return { kind: 'poetry-content-hash', values: [...new Set(values)] };
}

export function readPyprojectManifest(text: string, file: string): DeclaredManifest {
  let doc: TomlTable;
  try {
    doc = parseToml(text, file);
  } catch (error) {
    return unreadable(file, error);
  }
  const lines = new TomlLines(text);
  const diagnostics: Diagnostic[] = [];
  const found: Found[] = [];
  const project = getTable(doc, 'project');
  const tool = getTable(doc, 'tool');
  const poetry = tool === undefined ? undefined : getTable(tool, 'poetry');
  const uvSources = getTable(getTable(tool ?? {}, 'uv') ?? {}, 'sources');
  if (project !== undefined) {
    const start = lines.keyLine('project', 'dependencies') ?? 1;
    found.push(
      ...requirementDeps(getList(project, 'dependencies'), 'prod', lines, start, file, diagnostics),
    );
    const extras = getTable(project, 'optional-dependencies');
    for (const [extra, list] of extras === undefined ? [] : tableEntries(extras)) {
      const from =
        lines.keyLine('project.optional-dependencies', extra) ??
        lines.headerLine('project.optional-dependencies') ??
        1;
      found.push(
        ...requirementDeps(
          Array.isArray(list) ? list : undefined,
          'optional',
          lines,
          from,
          file,
          diagnostics,
        ),
      );
    }
  }
  const groups = getTable(doc, 'dependency-groups');
  for (const [group, list] of groups === undefined ? [] : tableEntries(groups)) {
    const from = lines.keyLine('dependency-groups', group) ?? 1;
    found.push(
      ...requirementDeps(
        Array.isArray(list) ? list : undefined,
        'dev',
        lines,
        from,
        file,
        diagnostics,
      ),
    );
  }
  const poetryTables: [string, TomlTable | undefined, Scope][] = [];
  if (poetry !== undefined) {
    poetryTables.push(['tool.poetry.dependencies', getTable(poetry, 'dependencies'), 'prod']);
    poetryTables.push([
      'tool.poetry.dev-dependencies',
      getTable(poetry, 'dev-dependencies'),
      'dev',
    ]);
    const pg = getTable(poetry, 'group');
    for (const [group, body] of pg === undefined ? [] : tableEntries(pg)) {
      if (!isTable(body)) continue;
      poetryTables.push([
        `tool.poetry.group.${group}.dependencies`,
        getTable(body, 'dependencies'),
        group === 'main' ? 'prod' : 'dev',
      ]);
    }
  }
  const byName = new Map<string, number>();
  found.forEach((f, i) => byName.set(f.name, i));
  for (const [path, table, scope] of poetryTables) {
    for (const [raw, value] of table === undefined ? [] : tableEntries(table)) {
      if (raw === 'python') continue;
      const name = normalizePypiName(raw);
      const spec = tableSpec(value, true);
      const line = lines.keyLine(path, raw) ?? lines.headerLine(path) ?? 1;
      const optional = isTable(value) && getOwn(value, 'optional') === true;
      const already = byName.get(name);
      if (already !== undefined && project !== undefined) {
        // With [project], poetry's table only says where a declared requirement comes from.
        const prev = found[already];
        if (prev !== undefined && spec.kind !== 'registry') found[already] = { ...prev, ...spec };
        continue;
      }
      found.push({ name, ...spec, scope: optional && scope === 'prod' ? 'optional' : scope, line });
    }
  }
  for (const [raw, value] of uvSources === undefined ? [] : tableEntries(uvSources)) {
    const i = byName.get(normalizePypiName(raw));
    const prev = i === undefined ? undefined : found[i];
    if (i === undefined || prev === undefined) continue;
    const spec = tableSpec(value, false);
    if (spec.kind !== 'registry') found[i] = { ...prev, ...spec };
  }
  const name = project === undefined ? undefined : getText(project, 'name');
  const poetryName = poetry === undefined ? undefined : getText(poetry, 'name');
  const realName = name ?? poetryName;
  const hash = poetry !== undefined || project !== undefined ? poetryContentHash(doc) : undefined;
  return {
    ...(realName === undefined ? {} : { name: normalizePypiName(realName) }),
    dependencies: found.map(dep),
    diagnostics,
    ...(hash === undefined ? {} : { hash }),
  };
}

export function readPypiManifest(text: string, file: string): DeclaredManifest {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base === 'Pipfile' ? readPipfile(text, file) : readPyprojectManifest(text, file);
}

// ---------------------------------------------------------------------------------------------
// Lockfiles

export function readPypiLockedRoots(text: string, file: string): LockedRoots | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  try {
    if (base === 'Pipfile.lock') return pipfileLockRoots(text, file);
    if (base === 'poetry.lock') return poetryLockRoots(text, file);
    if (base === 'uv.lock') return uvLockRoots(text, file);
  } catch (error) {
    if (isSupplyAuditError(error)) return undefined; // the inventory reports unreadable lockfiles
    throw error;
  }
  return undefined;
}

function pipfileLockRoots(text: string, file: string): LockedRoots | undefined {
  const json = parseJson(text, file);
  if (!isJsonObject(json)) return undefined;
  const hash = getString(getObject(getObject(json, '_meta') ?? {}, 'hash') ?? {}, 'sha256');
  if (hash === undefined) return { roots: [], importers: [] };
  const at = text.indexOf('"sha256"');
  const line = at === -1 ? 1 : new LineIndex(text).lineOf(at);
  return { roots: [], importers: [], hash: { kind: 'pipenv-sha256', value: hash, line } };
}

const METADATA: ReadonlySet<string> = new Set(['metadata']);

function poetryLockRoots(text: string, file: string): LockedRoots | undefined {
  const doc = parseToml(text, file);
  const hash = getText(getTable(doc, 'metadata') ?? {}, 'content-hash');
  if (hash === undefined) return { roots: [], importers: [] };
  const line = new TomlLines(text, METADATA).keyLine('metadata', 'content-hash') ?? 1;
  return { roots: [], importers: [], hash: { kind: 'poetry-content-hash', value: hash, line } };
}

/** uv.lock: the project's own entry (`source = { virtual/editable = "." }`) records its requirements. */
function uvLockRoots(text: string, file: string): LockedRoots | undefined {
  const doc = parseToml(text, file);
  const packages = getTables(doc, 'package');
  const rootIndex = packages.findIndex((p) => {
    const source = getTable(p, 'source');
    return (
      source !== undefined &&
      (getText(source, 'virtual') === '.' || getText(source, 'editable') === '.')
    );
  });
  const root = packages[rootIndex];
  if (root === undefined) return undefined;
  const versions = new Map<string, string[]>();
  for (const p of packages) {
    const n = getText(p, 'name');
    const v = getText(p, 'version');
    if (n === undefined || v === undefined) continue;
    const key = normalizePypiName(n);
    versions.set(key, [...(versions.get(key) ?? []), v]);
  }
  // Lines: the n-th `[[package]]` header, then the first `{ name = "x"` after it.
  const headers: number[] = [];
  const all = text.split('\n');
  all.forEach((l, i) => {
    if (l.trim() === '[[package]]') headers.push(i + 1);
  });
  const start = headers[rootIndex] ?? 1;
  const lineOf = (name: string): number => {
    for (let i = start - 1; i < all.length; i++) {
      const l = all[i] ?? '';
      if (l.includes(`name = "${name}"`) && i + 1 > start) return i + 1;
    }
    return start;
  };
  const metadata = getTable(root, 'metadata');
  const roots: LockedRoot[] = [];
  const add = (list: readonly unknown[]): void => {
    for (const item of list) {
      if (!isTable(item)) continue;
      const raw = getText(item, 'name');
      if (raw === undefined) continue;
      const name = normalizePypiName(raw);
      const specifier = getText(item, 'specifier');
      const vs = versions.get(name) ?? [];
      const only = vs.length === 1 ? vs[0] : undefined;
      roots.push({
        importer: 'dir:.',
        name,
        ...(specifier === undefined ? {} : { specifier }),
        ...(only === undefined ? {} : { version: only }),
        line: lineOf(raw),
      });
    }
  };
  add(getList(metadata ?? {}, 'requires-dist') ?? []);
  const dev = getTable(metadata ?? {}, 'requires-dev');
  for (const [, list] of dev === undefined ? [] : tableEntries(dev)) {
    if (Array.isArray(list)) add(list);
  }
  return { roots, importers: ['dir:.'] };
}

export const pypiManifestReader = {
  manifests: ['Pipfile', 'pyproject.toml'],
  readManifest: readPypiManifest,
  satisfies: pypiSatisfies,
  readLockedRoots: readPypiLockedRoots,
  sameSpecifier: samePypiSpecifier,
} satisfies ManifestReader;
