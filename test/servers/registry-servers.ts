// Loopback servers answering like the four registries the license lookups ask: the npm registry
// (`GET /<name>`, scoped as `@scope%2Fname`), the PyPI JSON API (`GET /pypi/<name>/<version>/json`),
// the crates.io API (`GET /api/v1/crates/<name>/<version>`) and the RubyGems API v2
// (`GET /api/v2/rubygems/<name>/versions/<version>.json`), over the documents in
// packages/core/src/checks/__fixtures__/license/registry/, with fault knobs and request logs.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REGISTRY_FIXTURES = fileURLToPath(
  new URL('../../packages/core/src/checks/__fixtures__/license/registry/', import.meta.url),
);

export const REGISTRY_KINDS = ['npm', 'pypi', 'crates-io', 'rubygems'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export type RegistryFault =
  /** an error status with the registry's kind of error body */
  | { readonly kind: 'status'; readonly status: number }
  /** the normal answer, after a delay */
  | { readonly kind: 'slow'; readonly delayMs: number };

export interface RegistryRequest {
  readonly method: string;
  /** the raw request path, as sent */
  readonly path: string;
  readonly userAgent: string | undefined;
}

export interface RegistryServer {
  readonly kind: RegistryKind;
  /** `http://127.0.0.1:<port>`, no trailing slash */
  readonly url: string;
  readonly requests: RegistryRequest[];
  /** the next `times` (default 1) requests get `fault` */
  injectFault(fault: RegistryFault, times?: number): void;
  close(): Promise<void>;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = Reflect.get(current, key);
  }
  return current;
}

function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Route key → document, from the fixture folder of one registry. */
function loadDocuments(kind: RegistryKind): Map<string, unknown> {
  const docs = new Map<string, unknown>();
  const dir = join(REGISTRY_FIXTURES, kind);
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const doc = readJson(join(dir, file));
    let key: unknown;
    if (kind === 'npm') key = field(doc, 'name');
    else if (kind === 'pypi') {
      const name = field(doc, 'info', 'name');
      key =
        typeof name === 'string'
          ? `${pep503(name)}/${String(field(doc, 'info', 'version'))}`
          : undefined;
    } else if (kind === 'crates-io') {
      key = `${String(field(doc, 'version', 'crate'))}/${String(field(doc, 'version', 'num'))}`;
    } else {
      key = `${String(field(doc, 'name'))}/${String(field(doc, 'version'))}`;
    }
    if (typeof key === 'string') docs.set(key, doc);
  }
  return docs;
}

/** The document key a request path names, or undefined for a path the registry does not have. */
function routeKey(kind: RegistryKind, rawPath: string): string | undefined {
  const path = rawPath.split('?')[0] ?? '';
  let match: RegExpExecArray | null;
  switch (kind) {
    case 'npm':
      // `@scope%2Fname` (npm's own encoding) or a bare name; a raw `/` inside a name is not a package.
      match = /^\/((?:@[^/]+%2[Ff])?[^/@][^/]*)$/.exec(path);
      return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    case 'pypi':
      match = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(path);
      return match?.[1] === undefined || match[2] === undefined
        ? undefined
        : `${pep503(decodeURIComponent(match[1]))}/${decodeURIComponent(match[2])}`;
    case 'crates-io':
      match = /^\/api\/v1\/crates\/([^/]+)\/([^/]+)$/.exec(path);
      return match?.[1] === undefined || match[2] === undefined
        ? undefined
        : `${match[1]}/${decodeURIComponent(match[2])}`;
    case 'rubygems':
      match = /^\/api\/v2\/rubygems\/([^/]+)\/versions\/([^/]+)\.json$/.exec(path);
      return match?.[1] === undefined || match[2] === undefined
        ? undefined
        : `${match[1]}/${decodeURIComponent(match[2])}`;
  }
}

/** Each registry's 404: npm `{"error":"Not found"}`, crates.io `{"errors":[...]}`, PyPI and RubyGems text/HTML. */
function sendNotFound(kind: RegistryKind, res: ServerResponse): void {
  if (kind === 'npm') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
  } else if (kind === 'crates-io') {
    res
      .writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
      .end('{"errors":[{"detail":"Not Found"}]}');
  } else if (kind === 'pypi') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message": "Not Found"}');
  } else {
    res
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      .end('This rubygem could not be found.');
  }
}

export async function startRegistryServer(kind: RegistryKind): Promise<RegistryServer> {
  const docs = loadDocuments(kind);
  const requests: RegistryRequest[] = [];
  const faults: { fault: RegistryFault; remaining: number }[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const key = req.method === 'GET' ? routeKey(kind, req.url ?? '/') : undefined;
    const doc = key === undefined ? undefined : docs.get(key);
    // npm's package document holds every version; the others answer per version.
    if (doc === undefined) {
      sendNotFound(kind, res);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(doc));
  };

  const server = createServer((req, res) => {
    const ua = req.headers['user-agent'];
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', userAgent: ua });
    const rule = faults.find((f) => f.remaining > 0);
    if (rule !== undefined) {
      rule.remaining--;
      if (rule.fault.kind === 'status') {
        res
          .writeHead(rule.fault.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: `injected ${String(rule.fault.status)}` }));
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) answer(req, res);
      }, rule.fault.delayMs);
      timers.add(timer);
      return;
    }
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const port = (address satisfies AddressInfo).port;
  return {
    kind,
    url: `http://127.0.0.1:${String(port)}`,
    requests,
    injectFault(fault, times = 1) {
      faults.push({ fault, remaining: times });
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

/** One server per registry. */
export async function startRegistryServers(): Promise<Record<RegistryKind, RegistryServer>> {
  const [npm, pypi, cratesIo, rubygems] = await Promise.all(
    REGISTRY_KINDS.map((kind) => startRegistryServer(kind)),
  );
  if (npm === undefined || pypi === undefined || cratesIo === undefined || rubygems === undefined) {
    throw new Error('a registry server did not start');
  }
  return { npm, pypi, 'crates-io': cratesIo, rubygems };
}
