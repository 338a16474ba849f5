// Lockfile hygiene: manifests without a lockfile; lockfiles out of sync with their manifests
// (declared but not locked, locked at a version the manifest no longer allows, written for another
// specifier, still listing a removed dependency, a pipenv/poetry manifest hash that differs);
// registry entries without a checksum; sources that are not a registry, use plain http or point at
// internal addresses; registries outside `allowedRegistries`. Lockfile URLs are data: never fetched.
import { posix } from 'node:path';
import { ECOSYSTEM_PLUGINS } from '../ecosystems/index.js';
import type {
  EcosystemPlugin,
  LockedRoot,
  LockedRoots,
  ManifestReader,
} from '../ecosystems/types.js';
import type {
  Diagnostic,
  Ecosystem,
  InventoriedProject,
  Inventory,
  Package,
} from '../model/index.js';
import {
  isLocked,
  loadManifests,
  readerFor,
  type LoadedManifest,
  type PolicyCheckConfig,
  type PolicyCheckResult,
  type ReadText,
} from './pinning-manifests.js';
import { policyFinding, quote, type CheckFinding } from './types.js';

export const LOCKFILE_RULES = [
  'lockfile-missing',
  'lockfile-out-of-sync',
  'lockfile-no-integrity',
  'lockfile-non-registry-source',
  'lockfile-insecure-source',
  'lockfile-registry-not-allowed',
] as const;
export type LockfileRule = (typeof LOCKFILE_RULES)[number];

const SUMMARIES: Record<LockfileRule, string> = {
  'lockfile-missing': 'Manifest without a lockfile',
  'lockfile-out-of-sync': 'Lockfile out of sync with its manifest',
  'lockfile-no-integrity': 'Locked package without an integrity hash',
  'lockfile-non-registry-source': 'Locked package not from a registry',
  'lockfile-insecure-source': 'Locked package from an insecure or internal source',
  'lockfile-registry-not-allowed': 'Locked package from a registry not allowed',
};

/** The command that rewrites the lockfile, per lockfile name. */
const RELOCK: Readonly<Record<string, string>> = {
  'package-lock.json': 'npm install',
  'npm-shrinkwrap.json': 'npm install',
  'pnpm-lock.yaml': 'pnpm install',
  'yarn.lock': 'yarn install',
  'Pipfile.lock': 'pipenv lock',
  'poetry.lock': 'poetry lock',
  'uv.lock': 'uv lock',
  'Cargo.lock': 'cargo update --workspace',
  'Gemfile.lock': 'bundle install',
  'gems.locked': 'bundle install',
};

const LOCK_HINT: Record<Ecosystem, string> = {
  npm: 'npm install writes package-lock.json',
  PyPI: 'lock it with pipenv lock, poetry lock, uv lock or pip-compile',
  'crates.io': 'cargo generate-lockfile writes Cargo.lock',
  RubyGems: 'bundle lock writes Gemfile.lock',
};

function relockHint(lockfile: string): string {
  const cmd = Object.hasOwn(RELOCK, posix.basename(lockfile))
    ? RELOCK[posix.basename(lockfile)]
    : undefined;
  return cmd === undefined ? 'update the lockfile' : `run ${cmd}`;
}

/**
 * What lockfiles recorded about their importers, for a later scan in the same process: a pure
 * function of the reader, the file's name and its text, so an entry answers only for identical
 * text. Bounded in entries and in text held.
 */
interface CachedRoots {
  readonly reader: ManifestReader;
  readonly file: string;
  readonly text: string;
  readonly roots: LockedRoots | undefined;
}
const MAX_CACHED_ROOTS = 32;
const MAX_CACHED_ROOTS_TEXT = 32 * 1024 * 1024;
let cachedRoots: CachedRoots[] = [];

function lockedRoots(reader: ManifestReader, text: string, file: string): LockedRoots | undefined {
  for (const c of cachedRoots) {
    if (c.reader === reader && c.file === file && c.text === text) return c.roots;
  }
  const roots = reader.readLockedRoots?.(text, file);
  if (text.length <= MAX_CACHED_ROOTS_TEXT) {
    let total = text.length;
    cachedRoots = [
      { reader, file, text, roots },
      ...cachedRoots.filter((c) => {
        if (c.reader === reader && c.file === file) return false;
        total += c.text.length;
        return total <= MAX_CACHED_ROOTS_TEXT;
      }),
    ].slice(0, MAX_CACHED_ROOTS);
  }
  return roots;
}

