// The terminal table: findings grouped by project, most severe first, then policy findings, a
// summary, the verdict with its reasons, and what was skipped or failed. Pure: colour and width
// are options, decided by the caller from the terminal.
import { createRequire } from 'node:module';
import type Table from 'cli-table3';
import type { createColors as CreateColors } from 'picocolors';
import {
  SEVERITY_RANK,
  SEVERITIES,
  type Finding,
  type Report,
  type Severity,
} from '../model/index.js';

export interface TableOptions {
  readonly color?: boolean;
  /** terminal width in columns; 100 when unknown */
  readonly width?: number;
}

// cli-table3 and picocolors (CommonJS) are loaded when a table is first rendered: importing the
// library for a scan or another format does not pay for them.
const require = createRequire(import.meta.url);
let TableClass: typeof Table | undefined;
let createColorsFn: typeof CreateColors | undefined;
function createColors(enabled: boolean): Colors {
  createColorsFn ??= (require('picocolors') as { createColors: typeof CreateColors }).createColors;
  return createColorsFn(enabled);
}

type Colors = ReturnType<typeof CreateColors>;

function paint(c: Colors, s: Severity | 'malicious', text: string): string {
  switch (s) {
    case 'malicious':
    case 'critical':
      return c.bold(c.red(text));
    case 'high':
      return c.red(text);
    case 'medium':
      return c.yellow(text);
    case 'low':
      return c.blue(text);
    case 'unknown':
      return c.dim(text);
  }
}

/** `a > b > c > d > e` shortened to `a > b > … > e` when it has more than `max` steps. */
export function shortenPath(path: readonly string[], max = 4): string {
  if (path.length <= max) return path.join(' > ');
  return [...path.slice(0, max - 2), '…', ...path.slice(-1)].join(' > ');
}

function rank(f: Finding): number {
  return f.kind === 'malicious' ? 5 : SEVERITY_RANK[f.severity];
}

function byRank(a: Finding, b: Finding): number {
  return (
    rank(b) - rank(a) ||
    (a.package?.name ?? '').localeCompare(b.package?.name ?? '') ||
    (a.package?.version ?? '').localeCompare(b.package?.version ?? '') ||
    a.id.localeCompare(b.id)
  );
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/\p{Cc}/gu, '');
}

const MAX_SUMMARY = 120;

