// The license lookup of each ecosystem (each lives in its ecosystem's folder). When the plugin
// contract gains a `licenseLookup` field, this map can be built from ECOSYSTEM_PLUGINS instead.
import { lookupCargoLicense } from '../ecosystems/cargo/license-lookup.js';
import { lookupNpmLicense } from '../ecosystems/npm/license-lookup.js';
import { lookupPypiLicense } from '../ecosystems/pypi/license-lookup.js';
import { lookupRubygemsLicense } from '../ecosystems/rubygems/license-lookup.js';
import type { Ecosystem } from '../model/index.js';
import type { LicenseLookup } from './license-lookup.js';

export const LICENSE_LOOKUPS: Record<Ecosystem, LicenseLookup> = {
  npm: lookupNpmLicense,
  PyPI: lookupPypiLicense,
  'crates.io': lookupCargoLicense,
  RubyGems: lookupRubygemsLicense,
};