export async function checkLockfiles(
  inventory: Inventory,
  readText: ReadText,
  config: PolicyCheckConfig,
  plugins: readonly EcosystemPlugin[] = ECOSYSTEM_PLUGINS,
): Promise<PolicyCheckResult> {
  const findings: CheckFinding[] = [];
  const diagnostics: Diagnostic[] = [];
  const { enabled, severity } = config.checks.lockfile;
  if (!enabled) return { findings, diagnostics };
  const add = (
    rule: LockfileRule,
    file: string,
    line: number,
    subject: string,
    message: string,
  ) => {
    findings.push(
      policyFinding('lockfile', rule, severity, file, line, subject, message, SUMMARIES[rule]),
    );
  };

  for (const project of inventory.projects) {
    const reader = readerFor(plugins, project);
    const manifests =
      reader === undefined || project.manifest === undefined
        ? []
        : await loadManifests(project, reader, readText, diagnostics);

    if (project.manifest !== undefined && !isLocked(project, inventory)) {
      const own = manifests.find((m) => m.file === project.manifest);
      const needsLock =
        own === undefined ||
        own.declared.dependencies.some((d) => d.kind !== 'path' && d.kind !== 'workspace');
      if (needsLock) {
        add(
          'lockfile-missing',
          project.manifest,
          1,
          project.manifest,
          `${project.manifest} has no lockfile: every install resolves versions afresh (${LOCK_HINT[project.ecosystem]})`,
        );
      }
    }

    if (project.lockfile === undefined) continue;
    const lockfile = project.lockfile;
    if (reader !== undefined && manifests.length > 0) {
      const text = await readText(lockfile);
      const roots = text === undefined ? undefined : lockedRoots(reader, text, lockfile);
      checkSync(project, lockfile, manifests, roots, reader, add);
    }
    if (!project.parsed) continue;
    if (project.parser !== 'pypi/requirements') checkIntegrity(project, lockfile, add);
    checkSources(project, config.allowedRegistries[project.ecosystem] ?? [], add);
  }
  return { findings, diagnostics };
}

type Add = (
  rule: LockfileRule,
  file: string,
  line: number,
  subject: string,
  message: string,
) => void;

function importerKeys(lockfile: string, manifest: LoadedManifest): string[] {
  const rel = posix.relative(posix.dirname(lockfile), posix.dirname(manifest.file)) || '.';
  const keys = [`dir:${rel}`];
  if (manifest.declared.name !== undefined) keys.push(`name:${manifest.declared.name}`);
  return keys;
}

