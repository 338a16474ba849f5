// Shared pieces of native-auditor parsing: finding the JSON document in a tool's stdout, turning
// an unusable output into a one-line reason, and normalising severities and ids.
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../decode/index.js';
import { describeError } from '../errors.js';
import { summarizeStderr } from '../exec/index.js';
import type { Severity } from '../model/index.js';
import type { ToolOutput } from './types.js';

export type JsonDocument =
  | { readonly ok: true; readonly value: JsonValue; readonly prefix: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The JSON document on stdout. Text before it is tolerated (bundler-audit prints update progress
 * there): the document starts at the first line that begins with `{` or `[`. An empty stdout, or
 * one without JSON, is a failure whose reason quotes stderr (redacted by exec/).
 */
export function readJsonDocument(tool: string, output: ToolOutput): JsonDocument {
  const text = output.stdout;
  if (text.trim() === '') {
    return {
      ok: false,
      reason: withStderr(`${tool} printed nothing on stdout${exitText(output)}`, output),
    };
  }
  const start = documentStart(text);
  if (start === -1) {
    const first = summarizeStderr(text, { maxLines: 1, maxChars: 160 });
    return {
      ok: false,
      reason: withStderr(`${tool} printed no JSON${exitText(output)} (stdout: ${first})`, output),
    };
  }
  try {
    return {
      ok: true,
      value: parseJson(text.slice(start), `${tool} output`),
      prefix: text.slice(0, start),
    };
  } catch (error) {
    return { ok: false, reason: withStderr(`${describeError(error)}${exitText(output)}`, output) };
  }
}

function documentStart(text: string): number {
  let offset = 0;
  while (offset < text.length) {
    let i = offset;
    while (
      i < text.length &&
      (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\ufeff')
    )
      i++;
    if (text[i] === '{' || text[i] === '[') return i;
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return -1;
    offset = nl + 1;
  }
  return -1;
}

function exitText(output: ToolOutput): string {
  return output.exitCode === undefined ? '' : ` (exit ${String(output.exitCode)})`;
}

/** Append the tail of stderr to a reason, when there is any. */
export function withStderr(reason: string, output: ToolOutput): string {
  const hint = summarizeStderr(output.stderr);
  return hint === '' ? reason : `${reason}: ${hint}`;
}

/** Tool ratings to ours: npm `moderate` and bundler `medium` are both `medium`; `info`/`none` low. */
export function normalizeSeverity(value: string | null | undefined): Severity {
  switch (value?.toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'moderate':
    case 'medium':
      return 'medium';
    case 'low':
    case 'info':
    case 'none':
      return 'low';
    default:
      return 'unknown';
  }
}

const GHSA_IN_URL = /\/advisories\/(GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})(?:[/?#]|$)/i;

/** `https://github.com/advisories/GHSA-xxxx-xxxx-xxxx` → `GHSA-xxxx-xxxx-xxxx`. */
export function ghsaFromUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const m = GHSA_IN_URL.exec(url.slice(0, 512));
  return m?.[1] === undefined ? undefined : `GHSA-${m[1].slice(5).toLowerCase()}`;
}

/** Ids in order without duplicates or empty strings. */
export function uniqueIds(ids: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    if (id !== undefined && id !== '' && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Own array property of strings only (other members dropped). */
export function stringArray(obj: JsonObject, key: string): string[] {
  if (!Object.hasOwn(obj, key)) return [];
  const v = obj[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function objectArray(obj: JsonObject, key: string): JsonObject[] {
  if (!Object.hasOwn(obj, key)) return [];
  const v = obj[key];
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

export function getNumber(obj: JsonObject, key: string): number | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
