// The npm ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';

export const npmPlugin = {
  id: 'npm',
  ecosystem: 'npm',
  manifests: ['package.json'],
  lockfiles: [],
  normalizeName: (name: string) => name,
} satisfies EcosystemPlugin;