function checkSync(
  project: InventoriedProject,
  lockfile: string,
  manifests: readonly LoadedManifest[],
  roots: LockedRoots | undefined,
  reader: ManifestReader,
  add: Add,
): void {
  const same = (a: string, b: string): boolean =>
    reader.sameSpecifier === undefined ? a.trim() === b.trim() : reader.sameSpecifier(a, b);
  const fix = relockHint(lockfile);
  for (const manifest of manifests) {
    const { file, declared } = manifest;
    // A manifest hash decides it the way the package manager itself does.
    const hash = declared.hash;
    if (roots?.hash !== undefined && hash !== undefined && hash.kind === roots.hash.kind) {
      if (!hash.values.includes(roots.hash.value)) {
        add(
          'lockfile-out-of-sync',
          lockfile,
          roots.hash.line,
          `${lockfile}:hash`,
          `${lockfile} was written for a different ${posix.basename(file)} (its recorded hash does not match): ${fix}`,
        );
      }
      continue;
    }
    const keys = importerKeys(lockfile, manifest);
    const importer = roots?.importers.find((k) => keys.includes(k));
    if (importer !== undefined && roots !== undefined) {
      const mine = new Map<string, LockedRoot>();
      for (const r of roots.roots)
        if (r.importer === importer && !mine.has(r.name)) mine.set(r.name, r);
      const declaredNames = new Set(declared.dependencies.map((d) => d.name));
      for (const dep of declared.dependencies) {
        const subject = `${lockfile}:${file}:${dep.name}`;
        const root = mine.get(dep.name);
        if (root === undefined) {
          if (dep.scope === 'peer') continue; // pnpm records no peers; npm may not install them
          add(
            'lockfile-out-of-sync',
            file,
            dep.line,
            subject,
            `${dep.name} is declared in ${file} but not locked in ${lockfile}: ${fix}`,
          );
          continue;
        }
        if (root.specifier !== undefined && !same(dep.specifier, root.specifier)) {
          add(
            'lockfile-out-of-sync',
            file,
            dep.line,
            subject,
            `${dep.name} is declared as ${quote(dep.specifier)} in ${file} but ${lockfile} was written for ${quote(root.specifier)}: ${fix}`,
          );
          continue;
        }
        if (
          root.version !== undefined &&
          (dep.kind === 'registry' || dep.kind === 'alias') &&
          reader.satisfies(root.version, dep.specifier) === false
        ) {
          add(
            'lockfile-out-of-sync',
            file,
            dep.line,
            subject,
            `${dep.name} is locked at ${root.version} in ${lockfile}, which does not satisfy ${quote(dep.specifier)} in ${file}: ${fix}`,
          );
        }
      }
      for (const [name, root] of mine) {
        if (declaredNames.has(name)) continue;
        add(
          'lockfile-out-of-sync',
          lockfile,
          root.line,
          `${lockfile}:${file}:${name}:removed`,
          `${name} is a direct dependency in ${lockfile} but no longer declared in ${file}: ${fix}`,
        );
      }
      continue;
    }
    // The lockfile records no declarations for this manifest: compare with what it locks.
    // (package-lock v1, Pipfile.lock or poetry.lock whose hash cannot be computed, yarn.lock.)
    // Members: which packages are theirs is not known; an unparsed lockfile locks nothing we know.
    if (file !== project.manifest || !project.parsed) continue;
    const byName = new Map<string, Package[]>();
    for (const p of project.packages) {
      for (const n of p.alias === undefined ? [p.name] : [p.name, p.alias]) {
        byName.set(n, [...(byName.get(n) ?? []), p]);
      }
    }
    for (const dep of declared.dependencies) {
      if (dep.scope === 'peer' || (dep.kind !== 'registry' && dep.kind !== 'alias')) continue;
      const subject = `${lockfile}:${file}:${dep.name}`;
      const locked = byName.get(dep.name) ?? [];
      if (locked.length === 0) {
        add(
          'lockfile-out-of-sync',
          file,
          dep.line,
          subject,
          `${dep.name} is declared in ${file} but not locked in ${lockfile}: ${fix}`,
        );
        continue;
      }
      const direct = locked.filter((p) => p.direct && p.version !== undefined);
      const verdicts = direct.map((p) => reader.satisfies(p.version ?? '', dep.specifier));
      const first = direct[0];
      if (first !== undefined && verdicts.every((v) => v === false)) {
        add(
          'lockfile-out-of-sync',
          file,
          dep.line,
          subject,
          `${dep.name} is locked at ${first.version ?? ''} in ${lockfile}, which does not satisfy ${quote(dep.specifier)} in ${file}: ${fix}`,
        );
      }
    }
  }
}

function isRegistryPackage(p: Package): boolean {
  return p.source.type === 'registry' && p.local !== true;
}

function checkIntegrity(project: InventoriedProject, lockfile: string, add: Add): void {
  const registry = project.packages.filter(isRegistryPackage);
  const missing = registry.filter((p) => p.integrity === undefined);
  const first = missing[0];
  if (first === undefined) return;
  if (missing.length === registry.length && missing.length > 1) {
    // A lockfile format or version that records no checksums at all: one finding, not hundreds.
    add(
      'lockfile-no-integrity',
      lockfile,
      first.location.line,
      `${lockfile}:integrity`,
      `none of the ${String(missing.length)} registry packages in ${lockfile} records a checksum: a changed download would not be noticed (${relockHint(lockfile)} with a version that writes them)`,
    );
    return;
  }
  for (const p of missing) {
    add(
      'lockfile-no-integrity',
      p.location.file,
      p.location.line,
      `${lockfile}:${p.name}@${p.version ?? ''}:integrity`,
      `${label(p)} has no integrity hash in ${lockfile}: a changed download would not be noticed`,
    );
  }
}

function label(p: Package): string {
  return p.version === undefined ? p.name : `${p.name}@${p.version}`;
}

/** Credentials out of any URL before it reaches a message. */
export function redactUrl(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme === -1) return url;
  const start = scheme + 3;
  let end = start;
  while (end < url.length && !'/?#'.includes(url.charAt(end))) end++;
  const at = url.lastIndexOf('@', end - 1);
  return at < start ? url : `${url.slice(0, start)}***@${url.slice(at + 1)}`;
}

