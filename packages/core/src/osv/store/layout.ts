// The database folder: a pointer file `current` naming one complete version folder, each with a
// manifest and, per ecosystem, records.jsonl + index.bin. Versions are never changed once built.
//
//   <db>/current              "v-20250101T000000Z-1a2b3c\n" (replaced by rename)
//   <db>/update.lock          held by the running update
//   <db>/v-…/manifest.json    schema version and per-ecosystem status
//   <db>/v-…/<Ecosystem>/records.jsonl, index.bin
//   <db>/.build-…, .download-…  work folders of an update (removed by the next one if killed)
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ECOSYSTEMS, type Ecosystem } from '../../model/index.js';
import { SupplyAuditError } from '../../errors.js';

/** Bump when the on-disk format changes; a database of another version must be rebuilt. */
export const STORE_SCHEMA_VERSION = 1;

export const POINTER_FILE = 'current';
export const LOCK_FILE = 'update.lock';
export const MANIFEST_FILE = 'manifest.json';
export const RECORDS_FILE = 'records.jsonl';
export const INDEX_FILE = 'index.bin';
export const VERSION_PREFIX = 'v-';
export const BUILD_PREFIX = '.build-';
export const DOWNLOAD_PREFIX = '.download-';

const VERSION_NAME = /^v-[0-9A-Za-z-]{1,80}$/;

export const SOURCE_FORMATS = ['osv-zip', 'osv-offline-nedb'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

const ecosystemManifestSchema = z.object({
  ecosystem: z.enum(ECOSYSTEMS),
  records: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  names: z.number().int().nonnegative(),
  skippedReasons: z.array(z.tuple([z.string(), z.number().int().nonnegative()])),
  source: z.string(),
  format: z.enum(SOURCE_FORMATS),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  archiveBytes: z.number().int().nonnegative(),
  importedAt: z.string(),
  recordsBytes: z.number().int().nonnegative(),
  indexBytes: z.number().int().nonnegative(),
});
export type EcosystemManifest = z.infer<typeof ecosystemManifestSchema>;

const manifestSchema = z.object({
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  ecosystems: z.array(ecosystemManifestSchema),
});
export type StoreManifest = z.infer<typeof manifestSchema>;

const schemaVersionOnly = z.object({ schemaVersion: z.number().int() });

export function ecosystemDir(versionDir: string, ecosystem: Ecosystem): string {
  return join(versionDir, ecosystem);
}

export function isVersionName(name: string): boolean {
  return VERSION_NAME.test(name);
}

/** The version folder `current` points at, or undefined when there is no database. */
export async function readPointer(dbDir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(dbDir, POINTER_FILE), 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
    throw new SupplyAuditError(
      'DB_INVALID',
      `${dbDir}: cannot read the database: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  const name = text.trim();
  if (!isVersionName(name)) {
    throw new SupplyAuditError(
      'DB_INVALID',
      `${join(dbDir, POINTER_FILE)}: damaged pointer file: run supplyaudit db update`,
    );
  }
  return name;
}

/** Point `current` at a version in one rename: readers see the old or the new, never a mix. */
export async function writePointer(dbDir: string, version: string, token: string): Promise<void> {
  const tmp = join(dbDir, `${POINTER_FILE}.${token}.tmp`);
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(`${version}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dbDir, POINTER_FILE));
  await syncDir(dbDir);
}

export async function readManifest(versionDir: string): Promise<StoreManifest> {
  const file = join(versionDir, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SupplyAuditError(
      'DB_INVALID',
      `${file}: damaged manifest (${describe(error)}): run supplyaudit db update`,
      {
        cause: error,
      },
    );
  }
  const version = schemaVersionOnly.safeParse(data);
  if (version.success && version.data.schemaVersion !== STORE_SCHEMA_VERSION) {
    throw new SupplyAuditError(
      'DB_INVALID',
      `${file}: database schema version ${String(version.data.schemaVersion)}, this supplyaudit reads version ${String(STORE_SCHEMA_VERSION)}: run supplyaudit db update`,
    );
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.')}: ${issue.message}`;
    throw new SupplyAuditError(
      'DB_INVALID',
      `${file}: damaged manifest${where}: run supplyaudit db update`,
    );
  }
  return parsed.data;
}

export async function writeManifest(versionDir: string, manifest: StoreManifest): Promise<void> {
  await writeFile(join(versionDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o644,
  });
}

/** fsync a directory so that a rename in it survives a power cut (no-op where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open directories; renames there are durable enough for a cache.
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

export function describe(error: unknown): string {
  if (error instanceof SupplyAuditError) return error.message;
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return code === undefined
      ? error.message
      : `${code}: ${error.message.replace(/^[A-Z]+: /, '')}`;
  }
  return String(error);
}
