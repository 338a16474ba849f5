// PyPI licenses: the lockfile's, then the installed metadata in a virtualenv beside the project
// (.venv/lib/python*/site-packages/*.dist-info/METADATA, core metadata 2.4:
// https://packaging.python.org/en/latest/specifications/core-metadata/), then the PyPI JSON API
// (https://docs.pypi.org/api/json/).
import { readdir, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import {
  cachedRegistryLookup,
  cleanLicenseText,
  joinAlternatives,
  jsonAt,
  registryUrl,
  type LicenseLookup,
  type LicenseLookupOptions,
} from '../../checks/license-lookup.js';

/** one version's document; far below the client's cap, which is sized for whole databases */
const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
const PEP508_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?$/;
const MAX_METADATA_BYTES = 1024 * 1024;
const MAX_SITE_PACKAGES_ENTRIES = 50_000;

/** PEP 503 normal form. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Trove classifiers (https://pypi.org/classifiers/) with one SPDX reading, by last segment. */
const CLASSIFIER_SPDX: ReadonlyMap<string, string> = new Map([
  ['MIT License', 'MIT'],
  ['MIT No Attribution License (MIT-0)', 'MIT-0'],
  ['Apache Software License', 'Apache-2.0'],
  ['ISC License (ISCL)', 'ISC'],
  ['Mozilla Public License 2.0 (MPL 2.0)', 'MPL-2.0'],
  ['Mozilla Public License 1.1 (MPL 1.1)', 'MPL-1.1'],
  ['GNU General Public License v2 (GPLv2)', 'GPL-2.0-only'],
  ['GNU General Public License v2 or later (GPLv2+)', 'GPL-2.0-or-later'],
  ['GNU General Public License v3 (GPLv3)', 'GPL-3.0-only'],
  ['GNU General Public License v3 or later (GPLv3+)', 'GPL-3.0-or-later'],
  ['GNU Lesser General Public License v2 (LGPLv2)', 'LGPL-2.0-only'],
  ['GNU Lesser General Public License v2 or later (LGPLv2+)', 'LGPL-2.0-or-later'],
  ['GNU Lesser General Public License v3 (LGPLv3)', 'LGPL-3.0-only'],
  ['GNU Lesser General Public License v3 or later (LGPLv3+)', 'LGPL-3.0-or-later'],
  ['GNU Affero General Public License v3', 'AGPL-3.0-only'],
  ['GNU Affero General Public License v3 or later (AGPLv3+)', 'AGPL-3.0-or-later'],
  ['Python Software Foundation License', 'PSF-2.0'],
  ['The Unlicense (Unlicense)', 'Unlicense'],
  ['Boost Software License 1.0 (BSL-1.0)', 'BSL-1.0'],
  ['zlib/libpng License', 'Zlib'],
  ['Eclipse Public License 2.0 (EPL-2.0)', 'EPL-2.0'],
  ['Eclipse Public License 1.0 (EPL-1.0)', 'EPL-1.0'],
  ['CC0 1.0 Universal (CC0 1.0) Public Domain Dedication', 'CC0-1.0'],
  ['Historical Permission Notice and Disclaimer (HPND)', 'HPND'],
  ['Universal Permissive License (UPL)', 'UPL-1.0'],
  ['European Union Public Licence 1.2 (EUPL 1.2)', 'EUPL-1.2'],
]);

/**
 * `License :: OSI Approved :: MIT License` → `MIT`. A classifier without one SPDX reading
 * (`BSD License`) keeps its words, so normalisation can say what it guessed.
 */
export function licenseFromClassifiers(classifiers: readonly unknown[]): string | undefined {
  const found: string[] = [];
  for (const c of classifiers.slice(0, 500)) {
    if (typeof c !== 'string' || !c.startsWith('License ::')) continue;
    const parts = c.split('::').map((p) => p.trim());
    const last = parts[parts.length - 1];
    // `License :: OSI Approved` alone says nothing about which license.
    if (last === undefined || parts.length < 2 || last === 'OSI Approved') continue;
    const text = CLASSIFIER_SPDX.get(last) ?? cleanLicenseText(last);
    if (text !== undefined) found.push(text);
  }
  return joinAlternatives(found.slice(0, 16));
}

/** Expression, then a License that is a name (not a body, not setuptools' `UNKNOWN`), then classifiers. */
export function choosePythonLicense(
  expression: unknown,
  license: unknown,
  classifiers: readonly unknown[],
): string | undefined {
  const expr = cleanLicenseText(expression);
  if (expr !== undefined) return expr;
  const text = cleanLicenseText(license);
  if (text !== undefined && text.toUpperCase() !== 'UNKNOWN' && text.length <= 100) return text;
  return licenseFromClassifiers(classifiers);
}

export interface PythonMetadata {
  readonly name?: string;
  readonly version?: string;
  readonly licenseExpression?: string;
  /** the first line of `License`, undefined when the field runs over several lines (a body) */
  readonly license?: string;
  readonly classifiers: readonly string[];
}

/** The header block of a METADATA file (RFC 822 style, continuation lines indented). */
export function parsePythonMetadata(text: string): PythonMetadata {
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const lines = head.split(/\r?\n/);
  const classifiers: string[] = [];
  let name: string | undefined;
  let version: string | undefined;
  let licenseExpression: string | undefined;
  let license: string | undefined;
  let licenseContinued = false;
  let current = '';
  for (const line of lines.slice(0, 10_000)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === 'license' && line.trim() !== '') licenseContinued = true;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    current = key;
    if (key === 'name') name ??= value;
    else if (key === 'version') version ??= value;
    else if (key === 'license-expression') licenseExpression ??= value;
    else if (key === 'license') license ??= value;
    else if (key === 'classifier') classifiers.push(value);
  }
  return {
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
    ...(licenseExpression === undefined ? {} : { licenseExpression }),
    ...(license === undefined || licenseContinued ? {} : { license }),
    classifiers,
  };
}

