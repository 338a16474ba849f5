// CVSS base scores from vector strings (FIRST CVSS v3.0, v3.1 and v4.0 specifications), through
// ae-cvss-calculator, checked against FIRST's examples in cvss.test.ts. Vectors are untrusted
// text: anything malformed gives undefined, never a throw.
import cvssCalculator from 'ae-cvss-calculator';
import { severityFromScore, type Cvss, type Severity } from '../model/index.js';

const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

export interface CvssScore extends Cvss {
  readonly version: '3.0' | '3.1' | '4.0';
  readonly severity: Severity;
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

function computeScore(version: CvssScore['version'], vector: string): number | undefined {
  if (version === '4.0') {
    const v = new Cvss4P0(vector);
    // The score of the vector as written (CVSS-B, or CVSS-BT when threat metrics are given),
    // which is what FIRST's calculator and advisory databases show.
    return v.isBaseFullyDefined() ? v.calculateScores().overall : undefined;
  }
  const v = version === '3.1' ? new Cvss3P1(vector) : new Cvss3P0(vector);
  return v.isBaseFullyDefined() ? v.calculateScores().base : undefined;
}

/** Base score and level of a CVSS v3.0, v3.1 or v4.0 vector; undefined when malformed. */
export function scoreCvss(vector: string): CvssScore | undefined {
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
