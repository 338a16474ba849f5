// npm licenses: the lockfile's `license`, then the installed package.json beside the lockfile,
// then the registry's package document (https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md).
import { readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative, isAbsolute, sep } from 'node:path';
import {
  cachedRegistryLookup,
  cleanLicenseText,
  joinAlternatives,
  jsonAt,
  registryUrl,
  type LicenseLookup,
  type LicenseLookupResult,
} from '../../checks/license-lookup.js';
import { parseJson } from '../../decode/index.js';
import { describeError } from '../../errors.js';

/** npm package names, old ones with capitals included; no segment may start with `.` or `_`. */
const NPM_NAME = /^(?:@[A-Za-z0-9~-][A-Za-z0-9._~-]{0,213}\/)?[A-Za-z0-9~-][A-Za-z0-9._~-]{0,213}$/;
const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

export function isSafeNpmName(name: string): boolean {
  return name.length <= 214 && NPM_NAME.test(name);
}

/**
 * The license of a package.json or a registry version document: `license` as a string,
 * `license: { type }` (old), or `licenses: [{ type }]` (older), read as alternatives as npm's
 * docs do (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license).
 */
export function npmLicenseField(manifest: unknown): string | undefined {
  const license = jsonAt(manifest, 'license');
  const direct = cleanLicenseText(license) ?? cleanLicenseText(jsonAt(license, 'type'));
  if (direct !== undefined) return direct;
  const licenses = jsonAt(manifest, 'licenses');
  const list = Array.isArray(licenses) ? licenses : [licenses];
  const types = list
    .map((entry) => cleanLicenseText(entry) ?? cleanLicenseText(jsonAt(entry, 'type')))
    .filter((t) => t !== undefined);
  return joinAlternatives(types.slice(0, 16));
}

function isInside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

const pnpmStores = new Map<string, Promise<readonly string[]>>();

/** Folder names in pnpm's virtual store (`node_modules/.pnpm`), read once per project. */
function pnpmStoreEntries(projectDir: string): Promise<readonly string[]> {
  let entries = pnpmStores.get(projectDir);
  if (entries === undefined) {
    entries = readdir(join(projectDir, 'node_modules', '.pnpm')).catch(() => []);
    pnpmStores.set(projectDir, entries);
  }
  return entries;
}

/**
 * Where an installed copy of name@version may be: the hoisted `node_modules/<name>`, else pnpm's
 * `node_modules/.pnpm/<name with + for />@<version>[_peers|(peers)]/node_modules/<name>`.
 */
async function installedCandidates(
  name: string,
  version: string | undefined,
  projectDir: string,
): Promise<string[]> {
  const hoisted = join(projectDir, 'node_modules', ...name.split('/'), 'package.json');
  if (version === undefined) return [hoisted];
  const prefix = `${name.replace('/', '+')}@${version}`;
  const store = (await pnpmStoreEntries(projectDir)).filter(
    (e) => e === prefix || e.startsWith(`${prefix}_`) || e.startsWith(`${prefix}(`),
  );
  return [
    hoisted,
    ...store.map((e) =>
      join(
        projectDir,
        'node_modules',
        '.pnpm',
        e,
        'node_modules',
        ...name.split('/'),
        'package.json',
      ),
    ),
  ];
}

/** The installed copy's package.json (hoisted or in pnpm's store), when it is the same version. */
export async function readInstalledNpmLicense(
  name: string,
  version: string | undefined,
  projectDir: string,
): Promise<{ license?: string; warning?: string }> {
  if (!isSafeNpmName(name)) return {};
  let warning: string | undefined;
  for (const file of await installedCandidates(name, version, projectDir)) {
    const found = await readInstalledAt(file, name, version, projectDir);
    if (found.license !== undefined) return found;
    warning ??= found.warning;
  }
  return warning === undefined ? {} : { warning };
}

async function readInstalledAt(
  file: string,
  name: string,
  version: string | undefined,
  projectDir: string,
): Promise<{ license?: string; warning?: string }> {
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(projectDir)]);
  } catch {
    return {};
  }
  // pnpm links into node_modules/.pnpm (inside); a link out of the project is never read.
  if (!isInside(real, realRoot)) {
    return { warning: `node_modules/${name}: links outside the project; not read` };
  }
  let text: string;
  try {
    const bytes = await readFile(real);
    if (bytes.byteLength > MAX_PACKAGE_JSON_BYTES) return {};
    text = bytes.toString('utf8');
  } catch {
    return {};
  }
  let manifest: unknown;
  try {
    manifest = parseJson(text, `node_modules/${name}/package.json`);
  } catch (error) {
    return { warning: describeError(error) };
  }
  // A hoisted copy of another version says nothing about this one.
  if (version !== undefined && jsonAt(manifest, 'version') !== version) return {};
  const license = npmLicenseField(manifest);
  return license === undefined ? {} : { license };
}

export const lookupNpmLicense: LicenseLookup = async (pkg, projectDir, options) => {
  const fromLock = cleanLicenseText(pkg.license);
  if (fromLock !== undefined) return { license: fromLock, source: 'lockfile' };
  const warnings: string[] = [];
  const installed = await readInstalledNpmLicense(pkg.name, pkg.version, projectDir);
  if (installed.warning !== undefined) warnings.push(installed.warning);
  if (installed.license !== undefined) {
    return { license: installed.license, source: 'installed', warnings };
  }
  if (!isSafeNpmName(pkg.name)) return { source: 'unknown', warnings };
  const online = await cachedRegistryLookup(pkg, options, async (http, version) => {
    // Scoped names keep their `@` and encode the `/`: `@scope%2Fname`.
    const url = registryUrl(options.registries.npm, pkg.name.replace('/', '%2F'));
    const response = await http.requestJson({
      url,
      acceptStatuses: [404],
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (response.status === 404) return undefined;
    const doc = jsonAt(response.value, 'versions', version);
    if (doc === undefined) return undefined;
    return { license: npmLicenseField(doc) ?? null };
  });
  return withWarnings(online, warnings);
};

function withWarnings(result: LicenseLookupResult, earlier: string[]): LicenseLookupResult {
  const all = [...earlier, ...(result.warnings ?? [])];
  return all.length === 0 ? result : { ...result, warnings: all };
}
