// Where each entry of a lockfile starts. The TOML and JSON readers give no positions, so one
// forward scan of the text finds them; entries are matched by name and version, in file order.
import { normalizePypiName } from './name.js';

interface Header {
  readonly line: number;
  name?: string;
  version?: string;
}

/** The value of `key = "value"` (or `'value'`) on a trimmed line, else undefined. */
function quotedValue(trimmed: string, key: string): string | undefined {
  if (!trimmed.startsWith(key)) return undefined;
  let i = key.length;
  while (trimmed[i] === ' ' || trimmed[i] === '\t') i++;
  if (trimmed[i] !== '=') return undefined;
  i++;
  while (trimmed[i] === ' ' || trimmed[i] === '\t') i++;
  const quote = trimmed[i];
  if (quote !== '"' && quote !== "'") return undefined;
  const end = trimmed.indexOf(quote, i + 1);
  return end === -1 ? undefined : trimmed.slice(i + 1, end);
}

/** `[[package]]`, allowing inner spaces and a trailing comment. */
function isArrayHeader(trimmed: string, table: string): boolean {
  if (!trimmed.startsWith('[[')) return false;
  const close = trimmed.indexOf(']]');
  if (close === -1) return false;
  const rest = trimmed.slice(close + 2).trim();
  if (rest !== '' && !rest.startsWith('#')) return false;
  return trimmed.slice(2, close).trim() === table;
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Lines of the `[[package]]` tables of a TOML lockfile, matched to entries by name and version.
 * Each header is handed out once, so the whole matching is linear in the file and entries.
 */
export class TomlEntryLines {
  private readonly headers: Header[] = [];
  private readonly byKey = new Map<string, Queue>();
  private readonly byName = new Map<string, Queue>();
  private readonly used = new Set<number>();

  constructor(text: string, table = 'package') {
    let current: Header | undefined;
    let inMultiline = false;
    let lineNo = 0;
    let start = 0;
    // The next `"""` and `'''` at or after `start`, found again only once passed: linear overall.
    let nextDouble = text.indexOf('"""');
    let nextSingle = text.indexOf("'''");
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      lineNo++;
      if (nextDouble !== -1 && nextDouble < start) nextDouble = text.indexOf('"""', start);
      if (nextSingle !== -1 && nextSingle < start) nextSingle = text.indexOf("'''", start);
      // Most lines (hashes, dependency lists) can change nothing below: skip them without
      // slicing. A line matters when it may open or close a multi-line string, or starts with
      // `[`, `n` (name) or `v` (version) once leading ASCII whitespace is skipped; any other
      // first character that could be whitespace to trim() goes the long way.
      if (
        !inMultiline &&
        (nextDouble === -1 || nextDouble >= end) &&
        (nextSingle === -1 || nextSingle >= end)
      ) {
        let i = start;
        let c = text.charCodeAt(i);
        while (i < end && (c === 0x20 || (c >= 0x09 && c <= 0x0d))) c = text.charCodeAt(++i);
        if (i < end && c < 0x80 && c !== 0x5b && c !== 0x6e && c !== 0x76) {
          start = end + 1;
          continue;
        }
      }
      const trimmed = text.slice(start, end).trim();
      start = end + 1;
      // Skip the inside of multi-line strings, where a `[[package]]` line would be text.
      const quotes = countOf(trimmed, '"""') + countOf(trimmed, "'''");
      if (inMultiline) {
        if (quotes % 2 === 1) inMultiline = false;
        continue;
      }
      if (quotes % 2 === 1) inMultiline = true;
      if (trimmed.startsWith('[')) {
        current = isArrayHeader(trimmed, table) ? { line: lineNo } : undefined;
        if (current) this.headers.push(current);
        continue;
      }
      if (current === undefined) continue;
      if (current.name === undefined) {
        const name = quotedValue(trimmed, 'name');
        if (name !== undefined) current.name = normalizePypiName(name);
      }
      if (current.version === undefined) {
        const version = quotedValue(trimmed, 'version');
        if (version !== undefined) current.version = version;
      }
    }
    this.headers.forEach((h, index) => {
      if (h.name === undefined) return;
      push(this.byKey, `${h.name}\0${h.version ?? ''}`, index);
      push(this.byName, h.name, index);
    });
  }

  /** Line of the next unused entry with this name (and version), else of the index-th header. */
  lineOf(name: string, version: string | undefined, index: number): number {
    const found =
      this.take(this.byKey.get(`${normalizePypiName(name)}\0${version ?? ''}`)) ??
      this.take(this.byName.get(normalizePypiName(name)));
    if (found !== undefined) return found;
    return this.headers[index]?.line ?? 1;
  }

  private take(queue: Queue | undefined): number | undefined {
    if (queue === undefined) return undefined;
    while (queue.next < queue.items.length) {
      const index = queue.items[queue.next++];
      if (index === undefined || this.used.has(index)) continue;
      this.used.add(index);
      return this.headers[index]?.line;
    }
    return undefined;
  }
}

/** Header indexes in file order, with a cursor: each is handed out once. */
interface Queue {
  readonly items: number[];
  next: number;
}

function push(map: Map<string, Queue>, key: string, value: number): void {
  const queue = map.get(key);
  if (queue === undefined) map.set(key, { items: [value], next: 0 });
  else queue.items.push(value);
}

/**
 * Lines of the keys of the objects one level down in a JSON document (`{"default": {"flask": ...`
 * gives `default` → `flask` → line). A single linear pass over the text, strings and escapes
 * honoured; a repeated key keeps its last line, as JSON.parse keeps its last value.
 */
export function jsonSectionKeyLines(text: string): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  // Stack of containers: for objects, the key they sit under at depth 1 (the section).
  const stack: ('object' | 'array')[] = [];
  let line = 1;
  let section: string | undefined;
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === '"') {
      const startLine = line;
      let j = i + 1;
      let value = '';
      let segment = j;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          value += text.slice(segment, j);
          const next = text[j + 1] ?? '';
          // Keys of interest are names: a simple unescape is enough to compare them.
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'u' ? '\\u' : next;
          j += 2;
          segment = j;
          continue;
        }
        if (text[j] === '\n') line++;
        j++;
      }
      value += text.slice(segment, j);
      i = j + 1;
      if (expectKey && stack[stack.length - 1] === 'object') {
        if (stack.length === 1) section = value;
        else if (stack.length === 2 && section !== undefined) {
          let keys = result.get(section);
          if (keys === undefined) {
            keys = new Map();
            result.set(section, keys);
          }
          keys.set(value, startLine);
        }
        expectKey = false;
      }
      continue;
    }
    if (ch === '{') {
      stack.push('object');
      expectKey = true;
    } else if (ch === '[') {
      stack.push('array');
      expectKey = false;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      expectKey = false;
    } else if (ch === ',') {
      expectKey = stack[stack.length - 1] === 'object';
    }
    i++;
  }
  return result;
}
