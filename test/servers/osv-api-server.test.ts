// The loopback OSV API server itself: the routes pip-audit and our client call, and its evaluator.
import { afterEach, describe, expect, it } from 'vitest';
import { getArray, getString, isJsonObject } from '../../packages/core/src/decode/json.js';
import { SupplyAuditError } from '../../packages/core/src/errors.js';
import { createHttpClient } from '../../packages/core/src/http/client.js';
import {
  isAffected,
  loadOsvRecords,
  startOsvApiServer,
  type OsvApiServer,
} from './osv-api-server.js';

const servers: OsvApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function osv(): Promise<OsvApiServer> {
  const server = await startOsvApiServer();
  servers.push(server);
  return server;
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

describe('osv-api-server', () => {
  it('speaks POST /v1/query as pip-audit does (full records back)', async () => {
    const server = await osv();
    const client = createHttpClient(noWait);
    const response = await client.requestJson({
      url: `${server.url}/v1/query`,
      method: 'POST',
      json: { package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.19.0' },
    });
    expect(response.status).toBe(200);
    const vulns = isJsonObject(response.value) ? (getArray(response.value, 'vulns') ?? []) : [];
    const ids = vulns.map((v) => (isJsonObject(v) ? getString(v, 'id') : undefined));
    expect(ids.sort()).toEqual(['PYSEC-2018-28', 'PYSEC-2023-74']);
    expect(vulns[0]).toHaveProperty('affected.0.package.name', 'requests');
    const none = await client.requestJson({
      url: `${server.url}/v1/query`,
      method: 'POST',
      json: { package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.32.3' },
    });
    expect(none.value).toEqual({});
  });

  it('fails at once on a 400 and shows the API message', async () => {
    const server = await osv();
    const error = await failure(
      createHttpClient(noWait).requestJson({
        url: `${server.url}/v1/query`,
        method: 'POST',
        json: { package: { name: '', ecosystem: 'PyPI' }, version: '1' },
      }),
    );
    expect(error.message).toBe(`POST ${server.url}/v1/query: HTTP 400 Bad Request: Invalid query.`);
    expect(server.counts.query).toBe(1);
  });

  it('loads the 42 fixture records and evaluates ranges as the OSV rule says', () => {
    const records = loadOsvRecords();
    expect(records).toHaveLength(42);
    const byId = new Map(records.map((r) => [getString(r, 'id'), r]));
    const lodash = byId.get('GHSA-p6mc-m468-83gw')!;
    // introduced 0, fixed 4.17.20 (npm lodash)
    expect(isAffected(lodash, 'npm', 'lodash', '4.17.15')).toBe(true);
    expect(isAffected(lodash, 'npm', 'lodash', '4.17.20')).toBe(false);
    expect(isAffected(lodash, 'npm', 'lodash-es', '4.17.15')).toBe(true);
    expect(isAffected(lodash, 'npm', 'underscore', '4.17.15')).toBe(false);
    expect(isAffected(lodash, 'PyPI', 'lodash', '4.17.15')).toBe(false);
    // PyPI names compare as PEP 503 says
    const jinja = byId.get('PYSEC-2019-217')!;
    expect(isAffected(jinja, 'PyPI', 'Jinja2', '2.10')).toBe(true);
    expect(isAffected(jinja, 'PyPI', 'jinja2', '2.10.1')).toBe(false);
  });
});
