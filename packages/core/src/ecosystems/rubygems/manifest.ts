// Gemfile / gems.rb as the policy checks see them: each `gem` line with its requirements, kind
// (git, path, registry) and exactness; and what Gemfile.lock's DEPENDENCIES section records.
// A Gemfile is Ruby: this reads the common one-line `gem` forms, not an interpreter; a gem declared
// through code it does not understand is simply not checked. Linear: indexOf and slices only.
import { satisfies as rubySatisfies } from '@renovatebot/ruby-semver';
import type {
  DeclaredDependency,
  DeclaredKind,
  DeclaredManifest,
  LockedRoot,
  LockedRoots,
  ManifestReader,
} from '../types.js';
import { readDevOnlyGems } from './gemfile-groups.js';
import { rubygemsVersionScheme } from './version.js';

const MAX_SPEC_LENGTH = 1024;
const REQUIREMENT_OPS = ['~>', '>=', '<=', '!=', '=', '>', '<'] as const;
const GIT_OPTIONS = ['git', 'github', 'gitlab', 'bitbucket', 'gist'] as const;

interface GemLine {
  readonly name: string;
  readonly requirements: string[];
  readonly options: Map<string, string>;
}

/** Read `"x"` / `'x'` at `i`; returns the string and the offset after it. */
function readString(text: string, i: number): [string, number] | undefined {
  const quote = text[i];
  if (quote !== '"' && quote !== "'") return undefined;
  const close = text.indexOf(quote, i + 1);
  if (close === -1) return undefined;
  return [text.slice(i + 1, close), close + 1];
}

/** `gem "name", "~> 1.0", ">= 1.0.2", git: "url", ref: "abc"` → its parts. */
export function parseGemLine(line: string): GemLine | undefined {
  let i = 3;
  while (line[i] === ' ' || line[i] === '(') i++;
  const first = readString(line, i);
  if (first === undefined) return undefined;
  const [name, after] = first;
  const requirements: string[] = [];
  const options = new Map<string, string>();
  for (const raw of line.slice(after).split(',')) {
    const part = raw.trim().replace(/\)$/, '');
    if (part === '') continue;
    const str = readString(part, 0);
    if (str !== undefined && str[1] === part.length) {
      if (options.size === 0) requirements.push(str[0]);
      continue;
    }
    // `key: value` or `:key => value`
    let key: string | undefined;
    let value = '';
    const arrow = part.indexOf('=>');
    if (part.startsWith(':') && arrow !== -1) {
      key = part.slice(1, arrow).trim();
      value = part.slice(arrow + 2).trim();
    } else {
      const colon = part.indexOf(':');
      if (colon > 0) {
        key = part.slice(0, colon).trim();
        value = part.slice(colon + 1).trim();
      }
    }
    if (key === undefined || key === '') continue;
    const str2 = readString(value, 0);
    options.set(key, str2 === undefined ? value : str2[0]);
  }
  return { name, requirements, options };
}

function isValidRequirementClause(clause: string): boolean {
  const op = REQUIREMENT_OPS.find((o) => clause.startsWith(o));
  const version = clause.slice(op?.length ?? 0).trim();
  return version !== '' && rubygemsVersionScheme.isValid(version);
}

