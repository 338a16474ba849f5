// `supplyaudit explain ID`: one advisory from the offline database (found by its id or any alias),
// and the packages under --path that it affects. The store indexes records by package name only,
// so the advisory is looked up through the names of the packages found under --path; which of
// those versions it affects comes from a scan of the same tree with the same matching as `scan`.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import {
  ECOSYSTEMS,
  SupplyAuditError,
  inventory,
  loadConfig,
  openOsvStore,
  resolveDatabaseDir,
  scan,
  type Config,
  type Ecosystem,
  type Finding,
} from '@supplyaudit/core';
import { createColors } from 'picocolors';
import { registerCommand } from '../run.js';
import { colorEnabled, configFile, outputWidth, usageError } from './options.js';

export const EXPLAIN_FORMATS = ['table', 'json'] as const;

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
type EventKind = (typeof EVENT_KINDS)[number];
interface RangeEvent {
  readonly kind: EventKind;
  readonly value: string;
}
/** OSV's own shape: `{ "introduced": "0" }` */
type OsvEvent = Partial<Record<EventKind, string>>;
interface ExplainedRange {
  readonly type: string;
  readonly events: readonly OsvEvent[];
  /** `>=1.0.0 <1.2.6`, `all versions <2.0`, one interval per introduced event */
  readonly text: string;
}
interface ExplainedAffected {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly ranges: readonly ExplainedRange[];
  readonly versions: readonly string[];
}
export interface ExplainedAdvisory {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly details: string;
  readonly published?: string;
  readonly modified?: string;
  readonly withdrawn?: string;
  readonly severity: readonly { readonly type: string; readonly score: string }[];
  /** the database's own rating (GitHub's `database_specific.severity`), when it gives one */
  readonly databaseSeverity?: string;
  /** affected entries for packages found under --path only */
  readonly affected: readonly ExplainedAffected[];
  readonly fixedVersions: readonly string[];
  readonly references: readonly { readonly type: string; readonly url: string }[];
}
interface AffectedHere {
  readonly advisory: string;
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string | null;
  readonly purl: string;
  readonly severity: string;
  readonly score: number | null;
  readonly location: { readonly file: string; readonly line: number } | null;
  readonly paths: readonly (readonly string[])[];
  readonly fixedVersions: readonly string[];
  readonly ignored: { readonly reason: string; readonly expires: string | null } | null;
}
export interface Explanation {
  readonly query: string;
  readonly path: string;
  readonly advisories: readonly ExplainedAdvisory[];
  readonly affects: readonly AffectedHere[];
}

// --- reading untrusted OSV JSON without casts -------------------------------------------------

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function own(o: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}
function str(o: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = own(o, key);
  return typeof v === 'string' ? v : undefined;
}
function list(o: Readonly<Record<string, unknown>>, key: string): readonly unknown[] {
  const v = own(o, key);
  return Array.isArray(v) ? v : [];
}
function strings(o: Readonly<Record<string, unknown>>, key: string): string[] {
  return list(o, key).filter((v): v is string => typeof v === 'string');
}
/** Record text shown on a terminal: no escape sequences or other control characters. */
function clean(text: string, keepNewlines = false): string {
  return keepNewlines
    ? text.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\n]/gu, '')
    : text.replace(/[\r\n\t]+/g, ' ').replace(/\p{Cc}/gu, '');
}

export function normalizeName(ecosystem: Ecosystem, name: string): string {
  // PEP 503 for PyPI; names elsewhere compared without case, as the store's index does.
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase();
}

function baseEcosystem(value: string | undefined): Ecosystem | undefined {
  const base = value?.split(':')[0];
  return ECOSYSTEMS.find((e) => e === base);
}

/** ids of a raw record (its id and aliases), lower-cased for comparison */
function recordIds(raw: Readonly<Record<string, unknown>>): string[] {
  return [str(raw, 'id') ?? '', ...strings(raw, 'aliases')]
    .filter((id) => id !== '')
    .map((id) => id.toLowerCase());
}

function toOsvEvent(e: RangeEvent): OsvEvent {
  switch (e.kind) {
    case 'introduced':
      return { introduced: e.value };
    case 'fixed':
      return { fixed: e.value };
    case 'last_affected':
      return { last_affected: e.value };
    case 'limit':
      return { limit: e.value };
  }
}

export function describeEvents(events: readonly RangeEvent[]): string {
  const parts: string[] = [];
  let current: string[] = [];
  for (const e of events) {
    if (e.kind === 'introduced') {
      if (current.length > 0) parts.push(current.join(' '));
      current = [e.value === '0' ? 'all versions' : `>=${e.value}`];
    } else if (e.kind === 'fixed') current.push(`<${e.value}`);
    else if (e.kind === 'last_affected') current.push(`<=${e.value}`);
    else current.push(`<${e.value} (limit)`);
  }
  if (current.length > 0) parts.push(current.join(' '));
  return parts.join(', ');
}

