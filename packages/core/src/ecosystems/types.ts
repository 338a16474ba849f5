// The ecosystem plugin contract: everything that knows a package manager's formats lives behind it.
import type { Diagnostic, Ecosystem, Package } from '../model/index.js';

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
}