/** The host of a URL-like source (`git+ssh://git@host/x`, `git@host:x`), lower-cased. */
export function hostOf(url: string): string | undefined {
  const scheme = url.indexOf('://');
  let start: number;
  if (scheme !== -1) start = scheme + 3;
  else if (/^[\w.-]+@[\w.-]+:/.test(url.slice(0, 300))) start = 0;
  else return undefined;
  let end = start;
  while (end < url.length && !'/?#'.includes(url.charAt(end))) end++;
  let authority = url.slice(start, end);
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    return close === -1 ? undefined : authority.slice(1, close).toLowerCase();
  }
  const colon = authority.indexOf(':');
  return (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase();
}

/** Loopback, link-local (cloud metadata), private and unspecified addresses, and local names. */
export function isInternalHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal'))
    return true;
  if (
    host === '::1' ||
    host === '::' ||
    host.startsWith('fe80:') ||
    host.startsWith('fc') ||
    host.startsWith('fd')
  ) {
    return host.includes(':');
  }
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return false;
  const [a = 0, b = 0] = parts.map(Number);
  return (
    a === 127 ||
    a === 10 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

function isPlainHttp(url: string): boolean {
  const lower = url.slice(0, 16).toLowerCase();
  return lower.startsWith('http://') || lower.startsWith('git://') || lower.includes('+http://');
}

/** `https://Registry.example.com/npm` → `https://registry.example.com/npm/`. */
function normaliseRegistry(url: string): string {
  const scheme = url.indexOf('://');
  const hostEnd = scheme === -1 ? -1 : url.indexOf('/', scheme + 3);
  const head = hostEnd === -1 ? url : url.slice(0, hostEnd);
  const path = hostEnd === -1 ? '/' : url.slice(hostEnd);
  return `${head.toLowerCase()}${path.endsWith('/') ? path : `${path}/`}`;
}

export function isAllowedRegistry(url: string, allowed: readonly string[]): boolean {
  const target = normaliseRegistry(url);
  return allowed.some((a) => target.startsWith(normaliseRegistry(a)));
}

function checkSources(project: InventoriedProject, allowed: readonly string[], add: Add): void {
  // Most packages of a lockfile come from one or two registry hosts: decide each host once.
  const internal = new Map<string, boolean>();
  const isInternal = (host: string): boolean => {
    let verdict = internal.get(host);
    if (verdict === undefined) {
      verdict = isInternalHost(host);
      internal.set(host, verdict);
    }
    return verdict;
  };
  for (const p of project.packages) {
    if (p.local === true) continue;
    const { file, line } = p.location;
    const subject = (): string => `${file}:${label(p)}`;
    if (p.source.type === 'git' || p.source.type === 'url' || p.source.type === 'path') {
      const where = p.source.url ?? p.source.path;
      const shown = where === undefined ? '' : ` ${quote(redactUrl(where))}`;
      const pinned =
        p.source.type === 'git'
          ? p.source.commit === undefined
            ? ', not pinned to a commit'
            : `, pinned to commit ${p.source.commit.slice(0, 12)}`
          : '';
      add(
        'lockfile-non-registry-source',
        file,
        line,
        `${subject()}:source`,
        `${label(p)} comes from ${p.source.type}${shown}${pinned}, not from a registry: no registry checksum or advisory data covers it`,
      );
    }
    if (p.source.url !== undefined) {
      const url = p.source.url;
      const host = hostOf(url);
      if (isPlainHttp(url)) {
        add(
          'lockfile-insecure-source',
          file,
          line,
          `${subject()}:http`,
          `${label(p)} is fetched over an unencrypted connection from ${quote(redactUrl(url))}: use https`,
        );
      }
      if (host !== undefined && isInternal(host)) {
        add(
          'lockfile-insecure-source',
          file,
          line,
          `${subject()}:internal`,
          `${label(p)} is fetched from an internal address (${host}): a lockfile should not point at loopback, link-local or private hosts`,
        );
      }
      if (p.source.type === 'registry' && allowed.length > 0 && !isAllowedRegistry(url, allowed)) {
        add(
          'lockfile-registry-not-allowed',
          file,
          line,
          `${subject()}:registry`,
          `${label(p)} resolves from ${quote(redactUrl(url))}, which is not in allowedRegistries for ${project.ecosystem}: a dependency-confusion risk`,
        );
      }
    }
  }
}
