// Pinning in manifests: npm ranges, tags, moving git refs and tarball URLs; Python requirements
// without `==` (or `--hash`, when required); open ranges in Pipfile and pyproject.toml without a
// lockfile; Gemfile gems without a version and no Gemfile.lock; Cargo applications without
// Cargo.lock. Every finding names the manifest line. Manifests are read through `readText`, a
// reader the scan limits to the scanned root; their text is untrusted.
import { posix } from 'node:path';
import { ECOSYSTEM_PLUGINS } from '../ecosystems/index.js';
import type {
  DeclaredDependency,
  DeclaredManifest,
  EcosystemPlugin,
  ManifestReader,
} from '../ecosystems/types.js';
import type { Diagnostic, InventoriedProject, Inventory, Severity } from '../model/index.js';
import type { Config } from '../policy/config.js';
import { policyFinding, quote, type CheckFinding } from './types.js';

/** Reads a file relative to the scanned root; undefined when it is missing or may not be read. */
export type ReadText = (file: string) => string | undefined | Promise<string | undefined>;

/** The parts of the config these checks read. */
export type PolicyCheckConfig = Pick<Config, 'checks' | 'allowedRegistries'>;

export interface PolicyCheckResult {
  readonly findings: CheckFinding[];
  /** manifests that could not be read or parsed, and skipped entries */
  readonly diagnostics: Diagnostic[];
}

export const PINNING_RULES = [
  'npm-range',
  'npm-tag',
  'npm-git-unpinned',
  'npm-url',
  'python-unpinned',
  'python-no-hash',
  'pipfile-wildcard',
  'pyproject-unlocked-range',
  'gem-unpinned-without-lock',
  'cargo-app-without-lock',
] as const;
export type PinningRule = (typeof PINNING_RULES)[number];

const SUMMARIES: Record<PinningRule, string> = {
  'npm-range': 'npm dependency declared with a version range',
  'npm-tag': 'npm dependency declared with a dist-tag',
  'npm-git-unpinned': 'npm git dependency not pinned to a commit',
  'npm-url': 'npm dependency declared as a tarball URL',
  'python-unpinned': 'Python requirement not pinned with ==',
  'python-no-hash': 'Python requirement without --hash',
  'pipfile-wildcard': 'Pipfile dependency not pinned and not locked',
  'pyproject-unlocked-range': 'pyproject.toml dependency not pinned and not locked',
  'gem-unpinned-without-lock': 'Gem without a version and no Gemfile.lock',
  'cargo-app-without-lock': 'Cargo application without Cargo.lock',
};

/** A manifest of a project (its own or a member's), read and parsed once. */
export interface LoadedManifest {
  readonly file: string;
  readonly declared: DeclaredManifest;
}

export function readerFor(
  plugins: readonly EcosystemPlugin[],
  project: InventoriedProject,
): ManifestReader | undefined {
  return plugins.find((p) => p.ecosystem === project.ecosystem)?.manifestReader;
}

/** The project's manifest and its members' manifests that the reader understands. */
export async function loadManifests(
  project: InventoriedProject,
  reader: ManifestReader,
  readText: ReadText,
  diagnostics: Diagnostic[],
): Promise<LoadedManifest[]> {
  const files = [project.manifest, ...(project.members ?? [])].filter(
    (f): f is string => f !== undefined && reader.manifests.includes(posix.basename(f)),
  );
  const out: LoadedManifest[] = [];
  for (const file of files) {
    const text = await readText(file);
    if (text === undefined) {
      diagnostics.push({ level: 'warning', file, message: 'could not be read; not checked' });
      continue;
    }
    const declared = reader.readManifest(text, file);
    diagnostics.push(...declared.diagnostics);
    out.push({ file, declared });
  }
  return out;
}

/** A PyPI manifest counts as locked when a requirements*.txt project sits in its folder. */
export function isLocked(project: InventoriedProject, inventory: Inventory): boolean {
  if (project.lockfile !== undefined) return true;
  if (project.ecosystem !== 'PyPI') return false;
  return inventory.projects.some(
    (p) =>
      p.ecosystem === 'PyPI' &&
      p.dir === project.dir &&
      p.manifest === undefined &&
      p.lockfile !== undefined,
  );
}

