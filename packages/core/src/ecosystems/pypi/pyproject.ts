// What pyproject.toml declares directly: PEP 621 `[project]` dependencies and extras, PEP 735
// `[dependency-groups]`, and Poetry's `[tool.poetry.*dependencies]` and groups.
import type { Diagnostic } from '../../model/index.js';
import { isSupplyAuditError } from '../../errors.js';
import type { EdgeKind } from '../dependency-graph.js';
import { normalizePypiName } from './name.js';
import { parseRequirement } from './pep508.js';
import { stepLabel } from './pypi-package.js';
import {
  getList,
  getOwn,
  getTable,
  getText,
  isTable,
  parseToml,
  tableEntries,
  type TomlTable,
} from '../../decode/toml.js';

export interface DeclaredDependency {
  /** PEP 503 normalised */
  readonly name: string;
  readonly kind: EdgeKind;
}

export interface DeclaredDependencies {
  /** `name@version` of the project, else the manifest's path */
  readonly label: string;
  readonly dependencies: DeclaredDependency[];
  readonly diagnostics: Diagnostic[];
}

function requirementNames(
  list: readonly unknown[] | undefined,
  kind: EdgeKind,
): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  for (const item of list ?? []) {
    if (typeof item !== 'string') continue; // `{ include-group = ... }` and the like
    const parsed = parseRequirement(item);
    if (parsed.ok) out.push({ name: normalizePypiName(parsed.requirement.name), kind });
  }
  return out;
}

function poetryTable(table: TomlTable | undefined, kind: EdgeKind): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  for (const [name, spec] of table ? tableEntries(table) : []) {
    if (name === 'python') continue;
    const optional = isTable(spec) && getOwn(spec, 'optional') === true;
    out.push({
      name: normalizePypiName(name),
      kind: optional && kind === 'prod' ? 'optional' : kind,
    });
  }
  return out;
}

/** Read the declared dependencies; a broken manifest gives a warning and no declarations. */
export function readPyproject(text: string, file: string): DeclaredDependencies {
  let doc: TomlTable;
  try {
    doc = parseToml(text, file);
  } catch (error) {
    if (!isSupplyAuditError(error)) throw error;
    return {
      label: file,
      dependencies: [],
      diagnostics: [
        {
          level: 'warning',
          file,
          ...(error.line === undefined ? {} : { line: error.line }),
          message: `${error.message.slice(file.length + 1).replace(/^\d+: /, '')}; direct dependencies unknown`,
          code: 'PARSE_FAILED',
        },
      ],
    };
  }
  const dependencies: DeclaredDependency[] = [];
  const project = getTable(doc, 'project');
  const poetry = getTable(getTable(doc, 'tool') ?? {}, 'poetry');
  if (project) {
    dependencies.push(...requirementNames(getList(project, 'dependencies'), 'prod'));
    const extras = getTable(project, 'optional-dependencies');
    for (const [, list] of extras ? tableEntries(extras) : []) {
      dependencies.push(...requirementNames(Array.isArray(list) ? list : undefined, 'optional'));
    }
  }
  const groups = getTable(doc, 'dependency-groups');
  for (const [, list] of groups ? tableEntries(groups) : []) {
    dependencies.push(...requirementNames(Array.isArray(list) ? list : undefined, 'dev'));
  }
  if (poetry) {
    dependencies.push(...poetryTable(getTable(poetry, 'dependencies'), 'prod'));
    dependencies.push(...poetryTable(getTable(poetry, 'dev-dependencies'), 'dev'));
    const poetryGroups = getTable(poetry, 'group');
    for (const [group, body] of poetryGroups ? tableEntries(poetryGroups) : []) {
      if (!isTable(body)) continue;
      dependencies.push(
        ...poetryTable(getTable(body, 'dependencies'), group === 'main' ? 'prod' : 'dev'),
      );
    }
  }
  const name = (project && getText(project, 'name')) ?? (poetry && getText(poetry, 'name'));
  const version =
    (project && getText(project, 'version')) ?? (poetry && getText(poetry, 'version'));
  return {
    label: name === undefined ? file : stepLabel(normalizePypiName(name), version),
    dependencies,
    diagnostics: [],
  };
}

const KIND_RANK: Record<EdgeKind, number> = { prod: 0, optional: 1, peer: 2, dev: 3 };

/** One edge per target, of the strongest kind (a package listed as prod and dev is prod). */
export function strongestEdges(
  edges: readonly { readonly to: string; readonly kind: EdgeKind }[],
): { to: string; kind: EdgeKind }[] {
  const best = new Map<string, EdgeKind>();
  for (const edge of edges) {
    const seen = best.get(edge.to);
    if (seen === undefined || KIND_RANK[edge.kind] < KIND_RANK[seen]) best.set(edge.to, edge.kind);
  }
  return [...best].map(([to, kind]) => ({ to, kind }));
}
