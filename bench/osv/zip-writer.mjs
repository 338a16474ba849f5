// A small streaming zip writer for the generated OSV exports: deflated entries, and the ZIP64 end
// records when there are more than 65,535 entries (as osv.dev's npm all.zip has).
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1; // 2025-01-01
const FLUSH_BYTES = 8 * 1024 * 1024;

export class ZipWriter {
  constructor(file) {
    this.fd = openSync(file, 'w');
    this.offset = 0;
    this.count = 0;
    this.central = [];
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Add one file; `data` is a Buffer. Returns the compressed size. */
  add(name, data) {
    const nameBuf = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data);
    const crc = crc32(data);
    if (this.offset + 30 + nameBuf.length + deflated.length >= 0xffffffff) {
      throw new Error('zip-writer: archives over 4 GiB are not supported');
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);

    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(0x031e, 4); // made by: unix, 3.0
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x0800, 8);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt16LE(0, 12);
    cen.writeUInt16LE(DOS_DATE, 14);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(deflated.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(nameBuf.length, 28);
    cen.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file
    cen.writeUInt32LE(this.offset, 42);
    this.central.push(cen, nameBuf);

    this.push(local);
    this.push(nameBuf);
    this.push(deflated);
    this.count++;
    return deflated.length;
  }

  push(buf) {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    this.offset += buf.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  flush() {
    if (this.pending.length === 0) return;
    writeSync(this.fd, Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }

  finish() {
    const cdOffset = this.offset;
    for (const b of this.central) this.push(b);
    const cdSize = this.offset - cdOffset;
    this.central = [];
    const zip64 = this.count > 0xffff;
    if (zip64) {
      const eocd64At = this.offset;
      const e64 = Buffer.alloc(56);
      e64.writeUInt32LE(0x06064b50, 0);
      e64.writeBigUInt64LE(44n, 4);
      e64.writeUInt16LE(45, 12);
      e64.writeUInt16LE(45, 14);
      e64.writeBigUInt64LE(BigInt(this.count), 24);
      e64.writeBigUInt64LE(BigInt(this.count), 32);
      e64.writeBigUInt64LE(BigInt(cdSize), 40);
      e64.writeBigUInt64LE(BigInt(cdOffset), 48);
      this.push(e64);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(0x07064b50, 0);
      loc.writeBigUInt64LE(BigInt(eocd64At), 8);
      loc.writeUInt32LE(1, 16);
      this.push(loc);
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(zip64 ? 0xffff : this.count, 8);
    eocd.writeUInt16LE(zip64 ? 0xffff : this.count, 10);
    eocd.writeUInt32LE(cdSize, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    this.push(eocd);
    this.flush();
    closeSync(this.fd);
  }
}

/** Buffered line writer (for the .nedb files). */
export class LineWriter {
  constructor(file) {
    this.fd = openSync(file, 'w');
    this.pending = [];
    this.pendingBytes = 0;
  }

  line(text) {
    this.pending.push(text, '\n');
    this.pendingBytes += text.length + 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  flush() {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  finish() {
    this.flush();
    closeSync(this.fd);
  }
}
