// A loopback server speaking the OSV API (https://google.github.io/osv.dev/api/) over real
// records: POST /v1/querybatch, POST /v1/query (what pip-audit's `-s osv --osv-url` calls) and
// GET /v1/vulns/{id}, with page-size and fault knobs and request counters for tests.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  getArray,
  getObject,
  getString,
  isJsonObject,
  type JsonObject,
} from '../../packages/core/src/decode/json.js';
import { cargoVersionScheme } from '../../packages/core/src/ecosystems/cargo/version.js';
import { npmVersionScheme } from '../../packages/core/src/ecosystems/npm/version.js';
import { pypiVersionScheme } from '../../packages/core/src/ecosystems/pypi/version.js';
import { rubygemsVersionScheme } from '../../packages/core/src/ecosystems/rubygems/version.js';
import type { VersionScheme } from '../../packages/core/src/ecosystems/types.js';

/** Real OSV records (npm, PyPI, crates.io, RubyGems), see its generate.sh and NOTICE. */
export const OSV_ONLINE_FIXTURES = fileURLToPath(
  new URL('../../packages/core/src/osv/__fixtures__/online/', import.meta.url),
);

export const OSV_ROUTES = ['querybatch', 'query', 'vulns'] as const;
export type OsvRoute = (typeof OSV_ROUTES)[number];

export type OsvFault =
  /** an error status with an OSV-style JSON body, and `Retry-After` when given */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  /** status 200, JSON cut in the middle (framing intact: Content-Length is the cut length) */
  | { readonly kind: 'truncated-json' }
  /** headers and half the body sent, then the socket destroyed */
  | { readonly kind: 'reset' }
  /** the normal answer, after a delay */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** status 200 with an HTML page, as a captive portal or a proxy sends */
  | { readonly kind: 'html-200' }
  /** status 200, JSON content type, `bytes` bytes streamed without Content-Length */
  | { readonly kind: 'huge'; readonly bytes: number }
  /** 404 with OSV's own body */
  | { readonly kind: 'not-found' };

interface FaultRule {
  readonly route: OsvRoute;
  readonly fault: OsvFault;
  /** only for GET /v1/vulns/{id} of this id */
  readonly id: string | undefined;
  remaining: number;
}

