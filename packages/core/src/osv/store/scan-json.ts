// One pass over the bytes of an OSV record at import: checks that it is JSON exactly as
// JSON.parse would accept it, copies it without insignificant whitespace (osv.dev pretty-prints
// its exports: about a third of the bytes), and picks out the few fields the index needs (id,
// modified, affected[].package.{ecosystem,name}), with JSON.parse's rule that the last of
// duplicate keys wins. No object is built for the rest of the record, which is what makes an
// import of 230,000 records cheap (JSON.parse of every record and its garbage collection cost
// more than inflating them). Records nested deeper than MAX_DEPTH are left to JSON.parse.
import { isUtf8 } from 'node:buffer';

const MAX_DEPTH = 64;

/** What the index needs of a record; `undefined` fields were absent or not strings. */
export interface ScannedRecord {
  readonly rootIsObject: boolean;
  readonly id: string | undefined;
  readonly modified: string | undefined;
  /** undefined when `affected` is absent or not an array; per entry, its package when usable */
  readonly affected: readonly (ScannedPackage | undefined)[] | undefined;
  /** bytes written to `out` (the record without insignificant whitespace) */
  readonly length: number;
}

export interface ScannedPackage {
  readonly ecosystem: string | undefined;
  readonly name: string | undefined;
}

export type ScanOutcome =
  | { readonly kind: 'ok'; readonly record: ScannedRecord }
  | { readonly kind: 'invalid'; readonly reason: 'not valid UTF-8' | 'invalid JSON' }
  | { readonly kind: 'too-deep' };

class Invalid extends Error {}
class TooDeep extends Error {}

/** Field of interest a container's keys are matched against. */
const ROOT = 1;
const AFFECTED_ENTRY = 2;
const PACKAGE = 3;
const OTHER = 0;

const KEY_ID = Buffer.from('id');
const KEY_MODIFIED = Buffer.from('modified');
const KEY_AFFECTED = Buffer.from('affected');
const KEY_PACKAGE = Buffer.from('package');
const KEY_ECOSYSTEM = Buffer.from('ecosystem');
const KEY_NAME = Buffer.from('name');

/**
 * Scan `src` (the record's bytes, a UTF-8 BOM allowed) and write the minified record to `out`
 * from offset `at`; `out` must have room for `src.length` bytes there.
 */
export function scanRecord(src: Uint8Array, out: Uint8Array, at: number): ScanOutcome {
  if (!isUtf8(src)) return { kind: 'invalid', reason: 'not valid UTF-8' };
  const s = new Scanner(src, out, at);
  try {
    return { kind: 'ok', record: s.record() };
  } catch (error) {
    if (error instanceof TooDeep) return { kind: 'too-deep' };
    if (error instanceof Invalid) return { kind: 'invalid', reason: 'invalid JSON' };
    throw error;
  }
}

class Scanner {
  private pos: number;
  private o: number;
  private id: string | undefined;
  private modified: string | undefined;
  private affected: (ScannedPackage | undefined)[] | undefined;
  // per affected entry / package being read
  private entryPackage: ScannedPackage | undefined;
  private ecosystem: string | undefined;
  private name: string | undefined;
  // the last string read: [start, end) inside the quotes, and whether it has escapes
  private strStart = 0;
  private strEnd = 0;
  private strEscaped = false;
  private readonly text: Buffer;

  constructor(
    private readonly src: Uint8Array,
    private readonly out: Uint8Array,
    private readonly start: number,
  ) {
    this.text = Buffer.isBuffer(src) ? src : Buffer.from(src.buffer, src.byteOffset, src.length);
    this.pos = src[0] === 0xef && src[1] === 0xbb && src[2] === 0xbf ? 3 : 0;
    this.o = start;
  }

  record(): ScannedRecord {
    this.ws();
    const rootIsObject = this.src[this.pos] === 0x7b;
    this.value(0, rootIsObject ? ROOT : OTHER);
    this.ws();
    if (this.pos !== this.src.length) throw new Invalid();
    return {
      rootIsObject,
      id: this.id,
      modified: this.modified,
      affected: this.affected,
      length: this.o - this.start,
    };
  }

