// The inventory's unit: one locked (or declared) package, with where it is written down.
import type { Ecosystem } from './ecosystem.js';

/** A place in a file; `file` is relative to the scanned root with `/` separators, `line` is 1-based. */
export interface Location {
  readonly file: string;
  readonly line: number;
}

export const SOURCE_TYPES = [
  'registry',
  'git',
  'path',
  'url',
  'workspace',
  'link',
  'bundled',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Where a package comes from, as the lockfile records it. URLs are data: never fetched. */
export interface PackageSource {
  readonly type: SourceType;
  /** registry or download URL, git remote */
  readonly url?: string;
  /** git commit, when pinned */
  readonly commit?: string;
  /** local path for path/workspace/link sources */
  readonly path?: string;
}

export const SCOPES = ['prod', 'dev', 'optional', 'peer'] as const;

export interface Package {
  readonly ecosystem: Ecosystem;
  /** normalised as the ecosystem does (PEP 503 for PyPI); the real name for npm aliases */
  readonly name: string;
  /** exact version; absent when the requirement is not pinned (never guessed) */
  readonly version?: string;
  /** the declared requirement when no exact version is known, e.g. `>=1.0` */
  readonly specifier?: string;
  readonly purl: string;
  /** required by a root/importer manifest directly */
  readonly direct: boolean;
  /** only reachable through development dependencies */
  readonly dev: boolean;
  /** only reachable through optional dependencies */
  readonly optional: boolean;
  /** part of the project itself (workspace member, path crate): not a third-party package */
  readonly local?: boolean;
  /** the shortest few dependency paths, root first, each step `name@version` */
  readonly paths: readonly (readonly string[])[];
  readonly location: Location;
  readonly source: PackageSource;
  /** integrity hash or checksum the lockfile records (`sha512-...`, `sha256:...`) */
  readonly integrity?: string;
  /** license as the lockfile records it, if it does */
  readonly license?: string;
  /** platform qualifier (RubyGems `x86_64-linux`) */
  readonly platform?: string;
  /** the alias it is installed under when it differs from `name` (npm `npm:` aliases) */
  readonly alias?: string;
}
