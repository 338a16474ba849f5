// Where keys and tables sit in a TOML text, for file:line findings: smol-toml keeps no positions.
// One forward pass over lines with indexOf and slices; an approximation of TOML's grammar that is
// exact for the shapes manifests use (`[table]`, `[[array]]`, `key = value`, dotted and quoted
// keys, multi-line arrays and strings), and never slow on hostile input.

/** `a."b.c".d` → ['a', 'b.c', 'd']; whitespace around segments ignored. */
export function splitTomlKey(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      const end = text.indexOf(quote, i + 1);
      if (end === -1) return out;
      out.push(text.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = text.indexOf('.', i);
      if (end === -1) end = text.length;
      out.push(text.slice(i, end).trim());
      i = end;
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '.') i++;
    else break;
  }
  return out;
}

export class TomlLines {
  private readonly lines: string[];
  /** `table path\0key` → 1-based line of its first `key =` */
  private readonly keys = new Map<string, number>();
  /** table path → 1-based line of its first header */
  private readonly headers = new Map<string, number>();

  /**
   * `tables`, when given, limits the keys recorded to those tables (headers are all recorded):
   * finding one key of a large lockfile then costs no key bookkeeping for the rest of it.
   */
  constructor(text: string, tables?: ReadonlySet<string>) {
    this.lines = text.split('\n');
    let table = '';
    let multiline: string | undefined; // the closing `"""` or `'''` we are inside
    for (let n = 0; n < this.lines.length; n++) {
      const line = (this.lines[n] ?? '').trim();
      if (multiline !== undefined) {
        if (line.includes(multiline)) multiline = undefined;
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      if (line.startsWith('[')) {
        const double = line.startsWith('[[');
        const close = line.indexOf(double ? ']]' : ']');
        if (close === -1) continue;
        table = splitTomlKey(line.slice(double ? 2 : 1, close)).join('.');
        if (!this.headers.has(table)) this.headers.set(table, n + 1);
        continue;
      }
      const eq = keyEnd(line);
      if (eq === -1) continue;
      if (tables === undefined || tables.has(table)) {
        const segments = splitTomlKey(line.slice(0, eq));
        for (let s = 1; s <= segments.length; s++) {
          const key = `${table}\0${segments.slice(0, s).join('.')}`;
          if (!this.keys.has(key)) this.keys.set(key, n + 1);
        }
      }
      const value = line.slice(eq + 1);
      for (const q of ['"""', "'''"]) {
        const open = value.indexOf(q);
        if (open !== -1 && value.indexOf(q, open + 3) === -1) multiline = q;
      }
    }
  }

  /** Line of `key` (dotted path below the table allowed) in `table` (`a.b`, '' for the top). */
  keyLine(table: string, key: string): number | undefined {
    return (
      this.keys.get(`${table}\0${key}`) ?? this.headers.get(table === '' ? key : `${table}.${key}`)
    );
  }

  headerLine(table: string): number | undefined {
    return this.headers.get(table);
  }

  /** First line at or after `from` holding the quoted string `value`. */
  stringLine(from: number, value: string): number | undefined {
    for (let n = Math.max(0, from - 1); n < this.lines.length; n++) {
      const line = this.lines[n] ?? '';
      if (line.includes(`"${value}"`) || line.includes(`'${value}'`)) return n + 1;
    }
    return undefined;
  }
}

/** Offset of the `=` that ends a key at the start of the line; -1 when the line is no `key =`. */
function keyEnd(line: string): number {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      if (end === -1) return -1;
      i = end + 1;
    } else if (c === '=') {
      return i;
    } else if (c === ',' || c === '[' || c === ']' || c === '{' || c === '}' || c === '#') {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}