/** The parts of one raw OSV record explain shows, affected entries kept to `here`'s names. */
export function explainRecord(
  raw: Readonly<Record<string, unknown>>,
  here: ReadonlyMap<Ecosystem, ReadonlySet<string>>,
): ExplainedAdvisory {
  const affected: ExplainedAffected[] = [];
  const fixed: string[] = [];
  for (const a of list(raw, 'affected')) {
    if (!isObject(a)) continue;
    const pkg = own(a, 'package');
    if (!isObject(pkg)) continue;
    const ecosystem = baseEcosystem(str(pkg, 'ecosystem'));
    const name = str(pkg, 'name');
    if (ecosystem === undefined || name === undefined) continue;
    if (!(here.get(ecosystem)?.has(normalizeName(ecosystem, name)) ?? false)) continue;
    const ranges: ExplainedRange[] = [];
    for (const r of list(a, 'ranges')) {
      if (!isObject(r)) continue;
      const events: RangeEvent[] = [];
      for (const e of list(r, 'events')) {
        if (!isObject(e)) continue;
        for (const kind of EVENT_KINDS) {
          const value = str(e, kind);
          if (value === undefined) continue;
          events.push({ kind, value: clean(value) });
          if (kind === 'fixed' && !fixed.includes(value)) fixed.push(clean(value));
        }
      }
      ranges.push({
        type: clean(str(r, 'type') ?? ''),
        events: events.map(toOsvEvent),
        text: describeEvents(events),
      });
    }
    affected.push({
      ecosystem,
      name: clean(name),
      ranges,
      versions: strings(a, 'versions').map((v) => clean(v)),
    });
  }
  const severity = list(raw, 'severity').flatMap((s) => {
    if (!isObject(s)) return [];
    const type = str(s, 'type');
    const score = str(s, 'score');
    return type === undefined || score === undefined
      ? []
      : [{ type: clean(type), score: clean(score) }];
  });
  const references = list(raw, 'references').flatMap((r) => {
    if (!isObject(r)) return [];
    const url = str(r, 'url');
    return url === undefined ? [] : [{ type: clean(str(r, 'type') ?? 'WEB'), url: clean(url) }];
  });
  const dbSpecific = own(raw, 'database_specific');
  const databaseSeverity = isObject(dbSpecific) ? str(dbSpecific, 'severity') : undefined;
  const published = str(raw, 'published');
  const modified = str(raw, 'modified');
  const withdrawn = str(raw, 'withdrawn');
  return {
    id: clean(str(raw, 'id') ?? ''),
    aliases: strings(raw, 'aliases').map((a) => clean(a)),
    summary: clean(str(raw, 'summary') ?? ''),
    details: clean(str(raw, 'details') ?? '', true).trim(),
    ...(published === undefined ? {} : { published: clean(published) }),
    ...(modified === undefined ? {} : { modified: clean(modified) }),
    ...(withdrawn === undefined ? {} : { withdrawn: clean(withdrawn) }),
    severity,
    ...(databaseSeverity === undefined ? {} : { databaseSeverity: clean(databaseSeverity) }),
    affected,
    fixedVersions: fixed,
    references,
  };
}

function affectedHere(f: Finding, advisory: string): AffectedHere {
  return {
    advisory,
    ecosystem: f.package?.ecosystem ?? 'npm',
    name: f.package?.name ?? '',
    version: f.package?.version ?? null,
    purl: f.package?.purl ?? '',
    severity: f.severity,
    score: f.cvss?.score ?? null,
    location: f.location === undefined ? null : { file: f.location.file, line: f.location.line },
    paths: f.paths,
    fixedVersions: f.fixedVersions,
    ignored:
      f.ignored === undefined
        ? null
        : { reason: f.ignored.reason, expires: f.ignored.expires ?? null },
  };
}

// --- rendering --------------------------------------------------------------------------------

function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (line !== '' && indent.length + line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(indent + line);
  }
  return out;
}

const DETAIL_LINES = 12;
const REFERENCES_SHOWN = 6;

