// CVSS base scores from vector strings (FIRST CVSS v3.0, v3.1 and v4.0 specifications), checked
// against FIRST's examples and, for every v3 base vector, against ae-cvss-calculator in
// cvss.test.ts. Vectors are untrusted text: anything malformed gives undefined, never a throw.
// v3.x base scores are computed here (the formula is short and exact); ae-cvss-calculator, which
// costs ~50 ms of CPU to load, is loaded on first use for v4.0 and for v3 vectors outside the
// specification's metric tables (it decides what it accepts there).
import { createRequire } from 'node:module';
import type * as CvssCalculator from 'ae-cvss-calculator';
import { severityFromScore, type Cvss, type Severity } from '../model/index.js';

const require = createRequire(import.meta.url);
let calculator: typeof CvssCalculator | undefined;

/** ae-cvss-calculator (a CommonJS bundle), loaded synchronously on first use. */
function loadCalculator(): typeof CvssCalculator {
  calculator ??= require('ae-cvss-calculator') as typeof CvssCalculator;
  return calculator;
}

export interface CvssScore extends Cvss {
  readonly version: '3.0' | '3.1' | '4.0';
  readonly severity: Severity;
}

/** The part of a score a finding carries (the report contract's `cvss`). */
export function cvssOf(scored: CvssScore): Cvss {
  return { version: scored.version, vector: scored.vector, score: scored.score };
}

/** Far above the longest valid vector (a v4 vector with every metric is under 200 characters). */
const MAX_VECTOR_LENGTH = 512;

const PREFIXES = { 'CVSS:3.0': '3.0', 'CVSS:3.1': '3.1', 'CVSS:4.0': '4.0' } as const;

/** Base metrics every vector must carry, per the specifications. */
const REQUIRED: Record<CvssScore['version'], readonly string[]> = {
  '3.0': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

const METRIC = /^[A-Za-z]{1,3}:[A-Za-z]{1,2}$/;

function versionOf(prefix: string): CvssScore['version'] | undefined {
  if (prefix === 'CVSS:3.0' || prefix === 'CVSS:3.1' || prefix === 'CVSS:4.0') {
    return PREFIXES[prefix];
  }
  return undefined;
}

/** The shape the specifications require: prefix, then `KEY:VALUE` once each, base metrics present. */
function checkShape(vector: string): CvssScore['version'] | undefined {
  if (vector.length > MAX_VECTOR_LENGTH) return undefined;
  const parts = vector.split('/');
  const version = versionOf(parts[0] ?? '');
  if (version === undefined) return undefined;
  const seen = new Set<string>();
  for (const part of parts.slice(1)) {
    if (!METRIC.test(part)) return undefined;
    const key = part.slice(0, part.indexOf(':'));
    if (seen.has(key)) return undefined;
    seen.add(key);
  }
  return REQUIRED[version].every((k) => seen.has(k)) ? version : undefined;
}

// FIRST CVSS v3.1 specification, section 7.4 (https://www.first.org/cvss/v3.1/specification-document);
// v3.0 has the same weights and differs only in rounding.
const AV: Readonly<Record<string, number>> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Readonly<Record<string, number>> = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Readonly<Record<string, number>> = { N: 0.85, R: 0.62 };
const CIA: Readonly<Record<string, number>> = { H: 0.56, L: 0.22, N: 0 };

/** Every v3 metric and its values (base, temporal, environmental), from the specification. */
const V3_METRICS: ReadonlyMap<string, readonly string[]> = new Map([
  ['AV', ['N', 'A', 'L', 'P']],
  ['AC', ['L', 'H']],
  ['PR', ['N', 'L', 'H']],
  ['UI', ['N', 'R']],
  ['S', ['U', 'C']],
  ['C', ['H', 'L', 'N']],
  ['I', ['H', 'L', 'N']],
  ['A', ['H', 'L', 'N']],
  ['E', ['X', 'U', 'P', 'F', 'H']],
  ['RL', ['X', 'O', 'T', 'W', 'U']],
  ['RC', ['X', 'U', 'R', 'C']],
  ['CR', ['X', 'L', 'M', 'H']],
  ['IR', ['X', 'L', 'M', 'H']],
  ['AR', ['X', 'L', 'M', 'H']],
  ['MAV', ['X', 'N', 'A', 'L', 'P']],
  ['MAC', ['X', 'L', 'H']],
  ['MPR', ['X', 'N', 'L', 'H']],
  ['MUI', ['X', 'N', 'R']],
  ['MS', ['X', 'U', 'C']],
  ['MC', ['X', 'N', 'L', 'H']],
  ['MI', ['X', 'N', 'L', 'H']],
  ['MA', ['X', 'N', 'L', 'H']],
]);

/** v3.1 Roundup (Appendix A): the smallest one-decimal number >= x, free of float artefacts. */
function roundUp31(x: number): number {
  const i = Math.round(x * 100_000);
  return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10;
}

/** v3.0's round up to one decimal. */
function roundUp30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

/**
 * The v3.x base score when every metric of the vector is one the specification defines; undefined
 * otherwise (the caller then asks ae-cvss-calculator). Same formula and operation order as the
 * library, so the same floating-point results.
 */
function scoreV3(version: '3.0' | '3.1', vector: string): number | undefined {
  const m = new Map<string, string>();
  const parts = vector.split('/');
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const colon = part.indexOf(':');
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    if (V3_METRICS.get(key)?.includes(value) !== true) return undefined;
    m.set(key, value);
  }
  const weight = (table: Readonly<Record<string, number>>, key: string): number | undefined => {
    const v = m.get(key);
    return v !== undefined && Object.hasOwn(table, v) ? table[v] : undefined;
  };
  const changed = m.get('S') === 'C';
  const av = weight(AV, 'AV');
  const ac = weight(AC, 'AC');
  const pr = weight(changed ? PR_CHANGED : PR_UNCHANGED, 'PR');
  const ui = weight(UI, 'UI');
  const c = weight(CIA, 'C');
  const i = weight(CIA, 'I');
  const a = weight(CIA, 'A');
  if (
    av === undefined ||
    ac === undefined ||
    pr === undefined ||
    ui === undefined ||
    c === undefined ||
    i === undefined ||
    a === undefined
  )
    return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av * ac * pr * ui;
  const roundUp = version === '3.1' ? roundUp31 : roundUp30;
  return changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
}

