// Streaming a large file (an advisory archive) to disk: HTTPS only (plain HTTP to loopback for
// tests), bounded redirects, retries, size and time, a checksum, and URLs without secrets in messages.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type http from 'node:http';
import { SupplyAuditError } from '../errors.js';

export interface DownloadOptions {
  /** the whole download, retries included (default 10 minutes) */
  readonly timeoutMs?: number;
  /** longest silence from the server (default 30 s) */
  readonly idleTimeoutMs?: number;
  /** largest body accepted (default 2 GiB) */
  readonly maxBytes?: number;
  /** default 5 */
  readonly maxRedirects?: number;
  /** retries after 429, 5xx and connection resets (default 3) */
  readonly retries?: number;
  /** first retry delay, doubled each time (default 1 s) */
  readonly retryDelayMs?: number;
  /** cap on any delay, including a server's Retry-After (default 60 s) */
  readonly maxRetryDelayMs?: number;
  /** lowercase hex sha256 the body must have */
  readonly expectedSha256?: string;
  /** bytes the body must start with, e.g. `PK\x03\x04` for a zip */
  readonly magic?: readonly Buffer[];
  readonly userAgent?: string;
  readonly signal?: AbortSignal;
  /** told about each retry, for the caller's logger */
  readonly onRetry?: (info: {
    url: string;
    attempt: number;
    delayMs: number;
    reason: string;
  }) => void;
}

export interface DownloadResult {
  /** the final URL, redacted for display */
  readonly url: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly contentType: string | undefined;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A URL fit for messages: no credentials, no query string (signed URLs carry tokens there). */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}${url.search === '' ? '' : '?…'}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Check that a URL may be fetched: https, or http to loopback; no credentials. */
