// Parsed documents shared within a scan: the inventory parses each lockfile and manifest, and the
// lockfile and pinning checks read the same files again; while a memo is open they get the value
// already parsed instead of parsing the text a second time. Keyed by the whole text (a successful
// parse is a pure function of it), held only while a scan runs; callers only read the values.

/** Documents kept at most per kind, and their text in total (UTF-16 code units). */
const MAX_ENTRIES = 64;
const MAX_TEXT = 128 * 1024 * 1024;

let open = 0;
const clears: (() => void)[] = [];

/**
 * Run `task` with the memos open; they are emptied when the last task running with them ends.
 * Concurrent scans share them, which is safe: an entry only ever answers for identical text.
 */
export async function withParseMemo<T>(task: () => Promise<T>): Promise<T> {
  open++;
  try {
    return await task();
  } finally {
    open--;
    if (open === 0) for (const clear of clears) clear();
  }
}

/** A memo for one parser: `memo(text, parse)` parses each text once while memos are open. */
export function createParseMemo<T>(): (text: string, parse: () => T) => T {
  let entries: { readonly text: string; readonly value: T }[] = [];
  let size = 0;
  clears.push(() => {
    entries = [];
    size = 0;
  });
  return (text, parse) => {
    if (open === 0) return parse();
    // `===` on strings compares lengths first, then contents.
    for (const e of entries) if (e.text === text) return e.value;
    const value = parse(); // a parse that throws is not kept
    if (text.length <= MAX_TEXT) {
      entries.push({ text, value });
      size += text.length;
      while (entries.length > MAX_ENTRIES || size > MAX_TEXT) {
        const dropped = entries.shift();
        if (dropped === undefined) break;
        size -= dropped.text.length;
      }
    }
    return value;
  };
}
