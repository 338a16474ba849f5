// Native auditors' advisories (sources/types.ts NativeAdvisory) turned into Findings that sit
// beside OSV's: the same package identity and location (from the inventory), so dedupe.ts merges
// the same advisory seen by several sources, and the same fingerprint rule.
import {
  formatPurl,
  severityFromScore,
  type Finding,
  type FindingKind,
  type InventoriedProject,
  type Package,
  type Severity,
} from '../model/index.js';
import type { NativeAdvisory, NativeAdvisoryKind } from '../sources/types.js';
import { compareAdvisoryIds } from './advisory-ids.js';
import { cvssOf, scoreCvss } from './cvss.js';
import { fingerprintFinding } from './fingerprint.js';

const MAX_SUMMARY_LENGTH = 500;

/**
 * RustSec warnings (unmaintained, unsound, notice) are advisories OSV reports too, so they stay
 * `vulnerability` findings (low) and merge with OSV's; a yanked crate and an insecure gem source
 * are facts about the lockfile.
 */
const FINDING_KIND: Record<NativeAdvisoryKind, FindingKind> = {
  vulnerability: 'vulnerability',
  unmaintained: 'vulnerability',
  unsound: 'vulnerability',
  notice: 'vulnerability',
  yanked: 'lockfile',
  'insecure-source': 'lockfile',
};

export interface NativeFindings {
  readonly findings: Finding[];
  /** advisories whose package is not in the inventory (reported anyway, without a location) */
  readonly unmatched: number;
}

/** One finding per advisory and installed package it names. */
export function findingsFromNative(
  advisories: readonly NativeAdvisory[],
  projects: readonly InventoriedProject[],
): NativeFindings {
  const byLockfile = new Map<string, InventoriedProject>();
  for (const p of projects) if (p.lockfile !== undefined) byLockfile.set(p.lockfile, p);
  const findings: Finding[] = [];
  let unmatched = 0;
  for (const advisory of advisories) {
    const project = advisory.lockfile === undefined ? undefined : byLockfile.get(advisory.lockfile);
    if (advisory.kind === 'insecure-source') {
      findings.push(lockfileFinding(advisory));
      continue;
    }
    const packages = matchingPackages(advisory, project);
    if (packages.length === 0) {
      unmatched++;
      findings.push(findingFor(advisory, undefined));
    }
    for (const pkg of packages) findings.push(findingFor(advisory, pkg));
  }
  return { findings, unmatched };
}

function matchingPackages(
  advisory: NativeAdvisory,
  project: InventoriedProject | undefined,
): Package[] {
  if (project === undefined) return [];
  const name = comparableName(advisory.ecosystem, advisory.packageName);
  return project.packages.filter(
    (p) =>
      p.ecosystem === advisory.ecosystem &&
      comparableName(p.ecosystem, p.name) === name &&
      (advisory.version === undefined || p.version === advisory.version),
  );
}

/** PEP 503 for PyPI (pip-audit prints canonical names; lockfiles may not); identity elsewhere. */
function comparableName(ecosystem: string, name: string): string {
  if (ecosystem !== 'PyPI') return name;
  let out = '';
  let inRun = false;
  for (const ch of name.toLowerCase()) {
    const sep = ch === '-' || ch === '_' || ch === '.';
    if (sep && !inRun) out += '-';
    if (!sep) out += ch;
    inRun = sep;
  }
  return out;
}

function findingFor(advisory: NativeAdvisory, pkg: Package | undefined): Finding {
  const kind = FINDING_KIND[advisory.kind];
  const [id = '', ...rest] = advisory.ids;
  const aliases = [...new Set(rest)].filter((a) => a !== id && a !== '').sort(compareAdvisoryIds);
  const scored = advisory.cvssVector === undefined ? undefined : scoreCvss(advisory.cvssVector);
  const severity = severityOf(advisory, scored?.severity);
  const name = pkg?.name ?? advisory.packageName;
  const version = pkg?.version ?? advisory.version;
  const summary = oneLine(advisory.title);
  const subject = version === undefined ? name : `${name}@${version}`;
  const fix =
    advisory.fixedVersions.length > 0
      ? `fixed in ${advisory.fixedVersions.join(', ')}`
      : 'no fixed version';
  const what =
    advisory.kind === 'vulnerability' ? 'is affected by' : `is flagged ${advisory.kind} by`;
  const file = pkg?.location.file ?? advisory.lockfile;
  return {
    kind,
    id,
    aliases,
    severity,
    ...(scored === undefined ? {} : { cvss: cvssOf(scored) }),
    summary,
    package: {
      ecosystem: advisory.ecosystem,
      name,
      ...(version === undefined ? {} : { version }),
      purl: pkg?.purl ?? formatPurl(advisory.ecosystem, name, version),
    },
    paths: pkg?.paths ?? [],
    ...(pkg === undefined ? {} : { location: pkg.location }),
    fixedVersions: [...advisory.fixedVersions],
    sources: [advisory.source],
    fingerprint: fingerprintFinding({
      kind,
      ids: advisory.ids,
      ecosystem: advisory.ecosystem,
      name,
      ...(version === undefined ? {} : { version }),
      ...(file === undefined ? {} : { file }),
    }),
    message: `${subject} ${what} ${id} (${severity})${summary === '' ? '' : `: ${summary}`}; ${fix}`,
  };
}

/** A finding about the lockfile itself (an insecure gem source): no package, line 1. */
function lockfileFinding(advisory: NativeAdvisory): Finding {
  const id = advisory.ids[0] ?? '';
  return {
    kind: 'lockfile',
    id,
    aliases: [],
    severity: advisory.severity,
    summary: oneLine(advisory.title),
    paths: [],
    ...(advisory.lockfile === undefined ? {} : { location: { file: advisory.lockfile, line: 1 } }),
    fixedVersions: [],
    sources: [advisory.source],
    fingerprint: fingerprintFinding({
      kind: 'lockfile',
      ids: [id],
      ecosystem: advisory.ecosystem,
      name: advisory.packageName,
      ...(advisory.lockfile === undefined ? {} : { file: advisory.lockfile }),
    }),
    message: oneLine(advisory.title),
  };
}

/** The tool's rating, else the CVSS vector's, else the CVSS score's, else unknown. */
function severityOf(advisory: NativeAdvisory, fromVector: Severity | undefined): Severity {
  if (advisory.severity !== 'unknown') return advisory.severity;
  if (fromVector !== undefined && fromVector !== 'unknown') return fromVector;
  if (advisory.cvssScore !== undefined && advisory.cvssScore > 0)
    return severityFromScore(advisory.cvssScore);
  return 'unknown';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_SUMMARY_LENGTH ? `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : line;
}
