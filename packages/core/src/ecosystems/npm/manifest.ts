// package.json as the policy checks see it: each declared dependency with its line, what kind of
// specifier it is and whether it is exact; and what package-lock.json (v2/v3) and pnpm-lock.yaml
// record as each importer's declared dependencies, for the lockfile-in-sync check.
// Specifier kinds follow npm-package-arg (https://github.com/npm/npm-package-arg/blob/v12.0.2/lib/npa.js).
import semver from 'semver';
import {
  getObject,
  getString,
  getBoolean,
  isJsonObject,
  LineIndex,
  ownEntries,
  parseJson,
  parseYaml,
  type JsonObject,
  type JsonValue,
} from '../../decode/index.js';
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
import { packageLockKeyLines, scanJsonKeys } from './json-key-lines.js';

/** Longer specifiers are not read as ranges (node-semver's own limit is 256 for versions). */
const MAX_SPEC_LENGTH = 1024;
const MAX_VERSION_LENGTH = 256;

const FIELDS = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
  ['peerDependencies', 'peer'],
] as const;

const GIT_PREFIXES = ['git+', 'git://', 'github:', 'gitlab:', 'bitbucket:', 'gist:'] as const;
const PATH_PREFIXES = ['file:', 'link:', './', '../', '/', '~/', '.\\', '..\\'] as const;

export interface NpmSpecifier {
  readonly kind: DeclaredKind;
  readonly exact: boolean;
  /** the range npm resolves against the registry: the specifier, or an alias's inner range */
  readonly range?: string;
  readonly target?: string;
}

function isHex40(text: string): boolean {
  return text.length === 40 && /^[0-9a-f]+$/i.test(text);
}

/** What kind of specifier this is, and whether it names exactly one thing. */
export function classifyNpmSpecifier(raw: string): NpmSpecifier {
  const spec = raw.length > MAX_SPEC_LENGTH ? raw : raw.trim();
  if (spec.startsWith('npm:')) {
    const rest = spec.slice(4);
    const at = rest.indexOf('@', 1);
    const target = at === -1 ? rest : rest.slice(0, at);
    const range = at === -1 ? '' : rest.slice(at + 1);
    return { kind: 'alias', exact: isExactVersion(range), range, target };
  }
  if (spec.startsWith('workspace:')) return { kind: 'workspace', exact: true };
  if (GIT_PREFIXES.some((p) => spec.startsWith(p)) || isGitHubShorthand(spec)) {
    const hash = spec.lastIndexOf('#');
    const committish = hash === -1 ? '' : spec.slice(hash + 1);
    return { kind: 'git', exact: isHex40(committish), target: redactUrl(spec) };
  }
  if (spec.startsWith('http://') || spec.startsWith('https://')) {
    return { kind: 'url', exact: false, target: redactUrl(spec) };
  }
  if (PATH_PREFIXES.some((p) => spec.startsWith(p))) return { kind: 'path', exact: true };
  return { kind: 'registry', exact: isExactVersion(spec), range: spec };
}

/** `user/repo` and `user/repo#ref`: npm reads these as GitHub. */
function isGitHubShorthand(spec: string): boolean {
  if (spec.length > MAX_SPEC_LENGTH || spec.startsWith('@')) return false;
  const slash = spec.indexOf('/');
  if (slash <= 0) return false;
  const head = spec.slice(0, slash);
  return !head.includes(':') && !head.includes(' ') && spec.indexOf('/', slash + 1) === -1;
}

/** `1.2.3`, `=1.2.3`, `v1.2.3`: one version. */
export function isExactVersion(spec: string): boolean {
  if (spec.length > MAX_VERSION_LENGTH) return false;
  const t = spec.trim();
  return t !== '' && semver.valid(t) !== null;
}

/** A range node-semver understands (dist-tags such as `latest` are not ranges). */
export function isNpmRange(spec: string): boolean {
  if (spec.length > MAX_SPEC_LENGTH) return false;
  try {
    return semver.validRange(spec) !== null;
  } catch {
    return false;
  }
}

/** Credentials out of a URL-like specifier before it reaches a message. */
export function redactUrl(text: string): string {
  const scheme = text.indexOf('://');
  if (scheme === -1) return text;
  const hostStart = scheme + 3;
  const slash = text.indexOf('/', hostStart);
  const authority = slash === -1 ? text.slice(hostStart) : text.slice(hostStart, slash);
  const at = authority.lastIndexOf('@');
  if (at === -1) return text;
  return `${text.slice(0, hostStart)}***@${text.slice(hostStart + at + 1)}`;
}

