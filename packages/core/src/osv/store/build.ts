// Building one ecosystem's store from an archive: records appended to records.jsonl as they are
// read, names collected in memory, and the sorted index written at the end.
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SupplyAuditError } from '../../errors.js';
import { readZip, type ZipLimits } from '../../decode/zip.js';
import type { Diagnostic, Ecosystem } from '../../model/index.js';
import { encodeIndex } from './index-format.js';
import { INDEX_FILE, RECORDS_FILE, type SourceFormat } from './layout.js';
import {
  MAX_RECORD_BYTES,
  classifyRecord,
  classifyRecordBytes,
  classifyScanned,
  own,
  type Classified,
  type Keyed,
} from './records.js';
import { scanRecord } from './scan-json.js';

export interface BuildInput {
  readonly ecosystem: Ecosystem;
  /** local file: an OSV zip, a Renovate osv-offline zip, or a bare .nedb file */
  readonly archive: string;
  readonly format: SourceFormat;
  /** for a Renovate zip: the entry holding this ecosystem (e.g. `npm.nedb`) */
  readonly entryName?: string | undefined;
  readonly outDir: string;
  readonly label: string;
  readonly limits?: Partial<ZipLimits> | undefined;
  readonly maxDiagnostics?: number;
}

export interface BuildResult {
  readonly records: number;
  readonly skipped: number;
  readonly names: number;
  readonly skippedReasons: [string, number][];
  readonly recordsBytes: number;
  readonly indexBytes: number;
  /** record-bearing units read: `.json` entries, or data lines of a .nedb file */
  readonly units: number;
  readonly diagnostics: Diagnostic[];
}

export async function buildEcosystem(input: BuildInput): Promise<BuildResult> {
  await mkdir(input.outDir, { recursive: true });
  const builder = await EcosystemBuilder.create(input);
  try {
    if (input.format === 'osv-zip') await readOsvZip(input, builder);
    else await readNedb(input, builder);
    return await builder.finish();
  } finally {
    await builder.abandon();
  }
}

async function readOsvZip(input: BuildInput, builder: EcosystemBuilder): Promise<void> {
  await readZip(
    input.archive,
    async (entry, reader) => {
      if (entry.isDirectory || !entry.name.toLowerCase().endsWith('.json')) return;
      builder.units++;
      if (entry.size > MAX_RECORD_BYTES) {
        builder.skip(entry.name, undefined, `over ${String(MAX_RECORD_BYTES)} bytes`);
        return;
      }
      const bytes = await reader.readBytes(MAX_RECORD_BYTES);
      // The record is checked and written, minified, straight into the write buffer.
      const at = builder.reserve(bytes.length + 1);
      const scanned = scanRecord(bytes, builder.pending, at);
      if (scanned.kind === 'too-deep') {
        builder.add(entry.name, classifyRecordBytes(bytes, input.ecosystem));
      } else if (scanned.kind === 'invalid') {
        builder.skip(entry.name, undefined, scanned.reason);
      } else {
        builder.addWritten(
          entry.name,
          classifyScanned(scanned.record, input.ecosystem),
          scanned.record.length,
        );
      }
      await builder.drain();
    },
    { label: input.label, limits: input.limits ?? {} },
  );
}

async function readNedb(input: BuildInput, builder: EcosystemBuilder): Promise<void> {
  if (input.entryName === undefined) {
    await readNedbLines(input, builder, createReadStream(input.archive));
    return;
  }
  const state = { found: false };
  await readZip(
    input.archive,
    async (entry, reader) => {
      if (entry.name !== input.entryName) return;
      state.found = true;
      await readNedbLines(input, builder, await reader.openStream());
    },
    { label: input.label, limits: input.limits ?? {} },
  );
  if (!state.found) {
    throw new SupplyAuditError('PARSE_FAILED', `${input.label}: no entry ${input.entryName}`);
  }
}

/**
 * NeDB's file format (what @renovatebot/osv-offline ships): one JSON document per line, each
 * with an `_id`; a later line with the same `_id` replaces the earlier one, `{"$$deleted":true}`
 * removes it, `{"$$indexCreated":…}` lines describe indexes.
 */
