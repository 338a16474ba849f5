// PyPI's version order: PEP 440 (https://peps.python.org/pep-0440/, as `packaging.version`):
// epochs, pre/post/dev releases, local versions, `1.0 == 1.0.0`. Ordering comes from
// @renovatebot/pep440; what it gets wrong is fenced off here (see isValid).
import { compare as pep440Compare, valid as pep440Valid } from '@renovatebot/pep440';
import type { VersionScheme } from '../types.js';
import { memoizeParser, orderedScheme } from '../version-order.js';

/** Same cap as the other schemes: real versions are short, and this keeps every check linear. */
const MAX_VERSION_LENGTH = 256;
/**
 * The library turns each number into a JS number, so `1.99999999999999999` and
 * `1.99999999999999998` would compare equal. Longer digit runs are treated as not PEP 440 here.
 */
const MAX_DIGIT_RUN = 15;

function hasLongDigitRun(version: string): boolean {
  let run = 0;
  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    run = c >= 48 && c <= 57 ? run + 1 : 0;
    if (run > MAX_DIGIT_RUN) return true;
  }
  return false;
}

function normalizedUncached(version: string): string | null {
  if (version.length > MAX_VERSION_LENGTH) return null;
  const t = version.trim();
  if (t === '' || hasLongDigitRun(t)) return null;
  return pep440Valid(t) === null ? null : t;
}

/**
 * The trimmed version when it is PEP 440, else null. (Not the library's `clean`: it writes local
 * segments with commas, `1.0+abc.5` → `1.0+abc,5`.)
 */
const validPypiVersion = memoizeParser(normalizedUncached);

const compared = new Map<string, number>();
const COMPARED_LIMIT = 50_000;

export const pypiVersionScheme: VersionScheme = orderedScheme(
  'pep440',
  validPypiVersion,
  (na, nb) => {
    if (na === nb) return 0;
    // The library parses both strings on every call; range walks compare the same pairs again.
    const key = `${na}\0${nb}`;
    let order = compared.get(key);
    if (order === undefined) {
      order = Math.sign(pep440Compare(na, nb));
      if (compared.size >= COMPARED_LIMIT) compared.clear();
      compared.set(key, order);
    }
    return order;
  },
);