/** Whether `version` meets `specifier` (aliases by their inner range); undefined when unknowable. */
export function npmSatisfies(version: string, specifier: string): boolean | undefined {
  if (version.length > MAX_VERSION_LENGTH || specifier.length > MAX_SPEC_LENGTH) return undefined;
  const spec = classifyNpmSpecifier(specifier);
  if (spec.range === undefined) return undefined;
  const range = spec.range === '' ? '*' : spec.range;
  if (semver.valid(version) === null || !isNpmRange(range)) return undefined;
  return semver.satisfies(version, range, { includePrerelease: false });
}

/** Read a package.json: every dependency of the four fields, with its line. */
export function readPackageJson(text: string, file: string): DeclaredManifest {
  let json: JsonValue;
  try {
    json = parseJson(text, file);
  } catch (error) {
    if (!isSupplyAuditError(error)) throw error;
    return { dependencies: [], diagnostics: [unreadable(file, error.line, error.message)] };
  }
  if (!isJsonObject(json)) {
    return { dependencies: [], diagnostics: [unreadable(file, 1, 'not a JSON object')] };
  }
  const lines = new LineIndex(text);
  const offsets = new Map<string, number>();
  scanJsonKeys(text, (path, key, offset) => {
    if (path.length === 1 && FIELDS.some(([f]) => f === path[0])) {
      const k = `${path[0] ?? ''}\0${key}`;
      if (!offsets.has(k)) offsets.set(k, offset);
    }
  });
  const diagnostics: Diagnostic[] = [];
  const dependencies: DeclaredDependency[] = [];
  for (const [field, scope] of FIELDS) {
    const obj = getObject(json, field);
    if (obj === undefined) continue;
    for (const [name, value] of ownEntries(obj)) {
      const line = lines.lineOf(offsets.get(`${field}\0${name}`) ?? 0);
      if (typeof value !== 'string') {
        diagnostics.push({
          level: 'warning',
          file,
          line,
          message: `${field}: "${name.slice(0, 100)}" is not a string; ignored`,
          code: 'PARSE_FAILED',
        });
        continue;
      }
      const spec = classifyNpmSpecifier(value);
      dependencies.push({
        name,
        specifier: value,
        scope,
        line,
        kind: spec.kind,
        exact: spec.exact,
        ...(spec.target === undefined ? {} : { target: spec.target }),
      });
    }
  }
  const name = getString(json, 'name');
  return { ...(name === undefined ? {} : { name }), dependencies, diagnostics };
}

function unreadable(file: string, line: number | undefined, message: string): Diagnostic {
  const prefix = `${file}:${String(line)}: `;
  return {
    level: 'warning',
    file,
    ...(line === undefined ? {} : { line }),
    message: `${message.startsWith(prefix) ? message.slice(prefix.length) : message}; its dependencies are not checked`,
    code: 'PARSE_FAILED',
  };
}

/** What a lockfile records about its importers' declared dependencies. */
export function readNpmLockedRoots(text: string, file: string): LockedRoots | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  try {
    if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') {
      return packageLockRoots(text, file);
    }
    if (base === 'pnpm-lock.yaml') return pnpmRoots(text, file);
  } catch (error) {
    // An unreadable lockfile is reported by the inventory; there is nothing to compare here.
    if (isSupplyAuditError(error)) return undefined;
    throw error;
  }
  return undefined;
}

/** package-lock v2/v3: `packages[""]` and workspace folders record what their package.json said. */
function packageLockRoots(text: string, file: string): LockedRoots | undefined {
  const json = parseJson(text, file);
  if (!isJsonObject(json)) return undefined;
  const packages = getObject(json, 'packages');
  if (packages === undefined) return undefined; // lockfileVersion 1 records no importers
  const declaredLines = packageLockKeyLines(text).declared;
  const roots: LockedRoot[] = [];
  const importers: string[] = [];
  for (const [key, entry] of ownEntries(packages)) {
    if (!isJsonObject(entry) || key.startsWith('node_modules/') || key.includes('/node_modules/'))
      continue;
    if (key.startsWith('../') || key.startsWith('/')) continue; // links outside the tree
    const importer = `dir:${key === '' ? '.' : key}`;
    importers.push(importer);
    for (const [field] of FIELDS) {
      const deps = getObject(entry, field);
      if (deps === undefined) continue;
      for (const [name, spec] of ownEntries(deps)) {
        if (typeof spec !== 'string') continue;
        const version = lockedVersion(packages, key, name);
        // npm ci accepts a changed range the locked version still satisfies; other specifier
        // kinds (git, URLs, aliases, paths) must match as written.
        const registry = classifyNpmSpecifier(spec).kind === 'registry';
        roots.push({
          importer,
          name,
          ...(registry ? {} : { specifier: spec }),
          ...(version === undefined ? {} : { version }),
          line: declaredLines.get(`${key}\0${field}\0${name}`) ?? 1,
        });
      }
    }
  }
  return { roots, importers };
}

