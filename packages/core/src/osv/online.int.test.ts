import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOsvApiServer, type OsvApiServer } from '../../../../test/servers/osv-api-server.js';
import { getString, type JsonObject } from '../decode/json.js';
import { SupplyAuditError } from '../errors.js';
import { queryOsvOnline, type OsvOnlineOptions, type OsvQuery } from './online.js';

const LODASH: OsvQuery = { ecosystem: 'npm', name: 'lodash', version: '4.17.15' };
const JINJA2: OsvQuery = { ecosystem: 'PyPI', name: 'Jinja2', version: '2.10' };
const HYPER: OsvQuery = { ecosystem: 'crates.io', name: 'hyper', version: '0.14.0' };
const PUMA: OsvQuery = { ecosystem: 'RubyGems', name: 'puma', version: '3.12.0' };
const CLEAN: OsvQuery = { ecosystem: 'npm', name: 'left-pad', version: '1.3.0' };

// Checked independently of our evaluators (a Python walk of the same records with `packaging`).
const LODASH_IDS = ['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw'];
const JINJA2_IDS = ['PYSEC-2019-217', 'PYSEC-2021-66'];
const HYPER_IDS = [
  'RUSTSEC-2021-0020',
  'RUSTSEC-2021-0078',
  'RUSTSEC-2021-0079',
  'RUSTSEC-2022-0022',
];
const PUMA_IDS = [
  'GHSA-33vf-4xgg-9r58',
  'GHSA-48w2-rm65-62xx',
  'GHSA-68xg-gqqm-vgj8',
  'GHSA-7xx3-m584-x994',
  'GHSA-84j7-475p-hp8v',
  'GHSA-9hf4-67fc-4vf4',
  'GHSA-c2f4-cvqm-65w2',
  'GHSA-h99w-9q5r-gjq9',
  'GHSA-q28m-8xjw-8vr5',
  'GHSA-rmj8-8hhh-gv5h',
  'GHSA-w64w-qqph-5gxm',
  'GHSA-x7jg-6pwg-fx5h',
];

let server: OsvApiServer;
let dirs: string[] = [];
let sleeps: number[] = [];
let clock = 0;

/** A fake clock that waits advance: retries cost no real time and budgets are exact. */
function fast(extra: OsvOnlineOptions = {}): OsvOnlineOptions {
  return {
    baseUrl: server.url,
    timeoutMs: 5_000,
    budgetMs: 60_000,
    ...extra,
    http: {
      now: () => clock,
      sleep: (ms) => {
        sleeps.push(ms);
        clock += ms;
        return Promise.resolve();
      },
      random: () => 0,
      ...extra.http,
    },
  };
}

function ids(records: readonly JsonObject[] | undefined): string[] {
  return (records ?? []).map((r) => getString(r, 'id') ?? '?').sort();
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'osv-online-'));
  dirs.push(dir);
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<SupplyAuditError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SupplyAuditError) return error;
    throw error;
  }
  throw new Error('expected a SupplyAuditError');
}

beforeEach(async () => {
  server = await startOsvApiServer();
  sleeps = [];
  clock = 0;
});