async function readNedbLines(
  input: BuildInput,
  builder: EcosystemBuilder,
  stream: Readable,
): Promise<void> {
  let line = 0;
  const handle = (bytes: Buffer): void => {
    line++;
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0x0d)) return;
    const where = `line ${String(line)}`;
    let data: unknown;
    try {
      data = JSON.parse(bytes.toString('utf8'));
    } catch {
      builder.units++;
      builder.skip(where, undefined, 'invalid JSON');
      return;
    }
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      if (own(data, '$$indexCreated') !== undefined) return;
      const nedbId = own(data, '_id');
      if (own(data, '$$deleted') === true) {
        if (typeof nedbId === 'string') builder.deleteByKey(nedbId);
        return;
      }
      const record = Object.fromEntries(Object.entries(data).filter(([k]) => k !== '_id'));
      builder.units++;
      builder.add(
        where,
        classifyRecord(record, input.ecosystem, JSON.stringify(record)),
        typeof nedbId === 'string' ? nedbId : undefined,
      );
      return;
    }
    builder.units++;
    builder.skip(where, undefined, 'not a JSON object');
  };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  try {
    for await (const chunk of stream) {
      let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      for (;;) {
        const nl = buf.indexOf(0x0a);
        if (nl === -1) break;
        const part = buf.subarray(0, nl);
        if (oversized) {
          line++;
          builder.units++;
          builder.skip(`line ${String(line)}`, undefined, `over ${String(MAX_RECORD_BYTES)} bytes`);
        } else handle(pending.length === 0 ? part : Buffer.concat([...pending, part]));
        pending = [];
        pendingBytes = 0;
        oversized = false;
        buf = buf.subarray(nl + 1);
      }
      if (buf.length > 0 && !oversized) {
        pending.push(Buffer.from(buf));
        pendingBytes += buf.length;
        if (pendingBytes > MAX_RECORD_BYTES) {
          oversized = true;
          pending = [];
          pendingBytes = 0;
        }
      }
    }
  } catch (error) {
    if (error instanceof SupplyAuditError) throw error;
    throw new SupplyAuditError(
      'FILE_UNREADABLE',
      `${input.label}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (pendingBytes > 0) handle(Buffer.concat(pending));
}

/** Records are gathered in buffers of this size and written one buffer at a time. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/** Appends records and remembers, per record, its names; writes the index at the end. */
class EcosystemBuilder {
  units = 0;
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  /** per record: its names, or undefined once superseded or deleted */
  private readonly names: (string[] | undefined)[] = [];
  private readonly byId = new Map<string, { index: number; modified: string }>();
  private readonly byKey = new Map<string, number>();
  private readonly reasons = new Map<string, number>();
  private readonly diagnostics: Diagnostic[] = [];
  private skippedCount = 0;
  private offset = 0;
  /** the buffer being filled (records are written at `fill`, then queued for the disk) */
  pending: Buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private fill = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private closed = false;
  private queuedBytes = 0;

  private constructor(
    private readonly input: BuildInput,
    private readonly records: FileHandle,
  ) {}

  static async create(input: BuildInput): Promise<EcosystemBuilder> {
    const handle = await open(join(input.outDir, RECORDS_FILE), 'w', 0o644);
    return new EcosystemBuilder(input, handle);
  }

  add(where: string, c: Classified, key?: string): void {
    if (!this.accept(where, c, key)) return;
    const body = c.bytes ?? Buffer.from(c.json, 'utf8');
    this.pending.set(body, this.reserve(body.length + 1));
    this.commit(c, body.length, key);
  }

  /** A record already written at the reserved place in `pending`, `length` bytes long. */
  addWritten(where: string, c: Keyed, length: number): void {
    if (this.accept(where, c, undefined)) this.commit(c, length, undefined);
  }

  /** Room for `bytes` more in `pending`; returns where to write them. */
  reserve(bytes: number): number {
    if (this.fill + bytes > this.pending.length) {
      this.flush();
      if (bytes > this.pending.length) this.pending = Buffer.allocUnsafe(bytes);
    }
    return this.fill;
  }

  /** Whether a record goes in (duplicates: see below); a record replaced loses its names. */
  private accept(
    where: string,
    c: Keyed,
    key: string | undefined,
  ): c is Extract<Keyed, { kind: 'ok' }> {
    if (c.kind === 'skipped') {
      this.skip(where, c.id, c.reason);
      return false;
    }
    const previous = this.byId.get(c.id);
    const sameDocument = key === undefined ? undefined : this.byKey.get(key);
    // NeDB: the later line wins. OSV zips: the later `modified` wins (ties: the later entry).
    if (previous !== undefined) {
      if (key === undefined && c.modified < previous.modified) {
        this.skip(where, c.id, 'duplicate id (an entry with a later modified date is kept)');
        return false;
      }
      this.names[previous.index] = undefined;
      if (previous.index !== sameDocument) {
        this.skip(where, c.id, 'duplicate id (an entry with a later modified date is kept)', true);
      }
    }
    if (sameDocument !== undefined) this.names[sameDocument] = undefined;
    return true;
  }

  /** Count the record written at `fill` (`length` bytes) and end it with a newline. */
  private commit(c: Extract<Keyed, { kind: 'ok' }>, length: number, key: string | undefined): void {
    const index = this.offsets.length;
    this.offsets.push(this.offset);
    this.lengths.push(length);
    this.names.push(c.names);
    this.byId.set(c.id, { index, modified: c.modified });
    if (key !== undefined) this.byKey.set(key, index);
    this.pending[this.fill + length] = 0x0a;
    this.fill += length + 1;
    this.offset += length + 1;
    if (this.fill >= WRITE_BUFFER_BYTES) this.flush();
  }

  /** Wait for the disk when too much is queued (keeps memory flat on slow disks). */
  async drain(): Promise<void> {
    if (this.queuedBytes > 16 * 1024 * 1024) {
      await this.writes;
      this.queuedBytes = 0;
    }
  }

  deleteByKey(key: string): void {
    const index = this.byKey.get(key);
    if (index !== undefined) this.names[index] = undefined;
  }

  skip(where: string, id: string | undefined, reason: string, superseded = false): void {
    this.skippedCount++;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    if (this.diagnostics.length < (this.input.maxDiagnostics ?? 100)) {
      const what = id === undefined ? where : `${where} (${id})`;
      this.diagnostics.push({
        level: 'warning',
        file: this.input.label,
        message: `${what}: ${superseded ? 'earlier record replaced' : 'skipped'}: ${reason}`,
        code: 'PARSE_FAILED',
      });
    }
  }

  async finish(): Promise<BuildResult> {
    this.flush();
    await this.writes;
    await this.records.sync();
    await this.records.close();
    this.closed = true;
    // Each distinct name gets a number; postings (name, record) in record order.
    this.byId.clear();
    this.byKey.clear();
    const nameIds = new Map<string, number>();
    const distinct: string[] = [];
    const postingName: number[] = [];
    const postingRecord: number[] = [];
    let live = 0;
    for (let i = 0; i < this.names.length; i++) {
      const names = this.names[i];
      if (names === undefined) continue;
      live++;
      for (const name of names) {
        let id = nameIds.get(name);
        if (id === undefined) {
          id = distinct.length;
          distinct.push(name);
          nameIds.set(name, id);
        }
        postingName.push(id);
        postingRecord.push(i);
      }
    }
    nameIds.clear();
    const index = encodeIndex(distinct, postingName, postingRecord, this.offsets, this.lengths);
    const handle = await open(join(this.input.outDir, INDEX_FILE), 'w', 0o644);
    try {
      await handle.writeFile(index);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const reasons = [...this.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return {
      records: live,
      skipped: this.skippedCount,
      names: distinct.length,
      skippedReasons: reasons,
      recordsBytes: this.offset,
      indexBytes: index.length,
      units: this.units,
      diagnostics: this.diagnostics,
    };
  }

  /** Close the records file after a failure (the build folder is removed by the caller). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes.catch(() => undefined);
    await this.records.close().catch(() => undefined);
  }

  private flush(): void {
    if (this.fill === 0) return;
    const data = this.pending.subarray(0, this.fill);
    this.pending = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    this.fill = 0;
    const records = this.records;
    this.queuedBytes += data.length;
    this.writes = this.writes.then(() => records.write(data));
  }
}
