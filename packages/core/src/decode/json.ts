// JSON from untrusted files. JSON.parse defines `__proto__` as an own data property (it never
// swaps a prototype), and V8's parser is iterative, so deep nesting cannot overflow the stack;
// what is left to us is a clear error with a line, and never copying keys onto plain objects.
import { SupplyAuditError } from '../errors.js';
import { createParseMemo } from './memo.js';
import { lineAt } from './text.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const POSITION = /position (\d+)/;

const jsonMemo = createParseMemo<JsonValue>();

/** Parse JSON text or throw PARSE_FAILED with `file:line: reason`. */
export function parseJson(text: string, file: string): JsonValue {
  return jsonMemo(text, () => parseJsonText(text, file));
}

function parseJsonText(text: string, file: string): JsonValue {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new SupplyAuditError('PARSE_FAILED', `${file}: empty file, expected JSON`, { file });
  }
  try {
    return JSON.parse(body) as JsonValue;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const match = POSITION.exec(message);
    const line =
      match?.[1] === undefined ? lineAt(body, body.length) : lineAt(body, Number(match[1]));
    const reason = /Unexpected end/i.test(message)
      ? 'truncated JSON (unexpected end of input)'
      : `invalid JSON (${message.replace(/\s*in JSON at position \d+.*$/s, '').slice(0, 120)})`;
    throw new SupplyAuditError('PARSE_FAILED', `${file}:${String(line)}: ${reason}`, {
      file,
      line,
      cause,
    });
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own string property, or undefined. Never reads through the prototype chain. */
export function getString(obj: JsonObject, key: string): string | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

export function getObject(obj: JsonObject, key: string): JsonObject | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  return isJsonObject(v) ? v : undefined;
}

export function getBoolean(obj: JsonObject, key: string): boolean | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function getArray(obj: JsonObject, key: string): JsonValue[] | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  return Array.isArray(v) ? v : undefined;
}

/** Own enumerable entries, including a `__proto__` key, as data. */
export function ownEntries(obj: JsonObject): [string, JsonValue][] {
  return Object.entries(obj);
}
