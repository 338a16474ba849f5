// Workspace declarations in root manifests: which sub-folders a root says are its members.
// npm/yarn `workspaces`, pnpm-workspace.yaml `packages`, Cargo `[workspace] members`/`exclude`,
// uv `[tool.uv.workspace] members`/`exclude`. Best effort: a file that does not parse declares nothing.
import { parse as parseToml } from 'smol-toml';
import { parseJson, isJsonObject, getArray, getObject } from '../decode/index.js';
import { matchGlob, normalizePattern } from './glob.js';

export interface WorkspaceDeclaration {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

function strings(values: readonly unknown[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === 'string');
}

/** `workspaces: [...]` or `workspaces: { packages: [...] }` (yarn classic). */
export function npmWorkspaces(packageJson: string): WorkspaceDeclaration | undefined {
  let doc: unknown;
  try {
    doc = parseJson(packageJson, 'package.json');
  } catch {
    return undefined;
  }
  if (!isJsonObject(doc)) return undefined;
  const list =
    getArray(doc, 'workspaces') ?? getArray(getObject(doc, 'workspaces') ?? {}, 'packages');
  if (list === undefined) return undefined;
  return splitNegations(strings(list));
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v.startsWith("'") || v.startsWith('"')) && v.endsWith(v.charAt(0))) {
    return v.slice(1, -1);
  }
  return v;
}

/**
 * `packages:` of pnpm-workspace.yaml, as a block or flow sequence of plain or quoted scalars.
 * A line-based reader is enough for this one key and avoids a YAML dependency in discovery.
 */
export function pnpmWorkspaces(yamlText: string): WorkspaceDeclaration | undefined {
  const lines = yamlText.split(/\r?\n/);
  const start = lines.findIndex((l) => /^packages\s*:/.test(l));
  if (start === -1) return undefined;
  const first = lines[start] ?? '';
  const inline = first.slice(first.indexOf(':') + 1).trim();
  const found: string[] = [];
  if (inline.startsWith('[')) {
    const end = inline.lastIndexOf(']');
    const body = inline.slice(1, end === -1 ? undefined : end);
    for (const item of body.split(',')) if (item.trim() !== '') found.push(unquote(item));
    return splitNegations(found);
  }
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (!/^\s/.test(line)) break;
    if (!trimmed.startsWith('-')) break;
    const item = trimmed.slice(1);
    const hash = item.search(/\s#/);
    found.push(unquote(hash === -1 ? item : item.slice(0, hash)));
  }
  return splitNegations(found);
}

function splitNegations(patterns: readonly string[]): WorkspaceDeclaration {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const p of patterns) {
    if (p.startsWith('!')) exclude.push(p.slice(1));
    else include.push(p);
  }
  return { include, exclude };
}

function tomlTable(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : undefined;
}

function tomlStrings(table: Record<string, unknown> | undefined, key: string): string[] {
  if (table === undefined || !Object.hasOwn(table, key)) return [];
  const value = table[key];
  return Array.isArray(value) ? strings(value) : [];
}

/** `[workspace]` of a Cargo.toml. */
export function cargoWorkspaces(cargoToml: string): WorkspaceDeclaration | undefined {
  let doc: Record<string, unknown> | undefined;
  try {
    doc = tomlTable(parseToml(cargoToml));
  } catch {
    return undefined;
  }
  const ws = tomlTable(doc?.['workspace']);
  if (ws === undefined) return undefined;
  return { include: tomlStrings(ws, 'members'), exclude: tomlStrings(ws, 'exclude') };
}

/** `[tool.uv.workspace]` of a pyproject.toml. */
export function uvWorkspaces(pyproject: string): WorkspaceDeclaration | undefined {
  let doc: Record<string, unknown> | undefined;
  try {
    doc = tomlTable(parseToml(pyproject));
  } catch {
    return undefined;
  }
  const ws = tomlTable(tomlTable(tomlTable(doc?.['tool'])?.['uv'])?.['workspace']);
  if (ws === undefined) return undefined;
  return { include: tomlStrings(ws, 'members'), exclude: tomlStrings(ws, 'exclude') };
}

/** Whether a folder (relative to the workspace root) is a declared member. */
export function isDeclaredMember(declaration: WorkspaceDeclaration, relDir: string): boolean {
  const matches = (p: string) => {
    const pattern = normalizePattern(p);
    // Cargo's exclude entries are paths: a folder below an excluded one is excluded too.
    return matchGlob(pattern, relDir) || matchGlob(`${pattern}/**`, relDir);
  };
  return (
    declaration.include.some((p) => matchGlob(normalizePattern(p), relDir)) &&
    !declaration.exclude.some(matches)
  );
}
