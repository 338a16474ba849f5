// RubyGems licenses: the lockfile's, then an installed specification under vendor/bundle beside
// the Gemfile (as `bundle config set path vendor/bundle` lays it out), then the RubyGems API
// (https://guides.rubygems.org/rubygems-org-api-v2/: `GET /api/v2/rubygems/{name}/versions/{version}.json`).
import { readdir, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import {
  cachedRegistryLookup,
  cleanLicenseText,
  joinAlternatives,
  jsonAt,
  registryUrl,
  type LicenseLookup,
} from '../../checks/license-lookup.js';

/** one version's document; far below the client's cap, which is sized for whole databases */
const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
const GEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const GEM_VERSION = /^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$/;
const GEM_PLATFORM = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_GEMSPEC_BYTES = 256 * 1024;
/** `  s.licenses = ["MIT".freeze, "Ruby".freeze]` as Gem::Specification#to_ruby writes it */
const LICENSES_LINE = /^\s*s\.licenses?\s*=\s*(.{0,2000})$/;
const QUOTED = /"([^"\\]{1,200})"/g;

/** Licenses of an installed (generated) specification file; its Ruby is read, never run. */
export function licensesFromGemspec(text: string): string | undefined {
  for (const line of text.split('\n').slice(0, 5000)) {
    const match = LICENSES_LINE.exec(line);
    if (match?.[1] === undefined) continue;
    const found = [...match[1].matchAll(QUOTED)]
      .map((m) => cleanLicenseText(m[1]))
      .filter((l) => l !== undefined);
    return joinAlternatives(found.slice(0, 16));
  }
  return undefined;
}

function isInside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** `vendor/bundle/ruby/<abi>/specifications/<name>-<version>[-<platform>].gemspec` */
export async function readInstalledGemLicense(
  name: string,
  version: string | undefined,
  platform: string | undefined,
  projectDir: string,
): Promise<string | undefined> {
  if (version === undefined || !GEM_NAME.test(name) || !GEM_VERSION.test(version)) return undefined;
  if (platform !== undefined && !GEM_PLATFORM.test(platform)) return undefined;
  const base = join(projectDir, 'vendor', 'bundle', 'ruby');
  let abis: string[];
  let realRoot: string;
  try {
    realRoot = await realpath(projectDir);
    abis = (await readdir(base)).filter((d) => /^\d+\.\d+\.\d+$/.test(d)).sort();
  } catch {
    return undefined;
  }
  const fileNames = [
    ...(platform === undefined || platform === 'ruby'
      ? []
      : [`${name}-${version}-${platform}.gemspec`]),
    `${name}-${version}.gemspec`,
  ];
  for (const abi of abis) {
    for (const fileName of fileNames) {
      try {
        const real = await realpath(join(base, abi, 'specifications', fileName));
        if (!isInside(real, realRoot)) continue;
        const bytes = await readFile(real);
        if (bytes.byteLength > MAX_GEMSPEC_BYTES) continue;
        const license = licensesFromGemspec(bytes.toString('utf8'));
        if (license !== undefined) return license;
      } catch {
        // not installed under this ABI
      }
    }
  }
  return undefined;
}

export const lookupRubygemsLicense: LicenseLookup = async (pkg, projectDir, options) => {
  const fromLock = cleanLicenseText(pkg.license);
  if (fromLock !== undefined) return { license: fromLock, source: 'lockfile' };
  const installed = await readInstalledGemLicense(pkg.name, pkg.version, pkg.platform, projectDir);
  if (installed !== undefined) return { license: installed, source: 'installed' };
  if (!GEM_NAME.test(pkg.name)) return { source: 'unknown' };
  return cachedRegistryLookup(pkg, options, async (http, version) => {
    const platform =
      pkg.platform === undefined || pkg.platform === 'ruby'
        ? ''
        : `?platform=${encodeURIComponent(pkg.platform)}`;
    const url = registryUrl(
      options.registries.rubygems,
      `api/v2/rubygems/${pkg.name}/versions/${encodeURIComponent(version)}.json${platform}`,
    );
    const response = await http.requestJson({
      url,
      acceptStatuses: [404],
      maxResponseBytes: MAX_DOCUMENT_BYTES,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (response.status === 404) return undefined;
    const licenses = jsonAt(response.value, 'licenses');
    const list = (Array.isArray(licenses) ? licenses : [])
      .map((l) => cleanLicenseText(l))
      .filter((l) => l !== undefined);
    return { license: joinAlternatives(list.slice(0, 16)) ?? null };
  });
};
