// The per-ecosystem name index: a sorted table of package names (UTF-8 byte order), each with the
// byte ranges of its records in records.jsonl. Looked up by binary search on the loaded buffer,
// without building any object per name, so opening costs one read whatever the database size.
//
// Layout (little endian):
//   0  magic "SAOSVIX1"            8 bytes
//   8  nameCount                   u32
//  12  postingCount                u32
//  16  namesBytes                  u32
//  20  reserved (0)                u32
//  24  table: (nameCount + 1) × { nameStart u32, postingStart u32 }   (last row = sentinel)
//      postings: postingCount × { recordOffset u48, recordLength u32 }
//      names: namesBytes of UTF-8
import { SupplyAuditError } from '../../errors.js';

const MAGIC = Buffer.from('SAOSVIX1', 'latin1');
const HEADER = 24;
const ROW = 8;
const POSTING = 10;

export interface RecordRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * Encode the index. Posting `p` says that record `postingRecord[p]` (at `offsets[r]`, `lengths[r]`
 * bytes) is listed under `names[postingName[p]]`; a name's records keep the order of the postings.
 * Names are sorted as UTF-8 bytes in one buffer, without an object per name.
 */
export function encodeIndex(
  names: readonly string[],
  postingName: readonly number[],
  postingRecord: readonly number[],
  offsets: readonly number[],
  lengths: readonly number[],
): Buffer {
  const nameCount = names.length;
  const postingCount = postingName.length;
  const starts = new Uint32Array(nameCount + 1);
  let namesBytes = 0;
  for (let i = 0; i < nameCount; i++) {
    starts[i] = namesBytes;
    namesBytes += Buffer.byteLength(names[i] ?? '', 'utf8');
  }
  starts[nameCount] = namesBytes;
  const bytes = Buffer.allocUnsafe(namesBytes);
  for (let i = 0; i < nameCount; i++) bytes.write(names[i] ?? '', starts[i] ?? 0, 'utf8');
  const start = (i: number): number => starts[i] ?? 0;
  const end = (i: number): number => starts[i + 1] ?? 0;
  const order = new Uint32Array(nameCount);
  for (let i = 0; i < nameCount; i++) order[i] = i;
  order.sort((a, b) => bytes.compare(bytes, start(b), end(b), start(a), end(a)));
  const rank = new Uint32Array(nameCount);
  for (let k = 0; k < nameCount; k++) rank[order[k] ?? 0] = k;
  // postings grouped by sorted name (a counting sort that keeps their order)
  const first = new Uint32Array(nameCount + 1);
  for (let p = 0; p < postingCount; p++) {
    const k = (rank[postingName[p] ?? 0] ?? 0) + 1;
    first[k] = (first[k] ?? 0) + 1;
  }
  for (let k = 0; k < nameCount; k++) first[k + 1] = (first[k + 1] ?? 0) + (first[k] ?? 0);
  const tableStart = HEADER;
  const postingsStart = tableStart + (nameCount + 1) * ROW;
  const namesStart = postingsStart + postingCount * POSTING;
  const out = Buffer.alloc(namesStart + namesBytes);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(nameCount, 8);
  out.writeUInt32LE(postingCount, 12);
  out.writeUInt32LE(namesBytes, 16);
  const cursor = first.slice();
  for (let p = 0; p < postingCount; p++) {
    const k = rank[postingName[p] ?? 0] ?? 0;
    const slot = cursor[k] ?? 0;
    cursor[k] = slot + 1;
    const r = postingRecord[p] ?? 0;
    const at = postingsStart + slot * POSTING;
    out.writeUIntLE(offsets[r] ?? 0, at, 6);
    out.writeUInt32LE(lengths[r] ?? 0, at + 6);
  }
  let name = 0;
  for (let k = 0; k < nameCount; k++) {
    const i = order[k] ?? 0;
    out.writeUInt32LE(name, tableStart + k * ROW);
    out.writeUInt32LE(first[k] ?? 0, tableStart + k * ROW + 4);
    bytes.copy(out, namesStart + name, start(i), end(i));
    name += end(i) - start(i);
  }
  out.writeUInt32LE(name, tableStart + nameCount * ROW);
  out.writeUInt32LE(postingCount, tableStart + nameCount * ROW + 4);
  return out;
}

/** A loaded index. The constructor checks the structure; `find` checks each range it returns. */
export class NameIndex {
  readonly nameCount: number;
  private readonly postingCount: number;
  private readonly postingsStart: number;
  private readonly namesStart: number;

  constructor(
    private readonly buf: Buffer,
    private readonly recordsSize: number,
    private readonly file: string,
  ) {
    if (buf.length < HEADER + ROW || !buf.subarray(0, 8).equals(MAGIC)) {
      throw this.invalid('not a supplyaudit index');
    }
    this.nameCount = buf.readUInt32LE(8);
    this.postingCount = buf.readUInt32LE(12);
    const namesBytes = buf.readUInt32LE(16);
    this.postingsStart = HEADER + (this.nameCount + 1) * ROW;
    this.namesStart = this.postingsStart + this.postingCount * POSTING;
    if (this.namesStart + namesBytes !== buf.length) throw this.invalid('size mismatch');
    const sentinel = HEADER + this.nameCount * ROW;
    if (
      buf.readUInt32LE(sentinel) !== namesBytes ||
      buf.readUInt32LE(sentinel + 4) !== this.postingCount
    ) {
      throw this.invalid('bad sentinel row');
    }
  }

  /** The record ranges stored under an (already normalised) name. */
  find(name: string): RecordRange[] {
    const key = Buffer.from(name, 'utf8');
    let lo = 0;
    let hi = this.nameCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const row = HEADER + mid * ROW;
      const start = this.namesStart + this.buf.readUInt32LE(row);
      const end = this.namesStart + this.buf.readUInt32LE(row + ROW);
      const cmp = this.buf.compare(key, 0, key.length, start, end);
      if (cmp === 0) return this.ranges(mid);
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return [];
  }

  /** Every name, in index order (for verification and tests). */
  *names(): Generator<string> {
    for (let i = 0; i < this.nameCount; i++) {
      const row = HEADER + i * ROW;
      yield this.buf.toString(
        'utf8',
        this.namesStart + this.buf.readUInt32LE(row),
        this.namesStart + this.buf.readUInt32LE(row + ROW),
      );
    }
  }

  private ranges(i: number): RecordRange[] {
    const row = HEADER + i * ROW;
    const first = this.buf.readUInt32LE(row + 4);
    const last = this.buf.readUInt32LE(row + ROW + 4);
    if (first > last || last > this.postingCount) throw this.invalid('bad posting list');
    const out: RecordRange[] = [];
    for (let p = first; p < last; p++) {
      const at = this.postingsStart + p * POSTING;
      const offset = this.buf.readUIntLE(at, 6);
      const length = this.buf.readUInt32LE(at + 6);
      if (offset + length > this.recordsSize) throw this.invalid('record range past the end');
      out.push({ offset, length });
    }
    return out;
  }

  private invalid(why: string): SupplyAuditError {
    return new SupplyAuditError(
      'DB_INVALID',
      `${this.file}: damaged index (${why}): run supplyaudit db update`,
      { file: this.file },
    );
  }
}