export function checkDownloadUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SupplyAuditError('HTTP_FAILED', `invalid URL ${JSON.stringify(redactUrl(raw))}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${redactUrl(raw)}: credentials in URLs are not allowed`,
    );
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${redactUrl(raw)}: only https URLs are allowed (plain http only to 127.0.0.1)`,
    );
  }
  return url;
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Download `url` to `file` (created or replaced). On any failure the partial file is removed and
 * HTTP_FAILED is thrown with a one-line reason naming the redacted URL.
 */
export async function downloadToFile(
  url: string,
  file: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const retries = options.retries ?? 3;
  let delay = options.retryDelayMs ?? 1000;
  const maxDelay = options.maxRetryDelayMs ?? 60_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(url, file, options, deadline);
    } catch (error) {
      await rm(file, { force: true });
      if (!(error instanceof RetryableError) || attempt >= retries) {
        if (error instanceof SupplyAuditError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        const tries = attempt > 0 ? ` (after ${String(attempt + 1)} attempts)` : '';
        throw new SupplyAuditError('HTTP_FAILED', `${redactUrl(url)}: ${reason}${tries}`, {
          cause: error,
        });
      }
      const wait = Math.min(maxDelay, error.retryAfterMs ?? delay);
      if (Date.now() + wait >= deadline) {
        throw new SupplyAuditError(
          'HTTP_FAILED',
          `${redactUrl(url)}: ${error.message}; no time left to retry`,
          { cause: error },
        );
      }
      options.onRetry?.({
        url: redactUrl(url),
        attempt: attempt + 1,
        delayMs: wait,
        reason: error.message,
      });
      await sleep(wait, options.signal);
      delay *= 2;
    }
  }
}

async function downloadOnce(
  startUrl: string,
  file: string,
  options: DownloadOptions,
  deadline: number,
): Promise<DownloadResult> {
  let url = checkDownloadUrl(startUrl);
  const maxRedirects = options.maxRedirects ?? 5;
  for (let redirects = 0; ; redirects++) {
    const response = await request(url, options, deadline);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location !== undefined) {
      response.resume();
      if (redirects >= maxRedirects) {
        throw new SupplyAuditError(
          'HTTP_FAILED',
          `${redactUrl(startUrl)}: more than ${String(maxRedirects)} redirects`,
        );
      }
      url = checkDownloadUrl(new URL(response.headers.location, url).toString());
      continue;
    }
    if (status !== 200) {
      response.resume();
      const message = `HTTP ${String(status)}${response.statusMessage === undefined ? '' : ` ${response.statusMessage}`}`;
      if (RETRYABLE_STATUS.has(status)) {
        throw new RetryableError(message, parseRetryAfter(response.headers['retry-after']));
      }
      throw new SupplyAuditError('HTTP_FAILED', `${redactUrl(url.toString())}: ${message}`);
    }
    return await receive(response, url, file, options, deadline);
  }
}

async function request(
  url: URL,
  options: DownloadOptions,
  deadline: number,
): Promise<http.IncomingMessage> {
  // Loaded when a download starts: importing the library (for a scan) does not pay for them.
  const client =
    url.protocol === 'https:'
      ? (await import('node:https')).default
      : (await import('node:http')).default;
  return new Promise((resolve, reject) => {
    const req = client.get(
      url,
      {
        headers: {
          'user-agent': options.userAgent ?? 'supplyaudit',
          'accept-encoding': 'identity',
        },
        timeout: options.idleTimeoutMs ?? 30_000,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      resolve,
    );
    const total = setTimeout(
      () => {
        req.destroy(new Error('timed out'));
      },
      Math.max(0, deadline - Date.now()),
    );
    req.on('close', () => {
      clearTimeout(total);
    });
    req.on('timeout', () => {
      req.destroy(new Error('timed out waiting for the server'));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(total);
      if (err.code === 'ECONNRESET' || err.code === 'ECONNREFUSED' || err.code === 'EPIPE') {
        reject(new RetryableError(`connection failed (${err.code})`));
      } else reject(err);
    });
  });
}

async function receive(
  response: http.IncomingMessage,
  url: URL,
  file: string,
  options: DownloadOptions,
  deadline: number,
): Promise<DownloadResult> {
  const shown = redactUrl(url.toString());
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024 * 1024;
  const lengthHeader = response.headers['content-length'];
  const declared = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (declared !== undefined && declared > maxBytes) {
    response.resume();
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${shown}: ${String(declared)} bytes, over the ${String(maxBytes)}-byte limit`,
    );
  }
  const hash = createHash('sha256');
  const md5 = createHash('md5');
  const out = createWriteStream(file, { flags: 'w', mode: 0o644 });
  let writeError: Error | undefined;
  out.on('error', (err) => {
    writeError ??= err;
  });
  let bytes = 0;
  let head = Buffer.alloc(0);
  const total = setTimeout(
    () => {
      response.destroy(new Error('timed out'));
    },
    Math.max(0, deadline - Date.now()),
  );
  try {
    for await (const chunk of response) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      bytes += buf.length;
      if (bytes > maxBytes) {
        throw new SupplyAuditError(
          'HTTP_FAILED',
          `${shown}: body over the ${String(maxBytes)}-byte limit`,
        );
      }
      if (head.length < 8) head = Buffer.concat([head, buf.subarray(0, 8)]);
      hash.update(buf);
      md5.update(buf);
      if (writeError !== undefined) throw writeError;
      if (!out.write(buf)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            resolve();
          };
          out.once('drain', done);
          out.once('error', done);
        });
      }
    }
  } catch (error) {
    await new Promise<void>((resolve) => {
      out.destroy().once('close', () => {
        resolve();
      });
    });
    if (error === writeError) {
      throw new SupplyAuditError(
        'HTTP_FAILED',
        `${shown}: cannot write ${file}: ${describe(error)}`,
        { cause: error },
      );
    }
    if (error instanceof SupplyAuditError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (message === 'timed out') throw new SupplyAuditError('HTTP_FAILED', `${shown}: timed out`);
    throw new RetryableError(`connection lost after ${String(bytes)} bytes (${message})`);
  } finally {
    clearTimeout(total);
  }
  await new Promise<void>((resolve, reject) => {
    out.end((err?: Error | null) => {
      if (err) reject(err);
      else resolve();
    });
  });
  if (!response.complete || (declared !== undefined && bytes !== declared)) {
    throw new RetryableError(
      `truncated body: got ${String(bytes)} bytes${declared === undefined ? '' : ` of ${String(declared)}`}`,
    );
  }
  if (bytes === 0) throw new SupplyAuditError('HTTP_FAILED', `${shown}: empty body`);
  const magic = options.magic;
  if (magic !== undefined && !magic.some((m) => head.subarray(0, m.length).equals(m))) {
    const type = response.headers['content-type'];
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${shown}: unexpected content${type === undefined ? '' : ` (${type})`}, not the expected file type`,
    );
  }
  const sha256 = hash.digest('hex');
  if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${shown}: checksum mismatch: sha256 ${sha256}, expected ${options.expectedSha256.toLowerCase()}`,
    );
  }
  // Google Cloud Storage (where osv.dev exports live) sends `x-goog-hash: crc32c=…, md5=…`.
  const googHash = response.headers['x-goog-hash'];
  const md5Expected = parseGoogMd5(Array.isArray(googHash) ? googHash.join(',') : googHash);
  if (md5Expected !== undefined && md5Expected !== md5.digest('base64')) {
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${shown}: checksum mismatch: the body does not match the server's x-goog-hash md5`,
    );
  }
  return { url: shown, bytes, sha256, contentType: response.headers['content-type'] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseGoogMd5(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(',')) {
    const trimmed = part.trim();
    if (trimmed.startsWith('md5=')) return trimmed.slice(4);
  }
  return undefined;
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new SupplyAuditError('HTTP_FAILED', 'download cancelled'));
      },
      { once: true },
    );
  });
}
