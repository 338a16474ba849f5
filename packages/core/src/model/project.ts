// A project: one manifest and its lockfile in one ecosystem, as discovery found them.
import type { Ecosystem } from './ecosystem.js';
import type { Diagnostic } from './diagnostic.js';
import type { Package } from './package.js';

export interface Project {
  readonly ecosystem: Ecosystem;
  /** directory of the project relative to the scanned root (`.` for the root) */
  readonly dir: string;
  /** relative path of the manifest (package.json, pyproject.toml, Cargo.toml, Gemfile, ...) */
  readonly manifest?: string;
  /** relative path of the lockfile; absent when the manifest has none */
  readonly lockfile?: string;
  /** id of the parser that reads the lockfile (or the manifest when there is no lockfile) */
  readonly parser?: string;
  /** other manifests that this lockfile covers (workspace members, importers) */
  readonly members?: readonly string[];
}

export interface InventoriedProject extends Project {
  readonly packages: readonly Package[];
  readonly diagnostics: readonly Diagnostic[];
  /** false when the lockfile could not be read at all */
  readonly parsed: boolean;
}

export const POLICY_FILE_KINDS = ['workflow', 'action', 'dockerfile'] as const;
export type PolicyFileKind = (typeof POLICY_FILE_KINDS)[number];

/** A file only the pinning checks read: a GitHub workflow, an action.yml, a Dockerfile. */
export interface PolicyFile {
  /** relative to the root, `/` separators */
  readonly rel: string;
  readonly kind: PolicyFileKind;
}

export interface Inventory {
  readonly root: string;
  /** workflows, action metadata and Dockerfiles found on the walk */
  readonly policyFiles?: readonly PolicyFile[];
  readonly projects: readonly InventoriedProject[];
  /** problems not tied to one project (walk errors, skipped files) */
  readonly diagnostics: readonly Diagnostic[];
}