/** Summaries can be whole paragraphs (records without one use their details): keep a line. */
function brief(text: string): string {
  const line = oneLine(text);
  return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY - 1)}…` : line;
}

/** Split the width among columns by weight; cli-table3 widths include padding, plus n+1 borders. */
function columnWidths(
  width: number,
  weights: readonly number[],
  mins: readonly number[] = [],
): number[] {
  const usable = width - (weights.length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  // On a very narrow terminal the minimums cannot all hold: fall back to the common floor.
  const fits = mins.reduce((a, b) => a + b, 0) <= usable;
  const floor = (i: number): number => (fits ? (mins[i] ?? 6) : 6);
  const out = weights.map((w, i) => Math.max(floor(i), Math.floor((usable * w) / total)));
  // Columns given a minimum (advisory ids) take their room from the widest others.
  let excess = out.reduce((a, b) => a + b, 0) - usable;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < out.length; i++) {
      const slack = (out[i] ?? 0) - floor(i);
      if (slack > 0 && (widest === -1 || slack > (out[widest] ?? 0) - floor(widest))) widest = i;
    }
    if (widest === -1) break;
    out[widest] = (out[widest] ?? 0) - 1;
    excess--;
  }
  return out;
}

function table(
  head: string[],
  weights: number[],
  width: number,
  c: Colors,
  mins: readonly number[] = [],
): Table.Table {
  TableClass ??= require('cli-table3') as typeof Table;
  return new TableClass({
    head: head.map((h) => c.bold(h)),
    colWidths: columnWidths(width, weights, mins),
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], compact: false },
  });
}

export function renderTable(report: Report, options: TableOptions = {}): string {
  const c = createColors(options.color ?? false);
  const width = Math.max(60, options.width ?? 100);
  const out: string[] = [];
  out.push(c.bold(`supplyaudit ${report.tool.version}: ${oneLine(report.target)}`));

  const advisories = report.findings.filter(
    (f) => f.kind === 'vulnerability' || f.kind === 'malicious',
  );
  const policy = report.findings.filter(
    (f) => f.kind !== 'vulnerability' && f.kind !== 'malicious',
  );
  const groups = new Map<string, Finding[]>();
  for (const f of advisories) {
    const key = f.location?.file ?? '(no file)';
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [f]);
    else list.push(f);
  }
  const projects = [...report.projects].sort((a, b) =>
    (a.lockfile ?? a.manifest ?? '').localeCompare(b.lockfile ?? b.manifest ?? ''),
  );
  for (const p of projects) {
    const file = p.lockfile ?? p.manifest ?? '';
    const findings = (groups.get(file) ?? []).sort(byRank);
    groups.delete(file);
    const title = `${p.ecosystem}  ${oneLine(file)}  (${String(p.packageCount)} package${p.packageCount === 1 ? '' : 's'})`;
    if (findings.length === 0) {
      out.push('', `${c.bold(title)}  ${c.green('no known vulnerabilities')}`);
      continue;
    }
    out.push('', c.bold(title));
    out.push(advisoryTable(findings, width, c));
  }
  for (const [file, findings] of groups) {
    out.push('', c.bold(oneLine(file)));
    out.push(advisoryTable(findings.sort(byRank), width, c));
  }

  if (policy.length > 0) {
    out.push('', c.bold('Policy findings (licenses, pinning, lockfiles)'));
    const t = table(['Severity', 'Kind', 'Where', 'Finding'], [1, 1, 3, 5], width, c);
    for (const f of [...policy].sort(byRank)) {
      const where = f.location === undefined ? '' : `${f.location.file}:${String(f.location.line)}`;
      t.push([
        f.informational === true ? c.dim('info') : paint(c, f.severity, f.severity),
        f.kind,
        oneLine(where),
        oneLine(f.message || f.summary) +
          (f.ignored ? c.dim(` (ignored: ${oneLine(f.ignored.reason)})`) : ''),
      ]);
    }
    out.push(t.toString());
  }

  const active = report.findings.filter((f) => f.ignored === undefined);
  const counts = SEVERITIES.map(
    (s) => `${String(active.filter((f) => f.severity === s).length)} ${s}`,
  ).join(', ');
  const ignored = report.findings.length - active.length;
  out.push(
    '',
    `${c.bold('Summary')}: ${String(active.length)} finding${active.length === 1 ? '' : 's'} (${counts})${ignored > 0 ? `, ${String(ignored)} ignored` : ''} in ${String(report.projects.length)} project${report.projects.length === 1 ? '' : 's'}, ${String(report.projects.reduce((n, p) => n + p.packageCount, 0))} packages`,
  );
  out.push(
    `${c.bold('Sources')}: ${report.sources
      .map((s) => {
        const text = `${s.name} ${s.status}${s.version === undefined ? '' : ` ${s.version}`}${s.reason === undefined ? '' : ` (${oneLine(s.reason)})`}`;
        return s.status === 'failed' ? c.red(text) : s.status === 'skipped' ? c.dim(text) : text;
      })
      .join('; ')}`,
  );
  for (const w of report.warnings ?? []) out.push(c.yellow(`warning: ${oneLine(w)}`));
  const verdict =
    report.verdict.exitCode === 0
      ? c.green('PASS')
      : report.verdict.exitCode === 1
        ? c.red('FAIL')
        : c.yellow('INCOMPLETE');
  out.push(
    `${c.bold('Verdict')}: ${verdict} (exit ${String(report.verdict.exitCode)}): ${report.verdict.reasons.map(oneLine).join('; ')}`,
  );
  return `${out.join('\n')}\n`;
}

const ADVISORY_WEIGHTS = [1.3, 2.4, 3.6, 1.4, 4, 1.6];
/** A GHSA id is 19 characters and `critical` 8: those columns never cut them. */
const ADVISORY_MINS = [10, 6, 21, 6, 6, 6];

/** `name@version`, broken before `@version` when it does not fit the column. */
function packageCell(name: string, version: string, width: number): string {
  const whole = `${name}@${version}`;
  return whole.length <= width ? whole : `${name}\n@${version}`;
}

function advisoryTable(findings: readonly Finding[], width: number, c: Colors): string {
  const packageWidth = (columnWidths(width, ADVISORY_WEIGHTS, ADVISORY_MINS)[1] ?? 10) - 2;
  const t = table(
    ['Severity', 'Package', 'Advisory', 'Fixed in', 'Path', 'Sources'],
    [...ADVISORY_WEIGHTS],
    width,
    c,
    ADVISORY_MINS,
  );
  for (const f of findings) {
    const sev = f.kind === 'malicious' ? 'MALICIOUS' : f.severity;
    const score = f.cvss === undefined ? '' : ` ${f.cvss.score.toFixed(1)}`;
    const ids =
      [f.id, ...f.aliases.slice(0, 3)].map(oneLine).join('\n') +
      (f.aliases.length > 3 ? `\n+${String(f.aliases.length - 3)} more` : '');
    const path =
      f.paths[0] === undefined
        ? ''
        : shortenPath(f.paths[0]) +
          (f.paths.length > 1 ? c.dim(` (+${String(f.paths.length - 1)})`) : '');
    t.push([
      paint(c, f.kind === 'malicious' ? 'malicious' : f.severity, `${sev}${score}`),
      packageCell(oneLine(f.package?.name ?? ''), oneLine(f.package?.version ?? ''), packageWidth),
      `${ids}${f.summary === '' ? '' : `\n${c.dim(brief(f.summary))}`}${f.ignored ? c.dim(`\nignored: ${oneLine(f.ignored.reason)}`) : ''}`,
      f.fixedVersions.length > 0 ? oneLine(f.fixedVersions.join(', ')) : c.dim('no fix'),
      oneLine(path),
      f.sources.join(', '),
    ]);
  }
  return t.toString();
}
