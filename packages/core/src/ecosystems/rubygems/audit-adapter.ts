// bundler-audit as an advisory source: `bundle-audit check --format=json --gemfile-lock=...
// --no-update --quiet [--database=DIR]`, in a private copy of the project holding only the
// lockfile. Facts: shared TOOLS.md section 7; rubysec/bundler-audit 0.9.3 lib/bundler/audit/cli.rb.
import { copyFile, lstat, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { getObject, getString, isJsonObject, type JsonObject } from '../../decode/index.js';
import { describeError } from '../../errors.js';
import {
  assertSafeArgValue,
  buildChildEnv,
  redactSecrets,
  runCommand,
  secretValuesOf,
} from '../../exec/index.js';
import type { InventoriedProject } from '../../model/index.js';
import {
  getNumber,
  normalizeSeverity,
  objectArray,
  readJsonDocument,
  stringArray,
  uniqueIds,
} from '../../sources/tool-output.js';
import type {
  AdapterRunContext,
  AuditorAdapter,
  NativeAdvisory,
  NativeToolOptions,
  ParseOutcome,
  ToolOutput,
} from '../../sources/types.js';

const LOCKFILES = ['Gemfile.lock', 'gems.locked'] as const;

export interface BundlerAuditArgsInput {
  /** lockfile name relative to the working directory */
  readonly gemfileLock: string;
  /** a local ruby-advisory-db directory */
  readonly database?: string;
}

/**
 * `--no-update` keeps bundler-audit from `git pull`ing the database (and from printing progress
 * before the JSON); `--quiet` silences the rest.
 */
export function bundlerAuditArgs(input: BundlerAuditArgsInput): string[] {
  assertSafeArgValue(input.gemfileLock, 'the Gemfile.lock name');
  const args = [
    'check',
    '--format=json',
    `--gemfile-lock=${input.gemfileLock}`,
    '--no-update',
    '--quiet',
  ];
  if (input.database !== undefined) {
    assertSafeArgValue(input.database, 'the ruby-advisory-db path');
    args.push(`--database=${input.database}`);
  }
  return args;
}

/**
 * Parse bundler-audit's JSON (0.8+). Text before the JSON is tolerated (`--update` progress);
 * `unpatched_gem` results carry ids without their prefixes (`cve: "2020-8130"`, `ghsa:
 * "jppv-..."`), completed here; `insecure_source` results (http:// or git:// gem sources) are
 * reported as such.
 */
export function parseBundlerAudit(output: ToolOutput): ParseOutcome {
  const doc = readJsonDocument('bundle-audit', output);
  if (!doc.ok) return doc;
  const report = doc.value;
  if (!isJsonObject(report) || !Array.isArray(report['results'])) {
    return {
      ok: false,
      reason: 'bundle-audit printed JSON in a shape supplyaudit does not know (no results)',
    };
  }
  const advisories: NativeAdvisory[] = [];
  for (const result of objectArray(report, 'results')) {
    const type = getString(result, 'type');
    if (type === 'unpatched_gem') {
      const a = unpatchedGem(result);
      if (a !== undefined) advisories.push(a);
    } else if (type === 'insecure_source') {
      const source = redactSecrets(getString(result, 'source') ?? '');
      advisories.push({
        ids: ['bundler-audit/insecure-source'],
        ecosystem: 'RubyGems',
        packageName: source,
        severity: 'medium',
        title: `Gems are fetched from ${source} over an insecure protocol`,
        fixedVersions: [],
        source: 'bundler-audit',
        kind: 'insecure-source',
      });
    }
  }
  return { ok: true, advisories };
}

function unpatchedGem(result: JsonObject): NativeAdvisory | undefined {
  const gem = getObject(result, 'gem');
  const advisory = getObject(result, 'advisory');
  const name = gem === undefined ? undefined : getString(gem, 'name');
  if (gem === undefined || advisory === undefined || name === undefined) return undefined;
  const version = getString(gem, 'version');
  const cve = getString(advisory, 'cve');
  const ghsa = getString(advisory, 'ghsa');
  const osvdb = getString(advisory, 'osvdb') ?? numberText(advisory, 'osvdb');
  const score = getNumber(advisory, 'cvss_v4') ?? getNumber(advisory, 'cvss_v3');
  const url = getString(advisory, 'url');
  return {
    ids: uniqueIds([
      getString(advisory, 'id'),
      cve === undefined ? undefined : withPrefix('CVE-', cve),
      ghsa === undefined ? undefined : withPrefix('GHSA-', ghsa),
      osvdb === undefined ? undefined : withPrefix('OSVDB-', osvdb),
    ]),
    ecosystem: 'RubyGems',
    packageName: name,
    ...(version === undefined ? {} : { version }),
    // `criticality` is bundler-audit's rating from the best CVSS score ("medium", never "moderate").
    severity: normalizeSeverity(getString(advisory, 'criticality')),
    ...(score === undefined ? {} : { cvssScore: score }),
    title: oneLine(getString(advisory, 'title') ?? ''),
    // RubyGems requirement syntax, as written: `~> 6.1.7, >= 6.1.7.1`.
    fixedVersions: stringArray(advisory, 'patched_versions'),
    ...(url === undefined || url === '' ? {} : { url }),
    source: 'bundler-audit',
    kind: 'vulnerability',
  };
}

function withPrefix(prefix: string, id: string): string {
  return id.toUpperCase().startsWith(prefix)
    ? `${prefix}${id.slice(prefix.length)}`
    : `${prefix}${id}`;
}

function numberText(obj: JsonObject, key: string): string | undefined {
  const n = getNumber(obj, key);
  return n === undefined ? undefined : String(n);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

async function isNonEmptyDirectory(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch {
    return false;
  }
}

export const bundlerAuditAdapter = {
  source: 'bundler-audit',
  ecosystem: 'RubyGems',
  binary: 'bundle-audit',
  versionArgs: ['version'],
  // JSON output arrived in 0.8.0.
  minVersion: '0.8.0',
  offlineBlocker(options: NativeToolOptions) {
    return options.db === undefined
      ? 'bundler-audit needs to download ruby-advisory-db (configure a local one)'
      : undefined;
  },
  applies(project: InventoriedProject) {
    return (
      project.ecosystem === 'RubyGems' &&
      project.lockfile !== undefined &&
      (LOCKFILES as readonly string[]).includes(basename(project.lockfile))
    );
  },
  async run(ctx: AdapterRunContext): Promise<ParseOutcome> {
    const lockfile = ctx.project.lockfile;
    if (lockfile === undefined) return { ok: false, reason: 'no lockfile' };
    const database = ctx.options.db === undefined ? undefined : resolve(ctx.options.db);
    // A missing or empty database makes bundler-audit `git clone` one from GitHub, even with
    // --no-update: refuse here instead of letting it reach the network.
    if (database !== undefined && !(await isNonEmptyDirectory(database))) {
      return {
        ok: false,
        reason: `the ruby-advisory-db directory ${database} does not exist or is empty`,
      };
    }
    // Bundler needs a Gemfile beside the lockfile in the working directory (Bundler.root). It is
    // never evaluated, so an empty one in a private directory does: the repository's Gemfile
    // (Ruby code) and its .bundle/config (Bundler settings) are never in reach of the tool.
    let stage: string;
    try {
      stage = await mkdtemp(join(ctx.tmpDir, 'bundler-'));
      const from = resolve(ctx.root, lockfile);
      const info = await lstat(from);
      if (!info.isFile()) return { ok: false, reason: `${lockfile} is not a regular file` };
      await copyFile(from, join(stage, 'Gemfile.lock'));
      await writeFile(join(stage, 'Gemfile'), '');
    } catch (error) {
      return { ok: false, reason: `could not prepare bundle-audit: ${describeError(error)}` };
    }
    const result = await runCommand({
      file: ctx.toolPath,
      args: bundlerAuditArgs({
        gemfileLock: 'Gemfile.lock',
        ...(database === undefined ? {} : { database }),
      }),
      cwd: stage,
      env: buildChildEnv(ctx.hostEnv, {
        extra: {
          ...(ctx.hostEnv['GEM_PATH'] === undefined ? {} : { GEM_PATH: ctx.hostEnv['GEM_PATH'] }),
          ...ctx.options.env,
        },
        forbiddenRoots: [ctx.root],
      }),
      timeoutMs: ctx.timeoutMs,
      secrets: secretValuesOf(ctx.options.env),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    return parseBundlerAudit(result);
  },
} satisfies AuditorAdapter;