afterEach(async () => {
  await server.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

describe('queryOsvOnline', () => {
  it('returns the full records affecting each query, per input index', async () => {
    const result = await queryOsvOnline([LODASH, JINJA2, HYPER, PUMA, CLEAN, LODASH], fast());
    expect(ids(result.records.get(0))).toEqual(LODASH_IDS);
    expect(ids(result.records.get(1))).toEqual(JINJA2_IDS);
    expect(ids(result.records.get(2))).toEqual(HYPER_IDS);
    expect(ids(result.records.get(3))).toEqual(PUMA_IDS);
    expect(result.records.get(4)).toEqual([]);
    expect(ids(result.records.get(5))).toEqual(LODASH_IDS);
    expect(result.notes).toEqual([]);
    // one batch of the 5 distinct queries; each of the 21 distinct ids fetched once
    expect(server.batchSizes).toEqual([5]);
    expect(server.counts.vulns).toBe(21);
    expect(new Set(server.vulnGets).size).toBe(21);
    expect(result.stats).toEqual({
      uniqueQueries: 5,
      querybatchCalls: 1,
      vulnsFetched: 21,
      cacheHits: 0,
    });
    const full = result.records.get(0)?.find((r) => getString(r, 'id') === 'GHSA-p6mc-m468-83gw');
    expect(full?.['summary']).toBe('Prototype Pollution in lodash');
  });

  it('follows next_page_token per query and stops on a repeated token', async () => {
    await server.close();
    server = await startOsvApiServer({ pageSize: 5 });
    const paged = await queryOsvOnline([PUMA, LODASH], fast());
    expect(ids(paged.records.get(0))).toEqual(PUMA_IDS);
    expect(ids(paged.records.get(1))).toEqual(LODASH_IDS);
    // puma: pages of 5, 5, 2; the follow-up pages carry puma alone
    expect(server.batchSizes).toEqual([2, 1, 1]);
    expect(paged.notes).toEqual([]);

    await server.close();
    server = await startOsvApiServer({ pageSize: 5, repeatTokenFor: ['puma'] });
    const repeated = await queryOsvOnline([PUMA], fast());
    // page 1 points at offset 5, page 2 points at offset 5 again
    expect(server.batchSizes).toEqual([1, 1]);
    expect(repeated.records.get(0)).toHaveLength(10);
    expect(repeated.notes).toEqual([
      'OSV API repeated a page token for RubyGems puma@3.12.0; stopped after 2 pages',
    ]);
  });

  it('splits 1,001 queries into querybatch calls of 1,000 and 1', async () => {
    const queries = Array.from({ length: 1001 }, (_, i) => ({
      ecosystem: 'npm',
      name: `pkg-${String(i)}`,
      version: '1.0.0',
    }));
    queries[1000] = LODASH;
    const result = await queryOsvOnline(queries, fast());
    expect(server.batchSizes).toEqual([1000, 1]);
    expect(server.counts.querybatch).toBe(2);
    expect(result.records.size).toBe(1001);
    expect(ids(result.records.get(1000))).toEqual(LODASH_IDS);
    expect(result.records.get(999)).toEqual([]);
  });

  it('never sends an invalid query, so one bad item cannot fail the batch', async () => {
    const result = await queryOsvOnline(
      [
        { ecosystem: 'npm', name: '', version: '1.0.0' },
        LODASH,
        { ecosystem: 'PyPI', name: 'jinja2', version: '9'.repeat(300) },
        { ecosystem: 'npm', name: 'a\nb', version: '1.0.0' },
        { ecosystem: 'npm', name: 'qs', version: ' 6.5.0' },
      ],
      fast(),
    );
    expect(server.batchSizes).toEqual([1]);
    expect([...result.records.keys()]).toEqual([1]);
    expect(result.notes).toEqual([
      'OSV query 0 not sent: name is empty',
      'OSV query 2 not sent: version is longer than 256 characters',
      'OSV query 3 not sent: name contains a control character',
      'OSV query 4 not sent: version has leading or trailing spaces',
    ]);
  });

  it('waits as Retry-After says on 429, then succeeds', async () => {
    server.injectFault('querybatch', { kind: 'status', status: 429, retryAfter: '7' });
    const result = await queryOsvOnline([LODASH], fast());
    expect(ids(result.records.get(0))).toEqual(LODASH_IDS);
    expect(sleeps).toEqual([7000]);
    expect(server.counts.querybatch).toBe(2);
  });

  it('reads Retry-After as an HTTP date and caps long waits at maxDelayMs', async () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    server.injectFault('querybatch', {
      kind: 'status',
      status: 429,
      retryAfter: 'Thu, 01 Jan 2026 00:00:04 GMT',
    });
    server.injectFault('querybatch', { kind: 'status', status: 503, retryAfter: '3600' });
    const result = await queryOsvOnline([LODASH], fast({ budgetMs: 120_000 }));
    expect(ids(result.records.get(0))).toEqual(LODASH_IDS);
    expect(sleeps).toEqual([4000, 30_000]);
  });

  it('gives up on 5xx after the retries with one exact line', async () => {
    server.injectFault('querybatch', { kind: 'status', status: 503 }, { times: 10 });
    const error = await failure(queryOsvOnline([LODASH], fast()));
    expect(error.code).toBe('HTTP_FAILED');
    expect(error.message).toBe(
      `POST ${server.url}/v1/querybatch: HTTP 503 Service Unavailable: injected 503 (gave up after 4 attempts)`,
    );
    expect(server.counts.querybatch).toBe(4);
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('stops retrying when the next wait would pass the time budget', async () => {
    server.injectFault('querybatch', { kind: 'status', status: 500 }, { times: 10 });
    server.injectFault('querybatch', { kind: 'status', status: 500 }, { times: 10 });
    const error = await failure(
      queryOsvOnline([LODASH], fast({ budgetMs: 2_000, http: { maxRetries: 10 } })),
    );
    expect(error.message).toBe(
      `POST ${server.url}/v1/querybatch: HTTP 500 Internal Server Error: injected 500; waiting 2 s more would pass the 2 s time budget (gave up after 4 attempts)`,
    );
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('retries a truncated JSON body, and fails with what it saw when it persists', async () => {
    server.injectFault('querybatch', { kind: 'truncated-json' });
    const once = await queryOsvOnline([LODASH], fast());
    expect(ids(once.records.get(0))).toEqual(LODASH_IDS);

    server.injectFault(
      'vulns',
      { kind: 'truncated-json' },
      { times: 4, id: 'GHSA-jf85-cpcp-j695' },
    );
    const error = await failure(
      queryOsvOnline([{ ecosystem: 'npm', name: 'lodash', version: '4.17.4' }], fast()),
    );
    expect(error.code).toBe('HTTP_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${server.url}/v1/vulns/GHSA-jf85-cpcp-j695: truncated JSON \\(unexpected end of input\\) in a \\d+-byte response \\(gave up after 4 attempts\\)$`,
      ),
    );
  });

  it('recovers from a connection reset mid-body', async () => {
    server.injectFault('querybatch', { kind: 'reset' });
    const result = await queryOsvOnline([JINJA2], fast());
    expect(ids(result.records.get(0))).toEqual(JINJA2_IDS);
    expect(server.counts.querybatch).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  it('refuses a body over the size cap at once', async () => {
    server.injectFault('vulns', { kind: 'huge', bytes: 5 * 1024 * 1024 });
    const error = await failure(
      queryOsvOnline([JINJA2], fast({ http: { maxResponseBytes: 1024 * 1024 } })),
    );
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${server.url}/v1/vulns/PYSEC-[0-9-]+: response over the 1048576-byte limit$`,
      ),
    );
    expect(sleeps).toEqual([]);
  });

  it('times out a slow response, retries, and reports the timeout', async () => {
    server.injectFault('querybatch', { kind: 'slow', delayMs: 5_000 }, { times: 5 });
    const started = Date.now();
    const error = await failure(
      queryOsvOnline([LODASH], fast({ timeoutMs: 150, http: { maxRetries: 1 } })),
    );
    expect(error.message).toBe(
      `POST ${server.url}/v1/querybatch: no complete response within 150 ms (gave up after 2 attempts)`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says so when an HTML page comes back with status 200', async () => {
    server.injectFault('querybatch', { kind: 'html-200' });
    const error = await failure(queryOsvOnline([LODASH], fast()));
    expect(error.message).toBe(
      `POST ${server.url}/v1/querybatch: expected JSON, got an HTML page (HTTP 200)`,
    );
  });

  it('keeps a finding whose record is gone (404), by id, with a note', async () => {
    server.hiddenIds.add('GHSA-35jh-r3h4-6jhm');
    const result = await queryOsvOnline([LODASH], fast());
    expect(ids(result.records.get(0))).toEqual(LODASH_IDS);
    const stub = result.records.get(0)?.find((r) => getString(r, 'id') === 'GHSA-35jh-r3h4-6jhm');
    expect(stub).toEqual({ id: 'GHSA-35jh-r3h4-6jhm', modified: '2022-02-08T21:35:09Z' });
    expect(result.notes).toEqual([
      'OSV API has no record for GHSA-35jh-r3h4-6jhm (HTTP 404); reported by id only',
    ]);
  });

  it('serves a warm run from the cache, and refetches a record whose modified changed', async () => {
    const cacheDir = await tempDir();
    const cold = await queryOsvOnline([LODASH, HYPER], fast({ cacheDir }));
    expect(cold.stats.vulnsFetched).toBe(7);
    expect((await readdir(join(cacheDir, 'vulns'))).sort()).toEqual(
      [...LODASH_IDS, ...HYPER_IDS].map((id) => `${id}.json`).sort(),
    );

    server.resetCounters();
    const warm = await queryOsvOnline([LODASH, HYPER], fast({ cacheDir }));
    expect(server.counts.vulns).toBe(0);
    expect(warm.stats).toMatchObject({ vulnsFetched: 0, cacheHits: 7 });
    expect(ids(warm.records.get(1))).toEqual(HYPER_IDS);
    expect(warm.records.get(1)).toEqual(cold.records.get(1));

    const old = cold.records.get(0)?.find((r) => getString(r, 'id') === 'GHSA-p6mc-m468-83gw');
    server.putRecord({ ...old, modified: '2030-01-01T00:00:00Z', summary: 'updated' });
    server.resetCounters();
    const newer = await queryOsvOnline([LODASH, HYPER], fast({ cacheDir }));
    expect(server.vulnGets).toEqual(['GHSA-p6mc-m468-83gw']);
    const fresh = newer.records.get(0)?.find((r) => getString(r, 'id') === 'GHSA-p6mc-m468-83gw');
    expect(fresh?.['summary']).toBe('updated');
  });

  it('goes on without a cache it cannot write, with a note', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'a-file');
    await writeFile(cacheDir, 'not a folder');
    // six records written by eight workers at once: still one note
    const result = await queryOsvOnline([JINJA2, HYPER], fast({ cacheDir }));
    expect(ids(result.records.get(0))).toEqual(JINJA2_IDS);
    expect(ids(result.records.get(1))).toEqual(HYPER_IDS);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(
      /^OSV cache .*a-file\/vulns is not writable \(.*\); continuing without it$/,
    );
  });

  it('keeps credentials and query secrets out of every message', async () => {
    const withUser = server.url.replace('http://', 'http://osv-user:s3cret-pass@');
    const refused = await failure(queryOsvOnline([LODASH], fast({ baseUrl: withUser })));
    expect(refused.message).toBe(
      `${server.url}/v1/querybatch: refusing a URL with credentials in it; pass them in a header instead`,
    );

    server.injectFault('querybatch', { kind: 'status', status: 500 }, { times: 10 });
    const error = await failure(
      queryOsvOnline([LODASH], fast({ baseUrl: `${server.url}/?key=s3cret-key` })),
    );
    expect(error.message).toBe(
      `POST ${server.url}/v1/querybatch: HTTP 500 Internal Server Error: injected 500 (gave up after 4 attempts)`,
    );
    for (const e of [refused, error]) expect(e.message).not.toMatch(/s3cret/);
  });

  it('refuses plain http to a host that is not loopback, before any request', async () => {
    const error = await failure(
      queryOsvOnline([LODASH], fast({ baseUrl: 'http://osv.example.com' })),
    );
    expect(error.message).toBe(
      'http://osv.example.com/v1/querybatch: refusing plain http to a host that is not loopback; use https',
    );
  });

  it('throws HTTP_FAILED when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(queryOsvOnline([LODASH], fast({ signal: controller.signal })));
    expect(error.message).toBe(`POST ${server.url}/v1/querybatch: cancelled`);
  });
});
