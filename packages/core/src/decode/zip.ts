// Reading untrusted zip archives (OSV exports, bundles) entry by entry, never extracting by name:
// unsafe names, symlinks, duplicates, bombs, too many entries and bad CRCs are errors.
//
// The central directory is read in one piece and walked in memory, and entry data is read with
// synchronous positioned reads through a 4 MiB window: an OSV export holds 230,000 small entries,
// and a promise, a thread-pool read and a header object per entry cost more than inflating it.
// Names are decoded as yauzl does (CP437 unless flagged UTF-8, the 0x7075 Info-ZIP Unicode Path
// field honoured), with yauzl's own helper.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { SupplyAuditError } from '../errors.js';

export interface ZipLimits {
  /** most entries an archive may hold (checked against the central directory before reading) */
  readonly maxEntries: number;
  /** largest uncompressed size of one entry */
  readonly maxEntryBytes: number;
  /** largest sum of uncompressed sizes */
  readonly maxTotalBytes: number;
  /** largest uncompressed:compressed ratio of one entry (200 means 1:200) */
  readonly maxRatio: number;
  /** entries smaller than this are not ratio-checked (tiny files compress absurdly well) */
  readonly ratioMinBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 2_000_000,
  maxEntryBytes: 2 * 1024 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioMinBytes: 1024 * 1024,
};

/** Entries up to this size are read in one piece and inflated synchronously (fast path). */
const SMALL_ENTRY_BYTES = 4 * 1024 * 1024;

export interface ZipEntryInfo {
  /** the entry's name as stored, validated: relative, no `..`, no backslash, no NUL */
  readonly name: string;
  /** 0-based position in the central directory */
  readonly index: number;
  readonly size: number;
  readonly compressedSize: number;
  readonly isDirectory: boolean;
}

export interface ZipEntryReader {
  /** The whole entry, CRC-checked. Throws FILE_TOO_LARGE above `maxBytes`. */
  readBytes(maxBytes?: number): Promise<Buffer>;
  /** A stream of the entry; it errors on a CRC mismatch at its end. */
  openStream(): Promise<Readable>;
}

export interface ZipSummary {
  readonly entries: number;
  readonly totalBytes: number;
}

export interface ReadZipOptions {
  readonly limits?: Partial<ZipLimits>;
  /** how the archive is named in messages (default: the path) */
  readonly label?: string;
}

/** Called per entry; returning 'stop' ends the walk early (the rest is not checked). */
type Visitor = (entry: ZipEntryInfo, reader: ZipEntryReader) => unknown;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const UNIX_HOSTS = new Set([3, 19]); // Unix, OS X (APPNOTE 4.4.2)

/** Why an entry name is unsafe, or undefined when it is fine. */
export function unsafeEntryName(name: string): string | undefined {
  if (name === '') return 'empty name';
  if (name.includes('\0')) return 'NUL byte in name';
  if (name.includes('\\')) return 'backslash in name';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'drive-letter path';
  if (name.split('/').includes('..')) return 'parent-directory segment (..)';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return 'control character in name';
  }
  return undefined;
}

/**
 * Visit every entry of a zip file in central-directory order, one at a time. The archive is
 * rejected (ARCHIVE_UNSAFE) at the first unsafe entry; corruption is PARSE_FAILED.
 */
