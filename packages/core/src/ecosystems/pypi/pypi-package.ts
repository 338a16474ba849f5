// One place that turns what a Python lockfile says about an entry into a model Package.
import type { Location, Package, PackageSource } from '../../model/index.js';
import { formatPurl } from '../../model/purl.js';

export interface PypiEntry {
  /** already PEP 503 normalised */
  readonly name: string;
  readonly version?: string | undefined;
  readonly specifier?: string | undefined;
  readonly direct: boolean;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly local?: boolean | undefined;
  readonly paths: readonly (readonly string[])[];
  readonly location: Location;
  readonly source: PackageSource;
  readonly integrity?: string | undefined;
}

export function toPackage(entry: PypiEntry): Package {
  const version = entry.version === '' ? undefined : entry.version;
  return {
    ecosystem: 'PyPI',
    name: entry.name,
    ...(version === undefined ? {} : { version }),
    ...(entry.specifier === undefined || version !== undefined
      ? {}
      : { specifier: entry.specifier }),
    purl: formatPurl('PyPI', entry.name, version),
    direct: entry.direct,
    dev: entry.dev,
    optional: entry.optional,
    ...(entry.local === true ? { local: true } : {}),
    paths: entry.paths,
    location: entry.location,
    source: entry.source,
    ...(entry.integrity === undefined ? {} : { integrity: entry.integrity }),
  };
}

/** A path step: `name@version`, or the bare name when no version is known. */
export function stepLabel(name: string, version: string | undefined): string {
  return version === undefined || version === '' ? name : `${name}@${version}`;
}

/** The first `sha256:` hash of a list, as `sha256:<hex>`. */
export function firstSha256(hashes: readonly unknown[]): string | undefined {
  for (const h of hashes) {
    if (typeof h === 'string' && h.startsWith('sha256:') && h.length > 7) return h;
  }
  return undefined;
}
