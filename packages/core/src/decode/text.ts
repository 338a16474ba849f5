// Turning untrusted bytes into text: size caps, BOMs, UTF-16, invalid UTF-8 and NUL bytes.
import { SupplyAuditError } from '../errors.js';

/** Default cap for one manifest or lockfile. Real lockfiles of huge monorepos stay below 64 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const utf16le = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false });
const utf16be = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false });

/**
 * Decode a file's bytes as text. UTF-8 (with or without BOM) and UTF-16 with a BOM are accepted;
 * invalid UTF-8 and NUL bytes (binary files) are errors naming the file.
 */
export function decodeText(
  bytes: Uint8Array,
  file: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): string {
  if (bytes.byteLength > maxBytes) {
    throw new SupplyAuditError(
      'FILE_TOO_LARGE',
      `${file}: file is ${String(bytes.byteLength)} bytes, over the ${String(maxBytes)}-byte limit`,
      { file },
    );
  }
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = utf16le.decode(bytes);
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = utf16be.decode(bytes);
    else text = utf8.decode(bytes);
  } catch (cause) {
    throw new SupplyAuditError('PARSE_FAILED', `${file}: not valid UTF-8 text (binary file?)`, {
      file,
      cause,
    });
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    throw new SupplyAuditError(
      'PARSE_FAILED',
      `${file}:${String(lineAt(text, nul))}: contains a NUL byte (binary file?)`,
      { file, line: lineAt(text, nul) },
    );
  }
  return text;
}

/** 1-based line number of a character offset. Linear; use LineIndex for many look-ups. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  let i = text.indexOf('\n');
  while (i !== -1 && i < offset) {
    line++;
    i = text.indexOf('\n', i + 1);
  }
  return line;
}

/** Offsets of line starts, for O(log n) offset → line look-ups. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i !== -1) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
