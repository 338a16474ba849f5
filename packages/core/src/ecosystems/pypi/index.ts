// The PyPI ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';
import { normalizePypiName } from './name.js';
import { requirementsParser } from './requirements.js';

export const pypiPlugin = {
  id: 'pypi',
  ecosystem: 'PyPI',
  manifests: ['pyproject.toml', 'Pipfile'],
  lockfiles: [requirementsParser],
  normalizeName: normalizePypiName,
} satisfies EcosystemPlugin;
