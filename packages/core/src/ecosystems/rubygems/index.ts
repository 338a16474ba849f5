// The RubyGems ecosystem: its lockfile parsers, version scheme and name rules.
import type { EcosystemPlugin } from '../types.js';
import { bundlerAuditAdapter } from './audit-adapter.js';
import { rubygemsManifestReader } from './manifest.js';
import { rubygemsVersionScheme } from './version.js';
import { gemfileLockParser } from './gemfile-lock.js';

export const rubygemsPlugin = {
  id: 'rubygems',
  ecosystem: 'RubyGems',
  manifests: ['Gemfile', 'gems.rb'],
  lockfiles: [gemfileLockParser],
  normalizeName: (name: string) => name,
  versionScheme: rubygemsVersionScheme,
  manifestReader: rubygemsManifestReader,
  auditor: bundlerAuditAdapter,
} satisfies EcosystemPlugin;
