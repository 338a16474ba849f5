// Reading a found file, or a file a parser asks for, under the same rules as the walk: inside the
// root (after resolving symlinks), a regular file, under the size cap, decoded as text.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { decodeText } from '../decode/index.js';
import { SupplyAuditError } from '../errors.js';
import { errorCode, type DiscoverFs } from './fs.js';
import { isInside, tooLargeMessage } from './walk.js';

function unreadable(file: string, cause: unknown): SupplyAuditError {
  const code = errorCode(cause);
  const reason =
    code === 'ENOTREG' ? 'not a regular file' : `cannot read file (${code ?? 'error'})`;
  return new SupplyAuditError('FILE_UNREADABLE', `${file}: ${reason}`, { file, cause });
}

/**
 * Read `rel` (relative to `rootReal`) as text, re-checking what the walk checked: files may change
 * between the walk and the read. Throws SupplyAuditError with a one-line `file: reason` message.
 */
export async function readFoundFile(
  fs: DiscoverFs,
  rootReal: string,
  rel: string,
  maxBytes: number,
): Promise<string> {
  const abs = join(rootReal, ...rel.split('/'));
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch (cause) {
    throw unreadable(rel, cause);
  }
  if (!isInside(rootReal, real)) {
    throw new SupplyAuditError(
      'PATH_OUTSIDE_ROOT',
      `${rel}: symlink to a file outside the scanned root; refused`,
      { file: rel },
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(real, maxBytes);
  } catch (cause) {
    throw unreadable(rel, cause);
  }
  if (bytes.byteLength > maxBytes) {
    throw new SupplyAuditError(
      'FILE_TOO_LARGE',
      `${rel}: ${tooLargeMessage(bytes.byteLength, maxBytes)}`,
      {
        file: rel,
      },
    );
  }
  return decodeText(bytes, rel, maxBytes);
}

/**
 * The `readRelated` a parser gets: a path relative to the file being parsed, read synchronously
 * when it stays inside the root, is a regular file under the cap and decodes as text; else undefined.
 */
export function createReadRelated(
  rootReal: string,
  fromRel: string,
  maxBytes: number,
): (relativePath: string) => { file: string; text: string } | undefined {
  return (relativePath) => {
    if (relativePath === '' || relativePath.includes('\0')) return undefined;
    const fromDir = posix.dirname(fromRel);
    const rel = posix.normalize(posix.join(fromDir, relativePath.split('\\').join('/')));
    if (rel.startsWith('../') || rel === '..' || posix.isAbsolute(rel)) return undefined;
    const abs = resolve(rootReal, ...rel.split('/'));
    let fd: number | undefined;
    try {
      const real = realpathSync(abs);
      if (!isInside(rootReal, real) || dirname(real) === real) return undefined;
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
      const info = fstatSync(fd);
      if (!info.isFile() || info.size > maxBytes) return undefined;
      const buffer = Buffer.alloc(info.size + 1);
      let filled = 0;
      for (;;) {
        if (filled === buffer.length) return undefined; // grew past its size: refuse
        const n = readSync(fd, buffer, filled, buffer.length - filled, null);
        if (n === 0) break;
        filled += n;
      }
      if (filled > maxBytes) return undefined;
      return { file: rel, text: decodeText(buffer.subarray(0, filled), rel, maxBytes) };
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };
}