export function renderExplanation(
  e: Explanation,
  options: { width: number; color: boolean },
): string {
  const c = createColors(options.color);
  const width = Math.max(40, options.width);
  const pad = (label: string) => `  ${label.padEnd(11)}`;
  const lines: string[] = [];
  const field = (label: string, values: readonly string[]) => {
    if (values.length === 0) return;
    const first = values[0] ?? '';
    const wrapped = wrap(first, width - pad('').length, '');
    lines.push(...wrapped.map((l, i) => (i === 0 ? pad(label) : pad('')) + l));
    for (const v of values.slice(1)) lines.push(pad('') + v);
  };
  for (const a of e.advisories) {
    const finding = e.affects.find((f) => f.advisory === a.id);
    lines.push(`${c.bold(a.id)}  ${a.summary}`);
    field('aliases', a.aliases.length === 0 ? [] : [a.aliases.join(', ')]);
    const rated =
      finding === undefined
        ? a.databaseSeverity === undefined
          ? []
          : [`${a.databaseSeverity.toLowerCase()} (as the database rates it)`]
        : [`${finding.severity}${finding.score === null ? '' : ` ${finding.score.toFixed(1)}`}`];
    field('severity', [...rated, ...a.severity.map((s) => `${s.type} ${s.score}`)]);
    const dates = [
      a.published === undefined ? '' : `published ${a.published.slice(0, 10)}`,
      a.modified === undefined ? '' : `modified ${a.modified.slice(0, 10)}`,
    ].filter((d) => d !== '');
    field('dates', dates.length === 0 ? [] : [dates.join(', ')]);
    if (a.withdrawn !== undefined) field('withdrawn', [a.withdrawn.slice(0, 10)]);
    field(
      'affected',
      a.affected.map((x) => {
        const ranges = x.ranges.map((r) => r.text).filter((t) => t !== '');
        const listed =
          x.versions.length === 0 ? '' : ` (${String(x.versions.length)} versions listed)`;
        return `${x.ecosystem} ${x.name}: ${ranges.length === 0 ? 'listed versions only' : ranges.join(', ')}${listed}`;
      }),
    );
    field(
      'fixed in',
      a.fixedVersions.length === 0 ? ['no fixed version'] : [a.fixedVersions.join(', ')],
    );
    const refs = a.references.map((r) => r.url);
    field(
      'references',
      refs.length > REFERENCES_SHOWN
        ? [
            ...refs.slice(0, REFERENCES_SHOWN),
            c.dim(`… ${String(refs.length - REFERENCES_SHOWN)} more (--format json lists them)`),
          ]
        : refs,
    );
    if (a.details !== '') {
      lines.push('');
      const details = wrap(a.details, width, '  ');
      lines.push(...details.slice(0, DETAIL_LINES));
      if (details.length > DETAIL_LINES) lines.push(c.dim('  … (--format json has the full text)'));
    }
    lines.push('');
  }
  if (e.affects.length === 0) {
    lines.push(`Affects no package under ${e.path}.`);
  } else {
    const n = e.affects.length;
    lines.push(`Affects ${String(n)} package${n === 1 ? '' : 's'} under ${e.path}:`);
    for (const f of e.affects) {
      const where = f.location === null ? '' : `  ${f.location.file}:${String(f.location.line)}`;
      const fix = f.fixedVersions.length === 0 ? '' : `  fixed in ${f.fixedVersions.join(', ')}`;
      const ignored = f.ignored === null ? '' : c.dim(`  (ignored: ${f.ignored.reason})`);
      lines.push(`  ${f.ecosystem} ${f.name}@${f.version ?? '?'}${where}${fix}${ignored}`);
      for (const p of f.paths.slice(0, 3)) lines.push(c.dim(`    ${p.join(' > ')}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

// --- the command ------------------------------------------------------------------------------

/** Scan settings that only ask the offline database, and nothing of the network. */
function offlineOsvOnly(config: Config): Config {
  return {
    ...config,
    sources: ['osv'],
    requiredSources: [],
    offline: true,
    osv: { ...config.osv, mode: 'offline' },
    checks: {
      pinning: { ...config.checks.pinning, enabled: false },
      lockfile: { ...config.checks.lockfile, enabled: false },
      license: { ...config.checks.license, enabled: false, online: false },
    },
  };
}

export async function explain(options: {
  readonly id: string;
  readonly path: string;
  readonly dbDir: string;
  readonly config: Config;
  /** the path as the user wrote it, for messages */
  readonly shownPath?: string;
}): Promise<Explanation> {
  const query = options.id.trim().toLowerCase();
  const inv = await inventory(options.path, {
    exclude: options.config.exclude,
    maxFileBytes: options.config.maxFileBytes,
  });
  const here = new Map<Ecosystem, Set<string>>();
  const names: [Ecosystem, string][] = [];
  for (const p of inv.projects) {
    for (const pkg of p.packages) {
      if (pkg.local === true) continue;
      const set = here.get(pkg.ecosystem) ?? new Set<string>();
      here.set(pkg.ecosystem, set);
      const key = normalizeName(pkg.ecosystem, pkg.name);
      if (set.has(key)) continue;
      set.add(key);
      names.push([pkg.ecosystem, pkg.name]);
    }
  }
  const store = await openOsvStore(options.dbDir);
  const found = new Map<string, Readonly<Record<string, unknown>>>();
  try {
    for (const [ecosystem, name] of names) {
      if (!store.has(ecosystem)) continue;
      for (const raw of await store.lookup(ecosystem, name)) {
        if (!isObject(raw) || !recordIds(raw).includes(query)) continue;
        const id = str(raw, 'id') ?? '';
        if (!found.has(id)) found.set(id, raw);
      }
    }
  } finally {
    await store.close();
  }
  if (found.size === 0) {
    throw usageError(
      `${options.id}: not in the offline database ${options.dbDir} for the ${String(names.length)} packages under ${options.shownPath ?? options.path} (explain finds advisories through the packages of the scanned tree; see --path)`,
    );
  }
  // The record named by the query first, then those that list it as an alias.
  const advisories = [...found.values()]
    .map((raw) => explainRecord(raw, here))
    .sort(
      (a, b) =>
        Number(b.id.toLowerCase() === query) - Number(a.id.toLowerCase() === query) ||
        a.id.localeCompare(b.id),
    );
  const report = await scan({
    path: options.path,
    config: offlineOsvOnly(options.config),
    dbDir: options.dbDir,
  });
  const affects: AffectedHere[] = [];
  for (const a of advisories) {
    const ids = new Set([a.id, ...a.aliases].map((i) => i.toLowerCase()));
    for (const f of report.findings) {
      if (f.kind !== 'vulnerability' && f.kind !== 'malicious') continue;
      if (![f.id, ...f.aliases].some((i) => ids.has(i.toLowerCase()))) continue;
      if (
        affects.some(
          (x) => x.purl === (f.package?.purl ?? '') && x.location?.file === f.location?.file,
        )
      )
        continue;
      affects.push(affectedHere(f, a.id));
    }
  }
  return { query: options.id, path: options.shownPath ?? options.path, advisories, affects };
}

registerCommand((cli, ctx) =>
  cli.command(
    'explain <id>',
    'Show one advisory (by id or alias) and the packages here it affects',
    (y) =>
      y
        .positional('id', {
          type: 'string',
          demandOption: true,
          description: 'An advisory id or alias: GHSA-…, CVE-…, PYSEC-…, RUSTSEC-…',
        })
        .option('path', {
          type: 'string',
          description: 'The tree whose packages to check (default: the current folder)',
        })
        .option('format', {
          choices: EXPLAIN_FORMATS,
          description: 'Output format (default: table on a terminal, json otherwise)',
        })
        .option('db', {
          type: 'string',
          description: 'Offline database folder (default: the user cache) [env SUPPLYAUDIT_DB]',
        })
        .example('$0 explain CVE-2021-23337', 'The lodash command injection, and where it is here')
        .example(
          '$0 explain GHSA-35jh-r3h4-6jhm --path examples/polyglot --format json',
          'As JSON',
        ),
    async (argv) => {
      const { io } = ctx;
      const env = io.env;
      if (argv.id.trim() === '' || argv.id.length > 200)
        throw usageError('explain: give an advisory id such as GHSA-35jh-r3h4-6jhm');
      const path = resolve(io.cwd, argv.path ?? '.');
      const explicit = configFile(argv, env);
      const { config } = await loadConfig(path, explicit === undefined ? {} : { explicit });
      const dbDir = resolveDatabaseDir({
        flag: argv.db,
        config: config.db,
        env,
        platform: process.platform,
        home: env['HOME'] ?? homedir(),
        cwd: io.cwd,
      });
      let explanation: Explanation;
      try {
        explanation = await explain({
          id: argv.id,
          path,
          dbDir,
          config,
          shownPath: argv.path ?? '.',
        });
      } catch (error) {
        if (error instanceof SupplyAuditError && error.code === 'DB_MISSING')
          throw new SupplyAuditError(
            'DB_MISSING',
            `${error.message} (explain reads only the offline database)`,
            { cause: error },
          );
        throw error;
      }
      const shown = explanation;
      const format = argv.format ?? (io.stdout.isTTY === true ? 'table' : 'json');
      io.stdout.write(
        format === 'json'
          ? `${JSON.stringify(shown, null, 2)}\n`
          : renderExplanation(shown, {
              width: outputWidth(io, false),
              color: colorEnabled(io, io.stdout),
            }),
      );
      ctx.exitCode = 0;
    },
  ),
);
