// Package names as the store indexes them: PyPI names compare after PEP 503 normalisation
// (https://peps.python.org/pep-0503/#normalized-names); other ecosystems compare exactly.
import type { Ecosystem } from '../../model/index.js';

const PEP503_SEPARATORS = /[-_.]+/g;

export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === 'PyPI') return name.toLowerCase().replace(PEP503_SEPARATORS, '-');
  return name;
}

/** The ecosystem of an `affected[].package.ecosystem` value, without a `:release` suffix. */
export function baseEcosystem(value: string): string {
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}
