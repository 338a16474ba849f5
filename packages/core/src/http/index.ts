// The network layer: the only module that opens sockets (lint holds it so).
export {
  backoffDelay,
  checkUrl,
  createHttpClient,
  isLoopbackHost,
  parseRetryAfter,
  redactUrl,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_BUDGET_MS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type JsonResponse,
  type RetryEvent,
} from './client.js';
// download.ts has its own redactUrl/parseRetryAfter; the client's are the ones exported here.
export {
  checkDownloadUrl,
  downloadToFile,
  type DownloadOptions,
  type DownloadResult,
} from './download.js';
