// The PyPI ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';
import { pipAuditAdapter } from './audit-adapter.js';
import { pypiManifestReader } from './manifest.js';
import { pypiVersionScheme } from './version.js';
import { normalizePypiName } from './name.js';
import { pipfileLockParser } from './pipfile-lock.js';
import { poetryLockParser } from './poetry-lock.js';
import { requirementsParser } from './requirements.js';
import { uvLockParser } from './uv-lock.js';

export const pypiPlugin = {
  id: 'pypi',
  ecosystem: 'PyPI',
  manifests: ['pyproject.toml', 'Pipfile'],
  lockfiles: [uvLockParser, poetryLockParser, pipfileLockParser, requirementsParser],
  normalizeName: normalizePypiName,
  versionScheme: pypiVersionScheme,
  manifestReader: pypiManifestReader,
  auditor: pipAuditAdapter,
} satisfies EcosystemPlugin;
