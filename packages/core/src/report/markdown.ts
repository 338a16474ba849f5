// Markdown for PR comments and job summaries, in the security-review shape teams already use:
// Threat Assessment (Threat | Severity | Attack Vector | Mitigation), prioritised
// Recommendations, Compliance Notes. Kept under a size limit by collapsing low severities, then
// summarising, and always saying what was left out.
import { SEVERITY_RANK, type Finding, type Report, type Severity } from '../model/index.js';

/** GitHub's limit for a comment body is 65,536 characters; stay clear of it. */
export const MARKDOWN_LIMIT = 60_000;
const MAX_RECOMMENDATIONS = 50;

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: '🔴 Critical',
  high: '🟠 High',
  medium: '🟡 Medium',
  low: '🔵 Low',
  unknown: '⚪ Unknown',
};

/** Make untrusted text safe inside a table cell: one line, no pipes, no HTML, no link tricks. */
export function escapeCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/([|`*_[\]<>#])/g, '\\$1')
    .replace(/@/g, '@\u200b')
    .trim();
}

const ATTACK_VECTOR: Record<string, string> = {
  N: 'Network',
  A: 'Adjacent network',
  L: 'Local',
  P: 'Physical',
};

export function attackVector(f: Finding): string {
  switch (f.kind) {
    case 'malicious':
      return 'Install or import of a malicious package (code runs with your build credentials)';
    case 'pinning':
      return 'Unpinned reference: a moved tag or a new release changes what you run';
    case 'lockfile':
      return 'Unverified or unexpected source (tampering, dependency confusion)';
    case 'license':
      return 'Legal: distribution under incompatible terms';
    case 'vulnerability': {
      const match = f.cvss === undefined ? null : /AV:([NALP])/.exec(f.cvss.vector);
      const av = match?.[1];
      return av === undefined
        ? 'Not stated by the advisory'
        : (ATTACK_VECTOR[av] ?? 'Not stated by the advisory');
    }
  }
}

function threat(f: Finding): string {
  const advisory = f.kind === 'vulnerability' || f.kind === 'malicious';
  const pkg = f.package === undefined ? '' : `${f.package.name}@${f.package.version ?? '?'}: `;
  const text = advisory ? `${f.id} ${f.summary || f.message}` : f.message || f.summary;
  return escapeCell(`${pkg}${text}`.slice(0, 300));
}

export function mitigation(f: Finding): string {
  if (f.kind === 'malicious')
    return 'Remove it, rotate exposed secrets, rebuild from a clean lockfile';
  if (f.kind === 'vulnerability') {
    if (f.package !== undefined && f.fixedVersions.length > 0) {
      return escapeCell(`Upgrade ${f.package.name} to ${f.fixedVersions.join(' or ')}`);
    }
    return 'No fix released: remove, replace or isolate the package';
  }
  return escapeCell(f.message || f.summary);
}

interface Recommendation {
  readonly text: string;
  readonly rank: number;
  readonly count: number;
  /** advisories come before policy findings of the same rank */
  readonly policy: boolean;
}

/** Unknown severity is not safe: it ranks as medium, as in the verdict. */
function priority(f: Finding): number {
  if (f.kind === 'malicious') return 5;
  return f.severity === 'unknown' ? SEVERITY_RANK.medium : SEVERITY_RANK[f.severity];
}

/** Group fixable findings by package and target version: "upgrade X to Y fixes N findings". */
export function recommendations(findings: readonly Finding[]): Recommendation[] {
  const byUpgrade = new Map<string, { name: string; to: string; rank: number; ids: Set<string> }>();
  const other: Recommendation[] = [];
  for (const f of findings) {
    if (f.ignored !== undefined || f.informational === true) continue;
    const rank = priority(f);
    if (f.kind === 'malicious' && f.package !== undefined) {
      other.push({
        text: `Remove ${f.package.name}@${f.package.version ?? '?'} (malicious: ${f.id}) and rotate credentials the install could read`,
        rank,
        count: 1,
        policy: false,
      });
      continue;
    }
    if (f.kind === 'vulnerability' && f.package !== undefined) {
      const to = f.fixedVersions[f.fixedVersions.length - 1];
      if (to === undefined) {
        other.push({
          text: `Replace or remove ${f.package.name}@${f.package.version ?? '?'}: ${f.id} has no fix`,
          rank,
          count: 1,
          policy: false,
        });
        continue;
      }
      const key = `${f.package.ecosystem}\u0000${f.package.name}\u0000${to}`;
      const entry = byUpgrade.get(key) ?? {
        name: f.package.name,
        to,
        rank,
        ids: new Set<string>(),
      };
      entry.rank = Math.max(entry.rank, rank);
      entry.ids.add(f.id);
      byUpgrade.set(key, entry);
    }
  }
  const upgrades = [...byUpgrade.values()].map((e) => ({
    text: `Upgrade ${e.name} to ${e.to}: fixes ${String(e.ids.size)} finding${e.ids.size === 1 ? '' : 's'}`,
    rank: e.rank,
    count: e.ids.size,
    policy: false,
  }));
  const policy = findings.filter(
    (f) =>
      f.ignored === undefined &&
      f.informational !== true &&
      (f.kind === 'pinning' || f.kind === 'lockfile' || f.kind === 'license'),
  );
  for (const kind of ['license', 'lockfile', 'pinning'] as const) {
    const ofKind = policy.filter((f) => f.kind === kind);
    const n = ofKind.length;
    if (n === 0) continue;
    const text = {
      license: `Review ${String(n)} license finding${n === 1 ? '' : 's'} against your allowlist`,
      lockfile: `Fix ${String(n)} lockfile finding${n === 1 ? '' : 's'} (missing, out of sync, or unexpected sources)`,
      pinning: `Pin ${String(n)} unpinned reference${n === 1 ? '' : 's'} (exact versions, commit SHAs, image digests)`,
    }[kind];
    other.push({ text, rank: Math.max(...ofKind.map(priority)), count: n, policy: true });
  }
  return [...upgrades, ...other].sort(
    (a, b) =>
      b.rank - a.rank ||
      Number(a.policy) - Number(b.policy) ||
      b.count - a.count ||
      (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );
}

function complianceNotes(report: Report): string[] {
  const active = report.findings.filter((f) => f.ignored === undefined);
  const notes: string[] = [];
  const vulns = active.filter((f) => f.kind === 'vulnerability');
  const serious = vulns.filter((f) => f.severity === 'critical' || f.severity === 'high');
  if (vulns.length > 0) {
    notes.push(
      `**PCI-DSS v4.0 requirement 6.3.3** (patch known vulnerabilities; critical ones within one month of release): ${String(vulns.length)} known vulnerabilit${vulns.length === 1 ? 'y' : 'ies'} in dependencies, ${String(serious.length)} critical or high.`,
    );
  }
  if (active.some((f) => f.kind === 'malicious')) {
    notes.push(
      '**SOC 2 CC7.2 / CC7.3** (detect and respond to security events): a malicious package was found; treat it as an incident.',
    );
  }
  notes.push(
    report.complete
      ? '**SOC 2 CC7.1** (vulnerability monitoring): this scan covered every source that was asked for; keep it on a schedule.'
      : '**SOC 2 CC7.1** (vulnerability monitoring): this scan is **incomplete** (a source failed or a file could not be read); the evidence does not cover everything.',
  );
  if (active.some((f) => f.kind === 'license')) {
    notes.push(
      '**Open-source license compliance**: license findings need legal review before release.',
    );
  }
  if (active.some((f) => f.kind === 'pinning' || f.kind === 'lockfile')) {
    notes.push(
      '**SLSA / NIST SSDF PW.4** (reuse well-secured software): pinning and lockfile findings weaken build reproducibility.',
    );
  }
  return notes;
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    const ra = a.kind === 'malicious' ? 5 : SEVERITY_RANK[a.severity];
    const rb = b.kind === 'malicious' ? 5 : SEVERITY_RANK[b.severity];
    return (
      rb - ra ||
      (a.package?.name ?? '').localeCompare(b.package?.name ?? '') ||
      a.id.localeCompare(b.id)
    );
  });
}

function row(f: Finding): string {
  const severity = f.kind === 'malicious' ? '☠️ Malicious' : SEVERITY_LABEL[f.severity];
  return `| ${threat(f)} | ${severity} | ${escapeCell(attackVector(f))} | ${mitigation(f)} |`;
}

export interface MarkdownOptions {
  readonly limit?: number;
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const active = sortFindings(
    report.findings.filter((f) => f.ignored === undefined && f.informational !== true),
  );
  const informational = report.findings.filter(
    (f) => f.ignored === undefined && f.informational === true,
  ).length;
  const ignored = report.findings.length - active.length - informational;
  const head: string[] = [];
  const verdict =
    report.verdict.exitCode === 0
      ? '✅ Passed'
      : report.verdict.exitCode === 1
        ? '❌ Failed'
        : '⚠️ Incomplete';
  head.push(`## Supply-chain audit: ${verdict}`, '');
  const counts = (['critical', 'high', 'medium', 'low', 'unknown'] as const)
    .map((s) => `${String(report.summary.bySeverity[s])} ${s}`)
    .join(', ');
  head.push(
    `**${String(active.length)} finding${active.length === 1 ? '' : 's'}** (${counts})${ignored > 0 ? `; ${String(ignored)} ignored by policy` : ''}${informational > 0 ? `; ${String(informational)} informational not shown` : ''} in ${String(report.projects.length)} project${report.projects.length === 1 ? '' : 's'}.`,
    '',
  );
  for (const reason of report.verdict.reasons) head.push(`- ${escapeCell(reason)}`);
  const notOk = report.sources.filter((s) => s.status !== 'ok');
  if (notOk.length > 0) {
    head.push(
      '',
      `Sources: ${report.sources.map((s) => `${s.name} ${s.status}${s.reason === undefined ? '' : ` (${escapeCell(s.reason)})`}`).join('; ')}`,
    );
  }
  head.push('');

  const recs = recommendations(report.findings);
  const shown = recs.slice(0, MAX_RECOMMENDATIONS);
  const recLines =
    recs.length === 0
      ? ['Nothing to do.']
      : shown.map((r, i) => `${String(i + 1)}. ${escapeCell(r.text)}`);
  if (recs.length > shown.length)
    recLines.push(`_…and ${String(recs.length - shown.length)} more, lower in priority._`);
  const notes = complianceNotes(report).map((n) => `- ${n}`);
  const tail = [
    '',
    '### Recommendations',
    '',
    ...recLines,
    '',
    '### Compliance Notes',
    '',
    ...notes,
    '',
  ];

  const tableHead = [
    '### Threat Assessment',
    '',
    '| Threat | Severity | Attack Vector | Mitigation |',
    '| --- | --- | --- | --- |',
  ];
  const build = (rows: string[], omitted: string[]): string =>
    [
      ...head,
      ...tableHead,
      ...(rows.length === 0 ? ['| No findings | - | - | - |'] : rows),
      ...omitted,
      ...tail,
    ].join('\n');

  // 1. everything
  let rows = active.map(row);
  let text = build(rows, []);
  if (text.length <= limit) return text;
  // 2. collapse low and unknown severities into a count per package
  const major = active.filter(
    (f) => f.kind === 'malicious' || SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium,
  );
  const minor = active.length - major.length;
  rows = major.map(row);
  const collapsed =
    minor > 0
      ? [
          '',
          `_${String(minor)} low or unknown-severity finding${minor === 1 ? '' : 's'} collapsed to keep this under ${String(limit)} characters; see the JSON or SARIF report._`,
        ]
      : [];
  text = build(rows, collapsed);
  if (text.length <= limit) return text;
  // 3. keep as many rows as fit, most severe first, and summarise the rest
  const budget = limit - build([], ['', '_x_']).length - 200;
  const kept: string[] = [];
  let used = 0;
  for (const r of major.map(row)) {
    if (used + r.length + 1 > budget) break;
    kept.push(r);
    used += r.length + 1;
  }
  const left = active.length - kept.length;
  return build(kept, [
    '',
    `_${String(left)} more finding${left === 1 ? '' : 's'} left out to keep this under ${String(limit)} characters (by severity: the ones shown are the most severe); see the JSON or SARIF report for all of them._`,
  ]);
}
