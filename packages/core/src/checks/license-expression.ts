// SPDX license expressions: reading what packages declare (with spdx-correct for the sloppy
// ones, said out loud), and evaluating them against the allow and deny lists.
// Expression syntax: https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/
import { createRequire } from 'node:module';
import type correctFn from 'spdx-correct';
import type parseFn from 'spdx-expression-parse';
import type satisfiesFn from 'spdx-satisfies';
import type { Ecosystem } from '../model/index.js';

type SpdxNode = ReturnType<typeof parseFn>;

// The SPDX helpers (CommonJS, with their license lists: ~45 ms of CPU to load) are loaded on first
// use, so a scan without license rules never pays for them.
const require = createRequire(import.meta.url);
let spdx:
  | {
      readonly correct: typeof correctFn;
      readonly parse: typeof parseFn;
      readonly satisfies: typeof satisfiesFn;
    }
  | undefined;
function loadSpdx(): NonNullable<typeof spdx> {
  spdx ??= {
    correct: require('spdx-correct') as typeof correctFn,
    parse: require('spdx-expression-parse') as typeof parseFn,
    satisfies: require('spdx-satisfies') as typeof satisfiesFn,
  };
  return spdx;
}
const parse = (text: string): SpdxNode => loadSpdx().parse(text);
const correct = (text: string): string | null => loadSpdx().correct(text);
const satisfies = (expression: string, approved: readonly string[]): boolean =>
  loadSpdx().satisfies(expression, approved);

/** One license of an expression: `MIT`, `GPL-2.0+`, `Apache-2.0 WITH LLVM-exception`. */
export interface LicenseTerm {
  readonly license: string;
  readonly plus: boolean;
  readonly exception?: string;
}

export const UNKNOWN_REASONS = [
  'missing',
  'unlicensed',
  'see-license',
  'unparsable',
  'too-complex',
] as const;
export type UnknownReason = (typeof UNKNOWN_REASONS)[number];

export type ReadLicense =
  | {
      readonly ok: true;
      /** the SPDX expression evaluated */
      readonly expression: string;
      /** what the package declared, when normalisation changed it */
      readonly declared?: string;
      /** alternatives (OR) of conjunctions (AND) of terms */
      readonly branches: readonly (readonly LicenseTerm[])[];
    }
  | { readonly ok: false; readonly reason: UnknownReason; readonly declared?: string };

/** More alternatives than this after expanding AND over OR is not a license anyone declares. */
export const MAX_BRANCHES = 256;
const MAX_EXPRESSION_CHARS = 512;
const SEE_LICENSE = /^SEE LICEN[CS]E IN /i;
const NO_ASSERTION = new Set(['NOASSERTION', 'NONE', 'UNKNOWN']);

function tryParse(text: string): SpdxNode | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function tryCorrect(text: string): string | undefined {
  try {
    const fixed = correct(text);
    return fixed === null ? undefined : fixed;
  } catch {
    return undefined;
  }
}

const COMPOUND_SPLIT = /[()]|\s(?:OR|AND)\s/i;
const COMPOUND_TOKENS = /([()]|\s+(?:OR|AND)\s+)/i;

/** `(AFLv2.1 OR BSD)` → `(AFL-2.1 OR BSD-2-Clause)`; undefined when one license has no reading. */
function correctEachLicense(text: string): string | undefined {
  const out: string[] = [];
  for (const token of text.split(COMPOUND_TOKENS)) {
    const part = token.trim();
    if (part === '') continue;
    if (part === '(' || part === ')') out.push(part);
    else if (/^(?:OR|AND)$/i.test(part)) out.push(` ${part.toUpperCase()} `);
    else {
      const fixed = tryParse(part) === undefined ? tryCorrect(part) : part;
      if (fixed === undefined) return undefined;
      out.push(/\s/.test(fixed) ? `(${fixed})` : fixed);
    }
  }
  return out.join('');
}

/** The DNF of a parsed expression, or undefined past MAX_BRANCHES. */
function expand(node: SpdxNode): LicenseTerm[][] | undefined {
  if (!('conjunction' in node)) {
    return [
      [
        {
          license: node.license,
          plus: node.plus === true,
          ...(node.exception === undefined ? {} : { exception: node.exception }),
        },
      ],
    ];
  }
  const left = expand(node.left);
  const right = expand(node.right);
  if (left === undefined || right === undefined) return undefined;
  if (node.conjunction === 'or') {
    return left.length + right.length > MAX_BRANCHES ? undefined : [...left, ...right];
  }
  if (left.length * right.length > MAX_BRANCHES) return undefined;
  return left.flatMap((l) => right.map((r) => [...l, ...r]));
}

export function termToString(term: LicenseTerm): string {
  return `${term.license}${term.plus ? '+' : ''}${term.exception === undefined ? '' : ` WITH ${term.exception}`}`;
}

