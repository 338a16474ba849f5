// npm audit as an advisory source: `npm audit --json --package-lock-only` on a private copy of the
// project's manifest and lockfile, parsed from both report formats (npm 6 `advisories`, npm 7+
// `vulnerabilities`). Facts: shared TOOLS.md section 1; npm/cli lib/commands/audit.js.
import { copyFile, lstat, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import semver from 'semver';
import { getObject, getString, isJsonObject, type JsonObject } from '../../decode/index.js';
import { describeError } from '../../errors.js';
import {
  assertSafeArgValue,
  buildChildEnv,
  isInside,
  runCommand,
  secretValuesOf,
} from '../../exec/index.js';
import type { InventoriedProject, Package } from '../../model/index.js';
import {
  getNumber,
  ghsaFromUrl,
  normalizeSeverity,
  objectArray,
  readJsonDocument,
  stringArray,
  uniqueIds,
  withStderr,
} from '../../sources/tool-output.js';
import type {
  AdapterRunContext,
  AuditorAdapter,
  NativeAdvisory,
  NativeToolOptions,
  ParseNativeContext,
  ParseOutcome,
  ToolOutput,
} from '../../sources/types.js';

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'] as const;
const MAX_NPM_AUDIT_BYTES = 16 * 1024 * 1024;

export interface NpmAuditArgsInput {
  /** registry URL to audit against; npm's own configuration when absent */
  readonly registry?: string;
  readonly omitDev?: boolean;
  /** an empty npmrc that replaces ~/.npmrc, when the caller isolates user configuration */
  readonly userconfig?: string;
}

/** Arguments of `npm audit`, in `--flag=value` form so no value can be read as another flag. */
export function npmAuditArgs(input: NpmAuditArgsInput): string[] {
  const args = ['audit', '--json', '--package-lock-only'];
  if (input.registry !== undefined) {
    assertSafeArgValue(input.registry, 'the npm registry URL');
    args.push(`--registry=${input.registry}`);
  }
  if (input.userconfig !== undefined) {
    assertSafeArgValue(input.userconfig, 'the npm userconfig path');
    args.push(`--userconfig=${input.userconfig}`);
  }
  if (input.omitDev === true) args.push('--omit=dev');
  return args;
}

/**
 * Parse npm audit's stdout. A report (either format) is `ok`, with no advisories when it lists
 * none; the error documents npm prints on stdout with exit 1 (`{"error":...}` such as ENOLOCK or
 * ENOAUDIT, and npm 11's `{"statusCode":405,...}` HTTP errors) are failures, never "no findings".
 * The exit code is not used to decide (TOOLS.md: npm 8 exits 0 with findings, errors exit 1).
 */
export function parseNpmAudit(output: ToolOutput, ctx: ParseNativeContext = {}): ParseOutcome {
  const doc = readJsonDocument('npm audit', output);
  if (!doc.ok) return doc;
  const report = doc.value;
  if (!isJsonObject(report))
    return { ok: false, reason: 'npm audit printed JSON that is not an object' };

  // npm 11 HTTP errors carry `statusCode` and `message` (and an empty `error` object).
  const status = getNumber(report, 'statusCode');
  if (status !== undefined) {
    const message = getString(report, 'message') ?? `HTTP ${String(status)}`;
    return {
      ok: false,
      reason: `npm audit failed: the audit endpoint answered ${oneLine(message)}`,
    };
  }
  const error = getObject(report, 'error');
  if (error !== undefined) {
    const code = getString(error, 'code');
    const summary = getString(error, 'summary') ?? '';
    const text = [code, summary].filter((s) => s !== undefined && s !== '').join(': ');
    return {
      ok: false,
      reason: withStderr(
        `npm audit failed: ${text === '' ? 'unknown error' : oneLine(text)}`,
        output,
      ),
    };
  }
  const vulnerabilities = getObject(report, 'vulnerabilities');
  if (getNumber(report, 'auditReportVersion') === 2 && vulnerabilities !== undefined) {
    return { ok: true, advisories: parseV2(vulnerabilities, ctx.packages) };
  }
  const advisories = getObject(report, 'advisories');
  if (advisories !== undefined) {
    return { ok: true, advisories: parseV1(advisories) };
  }
  return {
    ok: false,
    reason:
      'npm audit printed JSON in a shape supplyaudit does not know (no vulnerabilities or advisories)',
  };
}

/** npm 7+: each root advisory is a `via` object; string `via`s are packages affected through it. */
function parseV2(
  vulnerabilities: JsonObject,
  packages: readonly Package[] | undefined,
): NativeAdvisory[] {
  const out: NativeAdvisory[] = [];
  const seen = new Set<string>();
  for (const [name, entry] of Object.entries(vulnerabilities)) {
    if (!isJsonObject(entry)) continue;
    for (const via of objectArray(entry, 'via')) {
      const packageName = getString(via, 'name') ?? getString(via, 'dependency') ?? name;
      const source = getNumber(via, 'source');
      const url = getString(via, 'url');
      const range = getString(via, 'range') ?? '';
      const key = `${packageName}\u0000${String(source)}\u0000${url ?? ''}\u0000${range}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Quirk: npm dedupes advisories per url, so two advisories with the same vulnerable range
      // for one package can show up once here. The OSV source reports both, and the merge
      // (alias grouping per package) recovers the id npm dropped.
      const cvss = getObject(via, 'cvss');
      const vector = cvss === undefined ? undefined : getString(cvss, 'vectorString');
      const score = cvss === undefined ? undefined : getNumber(cvss, 'score');
      const base = {
        ids: uniqueIds([ghsaFromUrl(url), legacyId(url, source)]),
        ecosystem: 'npm',
        packageName,
        severity: normalizeSeverity(getString(via, 'severity')),
        ...(vector === undefined ? {} : { cvssVector: vector }),
        ...(score === undefined || score === 0 ? {} : { cvssScore: score }),
        title: oneLine(getString(via, 'title') ?? ''),
        fixedVersions: fixesFromVulnerableRange(range),
        ...(url === undefined ? {} : { url }),
        source: 'npm-audit',
        kind: 'vulnerability',
      } as const;
      const versions = installedVersions(packages, packageName, range);
      if (versions.length === 0) out.push(base);
      for (const version of versions) out.push({ ...base, version });
    }
  }
  return out;
}

/**
 * The root advisories behind a package of an npm 7+ report, following string `via` entries
 * (`github-build` → `axios` → its advisories). Cycles and unknown names end the walk.
 */
export function rootAdvisoryUrls(vulnerabilities: JsonObject, name: string): string[] {
  const urls: string[] = [];
  const visited = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined || visited.has(current) || !Object.hasOwn(vulnerabilities, current))
      continue;
    visited.add(current);
    const entry = vulnerabilities[current];
    if (!isJsonObject(entry)) continue;
    for (const via of stringArray(entry, 'via')) stack.push(via);
    for (const via of objectArray(entry, 'via')) {
      const url = getString(via, 'url');
      if (url !== undefined && !urls.includes(url)) urls.push(url);
    }
  }
  return urls.sort();
}

/** npm 6 (and the registry's v1 envelope): one entry per advisory, findings per version. */
function parseV1(advisories: JsonObject): NativeAdvisory[] {
  const out: NativeAdvisory[] = [];
  for (const [key, advisory] of Object.entries(advisories)) {
    if (!isJsonObject(advisory)) continue;
    const url = getString(advisory, 'url');
    const npmId =
      getNumber(advisory, 'id') ?? (Number.isSafeInteger(Number(key)) ? Number(key) : undefined);
    const ids = uniqueIds([
      getString(advisory, 'github_advisory_id') ?? ghsaFromUrl(url),
      legacyId(url, npmId),
      ...stringArray(advisory, 'cves'),
    ]);
    const cvss = getObject(advisory, 'cvss');
    const vector = cvss === undefined ? undefined : getString(cvss, 'vectorString');
    const score = cvss === undefined ? undefined : getNumber(cvss, 'score');
    const patched = getString(advisory, 'patched_versions') ?? '';
    const base = {
      ids,
      ecosystem: 'npm',
      packageName: getString(advisory, 'module_name') ?? '',
      severity: normalizeSeverity(getString(advisory, 'severity')),
      ...(vector === undefined ? {} : { cvssVector: vector }),
      ...(score === undefined || score === 0 ? {} : { cvssScore: score }),
      title: oneLine(getString(advisory, 'title') ?? ''),
      fixedVersions: lowerBounds(patched),
      ...(url === undefined ? {} : { url }),
      source: 'npm-audit',
      kind: 'vulnerability',
    } as const;
    const versions = uniqueIds(
      objectArray(advisory, 'findings').map((f) => getString(f, 'version')),
    );
    if (versions.length === 0) out.push(base);
    for (const version of versions) out.push({ ...base, version });
  }
  return out;
}

/** Old reports name advisories by npm number only (`https://npmjs.com/advisories/1488`). */
function legacyId(url: string | undefined, source: number | undefined): string | undefined {
  if (ghsaFromUrl(url) !== undefined || source === undefined) return undefined;
  return `NPM-${String(source)}`;
}

function installedVersions(
  packages: readonly Package[] | undefined,
  name: string,
  range: string,
): string[] {
  if (packages === undefined || range === '') return [];
  const versions = packages
    .filter((p) => p.name === name && p.version !== undefined)
    .map((p) => p.version ?? '')
    .filter(
      (v) => semver.valid(v) !== null && semver.satisfies(v, range, { includePrerelease: true }),
    );
  return uniqueIds(versions).sort(semver.compare);
}

/** `>=3.7.0 <4.17.19 || <1.2.3` → the exclusive upper bounds `1.2.3`, `4.17.19`. */
export function fixesFromVulnerableRange(range: string): string[] {
  return boundsOf(range, '<');
}

function lowerBounds(range: string): string[] {
  return boundsOf(range, '>=');
}

function boundsOf(range: string, operator: '<' | '>='): string[] {
  if (range === '' || range.length > 1024) return [];
  let parsed: semver.Range;
  try {
    parsed = new semver.Range(range);
  } catch {
    return [];
  }
  const out = parsed.set.flatMap((set) =>
    set
      .filter((c) => c.operator === operator && c.semver.version !== '0.0.0')
      .map((c) => c.semver.version),
  );
  return uniqueIds(out).sort(semver.compare);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * npm reads a project-level `.npmrc` next to package.json, and the scanned repository is untrusted:
 * its `.npmrc` could redirect the audit (`registry=`), attach credentials (`_authToken=`, with
 * `${ENV}` expansion) or change how npm behaves. So npm runs in a private temporary directory that
 * holds copies of only package.json, the lockfile and workspace members' package.json; the
 * project's `.npmrc` is never there to be read. The user's own ~/.npmrc (trusted, and where a
 * private registry's credentials live) stays in effect unless `isolateUserConfig` replaces it
 * with an empty file, which tests do.
 */
async function stageProject(ctx: AdapterRunContext, lockfileName: string): Promise<string> {
  const stage = await mkdtemp(join(ctx.tmpDir, 'npm-'));
  const copies = [lockfileName, 'package.json', ...memberManifests(ctx.project)];
  for (const rel of copies) {
    const from = resolve(ctx.projectDir, rel);
    const to = resolve(stage, rel);
    if (!isInside(from, ctx.root) || !isInside(to, stage)) continue;
    let info;
    try {
      info = await lstat(from);
    } catch {
      continue; // a member manifest may be gone; npm then reports what it can
    }
    if (!info.isFile() || info.size > MAX_NPM_AUDIT_BYTES * 4) continue;
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }
  return stage;
}

function memberManifests(project: InventoriedProject): string[] {
  const members = project.members ?? [];
  return members
    .map((m) => relative(project.dir, m))
    .filter((m) => m !== '' && !m.startsWith('..') && basename(m) === 'package.json');
}

export const npmAuditAdapter = {
  source: 'npm-audit',
  ecosystem: 'npm',
  binary: 'npm',
  versionArgs: ['--version'],
  // npm 7 introduced the bulk advisory endpoint, the only one the registry still answers.
  minVersion: '7.0.0',
  offlineBlocker(options: NativeToolOptions) {
    return options.registry !== undefined && isLoopbackUrl(options.registry)
      ? undefined
      : 'npm audit needs the npm registry';
  },
  applies(project: InventoriedProject) {
    return (
      project.ecosystem === 'npm' &&
      project.lockfile !== undefined &&
      (LOCKFILES as readonly string[]).includes(basename(project.lockfile))
    );
  },
  async run(ctx: AdapterRunContext): Promise<ParseOutcome> {
    const lockfile = ctx.project.lockfile;
    if (lockfile === undefined) return { ok: false, reason: 'no lockfile' };
    let stage: string;
    try {
      stage = await stageProject(ctx, basename(lockfile));
    } catch (error) {
      return { ok: false, reason: `could not prepare npm audit: ${describeError(error)}` };
    }
    let userconfig: string | undefined;
    if (ctx.options.isolateUserConfig === true) {
      userconfig = join(stage, '.supplyaudit-empty-npmrc');
      await writeFile(userconfig, '');
    }
    const args = npmAuditArgs({
      ...(ctx.options.registry === undefined ? {} : { registry: ctx.options.registry }),
      ...(ctx.options.omitDev === undefined ? {} : { omitDev: ctx.options.omitDev }),
      ...(userconfig === undefined ? {} : { userconfig }),
    });
    const extra = {
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      ...ctx.options.env,
    };
    const result = await runCommand({
      file: ctx.toolPath,
      args,
      cwd: stage,
      env: buildChildEnv(ctx.hostEnv, { extra, forbiddenRoots: [ctx.root] }),
      timeoutMs: ctx.timeoutMs,
      maxStdoutBytes: MAX_NPM_AUDIT_BYTES,
      secrets: secretValuesOf(ctx.options.env),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    return parseNpmAudit(result, { packages: ctx.project.packages });
  },
} satisfies AuditorAdapter;
