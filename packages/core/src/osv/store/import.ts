// `db update`: fetch or read OSV archives, build a new version folder beside the current one,
// verify it, and switch the pointer in one rename. Killed at any point, the previous database
// keeps working; the next update clears the leftovers.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SupplyAuditError } from '../../errors.js';
import { downloadToFile, type DownloadOptions } from '../../http/download.js';
import { readZip, type ZipLimits } from '../../decode/zip.js';
import { ECOSYSTEMS, type Diagnostic, type Ecosystem } from '../../model/index.js';
import { buildEcosystem } from './build.js';
import { NameIndex } from './index-format.js';
import {
  BUILD_PREFIX,
  DOWNLOAD_PREFIX,
  INDEX_FILE,
  RECORDS_FILE,
  STORE_SCHEMA_VERSION,
  VERSION_PREFIX,
  describe,
  ecosystemDir,
  isErrno,
  readManifest,
  readPointer,
  syncDir,
  writeManifest,
  writePointer,
  type EcosystemManifest,
  type SourceFormat,
  type StoreManifest,
} from './layout.js';
import { acquireUpdateLock, type LockOptions } from './lock.js';
import { baseEcosystem } from './names.js';
import { own, ownArray } from './records.js';

/** Where osv.dev publishes its per-ecosystem exports (`<base>/<Ecosystem>/all.zip`). */
export const OSV_EXPORT_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

/** Renovate's osv-offline bundle names its NeDB files after the lowercased ecosystem. */
const NEDB_FILES: Record<Ecosystem, string> = {
  npm: 'npm.nedb',
  PyPI: 'pypi.nedb',
  'crates.io': 'crates.io.nedb',
  RubyGems: 'rubygems.nedb',
};

export const IMPORT_STEPS = ['locked', 'acquired', 'built', 'verified', 'switched'] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number];

export interface ImportOptions {
  readonly dbDir: string;
  /** a folder laid out as `<Ecosystem>/all.zip`, one zip or .nedb file, or an https URL (a
   * mirror base, or one `.zip`); default: the osv.dev exports */
  readonly from?: string | undefined;
  /** default: all four; with one FILE, the ecosystem of that file */
  readonly ecosystems?: readonly Ecosystem[] | undefined;
  readonly now?: Date | undefined;
  readonly download?: DownloadOptions | undefined;
  readonly lock?: LockOptions | undefined;
  readonly limits?: Partial<ZipLimits> | undefined;
  /** called after each step (tests use it to interrupt an update at a known point) */
  readonly onStep?: ((step: ImportStep) => Promise<void> | void) | undefined;
}

export interface ImportSummary {
  readonly dbDir: string;
  readonly version: string;
  /** the ecosystems imported by this update */
  readonly ecosystems: EcosystemManifest[];
  /** ecosystems carried over unchanged from the previous version */
  readonly kept: Ecosystem[];
  readonly diagnostics: Diagnostic[];
  readonly durationMs: number;
}

interface Acquired {
  readonly ecosystem: Ecosystem;
  readonly file: string;
  readonly format: SourceFormat;
  readonly entryName?: string | undefined;
  readonly source: string;
  readonly sha256: string;
  readonly bytes: number;
}