function parsed(expression: string, declared: string, node: SpdxNode): ReadLicense {
  const branches = expand(node);
  if (branches === undefined) return { ok: false, reason: 'too-complex', declared };
  return {
    ok: true,
    expression,
    ...(expression === declared ? {} : { declared }),
    branches,
  };
}

/**
 * Read a declared license: valid SPDX as is; `UNLICENSED`, `SEE LICENSE IN ...` and missing
 * values are unknown; otherwise spdx-correct's reading, kept in `declared` so messages can say
 * `"Apache 2" read as Apache-2.0`. Crates may use the old `/` for OR (`MIT/Apache-2.0`).
 */
export function readLicense(raw: string | undefined, ecosystem?: Ecosystem): ReadLicense {
  const text = raw?.trim() ?? '';
  if (text === '' || NO_ASSERTION.has(text.toUpperCase())) {
    return text === ''
      ? { ok: false, reason: 'missing' }
      : { ok: false, reason: 'missing', declared: text };
  }
  if (text.length > MAX_EXPRESSION_CHARS)
    return { ok: false, reason: 'unparsable', declared: text.slice(0, 80) };
  // npm's spelling for "no license granted"; spdx-correct would turn it into `Unlicense`.
  if (text.toUpperCase() === 'UNLICENSED')
    return { ok: false, reason: 'unlicensed', declared: text };
  if (SEE_LICENSE.test(text)) return { ok: false, reason: 'see-license', declared: text };
  const direct = tryParse(text);
  if (direct !== undefined) return parsed(text, text, direct);
  if (ecosystem === 'crates.io' && text.includes('/')) {
    const parts = text.split('/').map((p) => p.trim());
    if (parts.every((p) => p !== '' && tryParse(p) !== undefined)) {
      const expression = parts.map((p) => (/\s/.test(p) ? `(${p})` : p)).join(' OR ');
      const node = tryParse(expression);
      if (node !== undefined) return parsed(expression, text, node);
    }
  }
  // A compound is corrected license by license: spdx-correct on the whole of `(AFLv2.1 OR BSD)`
  // keeps one alternative and drops the other.
  const compound = COMPOUND_SPLIT.test(text);
  const fixed = compound ? correctEachLicense(text) : tryCorrect(text);
  const node = fixed === undefined ? undefined : tryParse(fixed);
  if (fixed === undefined || node === undefined) {
    return { ok: false, reason: 'unparsable', declared: text };
  }
  return parsed(fixed, text, node);
}

// ---------------------------------------------------------------------------------------------
// Policy

export interface LicensePolicy {
  /** single terms (an `A OR B` entry counts as both); empty allows everything not denied */
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  /** entries that were corrected or could not be used */
  readonly warnings: readonly string[];
}

function compileList(entries: readonly string[], key: string, warnings: string[]): string[] {
  const out: string[] = [];
  entries.forEach((entry, i) => {
    const where = `licenses.${key}[${String(i)}]`;
    const read = readLicense(entry);
    if (!read.ok) {
      warnings.push(`${where}: ${JSON.stringify(entry)} is not an SPDX expression; ignored`);
      return;
    }
    if (read.declared !== undefined) {
      warnings.push(`${where}: ${JSON.stringify(entry)} read as ${read.expression}`);
    }
    if (read.branches.some((b) => b.length > 1)) {
      warnings.push(
        `${where}: ${JSON.stringify(entry)} combines licenses with AND; list single licenses instead; ignored`,
      );
      return;
    }
    for (const branch of read.branches) for (const term of branch) out.push(termToString(term));
  });
  return [...new Set(out)];
}

export function compileLicensePolicy(
  allow: readonly string[],
  deny: readonly string[],
): LicensePolicy {
  const warnings: string[] = [];
  return {
    allow: compileList(allow, 'allow', warnings),
    deny: compileList(deny, 'deny', warnings),
    warnings,
  };
}

function safeSatisfies(expression: string, approved: readonly string[]): boolean {
  if (approved.length === 0) return false;
  try {
    return satisfies(expression, approved);
  } catch {
    // spdx-satisfies parses with its own spdx-expression-parse 3; ids only 4 knows fail there.
    return false;
  }
}

function hasException(entry: string): boolean {
  return entry.includes(' WITH ');
}

/** `GPL-2.0+` and `GPL-2.0-or-later` both stand for a version and every later one. */
function isRange(term: LicenseTerm): boolean {
  return term.plus || term.license.endsWith('-or-later');
}

/**
 * Version families for `+` and `-or-later`, oldest first, from the SPDX license list
 * (https://spdx.org/licenses/). A range outside these families stands for its first version.
 */
