// A finding's stable identity, for monitoring, SARIF and PR comments to tell new from known: the
// same whatever the run order, the time, and which source (or which of its ids) reported it.
import { hash } from 'node:crypto';
import type { FindingKind } from '../model/index.js';
import { canonicalAdvisoryId } from './advisory-ids.js';

export interface FingerprintParts {
  readonly kind: FindingKind;
  /** the advisory's id and every alias (order does not matter), or the check's rule id */
  readonly ids: Iterable<string>;
  readonly ecosystem?: string;
  readonly name?: string;
  readonly version?: string;
  /** the lockfile (or manifest) the package is written in, relative to the scanned root */
  readonly file?: string;
}

/**
 * sha256 (hex, first 32 characters) of a canonical list: kind, the advisory's canonical id (the
 * first of its ids by `compareAdvisoryIds`, so GHSA-, CVE- or PYSEC- in any source gives the same
 * value), ecosystem, name, version, file. `vulnerability` and `malicious` count as one kind:
 * sources disagree on it for the same advisory (npm audit reports malware as a vulnerability).
 */
export function fingerprintFinding(parts: FingerprintParts): string {
  const kind = parts.kind === 'malicious' ? 'vulnerability' : parts.kind;
  const canonical = [
    'v1',
    kind,
    canonicalAdvisoryId(parts.ids),
    parts.ecosystem ?? '',
    parts.name ?? '',
    parts.version ?? '',
    parts.file ?? '',
  ];
  // One-shot hash (Node >= 20.12): the same digest as createHash, without a Hash object per call.
  return hash('sha256', JSON.stringify(canonical), 'hex').slice(0, 32);
}