export async function readZip(
  file: string,
  visit: Visitor,
  options: ReadZipOptions = {},
): Promise<ZipSummary> {
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  const label = options.label ?? file;
  const unsafe = (message: string): SupplyAuditError =>
    new SupplyAuditError('ARCHIVE_UNSAFE', `${label}: ${message}`, { file: label });
  const corrupt = (message: string, cause?: unknown): SupplyAuditError =>
    new SupplyAuditError('PARSE_FAILED', `${label}: ${message}`, { file: label, cause });

  let fd: number;
  let size: number;
  try {
    fd = openSync(file, 'r');
  } catch (cause) {
    throw new SupplyAuditError('FILE_UNREADABLE', `${label}: cannot open: ${describe(cause)}`, {
      file: label,
      cause,
    });
  }
  try {
    size = fstatSync(fd).size;
    const data = new FileWindow(fd, size);
    let directory: CentralDirectory;
    try {
      directory = readEnd(data);
    } catch (cause) {
      if (size === 0) throw corrupt('empty file, not a zip archive', cause);
      throw corrupt(`not a zip archive (${describe(cause)})`, cause);
    }
    if (directory.entryCount > limits.maxEntries) {
      throw unsafe(
        `${String(directory.entryCount)} entries, over the limit of ${String(limits.maxEntries)}`,
      );
    }
    if (directory.size > MAX_DIRECTORY_BYTES) {
      throw unsafe(
        `central directory of ${String(directory.size)} bytes (over ${String(MAX_DIRECTORY_BYTES)})`,
      );
    }
    const cd = Buffer.allocUnsafe(directory.size);
    if (data.readInto(cd, directory.offset) !== cd.length) {
      throw corrupt('corrupt central directory (it runs past the end of the file)');
    }
    const seen = new Set<string>();
    let totalBytes = 0;
    let pos = 0;
    let index = 0;
    for (; index < directory.entryCount;) {
      let entry: CentralEntry;
      try {
        entry = parseCentralEntry(cd, pos);
      } catch (cause) {
        throw corrupt(`corrupt central directory (${describe(cause)})`, cause);
      }
      pos = entry.next;
      const name = entry.name;
      const display = JSON.stringify(name);
      const why = unsafeEntryName(name);
      if (why !== undefined) throw unsafe(`entry ${display}: ${why}`);
      const mode = (entry.externalAttributes >>> 16) & S_IFMT;
      const unixHost = UNIX_HOSTS.has(entry.versionMadeBy >>> 8);
      if (unixHost && mode === S_IFLNK) throw unsafe(`entry ${display}: symbolic link`);
      if (seen.has(name)) throw unsafe(`entry ${display}: duplicate name`);
      seen.add(name);
      if ((entry.flags & 0x1) !== 0) throw unsafe(`entry ${display}: encrypted`);
      if (entry.method !== 0 && entry.method !== 8) {
        throw unsafe(`entry ${display}: unsupported compression method ${String(entry.method)}`);
      }
      const entrySize = entry.uncompressedSize;
      if (entrySize > limits.maxEntryBytes) {
        throw unsafe(
          `entry ${display}: ${String(entrySize)} bytes uncompressed, over the limit of ${String(limits.maxEntryBytes)}`,
        );
      }
      if (entrySize >= limits.ratioMinBytes && entrySize > entry.compressedSize * limits.maxRatio) {
        const ratio =
          entry.compressedSize === 0
            ? 'infinite'
            : `1:${String(Math.round(entrySize / entry.compressedSize))}`;
        throw unsafe(
          `entry ${display}: compression ratio ${ratio} over 1:${String(limits.maxRatio)} (decompression bomb?)`,
        );
      }
      totalBytes += entrySize;
      if (totalBytes > limits.maxTotalBytes) {
        throw unsafe(
          `over ${String(limits.maxTotalBytes)} bytes uncompressed in total (decompression bomb?)`,
        );
      }
      const isDirectory = name.endsWith('/') || (unixHost && mode === S_IFDIR);
      const info: ZipEntryInfo = {
        name,
        index,
        size: entrySize,
        compressedSize: entry.compressedSize,
        isDirectory,
      };
      const verdict = await visit(
        info,
        entryReader(data, entry, directory.offset, display, corrupt),
      );
      index++;
      if (verdict === 'stop') break;
    }
    return { entries: index, totalBytes };
  } finally {
    closeSync(fd);
  }
}

/** Largest central directory read (2,000,000 entries with 200-byte names and fields fit). */
const MAX_DIRECTORY_BYTES = 512 * 1024 * 1024;

interface CentralDirectory {
  readonly entryCount: number;
  readonly offset: number;
  readonly size: number;
}

