// Reading untrusted zip archives (OSV exports, bundles) entry by entry, never extracting by name:
// unsafe names, symlinks, duplicates, bombs, too many entries and bad CRCs are errors.
import { close as fsClose, fstat, open as fsOpen, read as fsRead, type PathLike } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
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

  const reader = await WindowedFileReader.open(file).catch((cause: unknown) => {
    throw new SupplyAuditError('FILE_UNREADABLE', `${label}: cannot open: ${describe(cause)}`, {
      file: label,
      cause,
    });
  });
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(reader, reader.size, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (cause) {
    await reader.closeFile();
    if (reader.size === 0) throw corrupt('empty file, not a zip archive', cause);
    throw corrupt(`not a zip archive (${describe(cause)})`, cause);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw unsafe(
        `${String(zip.entryCount)} entries, over the limit of ${String(limits.maxEntries)}`,
      );
    }
    const seen = new Set<string>();
    let totalBytes = 0;
    let index = 0;
    const iterator = zip.eachEntry();
    for (;;) {
      let next: IteratorResult<yauzl.Entry>;
      try {
        next = await iterator.next();
      } catch (cause) {
        throw corrupt(`corrupt central directory (${describe(cause)})`, cause);
      }
      if (next.done === true) break;
      const entry = next.value;
      const name = decodeName(entry);
      const display = JSON.stringify(name);
      const why = unsafeEntryName(name);
      if (why !== undefined) throw unsafe(`entry ${display}: ${why}`);
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      const unixHost = UNIX_HOSTS.has(entry.versionMadeBy >>> 8);
      if (unixHost && mode === S_IFLNK) throw unsafe(`entry ${display}: symbolic link`);
      if (seen.has(name)) throw unsafe(`entry ${display}: duplicate name`);
      seen.add(name);
      if (entry.isEncrypted()) throw unsafe(`entry ${display}: encrypted`);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw unsafe(
          `entry ${display}: unsupported compression method ${String(entry.compressionMethod)}`,
        );
      }
      const size = entry.uncompressedSize;
      if (size > limits.maxEntryBytes) {
        throw unsafe(
          `entry ${display}: ${String(size)} bytes uncompressed, over the limit of ${String(limits.maxEntryBytes)}`,
        );
      }
      if (size >= limits.ratioMinBytes && size > entry.compressedSize * limits.maxRatio) {
        const ratio =
          entry.compressedSize === 0
            ? 'infinite'
            : `1:${String(Math.round(size / entry.compressedSize))}`;
        throw unsafe(
          `entry ${display}: compression ratio ${ratio} over 1:${String(limits.maxRatio)} (decompression bomb?)`,
        );
      }
      totalBytes += size;
      if (totalBytes > limits.maxTotalBytes) {
        throw unsafe(
          `over ${String(limits.maxTotalBytes)} bytes uncompressed in total (decompression bomb?)`,
        );
      }
      const isDirectory = name.endsWith('/') || (unixHost && mode === S_IFDIR);
      const info: ZipEntryInfo = {
        name,
        index,
        size,
        compressedSize: entry.compressedSize,
        isDirectory,
      };
      const verdict = await visit(info, entryReader(zip, reader, entry, display, corrupt));
      index++;
      if (verdict === 'stop') break;
    }
    return { entries: index, totalBytes };
  } finally {
    zip.close();
    await reader.closeFile();
  }
}

function decodeName(entry: yauzl.Entry): string {
  // Strict: keep backslashes so that we can reject them; honours the UTF-8 flag and 0x7075 field.
  const raw: unknown = entry.fileName;
  const bytes = Buffer.isBuffer(raw) ? raw : entry.fileNameRaw;
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, bytes, entry.extraFields, true);
}

