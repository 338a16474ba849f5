// TOML from untrusted files (Cargo.lock, Cargo.toml, poetry.lock, uv.lock, pyproject.toml, Pipfile):
// smol-toml (null-prototype tables, so `__proto__` keys stay data), a one-line `file:line: reason`
// error, and type guards instead of casts.
import { parse, TomlError } from 'smol-toml';
import { SupplyAuditError } from '../errors.js';
import { createParseMemo } from './memo.js';

/** A parsed table. Values stay `unknown` and are narrowed where read (smol-toml's recursive
 * value types also send a typescript-eslint rule into endless recursion). */
export interface TomlTable {
  readonly [key: string]: unknown;
}

/** Nesting limit: lockfiles and manifests are shallow; deeper input is hostile. */
const MAX_DEPTH = 64;

const tomlMemo = createParseMemo<TomlTable>();

/** Parse TOML text or throw PARSE_FAILED with `file:line: invalid TOML (reason)`. */
export function parseToml(text: string, file: string): TomlTable {
  return tomlMemo(text, () => parseTomlText(text, file));
}

function parseTomlText(text: string, file: string): TomlTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = parse(body, { maxDepth: MAX_DEPTH });
  } catch (cause) {
    if (!(cause instanceof TomlError)) throw cause;
    // smol-toml messages are `Invalid TOML document: reason\n\n<code frame>`: keep the reason.
    const firstLine = cause.message.split('\n', 1)[0] ?? '';
    const reason = firstLine.replace('Invalid TOML document: ', '').slice(0, 120);
    const line = cause.line > 0 ? cause.line : 1;
    throw new SupplyAuditError('PARSE_FAILED', `${file}:${line}: invalid TOML (${reason})`, {
      file,
      line,
      cause,
    });
  }
  // smol-toml always returns the root table; the guard only satisfies the type system.
  return isTable(doc) ? doc : {};
}

/** A TOML table (smol-toml builds them with a null prototype; dates are objects too). */
export function isTable(value: unknown): value is TomlTable {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** Own value of a key, never read through a prototype. */
export function getOwn(table: TomlTable, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function getTable(table: TomlTable, key: string): TomlTable | undefined {
  const value = getOwn(table, key);
  return isTable(value) ? value : undefined;
}

export function getText(table: TomlTable, key: string): string | undefined {
  const value = getOwn(table, key);
  return typeof value === 'string' ? value : undefined;
}

export function getList(table: TomlTable, key: string): readonly unknown[] | undefined {
  const value = getOwn(table, key);
  return Array.isArray(value) ? (value satisfies unknown[]) : undefined;
}

/** The tables of an array (of tables); other items are dropped. */
export function getTables(table: TomlTable, key: string): TomlTable[] {
  return (getList(table, key) ?? []).filter(isTable);
}

/** Own entries of a table, `__proto__` included, as data. */
export function tableEntries(table: TomlTable): [string, unknown][] {
  return Object.entries(table);
}

/** The strings of a list; other items are dropped. */
export function getStrings(table: TomlTable, key: string): string[] {
  return (getList(table, key) ?? []).filter((v): v is string => typeof v === 'string');
}

/**
 * The items of an array of tables (`[[package]]`), or [] when the key is absent; PARSE_FAILED
 * naming the file and line when the key holds something else. Items are not checked here.
 */
export function getTableArray(
  table: TomlTable,
  key: string,
  file: string,
  line = 1,
): readonly unknown[] {
  const value = getOwn(table, key);
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new SupplyAuditError(
      'PARSE_FAILED',
      `${file}:${String(line)}: "${key}" is not an array of tables`,
      { file, line },
    );
  }
  return value;
}
