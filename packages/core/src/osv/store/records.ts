// Deciding, per raw record, whether it goes into an ecosystem's store and under which names.
// Only the fields the index needs are checked; the full schema is the matcher's business.
import type { Ecosystem } from '../../model/index.js';
import { baseEcosystem, normalizePackageName } from './names.js';
import type { ScannedRecord } from './scan-json.js';

export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const MAX_ID_LENGTH = 256;
const MAX_NAME_LENGTH = 1024;

export type Classified =
  | {
      readonly kind: 'ok';
      readonly id: string;
      readonly modified: string;
      readonly names: string[];
      /** the record's text as stored; `bytes`, when set, is its original UTF-8 */
      readonly json: string;
      readonly bytes?: Uint8Array;
    }
  | { readonly kind: 'skipped'; readonly id: string | undefined; readonly reason: string };

/** What the index needs of a record that goes in (the bytes are stored separately). */
export type Keyed =
  | {
      readonly kind: 'ok';
      readonly id: string;
      readonly modified: string;
      readonly names: string[];
    }
  | { readonly kind: 'skipped'; readonly id: string | undefined; readonly reason: string };

/** Classify a record read by scanRecord: the same decisions as classifyRecord on its JSON. */
export function classifyScanned(r: ScannedRecord, ecosystem: Ecosystem): Keyed {
  if (!r.rootIsObject) return { kind: 'skipped', id: undefined, reason: 'not a JSON object' };
  const id = r.id;
  if (id === undefined || !validId(id)) {
    return { kind: 'skipped', id: undefined, reason: 'no valid id' };
  }
  if (r.affected === undefined || r.affected.length === 0) {
    return { kind: 'skipped', id, reason: 'no affected packages' };
  }
  const names = new Set<string>();
  for (const pkg of r.affected) {
    if (pkg === undefined) continue;
    addName(names, ecosystem, pkg.ecosystem, pkg.name);
  }
  if (names.size === 0) {
    return { kind: 'skipped', id, reason: `no ${ecosystem} package in affected` };
  }
  return { kind: 'ok', id, modified: r.modified ?? '', names: [...names] };
}

function validId(id: string): boolean {
  return id !== '' && id.length <= MAX_ID_LENGTH && !hasControl(id);
}

/** Add an affected package's name when it is of this ecosystem and usable. */
function addName(names: Set<string>, ecosystem: Ecosystem, eco: unknown, name: unknown): void {
  if (typeof eco !== 'string' || typeof name !== 'string') return;
  if (baseEcosystem(eco) !== ecosystem) return;
  if (name === '' || name.length > MAX_NAME_LENGTH || hasControl(name)) return;
  names.add(normalizePackageName(ecosystem, name));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Classify the bytes of one OSV record read from an archive entry. */
export function classifyRecordBytes(bytes: Uint8Array, ecosystem: Ecosystem): Classified {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'skipped', id: undefined, reason: 'not valid UTF-8' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'skipped', id: undefined, reason: 'invalid JSON' };
  }
  const c = classifyRecord(data, ecosystem, text);
  if (c.kind !== 'ok') return c;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { ...c, bytes: bytes.subarray(bom) };
}

/**
 * Classify a parsed record. `json` is the text to store (the original when it was valid), so
 * that a lookup returns the record exactly as published.
 */
export function classifyRecord(data: unknown, ecosystem: Ecosystem, json: string): Classified {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { kind: 'skipped', id: undefined, reason: 'not a JSON object' };
  }
  const id = own(data, 'id');
  if (typeof id !== 'string' || !validId(id)) {
    return { kind: 'skipped', id: undefined, reason: 'no valid id' };
  }
  const modifiedValue = own(data, 'modified');
  const modified = typeof modifiedValue === 'string' ? modifiedValue : '';
  const affected = ownArray(data, 'affected');
  if (affected === undefined || affected.length === 0) {
    return { kind: 'skipped', id, reason: 'no affected packages' };
  }
  const names = new Set<string>();
  for (const entry of affected) {
    if (typeof entry !== 'object' || entry === null) continue;
    const pkg = own(entry, 'package');
    if (typeof pkg !== 'object' || pkg === null) continue;
    addName(names, ecosystem, own(pkg, 'ecosystem'), own(pkg, 'name'));
  }
  if (names.size === 0) {
    return { kind: 'skipped', id, reason: `no ${ecosystem} package in affected` };
  }
  return { kind: 'ok', id, modified, names: [...names], json };
}

/** An own array property of parsed JSON. */
export function ownArray(obj: object, key: string): unknown[] | undefined {
  const value = own(obj, key);
  return Array.isArray(value) ? value : undefined;
}

/** An own property of parsed JSON, never one from the prototype chain. */
export function own(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? Reflect.get(obj, key) : undefined;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
