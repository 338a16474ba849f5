// The loopback bulk advisory endpoint answers the body npm 11 really sent, in the shape of the
// registry's real response (npm/cli arborist fixture): same keys per advisory.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, parseJson, type JsonValue } from '../../packages/core/src/decode/json.js';
import { BULK_PATH, startNpmAuditServer, type NpmAuditServer } from './npm-audit-server.js';

const recorded = new URL(
  '../../packages/core/src/ecosystems/npm/__fixtures__/native/recorded/',
  import.meta.url,
);
let server: NpmAuditServer;

function post(
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; json: JsonValue }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server.url), { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          json: parseJson(Buffer.concat(chunks).toString('utf8'), 'response'),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  server = await startNpmAuditServer();
});
afterAll(async () => {
  await server.close();
});

describe('npm audit test server', () => {
  it('answers the recorded npm 11 bulk body with real advisories, shaped like the registry', async () => {
    const body = gzipSync(readFileSync(new URL('bulk-request-body-npm11.19.1.json', recorded)));
    const { status, json } = await post(BULK_PATH, body, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(status).toBe(200);
    if (!isJsonObject(json)) throw new Error('not an object');
    expect(Object.keys(json).sort()).toEqual(['lodash', 'minimist']);
    const lodash = json['lodash'];
    const minimist = json['minimist'];
    if (!Array.isArray(lodash) || !Array.isArray(minimist)) throw new Error('not arrays');
    expect(lodash.map((a) => (isJsonObject(a) ? a['url'] : '')).sort()).toEqual([
      'https://github.com/advisories/GHSA-29mw-wpgm-hmr9',
      'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
      'https://github.com/advisories/GHSA-p6mc-m468-83gw',
    ]);
    expect(minimist).toHaveLength(4);
    const real: unknown = JSON.parse(
      readFileSync(
        new URL('npmcli-arborist-fixture-bulk-advisory-response.json', recorded),
        'utf8',
      ),
    );
    const realFirst = isJsonObject(real) ? Object.values(real)[0] : undefined;
    const realAdvisory = Array.isArray(realFirst) ? realFirst[0] : undefined;
    const ours = lodash[0];
    if (!isJsonObject(realAdvisory) || !isJsonObject(ours)) throw new Error('shape');
    expect(Object.keys(realAdvisory).filter((k) => !Object.hasOwn(ours, k))).toEqual([]);
    expect(server.requests.at(-1)?.bulk).toEqual({
      lodash: ['4.17.15'],
      minimist: ['1.2.0', '0.0.8'],
      mkdirp: ['0.5.1'],
    });
  });

  it('answers {} for clean packages and 405 on demand', async () => {
    const clean = await post(BULK_PATH, Buffer.from('{"lodash":["4.17.21"]}'), {
      'content-type': 'application/json',
    });
    expect(clean).toEqual({ status: 200, json: {} });
    server.failBulkWith(405);
    const failed = await post(BULK_PATH, Buffer.from('{}'), { 'content-type': 'application/json' });
    expect(failed.status).toBe(405);
  });
});
