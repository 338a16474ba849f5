import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../errors.js';
import { checkDownloadUrl, downloadToFile, parseRetryAfter, redactUrl } from './download.js';

const ZIP = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(2000, 7)]);
const ZIP_SHA = createHash('sha256').update(ZIP).digest('hex');
const MAGIC = [Buffer.from('PK\x03\x04'), Buffer.from('PK\x05\x06')];

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let server: http.Server;
let base = '';
const dir = mkdtempSync(join(tmpdir(), 'sa-dl-'));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const handler = routes.get(path);
    if (handler === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res, hit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function target(): string {
  return join(dir, `f${String(n++)}.zip`);
}
function route(path: string, handler: Handler): string {
  routes.set(path, handler);
  hits.set(path, 0);
  return `${base}${path}`;
}
const fast = { retryDelayMs: 10, maxRetryDelayMs: 1500, timeoutMs: 10_000, magic: MAGIC };

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SupplyAuditError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('downloadToFile', () => {
  it('downloads, hashes and follows a redirect', async () => {
    const url = route('/ok/all.zip', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': ZIP.length });
      res.end(ZIP);
    });
    route('/moved', (_q, res) => res.writeHead(302, { location: '/ok/all.zip' }).end());
    const file = target();
    const result = await downloadToFile(`${base}/moved`, file, {
      ...fast,
      expectedSha256: ZIP_SHA,
    });
    expect(result).toEqual({
      url: `${base}/ok/all.zip`,
      bytes: ZIP.length,
      sha256: ZIP_SHA,
      contentType: 'application/zip',
    });
    expect(readFileSync(file).equals(ZIP)).toBe(true);
    expect(url).toBe(`${base}/ok/all.zip`);
  });

  it('stops after too many redirects', async () => {
    const url = route('/loop', (_q, res) => res.writeHead(301, { location: '/loop' }).end());
    expect(await failure(downloadToFile(url, target(), { ...fast, maxRedirects: 3 }))).toBe(
      `HTTP_FAILED: ${base}/loop: more than 3 redirects`,
    );
    expect(hits.get('/loop')).toBe(4);
  });

  it('refuses a redirect to plain http off loopback', async () => {
    const url = route('/away', (_q, res) =>
      res.writeHead(302, { location: 'http://osv.example.com/all.zip' }).end(),
    );
    expect(await failure(downloadToFile(url, target(), fast))).toBe(
      'HTTP_FAILED: http://osv.example.com/all.zip: only https URLs are allowed (plain http only to 127.0.0.1)',
    );
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    const url = route('/busy', (_q, res, hit) => {
      if (hit === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200).end(ZIP);
    });
    const retries: number[] = [];
    const start = Date.now();
    const result = await downloadToFile(url, target(), {
      ...fast,
      onRetry: (r) => retries.push(r.delayMs),
    });
    expect(result.bytes).toBe(ZIP.length);
    expect(retries).toEqual([1000]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
  });

  it.each([500, 503, 504])('gives up on %i after the retries', async (status) => {
    const url = route(`/fail${String(status)}`, (_q, res) => res.writeHead(status).end('oops'));
    const file = target();
    const message = await failure(downloadToFile(url, file, { ...fast, retries: 2 }));
    expect(message).toMatch(
      new RegExp(
        `^HTTP_FAILED: ${base}/fail${String(status)}: HTTP ${String(status)} .+ \\(after 3 attempts\\)$`,
      ),
    );
    expect(hits.get(`/fail${String(status)}`)).toBe(3);
    expect(existsSync(file)).toBe(false);
  });

  it('does not retry a 404', async () => {
    expect(await failure(downloadToFile(`${base}/missing`, target(), fast))).toBe(
      `HTTP_FAILED: ${base}/missing: HTTP 404 Not Found`,
    );
  });

  it('detects a body shorter than its Content-Length (truncated, connection closed)', async () => {
    const url = route('/short', (_q, res) => {
      res.writeHead(200, { 'content-length': ZIP.length + 500 });
      res.write(ZIP, () => res.destroy());
    });
    const file = target();
    const message = await failure(downloadToFile(url, file, { ...fast, retries: 1 }));
    expect(message).toMatch(
      new RegExp(
        `^HTTP_FAILED: ${base}/short: (connection lost after \\d+ bytes|truncated body).* \\(after 2 attempts\\)$`,
      ),
    );
    expect(existsSync(file)).toBe(false);
  });

  it('recovers from a connection reset mid-stream', async () => {
    const url = route('/reset', (req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'content-length': ZIP.length });
        res.write(ZIP.subarray(0, 100), () => req.socket.resetAndDestroy());
      } else res.writeHead(200, { 'content-length': ZIP.length }).end(ZIP);
    });
    const result = await downloadToFile(url, target(), fast);
    expect(result.sha256).toBe(ZIP_SHA);
    expect(hits.get('/reset')).toBe(2);
  });

  it('rejects an HTML error page served with status 200', async () => {
    const url = route('/html', (_q, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Service unavailable</html>'),
    );
    expect(await failure(downloadToFile(url, target(), fast))).toBe(
      `HTTP_FAILED: ${base}/html: unexpected content (text/html), not the expected file type`,
    );
  });

  it('rejects an empty body', async () => {
    const url = route('/empty', (_q, res) => res.writeHead(200, { 'content-length': 0 }).end());
    expect(await failure(downloadToFile(url, target(), fast))).toBe(
      `HTTP_FAILED: ${base}/empty: empty body`,
    );
  });

  it('rejects a checksum mismatch (expected sha256, and GCS x-goog-hash md5)', async () => {
    const url = route('/sum', (_q, res) => res.writeHead(200).end(ZIP));
    expect(
      await failure(downloadToFile(url, target(), { ...fast, expectedSha256: 'ab'.repeat(32) })),
    ).toBe(
      `HTTP_FAILED: ${base}/sum: checksum mismatch: sha256 ${ZIP_SHA}, expected ${'ab'.repeat(32)}`,
    );
    const goog = route('/goog', (_q, res) =>
      res
        .writeHead(200, { 'x-goog-hash': 'crc32c=AAAAAA==, md5=AAAAAAAAAAAAAAAAAAAAAA==' })
        .end(ZIP),
    );
    expect(await failure(downloadToFile(goog, target(), fast))).toBe(
      `HTTP_FAILED: ${base}/goog: checksum mismatch: the body does not match the server's x-goog-hash md5`,
    );
    const md5 = createHash('md5').update(ZIP).digest('base64');
    const good = route('/goog-ok', (_q, res) =>
      res.writeHead(200, { 'x-goog-hash': `crc32c=AAAAAA==,md5=${md5}` }).end(ZIP),
    );
    expect((await downloadToFile(good, target(), fast)).bytes).toBe(ZIP.length);
  });

  it('stops a 1 KB/s stream at the timeout', async () => {
    const url = route('/slow', (_q, res) => {
      res.writeHead(200, { 'content-length': 100_000 });
      res.write(ZIP.subarray(0, 4));
      const timer = setInterval(() => res.write(Buffer.alloc(1024)), 1000);
      res.on('close', () => {
        clearInterval(timer);
      });
    });
    const start = Date.now();
    const file = target();
    expect(await failure(downloadToFile(url, file, { ...fast, timeoutMs: 1500 }))).toBe(
      `HTTP_FAILED: ${base}/slow: timed out`,
    );
    expect(Date.now() - start).toBeLessThan(4000);
    expect(existsSync(file)).toBe(false);
  });

  it('enforces the size cap from Content-Length and from the stream', async () => {
    const url = route('/huge', (_q, res) =>
      res.writeHead(200, { 'content-length': 10_000 }).end(Buffer.alloc(10_000)),
    );
    expect(await failure(downloadToFile(url, target(), { ...fast, maxBytes: 5000 }))).toBe(
      `HTTP_FAILED: ${base}/huge: 10000 bytes, over the 5000-byte limit`,
    );
    const chunked = route('/huge-chunked', (_q, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(3000));
      res.end(Buffer.alloc(3000));
    });
    expect(await failure(downloadToFile(chunked, target(), { ...fast, maxBytes: 5000 }))).toBe(
      `HTTP_FAILED: ${base}/huge-chunked: body over the 5000-byte limit`,
    );
  });
});

describe('URL rules', () => {
  it.each([
    [
      'https://user:secret@osv.example.com/all.zip',
      'HTTP_FAILED: https://osv.example.com/all.zip: credentials in URLs are not allowed',
    ],
    [
      'http://osv.example.com/all.zip',
      'HTTP_FAILED: http://osv.example.com/all.zip: only https URLs are allowed (plain http only to 127.0.0.1)',
    ],
    [
      'ftp://osv.example.com/all.zip',
      'HTTP_FAILED: ftp://osv.example.com/all.zip: only https URLs are allowed (plain http only to 127.0.0.1)',
    ],
    ['not a url', 'HTTP_FAILED: invalid URL "(invalid URL)"'],
  ])('%s', async (url, message) => {
    expect(await failure(Promise.resolve().then(() => checkDownloadUrl(url)))).toBe(message);
  });

  it('redacts query strings and credentials', () => {
    expect(redactUrl('https://u:p@osv.example.com/a/all.zip?X-Goog-Signature=abc')).toBe(
      'https://osv.example.com/a/all.zip?…',
    );
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
