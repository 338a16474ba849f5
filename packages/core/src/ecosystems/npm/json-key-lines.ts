// Where object keys sit in a JSON text, for lockfile line numbers. One forward pass with an
// explicit stack (no recursion), run only on text JSON.parse has already accepted.
import { createParseMemo } from '../../decode/index.js';

/**
 * Calls `onKey(path, key, offset, line)` for every object key, in text order: `path` holds the
 * keys of the enclosing objects (array levels appear as `[]`), `offset` is where the key's quote
 * starts and `line` its 1-based line. JSON strings cannot hold raw line breaks, so counting them
 * between tokens is exact.
 * `path` is reused between calls: copy it to keep it.
 */
export function scanJsonKeys(
  text: string,
  onKey: (path: readonly string[], key: string, offset: number, line: number) => void,
): void {
  let line = 1;
  const path: string[] = [];
  // per open container: is it an object, and the key most recently read in it
  const isObject: boolean[] = [];
  const currentKey: string[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? decodeJsonString(text.slice(i, end + 1)) : raw;
        currentKey[currentKey.length - 1] = key;
        onKey(path, key, i, line);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (isObject.length > 0) {
        path.push(isObject[isObject.length - 1] === true ? (currentKey.at(-1) ?? '') : '[]');
      }
      isObject.push(c === 0x7b);
      currentKey.push('');
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      isObject.pop();
      currentKey.pop();
      if (isObject.length > 0) path.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = isObject[isObject.length - 1] === true;
    } else if (c === 0x0a /* \n */) {
      line++;
    }
  }
}

/** Offset of the quote closing the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = text.indexOf('"', start + 1);
  while (i !== -1) {
    let backslashes = 0;
    for (let j = i - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return i;
    i = text.indexOf('"', i + 1);
  }
  return text.length - 1;
}

function decodeJsonString(literal: string): string {
  const value: unknown = JSON.parse(literal);
  return typeof value === 'string' ? value : literal;
}

/** Where package-lock v2/v3 keys sit, from one pass shared by the parser and the lockfile check. */
export interface PackageLockKeyLines {
  /** `packages` entry key → line */
  readonly entries: ReadonlyMap<string, number>;
  /** `entry\0field\0name` → line, for the dependency fields of entries outside node_modules */
  readonly declared: ReadonlyMap<string, number>;
}

const keyLinesMemo = createParseMemo<PackageLockKeyLines>();

export function packageLockKeyLines(text: string): PackageLockKeyLines {
  return keyLinesMemo(text, () => {
    const entries = new Map<string, number>();
    const declared = new Map<string, number>();
    scanJsonKeys(text, (path, key, _offset, line) => {
      if (path[0] !== 'packages') return;
      if (path.length === 1) entries.set(key, line);
      else if (path.length === 3 && !path[1]?.includes('node_modules/')) {
        declared.set(`${path[1] ?? ''}\0${path[2] ?? ''}\0${key}`, line);
      }
    });
    return { entries, declared };
  });
}