interface CentralEntry {
  readonly name: string;
  readonly versionMadeBy: number;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly externalAttributes: number;
  readonly localHeaderOffset: number;
  /** where the next central entry starts */
  readonly next: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Find and read the end of central directory record (and its ZIP64 form). */
function readEnd(data: FileWindow): CentralDirectory {
  const tailLength = Math.min(data.size, 22 + 0xffff);
  const tail = Buffer.allocUnsafe(tailLength);
  const tailStart = data.size - tailLength;
  if (data.readInto(tail, tailStart) !== tailLength) throw new Error('unexpected end of file');
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD) continue;
    if (tail.readUInt16LE(i + 20) !== tailLength - i - 22) continue;
    if (tail.readUInt16LE(i + 4) !== 0 || tail.readUInt16LE(i + 6) !== 0) {
      throw new Error('multi-disk zip files are not supported');
    }
    let entryCount = tail.readUInt16LE(i + 10);
    let size = tail.readUInt32LE(i + 12);
    let offset = tail.readUInt32LE(i + 16);
    if (entryCount === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      const locatorAt = tailStart + i - 20;
      const locator = Buffer.allocUnsafe(20);
      if (
        locatorAt < 0 ||
        data.readInto(locator, locatorAt) !== 20 ||
        locator.readUInt32LE(0) !== EOCD64_LOCATOR
      ) {
        throw new Error('ZIP64 end of central directory locator not found');
      }
      const at = readU64(locator, 8);
      const end64 = Buffer.allocUnsafe(56);
      if (data.readInto(end64, at) !== 56 || end64.readUInt32LE(0) !== EOCD64) {
        throw new Error('invalid ZIP64 end of central directory record');
      }
      entryCount = readU64(end64, 32);
      size = readU64(end64, 40);
      offset = readU64(end64, 48);
    }
    if (offset + size > data.size)
      throw new Error('central directory runs past the end of the file');
    return { entryCount, offset, size };
  }
  throw new Error('end of central directory record signature not found');
}

function readU64(buf: Buffer, at: number): number {
  const value = buf.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('64-bit value too large');
  return Number(value);
}

function parseCentralEntry(cd: Buffer, pos: number): CentralEntry {
  if (pos + 46 > cd.length) throw new Error('fewer entries than the directory declares');
  if (cd.readUInt32LE(pos) !== CENTRAL) {
    throw new Error(`invalid central directory file header signature at ${String(pos)}`);
  }
  const nameLength = cd.readUInt16LE(pos + 28);
  const extraLength = cd.readUInt16LE(pos + 30);
  const commentLength = cd.readUInt16LE(pos + 32);
  const next = pos + 46 + nameLength + extraLength + commentLength;
  if (next > cd.length) throw new Error('entry runs past the end of the central directory');
  const flags = cd.readUInt16LE(pos + 8);
  let uncompressedSize = cd.readUInt32LE(pos + 24);
  let compressedSize = cd.readUInt32LE(pos + 20);
  let localHeaderOffset = cd.readUInt32LE(pos + 42);
  const extraStart = pos + 46 + nameLength;
  const extraFields: { id: number; data: Buffer }[] = [];
  for (let e = extraStart; e + 4 <= extraStart + extraLength;) {
    const id = cd.readUInt16LE(e);
    const length = cd.readUInt16LE(e + 2);
    const end = e + 4 + length;
    if (end > extraStart + extraLength)
      throw new Error('extra field length exceeds extra field buffer size');
    extraFields.push({ id, data: cd.subarray(e + 4, end) });
    e = end;
  }
  const zip64 = extraFields.find((f) => f.id === 0x0001);
  if (zip64 !== undefined) {
    let at = 0;
    const take = (): number => {
      if (at + 8 > zip64.data.length)
        throw new Error('ZIP64 extended information extra field too short');
      const v = readU64(zip64.data, at);
      at += 8;
      return v;
    };
    if (uncompressedSize === 0xffffffff) uncompressedSize = take();
    if (compressedSize === 0xffffffff) compressedSize = take();
    if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
  }
  const name = yauzl.getFileNameLowLevel(
    flags,
    cd.subarray(pos + 46, pos + 46 + nameLength),
    extraFields,
    true,
  );
  return {
    name,
    versionMadeBy: cd.readUInt16LE(pos + 4),
    flags,
    method: cd.readUInt16LE(pos + 10),
    crc32: cd.readUInt32LE(pos + 16),
    compressedSize,
    uncompressedSize,
    externalAttributes: cd.readUInt32LE(pos + 38),
    localHeaderOffset,
    next,
  };
}

