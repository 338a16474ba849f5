// The npm ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';
import { npmAuditAdapter } from './audit-adapter.js';
import { npmManifestReader } from './manifest.js';
import { packageLockParser } from './package-lock.js';
import { pnpmLockParser } from './pnpm-lock.js';
import { yarnLockParser } from './yarn-lock.js';
import { npmVersionScheme } from './version.js';

export const npmPlugin = {
  id: 'npm',
  ecosystem: 'npm',
  manifests: ['package.json'],
  lockfiles: [packageLockParser, pnpmLockParser, yarnLockParser],
  normalizeName: (name: string) => name,
  versionScheme: npmVersionScheme,
  manifestReader: npmManifestReader,
  auditor: npmAuditAdapter,
} satisfies EcosystemPlugin;
