// requirements*.txt as pip reads it (pip 26.x `req_file.py`: line continuations, comments,
// `-r`/`-c` includes, editables, URLs, per-requirement `--hash`). Requirements record no graph:
// everything listed is direct, and only `==`/`===` pins give a version.
import { posix } from 'node:path';
import type { Diagnostic, Package, PackageSource } from '../../model/index.js';
import type { LockfileParser, ParseContext, ParseResult } from '../types.js';
import { isValidPypiName, normalizePypiName } from './name.js';
import { parseRequirement, pinnedVersion } from './pep508.js';
import { firstSha256, stepLabel, toPackage } from './pypi-package.js';
import { isCommitHash, stripCredentials } from './url.js';

/** Include limits: real projects nest a few levels; more is a loop or hostile. */
const MAX_INCLUDE_DEPTH = 16;
const MAX_FILES = 256;

interface LogicalLine {
  readonly line: number;
  readonly text: string;
}

/**
 * pip's `join_lines` + `ignore_comments`: a line ending in `\` continues on the next, unless it
 * is a comment; a comment starts at `#` at the line start or after whitespace.
 */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const physical = text.split('\n');
  let pending: string[] = [];
  let pendingLine = 0;
  for (let index = 0; index < physical.length; index++) {
    let raw = physical[index] ?? '';
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (index === 0 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    const comment = isCommentLine(raw);
    if (!raw.endsWith('\\') || comment) {
      if (pending.length > 0) {
        if (!comment) pending.push(raw);
        out.push({ line: pendingLine, text: stripComment(pending.join('')) });
        pending = [];
      } else {
        out.push({ line: index + 1, text: stripComment(raw) });
      }
    } else {
      if (pending.length === 0) pendingLine = index + 1;
      pending.push(raw.slice(0, -1));
    }
  }
  if (pending.length > 0) out.push({ line: pendingLine, text: stripComment(pending.join('')) });
  return out.filter((l) => l.text !== '');
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

function isCommentLine(raw: string): boolean {
  let i = 0;
  while (i < raw.length && isSpaceCode(raw.charCodeAt(i))) i++;
  return raw[i] === '#';
}

/** Cut at the first `#` that starts the line or follows whitespace (so `#egg=` survives). */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '#' && (i === 0 || isSpaceCode(line.charCodeAt(i - 1)))) {
      return line.slice(0, i).trim();
    }
  }
  return line.trim();
}

/** Whitespace-separated words, without the empty ones a run of spaces leaves. Linear. */
function words(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isSpaceCode(text.charCodeAt(i));
    if (space) {
      if (start !== -1) out.push(text.slice(start, i));
      start = -1;
    } else if (start === -1) {
      start = i;
    }
  }
  return out;
}

/** Options that take a value (pip `cmdoptions`), and those that stand alone. */
const VALUE_OPTIONS = new Map<string, string>([
  ['-r', 'requirement'],
  ['--requirement', 'requirement'],
  ['-c', 'constraint'],
  ['--constraint', 'constraint'],
  ['-e', 'editable'],
  ['--editable', 'editable'],
  ['-i', 'index-url'],
  ['--index-url', 'index-url'],
  ['--extra-index-url', 'ignored'],
  ['-f', 'ignored'],
  ['--find-links', 'ignored'],
  ['--trusted-host', 'ignored'],
  ['--no-binary', 'ignored'],
  ['--only-binary', 'ignored'],
  ['--use-feature', 'ignored'],
  ['--config-settings', 'ignored'],
  ['--global-option', 'ignored'],
  ['--hash', 'ignored'],
]);
const FLAG_OPTIONS = new Set(['--pre', '--prefer-binary', '--require-hashes', '--no-index']);

interface Entry {
  readonly name: string;
  readonly version: string | undefined;
  readonly specifier: string | undefined;
  readonly source: PackageSource;
  readonly local: boolean;
  readonly integrity: string | undefined;
  readonly file: string;
  readonly line: number;
}

interface Constraint {
  readonly version: string;
}

interface State {
  readonly ctx: ParseContext;
  readonly entries: Entry[];
  readonly constraints: Map<string, Constraint>;
  readonly diagnostics: Diagnostic[];
  readonly seen: Set<string>;
  indexUrl: string | undefined;
  files: number;
}

function warn(state: State, file: string, line: number, message: string): void {
  state.diagnostics.push({
    level: 'warning',
    file,
    line,
    message: stripCredentials(message),
    code: 'PARSE_FAILED',
  });
}

