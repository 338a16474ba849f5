// Lines of the entries of a top-level YAML section (`packages:` → `  name@1.0.0:`), for lockfiles
// that package managers write in block style. One pass over the lines; js-yaml gives no positions.

/**
 * For each top-level key in `sections`, the 1-based line of every key indented by exactly two
 * spaces beneath it, decoded as YAML would (plain, 'single' or "double" quoted). Keys written in
 * other styles are absent: callers fall back to the section's own line, kept under ''.
 */
export function yamlEntryLines(
  text: string,
  sections: readonly string[],
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  let current: Map<string, number> | undefined;
  let line = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    line++;
    if (start === 0 && text.charCodeAt(0) === 0xfeff) start = 1;
    const c0 = text.charCodeAt(start);
    if (c0 !== 0x20 && c0 !== 0x23 /* # */ && end > start && c0 !== 0x0d) {
      const key = readKey(text, start, end);
      current = key !== undefined && sections.includes(key) ? new Map([['', line]]) : undefined;
      if (current !== undefined && key !== undefined && !out.has(key)) out.set(key, current);
    } else if (
      current !== undefined &&
      c0 === 0x20 &&
      text.charCodeAt(start + 1) === 0x20 &&
      text.charCodeAt(start + 2) !== 0x20 &&
      text.charCodeAt(start + 2) !== 0x23 &&
      start + 2 < end
    ) {
      const key = readKey(text, start + 2, end);
      if (key !== undefined && !current.has(key)) current.set(key, line);
    }
    start = end + 1;
  }
  return out;
}

/** The key of a `key: value` or `key:` line starting at `from`, or undefined. */
function readKey(text: string, from: number, to: number): string | undefined {
  let end = to;
  if (text.charCodeAt(end - 1) === 0x0d) end--;
  const q = text.charCodeAt(from);
  if (q === 0x27 /* ' */) {
    let out = '';
    let i = from + 1;
    let run = i;
    while (i < end) {
      if (text.charCodeAt(i) !== 0x27) {
        i++;
        continue;
      }
      out += text.slice(run, i);
      if (text.charCodeAt(i + 1) === 0x27 && i + 1 < end) {
        out += "'";
        i += 2;
        run = i;
        continue;
      }
      return text.charCodeAt(i + 1) === 0x3a ? out : undefined;
    }
    return undefined;
  }
  if (q === 0x22 /* " */) {
    let i = from + 1;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else i++;
    }
    if (i >= end || text.charCodeAt(i + 1) !== 0x3a) return undefined;
    try {
      const value: unknown = JSON.parse(text.slice(from, i + 1));
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  // Plain key: up to the first `: ` or a `:` ending the line (bounded by the line: linear).
  for (let i = from; i < end; i++) {
    if (text.charCodeAt(i) !== 0x3a) continue;
    const next = text.charCodeAt(i + 1);
    if (i + 1 >= end || next === 0x20 || next === 0x09) return text.slice(from, i).trimEnd();
  }
  return undefined;
}

/** 1-based lines of the top-level keys of a block-style YAML document (yarn berry entries). */
export function yamlTopLevelLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let line = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    line++;
    if (start === 0 && text.charCodeAt(0) === 0xfeff) start = 1;
    const c0 = text.charCodeAt(start);
    if (end > start && c0 !== 0x20 && c0 !== 0x23 && c0 !== 0x0d && c0 !== 0x09) {
      const key = readKey(text, start, end);
      if (key !== undefined && !out.has(key)) out.set(key, line);
    }
    start = end + 1;
  }
  return out;
}