function entryReader(
  data: FileWindow,
  entry: CentralEntry,
  directoryOffset: number,
  display: string,
  corrupt: (message: string, cause?: unknown) => SupplyAuditError,
): ZipEntryReader {
  const expectedCrc = entry.crc32 >>> 0;
  /** Where the entry's data starts, from its local header. */
  const dataStart = (): number => {
    const header = data.view(entry.localHeaderOffset, 30);
    if (header === undefined || header.readUInt32LE(0) !== LOCAL) {
      throw new Error(`invalid local file header signature at ${String(entry.localHeaderOffset)}`);
    }
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > directoryOffset)
      throw new Error('file data overflows file bounds');
    return start;
  };
  return {
    readBytes(maxBytes = SMALL_ENTRY_BYTES * 16): Promise<Buffer> {
      if (entry.uncompressedSize > maxBytes) {
        return Promise.reject(
          new SupplyAuditError(
            'FILE_TOO_LARGE',
            `entry ${display}: ${String(entry.uncompressedSize)} bytes, over the ${String(maxBytes)}-byte limit`,
          ),
        );
      }
      let out: Buffer;
      try {
        const start = dataStart();
        const compressed =
          data.view(start, entry.compressedSize) ?? data.copy(start, entry.compressedSize);
        if (entry.method === 0) out = compressed;
        else {
          out = inflateRawSync(compressed, {
            maxOutputLength: Math.max(1, entry.uncompressedSize),
            // one output buffer of the declared size (+1 to see the end) instead of 16 KiB ones
            chunkSize: Math.min(Math.max(64, entry.uncompressedSize + 1), 1024 * 1024),
          });
        }
      } catch (cause) {
        return Promise.reject(corrupt(`entry ${display}: cannot read (${describe(cause)})`, cause));
      }
      if (out.length !== entry.uncompressedSize) {
        return Promise.reject(
          corrupt(
            `entry ${display}: ${String(out.length)} bytes, the directory says ${String(entry.uncompressedSize)}`,
          ),
        );
      }
      if (crc32(out) >>> 0 !== expectedCrc) {
        return Promise.reject(corrupt(`entry ${display}: bad CRC-32`));
      }
      return Promise.resolve(out);
    },
    openStream(): Promise<Readable> {
      let start: number;
      try {
        start = dataStart();
      } catch (cause) {
        return Promise.reject(corrupt(`entry ${display}: cannot read (${describe(cause)})`, cause));
      }
      const raw = createReadStream('', {
        fd: data.fd,
        start,
        end: start + entry.compressedSize - 1,
        autoClose: false,
        emitClose: false,
      });
      const source: Readable =
        entry.method === 0 || entry.compressedSize === 0 ? raw : raw.pipe(createInflateRaw());
      let crc = 0;
      let bytes = 0;
      const expected = entry.uncompressedSize;
      const check = new Transform({
        transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
          bytes += chunk.length;
          if (bytes > expected) {
            callback(corrupt(`entry ${display}: cannot read (too many bytes in the stream)`));
            return;
          }
          crc = crc32(chunk, crc);
          callback(null, chunk);
        },
        flush(callback: TransformCallback): void {
          if (bytes !== expected) {
            callback(corrupt(`entry ${display}: cannot read (not enough bytes in the stream)`));
          } else if (crc >>> 0 !== expectedCrc) callback(corrupt(`entry ${display}: bad CRC-32`));
          else callback();
        },
      });
      const fail = (cause: unknown): void => {
        check.destroy(corrupt(`entry ${display}: cannot read (${describe(cause)})`, cause));
      };
      raw.on('error', fail);
      if (source !== raw) source.on('error', fail);
      return Promise.resolve(source.pipe(check));
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Synchronous positioned reads through one cached window: local headers and the data of small
 * entries, which follow each other in the file, are served from memory.
 */
class FileWindow {
  private static readonly WINDOW = 4 * 1024 * 1024;
  private start = 0;
  private data: Buffer = Buffer.alloc(0);

  constructor(
    readonly fd: number,
    readonly size: number,
  ) {}

  /** Read into `buf` at `position`; returns the bytes read (fewer at the end of the file). */
  readInto(buf: Buffer, position: number): number {
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }

  /** `length` bytes at `position` from the window (loading it there), or undefined if too long. */
  view(position: number, length: number): Buffer | undefined {
    if (position < 0 || position + length > this.size) throw new Error('unexpected end of file');
    if (position >= this.start && position + length <= this.start + this.data.length) {
      return this.data.subarray(position - this.start, position - this.start + length);
    }
    if (length > FileWindow.WINDOW / 4) return undefined;
    // A new buffer each time: views handed out earlier stay valid.
    const data = Buffer.allocUnsafe(Math.min(FileWindow.WINDOW, this.size - position));
    const got = this.readInto(data, position);
    this.start = position;
    this.data = data.subarray(0, got);
    if (got < length) throw new Error('unexpected end of file');
    return this.data.subarray(0, length);
  }

  /** A copy of a range too large for the window. */
  copy(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    if (this.readInto(buf, position) !== length) throw new Error('unexpected end of file');
    return buf;
  }
}
