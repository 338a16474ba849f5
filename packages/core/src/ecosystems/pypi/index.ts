// The PyPI ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';

export const pypiPlugin = {
  id: 'pypi',
  ecosystem: 'PyPI',
  manifests: ['pyproject.toml', 'Pipfile'],
  lockfiles: [],
  normalizeName: (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-'),
} satisfies EcosystemPlugin;
