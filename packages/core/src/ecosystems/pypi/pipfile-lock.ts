// Pipfile.lock (pipenv's JSON, pipfile-spec 6): `default` and `develop` sections, plus any
// custom package category. It records no graph: direct means listed in the Pipfile.
import { posix } from 'node:path';
import {
  getArray,
  getBoolean,
  getObject,
  getString,
  isJsonObject,
  ownEntries,
  parseJson,
  type JsonObject,
} from '../../decode/json.js';
import { isSupplyAuditError, SupplyAuditError } from '../../errors.js';
import type { Diagnostic, Package, PackageSource } from '../../model/index.js';
import type { LockfileParser, ParseContext, ParseResult } from '../types.js';
import { jsonSectionKeyLines } from './lock-lines.js';
import { normalizePypiName } from './name.js';
import { pinnedVersion } from './pep508.js';
import { firstSha256, stepLabel, toPackage } from './pypi-package.js';
import { getTable, parseToml, tableEntries } from '../../decode/toml.js';
import { isCommitHash, stripCredentials } from './url.js';

/** Pipfile section → Pipfile.lock section. */
const PIPFILE_SECTIONS = new Map([
  ['packages', 'default'],
  ['dev-packages', 'develop'],
]);

/** Names the Pipfile lists, per lock section; undefined when there is no readable Pipfile. */
function declaredNames(
  ctx: ParseContext,
  diagnostics: Diagnostic[],
): Map<string, Set<string>> | undefined {
  if (ctx.manifestText === undefined) return undefined;
  const file = ctx.manifestFile ?? posix.join(posix.dirname(ctx.file), 'Pipfile');
  let doc;
  try {
    doc = parseToml(ctx.manifestText, file);
  } catch (error) {
    if (!isSupplyAuditError(error)) throw error;
    diagnostics.push({
      level: 'warning',
      file,
      ...(error.line === undefined ? {} : { line: error.line }),
      message: 'invalid TOML; direct dependencies unknown',
      code: 'PARSE_FAILED',
    });
    return undefined;
  }
  const result = new Map<string, Set<string>>();
  for (const [section, value] of tableEntries(doc)) {
    if (
      section === 'source' ||
      section === 'requires' ||
      section === 'pipenv' ||
      section === 'scripts'
    )
      continue;
    const table = getTable(doc, section);
    if (table === undefined || value === undefined) continue;
    const lockSection = PIPFILE_SECTIONS.get(section) ?? section;
    result.set(lockSection, new Set(tableEntries(table).map(([name]) => normalizePypiName(name))));
  }
  return result;
}

function sourceOf(
  entry: JsonObject,
  indexes: Map<string, string>,
): { source: PackageSource; local: boolean } {
  const git = getString(entry, 'git');
  if (git !== undefined) {
    const ref = getString(entry, 'ref');
    return {
      source: {
        type: 'git',
        url: stripCredentials(git.startsWith('git+') ? git.slice(4) : git),
        ...(ref !== undefined && isCommitHash(ref) ? { commit: ref.toLowerCase() } : {}),
      },
      local: false,
    };
  }
  const file = getString(entry, 'file');
  if (file !== undefined) {
    if (!file.startsWith('file:'))
      return { source: { type: 'url', url: stripCredentials(file) }, local: false };
    const path = file.startsWith('file://') ? file.slice(7) : file.slice(5);
    return { source: { type: 'path', path }, local: false };
  }
  const path = getString(entry, 'path');
  if (path !== undefined) {
    // A local directory (often editable) is part of the project; a local archive is not.
    const archive = ['.whl', '.zip', '.tar.gz', '.tgz'].some((e) => path.endsWith(e));
    return {
      source: { type: 'path', path },
      local: getBoolean(entry, 'editable') === true || !archive,
    };
  }
  // Without `index`, pipenv installs from the first source.
  const index = getString(entry, 'index');
  const url = index === undefined ? indexes.values().next().value : indexes.get(index);
  return { source: { type: 'registry', ...(url === undefined ? {} : { url }) }, local: false };
}

export function parsePipfileLock(text: string, ctx: ParseContext): ParseResult {
  const doc = parseJson(text, ctx.file);
  if (!isJsonObject(doc)) {
    throw new SupplyAuditError('PARSE_FAILED', `${ctx.file}:1: expected a JSON object`, {
      file: ctx.file,
      line: 1,
    });
  }
  const diagnostics: Diagnostic[] = [];
  const indexes = new Map<string, string>();
  const meta = getObject(doc, '_meta');
  for (const source of (meta && getArray(meta, 'sources')) ?? []) {
    if (!isJsonObject(source)) continue;
    const name = getString(source, 'name');
    const url = getString(source, 'url');
    if (name !== undefined && url !== undefined) indexes.set(name, stripCredentials(url));
  }
  const declared = declaredNames(ctx, diagnostics);
  const directNames = new Set([...(declared?.values() ?? [])].flatMap((names) => [...names]));
  const lines = jsonSectionKeyLines(text);
  const root = ctx.manifestFile ?? posix.join(posix.dirname(ctx.file), 'Pipfile');

  // `default` first: a package in both sections is a runtime one, located in `default`.
  const sections = ownEntries(doc)
    .filter(([key, value]) => key !== '_meta' && isJsonObject(value))
    .sort(([a], [b]) => (a === 'default' ? -1 : b === 'default' ? 1 : 0));
  const seen = new Set<string>();
  const packages: Package[] = [];
  for (const [section, body] of sections) {
    if (!isJsonObject(body)) continue;
    const dev = section !== 'default';
    const sectionLines = lines.get(section);
    for (const [rawName, entry] of ownEntries(body)) {
      const line = sectionLines?.get(rawName) ?? 1;
      const name = normalizePypiName(rawName);
      if (!isJsonObject(entry) || name === '') {
        diagnostics.push({
          level: 'warning',
          file: ctx.file,
          line,
          message: `entry "${rawName.slice(0, 80)}" in "${section.slice(0, 40)}" is not an object, skipped`,
          code: 'PARSE_FAILED',
        });
        continue;
      }
      if (seen.has(name)) continue;
      seen.add(name);
      const specifier = getString(entry, 'version');
      const version = specifier === undefined ? undefined : pinnedVersion(specifier);
      const { source, local } = sourceOf(entry, indexes);
      const isDirect = directNames.has(name);
      packages.push(
        toPackage({
          name,
          version,
          specifier: version === undefined && specifier !== undefined ? specifier : undefined,
          direct: isDirect,
          dev,
          optional: false,
          local,
          paths: isDirect ? [[root, stepLabel(name, version)]] : [],
          location: { file: ctx.file, line },
          source,
          integrity: firstSha256(getArray(entry, 'hashes') ?? []),
        }),
      );
    }
  }
  return { packages, diagnostics };
}

export const pipfileLockParser = {
  id: 'pypi/pipfile-lock',
  version: 1,
  ecosystem: 'PyPI',
  matches: (fileName: string) => posix.basename(fileName) === 'Pipfile.lock',
  parse: parsePipfileLock,
} satisfies LockfileParser;
