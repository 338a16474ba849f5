// Dependency specifications (https://packaging.python.org/en/latest/specifications/dependency-specifiers/),
// read by hand in one pass: no regular expression sees untrusted text, so no input is slow.

export interface Requirement {
  /** the name as written (not normalised) */
  readonly name: string;
  readonly extras: readonly string[];
  /** version specifier as written, trimmed, parentheses removed; '' when there is none */
  readonly specifier: string;
  /** direct reference (`name @ url`) */
  readonly url?: string;
  readonly marker?: string;
}

export type RequirementResult =
  | { readonly ok: true; readonly requirement: Requirement }
  | { readonly ok: false; readonly reason: string };

const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>'] as const;

function isNameChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 45 ||
    c === 46 ||
    c === 95
  );
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Parse `name[extras] specifier ; marker` or `name[extras] @ url ; marker`. */
export function parseRequirement(text: string): RequirementResult {
  let i = skipSpaces(text, 0);
  const nameStart = i;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(nameStart, i);
  if (name === '') return { ok: false, reason: 'expected a package name' };
  i = skipSpaces(text, i);
  const extras: string[] = [];
  if (text[i] === '[') {
    const close = text.indexOf(']', i);
    if (close === -1) return { ok: false, reason: 'unclosed "[" of extras' };
    for (const extra of text.slice(i + 1, close).split(',')) {
      const trimmed = extra.trim();
      if (trimmed !== '') extras.push(trimmed);
    }
    i = skipSpaces(text, close + 1);
  }
  if (text[i] === '@') {
    i = skipSpaces(text, i + 1);
    const urlStart = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    const url = text.slice(urlStart, i);
    if (url === '') return { ok: false, reason: 'expected a URL after "@"' };
    i = skipSpaces(text, i);
    if (i < text.length && text[i] !== ';') {
      return { ok: false, reason: 'unexpected text after the URL' };
    }
    const marker = i < text.length ? text.slice(i + 1).trim() : undefined;
    return {
      ok: true,
      requirement: { name, extras, specifier: '', url, ...(marker ? { marker } : {}) },
    };
  }
  const semicolon = text.indexOf(';', i);
  let specifier = (semicolon === -1 ? text.slice(i) : text.slice(i, semicolon)).trim();
  const marker = semicolon === -1 ? undefined : text.slice(semicolon + 1).trim();
  if (specifier.startsWith('(')) {
    if (!specifier.endsWith(')')) return { ok: false, reason: 'unclosed "(" of the version' };
    specifier = specifier.slice(1, -1).trim();
  }
  const problem = checkSpecifier(specifier);
  if (problem !== undefined) return { ok: false, reason: problem };
  return { ok: true, requirement: { name, extras, specifier, ...(marker ? { marker } : {}) } };
}

/** Versions hold no operator or delimiter characters (PEP 440 is checked elsewhere). */
function isVersionText(version: string): boolean {
  for (const ch of version) {
    if ('<>=;[]()@, \t'.includes(ch)) return false;
  }
  return true;
}

function operatorOf(clause: string): string | undefined {
  return OPERATORS.find((op) => clause.startsWith(op));
}

function checkSpecifier(specifier: string): string | undefined {
  if (specifier === '') return undefined;
  for (const raw of specifier.split(',')) {
    const clause = raw.trim();
    const op = operatorOf(clause);
    if (op === undefined) return `invalid version specifier "${clause.slice(0, 80)}"`;
    const version = clause.slice(op.length).trim();
    if (version === '') return `no version after "${op}"`;
    if (!isVersionText(version)) return `invalid version specifier "${clause.slice(0, 80)}"`;
  }
  return undefined;
}

/**
 * The exact version a specifier pins: a single `==` clause without a wildcard, or `===`.
 * Anything else is a range and gives no version (never guessed).
 */
export function pinnedVersion(specifier: string): string | undefined {
  const clause = specifier.trim();
  if (clause === '' || clause.includes(',')) return undefined;
  if (clause.startsWith('===')) return clause.slice(3).trim() || undefined;
  if (clause.startsWith('==')) {
    const version = clause.slice(2).trim();
    if (version === '' || version.endsWith('*')) return undefined;
    return version;
  }
  return undefined;
}
