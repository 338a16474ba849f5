// The crates.io ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';

export const cargoPlugin = {
  id: 'cargo',
  ecosystem: 'crates.io',
  manifests: ['Cargo.toml'],
  lockfiles: [],
  normalizeName: (name: string) => name,
} satisfies EcosystemPlugin;
