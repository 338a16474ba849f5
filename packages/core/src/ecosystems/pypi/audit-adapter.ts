// pip-audit as an advisory source: `pip-audit --requirement=FILE --no-deps --disable-pip
// --format=json` on a pins-only requirements file written from the inventory of any PyPI
// lockfile (requirements*.txt, poetry.lock, Pipfile.lock, uv.lock, pylock.toml). Facts: shared
// TOOLS.md section 5.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { getString, isJsonObject, type JsonObject, type JsonValue } from '../../decode/index.js';
import {
  assertSafeArgValue,
  buildChildEnv,
  compareDottedVersions,
  runCommand,
  secretValuesOf,
} from '../../exec/index.js';
import type { InventoriedProject, Package } from '../../model/index.js';
import {
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

const REQUIREMENTS = /^requirements[\w.-]{0,100}\.txt$/i;
const OTHER_LOCKFILES = ['poetry.lock', 'Pipfile.lock', 'uv.lock', 'pylock.toml'] as const;
/** PEP 508 names and PEP 440 versions (public and local parts): nothing else reaches the file. */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?$/;
const VERSION = /^[A-Za-z0-9!+._-]{1,100}$/;

export interface PipAuditArgsInput {
  /** absolute path of a requirements file whose every line is pinned with `==` */
  readonly requirements: string;
  /** an OSV-compatible query URL (`-s osv --osv-url`, pip-audit >= 2.10.0) */
  readonly osvUrl?: string;
}

export function pipAuditArgs(input: PipAuditArgsInput): string[] {
  assertSafeArgValue(input.requirements, 'the requirements file path');
  const args = [
    `--requirement=${input.requirements}`,
    '--no-deps',
    '--disable-pip',
    '--format=json',
    '--progress-spinner=off',
  ];
  if (input.osvUrl !== undefined) {
    assertSafeArgValue(input.osvUrl, 'the OSV service URL');
    args.push('--vulnerability-service=osv', `--osv-url=${input.osvUrl}`);
  }
  return args;
}

export type RequirementsText =
  | { readonly ok: true; readonly text: string; readonly skipped: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * A requirements file with exact pins only, from inventoried packages. Local, path, git and URL
 * packages and packages without an exact version are left out (listed in `skipped`); names and
 * versions are checked against PEP 508 / PEP 440 character sets so nothing else reaches the file.
 */
export function requirementsFromPackages(packages: readonly Package[]): RequirementsText {
  const lines = new Set<string>();
  const skipped: string[] = [];
  for (const p of packages) {
    const label = `${p.name}${p.version === undefined ? '' : `==${p.version}`}`;
    if (p.local === true || (p.source.type !== 'registry' && p.source.type !== 'bundled')) {
      skipped.push(`${label} (${p.local === true ? 'local' : p.source.type} package)`);
    } else if (p.version === undefined) {
      skipped.push(`${p.name} (no exact version)`);
    } else if (!NAME.test(p.name) || !VERSION.test(p.version)) {
      skipped.push(`${JSON.stringify(label.slice(0, 80))} (not a valid name or version)`);
    } else {
      lines.add(`${p.name}==${p.version}`);
    }
  }
  if (lines.size === 0) return { ok: false, reason: 'no package with an exact version to audit' };
  return { ok: true, text: `${[...lines].sort().join('\n')}\n`, skipped };
}

/**
 * Parse pip-audit's JSON: 2.x `{dependencies, fixes}` or 1.x's bare array. Empty stdout (pip-audit
 * crashes with a traceback and exit 1 when the service fails) is a failure. pip-audit gives no
 * severity: `unknown` here, filled by the merge from other sources' records of the same ids.
 */
export function parsePipAudit(output: ToolOutput): ParseOutcome {
  const doc = readJsonDocument('pip-audit', output);
  if (!doc.ok) return { ok: false, reason: preferErrorLine(doc.reason, output) };
  const value = doc.value;
  let dependencies: JsonValue[];
  if (Array.isArray(value)) {
    dependencies = value;
  } else if (isJsonObject(value) && Object.hasOwn(value, 'bomFormat')) {
    return {
      ok: false,
      reason: 'pip-audit printed CycloneDX, not the JSON format (--format=json) supplyaudit reads',
    };
  } else if (isJsonObject(value) && Array.isArray(value['dependencies'])) {
    dependencies = value['dependencies'];
  } else {
    return {
      ok: false,
      reason: 'pip-audit printed JSON in a shape supplyaudit does not know (no dependencies)',
    };
  }
  const advisories: NativeAdvisory[] = [];
  const notes: string[] = [];
  for (const dep of dependencies) {
    if (!isJsonObject(dep)) continue;
    const name = getString(dep, 'name');
    if (name === undefined) continue;
    const skip = getString(dep, 'skip_reason');
    if (skip !== undefined) {
      notes.push(`pip-audit skipped ${name}: ${oneLine(skip)}`);
      continue;
    }
    const version = getString(dep, 'version');
    for (const vuln of objectArray(dep, 'vulns')) advisories.push(toAdvisory(name, version, vuln));
  }
  return notes.length === 0 ? { ok: true, advisories } : { ok: true, advisories, notes };
}

function toAdvisory(name: string, version: string | undefined, vuln: JsonObject): NativeAdvisory {
  const id = completeId(getString(vuln, 'id') ?? '');
  // `aliases` comes from a Python set: its order changes between runs, so it is sorted here.
  const aliases = stringArray(vuln, 'aliases').map(completeId).sort();
  return {
    ids: uniqueIds([id, ...aliases]),
    ecosystem: 'PyPI',
    packageName: name,
    ...(version === undefined ? {} : { version }),
    severity: 'unknown',
    title: oneLine(getString(vuln, 'description') ?? ''),
    fixedVersions: stringArray(vuln, 'fix_versions'),
    source: 'pip-audit',
    kind: 'vulnerability',
  };
}

const GHSA_BODY =
  /^[23456789cfghjmpqrvwx]{4}-[23456789cfghjmpqrvwx]{4}-[23456789cfghjmpqrvwx]{4}$/i;
const PREFIXED = /^(ghsa|pysec|cve|osv|gsd|pyup|mal)-/i;

/**
 * Ids as the merge compares them: known prefixes upper-cased (`ghsa-` → `GHSA-`, with the GHSA
 * body lower-cased as GitHub writes it) and a bare GHSA body given its prefix.
 */
export function completeId(id: string): string {
  const trimmed = id.trim();
  if (GHSA_BODY.test(trimmed)) return `GHSA-${trimmed.toLowerCase()}`;
  const m = PREFIXED.exec(trimmed);
  if (m?.[1] === undefined) return trimmed;
  const prefix = m[1].toUpperCase();
  const rest = trimmed.slice(m[0].length);
  return prefix === 'GHSA' ? `GHSA-${rest.toLowerCase()}` : `${prefix}-${rest}`;
}

/** pip-audit logs `ERROR:pip_audit...` lines; quote those over the warnings around them. */
function preferErrorLine(reason: string, output: ToolOutput): string {
  const errors = output.stderr
    .split('\n')
    .filter((l) => l.startsWith('ERROR:'))
    .map((l) => l.replace(/^ERROR:[\w.]{0,80}:/, '').trim());
  const last = errors.at(-1);
  if (last === undefined) return reason;
  const head = reason.split(': ')[0] ?? reason;
  return `${head}: ${oneLine(last)}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

function isRequirementsFile(lockfile: string): boolean {
  return REQUIREMENTS.test(basename(lockfile));
}

export const pipAuditAdapter = {
  source: 'pip-audit',
  ecosystem: 'PyPI',
  binary: 'pip-audit',
  versionArgs: ['--version'],
  // --disable-pip arrived in 2.6.0; --osv-url in 2.10.0 (checked in run when it is used).
  minVersion: '2.6.0',
  offlineBlocker(options: NativeToolOptions) {
    return options.osvUrl !== undefined && isLoopbackUrl(options.osvUrl)
      ? undefined
      : 'pip-audit needs PyPI or an OSV service';
  },
  applies(project: InventoriedProject) {
    const lockfile = project.lockfile;
    if (project.ecosystem !== 'PyPI' || lockfile === undefined) return false;
    return (
      isRequirementsFile(lockfile) ||
      (OTHER_LOCKFILES as readonly string[]).includes(basename(lockfile))
    );
  },
  async run(ctx: AdapterRunContext): Promise<ParseOutcome> {
    const lockfile = ctx.project.lockfile;
    if (lockfile === undefined) return { ok: false, reason: 'no lockfile' };
    if (
      ctx.options.osvUrl !== undefined &&
      ctx.toolVersion !== undefined &&
      compareDottedVersions(ctx.toolVersion, '2.10.0') < 0
    ) {
      return {
        ok: false,
        reason: `pip-audit ${ctx.toolVersion} cannot use an OSV URL (needs 2.10.0)`,
      };
    }
    // pip-audit always reads a file written here from the inventory, never the project's own
    // requirements file: that file may hold option lines (`-r /home/u/.ssh/id_rsa`, `--index-url`)
    // that would make pip-audit read files outside the repository and quote them in its errors,
    // which end up in reports. The inventory has already resolved includes inside the root.
    const generated = requirementsFromPackages(ctx.project.packages);
    if (!generated.ok) return { ok: true, advisories: [], notes: [generated.reason] };
    const requirements = join(ctx.tmpDir, `requirements-${randomBytes(6).toString('hex')}.txt`);
    // `wx`: never follow or overwrite a file planted under that name.
    await writeFile(requirements, generated.text, { mode: 0o600, flag: 'wx' });
    const notes =
      generated.skipped.length === 0
        ? []
        : [
            `not audited by pip-audit: ${generated.skipped.slice(0, 5).join(', ')}${generated.skipped.length > 5 ? ', ...' : ''}`,
          ];
    const result = await runCommand({
      file: ctx.toolPath,
      args: pipAuditArgs({
        requirements,
        ...(ctx.options.osvUrl === undefined ? {} : { osvUrl: ctx.options.osvUrl }),
      }),
      cwd: ctx.tmpDir,
      env: buildChildEnv(ctx.hostEnv, {
        extra: { PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1', ...ctx.options.env },
        forbiddenRoots: [ctx.root],
      }),
      timeoutMs: ctx.timeoutMs,
      secrets: secretValuesOf(ctx.options.env),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    const parsed = parsePipAudit(result);
    if (!parsed.ok || notes.length === 0) return parsed;
    return { ...parsed, notes: [...(parsed.notes ?? []), ...notes] };
  },
} satisfies AuditorAdapter;