export async function importOsv(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const dbDir = options.dbDir;
  const token = randomBytes(6).toString('hex');
  const step = async (s: ImportStep): Promise<void> => {
    await options.onStep?.(s);
  };
  for (const e of options.ecosystems ?? []) {
    if (!(ECOSYSTEMS as readonly string[]).includes(e)) {
      throw new SupplyAuditError(
        'USAGE',
        `unknown ecosystem ${JSON.stringify(e)}; known: ${ECOSYSTEMS.join(', ')}`,
      );
    }
  }
  await writable(dbDir, () => mkdir(dbDir, { recursive: true }));
  const lock = await acquireUpdateLock(dbDir, options.lock);
  const buildDir = join(dbDir, `${BUILD_PREFIX}${token}`);
  const downloadDir = join(dbDir, `${DOWNLOAD_PREFIX}${token}`);
  try {
    await step('locked');
    await removeLeftovers(dbDir);
    const previousVersion = await readPointer(dbDir);
    const acquired = await acquire(options, downloadDir);
    await step('acquired');

    const diagnostics: Diagnostic[] = [];
    const built: EcosystemManifest[] = [];
    await writable(dbDir, () => mkdir(buildDir));
    for (const a of acquired) {
      const outDir = ecosystemDir(buildDir, a.ecosystem);
      const result = await writable(dbDir, () =>
        buildEcosystem({
          ecosystem: a.ecosystem,
          archive: a.file,
          format: a.format,
          entryName: a.entryName,
          outDir,
          label: a.source,
          limits: options.limits,
        }),
      );
      // Verify before anything points at it: every record counted, the index readable and whole.
      if (a.format === 'osv-zip' && result.units !== result.records + result.skipped) {
        throw new SupplyAuditError(
          'DB_INVALID',
          `${a.source}: ${String(result.units)} records read but ${String(result.records)} stored and ${String(result.skipped)} skipped`,
        );
      }
      if (result.units === 0) {
        throw new SupplyAuditError('PARSE_FAILED', `${a.source}: no OSV records in the archive`);
      }
      await verifyEcosystem(outDir, result.names, result.recordsBytes);
      diagnostics.push(...result.diagnostics);
      built.push({
        ecosystem: a.ecosystem,
        records: result.records,
        skipped: result.skipped,
        names: result.names,
        skippedReasons: result.skippedReasons,
        source: a.source,
        format: a.format,
        sha256: a.sha256,
        archiveBytes: a.bytes,
        importedAt: now.toISOString(),
        recordsBytes: result.recordsBytes,
        indexBytes: result.indexBytes,
      });
    }
    await step('built');

    const kept = await carryOver(dbDir, previousVersion, buildDir, built, diagnostics);
    const ecosystems = [...built, ...kept].sort(
      (a, b) => ECOSYSTEMS.indexOf(a.ecosystem) - ECOSYSTEMS.indexOf(b.ecosystem),
    );
    const manifest: StoreManifest = {
      schemaVersion: STORE_SCHEMA_VERSION,
      createdAt: now.toISOString(),
      ecosystems,
    };
    const version = `${VERSION_PREFIX}${now.toISOString().replace(/[-:.]/g, '')}-${token}`;
    await writable(dbDir, async () => {
      await writeManifest(buildDir, manifest);
      await syncDir(buildDir);
      await rename(buildDir, join(dbDir, version));
      await syncDir(dbDir);
    });
    await step('verified');

    if (!(await lock.isHeld())) {
      throw new SupplyAuditError(
        'DB_LOCKED',
        `${dbDir}: the update lock was taken over by another update; this one was not applied`,
      );
    }
    await writable(dbDir, () => writePointer(dbDir, version, token));
    await step('switched');
    await removeOldVersions(dbDir, version, previousVersion);
    return {
      dbDir,
      version,
      ecosystems: built,
      kept: kept.map((k) => k.ecosystem),
      diagnostics,
      durationMs: Date.now() - started,
    };
  } finally {
    await rm(buildDir, { recursive: true, force: true }).catch(() => undefined);
    await rm(downloadDir, { recursive: true, force: true }).catch(() => undefined);
    await lock.release().catch(() => undefined);
  }
}

