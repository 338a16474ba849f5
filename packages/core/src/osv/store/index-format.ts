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

/** Encode name → ranges. `names` need not be sorted; each name's ranges are kept in order. */
export function encodeIndex(entries: ReadonlyMap<string, readonly RecordRange[]>): Buffer {
  const keyed = [...entries].map(([name, ranges]) => ({ key: Buffer.from(name, 'utf8'), ranges }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  let namesBytes = 0;
  let postingCount = 0;
  for (const k of keyed) {
    namesBytes += k.key.length;
    postingCount += k.ranges.length;
  }
  const tableStart = HEADER;
  const postingsStart = tableStart + (keyed.length + 1) * ROW;
  const namesStart = postingsStart + postingCount * POSTING;
  const out = Buffer.alloc(namesStart + namesBytes);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(keyed.length, 8);
  out.writeUInt32LE(postingCount, 12);
  out.writeUInt32LE(namesBytes, 16);
  let name = 0;
  let posting = 0;
  keyed.forEach((k, i) => {
    out.writeUInt32LE(name, tableStart + i * ROW);
    out.writeUInt32LE(posting, tableStart + i * ROW + 4);
    k.key.copy(out, namesStart + name);
    name += k.key.length;
    for (const r of k.ranges) {
      const at = postingsStart + posting * POSTING;
      out.writeUIntLE(r.offset, at, 6);
      out.writeUInt32LE(r.length, at + 6);
      posting++;
    }
  });
  out.writeUInt32LE(name, tableStart + keyed.length * ROW);
  out.writeUInt32LE(posting, tableStart + keyed.length * ROW + 4);
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
