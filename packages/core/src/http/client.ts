// The one HTTP client: HTTPS unless the host is loopback, a timeout per attempt, a size cap on
// bodies, bounded retries with backoff inside a total time budget, and one-line errors that
// never carry credentials or query strings.
import { setTimeout as delay } from 'node:timers/promises';
import { SupplyAuditError } from '../errors.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_BUDGET_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_BASE_DELAY_MS = 500;
/** cap of one wait between attempts, from backoff or from `Retry-After` */
export const DEFAULT_MAX_DELAY_MS = 30_000;
const MAX_REDIRECTS = 5;
/** statuses worth another attempt: timeouts, rate limits and passing server trouble */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export interface HttpClientOptions {
  /** per attempt, from sending the request to the last byte of the body */
  readonly timeoutMs?: number;
  /** all attempts and waits together; past it the request fails */
  readonly budgetMs?: number;
  /** attempts after the first one */
  readonly maxRetries?: number;
  readonly maxResponseBytes?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** allow `http:` to hosts other than loopback (127.0.0.0/8, ::1, localhost) */
  readonly allowInsecureHttp?: boolean;
  /**
   * An HTTP(S) proxy URL (`http://proxy.example.com:3128`). Node's fetch ignores HTTP(S)_PROXY;
   * the caller reads the environment and passes the value here. Credentials in this URL are
   * sent to the proxy only and never appear in messages.
   */
  readonly proxy?: string;
  readonly userAgent?: string;
  /** sent with every request (e.g. an Authorization header); never part of any message */
  readonly headers?: Readonly<Record<string, string>>;
  /** cancels every request of this client */
  readonly signal?: AbortSignal;
  /** for tests: waits between attempts */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** for tests: the clock the budget is measured with */
  readonly now?: () => number;
  /** for tests: jitter source in [0, 1) */
  readonly random?: () => number;
  /** told about each retry (the URL is redacted), e.g. for a debug log */
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  readonly url: string;
  /** the attempt that failed, 1-based */
  readonly attempt: number;
  readonly reason: string;
  readonly delayMs: number;
}