const VERSION_FAMILIES: readonly (readonly string[])[] = [
  ['GPL-1.0-only', 'GPL-2.0-only', 'GPL-3.0-only'],
  ['LGPL-2.0-only', 'LGPL-2.1-only', 'LGPL-3.0-only'],
  ['AGPL-1.0-only', 'AGPL-3.0-only'],
  ['GFDL-1.1-only', 'GFDL-1.2-only', 'GFDL-1.3-only'],
  ['Apache-1.0', 'Apache-1.1', 'Apache-2.0'],
  ['MPL-1.0', 'MPL-1.1', 'MPL-2.0'],
  ['EPL-1.0', 'EPL-2.0'],
  ['CDDL-1.0', 'CDDL-1.1'],
  ['EUPL-1.0', 'EUPL-1.1', 'EUPL-1.2'],
  ['Artistic-1.0', 'Artistic-2.0'],
  ['AFL-1.1', 'AFL-1.2', 'AFL-2.0', 'AFL-2.1', 'AFL-3.0'],
  ['OSL-1.0', 'OSL-1.1', 'OSL-2.0', 'OSL-2.1', 'OSL-3.0'],
  ['CC-BY-1.0', 'CC-BY-2.0', 'CC-BY-2.5', 'CC-BY-3.0', 'CC-BY-4.0'],
  ['CC-BY-SA-1.0', 'CC-BY-SA-2.0', 'CC-BY-SA-2.5', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0'],
];

function withoutSuffix(id: string): string {
  if (id.endsWith('-or-later')) return id.slice(0, -'-or-later'.length);
  if (id.endsWith('-only')) return id.slice(0, -'-only'.length);
  return id;
}

/** The licenses a range offers: `GPL-2.0+` → GPL-2.0-only, GPL-3.0-only. */
export function rangeMembers(term: LicenseTerm): string[] {
  const start = withoutSuffix(term.license);
  for (const family of VERSION_FAMILIES) {
    const at = family.findIndex((id) => withoutSuffix(id) === start);
    if (at >= 0) return family.slice(at);
  }
  return [term.license.endsWith('-or-later') ? `${start}-only` : term.license];
}

export const TERM_VERDICTS = ['allowed', 'denied', 'not-allowed'] as const;
export type TermVerdict = (typeof TERM_VERDICTS)[number];

/**
 * One term against the lists, matched by spdx-satisfies (so `GPL-2.0-or-later` in deny covers
 * `GPL-3.0-only`):
 * - `X WITH E`: listed with its exception decides; otherwise X decides (an exception only adds
 *   permissions, so allowing X allows it, and denying X denies it);
 * - `X+`: the licensee may pick any version from X on, so it is allowed when one of them is,
 *   and denied only when every one of them is denied;
 * - `X`: denied when a deny entry matches it, else allowed when the allow list is empty or matches.
 */
export function evaluateTerm(term: LicenseTerm, policy: LicensePolicy): TermVerdict {
  const text = termToString(term);
  if (term.exception !== undefined) {
    if (policy.deny.some((d) => hasException(d) && safeSatisfies(text, [d]))) return 'denied';
    if (policy.allow.some((a) => hasException(a) && safeSatisfies(text, [a]))) return 'allowed';
    return evaluateTerm({ license: term.license, plus: term.plus }, policy);
  }
  if (isRange(term)) {
    const verdicts = rangeMembers(term).map((id) =>
      evaluateTerm({ license: id, plus: false }, policy),
    );
    if (verdicts.includes('allowed')) return 'allowed';
    return verdicts.every((v) => v === 'denied') ? 'denied' : 'not-allowed';
  }
  const plainDeny = policy.deny.filter((d) => !hasException(d));
  const plainAllow = policy.allow.filter((a) => !hasException(a));
  if (safeSatisfies(text, plainDeny)) return 'denied';
  if (policy.allow.length === 0 || safeSatisfies(text, plainAllow)) return 'allowed';
  return 'not-allowed';
}

export interface ExpressionVerdict {
  readonly verdict: TermVerdict;
  /** terms that are denied, in expression order */
  readonly denied: readonly string[];
  /** terms that are neither denied nor allowed */
  readonly notAllowed: readonly string[];
}

/**
 * An expression passes when one alternative passes: every term of it allowed. It is denied when
 * every alternative holds a denied term; otherwise it is not allowed.
 */
export function evaluateBranches(
  branches: readonly (readonly LicenseTerm[])[],
  policy: LicensePolicy,
): ExpressionVerdict {
  const verdicts = new Map<string, TermVerdict>();
  const verdictOf = (term: LicenseTerm): TermVerdict => {
    const key = termToString(term);
    let v = verdicts.get(key);
    if (v === undefined) {
      v = evaluateTerm(term, policy);
      verdicts.set(key, v);
    }
    return v;
  };
  let anyAllowed = false;
  let allDenied = true;
  for (const branch of branches) {
    const vs = branch.map(verdictOf);
    if (vs.includes('denied')) continue;
    allDenied = false;
    if (vs.every((v) => v === 'allowed')) anyAllowed = true;
  }
  const pick = (want: TermVerdict): string[] =>
    [...verdicts].filter(([, v]) => v === want).map(([k]) => k);
  const verdict: TermVerdict = anyAllowed ? 'allowed' : allDenied ? 'denied' : 'not-allowed';
  return { verdict, denied: pick('denied'), notAllowed: pick('not-allowed') };
}
