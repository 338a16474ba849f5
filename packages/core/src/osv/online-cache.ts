// The on-disk cache of full OSV records fetched from the API, one file per id, valid for the
// `modified` time querybatch reports: a warm run fetches nothing it already has.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getString, isJsonObject, parseJson, type JsonObject } from '../decode/json.js';
import { describeError } from '../errors.js';

/** One record is far below this; anything bigger in the cache is not ours. */
const MAX_CACHED_RECORD_BYTES = 8 * 1024 * 1024;
const MAX_FILE_NAME = 200;
const SAFE = /^[A-Za-z0-9_-]$/;
/** Windows device names, unusable as a file's base name whatever the extension. */
const RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file name for an advisory id: letters, digits, `-` and `_` kept, every other character as
 * `%XX` of its UTF-8 bytes (so `.`, `/`, `\` and `..` cannot occur), a Windows device name made
 * harmless, `.json` appended. Ids too long for a file name are cut and suffixed with their hash.
 */
export function cacheFileName(id: string): string {
  let name = '';
  for (const ch of id) {
    if (SAFE.test(ch)) name += ch;
    else {
      for (const byte of new TextEncoder().encode(ch)) {
        name += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  if (RESERVED.test(name))
    name = `%${name.charCodeAt(0).toString(16).toUpperCase()}${name.slice(1)}`;
  if (name.length > MAX_FILE_NAME) name = `${name.slice(0, 120)}~${fnv1a(id)}`;
  return `${name}.json`;
}

/** A short stable hash for over-long ids (collisions are caught by the id check on read). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export interface VulnCache {
  /** The cached record when it is this id at exactly this `modified`, else undefined. */
  get(id: string, modified: string): Promise<JsonObject | undefined>;
  /** Stores the record's JSON text atomically; a failure becomes a note, never an error. */
  put(id: string, text: string): Promise<void>;
}

/** A cache under `dir/vulns/`; problems are added to `notes` once and the run goes on uncached. */
export function createVulnCache(dir: string, notes: string[]): VulnCache {
  const folder = join(dir, 'vulns');
  let writeFailures = 0;
  let folderReady: Promise<void> | undefined;
  return {
    async get(id, modified) {
      const file = join(folder, cacheFileName(id));
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        return undefined;
      }
      if (bytes.byteLength > MAX_CACHED_RECORD_BYTES) return undefined;
      try {
        const value = parseJson(bytes.toString('utf8'), file);
        if (!isJsonObject(value)) return undefined;
        if (getString(value, 'id') !== id || getString(value, 'modified') !== modified) {
          return undefined;
        }
        return value;
      } catch {
        // a damaged entry is refetched and overwritten
        return undefined;
      }
    },
    async put(id, text) {
      if (writeFailures > 0) return;
      const file = join(folder, cacheFileName(id));
      const temp = join(folder, `.${cacheFileName(id)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        folderReady ??= mkdir(folder, { recursive: true }).then(() => undefined);
        await folderReady;
        await writeFile(temp, text, { mode: 0o644 });
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        // concurrent writers may fail together: one note is enough
        if (++writeFailures > 1) return;
        notes.push(
          `OSV cache ${folder} is not writable (${describeError(error)}); continuing without it`,
        );
      }
    },
  };
}
