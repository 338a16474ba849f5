// Which file names discovery cares about: manifests, lockfiles and how they pair, and the folders
// it never enters. Parsers are chosen by asking each plugin's lockfile parsers `matches(name)`.
import type { EcosystemPlugin, LockfileParser } from '../ecosystems/types.js';
import type { Ecosystem, PolicyFileKind } from '../model/index.js';

/** Folders never entered (besides virtualenvs, recognised by their pyvenv.cfg). */
export const SKIPPED_DIRS = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'vendor',
  'target',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.nox',
  'bower_components',
] as const;

const skipped: ReadonlySet<string> = new Set(SKIPPED_DIRS);

export function isSkippedDir(name: string): boolean {
  return skipped.has(name);
}

/** A kind of lockfile and the manifest names it belongs beside. */
export interface LockfileKind {
  readonly ecosystem: Ecosystem;
  /** a name of this kind; `requirements*.txt` style kinds use `matchName` */
  readonly names: readonly string[];
  readonly matchName?: (name: string) => boolean;
  /** a name `matchName` accepts, to compare parsers with */
  readonly sample?: string;
  /** manifests it locks; empty when the file is a project of its own (requirements*.txt) */
  readonly manifests: readonly string[];
}

export function isRequirementsFile(name: string): boolean {
  return name.startsWith('requirements') && name.endsWith('.txt');
}

/** In order of preference when several sit in one folder. */
export const LOCKFILE_KINDS: readonly LockfileKind[] = [
  {
    ecosystem: 'npm',
    names: ['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'],
    manifests: ['package.json'],
  },
  { ecosystem: 'PyPI', names: ['poetry.lock', 'uv.lock'], manifests: ['pyproject.toml'] },
  { ecosystem: 'PyPI', names: ['Pipfile.lock'], manifests: ['Pipfile'] },
  {
    ecosystem: 'PyPI',
    names: [],
    matchName: isRequirementsFile,
    sample: 'requirements.txt',
    manifests: [],
  },
  { ecosystem: 'crates.io', names: ['Cargo.lock'], manifests: ['Cargo.toml'] },
  { ecosystem: 'RubyGems', names: ['Gemfile.lock'], manifests: ['Gemfile'] },
  { ecosystem: 'RubyGems', names: ['gems.locked'], manifests: ['gems.rb'] },
];

/** Files read for workspace declarations only; never projects themselves. */
export const WORKSPACE_FILES = ['pnpm-workspace.yaml'] as const;

/**
 * Files the pinning checks read besides manifests: GitHub workflows (`.github/workflows/*.yml`),
 * action metadata (`action.yml`), and Dockerfiles (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`,
 * `Containerfile`). `dir` is the folder relative to the root (`''` or `.` for the root).
 */
export function policyFileKind(dir: string, name: string): PolicyFileKind | undefined {
  if (name === 'action.yml' || name === 'action.yaml') return 'action';
  if (
    name === 'Dockerfile' ||
    name === 'Containerfile' ||
    name.startsWith('Dockerfile.') ||
    name.endsWith('.Dockerfile') ||
    name.endsWith('.dockerfile')
  ) {
    return 'dockerfile';
  }
  if (
    (name.endsWith('.yml') || name.endsWith('.yaml')) &&
    (dir === '.github/workflows' || dir.endsWith('/.github/workflows'))
  ) {
    return 'workflow';
  }
  return undefined;
}

export interface FileClassifier {
  /** the kind of lockfile a name is, if any */
  lockfileKind(name: string): LockfileKind | undefined;
  /** the ecosystem a manifest name belongs to, if any */
  manifestEcosystem(name: string): Ecosystem | undefined;
  /** whether discovery needs this file at all (`dir`: its folder relative to the root) */
  isCandidate(name: string, dir?: string): boolean;
  /** the first parser (plugin order, then parser order) whose `matches` accepts the name */
  parserFor(name: string, ecosystem: Ecosystem): LockfileParser | undefined;
}

export function createClassifier(plugins: readonly EcosystemPlugin[]): FileClassifier {
  const manifests = new Map<string, Ecosystem>();
  for (const plugin of plugins) {
    for (const m of plugin.manifests) if (!manifests.has(m)) manifests.set(m, plugin.ecosystem);
  }
  const byName = new Map<string, LockfileKind>();
  for (const kind of LOCKFILE_KINDS) for (const n of kind.names) byName.set(n, kind);

  const parserFor = (name: string, ecosystem: Ecosystem): LockfileParser | undefined => {
    for (const plugin of plugins) {
      if (plugin.ecosystem !== ecosystem) continue;
      for (const parser of plugin.lockfiles) if (parser.matches(name)) return parser;
    }
    return undefined;
  };

  const lockfileKind = (name: string): LockfileKind | undefined => {
    const known = byName.get(name) ?? LOCKFILE_KINDS.find((k) => k.matchName?.(name) === true);
    if (known !== undefined) return known;
    if (manifests.has(name)) return undefined;
    // A parser that reads a file this table does not know (`dev-requirements.txt`): the file is
    // of the kind whose names the same parser reads, else it sits beside its ecosystem's manifests.
    for (const plugin of plugins) {
      const parser = plugin.lockfiles.find((p) => p.matches(name));
      if (parser === undefined) continue;
      const sameParser = LOCKFILE_KINDS.find(
        (k) =>
          k.ecosystem === plugin.ecosystem &&
          [...k.names, ...(k.sample === undefined ? [] : [k.sample])].some((n) =>
            parser.matches(n),
          ),
      );
      return {
        ecosystem: plugin.ecosystem,
        names: [name],
        manifests: sameParser?.manifests ?? plugin.manifests,
      };
    }
    return undefined;
  };

  return {
    lockfileKind,
    manifestEcosystem: (name) => manifests.get(name),
    isCandidate: (name, dir = '') =>
      policyFileKind(dir, name) !== undefined ||
      manifests.has(name) ||
      (WORKSPACE_FILES as readonly string[]).includes(name) ||
      lockfileKind(name) !== undefined,
    parserFor,
  };
}
