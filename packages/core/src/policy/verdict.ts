// The verdict: findings and source statuses in, exit code and reasons out (DESIGN.md "Exit codes").
import {
  SEVERITY_RANK,
  type Finding,
  type Severity,
  type SourceStatus,
  type Verdict,
} from '../model/index.js';

export const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Rank used against the threshold. An unknown severity is not "safe": it counts as medium, so it
 * fails the default threshold but not `--fail-on high`. Malicious packages count as critical.
 */
export function effectiveRank(finding: Finding): number {
  if (finding.kind === 'malicious') return SEVERITY_RANK.critical;
  if (finding.severity === 'unknown') return SEVERITY_RANK.medium;
  return SEVERITY_RANK[finding.severity];
}

export interface VerdictInput {
  readonly findings: readonly Finding[];
  readonly sources: readonly SourceStatus[];
  readonly failOn: FailOn;
  /** files that could not be read: the scan is incomplete */
  readonly unreadable: readonly string[];
  /** no project was found or none could be checked */
  readonly nothingChecked: boolean;
}

function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

const LICENSE_VERDICTS: readonly (readonly [string, string])[] = [
  ['license-denied', 'denied'],
  ['license-not-allowed', 'not allowed'],
  ['license-unknown', 'unknown'],
];
const NAMED = 3;

/** `1 license denied: GPL-3.0-only in left-pad@1.3.0`, naming the first few of each verdict. */
function licenseReasons(findings: readonly Finding[]): string[] {
  const reasons: string[] = [];
  for (const [rule, word] of LICENSE_VERDICTS) {
    const hits = findings.filter((f) => f.id === rule);
    if (hits.length === 0) continue;
    const named = hits.slice(0, NAMED).map((f) => {
      const pkg = f.package === undefined ? '' : `${f.package.name}@${f.package.version ?? '?'}`;
      // checks/license.ts writes the summary as `License <expression> is ...`
      const expression = /^License (.+) is (?:denied|not allowed)$/.exec(f.summary)?.[1];
      return expression === undefined ? pkg : `${expression} in ${pkg}`;
    });
    const more = hits.length > NAMED ? `, and ${String(hits.length - NAMED)} more` : '';
    reasons.push(`${plural(hits.length, 'license')} ${word}: ${named.join(', ')}${more}`);
  }
  const other = findings.filter((f) => !LICENSE_VERDICTS.some(([rule]) => rule === f.id)).length;
  if (other > 0) reasons.push(plural(other, 'license finding'));
  return reasons;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const reasons: string[] = [];
  const failed = input.sources.filter((s) => s.status === 'failed');
  for (const s of failed) reasons.push(`source ${s.name} failed: ${s.reason ?? 'no reason given'}`);
  for (const file of input.unreadable) reasons.push(`could not read ${file}`);
  if (input.nothingChecked) reasons.push('nothing could be checked');
  const incomplete = failed.length > 0 || input.unreadable.length > 0 || input.nothingChecked;

  let violated = false;
  if (input.failOn !== 'none') {
    const threshold = SEVERITY_RANK[input.failOn satisfies Severity];
    const failing = input.findings.filter(
      (f) => f.ignored === undefined && f.informational !== true && effectiveRank(f) >= threshold,
    );
    const advisories = failing.filter((f) => f.kind === 'vulnerability' || f.kind === 'malicious');
    const policy = failing.filter((f) => f.kind !== 'vulnerability' && f.kind !== 'malicious');
    if (advisories.length > 0) {
      reasons.push(`${plural(advisories.length, 'finding')} at or above ${input.failOn}`);
    }
    const malicious = failing.filter((f) => f.kind === 'malicious');
    if (malicious.length > 0) reasons.push(plural(malicious.length, 'malicious package'));
    reasons.push(...licenseReasons(policy.filter((f) => f.kind === 'license')));
    for (const kind of ['pinning', 'lockfile'] as const) {
      const n = policy.filter((f) => f.kind === kind).length;
      if (n > 0) reasons.push(`${plural(n, `${kind} finding`)} at or above ${input.failOn}`);
    }
    violated = failing.length > 0;
  }
  const exitCode = incomplete ? 3 : violated ? 1 : 0;
  if (exitCode === 0) reasons.push('no findings at or above the threshold');
  return { exitCode, reasons };
}