function computeScore(version: CvssScore['version'], vector: string): number | undefined {
  if (version !== '4.0') {
    const own = scoreV3(version, vector);
    if (own !== undefined) return own;
  }
  const { Cvss3P0, Cvss3P1, Cvss4P0 } = loadCalculator();
  if (version === '4.0') {
    const v = new Cvss4P0(vector);
    // The score of the vector as written (CVSS-B, or CVSS-BT when threat metrics are given),
    // which is what FIRST's calculator and advisory databases show.
    return v.isBaseFullyDefined() ? v.calculateScores().overall : undefined;
  }
  const v = version === '3.1' ? new Cvss3P1(vector) : new Cvss3P0(vector);
  return v.isBaseFullyDefined() ? v.calculateScores().base : undefined;
}

/** Vectors repeat across records (the same few dozen cover most advisories): score each once. */
const scored = new Map<string, CvssScore | undefined>();
const MAX_SCORED = 4096;

/** Base score and level of a CVSS v3.0, v3.1 or v4.0 vector; undefined when malformed. */
export function scoreCvss(vector: string): CvssScore | undefined {
  if (vector.length > MAX_VECTOR_LENGTH) return scoreVector(vector); // not kept
  if (scored.has(vector)) return scored.get(vector);
  const result = scoreVector(vector);
  if (scored.size >= MAX_SCORED) scored.clear();
  scored.set(vector, result);
  return result;
}

function scoreVector(vector: string): CvssScore | undefined {
  const trimmed = vector.trim();
  const version = checkShape(trimmed);
  if (version === undefined) return undefined;
  let score: number | undefined;
  try {
    score = computeScore(version, trimmed);
  } catch {
    return undefined; // unknown metric names or values the library refuses
  }
  if (score === undefined || !Number.isFinite(score) || score < 0 || score > 10) return undefined;
  return { version, vector: trimmed, score, severity: severityFromScore(score) };
}
