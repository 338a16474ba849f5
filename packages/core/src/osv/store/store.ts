// Reading the offline database: open the version `current` points at (file handles pin it even
// if an update replaces it meanwhile), load an ecosystem's index on its first lookup, and read
// each candidate record by its exact byte range. Reads are synchronous positioned reads (records
// are small and usually in the page cache: a thread-pool round trip per record costs far more
// than the read), and what was loaded is kept for the process (see `shared` below).
import { fstatSync, readSync } from 'node:fs';
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
  /**
   * Records with an affected package of that name in that ecosystem (parsed JSON, unvalidated),
   * in the order they are stored. The record objects are shared between lookups and stores of
   * the same database files: treat them as read-only.
   */
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
  /** what was loaded of these exact files, shared with other stores opened on them */
  loaded?: Loaded;
}

/** An ecosystem's loaded index and the records parsed so far (by byte offset). */
interface Loaded {
  readonly index: NameIndex;
  readonly records: Map<number, unknown>;
  /** JSON bytes of the records kept */
  recordBytes: number;
}

/**
 * What stores have loaded, kept for the process so that a second scan (or a second store on the
 * same database) neither reads the index again nor parses a record twice. Keyed by the identity
 * of the two files (device, inode, size, change time): version folders are never changed once
 * built, and a file replaced or damaged in place gets another key. Bounded: a few ecosystems'
 * indexes, and records up to RECORD_CACHE_BYTES of JSON in all.
 */
const shared = new Map<string, Loaded>();
const SHARED_ECOSYSTEMS = 8;
const RECORD_CACHE_BYTES = 32 * 1024 * 1024;
let cachedRecordBytes = 0;

function fileKey(handle: FileHandle): string {
  const s = fstatSync(handle.fd, { bigint: true });
  return `${String(s.dev)}:${String(s.ino)}:${String(s.size)}:${String(s.ctimeNs)}:${String(s.mtimeNs)}`;
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

  lookup(ecosystem: Ecosystem, name: string): Promise<unknown[]> {
    try {
      return Promise.resolve(this.lookupNow(ecosystem, name));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private lookupNow(ecosystem: Ecosystem, name: string): unknown[] {
    if (this.closed)
      throw new SupplyAuditError('DB_INVALID', `${this.dir}: the database is closed`);
    const o = this.opened.get(ecosystem);
    if (o === undefined) return [];
    const loaded = (o.loaded ??= this.load(ecosystem, o));
    const ranges = loaded.index.find(normalizePackageName(ecosystem, name));
    if (ranges.length === 0) return [];
    const out: unknown[] = [];
    const missing: RecordRange[] = [];
    for (const r of ranges) {
      const known = loaded.records.get(r.offset);
      if (known === undefined) missing.push(r);
      out.push(known);
    }
    if (missing.length > 0) {
      const parsed = this.readRecords(ecosystem, o, missing);
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i];
        if (out[i] !== undefined || r === undefined) continue;
        const value = parsed.get(r.offset);
        out[i] = value;
        if (cachedRecordBytes + r.length <= RECORD_CACHE_BYTES) {
          cachedRecordBytes += r.length;
          loaded.recordBytes += r.length;
          loaded.records.set(r.offset, value);
        }
      }
    }
    return out;
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

  private load(ecosystem: Ecosystem, o: Opened): Loaded {
    const key = `${fileKey(o.indexHandle)}/${fileKey(o.records)}`;
    const known = shared.get(key);
    if (known !== undefined) {
      // most recently used last
      shared.delete(key);
      shared.set(key, known);
      return known;
    }
    const file = join(this.dir, this.version, ecosystem, INDEX_FILE);
    const size = fstatSync(o.indexHandle.fd).size;
    const buf = Buffer.allocUnsafe(size);
    if (readFully(o.indexHandle.fd, buf, 0) !== size) {
      throw new SupplyAuditError(
        'DB_INVALID',
        `${file}: damaged index (cut short): run supplyaudit db update`,
      );
    }
    const loaded: Loaded = {
      index: new NameIndex(buf, o.recordsSize, file),
      records: new Map(),
      recordBytes: 0,
    };
    shared.set(key, loaded);
    for (const [k, old] of shared) {
      if (shared.size <= SHARED_ECOSYSTEMS) break;
      shared.delete(k);
      cachedRecordBytes -= old.recordBytes;
    }
    return loaded;
  }

  /**
   * Read and parse records, in file order; ranges that lie close together are read in one call.
   * Returns offset → record.
   */
  private readRecords(
    ecosystem: Ecosystem,
    o: Opened,
    ranges: readonly RecordRange[],
  ): Map<number, unknown> {
    const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
    const out = new Map<number, unknown>();
    const file = join(this.dir, this.version, ecosystem, RECORDS_FILE);
    let i = 0;
    while (i < sorted.length) {
      const first = sorted[i];
      if (first === undefined) break;
      let end = first.offset + first.length;
      let j = i + 1;
      for (; j < sorted.length; j++) {
        const next = sorted[j];
        if (next === undefined || next.offset - end > COALESCE_GAP) break;
        end = Math.max(end, next.offset + next.length);
        if (end - first.offset > COALESCE_MAX) break;
      }
      const buf = Buffer.allocUnsafe(end - first.offset);
      if (readFully(o.records.fd, buf, first.offset) !== buf.length) {
        throw new SupplyAuditError(
          'DB_INVALID',
          `${file}: record at byte ${String(first.offset)} is cut short: run supplyaudit db update`,
        );
      }
      for (let k = i; k < j; k++) {
        const r = sorted[k];
        if (r === undefined || out.has(r.offset)) continue;
        const start = r.offset - first.offset;
        try {
          const value: unknown = JSON.parse(buf.toString('utf8', start, start + r.length));
          out.set(r.offset, value);
        } catch (cause) {
          throw new SupplyAuditError(
            'DB_INVALID',
            `${file}: damaged record at byte ${String(r.offset)}: run supplyaudit db update`,
            { cause },
          );
        }
      }
      i = j;
    }
    return out;
  }
}

/** Ranges this close are read together (one system call instead of two). */
const COALESCE_GAP = 16 * 1024;
const COALESCE_MAX = 1024 * 1024;

/** Read until `buf` is full or the file ends; returns the bytes read. */
function readFully(fd: number, buf: Buffer, position: number): number {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
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