function isInside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** dist-info folders of `.venv` beside the project, by normalised name; empty without a venv. */
type SitePackages = ReadonlyMap<string, readonly { dir: string; version: string }[]>;
const sitePackagesMemo = new WeakMap<LicenseLookupOptions, Map<string, Promise<SitePackages>>>();

async function listSitePackages(projectDir: string): Promise<SitePackages> {
  const out = new Map<string, { dir: string; version: string }[]>();
  let realRoot: string;
  let libDir: string;
  try {
    realRoot = await realpath(projectDir);
    libDir = await realpath(join(projectDir, '.venv', 'lib'));
  } catch {
    return out;
  }
  if (!isInside(libDir, realRoot)) return out;
  let pythons: string[];
  try {
    pythons = (await readdir(libDir)).filter((d) => /^python\d+(?:\.\d+)?t?$/.test(d)).sort();
  } catch {
    return out;
  }
  for (const python of pythons) {
    const site = join(libDir, python, 'site-packages');
    let entries: string[];
    try {
      entries = await readdir(site);
    } catch {
      continue;
    }
    for (const entry of entries.slice(0, MAX_SITE_PACKAGES_ENTRIES)) {
      if (!entry.endsWith('.dist-info')) continue;
      const stem = entry.slice(0, -'.dist-info'.length);
      const dash = stem.indexOf('-');
      if (dash <= 0) continue;
      const key = normalizePythonName(stem.slice(0, dash));
      const list = out.get(key) ?? [];
      list.push({ dir: join(site, entry), version: stem.slice(dash + 1) });
      out.set(key, list);
    }
  }
  return out;
}

/** The installed distribution's license, when the venv holds exactly this version. */
export async function readInstalledPythonLicense(
  name: string,
  version: string | undefined,
  projectDir: string,
  options: LicenseLookupOptions,
): Promise<string | undefined> {
  let perRoot = sitePackagesMemo.get(options);
  if (perRoot === undefined) {
    perRoot = new Map();
    sitePackagesMemo.set(options, perRoot);
  }
  let site = perRoot.get(projectDir);
  if (site === undefined) {
    site = listSitePackages(projectDir);
    perRoot.set(projectDir, site);
  }
  const candidates = (await site).get(normalizePythonName(name)) ?? [];
  const hit = candidates.find((c) => version === undefined || c.version === version);
  if (hit === undefined) return undefined;
  let text: string;
  try {
    const [real, realRoot] = await Promise.all([
      realpath(join(hit.dir, 'METADATA')),
      realpath(projectDir),
    ]);
    if (!isInside(real, realRoot)) return undefined;
    const bytes = await readFile(real);
    if (bytes.byteLength > MAX_METADATA_BYTES) return undefined;
    text = bytes.toString('utf8');
  } catch {
    return undefined;
  }
  const meta = parsePythonMetadata(text);
  return choosePythonLicense(meta.licenseExpression, meta.license, meta.classifiers);
}

export const lookupPypiLicense: LicenseLookup = async (pkg, projectDir, options) => {
  const fromLock = cleanLicenseText(pkg.license);
  if (fromLock !== undefined) return { license: fromLock, source: 'lockfile' };
  const installed = await readInstalledPythonLicense(pkg.name, pkg.version, projectDir, options);
  if (installed !== undefined) return { license: installed, source: 'installed' };
  if (!PEP508_NAME.test(pkg.name)) return { source: 'unknown' };
  return cachedRegistryLookup(pkg, options, async (http, version) => {
    const url = registryUrl(
      options.registries.pypi,
      `pypi/${encodeURIComponent(pkg.name)}/${encodeURIComponent(version)}/json`,
    );
    const response = await http.requestJson({
      url,
      acceptStatuses: [404],
      maxResponseBytes: MAX_DOCUMENT_BYTES,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (response.status === 404) return undefined;
    const info = jsonAt(response.value, 'info');
    const classifiers = jsonAt(info, 'classifiers');
    const license = choosePythonLicense(
      jsonAt(info, 'license_expression'),
      jsonAt(info, 'license'),
      Array.isArray(classifiers) ? classifiers : [],
    );
    return { license: license ?? null };
  });
};
