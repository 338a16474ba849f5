import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../errors.js';
import { createHttpClient } from './client.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  });
  return `http://127.0.0.1:${String(port)}`;
}

/** A tiny server answering each path with a handler. */
async function serve(
  routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>,
): Promise<string> {
  return listen(
    createServer((req, res) => {
      const route = new URL(req.url ?? '/', 'http://x').pathname;
      const handler = Object.hasOwn(routes, route) ? routes[route] : undefined;
      if (handler === undefined) {
        res.writeHead(404).end();
        return;
      }
      handler(req, res);
    }),
  );
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

const noWait = { sleep: () => Promise.resolve(), random: () => 0 };

describe('createHttpClient over loopback', () => {
  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const base = await serve({
      '/big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.end(' '.repeat(5000));
      },
    });
    const error = await failure(
      createHttpClient({ ...noWait, maxResponseBytes: 4096 }).request({ url: `${base}/big` }),
    );
    expect(error.message).toBe(`GET ${base}/big: response over the 4096-byte limit`);
  });

  it('follows redirects on loopback, but never to plain http elsewhere', async () => {
    const base = await serve({
      '/a': (_req, res) => res.writeHead(302, { location: '/b' }).end(),
      '/b': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[1]'),
      '/out': (_req, res) =>
        res.writeHead(301, { location: 'http://npm.example.com/x?token=abc' }).end(),
    });
    const client = createHttpClient(noWait);
    const ok = await client.requestJson({ url: `${base}/a` });
    expect(ok).toEqual({ status: 200, value: [1], url: `${base}/b`, attempts: 1 });
    const error = await failure(client.request({ url: `${base}/out` }));
    expect(error.message).toBe(
      `GET ${base}/out: redirect refused: http://npm.example.com/x: refusing plain http to a host that is not loopback; use https`,
    );
  });

  it('drops the Authorization header on a redirect to another origin', async () => {
    const seen: (string | undefined)[] = [];
    const other = await serve({
      '/b': (req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      },
    });
    const base = await serve({
      '/a': (req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(307, { location: `${other}/b` }).end();
      },
    });
    await createHttpClient({ ...noWait, headers: { authorization: 'Bearer t0ken' } }).request({
      url: `${base}/a`,
    });
    expect(seen).toEqual(['Bearer t0ken', undefined]);
  });

  it('goes through an HTTP proxy when given one (CONNECT tunnel)', async () => {
    const requests: IncomingMessage[] = [];
    const target = await serve({
      '/v1/vulns/PYSEC-2014-13': (req, res) => {
        requests.push(req);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"PYSEC-2014-13"}');
      },
    });
    const connects: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push(`${req.url ?? ''} ${req.headers['proxy-authorization'] ?? '-'}`);
      const [host = '', port = ''] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    const proxyUrl = await listen(proxy);
    const withAuth = proxyUrl.replace('http://', 'http://proxy-user:proxy-pass@');
    const client = createHttpClient({ ...noWait, proxy: withAuth });
    try {
      const response = await client.requestJson({ url: `${target}/v1/vulns/PYSEC-2014-13` });
      expect(response.value).toMatchObject({ id: 'PYSEC-2014-13' });
    } finally {
      await client.close();
    }
    const { port } = new URL(target);
    expect(connects).toEqual([
      `127.0.0.1:${port} Basic ${Buffer.from('proxy-user:proxy-pass').toString('base64')}`,
    ]);
    expect(requests.map((r) => r.headers['proxy-authorization'])).toEqual([undefined]);
  });

  it('names the cause of a refused connection', async () => {
    const base = await serve({});
    const closed = base; // a port we close again
    await servers.pop()?.close();
    const error = await failure(
      createHttpClient({ ...noWait, maxRetries: 1 }).request({ url: `${closed}/x` }),
    );
    expect(error.message).toBe(
      `GET ${closed}/x: connection refused (ECONNREFUSED) (gave up after 2 attempts)`,
    );
  });
});