/** Clauses of a requirement (`"~> 1.0, >= 1.0.2"` or several strings), trimmed. */
function clausesOf(specifier: string): string[] {
  return specifier
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

export function isExactGemRequirement(specifier: string): boolean {
  if (specifier.length > MAX_SPEC_LENGTH) return false;
  const clauses = clausesOf(specifier);
  if (clauses.length !== 1) return false;
  const clause = clauses[0] ?? '';
  const op = REQUIREMENT_OPS.find((o) => clause.startsWith(o));
  return (op === undefined || op === '=') && isValidRequirementClause(clause);
}

export function gemSatisfies(version: string, specifier: string): boolean | undefined {
  if (specifier.length > MAX_SPEC_LENGTH || !rubygemsVersionScheme.isValid(version))
    return undefined;
  const clauses = clausesOf(specifier);
  if (clauses.length === 0) return true;
  if (!clauses.every(isValidRequirementClause)) return undefined;
  return clauses.every((c) => rubySatisfies(version, c));
}

/** `= 1.0` and `1.0` alike, clause order and spacing ignored; `>= 0` is no requirement. */
export function sameGemRequirement(a: string, b: string): boolean {
  const norm = (s: string) =>
    clausesOf(s)
      .map((c) => {
        const op = REQUIREMENT_OPS.find((o) => c.startsWith(o)) ?? '=';
        const v = c.startsWith(op) ? c.slice(op.length).trim() : c;
        return `${op} ${v}`;
      })
      .filter((c) => c !== '>= 0')
      .sort()
      .join(', ');
  return norm(a) === norm(b);
}

export function readGemfile(text: string, _file: string): DeclaredManifest {
  const devOnly = readDevOnlyGems(text);
  const dependencies: DeclaredDependency[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (!line.startsWith('gem ') && !line.startsWith('gem(')) continue;
    const gem = parseGemLine(line);
    if (gem === undefined) continue;
    const git = GIT_OPTIONS.find((o) => gem.options.has(o));
    const path = gem.options.get('path');
    let kind: DeclaredKind = 'registry';
    let exact: boolean;
    let target: string | undefined;
    const specifier = gem.requirements.join(', ');
    if (git !== undefined) {
      kind = 'git';
      target = gem.options.get(git) ?? '';
      const ref = gem.options.get('ref') ?? gem.options.get('revision') ?? '';
      exact = ref.length === 40 && /^[0-9a-f]+$/i.test(ref);
    } else if (path !== undefined) {
      kind = 'path';
      exact = true;
    } else {
      exact = isExactGemRequirement(specifier);
    }
    dependencies.push({
      name: gem.name,
      specifier,
      scope: devOnly.has(gem.name) ? 'dev' : 'prod',
      line: lineNo,
      kind,
      exact,
      ...(target === undefined ? {} : { target }),
    });
  }
  return { dependencies, diagnostics: [] };
}

/** Gemfile.lock DEPENDENCIES: `name`, `name (reqs)`, `name!`; versions from the specs. */
export function readGemLockedRoots(text: string, _file: string): LockedRoots | undefined {
  const roots: LockedRoot[] = [];
  const versions = new Map<string, string>();
  let section = '';
  let inSpecs = false;
  let lineNo = 0;
  let start = 0;
  const pending: { name: string; specifier?: string; line: number }[] = [];
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      section = line.trim();
      inSpecs = false;
      continue;
    }
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (inSpecs && line.startsWith('    ') && !line.startsWith('     ')) {
      const body = line.slice(4);
      const open = body.indexOf(' (');
      if (open > 0 && body.endsWith(')')) {
        const name = body.slice(0, open);
        const full = body.slice(open + 2, -1);
        const dash = full.indexOf('-');
        if (!versions.has(name)) versions.set(name, dash === -1 ? full : full.slice(0, dash));
      }
      continue;
    }
    if (section === 'DEPENDENCIES' && line.startsWith('  ') && !line.startsWith('   ')) {
      let body = line.slice(2).trimEnd();
      if (body.endsWith('!')) body = body.slice(0, -1);
      const open = body.indexOf(' (');
      if (open > 0 && body.endsWith(')')) {
        pending.push({
          name: body.slice(0, open),
          specifier: body.slice(open + 2, -1),
          line: lineNo,
        });
      } else if (body !== '' && !body.includes(' ')) {
        pending.push({ name: body, line: lineNo });
      }
    }
  }
  if (section === '' && pending.length === 0) return undefined;
  for (const p of pending) {
    const version = versions.get(p.name);
    roots.push({
      importer: 'dir:.',
      name: p.name,
      ...(p.specifier === undefined ? {} : { specifier: p.specifier }),
      ...(version === undefined ? {} : { version }),
      line: p.line,
    });
  }
  return { roots, importers: ['dir:.'] };
}

export const rubygemsManifestReader = {
  manifests: ['Gemfile', 'gems.rb'],
  readManifest: readGemfile,
  satisfies: gemSatisfies,
  readLockedRoots: readGemLockedRoots,
  sameSpecifier: sameGemRequirement,
} satisfies ManifestReader;
