// The online OSV client: which advisories affect each package version, from the OSV API
// (`POST /v1/querybatch`, then `GET /v1/vulns/{id}` for the full records, cached on disk).
// API reference: https://google.github.io/osv.dev/api/ (querybatch, get-vuln-by-id).
import {
  getArray,
  getString,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from '../decode/json.js';
import { SupplyAuditError } from '../errors.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http/client.js';
import { createVulnCache, type VulnCache } from './online-cache.js';

export const OSV_API_URL = 'https://api.osv.dev';
/** querybatch accepts at most this many queries per call */
export const OSV_BATCH_LIMIT = 1000;
export const DEFAULT_OSV_CONCURRENCY = 8;
/** pages fetched for one query before giving up on it (with a note) */
export const MAX_PAGES_PER_QUERY = 100;
const MAX_ECOSYSTEM_LENGTH = 64;
const MAX_NAME_LENGTH = 512;
const MAX_VERSION_LENGTH = 256;
const MAX_ID_LENGTH = 256;
const MAX_TOKEN_LENGTH = 4096;

export interface OsvQuery {
  /** OSV ecosystem name: npm, PyPI, crates.io, RubyGems, ... */
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
}

export interface OsvOnlineOptions {
  /** API root, default https://api.osv.dev (a path prefix is kept: https://mirror.example.com/osv) */
  readonly baseUrl?: string;
  /** folder for the record cache (`<cacheDir>/vulns/<id>.json`); no cache when absent */
  readonly cacheDir?: string;
  readonly signal?: AbortSignal;
  /** parallel `GET /v1/vulns/{id}` requests, default 8 */
  readonly concurrency?: number;
  /** per HTTP attempt */
  readonly timeoutMs?: number;
  /** per HTTP request, all its retries included */
  readonly budgetMs?: number;
  /** queries per querybatch call, at most (and by default) 1,000 */
  readonly batchSize?: number;
  /** the rest of the HTTP client's options (proxy, retries, size cap, test clock, ...) */
  readonly http?: Omit<HttpClientOptions, 'signal' | 'timeoutMs' | 'budgetMs'>;
}

export interface OsvOnlineStats {
  /** valid distinct queries sent */
  readonly uniqueQueries: number;
  readonly querybatchCalls: number;
  readonly vulnsFetched: number;
  readonly cacheHits: number;
}

export interface OsvOnlineResult {
  /**
   * For each valid query, by its index in the input: the full OSV records (as returned, not yet
   * schema-checked) of the advisories the API says affect it, in the API's order, without
   * duplicates; an empty array when none. Invalid queries have no entry (and a note).
   * A record the API could not return (404) is `{ id, modified }` only.
   */
  readonly records: Map<number, JsonObject[]>;
  /** one-line remarks for the report: skipped queries, missing records, cache trouble */
  readonly notes: string[];
  readonly stats: OsvOnlineStats;
}

/** Why a query cannot be sent, or undefined when it is fine. Checked so one bad item never 400s a batch. */
export function invalidQueryReason(query: OsvQuery): string | undefined {
  const fields = [
    ['ecosystem', query.ecosystem, MAX_ECOSYSTEM_LENGTH],
    ['name', query.name, MAX_NAME_LENGTH],
    ['version', query.version, MAX_VERSION_LENGTH],
  ] as const;
  for (const [field, value, max] of fields) {
    if (typeof value !== 'string' || value.trim() === '') return `${field} is empty`;
    if (value.length > max) return `${field} is longer than ${String(max)} characters`;
    if (value !== value.trim()) return `${field} has leading or trailing spaces`;
    if (hasControlCharacter(value)) return `${field} contains a control character`;
  }
  return undefined;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Splits a list into consecutive chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size ${String(size)}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface UniqueQuery {
  readonly query: OsvQuery;
  /** input positions asking exactly this */
  readonly indices: number[];
  /** advisory ids in the API's order, without duplicates */
  readonly ids: string[];
  readonly seenTokens: Set<string>;
  pages: number;
}

interface PendingPage {
  readonly unique: UniqueQuery;
  readonly pageToken?: string;
}

/**
 * Asks the OSV API which advisories affect each query and returns their full records.
 * Throws SupplyAuditError (HTTP_FAILED after retries, SOURCE_FAILED for answers that break the
 * protocol) so that the caller marks the OSV source failed; it never returns a silently empty result.
 */
export async function queryOsvOnline(
  queries: readonly OsvQuery[],
  options: OsvOnlineOptions = {},
): Promise<OsvOnlineResult> {
  const notes: string[] = [];
  const base = apiBase(options.baseUrl ?? OSV_API_URL);
  const batchSize = Math.min(OSV_BATCH_LIMIT, Math.max(1, options.batchSize ?? OSV_BATCH_LIMIT));
  // Aborted when we return or throw, so no request outlives the call (e.g. other hydration
  // workers after one has failed).
  const done = new AbortController();
  const http = createHttpClient({
    ...options.http,
    signal:
      options.signal === undefined ? done.signal : AbortSignal.any([options.signal, done.signal]),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
  });
  const stats = { uniqueQueries: 0, querybatchCalls: 0, vulnsFetched: 0, cacheHits: 0 };
  try {
    const uniques = collectQueries(queries, notes);
    stats.uniqueQueries = uniques.length;

    // Rounds of querybatch: first every query, then the ones that asked for another page.
    let pending: PendingPage[] = uniques.map((unique) => ({ unique }));
    const modifiedById = new Map<string, string>();
    while (pending.length > 0) {
      const next: PendingPage[] = [];
      for (const batch of chunk(pending, batchSize)) {
        stats.querybatchCalls++;
        const results = await postQueryBatch(http, base, batch);
        batch.forEach((page, i) => {
          const more = readBatchResult(results[i], page, modifiedById, notes);
          if (more !== undefined) next.push(more);
        });
      }
      pending = next;
    }

    const cache =
      options.cacheDir === undefined ? undefined : createVulnCache(options.cacheDir, notes);
    const recordsById = await hydrate(http, base, modifiedById, cache, options, notes, stats);

    const records = new Map<number, JsonObject[]>();
    for (const unique of uniques) {
      const list: JsonObject[] = [];
      for (const id of unique.ids) {
        const record = recordsById.get(id);
        if (record !== undefined) list.push(record);
      }
      for (const index of unique.indices) records.set(index, list);
    }
    return { records, notes, stats };
  } finally {
    done.abort();
    await http.close();
  }
}

function apiBase(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new SupplyAuditError('CONFIG_INVALID', 'OSV API URL is not a valid URL', { cause });
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  url.search = '';
  url.hash = '';
  return url;
}

function collectQueries(queries: readonly OsvQuery[], notes: string[]): UniqueQuery[] {
  const byKey = new Map<string, UniqueQuery>();
  queries.forEach((query, index) => {
    const reason = invalidQueryReason(query);
    if (reason !== undefined) {
      notes.push(`OSV query ${String(index)} not sent: ${reason}`);
      return;
    }
    const key = JSON.stringify([query.ecosystem, query.name, query.version]);
    const known = byKey.get(key);
    if (known !== undefined) known.indices.push(index);
    else {
      byKey.set(key, {
        query: { ecosystem: query.ecosystem, name: query.name, version: query.version },
        indices: [index],
        ids: [],
        seenTokens: new Set(),
        pages: 0,
      });
    }
  });
  return [...byKey.values()];
}

async function postQueryBatch(
  http: HttpClient,
  base: URL,
  batch: readonly PendingPage[],
): Promise<JsonValue[]> {
  const body = {
    queries: batch.map(({ unique: { query }, pageToken }) => ({
      package: { ecosystem: query.ecosystem, name: query.name },
      version: query.version,
      ...(pageToken === undefined ? {} : { page_token: pageToken }),
    })),
  };
  const url = new URL('v1/querybatch', base);
  const response = await http.requestJson({ url, method: 'POST', json: body });
  const results = isJsonObject(response.value) ? getArray(response.value, 'results') : undefined;
  if (results?.length !== batch.length) {
    throw new SupplyAuditError(
      'SOURCE_FAILED',
      `${response.url}: expected ${String(batch.length)} results, got ${results === undefined ? 'none' : String(results.length)}`,
    );
  }
  return results;
}

/** Records one querybatch result; returns the next page to ask for, if any. */
function readBatchResult(
  result: JsonValue | undefined,
  page: PendingPage,
  modifiedById: Map<string, string>,
  notes: string[],
): PendingPage | undefined {
  const { unique } = page;
  unique.pages++;
  const label = `${unique.query.ecosystem} ${unique.query.name}@${unique.query.version}`;
  if (!isJsonObject(result)) {
    notes.push(`OSV API gave no usable result for ${label}`);
    return undefined;
  }
  for (const vuln of getArray(result, 'vulns') ?? []) {
    if (!isJsonObject(vuln)) continue;
    const id = getString(vuln, 'id');
    if (id === undefined || id === '' || id.length > MAX_ID_LENGTH) {
      notes.push(`OSV API returned an unusable advisory id for ${label}`);
      continue;
    }
    const modified = getString(vuln, 'modified') ?? '';
    const known = modifiedById.get(id);
    // the newest `modified` wins when pages disagree (ISO 8601 UTC sorts as text)
    if (known === undefined || modified > known) modifiedById.set(id, modified);
    if (!unique.ids.includes(id)) unique.ids.push(id);
  }
  const token = getString(result, 'next_page_token');
  if (token === undefined || token === '') return undefined;
  if (token.length > MAX_TOKEN_LENGTH || unique.seenTokens.has(token)) {
    notes.push(
      `OSV API repeated a page token for ${label}; stopped after ${String(unique.pages)} pages`,
    );
    return undefined;
  }
  if (unique.pages >= MAX_PAGES_PER_QUERY) {
    notes.push(
      `OSV API had more than ${String(MAX_PAGES_PER_QUERY)} pages for ${label}; stopped there`,
    );
    return undefined;
  }
  unique.seenTokens.add(token);
  return { unique, pageToken: token };
}

async function hydrate(
  http: HttpClient,
  base: URL,
  modifiedById: ReadonlyMap<string, string>,
  cache: VulnCache | undefined,
  options: OsvOnlineOptions,
  notes: string[],
  stats: { vulnsFetched: number; cacheHits: number },
): Promise<Map<string, JsonObject>> {
  const out = new Map<string, JsonObject>();
  const ids = [...modifiedById.keys()];
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_OSV_CONCURRENCY, 64));
  let next = 0;
  const work = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++];
      if (id === undefined) return;
      const modified = modifiedById.get(id) ?? '';
      const cached = modified === '' ? undefined : await cache?.get(id, modified);
      if (cached !== undefined) {
        stats.cacheHits++;
        out.set(id, cached);
        continue;
      }
      stats.vulnsFetched++;
      const url = new URL(`v1/vulns/${encodeURIComponent(id)}`, base);
      const response = await http.requestJson({ url, acceptStatuses: [404] });
      const minimal: JsonObject = modified === '' ? { id } : { id, modified };
      if (response.status === 404) {
        notes.push(`OSV API has no record for ${id} (HTTP 404); reported by id only`);
        out.set(id, minimal);
        continue;
      }
      const record = response.value;
      if (!isJsonObject(record) || getString(record, 'id') !== id) {
        notes.push(`OSV API returned a record that is not ${id}; reported by id only`);
        out.set(id, minimal);
        continue;
      }
      out.set(id, record);
      if (cache !== undefined && getString(record, 'modified') !== undefined) {
        await cache.put(id, JSON.stringify(record));
      }
    }
  };
  // The first failure rejects at once; the caller's `finally` then cancels the other workers.
  await Promise.all(Array.from({ length: Math.min(workers, ids.length) }, work));
  return out;
}