/** Node's lookup from an importer folder; links followed to the folder's own version. */
function lockedVersion(packages: JsonObject, from: string, name: string): string | undefined {
  const candidates =
    from === ''
      ? [`node_modules/${name}`]
      : [`${from}/node_modules/${name}`, `node_modules/${name}`];
  for (const key of candidates) {
    const entry = getObject(packages, key);
    if (entry === undefined) continue;
    if (getBoolean(entry, 'link') === true) {
      const target = getString(entry, 'resolved');
      const linked = target === undefined ? undefined : getObject(packages, target);
      return linked === undefined ? undefined : getString(linked, 'version');
    }
    return getString(entry, 'version');
  }
  return undefined;
}

const PNPM_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** pnpm-lock.yaml v5.3+ (`importers`), or v5 single-project top-level `specifiers`. */
function pnpmRoots(text: string, file: string): LockedRoots | undefined {
  const doc = parseYaml(text, file);
  if (!isJsonObject(doc)) return undefined;
  const finder = new YamlLines(text);
  const roots: LockedRoot[] = [];
  const importers: string[] = [];
  const importersObj = getObject(doc, 'importers');
  const list: [string, JsonObject, string[]][] =
    importersObj === undefined
      ? [['.', doc, []]]
      : ownEntries(importersObj).flatMap(([k, v]): [string, JsonObject, string[]][] =>
          isJsonObject(v) ? [[k, v, ['importers', k]]] : [],
        );
  for (const [key, importer, path] of list) {
    const id = `dir:${key}`;
    importers.push(id);
    const specifiers = getObject(importer, 'specifiers'); // v5
    for (const field of PNPM_FIELDS) {
      const deps = getObject(importer, field);
      if (deps === undefined) continue;
      for (const [name, value] of ownEntries(deps)) {
        let specifier: string | undefined;
        let version: string | undefined;
        if (isJsonObject(value)) {
          specifier = getString(value, 'specifier');
          version = getString(value, 'version');
        } else if (typeof value === 'string' || typeof value === 'number') {
          version = String(value);
          const s = specifiers === undefined ? undefined : specifiers[name];
          if (specifiers !== undefined && Object.hasOwn(specifiers, name)) {
            specifier = typeof s === 'string' || typeof s === 'number' ? String(s) : undefined;
          }
        }
        const clean = version === undefined ? undefined : pnpmVersion(version);
        roots.push({
          importer: id,
          name,
          ...(specifier === undefined ? {} : { specifier }),
          ...(clean === undefined ? {} : { version: clean }),
          line: finder.lineOf([...path, field, name]),
        });
      }
    }
  }
  return { roots, importers };
}

/** `1.2.3(peer@1)` / `1.2.3_peer@1` → `1.2.3`; `link:` and aliases (`name@1.2.3`) as the version. */
function pnpmVersion(version: string): string | undefined {
  if (version.startsWith('link:') || version.startsWith('file:')) return undefined;
  let v = version;
  const paren = v.indexOf('(');
  if (paren !== -1) v = v.slice(0, paren);
  const underscore = v.indexOf('_');
  if (underscore !== -1) v = v.slice(0, underscore);
  const at = v.lastIndexOf('@');
  if (at > 0) v = v.slice(at + 1); // an alias: `lodash@4.17.15`
  return v === '' ? undefined : v;
}

/** Lines of nested YAML block keys, found by indentation (js-yaml keeps no positions). */
export class YamlLines {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  /** 1-based line of the key at `path`, or of the deepest ancestor found (1 if none). */
  lineOf(path: readonly string[]): number {
    let from = 0;
    let parentIndent = -1;
    let found = 1;
    for (const key of path) {
      let hit = -1;
      for (let i = from; i < this.lines.length; i++) {
        const line = this.lines[i] ?? '';
        const indent = line.length - line.trimStart().length;
        const body = line.trimStart();
        if (body === '' || body.startsWith('#')) continue;
        if (indent <= parentIndent) break;
        if (yamlKeyOf(body) === key) {
          hit = i;
          parentIndent = indent;
          break;
        }
      }
      if (hit === -1) return found;
      found = hit + 1;
      from = hit + 1;
    }
    return found;
  }
}

function yamlKeyOf(body: string): string | undefined {
  const quote = body[0];
  if (quote === '"' || quote === "'") {
    const end = body.indexOf(quote, 1);
    return end === -1 ? undefined : body.slice(1, end);
  }
  const colon = body.indexOf(':');
  return colon === -1 ? undefined : body.slice(0, colon).trimEnd();
}

export const npmManifestReader = {
  manifests: ['package.json'],
  readManifest: readPackageJson,
  satisfies: npmSatisfies,
  readLockedRoots: readNpmLockedRoots,
} satisfies ManifestReader;