/** Split `-rfile`, `--requirement=file`, `--requirement file` into option and value. */
function splitOption(text: string): { option: string; value: string } {
  if (text.startsWith('--')) {
    const ws = words(text);
    const first = ws[0] ?? '';
    const eq = first.indexOf('=');
    if (eq !== -1) {
      return { option: first.slice(0, eq), value: text.slice(text.indexOf('=') + 1).trim() };
    }
    return { option: first, value: text.slice(first.length).trim() };
  }
  const option = text.slice(0, 2);
  let value = text.slice(2).trim();
  if (value.startsWith('=')) value = value.slice(1).trim();
  return { option, value };
}

/** pip `break_args_options`: the requirement is the words before the first one starting with `-`. */
function splitRequirementOptions(text: string): { requirement: string; options: string[] } {
  const ws = words(text);
  const firstOption = ws.findIndex((w) => w.startsWith('-'));
  if (firstOption === -1) return { requirement: ws.join(' '), options: [] };
  return {
    requirement: ws.slice(0, firstOption).join(' '),
    options: ws.slice(firstOption),
  };
}

function hashesOf(options: readonly string[]): string[] {
  const hashes: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const option = options[i] ?? '';
    if (option.startsWith('--hash=')) hashes.push(option.slice(7));
    else if (option === '--hash' && i + 1 < options.length) hashes.push(options[++i] ?? '');
  }
  return hashes;
}

const VCS_PREFIXES = ['git+', 'hg+', 'svn+', 'bzr+'] as const;

function hasScheme(text: string): boolean {
  const sep = text.indexOf(':');
  if (sep <= 0) return false;
  for (let i = 0; i < sep; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) ||
      (c >= 65 && c <= 90) ||
      (c >= 48 && c <= 57) ||
      c === 43 ||
      c === 45 ||
      c === 46;
    if (!ok) return false;
  }
  // A Windows drive letter (`C:\`) is a path, not a scheme.
  return sep > 1;
}

/** The part of a line that could be a path: its first word, cut before any `@`. */
function leadingPath(text: string): string {
  const first = words(text)[0] ?? '';
  const at = first.indexOf('@');
  return at === -1 ? first : first.slice(0, at);
}

function hasAlphanumeric(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  }
  return false;
}

function looksLikePath(text: string): boolean {
  return text.startsWith('.') || text.includes('/') || text.includes('\\');
}

/** `name` from a `#egg=name[extras]&subdirectory=...` fragment. */
function eggName(url: string): string | undefined {
  const hash = url.indexOf('#');
  if (hash === -1) return undefined;
  for (const part of url.slice(hash + 1).split('&')) {
    if (part.startsWith('egg=')) {
      let name = part.slice(4);
      const bracket = name.indexOf('[');
      if (bracket !== -1) name = name.slice(0, bracket);
      return name.trim() || undefined;
    }
  }
  return undefined;
}

