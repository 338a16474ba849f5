// What a policy check produces before the scan fingerprints it: a finding without fingerprint.
import type { Finding, Severity } from '../model/index.js';

export type CheckFinding = Omit<Finding, 'fingerprint'> & {
  /** what the finding is about, stable across line moves (used in the fingerprint) */
  readonly subject: string;
};

export interface CheckOptions {
  readonly severity: Severity;
}

/** Build a policy finding with the fields every check fills the same way. */
export function policyFinding(
  kind: 'pinning' | 'lockfile' | 'license',
  rule: string,
  severity: Severity,
  file: string,
  line: number,
  subject: string,
  message: string,
  summary: string,
  informational = false,
): CheckFinding {
  return {
    kind,
    id: rule,
    aliases: [],
    severity,
    summary,
    paths: [],
    location: { file, line },
    fixedVersions: [],
    sources: [],
    message,
    subject,
    ...(informational ? { informational: true } : {}),
  };
}

/** A value quoted for a one-line message, cut at 80 characters. */
export function quote(text: string): string {
  return `"${text.length > 80 ? `${text.slice(0, 80)}...` : text}"`;
}
