// The license-lookup contract shared by the four ecosystems' license-lookup.ts files, with the
// parts they have in common: registry base URLs, the on-disk cache and reading untrusted values.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isJsonObject, type JsonObject } from '../decode/index.js';
import { describeError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { Ecosystem, Package } from '../model/index.js';

export const LICENSE_SOURCES = ['lockfile', 'installed', 'registry', 'unknown'] as const;
/** Where a package's license text came from. */
export type LicenseSource = (typeof LICENSE_SOURCES)[number];

/** Base URLs of the registries asked online; configurable for mirrors and tests. */
export interface RegistryUrls {
  readonly npm: string;
  readonly pypi: string;
  readonly cratesIo: string;
  readonly rubygems: string;
}

export const DEFAULT_REGISTRY_URLS: RegistryUrls = {
  npm: 'https://registry.npmjs.org',
  pypi: 'https://pypi.org',
  cratesIo: 'https://crates.io',
  rubygems: 'https://rubygems.org',
};

export interface LicenseLookupOptions {
  /** local sources only: no request is made */
  readonly offline: boolean;
  /** the client for registry requests; without one, lookups stay local */
  readonly http?: HttpClient;
  /** where registry answers are cached (`<cacheDir>/<ecosystem>/...`); absent: no cache */
  readonly cacheDir?: string;
  readonly registries: RegistryUrls;
  /** the host environment, for tools run locally (cargo metadata); never process.env */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
  /** a folder outside the scanned tree to run tools in (so its configs are not read) */
  readonly toolCwd?: string;
  /** per local tool run (default 60 s) */
  readonly toolTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface LicenseLookupResult {
  /** the license as found (not yet normalised), absent when none was found */
  readonly license?: string;
  readonly source: LicenseSource;
  /** one-line problems met on the way (registry down, tool failed); the lookup still answered */
  readonly warnings?: readonly string[];
}

/** Finds the license of one package of a project whose lockfile is in `projectDir` (absolute). */
export type LicenseLookup = (
  pkg: Package,
  projectDir: string,
  options: LicenseLookupOptions,
) => Promise<LicenseLookupResult>;

/** Longest license text kept; longer values are license bodies, not names. */
export const MAX_LICENSE_CHARS = 512;

/** A trimmed, one-line license value, or undefined when empty or too long to be a name. */
export function cleanLicenseText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text.length > MAX_LICENSE_CHARS || /[\r\n\0]/.test(text)) return undefined;
  return text;
}

/** `a`, or `(a OR b)` when several licenses are offered (npm's documented reading of arrays). */
export function joinAlternatives(licenses: readonly string[]): string | undefined {
  const unique = [...new Set(licenses)];
  if (unique.length === 0) return undefined;
  if (unique.length === 1) return unique[0];
  return `(${unique.map((l) => (/\s/.test(l) ? `(${l})` : l)).join(' OR ')})`;
}

/** Own-property path read on untrusted JSON; undefined as soon as a step is missing. */
export function jsonAt(value: unknown, ...keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

export function asJsonObject(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** Registry answers kept on disk: a found license (or a version without one), never a failure. */
export interface CachedLicense {
  readonly license: string | null;
}

const CACHE_FORMAT = 1;
const MAX_CACHE_BYTES = 64 * 1024;

/** `<cacheDir>/<ecosystem>/<hash>.json`: names and versions never become path segments. */
export function licenseCachePath(
  cacheDir: string,
  ecosystem: Ecosystem,
  name: string,
  version: string,
): string {
  const hash = createHash('sha256').update(`${name}\0${version}`).digest('hex');
  return join(cacheDir, ecosystem, `${hash}.json`);
}

/** The cached answer, or undefined when absent or unreadable (a broken entry is a miss). */
export async function readCachedLicense(
  options: LicenseLookupOptions,
  ecosystem: Ecosystem,
  name: string,
  version: string,
): Promise<CachedLicense | undefined> {
  if (options.cacheDir === undefined) return undefined;
  const file = licenseCachePath(options.cacheDir, ecosystem, name, version);
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.byteLength > MAX_CACHE_BYTES) return undefined;
    text = bytes.toString('utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (
    jsonAt(parsed, 'format') !== CACHE_FORMAT ||
    jsonAt(parsed, 'name') !== name ||
    jsonAt(parsed, 'version') !== version
  )
    return undefined;
  const license = jsonAt(parsed, 'license');
  if (license === null) return { license: null };
  const text2 = cleanLicenseText(license);
  return text2 === undefined ? undefined : { license: text2 };
}

/** Writes the answer atomically (temporary file, then rename); returns a warning on failure. */
export async function writeCachedLicense(
  options: LicenseLookupOptions,
  ecosystem: Ecosystem,
  name: string,
  version: string,
  entry: CachedLicense,
): Promise<string | undefined> {
  if (options.cacheDir === undefined) return undefined;
  const file = licenseCachePath(options.cacheDir, ecosystem, name, version);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const body = JSON.stringify({
    format: CACHE_FORMAT,
    name,
    version,
    license: entry.license,
  });
  try {
    await mkdir(join(options.cacheDir, ecosystem), { recursive: true });
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(body, 'utf8');
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    return undefined;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    return `license cache: cannot write ${file} (${describeError(error)})`;
  }
}

/**
 * A registry lookup through the cache: a cached answer is used as is; otherwise `fetch` asks the
 * registry (undefined: not found, not cached, since a package may be published later) and its
 * answer is cached. Failures become warnings; nothing is thrown for a registry problem.
 */
export async function cachedRegistryLookup(
  pkg: Package,
  options: LicenseLookupOptions,
  fetch: (http: HttpClient, version: string) => Promise<CachedLicense | undefined>,
): Promise<LicenseLookupResult> {
  const version = pkg.version;
  if (options.offline || options.http === undefined || version === undefined) {
    return { source: 'unknown' };
  }
  if (pkg.source.type !== 'registry') return { source: 'unknown' };
  const cached = await readCachedLicense(options, pkg.ecosystem, pkg.name, version);
  if (cached !== undefined) return fromCached(cached);
  let answer: CachedLicense | undefined;
  try {
    answer = await fetch(options.http, version);
  } catch (error) {
    return {
      source: 'unknown',
      warnings: [
        `${pkg.name}@${version}: license lookup in the registry failed: ${describeError(error)}`,
      ],
    };
  }
  if (answer === undefined) {
    return {
      source: 'unknown',
      warnings: [`${pkg.name}@${version}: not found in the registry`],
    };
  }
  const warning = await writeCachedLicense(options, pkg.ecosystem, pkg.name, version, answer);
  const result = fromCached(answer);
  return warning === undefined ? result : { ...result, warnings: [warning] };
}

function fromCached(entry: CachedLicense): LicenseLookupResult {
  return entry.license === null
    ? { source: 'unknown' }
    : { license: entry.license, source: 'registry' };
}

/** The registry URL with one path appended; the base may or may not end in `/`. */
export function registryUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path}`;
}
