// A loopback npm registry answering the one audit endpoint the registry still serves,
// `POST /-/npm/v1/security/advisories/bulk` (gzipped body: name → installed versions; answer:
// name → advisories), from real GitHub advisories in OSV form. Everything else is 404, which npm
// tolerates for packuments (`fixAvailable: false`). Every request and its headers are recorded,
// so tests can assert what npm sent (and what it did not, such as credentials).
// Facts: shared TOOLS.md section 1; npm/arborist#101 for the endpoint's design.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  getArray,
  getObject,
  getString,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from '../../packages/core/src/decode/json.js';
import { isAffected } from './osv-api-server.js';

/** Real npm advisories (GitHub advisory database, CC-BY-4.0), see NOTICE. */
export const NPM_OSV_FIXTURES = fileURLToPath(new URL('./__fixtures__/npm-osv/', import.meta.url));
export const BULK_PATH = '/-/npm/v1/security/advisories/bulk';
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface NpmAuditRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** the bulk body after gunzip, as name → versions */
  readonly bulk?: Readonly<Record<string, readonly string[]>>;
}

/** One advisory in the bulk response format npm expects. */
export interface BulkAdvisory {
  readonly id: number;
  readonly url: string;
  readonly title: string;
  readonly severity: 'info' | 'low' | 'moderate' | 'high' | 'critical';
  readonly vulnerable_versions: string;
  readonly cwe: readonly string[];
  readonly cvss: { readonly score: number; readonly vectorString: string | null };
}

export interface NpmAuditServer {
  /** `http://127.0.0.1:<port>/`, with the trailing slash npm's registry setting uses */
  readonly url: string;
  readonly requests: NpmAuditRequest[];
  /** answer the next bulk requests with this status (e.g. 405, as the proxy here does) */
  failBulkWith(status: number, times?: number): void;
  close(): Promise<void>;
}

export function loadNpmOsvRecords(dir = NPM_OSV_FIXTURES): JsonObject[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter(isJsonObject);
}

/**
 * OSV records to bulk advisories per package name: one advisory per `affected` entry (the
 * registry also splits one GHSA into one npm advisory per range), with a stable numeric id.
 */
export function bulkAdvisoriesFromOsv(
  records: readonly JsonObject[],
): Map<string, (BulkAdvisory & { readonly record: JsonObject })[]> {
  const byName = new Map<string, (BulkAdvisory & { readonly record: JsonObject })[]>();
  for (const record of records) {
    const ghsa = getString(record, 'id') ?? '';
    const dbSpecific = getObject(record, 'database_specific') ?? {};
    const severity = npmSeverity(getString(dbSpecific, 'severity'));
    const cwe = (getArray(dbSpecific, 'cwe_ids') ?? []).filter(
      (c): c is string => typeof c === 'string',
    );
    const vector = (getArray(record, 'severity') ?? [])
      .filter(isJsonObject)
      .map((s) => getString(s, 'score'))
      .find((s) => s?.startsWith('CVSS:3') === true);
    (getArray(record, 'affected') ?? []).filter(isJsonObject).forEach((affected, index) => {
      const pkg = getObject(affected, 'package');
      const name = pkg === undefined ? undefined : getString(pkg, 'name');
      if (pkg === undefined || name === undefined || getString(pkg, 'ecosystem') !== 'npm') return;
      const range = semverRange(affected);
      if (range === undefined) return;
      const list = byName.get(name) ?? [];
      list.push({
        id: stableId(`${ghsa}#${String(index)}`),
        url: `https://github.com/advisories/${ghsa}`,
        title: getString(record, 'summary') ?? ghsa,
        severity,
        vulnerable_versions: range,
        cwe,
        // The score is not in OSV; npm copies whatever is sent, so only the vector is meaningful.
        cvss: { score: 0, vectorString: vector ?? null },
        record,
      });
      byName.set(name, list);
    });
  }
  return byName;
}