/** Name and version of a wheel file name (`name-version(-build)?-py-abi-platform.whl`). */
function wheelOf(location: string): { name: string; version: string } | undefined {
  let path = location;
  for (const cut of ['#', '?']) {
    const at = path.indexOf(cut);
    if (at !== -1) path = path.slice(0, at);
  }
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (!base.endsWith('.whl')) return undefined;
  const parts = base.slice(0, -4).split('-');
  if (parts.length < 5 || parts.length > 6) return undefined;
  const [name, version] = parts;
  if (name === undefined || version === undefined || name === '' || version === '')
    return undefined;
  return { name, version };
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** A VCS or archive URL as a source, credentials removed. */
function urlSource(url: string): PackageSource {
  const bare = withoutFragment(url);
  const vcs = VCS_PREFIXES.find((p) => bare.startsWith(p));
  if (vcs === 'git+') {
    let remote = bare.slice(4);
    let commit: string | undefined;
    const scheme = remote.indexOf('://');
    const pathStart = remote.indexOf('/', scheme === -1 ? 0 : scheme + 3);
    const at = remote.lastIndexOf('@');
    if (pathStart !== -1 && at > pathStart) {
      const rev = remote.slice(at + 1);
      remote = remote.slice(0, at);
      if (isCommitHash(rev)) commit = rev.toLowerCase();
    }
    return { type: 'git', url: stripCredentials(remote), ...(commit ? { commit } : {}) };
  }
  if (bare.startsWith('file:')) {
    const path = bare.startsWith('file://') ? bare.slice(7) : bare.slice(5);
    return { type: 'path', path: stripCredentials(path) };
  }
  return { type: 'url', url: stripCredentials(bare) };
}

const ARCHIVE_ENDINGS = ['.whl', '.zip', '.tar.gz', '.tgz', '.tar.bz2', '.tar.xz', '.tar'] as const;

/** A bare URL or path: pip takes the name from `#egg=` or the wheel's file name. */
function readLocation(
  state: State,
  requirement: string,
  isUrl: boolean,
  editable: boolean,
  integrity: string | undefined,
  file: string,
  line: number,
): void {
  let location = requirement;
  // pip: a URL's marker needs a space before `;` (URLs may contain `;`), a path's does not.
  const semicolon = location.indexOf(isUrl ? '; ' : ';');
  if (semicolon !== -1) location = location.slice(0, semicolon).trim();
  const bracket = location.lastIndexOf('[');
  if (!isUrl && bracket > 0 && location.endsWith(']')) location = location.slice(0, bracket);
  const wheel = wheelOf(location);
  const rawName = eggName(location) ?? wheel?.name;
  if (rawName === undefined) {
    // `-e .` is the project itself: not a dependency.
    if (!isUrl && (location === '.' || location === './')) return;
    warn(
      state,
      file,
      line,
      `cannot tell the package name of "${location.slice(0, 200)}" (add #egg=name), skipped`,
    );
    return;
  }
  if (!isValidPypiName(rawName)) {
    warn(state, file, line, `invalid package name "${rawName.slice(0, 80)}", skipped`);
    return;
  }
  const isDirectory = !isUrl && !ARCHIVE_ENDINGS.some((e) => withoutFragment(location).endsWith(e));
  state.entries.push({
    name: normalizePypiName(rawName),
    version: wheel?.version,
    specifier: undefined,
    source: isUrl
      ? urlSource(location)
      : { type: 'path', path: stripCredentials(withoutFragment(location)) },
    local: editable || isDirectory,
    integrity,
    file,
    line,
  });
}

/** One requirement line (after `-e`, when editable). */
function readRequirement(
  state: State,
  text: string,
  file: string,
  line: number,
  editable: boolean,
): void {
  const { requirement, options } = splitRequirementOptions(text);
  const integrity = firstSha256(hashesOf(options));
  if (requirement === '') {
    warn(state, file, line, 'an option line without a requirement, ignored');
    return;
  }
  const isUrlLike =
    hasScheme(requirement) && (requirement.includes('://') || requirement.startsWith('file:'));
  const parsed = isUrlLike ? undefined : parseRequirement(requirement);
  const isArchiveName =
    parsed?.ok === true && ARCHIVE_ENDINGS.some((e) => parsed.requirement.name.endsWith(e));
  const isPathLike =
    !isUrlLike &&
    (parsed?.ok !== true || isArchiveName || !hasAlphanumeric(parsed.requirement.name)) &&
    looksLikePath(leadingPath(requirement));
  if (isUrlLike || isPathLike || isArchiveName) {
    readLocation(state, requirement, isUrlLike, editable, integrity, file, line);
    return;
  }
  if (parsed === undefined || !parsed.ok) {
    const reason = parsed === undefined ? 'invalid requirement' : parsed.reason;
    warn(state, file, line, `${reason} in "${requirement.slice(0, 200)}", skipped`);
    return;
  }
  const req = parsed.requirement;
  const name = normalizePypiName(req.name);
  if (req.url !== undefined) {
    const wheel = wheelOf(req.url);
    state.entries.push({
      name,
      version:
        wheel !== undefined && normalizePypiName(wheel.name) === name ? wheel.version : undefined,
      specifier: undefined,
      source:
        req.url.startsWith('file:') || !hasScheme(req.url)
          ? urlSource(req.url.startsWith('file:') ? req.url : `file:${req.url}`)
          : urlSource(req.url),
      local: editable,
      integrity,
      file,
      line,
    });
    return;
  }
  const version = pinnedVersion(req.specifier);
  state.entries.push({
    name,
    version,
    specifier: version === undefined ? req.specifier || '*' : undefined,
    source: { type: 'registry' },
    local: false,
    integrity,
    file,
    line,
  });
}

/** A constraints file: pins for requirements listed elsewhere, never packages of its own. */
function readConstraint(state: State, text: string, file: string, line: number): void {
  const { requirement } = splitRequirementOptions(text);
  const parsed = parseRequirement(requirement);
  if (!parsed.ok) {
    if (!hasScheme(requirement) && !looksLikePath(requirement)) {
      warn(state, file, line, `${parsed.reason} in "${requirement.slice(0, 200)}", skipped`);
    }
    return;
  }
  const version = pinnedVersion(parsed.requirement.specifier);
  const name = normalizePypiName(parsed.requirement.name);
  if (version !== undefined && !state.constraints.has(name)) {
    state.constraints.set(name, { version });
  }
}

function readFile(
  state: State,
  text: string,
  file: string,
  relative: string,
  constraints: boolean,
  depth: number,
): void {
  for (const { line, text: content } of logicalLines(text)) {
    if (!content.startsWith('-')) {
      if (constraints) readConstraint(state, content, file, line);
      else readRequirement(state, content, file, line, false);
      continue;
    }
    const { option, value } = splitOption(content);
    const kind = VALUE_OPTIONS.get(option);
    if (kind === undefined) {
      if (!FLAG_OPTIONS.has(option)) {
        warn(state, file, line, `unknown option "${option.slice(0, 80)}", ignored`);
      }
      continue;
    }
    if (value === '' && kind !== 'ignored') {
      warn(state, file, line, `option ${option} without a value, ignored`);
      continue;
    }
    switch (kind) {
      case 'requirement':
      case 'constraint':
        include(state, value, file, relative, kind === 'constraint' || constraints, depth, line);
        break;
      case 'editable':
        if (!constraints) readRequirement(state, value, file, line, true);
        break;
      case 'index-url':
        state.indexUrl = stripCredentials(words(value)[0] ?? '');
        break;
      default:
        break;
    }
  }
}

function include(
  state: State,
  value: string,
  file: string,
  relative: string,
  constraints: boolean,
  depth: number,
  line: number,
): void {
  const target = words(value)[0] ?? '';
  if (hasScheme(target) && target.includes('://')) {
    warn(state, file, line, `remote include "${target.slice(0, 200)}" is not read`);
    return;
  }
  if (depth >= MAX_INCLUDE_DEPTH || state.files >= MAX_FILES) {
    warn(state, file, line, `include "${target.slice(0, 200)}" not read: too many nested includes`);
    return;
  }
  const next = target.startsWith('/')
    ? target
    : posix.normalize(posix.join(posix.dirname(relative), target));
  const related = state.ctx.readRelated?.(next);
  if (related === undefined) {
    warn(state, file, line, `cannot read included file "${target.slice(0, 200)}"`);
    return;
  }
  // Diamonds and cycles: each file is read once.
  const key = `${constraints ? 'c' : 'r'}:${related.file}`;
  if (state.seen.has(key)) return;
  state.seen.add(key);
  state.files++;
  readFile(state, related.text, related.file, next, constraints, depth + 1);
}

function entryKey(e: Entry): string {
  return `${e.name}\0${e.version ?? ''}\0${e.specifier ?? ''}\0${e.source.url ?? e.source.path ?? ''}`;
}

export function parseRequirements(text: string, ctx: ParseContext): ParseResult {
  const state: State = {
    ctx,
    entries: [],
    constraints: new Map(),
    diagnostics: [],
    seen: new Set([`r:${ctx.file}`]),
    indexUrl: undefined,
    files: 1,
  };
  readFile(state, text, ctx.file, posix.basename(ctx.file), false, 0);
  const packages: Package[] = [];
  const kept = new Set<string>();
  for (const entry of state.entries) {
    const key = entryKey(entry);
    if (kept.has(key)) continue;
    kept.add(key);
    const constraint =
      entry.version === undefined && entry.source.type === 'registry'
        ? state.constraints.get(entry.name)
        : undefined;
    const version = entry.version ?? constraint?.version;
    const source: PackageSource =
      entry.source.type === 'registry' && state.indexUrl
        ? { type: 'registry', url: state.indexUrl }
        : entry.source;
    packages.push(
      toPackage({
        name: entry.name,
        version,
        specifier: entry.specifier,
        direct: true,
        dev: false,
        optional: false,
        local: entry.local,
        paths: [[ctx.file, stepLabel(entry.name, version)]],
        location: { file: entry.file, line: entry.line },
        source,
        integrity: entry.integrity,
      }),
    );
  }
  return { packages, diagnostics: state.diagnostics };
}

export const requirementsParser = {
  id: 'pypi/requirements',
  version: 1,
  ecosystem: 'PyPI',
  matches(fileName: string): boolean {
    const base = posix.basename(fileName).toLowerCase();
    return base.endsWith('.txt') && base.includes('requirements');
  },
  parse: parseRequirements,
} satisfies LockfileParser;