/** Run a filesystem step; errno failures become one-line DB_WRITE_FAILED messages. */
async function writable<T>(dbDir: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SupplyAuditError) throw error;
    if (error instanceof Error && 'code' in error) {
      throw new SupplyAuditError(
        'DB_WRITE_FAILED',
        `${dbDir}: cannot write the database: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function verifyEcosystem(outDir: string, names: number, recordsBytes: number): Promise<void> {
  const size = (await stat(join(outDir, RECORDS_FILE))).size;
  const index = new NameIndex(
    await readFile(join(outDir, INDEX_FILE)),
    size,
    join(outDir, INDEX_FILE),
  );
  if (size !== recordsBytes || index.nameCount !== names) {
    throw new SupplyAuditError(
      'DB_INVALID',
      `${outDir}: the built store does not match what was written`,
    );
  }
}

/** Link (or copy) the ecosystems this update does not touch from the previous version. */
async function carryOver(
  dbDir: string,
  previousVersion: string | undefined,
  buildDir: string,
  built: readonly EcosystemManifest[],
  diagnostics: Diagnostic[],
): Promise<EcosystemManifest[]> {
  if (previousVersion === undefined) return [];
  const previousDir = join(dbDir, previousVersion);
  let previous: StoreManifest;
  try {
    previous = await readManifest(previousDir);
  } catch (error) {
    diagnostics.push({
      level: 'warning',
      file: dbDir,
      message: `the previous database is not kept: ${describe(error)}`,
      code: 'DB_INVALID',
    });
    return [];
  }
  const kept: EcosystemManifest[] = [];
  for (const eco of previous.ecosystems) {
    if (built.some((b) => b.ecosystem === eco.ecosystem)) continue;
    const from = ecosystemDir(previousDir, eco.ecosystem);
    const to = ecosystemDir(buildDir, eco.ecosystem);
    await writable(dbDir, async () => {
      await mkdir(to, { recursive: true });
      for (const file of [RECORDS_FILE, INDEX_FILE]) {
        await link(join(from, file), join(to, file)).catch(async () => {
          await copyFile(join(from, file), join(to, file));
        });
      }
    });
    kept.push(eco);
  }
  return kept;
}

/** Work folders of killed updates (we hold the lock, so nobody else is using them). */
async function removeLeftovers(dbDir: string): Promise<void> {
  for (const name of await readdir(dbDir)) {
    if (
      name.startsWith(BUILD_PREFIX) ||
      name.startsWith(DOWNLOAD_PREFIX) ||
      /^current\..*\.tmp$/.test(name)
    ) {
      await rm(join(dbDir, name), { recursive: true, force: true });
    }
  }
}

/** Keep the new version and the one just replaced (a reader may have opened it a moment ago). */
async function removeOldVersions(
  dbDir: string,
  current: string,
  previous: string | undefined,
): Promise<void> {
  for (const name of await readdir(dbDir).catch(() => [])) {
    if (!name.startsWith(VERSION_PREFIX) || name === current || name === previous) continue;
    await rm(join(dbDir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

async function acquire(options: ImportOptions, downloadDir: string): Promise<Acquired[]> {
  const from = options.from;
  const explicit = options.ecosystems;
  if (from === undefined || /^https?:\/\//i.test(from)) {
    const base = (from ?? OSV_EXPORT_BASE_URL).replace(/\/+$/, '');
    await mkdir(downloadDir, { recursive: true });
    if (base.toLowerCase().endsWith('.zip')) {
      const file = join(downloadDir, 'download.zip');
      const got = await download(base, file, options.download);
      return await inspectFile(file, got.url, explicit, got);
    }
    const out: Acquired[] = [];
    for (const ecosystem of explicit ?? ECOSYSTEMS) {
      const url = `${base}/${ecosystem}/all.zip`;
      const file = join(downloadDir, `${ecosystem}.zip`);
      const got = await download(url, file, options.download);
      out.push({
        ecosystem,
        file,
        format: 'osv-zip',
        source: got.url,
        sha256: got.sha256,
        bytes: got.bytes,
      });
    }
    return out;
  }
  let info;
  try {
    info = await stat(from);
  } catch (error) {
    throw new SupplyAuditError(
      'USAGE',
      `--from ${from}: ${isErrno(error, 'ENOENT') ? 'no such file or folder' : describe(error)}`,
    );
  }
  if (info.isFile()) return await inspectFile(from, from, explicit, undefined);
  if (!info.isDirectory())
    throw new SupplyAuditError('USAGE', `--from ${from}: not a file or folder`);
  const found: Acquired[] = [];
  const missing: Ecosystem[] = [];
  for (const ecosystem of explicit ?? ECOSYSTEMS) {
    const file = join(from, ecosystem, 'all.zip');
    const exists = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) {
      missing.push(ecosystem);
      continue;
    }
    const { sha256, bytes } = await hashFile(file);
    found.push({ ecosystem, file, format: 'osv-zip', source: file, sha256, bytes });
  }
  if (found.length === 0) {
    const bundle = join(from, 'osv-offline.zip');
    if (
      await stat(bundle).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return await inspectFile(bundle, bundle, explicit, undefined);
    throw new SupplyAuditError(
      'USAGE',
      `--from ${from}: no <Ecosystem>/all.zip inside (expected a folder laid out like the osv.dev exports, e.g. npm/all.zip)`,
    );
  }
  if (explicit !== undefined && missing.length > 0) {
    throw new SupplyAuditError(
      'USAGE',
      `--from ${from}: no ${missing.map((m) => `${m}/all.zip`).join(', ')} inside`,
    );
  }
  return found;
}

async function download(
  url: string,
  file: string,
  options: DownloadOptions | undefined,
): Promise<{ url: string; sha256: string; bytes: number }> {
  const magic = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];
  const result = await downloadToFile(url, file, { ...options, magic });
  return { url: result.url, sha256: result.sha256, bytes: result.bytes };
}

/** One local file: an OSV zip (ecosystem given or detected), a Renovate bundle, or a .nedb file. */
async function inspectFile(
  file: string,
  source: string,
  explicit: readonly Ecosystem[] | undefined,
  hashed: { sha256: string; bytes: number } | undefined,
): Promise<Acquired[]> {
  const { sha256, bytes } = hashed ?? (await hashFile(file));
  const nedbEcosystem = ECOSYSTEMS.find((e) => basename(file).toLowerCase() === NEDB_FILES[e]);
  if (nedbEcosystem !== undefined) {
    return [{ ecosystem: nedbEcosystem, file, format: 'osv-offline-nedb', source, sha256, bytes }];
  }
  const nedbEntries = new Map<Ecosystem, string>();
  const seen = new Map<Ecosystem, number>();
  let sampled = 0;
  await readZip(
    file,
    async (entry, reader) => {
      const eco = ECOSYSTEMS.find((e) => entry.name.toLowerCase() === NEDB_FILES[e]);
      if (eco !== undefined) nedbEntries.set(eco, entry.name);
      if (sampled >= 50 || entry.isDirectory || !entry.name.toLowerCase().endsWith('.json')) return;
      if (entry.size > 4 * 1024 * 1024) return;
      sampled++;
      const data: unknown = parseOrUndefined(await reader.readBytes());
      for (const e of affectedEcosystems(data)) seen.set(e, (seen.get(e) ?? 0) + 1);
    },
    { label: source },
  );
  if (nedbEntries.size > 0) {
    const wanted = (explicit ?? ECOSYSTEMS).filter((e) => nedbEntries.has(e));
    if (wanted.length === 0) {
      throw new SupplyAuditError(
        'USAGE',
        `${source}: the osv-offline bundle holds none of ${(explicit ?? ECOSYSTEMS).join(', ')}`,
      );
    }
    return wanted.map((ecosystem) => ({
      ecosystem,
      file,
      format: 'osv-offline-nedb' as const,
      entryName: nedbEntries.get(ecosystem),
      source: `${source}!${nedbEntries.get(ecosystem) ?? ''}`,
      sha256,
      bytes,
    }));
  }
  if (explicit !== undefined && explicit.length > 1) {
    throw new SupplyAuditError(
      'USAGE',
      `${source}: one OSV zip holds one ecosystem; pass one --ecosystem`,
    );
  }
  let ecosystem = explicit?.[0];
  if (ecosystem === undefined) {
    const ranked = [...seen].sort((a, b) => b[1] - a[1]);
    ecosystem = ranked[0]?.[0];
  }
  if (ecosystem === undefined) {
    throw new SupplyAuditError(
      'USAGE',
      `${source}: cannot tell which ecosystem this zip holds; pass --ecosystem`,
    );
  }
  return [{ ecosystem, file, format: 'osv-zip', source, sha256, bytes }];
}

function parseOrUndefined(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function affectedEcosystems(data: unknown): Set<Ecosystem> {
  const out = new Set<Ecosystem>();
  if (typeof data !== 'object' || data === null) return out;
  const affected = ownArray(data, 'affected');
  if (affected === undefined) return out;
  for (const a of affected) {
    if (typeof a !== 'object' || a === null) continue;
    const pkg = own(a, 'package');
    if (typeof pkg !== 'object' || pkg === null) continue;
    const eco = own(pkg, 'ecosystem');
    if (typeof eco !== 'string') continue;
    const found = ECOSYSTEMS.find((e) => e === baseEcosystem(eco));
    if (found !== undefined) out.add(found);
  }
  return out;
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      bytes += buf.length;
      hash.update(buf);
    }
  } catch (error) {
    throw new SupplyAuditError('FILE_UNREADABLE', `${file}: cannot read: ${describe(error)}`, {
      cause: error,
    });
  }
  return { sha256: hash.digest('hex'), bytes };
}
