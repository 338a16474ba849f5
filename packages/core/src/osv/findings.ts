// An OSV match turned into a Finding (model/finding.ts): kind, ids, severity from the strongest
// CVSS vector or the database's own rating, a one-line message and a stable fingerprint.
import { compareAdvisoryIds } from '../merge/advisory-ids.js';
import { cvssOf, scoreCvss, type CvssScore } from '../merge/cvss.js';
import { fingerprintFinding } from '../merge/fingerprint.js';
import {
  findingPackage,
  severityFromScore,
  type Finding,
  type Package,
  type Severity,
} from '../model/index.js';
import { getString, type JsonObject } from '../decode/json.js';
import { normalizeOsvPackageName } from './match.js';
import type { OsvRecord } from './schema.js';

/** GitHub's ratings in `database_specific.severity`. */
const GITHUB_SEVERITY: ReadonlyMap<string, Severity> = new Map([
  ['CRITICAL', 'critical'],
  ['HIGH', 'high'],
  ['MODERATE', 'medium'],
  ['MEDIUM', 'medium'],
  ['LOW', 'low'],
]);

const MAX_SUMMARY_LENGTH = 500;

/** The highest-scoring CVSS v3/v4 vector; at equal scores the newer CVSS version. */
export function strongestCvss(record: OsvRecord): CvssScore | undefined {
  let best: CvssScore | undefined;
  for (const s of record.severity) {
    if (s.type !== 'CVSS_V3' && s.type !== 'CVSS_V4') continue;
    const scored = scoreCvss(s.score);
    if (scored === undefined) continue;
    if (
      best === undefined ||
      scored.score > best.score ||
      (scored.score === best.score && scored.version > best.version)
    ) {
      best = scored;
    }
  }
  return best;
}

/**
 * ruby-advisory-db keeps only numeric base scores (`database_specific.cvss_v4/v3/v2`, see the
 * converted RubyGems records): the newest scale present decides. CVSS v2 has no critical band.
 */
function databaseScore(db: JsonObject | undefined): Severity | undefined {
  if (db === undefined) return undefined;
  for (const key of ['cvss_v4', 'cvss_v3'] as const) {
    const value = Object.hasOwn(db, key) ? db[key] : undefined;
    if (typeof value === 'number' && value > 0 && value <= 10) return severityFromScore(value);
  }
  const v2 = Object.hasOwn(db, 'cvss_v2') ? db['cvss_v2'] : undefined;
  if (typeof v2 === 'number' && v2 > 0 && v2 <= 10)
    return v2 >= 7 ? 'high' : v2 >= 4 ? 'medium' : 'low';
  return undefined;
}

function informational(obj: JsonObject | undefined): boolean {
  const kind = obj === undefined ? undefined : getString(obj, 'informational');
  return kind !== undefined && kind !== '';
}

function severityOf(record: OsvRecord, pkg: Package, cvss: CvssScore | undefined): Severity {
  if (cvss !== undefined && cvss.severity !== 'unknown') return cvss.severity;
  const rated =
    record.database_specific === undefined
      ? undefined
      : getString(record.database_specific, 'severity');
  const fromDatabase = rated === undefined ? undefined : GITHUB_SEVERITY.get(rated.toUpperCase());
  if (fromDatabase !== undefined) return fromDatabase;
  const scored = databaseScore(record.database_specific);
  if (scored !== undefined) return scored;
  // RustSec informational advisories (unmaintained, unsound, notice) carry no score.
  const name = normalizeOsvPackageName(pkg.ecosystem, pkg.name);
  const isInformational = record.affected.some(
    (a) =>
      a.package.ecosystem === pkg.ecosystem &&
      normalizeOsvPackageName(pkg.ecosystem, a.package.name) === name &&
      informational(a.database_specific),
  );
  return isInformational ? 'low' : 'unknown';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_SUMMARY_LENGTH ? `${line.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : line;
}

/** The record's summary, else the first non-empty line of its details. */
function summaryOf(record: OsvRecord): string {
  const summary = oneLine(record.summary);
  if (summary !== '') return summary;
  const firstLine = record.details.split('\n').find((l) => l.trim() !== '') ?? '';
  return oneLine(firstLine.replace(/^#+\s*/, ''));
}

/** One finding for one package matched by one record; `fixedVersions` from matchRecord. */
export function findingFromOsv(
  record: OsvRecord,
  pkg: Package,
  fixedVersions: readonly string[],
): Finding {
  const kind = record.id.startsWith('MAL-') ? 'malicious' : 'vulnerability';
  const aliases = [...new Set(record.aliases)]
    .filter((a) => a !== record.id && a !== '')
    .sort(compareAdvisoryIds);
  const cvss = strongestCvss(record);
  const severity = severityOf(record, pkg, cvss);
  const summary = summaryOf(record);
  const subject = pkg.version === undefined ? pkg.name : `${pkg.name}@${pkg.version}`;
  const verb = kind === 'malicious' ? 'is malicious per' : 'is affected by';
  const fix =
    fixedVersions.length > 0 ? `fixed in ${fixedVersions.join(', ')}` : 'no fixed version';
  const message = `${subject} ${verb} ${record.id} (${severity})${summary === '' ? '' : `: ${summary}`}; ${fix}`;
  return {
    kind,
    id: record.id,
    aliases,
    severity,
    ...(cvss === undefined ? {} : { cvss: cvssOf(cvss) }),
    summary,
    package: findingPackage(pkg),
    paths: pkg.paths,
    location: pkg.location,
    fixedVersions: [...fixedVersions],
    sources: ['osv'],
    fingerprint: fingerprintFinding({
      kind,
      ids: [record.id, ...aliases],
      ecosystem: pkg.ecosystem,
      name: pkg.name,
      ...(pkg.version === undefined ? {} : { version: pkg.version }),
      file: pkg.location.file,
    }),
    message,
  };
}
