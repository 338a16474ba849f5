// Reading the offline database: open the version `current` points at (file handles pin it even
// if an update replaces it meanwhile), load an ecosystem's index on its first lookup, and read
// each candidate record by its exact byte range.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SupplyAuditError } from '../../errors.js';
import { ECOSYSTEMS, type Ecosystem } from '../../model/index.js';
import { NameIndex, type RecordRange } from './index-format.js';
import {
  INDEX_FILE,
  RECORDS_FILE,
  STORE_SCHEMA_VERSION,
  describe,
  ecosystemDir,
  isErrno,
  readManifest,
  readPointer,
  type EcosystemManifest,
  type SourceFormat,
} from './layout.js';
import { normalizePackageName } from './names.js';

export interface EcosystemStatus {
  readonly ecosystem: Ecosystem;
  readonly records: number;
  readonly skipped: number;
  /** why records were skipped, most frequent first */
  readonly skippedReasons: readonly (readonly [string, number])[];
  readonly names: number;
  readonly source: string;
  readonly format: SourceFormat;
  /** sha256 of the imported archive */
  readonly sha256: string;
  readonly importedAt: string;
  readonly schemaVersion: number;
}

export interface StoreStatus {
  readonly dir: string;
  readonly version: string;
  readonly schemaVersion: number;
  readonly ecosystems: readonly EcosystemStatus[];
}

export interface OsvStore {
  /** Records with an affected package of that name in that ecosystem (parsed JSON, unvalidated). */
  lookup(ecosystem: Ecosystem, name: string): Promise<unknown[]>;
  /** true when the database holds data for the ecosystem */
  has(ecosystem: Ecosystem): boolean;
  status(): StoreStatus;
  close(): Promise<void>;
}

interface Opened {
  readonly manifest: EcosystemManifest;
  readonly records: FileHandle;
  readonly recordsSize: number;
  readonly indexHandle: FileHandle;
  index?: Promise<NameIndex>;
}

/** Open the database in `dir`. DB_MISSING when there is none, DB_INVALID when unreadable. */
export async function openOsvStore(dir: string): Promise<OsvStore> {
  // An update may delete the version we just read the pointer of; read it again then.
  for (let attempt = 0; ; attempt++) {
    try {
      return await openOnce(dir);
    } catch (error) {
      if (attempt < 3 && error instanceof VersionGone) continue;
      if (error instanceof VersionGone) {
        throw new SupplyAuditError(
          'DB_INVALID',
          `${dir}: the database changed while opening it; try again`,
        );
      }
      throw error;
    }
  }
}

class VersionGone extends Error {}

async function openOnce(dir: string): Promise<OsvStore> {
  const version = await readPointer(dir);
  if (version === undefined) {
    throw new SupplyAuditError('DB_MISSING', `${dir}: no OSV database: run supplyaudit db update`);
  }
  const versionDir = join(dir, version);
  let manifest;
  try {
    manifest = await readManifest(versionDir);
  } catch (error) {
    if (error instanceof SupplyAuditError && (await readPointer(dir)) !== version)
      throw new VersionGone();
    throw error;
  }
  const opened = new Map<Ecosystem, Opened>();
  try {
    for (const m of manifest.ecosystems) {
      const folder = ecosystemDir(versionDir, m.ecosystem);
      const records = await openFile(join(folder, RECORDS_FILE));
      try {
        const indexHandle = await openFile(join(folder, INDEX_FILE));
        opened.set(m.ecosystem, {
          manifest: m,
          records,
          recordsSize: (await records.stat()).size,
          indexHandle,
        });
      } catch (error) {
        await records.close();
        throw error;
      }
    }
  } catch (error) {
    for (const o of opened.values()) {
      await o.records.close();
      await o.indexHandle.close();
    }
    throw error;
  }
  return new Store(dir, version, opened);
}

async function openFile(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new VersionGone();
    throw new SupplyAuditError(
      'DB_INVALID',
      `${file}: ${describe(error)}: run supplyaudit db update`,
      { cause: error },
    );
  }
}

class Store implements OsvStore {
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly version: string,
    private readonly opened: Map<Ecosystem, Opened>,
  ) {}

  has(ecosystem: Ecosystem): boolean {
    return this.opened.has(ecosystem);
  }

  async lookup(ecosystem: Ecosystem, name: string): Promise<unknown[]> {
    if (this.closed)
      throw new SupplyAuditError('DB_INVALID', `${this.dir}: the database is closed`);
    const o = this.opened.get(ecosystem);
    if (o === undefined) return [];
    o.index ??= this.loadIndex(ecosystem, o);
    const ranges = (await o.index).find(normalizePackageName(ecosystem, name));
    if (ranges.length === 0) return [];
    return await Promise.all(ranges.map((r) => this.readRecord(ecosystem, o, r)));
  }

  status(): StoreStatus {
    const ecosystems = ECOSYSTEMS.flatMap((e) => {
      const m = this.opened.get(e)?.manifest;
      if (m === undefined) return [];
      return [
        {
          ecosystem: e,
          records: m.records,
          skipped: m.skipped,
          skippedReasons: m.skippedReasons,
          names: m.names,
          source: m.source,
          format: m.format,
          sha256: m.sha256,
          importedAt: m.importedAt,
          schemaVersion: STORE_SCHEMA_VERSION,
        },
      ];
    });
    return {
      dir: this.dir,
      version: this.version,
      schemaVersion: STORE_SCHEMA_VERSION,
      ecosystems,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const o of this.opened.values()) {
      await o.records.close().catch(() => undefined);
      await o.indexHandle.close().catch(() => undefined);
    }
  }

  private async loadIndex(ecosystem: Ecosystem, o: Opened): Promise<NameIndex> {
    const file = join(this.dir, this.version, ecosystem, INDEX_FILE);
    const buf = await o.indexHandle.readFile();
    return new NameIndex(buf, o.recordsSize, file);
  }

  private async readRecord(ecosystem: Ecosystem, o: Opened, r: RecordRange): Promise<unknown> {
    const buf = Buffer.allocUnsafe(r.length);
    const { bytesRead } = await o.records.read(buf, 0, r.length, r.offset);
    const file = join(this.dir, this.version, ecosystem, RECORDS_FILE);
    if (bytesRead !== r.length) {
      throw new SupplyAuditError(
        'DB_INVALID',
        `${file}: record at byte ${String(r.offset)} is cut short: run supplyaudit db update`,
      );
    }
    try {
      return JSON.parse(buf.toString('utf8')) as unknown;
    } catch (cause) {
      throw new SupplyAuditError(
        'DB_INVALID',
        `${file}: damaged record at byte ${String(r.offset)}: run supplyaudit db update`,
        {
          cause,
        },
      );
    }
  }
}

/** "3 h", "2 d", or "in the future" when the clock disagrees with the import time. */
export function describeAge(importedAt: string, now: Date): string {
  const then = Date.parse(importedAt);
  if (Number.isNaN(then)) return 'unknown';
  const ms = now.getTime() - then;
  if (ms < -60_000) return 'in the future (check the clock)';
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${String(minutes)} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${String(hours)} h`;
  return `${String(Math.round(hours / 24))} d`;
}