export interface HttpRequest {
  readonly url: string | URL;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  readonly maxResponseBytes?: number;
  /** non-2xx statuses handed back to the caller instead of failing, e.g. [404] */
  readonly acceptStatuses?: readonly number[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** final URL, redacted (no userinfo, no query) */
  readonly url: string;
  readonly attempts: number;
}

export interface JsonResponse {
  readonly status: number;
  /** the parsed body; undefined for an accepted non-2xx status */
  readonly value: unknown;
  readonly url: string;
  readonly attempts: number;
}

export interface HttpClient {
  /** A request with retries; resolves for 2xx and `acceptStatuses`, else HTTP_FAILED. */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** As `request`, expecting JSON: an HTML page, a wrong type or bad JSON is an HTTP_FAILED. */
  requestJson(request: HttpRequest & { readonly json?: unknown }): Promise<JsonResponse>;
  /** Releases pooled connections (only a proxy holds any of its own). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Pure parts

/** `scheme://host[:port]/path` with userinfo, query and fragment removed, for messages. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(invalid URL)';
  }
  const path = parsed.pathname.length > 120 ? `${parsed.pathname.slice(0, 120)}…` : parsed.pathname;
  return `${parsed.protocol}//${parsed.host}${path}`;
}

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** 127.0.0.0/8, ::1 and localhost, on a hostname as the URL parser normalised it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || IPV4_LOOPBACK.test(host);
}

/** Parses and checks a URL we are about to fetch; throws HTTP_FAILED naming what is refused. */
export function checkUrl(url: string | URL, allowInsecureHttp = false): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new SupplyAuditError('HTTP_FAILED', 'invalid URL (could not be parsed)', { cause });
  }
  const shown = redactUrl(parsed);
  if (parsed.username !== '' || parsed.password !== '') {
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${shown}: refusing a URL with credentials in it; pass them in a header instead`,
    );
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:') {
    if (allowInsecureHttp || isLoopbackHost(parsed.hostname)) return parsed;
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `${shown}: refusing plain http to a host that is not loopback; use https`,
    );
  }
  throw new SupplyAuditError('HTTP_FAILED', `${shown}: unsupported protocol ${parsed.protocol}`);
}

const DIGITS = /^\d{1,10}$/;
/** every HTTP-date form starts with a day name (RFC 9110 §5.6.7); V8's Date.parse takes far more */
const DAY_NAME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6},? /;

/**
 * `Retry-After` in milliseconds from now: delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '' || text.length > 64) return undefined;
  if (DIGITS.test(text)) return Number(text) * 1000;
  if (!DAY_NAME.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Wait before retry number `retry` (1-based): exponential from `baseMs`, capped at `maxMs`, with
 * "equal jitter" so the wait lies in [half, full] of the exponential step.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 1));
}

// ---------------------------------------------------------------------------------------------
// The client

/** One failed attempt: why, and whether another attempt could succeed. */
class AttemptFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

interface FetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
}
interface FetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly redirect: 'manual';
}
type FetchFn = (url: string, init: FetchInit) => Promise<FetchResponse>;

interface Settings {
  readonly timeoutMs: number;
  readonly budgetMs: number;
  readonly maxRetries: number;
  readonly maxResponseBytes: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly allowInsecureHttp: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  readonly now: () => number;
  readonly random: () => number;
}

const defaultSleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  delay(ms, undefined, signal === undefined ? {} : { signal });

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const settings: Settings = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    budgetMs: options.budgetMs ?? DEFAULT_BUDGET_MS,
    maxRetries: Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES),
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    allowInsecureHttp: options.allowInsecureHttp ?? false,
    headers: {
      'user-agent': options.userAgent ?? 'supplyaudit',
      ...options.headers,
    },
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
  const proxy = options.proxy === undefined ? undefined : createProxyFetch(options.proxy);
  const fetchFn: FetchFn = async (url, init) =>
    proxy === undefined ? fetch(url, init) : (await proxy).fetch(url, init);

  const request = (req: HttpRequest): Promise<HttpResponse> =>
    run(fetchFn, settings, options, req, (response) => response);

  const requestJson = async (
    req: HttpRequest & { readonly json?: unknown },
  ): Promise<JsonResponse> => {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body = req.body;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    }
    const withJson: HttpRequest = { ...req, headers, ...(body === undefined ? {} : { body }) };
    return run(fetchFn, settings, options, withJson, (response) => ({
      status: response.status,
      value: response.status >= 200 && response.status < 300 ? decodeJsonBody(response) : undefined,
      url: response.url,
      attempts: response.attempts,
    }));
  };

  return {
    request,
    requestJson,
    async close() {
      if (proxy !== undefined) await (await proxy).close();
    },
  };
}

interface ProxyFetch {
  fetch: FetchFn;
  close(): Promise<void>;
}

/** undici's ProxyAgent, loaded only when a proxy is asked for (Node's fetch has no proxy option). */
async function createProxyFetch(proxyUrl: string): Promise<ProxyFetch> {
  let parsed: URL;
  try {
    parsed = new URL(proxyUrl);
  } catch (cause) {
    throw new SupplyAuditError('HTTP_FAILED', 'invalid proxy URL (could not be parsed)', { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SupplyAuditError(
      'HTTP_FAILED',
      `proxy ${redactUrl(parsed)}: unsupported protocol ${parsed.protocol}`,
    );
  }
  const undici = await import('undici');
  const agent = new undici.ProxyAgent({ uri: parsed.href });
  return {
    fetch: async (url, init) => {
      // undici's fetch takes its own RequestInit; ours carries only method, headers, body,
      // signal and redirect, which both spell alike.
      const response = await undici.fetch(url, {
        method: init.method,
        headers: init.headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: init.signal,
        redirect: 'manual',
        dispatcher: agent,
      });
      const headers = new Headers();
      response.headers.forEach((value, key) => {
        headers.append(key, value);
      });
      return {
        status: response.status,
        statusText: response.statusText,
        headers,
        body: response.body,
      };
    },
    close: () => agent.close(),
  };
}

async function run<T>(
  fetchFn: FetchFn,
  settings: Settings,
  options: HttpClientOptions,
  req: HttpRequest,
  accept: (response: HttpResponse) => T,
): Promise<T> {
  const method = req.method ?? 'GET';
  const url = checkUrl(req.url, settings.allowInsecureHttp);
  const shown = `${method} ${redactUrl(url)}`;
  const callerSignals = [options.signal, req.signal].filter((s) => s !== undefined);
  const cancelled = callerSignals.length === 0 ? undefined : AbortSignal.any(callerSignals);
  const started = settings.now();
  const deadline = started + settings.budgetMs;
  const fail = (reason: string, attempts: number, cause?: unknown): SupplyAuditError =>
    new SupplyAuditError(
      'HTTP_FAILED',
      `${shown}: ${reason}${attempts > 1 ? ` (gave up after ${String(attempts)} attempts)` : ''}`,
      cause === undefined ? {} : { cause },
    );

  for (let attempt = 1; ; attempt++) {
    if (isAborted(cancelled)) throw fail('cancelled', attempt - 1, cancelled?.reason);
    const remaining = deadline - settings.now();
    if (remaining <= 0) {
      throw fail(`the ${formatMs(settings.budgetMs)} time budget ran out`, attempt - 1);
    }
    const timeoutMs = Math.min(settings.timeoutMs, remaining);
    let failure: AttemptFailure;
    try {
      const response = await attemptOnce(fetchFn, settings, req, url, method, timeoutMs, cancelled);
      // `accept` may throw an AttemptFailure too (bad JSON), which is retried like the rest
      return accept({ ...response, attempts: attempt });
    } catch (error) {
      if (error instanceof SupplyAuditError) throw error;
      if (isAborted(cancelled)) throw fail('cancelled', attempt, cancelled?.reason);
      failure =
        error instanceof AttemptFailure
          ? error
          : new AttemptFailure(describeNetworkError(error, timeoutMs), true, undefined, {
              cause: error,
            });
    }
    if (!failure.retryable || attempt > settings.maxRetries) {
      throw fail(failure.reason, attempt, failure.cause);
    }
    const backoff = backoffDelay(
      attempt,
      settings.baseDelayMs,
      settings.maxDelayMs,
      settings.random(),
    );
    const wait = Math.min(settings.maxDelayMs, Math.max(backoff, failure.retryAfterMs ?? 0));
    if (settings.now() + wait >= deadline) {
      throw fail(
        `${failure.reason}; waiting ${formatMs(wait)} more would pass the ${formatMs(settings.budgetMs)} time budget`,
        attempt,
        failure.cause,
      );
    }
    options.onRetry?.({ url: redactUrl(url), attempt, reason: failure.reason, delayMs: wait });
    try {
      await settings.sleep(wait, cancelled);
    } catch (cause) {
      throw fail('cancelled', attempt, cause);
    }
  }
}

async function attemptOnce(
  fetchFn: FetchFn,
  settings: Settings,
  req: HttpRequest,
  firstUrl: URL,
  firstMethod: 'GET' | 'POST',
  timeoutMs: number,
  cancelled: AbortSignal | undefined,
): Promise<Omit<HttpResponse, 'attempts'>> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = cancelled === undefined ? timeout : AbortSignal.any([timeout, cancelled]);
  const cap = req.maxResponseBytes ?? settings.maxResponseBytes;
  let url = firstUrl;
  let method = firstMethod;
  let body = req.body;
  let headers: Record<string, string> = { ...settings.headers, ...req.headers };
  for (let redirects = 0; ; redirects++) {
    const response = await fetchFn(url.href, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      redirect: 'manual',
    });
    const { status } = response;
    if (status >= 300 && status < 400 && status !== 304) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (location === null)
        throw new AttemptFailure(`HTTP ${String(status)} without a Location`, false);
      if (redirects >= MAX_REDIRECTS) {
        throw new AttemptFailure(`more than ${String(MAX_REDIRECTS)} redirects`, false);
      }
      let next: URL;
      try {
        next = checkUrl(new URL(location, url), settings.allowInsecureHttp);
      } catch (error) {
        const why = error instanceof Error ? error.message : 'invalid URL';
        throw new AttemptFailure(`redirect refused: ${why}`, false);
      }
      if (next.origin !== url.origin) headers = withoutCredentials(headers);
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = withoutBodyHeaders(headers);
      }
      url = next;
      continue;
    }
    if (status < 200 || status >= 300) {
      if (req.acceptStatuses?.includes(status) === true) {
        await response.body?.cancel().catch(() => undefined);
        return { status, headers: response.headers, body: new Uint8Array(0), url: redactUrl(url) };
      }
      const detail = await readErrorDetail(response);
      const reason = `HTTP ${String(status)}${response.statusText === '' ? '' : ` ${oneLine(response.statusText, 60)}`}${detail}`;
      throw new AttemptFailure(
        reason,
        RETRYABLE_STATUSES.has(status),
        parseRetryAfter(response.headers.get('retry-after'), settings.now()),
      );
    }
    const bytes = await readCapped(response, cap);
    return { status, headers: response.headers, body: bytes, url: redactUrl(url) };
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (key !== 'authorization' && key !== 'cookie' && key !== 'proxy-authorization') out[k] = v;
  }
  return out;
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== 'content-type') out[k] = v;
  }
  return out;
}

/** The body, read as a stream and abandoned as soon as it passes `cap` bytes. */
async function readCapped(response: FetchResponse, cap: number): Promise<Uint8Array> {
  const tooBig = (): AttemptFailure =>
    new AttemptFailure(`response over the ${String(cap)}-byte limit`, false);
  const declared = response.headers.get('content-length');
  if (declared !== null && DIGITS_ANY.test(declared) && Number(declared) > cap) {
    await response.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const DIGITS_ANY = /^\d{1,16}$/;
const ERROR_DETAIL_BYTES = 4096;

/** A short text from an error body (OSV sends `{"code":3,"message":"..."}`); never an HTML page. */
async function readErrorDetail(response: FetchResponse): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  if (!/json|text\/plain/i.test(type)) {
    await response.body?.cancel().catch(() => undefined);
    return '';
  }
  let text: string;
  try {
    text = new TextDecoder().decode(await readCapped(response, ERROR_DETAIL_BYTES));
  } catch {
    return '';
  }
  let message = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'message')) {
      const m: unknown = Reflect.get(parsed, 'message');
      if (typeof m === 'string') message = m;
    }
  } catch {
    // plain text
  }
  const line = oneLine(message, 160);
  return line === '' ? '' : `: ${line}`;
}

/**
 * Parses a 2xx body as JSON, checking its type first: an HTML page with status 200 (a portal, a
 * proxy's error page) is final; an empty or cut-off body may be a passing fault and is retried.
 */
function decodeJsonBody(response: HttpResponse): unknown {
  const status = `HTTP ${String(response.status)}`;
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  const head = new TextDecoder().decode(response.body.subarray(0, 64)).trimStart().toLowerCase();
  if (type.includes('html') || head.startsWith('<!doctype html') || head.startsWith('<html')) {
    throw new AttemptFailure(`expected JSON, got an HTML page (${status})`, false);
  }
  if (type !== '' && !type.includes('json')) {
    throw new AttemptFailure(`expected JSON, got ${oneLine(type, 60)} (${status})`, false);
  }
  const text = new TextDecoder().decode(response.body);
  if (text.trim() === '') throw new AttemptFailure(`empty body, expected JSON (${status})`, true);
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : '';
    const what = /unexpected end|unterminated/i.test(message)
      ? 'truncated JSON (unexpected end of input)'
      : 'invalid JSON';
    throw new AttemptFailure(
      `${what} in a ${String(response.body.byteLength)}-byte response`,
      true,
      undefined,
      { cause },
    );
  }
}

/** Why a fetch threw: the code under undici's generic "fetch failed". */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no complete response within ${formatMs(timeoutMs)}`;
  }
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code: unknown = Object.hasOwn(current, 'code') ? Reflect.get(current, 'code') : undefined;
    if (typeof code === 'string') {
      if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code})`;
      if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
      if (code === 'UND_ERR_CONNECT_TIMEOUT') return `connection timed out (${code})`;
      return `network error (${oneLine(code, 40)})`;
    }
    current = current.cause;
  }
  return `network error (${oneLine(error instanceof Error ? error.message : String(error), 80)})`;
}

/** Control characters and runs of whitespace become one space, so a message stays one line. */
function oneLine(text: string, max: number): string {
  let flat = '';
  let space = false;
  for (const ch of text.slice(0, max * 4)) {
    const code = ch.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || ch === '\u2028' || ch === '\u2029') {
      space = flat !== '';
      continue;
    }
    if (space) flat += ' ';
    space = false;
    flat += ch;
  }
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${String(ms / 1000)} s` : `${String(ms)} ms`;
}