function entryReader(
  zip: yauzl.ZipFile,
  reader: WindowedFileReader,
  entry: yauzl.Entry,
  display: string,
  corrupt: (message: string, cause?: unknown) => SupplyAuditError,
): ZipEntryReader {
  const expectedCrc = entry.crc32 >>> 0;
  return {
    async readBytes(maxBytes = SMALL_ENTRY_BYTES * 16): Promise<Buffer> {
      if (entry.uncompressedSize > maxBytes) {
        throw new SupplyAuditError(
          'FILE_TOO_LARGE',
          `entry ${display}: ${String(entry.uncompressedSize)} bytes, over the ${String(maxBytes)}-byte limit`,
        );
      }
      let data: Buffer;
      try {
        const header = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
        const compressed = await reader.readRange(header.fileDataStart, entry.compressedSize);
        if (entry.compressionMethod === 0) data = compressed;
        else {
          data = inflateRawSync(compressed, {
            maxOutputLength: Math.max(1, entry.uncompressedSize),
          });
        }
      } catch (cause) {
        throw corrupt(`entry ${display}: cannot read (${describe(cause)})`, cause);
      }
      if (data.length !== entry.uncompressedSize) {
        throw corrupt(
          `entry ${display}: ${String(data.length)} bytes, the directory says ${String(entry.uncompressedSize)}`,
        );
      }
      if (crc32(data) >>> 0 !== expectedCrc) throw corrupt(`entry ${display}: bad CRC-32`);
      return data;
    },
    async openStream(): Promise<Readable> {
      let stream: Readable;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch (cause) {
        throw corrupt(`entry ${display}: cannot read (${describe(cause)})`, cause);
      }
      let crc = 0;
      const check = new Transform({
        transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
          crc = crc32(chunk, crc);
          callback(null, chunk);
        },
        flush(callback: TransformCallback): void {
          if (crc >>> 0 !== expectedCrc) callback(corrupt(`entry ${display}: bad CRC-32`));
          else callback();
        },
      });
      stream.on('error', (cause: unknown) => {
        check.destroy(corrupt(`entry ${display}: cannot read (${describe(cause)})`, cause));
      });
      return stream.pipe(check);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A yauzl reader over a file that serves small reads from a cached window: yauzl reads every
 * central-directory record and local header separately, which is 4 system calls per entry
 * without a cache (230,000 entries in the npm export).
 */
class WindowedFileReader extends yauzl.RandomAccessReader {
  private static readonly WINDOW = 4 * 1024 * 1024;
  private readonly windows: { start: number; data: Buffer }[] = [];
  private closed = false;

  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {
    super();
  }

  static async open(file: PathLike): Promise<WindowedFileReader> {
    const fd = await new Promise<number>((resolve, reject) => {
      fsOpen(file, 'r', (err, handle) => {
        if (err) reject(err);
        else resolve(handle);
      });
    });
    const size = await new Promise<number>((resolve, reject) => {
      fstat(fd, (err, stats) => {
        if (err) reject(err);
        else resolve(stats.size);
      });
    });
    return new WindowedFileReader(fd, size);
  }

  /** Exactly `length` bytes at `position`, or an "unexpected end of file" error. */
  async readRange(position: number, length: number): Promise<Buffer> {
    // Windows are never written to after loading, so slices of them can be handed out as-is.
    const cached = this.fromWindow(position, length);
    if (cached !== undefined) return cached;
    if (length <= WindowedFileReader.WINDOW / 4) {
      await this.loadWindow(position);
      const again = this.fromWindow(position, length);
      if (again !== undefined) return again;
      throw new Error('unexpected end of file');
    }
    const buffer = Buffer.allocUnsafe(length);
    const got = await this.readAt(buffer, 0, length, position);
    if (got < length) throw new Error('unexpected end of file');
    return buffer;
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    this.readRange(position, length).then(
      (data) => {
        data.copy(buffer, offset);
        callback(null, data.length);
      },
      (err: unknown) => {
        if (err instanceof Error && err.message === 'unexpected end of file') callback(null, 0);
        else callback(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    let position = start;
    const readAt = this.readAt.bind(this);
    const stream = new Readable({
      read(): void {
        if (position >= end) {
          stream.push(null);
          return;
        }
        const length = Math.min(256 * 1024, end - position);
        const buffer = Buffer.allocUnsafe(length);
        readAt(buffer, 0, length, position).then(
          (got) => {
            if (got === 0) {
              stream.destroy(new Error('unexpected end of file'));
              return;
            }
            position += got;
            stream.push(buffer.subarray(0, got));
          },
          (err: unknown) => {
            stream.destroy(err instanceof Error ? err : new Error(String(err)));
          },
        );
      },
    });
    return stream;
  }

  override close(callback: (err: Error | null) => void): void {
    // yauzl calls this when its last stream ends; the fd is closed by closeFile().
    setImmediate(() => {
      callback(null);
    });
  }

  async closeFile(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.windows.length = 0;
    await new Promise<void>((resolve) => {
      fsClose(this.fd, () => {
        resolve();
      });
    });
  }

  private fromWindow(position: number, length: number): Buffer | undefined {
    for (const w of this.windows) {
      if (position >= w.start && position + length <= w.start + w.data.length) {
        return w.data.subarray(position - w.start, position - w.start + length);
      }
    }
    return undefined;
  }

  private async loadWindow(position: number): Promise<void> {
    const length = Math.min(WindowedFileReader.WINDOW, Math.max(0, this.size - position));
    const data = Buffer.allocUnsafe(length);
    const got = await this.readAt(data, 0, length, position);
    // Two windows: one walks the central directory, the other the entries' data.
    this.windows.unshift({ start: position, data: data.subarray(0, got) });
    if (this.windows.length > 2) this.windows.pop();
  }

  private readAt(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      fsRead(this.fd, buffer, offset, length, position, (err, bytesRead) => {
        if (err) reject(err);
        else resolve(bytesRead);
      });
    });
  }
}