export async function checkPinning(
  inventory: Inventory,
  readText: ReadText,
  config: PolicyCheckConfig,
  plugins: readonly EcosystemPlugin[] = ECOSYSTEM_PLUGINS,
): Promise<PolicyCheckResult> {
  const findings: CheckFinding[] = [];
  const diagnostics: Diagnostic[] = [];
  const options = config.checks.pinning;
  if (!options.enabled) return { findings, diagnostics };
  const add = (
    rule: PinningRule,
    severity: Severity,
    file: string,
    line: number,
    subject: string,
    message: string,
    informational = false,
  ): void => {
    findings.push(
      policyFinding(
        'pinning',
        rule,
        severity,
        file,
        line,
        subject,
        message,
        SUMMARIES[rule],
        informational,
      ),
    );
  };

  for (const project of inventory.projects) {
    if (project.parser === 'pypi/requirements' && project.lockfile !== undefined) {
      checkRequirements(project, options.requireHashes, options.severity, add);
    }
    const reader = readerFor(plugins, project);
    if (reader === undefined || project.manifest === undefined) continue;
    const manifests = await loadManifests(project, reader, readText, diagnostics);
    const locked = isLocked(project, inventory);
    const lockedNames = new Set<string>();
    for (const p of project.packages) {
      lockedNames.add(p.name);
      if (p.alias !== undefined) lockedNames.add(p.alias);
    }
    for (const { file, declared } of manifests) {
      const base = posix.basename(file);
      for (const dep of declared.dependencies) {
        if (dep.exact) continue;
        const subject = `${file}:${dep.scope}:${dep.name}`;
        switch (project.ecosystem) {
          case 'npm': {
            const rule = npmRule(dep, reader);
            if (rule === undefined) break;
            // The lockfile pins what it lists; ranges are then informational unless requireExact.
            const pinnedByLock =
              project.lockfile !== undefined && project.parsed && lockedNames.has(dep.name);
            const informational = pinnedByLock && !options.requireExact;
            const why = npmMessage(rule, dep);
            const message = pinnedByLock
              ? `${why}; ${project.lockfile ?? ''} pins it${options.requireExact ? ', but requireExact asks for an exact version in the manifest' : ''}`
              : why;
            add(
              rule,
              informational ? 'low' : options.severity,
              file,
              dep.line,
              subject,
              message,
              informational,
            );
            break;
          }
          case 'PyPI': {
            if (dep.kind !== 'registry') break;
            if (locked && !options.requireExact) break;
            const rule: PinningRule =
              base === 'Pipfile' ? 'pipfile-wildcard' : 'pyproject-unlocked-range';
            const spec =
              dep.specifier === '' || dep.specifier === '*' ? 'any version' : quote(dep.specifier);
            add(
              rule,
              options.severity,
              file,
              dep.line,
              subject,
              locked
                ? `${dep.name} allows ${spec}: requireExact asks for == in ${base}`
                : `${dep.name} allows ${spec} and no lockfile pins it: each install may resolve a different version`,
            );
            break;
          }
          case 'RubyGems': {
            if (locked || dep.kind !== 'registry' || dep.specifier !== '') break;
            add(
              'gem-unpinned-without-lock',
              options.severity,
              file,
              dep.line,
              subject,
              `gem ${dep.name} has no version and there is no ${base === 'gems.rb' ? 'gems.locked' : 'Gemfile.lock'}: any version may be installed`,
            );
            break;
          }
          case 'crates.io':
            break;
        }
      }
      if (project.ecosystem === 'crates.io' && !locked && declared.application === true) {
        add(
          'cargo-app-without-lock',
          options.severity,
          file,
          declared.line ?? 1,
          file,
          `${file} builds an application but there is no Cargo.lock: commit one (cargo generate-lockfile) so builds use the same versions`,
        );
      }
    }
  }
  return { findings, diagnostics };
}

function npmRule(dep: DeclaredDependency, reader: ManifestReader): PinningRule | undefined {
  if (dep.scope === 'peer') return undefined; // peers are ranges by design
  switch (dep.kind) {
    case 'registry':
    case 'alias':
      // A range can be checked against a version; a dist-tag (or anything unreadable) cannot.
      return reader.satisfies('0.0.0', dep.specifier) === undefined ? 'npm-tag' : 'npm-range';
    case 'git':
      return 'npm-git-unpinned';
    case 'url':
      return 'npm-url';
    case 'path':
    case 'workspace':
      return undefined;
  }
}

function npmMessage(rule: PinningRule, dep: DeclaredDependency): string {
  switch (rule) {
    case 'npm-tag':
      return `${dep.name} is declared as ${quote(dep.specifier)}, not a version range (a dist-tag?): it moves to whatever is published next`;
    case 'npm-git-unpinned':
      return `${dep.name} comes from git ${quote(dep.target ?? dep.specifier)} without a full commit: the branch or tag can move`;
    case 'npm-url':
      return `${dep.name} is a tarball URL ${quote(dep.target ?? dep.specifier)}: what it serves can change`;
    default:
      return `${dep.name} is declared as ${quote(dep.specifier === '' ? '*' : dep.specifier)}, a range: installs may resolve different versions`;
  }
}

function checkRequirements(
  project: InventoriedProject,
  requireHashes: boolean,
  severity: Severity,
  add: (
    rule: PinningRule,
    severity: Severity,
    file: string,
    line: number,
    subject: string,
    message: string,
  ) => void,
): void {
  for (const p of project.packages) {
    if (p.local === true) continue;
    const subject = `${p.location.file}:${p.name}`;
    if (p.source.type === 'registry' && p.version === undefined) {
      const spec =
        p.specifier === undefined || p.specifier === '*' ? 'any version' : quote(p.specifier);
      add(
        'python-unpinned',
        severity,
        p.location.file,
        p.location.line,
        subject,
        `${p.name} allows ${spec}: pin it with == (pip-compile writes pinned requirements)`,
      );
    } else if (p.source.type === 'git' && p.source.commit === undefined) {
      add(
        'python-unpinned',
        severity,
        p.location.file,
        p.location.line,
        subject,
        `${p.name} comes from git without a full commit: the branch or tag can move`,
      );
    }
    if (requireHashes && p.source.type === 'registry' && p.integrity === undefined) {
      add(
        'python-no-hash',
        severity,
        p.location.file,
        p.location.line,
        `${subject}:hash`,
        `${p.name} has no --hash: pip cannot verify what it downloads (pip-compile --generate-hashes)`,
      );
    }
  }
}
