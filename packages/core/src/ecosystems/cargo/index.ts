// The crates.io ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';
import { cargoAuditAdapter } from './audit-adapter.js';
import { cargoManifestReader } from './manifest.js';
import { cargoVersionScheme } from './version.js';
import { cargoLockParser } from './cargo-lock.js';

export const cargoPlugin = {
  id: 'cargo',
  ecosystem: 'crates.io',
  manifests: ['Cargo.toml'],
  lockfiles: [cargoLockParser],
  normalizeName: (name: string) => name,
  versionScheme: cargoVersionScheme,
  manifestReader: cargoManifestReader,
  auditor: cargoAuditAdapter,
} satisfies EcosystemPlugin;
