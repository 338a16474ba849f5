// Findings and the report contract of DESIGN.md ("Report contract", schemaVersion 1).
import type { Ecosystem } from './ecosystem.js';
import type { Location } from './package.js';
import type { Severity } from './severity.js';

export const FINDING_KINDS = [
  'vulnerability',
  'malicious',
  'license',
  'pinning',
  'lockfile',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const SOURCE_NAMES = [
  'osv',
  'npm-audit',
  'pnpm-audit',
  'yarn-audit',
  'pip-audit',
  'cargo-audit',
  'bundler-audit',
] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export const SOURCE_STATUSES = ['ok', 'skipped', 'failed'] as const;
export type SourceStatusKind = (typeof SOURCE_STATUSES)[number];

export interface SourceStatus {
  readonly name: SourceName;
  readonly status: SourceStatusKind;
  readonly version?: string;
  readonly reason?: string;
  readonly durationMs: number;
}

export interface Cvss {
  readonly version: '2.0' | '3.0' | '3.1' | '4.0';
  readonly vector: string;
  readonly score: number;
}

export interface FindingPackage {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version?: string;
  readonly purl: string;
}

/** The package a finding names, as the report shows it. */
export function findingPackage(pkg: FindingPackage): FindingPackage {
  return {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    ...(pkg.version === undefined ? {} : { version: pkg.version }),
    purl: pkg.purl,
  };
}

export interface Finding {
  readonly kind: FindingKind;
  /** advisory id, or the check's rule id for policy findings */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly cvss?: Cvss;
  readonly summary: string;
  readonly package?: FindingPackage;
  readonly paths: readonly (readonly string[])[];
  readonly location?: Location;
  readonly fixedVersions: readonly string[];
  readonly sources: readonly string[];
  readonly fingerprint: string;
  readonly ignored?: { readonly reason: string; readonly expires?: string };
  /** reported for information only: never fails the policy (e.g. a range the lockfile pins) */
  readonly informational?: boolean;
  readonly message: string;
}

export interface ReportProject {
  readonly ecosystem: Ecosystem;
  readonly manifest?: string;
  readonly lockfile?: string;
  readonly packageCount: number;
}

export interface Verdict {
  readonly exitCode: 0 | 1 | 2 | 3;
  readonly reasons: readonly string[];
}

export interface Report {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly complete: boolean;
  readonly sources: readonly SourceStatus[];
  readonly projects: readonly ReportProject[];
  readonly findings: readonly Finding[];
  readonly summary: {
    readonly bySeverity: Record<Severity, number>;
    readonly byKind: Record<FindingKind, number>;
  };
  readonly verdict: Verdict;
  /** one-line problems met on the way (files that could not be read, stale data) */
  readonly warnings?: readonly string[];
}
