// The few filesystem calls discovery makes, behind an interface so tests can count and fail them.
import { constants, promises as fsp } from 'node:fs';

export interface DirEntry {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface FileStats {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface DiscoverFs {
  /** entries of one folder, in any order */
  readDir(path: string): Promise<DirEntry[]>;
  lstat(path: string): Promise<FileStats>;
  /** follows symlinks */
  stat(path: string): Promise<FileStats>;
  realpath(path: string): Promise<string>;
  /** at most `maxBytes + 1` bytes, so callers can tell an over-size file that grew */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
}

async function readDir(path: string): Promise<DirEntry[]> {
  const entries: DirEntry[] = [];
  const dir = await fsp.opendir(path, { bufferSize: 256 });
  for await (const entry of dir) entries.push(entry);
  return entries;
}

async function readFile(path: string, maxBytes: number): Promise<Uint8Array> {
  // O_NONBLOCK: a FIFO swapped in after the type check must not hang the open.
  const handle = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    }
    const limit = maxBytes + 1;
    const buffer = Buffer.alloc(Math.min(limit, Math.max(info.size, 0) + 1));
    let filled = 0;
    let chunk = buffer;
    for (;;) {
      if (filled === chunk.length) {
        if (chunk.length >= limit) break;
        const bigger = Buffer.alloc(Math.min(limit, chunk.length * 2));
        chunk.copy(bigger, 0, 0, filled);
        chunk = bigger;
      }
      const { bytesRead } = await handle.read(chunk, filled, chunk.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return chunk.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The real filesystem. */
export const nodeFs: DiscoverFs = {
  readDir,
  lstat: (path) => fsp.lstat(path),
  stat: (path) => fsp.stat(path),
  realpath: (path) => fsp.realpath(path),
  readFile,
};

/** The `code` of a Node system error (`ENOENT`, `EACCES`, ...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code: unknown = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
