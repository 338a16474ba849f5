// The ecosystem plugin contract: everything that knows a package manager's formats lives behind it.
import type { Diagnostic, Ecosystem, Package, SCOPES } from '../model/index.js';
import type { AuditorAdapter } from '../sources/types.js';

/** What a parser may ask of the caller. Parsers never touch the filesystem themselves. */
export interface ParseContext {
  /** path of the file being parsed, relative to the scanned root (`/` separators) */
  readonly file: string;
  /** the manifest beside the lockfile, already read (package.json, Cargo.toml, Gemfile, ...) */
  readonly manifestText?: string;
  /** relative path of that manifest */
  readonly manifestFile?: string;
  /**
   * Read another file relative to the file being parsed (`-r` includes, workspace manifests).
   * Returns undefined when it does not exist or may not be read (outside the root, too big);
   * discovery enforces the walking rules.
   */
  readonly readRelated?: (relativePath: string) => { file: string; text: string } | undefined;
}

export interface ParseResult {
  readonly packages: Package[];
  /** single bad entries: reported, the rest of the file still counts */
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads one kind of lockfile (or pinned manifest such as requirements.txt).
 * `parse` throws SupplyAuditError('PARSE_FAILED', 'file:line: reason') when the whole file is
 * unusable, and returns diagnostics for single bad entries.
 */
export interface LockfileParser {
  /** namespaced id, e.g. `npm/package-lock` */
  readonly id: `${string}/${string}`;
  /** bumped when output for the same input changes */
  readonly version: number;
  readonly ecosystem: Ecosystem;
  /** cheap test on the file's base name */
  matches(fileName: string): boolean;
  parse(text: string, ctx: ParseContext): ParseResult;
}

/** Total order of versions in one ecosystem's scheme (for OSV ranges and fix selection). */
export interface VersionScheme {
  readonly id: string;
  /** whether the string is a version this scheme can order */
  isValid(version: string): boolean;
  /** negative, zero or positive; callers only pass valid versions */
  compare(a: string, b: string): number;
}

export interface EcosystemPlugin {
  /** lower-case folder name: npm, pypi, cargo, rubygems */
  readonly id: string;
  readonly ecosystem: Ecosystem;
  /** manifest base names that make a directory a project of this ecosystem */
  readonly manifests: readonly string[];
  /** lockfile parsers, most specific first */
  readonly lockfiles: readonly LockfileParser[];
  /** package name as the ecosystem compares it (PEP 503 for PyPI; identity elsewhere) */
  normalizeName(name: string): string;
  readonly versionScheme?: VersionScheme;
  /** what manifests declare and lockfiles record as declared (pinning and lockfile checks) */
  readonly manifestReader?: ManifestReader;
  /** the ecosystem's own auditor (npm audit, pip-audit, cargo audit, bundler-audit) */
  readonly auditor?: AuditorAdapter;
}

/** How a manifest names where a dependency comes from. */
export const DECLARED_KINDS = ['registry', 'git', 'url', 'path', 'workspace', 'alias'] as const;
export type DeclaredKind = (typeof DECLARED_KINDS)[number];

/** One dependency as a manifest declares it. */
export interface DeclaredDependency {
  /** as the ecosystem compares names (PEP 503 for PyPI); the key it is installed under */
  readonly name: string;
  /** the requirement as written (`^1.2.0`, `>=2,<3`, `~> 2.12`, a URL); '' when none */
  readonly specifier: string;
  readonly scope: (typeof SCOPES)[number];
  /** 1-based line in the manifest */
  readonly line: number;
  readonly kind: DeclaredKind;
  /** the specifier allows exactly one version (or one commit, for git) */
  readonly exact: boolean;
  /** `alias`: the real package name; `git`/`url`: the URL as written (credentials stripped) */
  readonly target?: string;
}

/** A hash of the manifest that its lockfile records, computed the way the package manager does. */
export interface ManifestHash {
  readonly kind: 'pipenv-sha256' | 'poetry-content-hash';
  /** the accepted values (poetry accepts the hash with and without dependency groups) */
  readonly values: readonly string[];
}

export interface DeclaredManifest {
  /** the package's own name, when the manifest gives one */
  readonly name?: string;
  readonly dependencies: readonly DeclaredDependency[];
  /** Cargo: builds a binary ([[bin]] or a [package] that is not only a library) */
  readonly application?: boolean;
  /** 1-based line to report manifest-level findings at */
  readonly line?: number;
  readonly hash?: ManifestHash;
  /** bad entries (skipped) or an unreadable file (no dependencies) */
  readonly diagnostics: readonly Diagnostic[];
}

/** A dependency a lockfile records as declared by one of its root manifests (importers). */
export interface LockedRoot {
  /** importer key: `dir:<folder relative to the lockfile>` or `name:<package name>` */
  readonly importer: string;
  readonly name: string;
  /** the specifier the lockfile was written for, when it records it */
  readonly specifier?: string;
  /** the version it is locked at, when known */
  readonly version?: string;
  readonly line: number;
}

export interface LockedRoots {
  /** the direct dependencies per importer, when the format records them */
  readonly roots: readonly LockedRoot[];
  /** importer keys whose direct dependencies are recorded completely (removals can be seen) */
  readonly importers: readonly string[];
  /** the manifest hash the lockfile records */
  readonly hash?: {
    readonly kind: ManifestHash['kind'];
    readonly value: string;
    readonly line: number;
  };
}

/** Reading manifests for the policy checks. All pure; text is untrusted. */
export interface ManifestReader {
  /** manifest base names this reader understands */
  readonly manifests: readonly string[];
  readManifest(text: string, file: string): DeclaredManifest;
  /** whether a version meets a specifier; undefined when either cannot be understood */
  satisfies(version: string, specifier: string): boolean | undefined;
  /** what a lockfile records about its root manifests; undefined when this lockfile says nothing */
  readLockedRoots?(text: string, file: string): LockedRoots | undefined;
  /** the two specifiers say the same thing (lockfiles may normalise what they record) */
  sameSpecifier?(declared: string, recorded: string): boolean;
}