export interface OsvApiServerOptions {
  /** records to serve; default: every fixture under OSV_ONLINE_FIXTURES */
  readonly records?: readonly JsonObject[];
  /** vulns per querybatch result page; more give a `next_page_token` (default: no paging) */
  readonly pageSize?: number;
  /** package names whose querybatch pages always carry the same token (a buggy server) */
  readonly repeatTokenFor?: readonly string[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface OsvApiServer {
  /** `http://127.0.0.1:<port>`, no trailing slash */
  readonly url: string;
  /** requests per route */
  readonly counts: Record<OsvRoute, number>;
  /** number of queries in each querybatch call, in order */
  readonly batchSizes: number[];
  /** ids asked of GET /v1/vulns/{id}, in order */
  readonly vulnGets: string[];
  readonly requests: RecordedRequest[];
  /** the next `times` (default 1) requests to `route` (and `id`) get `fault` */
  injectFault(route: OsvRoute, fault: OsvFault, options?: { times?: number; id?: string }): void;
  /** replaces a record (same id), e.g. with a newer `modified` */
  putRecord(record: JsonObject): void;
  /** ids GET /v1/vulns/{id} answers with 404 although querybatch lists them */
  readonly hiddenIds: Set<string>;
  resetCounters(): void;
  close(): Promise<void>;
}

/** Every `<Ecosystem>/<ID>.json` under `dir`. */
export function loadOsvRecords(dir = OSV_ONLINE_FIXTURES): JsonObject[] {
  const out: JsonObject[] = [];
  const ecosystems = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  for (const eco of ecosystems) {
    if (!eco.isDirectory()) continue;
    for (const file of readdirSync(join(dir, eco.name)).sort()) {
      if (!file.endsWith('.json')) continue;
      const value: unknown = JSON.parse(readFileSync(join(dir, eco.name, file), 'utf8'));
      if (isJsonObject(value)) out.push(value);
    }
  }
  return out;
}

const SCHEMES: ReadonlyMap<string, VersionScheme> = new Map([
  ['npm', npmVersionScheme],
  ['crates.io', cargoVersionScheme],
  ['PyPI', pypiVersionScheme],
  ['RubyGems', rubygemsVersionScheme],
]);

/** PEP 503 for PyPI, as osv.dev compares names; identity elsewhere. */
export function normalizePackageName(ecosystem: string, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/**
 * Whether `version` of (ecosystem, name) is affected by `record`: listed in `versions`, or inside
 * an ECOSYSTEM/SEMVER range (events sorted, introduced/fixed/last_affected/limit as the OSV spec
 * says). GIT ranges are ignored, as osv.dev does for package queries.
 */
export function isAffected(
  record: JsonObject,
  ecosystem: string,
  name: string,
  version: string,
): boolean {
  const wanted = normalizePackageName(ecosystem, name);
  for (const affected of getArray(record, 'affected') ?? []) {
    if (!isJsonObject(affected)) continue;
    const pkg = getObject(affected, 'package');
    if (pkg === undefined || getString(pkg, 'ecosystem') !== ecosystem) continue;
    if (normalizePackageName(ecosystem, getString(pkg, 'name') ?? '') !== wanted) continue;
    if ((getArray(affected, 'versions') ?? []).includes(version)) return true;
    for (const range of getArray(affected, 'ranges') ?? []) {
      if (!isJsonObject(range)) continue;
      const type = getString(range, 'type');
      const scheme =
        type === 'SEMVER'
          ? npmVersionScheme
          : type === 'ECOSYSTEM'
            ? SCHEMES.get(ecosystem)
            : undefined;
      if (scheme === undefined || !scheme.isValid(version)) continue;
      if (inRange(getArray(range, 'events') ?? [], version, scheme)) return true;
    }
  }
  return false;
}

function inRange(rawEvents: readonly unknown[], version: string, scheme: VersionScheme): boolean {
  const events: { kind: string; at: string }[] = [];
  for (const event of rawEvents) {
    if (!isJsonObject(event)) continue;
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit']) {
      const at = getString(event, kind);
      if (at !== undefined && (at === '0' || scheme.isValid(at))) events.push({ kind, at });
    }
  }
  const cmp = (a: string, b: string): number =>
    a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : scheme.compare(a, b);
  events.sort((x, y) => cmp(x.at, y.at));
  let affected = false;
  for (const { kind, at } of events) {
    const c = cmp(version, at);
    if (kind === 'introduced' && c >= 0) affected = true;
    else if (kind === 'fixed' && c >= 0) affected = false;
    else if (kind === 'last_affected' && c > 0) affected = false;
    else if (kind === 'limit' && c >= 0) return false;
  }
  return affected;
}

export async function startOsvApiServer(options: OsvApiServerOptions = {}): Promise<OsvApiServer> {
  const records = new Map<string, JsonObject>();
  for (const record of options.records ?? loadOsvRecords()) {
    const id = getString(record, 'id');
    if (id !== undefined && !records.has(id)) records.set(id, record);
  }
  const faults: FaultRule[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const counts: Record<OsvRoute, number> = { querybatch: 0, query: 0, vulns: 0 };
  const batchSizes: number[] = [];
  const vulnGets: string[] = [];
  const requests: RecordedRequest[] = [];
  const hiddenIds = new Set<string>();
  const repeat = new Set(options.repeatTokenFor ?? []);

  const matching = (ecosystem: string, name: string, version: string): JsonObject[] =>
    [...records.values()].filter((r) => isAffected(r, ecosystem, name, version));

  const takeFault = (route: OsvRoute, id?: string): OsvFault | undefined => {
    const rule = faults.find(
      (f) => f.route === route && f.remaining > 0 && (f.id === undefined || f.id === id),
    );
    if (rule === undefined) return undefined;
    rule.remaining--;
    return rule.fault;
  };

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  /** Sends `body` as JSON unless a fault says otherwise. */
  const answer = (
    res: ServerResponse,
    fault: OsvFault | undefined,
    status: number,
    body: unknown,
  ): void => {
    const text = JSON.stringify(body);
    if (fault === undefined) {
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    switch (fault.kind) {
      case 'status': {
        const error = JSON.stringify({
          code: fault.status === 429 ? 8 : 14,
          message: `injected ${String(fault.status)}`,
        });
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
        });
        res.end(error);
        return;
      }
      case 'not-found':
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 5, message: 'Bug not found.' }));
        return;
      case 'truncated-json': {
        const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(cut),
        });
        res.end(cut);
        return;
      }
      case 'reset': {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
        return;
      }
      case 'slow':
        later(fault.delayMs, () => {
          if (!res.destroyed) answer(res, undefined, status, body);
        });
        return;
      case 'html-200':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Portal</body></html>',
        );
        return;
      case 'huge': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = fault.bytes;
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!res.write(chunk.subarray(0, n))) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
    }
  };

  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const part of req) {
      const buffer = Buffer.isBuffer(part) ? part : Buffer.from(String(part));
      size += buffer.length;
      if (size > 64 * 1024 * 1024) throw new Error('request body too large');
      chunks.push(buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  };

  const badRequest = (res: ServerResponse, message: string): void => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 3, message }));
  };

  /** A query's package, version and page token, or a reason it is invalid (OSV answers 400). */
  const readQuery = (
    q: unknown,
  ): { ecosystem: string; name: string; version: string; token: string | undefined } | string => {
    if (!isJsonObject(q)) return 'query is not an object';
    const pkg = getObject(q, 'package');
    const ecosystem = pkg === undefined ? undefined : getString(pkg, 'ecosystem');
    const name = pkg === undefined ? undefined : getString(pkg, 'name');
    const version = getString(q, 'version');
    if (ecosystem === undefined || ecosystem === '' || name === undefined || name === '')
      return 'Invalid query.';
    if (version === undefined || version === '') return 'Invalid query.';
    return { ecosystem, name, version, token: getString(q, 'page_token') };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
    if (req.method === 'POST' && url.pathname === '/v1/querybatch') {
      counts.querybatch++;
      const body = await readBody(req);
      const queries = isJsonObject(body) ? getArray(body, 'queries') : undefined;
      if (queries === undefined) {
        badRequest(res, 'Invalid query.');
        return;
      }
      batchSizes.push(queries.length);
      if (queries.length > 1000) {
        badRequest(res, 'Too many queries.');
        return;
      }
      const results: JsonObject[] = [];
      for (const q of queries) {
        const query = readQuery(q);
        if (typeof query === 'string') {
          badRequest(res, query);
          return;
        }
        const all = matching(query.ecosystem, query.name, query.version);
        const offset =
          query.token === undefined
            ? 0
            : Number(Buffer.from(query.token, 'base64url').toString('utf8').slice(1));
        const size = options.pageSize ?? Number.MAX_SAFE_INTEGER;
        const page = all.slice(offset, offset + size);
        const result: JsonObject = {};
        if (page.length > 0) {
          result['vulns'] = page.map((r) => ({
            id: getString(r, 'id') ?? '',
            modified: getString(r, 'modified') ?? '',
          }));
        }
        if (offset + size < all.length) {
          const nextOffset = repeat.has(query.name) ? size : offset + size;
          result['next_page_token'] = Buffer.from(`o${String(nextOffset)}`).toString('base64url');
        }
        results.push(result);
      }
      answer(res, takeFault('querybatch'), 200, { results });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/query') {
      counts.query++;
      const query = readQuery(await readBody(req));
      if (typeof query === 'string') {
        badRequest(res, query);
        return;
      }
      const vulns = matching(query.ecosystem, query.name, query.version);
      answer(res, takeFault('query'), 200, vulns.length === 0 ? {} : { vulns });
      return;
    }
    const prefix = '/v1/vulns/';
    if (req.method === 'GET' && url.pathname.startsWith(prefix)) {
      counts.vulns++;
      const id = decodeURIComponent(url.pathname.slice(prefix.length));
      vulnGets.push(id);
      const record = records.get(id);
      const fault = takeFault('vulns', id);
      if (record === undefined || hiddenIds.has(id)) {
        answer(res, fault ?? { kind: 'not-found' }, 404, {});
        return;
      }
      answer(res, fault, 200, record);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 5, message: 'Not found.' }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) badRequest(res, error instanceof Error ? error.message : 'bad request');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${String(port)}`,
    counts,
    batchSizes,
    vulnGets,
    requests,
    hiddenIds,
    injectFault(route, fault, opts = {}) {
      faults.push({ route, fault, id: opts.id, remaining: opts.times ?? 1 });
    },
    putRecord(record) {
      const id = getString(record, 'id');
      if (id !== undefined) records.set(id, record);
    },
    resetCounters() {
      for (const route of OSV_ROUTES) counts[route] = 0;
      batchSizes.length = 0;
      vulnGets.length = 0;
      requests.length = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
      });
    },
  };
}