  private ws(): void {
    const src = this.src;
    let p = this.pos;
    for (;;) {
      const c = src[p];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private emit(c: number): void {
    this.out[this.o++] = c;
  }

  /** A value; `role` says which keys of an object here matter. Strings are left in str*. */
  private value(depth: number, role: number): void {
    const c = this.src[this.pos];
    if (c === 0x22) this.string();
    else if (c === 0x7b) this.object(depth + 1, role);
    else if (c === 0x5b) this.array(depth + 1, OTHER);
    else if (c === 0x74) this.literal(LIT_TRUE);
    else if (c === 0x66) this.literal(LIT_FALSE);
    else if (c === 0x6e) this.literal(LIT_NULL);
    else this.number();
  }

  private object(depth: number, role: number): void {
    if (depth > MAX_DEPTH) throw new TooDeep();
    this.emit(0x7b);
    this.pos++;
    this.ws();
    if (this.src[this.pos] === 0x7d) {
      this.emit(0x7d);
      this.pos++;
      return;
    }
    for (;;) {
      if (this.src[this.pos] !== 0x22) throw new Invalid();
      this.string();
      const field = role === OTHER ? 0 : this.field(role);
      this.ws();
      if (this.src[this.pos] !== 0x3a) throw new Invalid();
      this.emit(0x3a);
      this.pos++;
      this.ws();
      const c = this.src[this.pos];
      if (field === 0) this.value(depth, OTHER);
      else this.capture(depth, role, field, c);
      if (!this.more(0x7d)) return;
    }
  }

  /** Read a value under a key that matters, and record it (the last duplicate key wins). */
  private capture(depth: number, role: number, field: number, c: number | undefined): void {
    if (role === ROOT) {
      if (field === F_AFFECTED) {
        if (c === 0x5b) {
          this.affected = [];
          this.array(depth + 1, AFFECTED_ENTRY);
        } else {
          this.affected = undefined;
          this.value(depth, OTHER);
        }
        return;
      }
      this.value(depth, OTHER);
      const text = c === 0x22 ? this.lastString() : undefined;
      if (field === F_ID) this.id = text;
      else this.modified = text;
      return;
    }
    if (role === AFFECTED_ENTRY) {
      // field === F_PACKAGE
      if (c === 0x7b) {
        this.ecosystem = undefined;
        this.name = undefined;
        this.object(depth + 1, PACKAGE);
        this.entryPackage = { ecosystem: this.ecosystem, name: this.name };
      } else {
        this.value(depth, OTHER);
        this.entryPackage = undefined;
      }
      return;
    }
    // PACKAGE: ecosystem or name
    this.value(depth, OTHER);
    const text = c === 0x22 ? this.lastString() : undefined;
    if (field === F_ECOSYSTEM) this.ecosystem = text;
    else this.name = text;
  }

  private array(depth: number, role: number): void {
    if (depth > MAX_DEPTH) throw new TooDeep();
    this.emit(0x5b);
    this.pos++;
    this.ws();
    if (this.src[this.pos] === 0x5d) {
      this.emit(0x5d);
      this.pos++;
      return;
    }
    for (;;) {
      if (role === AFFECTED_ENTRY) {
        const isObject = this.src[this.pos] === 0x7b;
        this.entryPackage = undefined;
        this.value(depth, isObject ? AFFECTED_ENTRY : OTHER);
        this.affected?.push(isObject ? this.entryPackage : undefined);
      } else this.value(depth, OTHER);
      if (!this.more(0x5d)) return;
    }
  }

  /** After a member or element: `,` means another follows (true), `close` ends the container. */
  private more(close: number): boolean {
    this.ws();
    const next = this.src[this.pos];
    this.pos++;
    if (next === 0x2c) {
      this.emit(0x2c);
      this.ws();
      return true;
    }
    if (next === close) {
      this.emit(close);
      return false;
    }
    throw new Invalid();
  }

  /** Which field of interest the key just read is, for an object of that role (0: none). */
  private field(role: number): number {
    if (role === ROOT) {
      if (this.keyIs(KEY_ID)) return F_ID;
      if (this.keyIs(KEY_MODIFIED)) return F_MODIFIED;
      if (this.keyIs(KEY_AFFECTED)) return F_AFFECTED;
      return 0;
    }
    if (role === AFFECTED_ENTRY) return this.keyIs(KEY_PACKAGE) ? F_PACKAGE : 0;
    if (this.keyIs(KEY_ECOSYSTEM)) return F_ECOSYSTEM;
    if (this.keyIs(KEY_NAME)) return F_NAME;
    return 0;
  }

  private keyIs(key: Buffer): boolean {
    if (this.strEscaped) return this.lastString() === key.toString('latin1');
    const length = this.strEnd - this.strStart;
    if (length !== key.length) return false;
    for (let i = 0; i < length; i++) {
      if (this.src[this.strStart + i] !== key[i]) return false;
    }
    return true;
  }

  private lastString(): string {
    if (!this.strEscaped) return this.text.toString('utf8', this.strStart, this.strEnd);
    const text = this.text.toString('utf8', this.strStart - 1, this.strEnd + 1);
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'string') throw new Invalid();
    return value;
  }

  private string(): void {
    const src = this.src;
    const out = this.out;
    let p = this.pos + 1;
    let o = this.o;
    out[o++] = 0x22;
    let escaped = false;
    for (;;) {
      const c = src[p];
      if (c === undefined || c < 0x20) throw new Invalid();
      if (c === 0x22) break;
      if (c !== 0x5c) {
        // a run of plain characters: check it, then copy it in one go when it is long
        let q = p + 1;
        for (;;) {
          const d = src[q];
          if (d === undefined || d === 0x22 || d === 0x5c || d < 0x20) break;
          q++;
        }
        if (q - p > 32) {
          out.set(src.subarray(p, q), o);
          o += q - p;
          p = q;
        } else {
          while (p < q) out[o++] = src[p++] ?? 0;
        }
        continue;
      }
      out[o++] = c;
      p++;
      escaped = true;
      const e = src[p];
      if (e === 0x75) {
        for (let k = 1; k <= 4; k++) {
          const h = src[p + k];
          if (h === undefined || !isHex(h)) throw new Invalid();
        }
        for (let k = 0; k < 5; k++) out[o++] = src[p + k] ?? 0;
        p += 5;
        continue;
      }
      if (
        e === 0x22 ||
        e === 0x5c ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      ) {
        out[o++] = e;
        p++;
        continue;
      }
      throw new Invalid();
    }
    out[o++] = 0x22;
    this.strStart = this.pos + 1;
    this.strEnd = p;
    this.strEscaped = escaped;
    this.pos = p + 1;
    this.o = o;
  }

  private number(): void {
    const src = this.src;
    let p = this.pos;
    if (src[p] === 0x2d) p++;
    const first = src[p];
    if (first === 0x30) p++;
    else if (first !== undefined && first >= 0x31 && first <= 0x39) {
      p++;
      while (isDigit(src[p])) p++;
    } else throw new Invalid();
    if (src[p] === 0x2e) {
      p++;
      if (!isDigit(src[p])) throw new Invalid();
      while (isDigit(src[p])) p++;
    }
    if (src[p] === 0x65 || src[p] === 0x45) {
      p++;
      if (src[p] === 0x2b || src[p] === 0x2d) p++;
      if (!isDigit(src[p])) throw new Invalid();
      while (isDigit(src[p])) p++;
    }
    for (let i = this.pos; i < p; i++) this.out[this.o++] = src[i] ?? 0;
    this.pos = p;
  }

  private literal(word: Uint8Array): void {
    for (let i = 0; i < word.length; i++) {
      if (this.src[this.pos + i] !== word[i]) throw new Invalid();
    }
    this.out.set(word, this.o);
    this.o += word.length;
    this.pos += word.length;
  }
}

const F_ID = 1;
const F_MODIFIED = 2;
const F_AFFECTED = 3;
const F_PACKAGE = 4;
const F_ECOSYSTEM = 5;
const F_NAME = 6;

const LIT_TRUE = Buffer.from('true');
const LIT_FALSE = Buffer.from('false');
const LIT_NULL = Buffer.from('null');

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