function npmSeverity(value: string | undefined): BulkAdvisory['severity'] {
  switch (value?.toUpperCase()) {
    case 'CRITICAL':
      return 'critical';
    case 'HIGH':
      return 'high';
    case 'MODERATE':
    case 'MEDIUM':
      return 'moderate';
    case 'LOW':
      return 'low';
    default:
      return 'info';
  }
}

/** `introduced`/`fixed`/`last_affected` events to a node-semver range: `>=1.0.0 <1.2.3 || <0.2.1`. */
function semverRange(affected: JsonObject): string | undefined {
  const parts: string[] = [];
  for (const range of (getArray(affected, 'ranges') ?? []).filter(isJsonObject)) {
    let lower: string | undefined;
    for (const event of (getArray(range, 'events') ?? []).filter(isJsonObject)) {
      const introduced = getString(event, 'introduced');
      const fixed = getString(event, 'fixed');
      const last = getString(event, 'last_affected');
      if (introduced !== undefined) lower = introduced === '0' ? '' : `>=${introduced}`;
      else if (fixed !== undefined && lower !== undefined) {
        parts.push(`${lower} <${fixed}`.trim());
        lower = undefined;
      } else if (last !== undefined && lower !== undefined) {
        parts.push(`${lower} <=${last}`.trim());
        lower = undefined;
      }
    }
    if (lower !== undefined) parts.push(lower === '' ? '*' : lower);
  }
  return parts.length === 0 ? undefined : parts.join(' || ');
}

function stableId(key: string): number {
  return (
    1_000_000 +
    (Number.parseInt(createHash('sha256').update(key).digest('hex').slice(0, 6), 16) % 1_000_000)
  );
}

export async function startNpmAuditServer(
  records: readonly JsonObject[] = loadNpmOsvRecords(),
): Promise<NpmAuditServer> {
  const advisories = bulkAdvisoriesFromOsv(records);
  const requests: NpmAuditRequest[] = [];
  let failures: { status: number; remaining: number } | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'POST' && path === BULK_PATH) {
      const bulk = parseBulk(req, body);
      requests.push({
        method: 'POST',
        url: req.url ?? '',
        headers: { ...req.headers },
        ...(bulk === undefined ? {} : { bulk: Object.fromEntries(bulk) }),
      });
      if (failures !== undefined && failures.remaining > 0) {
        failures.remaining--;
        sendJson(res, failures.status, { error: 'Method Not Allowed' });
        return;
      }
      if (bulk === undefined) {
        sendJson(res, 400, { error: 'invalid bulk body' });
        return;
      }
      // Like the registry: only advisories whose record affects a version that was asked for
      // (npm then matches each advisory's range against each installed version itself).
      const answer: Record<string, BulkAdvisory[]> = {};
      for (const [name, versions] of bulk) {
        const hits = (advisories.get(name) ?? [])
          .filter((a) => versions.some((v) => isAffected(a.record, 'npm', name, v)))
          .map(({ record: _record, ...advisory }) => advisory);
        if (hits.length > 0) Object.defineProperty(answer, name, { value: hits, enumerable: true });
      }
      sendJson(res, 200, answer);
      return;
    }
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
    sendJson(res, 404, { error: 'Not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    requests,
    failBulkWith(status, times = 1) {
      failures = { status, remaining: times };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function parseBulk(req: IncomingMessage, body: Buffer): Map<string, string[]> | undefined {
  try {
    const raw =
      req.headers['content-encoding'] === 'gzip'
        ? gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES })
        : body;
    const value = JSON.parse(raw.toString('utf8')) as JsonValue;
    if (!isJsonObject(value)) return undefined;
    const out = new Map<string, string[]>();
    for (const [name, versions] of Object.entries(value)) {
      if (Array.isArray(versions))
        out.set(
          name,
          versions.filter((v): v is string => typeof v === 'string'),
        );
    }
    return out;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
