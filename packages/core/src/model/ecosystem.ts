// Ecosystem names are OSV's, so they can be compared with advisory data as they are.
export const ECOSYSTEMS = ['npm', 'PyPI', 'crates.io', 'RubyGems'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** purl types per ecosystem (https://github.com/package-url/purl-spec, PURL-TYPES.rst). */
export const PURL_TYPES: Record<Ecosystem, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  'crates.io': 'cargo',
  RubyGems: 'gem',
};

export function isEcosystem(value: unknown): value is Ecosystem {
  return typeof value === 'string' && (ECOSYSTEMS as readonly string[]).includes(value);
}
