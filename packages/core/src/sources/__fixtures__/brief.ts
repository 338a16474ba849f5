// Test helper: a parse outcome as rows (kind, ids, package@version, severity, fixes), so adapter
// tests can assert whole reports with one exact toEqual.
import type { ParseOutcome } from '../types.js';

export function briefAdvisories(outcome: ParseOutcome): string[][] {
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.advisories.map((a) => [
    a.kind,
    a.ids.join(' '),
    `${a.packageName}@${a.version ?? ''}`,
    a.severity,
    a.fixedVersions.join(' | '),
  ]);
}
