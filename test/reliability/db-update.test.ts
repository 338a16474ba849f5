// RELIABILITY.md, "Advisory data": `supplyaudit db update --from URL` against a loopback mirror that
// fails in the ways real mirrors do. Each failure is one line and exit 3, and the previous
// database keeps working for `scan --offline`. Needs `pnpm build` first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  EXAMPLE_OSV,
  field,
  items,
  makeTmp,
  parseJson,
  sealedEnv,
  snapshotTree,
  startLoopback,
  writeProject,
  type LoopbackServer,
} from './harness.js';

const tmp = makeTmp('db-update');
const home = join(tmp.dir, 'home');
const db = join(tmp.dir, 'db');
const tree = join(tmp.dir, 'tree');
let env: Record<string, string>;
let server: LoopbackServer;
let mode = 'ok';
const npmZip = readFileSync(join(EXAMPLE_OSV, 'npm/all.zip'));

beforeAll(async () => {
  env = sealedEnv(home);
  server = await startLoopback((req, res) => {
    const ok = req.url === '/npm/all.zip';
    switch (mode) {
      case 'ok':
        if (ok) res.writeHead(200, { 'content-type': 'application/zip' }).end(npmZip);
        else res.writeHead(404).end();
        return;
      case 'html':
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>Service unavailable</body></html>');
        return;
      case 'empty':
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': '0' }).end();
        return;
      case 'truncated':
        // half the archive, then the connection closes: shorter than its Content-Length
        res.writeHead(200, { 'content-length': String(npmZip.length) });
        res.write(npmZip.subarray(0, npmZip.length >> 1), () => {
          res.destroy();
        });
        return;
      case 'corrupt-data': {
        const bytes = Buffer.from(npmZip);
        // flip a byte of the first entry's deflated data (after its 30-byte header, name and extra)
        const offset = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28) + 10;
        bytes[offset] = (bytes[offset] ?? 0) ^ 0xff;
        res.writeHead(200, { 'content-type': 'application/zip' }).end(bytes);
        return;
      }
      case 'bad-crc': {
        const bytes = Buffer.from(npmZip);
        // the first entry's CRC-32, in its local header and in the central directory, off by one
        bytes.writeUInt32LE((bytes.readUInt32LE(14) + 1) >>> 0, 14);
        const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
        bytes.writeUInt32LE((bytes.readUInt32LE(central + 16) + 1) >>> 0, central + 16);
        res.writeHead(200, { 'content-type': 'application/zip' }).end(bytes);
        return;
      }
      default:
        res.writeHead(503, { 'retry-after': '0' }).end('down');
    }
  });
  writeProject(tree, '.', 'package-lock', [{ name: 'lodash', version: '4.17.15' }]);
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

async function scanOffline(): Promise<{ code: number | null; ids: string[] }> {
  const { code, stdout } = await cli(
    ['scan', tree, '--offline', '--sources', 'osv', '--db', db, '--format', 'json'],
    { env },
  );
  return {
    code,
    ids: items(field(parseJson(stdout), 'findings'))
      .filter((f) => field(f, 'kind') === 'vulnerability')
      .map((f) => String(field(f, 'id'))),
  };
}

describe('db update from a loopback mirror', () => {
  let baseline: string[];

  it('imports the mirror once, and scan --offline finds lodash 4.17.15 advisories', async () => {
    mode = 'ok';
    const { code, stderr } = await cli(
      ['db', 'update', '--from', `${server.url}/npm/all.zip`, '--ecosystem', 'npm', '--db', db],
      { env },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const scanned = await scanOffline();
    expect(scanned.code).toBe(1);
    baseline = scanned.ids;
    expect(baseline.length).toBeGreaterThan(0);
  });

  it.each([
    ['html', /HTML|html|not a zip/],
    ['empty', /empty|not a zip/],
    ['truncated', /: connection lost after \d+ bytes \(aborted\) \(after 4 attempts\)$/],
    [
      'corrupt-data',
      /: entry "GHSA-29mw-wpgm-hmr9\.json": cannot read \(invalid bit length repeat\)$/,
    ],
    ['bad-crc', /CRC/],
    ['unavailable', /503/],
  ])('%s: one line on stderr, exit 3, the previous database still works', async (name, re) => {
    mode = name;
    const before = snapshotTree(db);
    const { code, stdout, stderr } = await cli(
      ['db', 'update', '--from', `${server.url}/npm/all.zip`, '--ecosystem', 'npm', '--db', db],
      { env, timeoutMs: 110_000 },
    );
    expect(code).toBe(3);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(re);
    expect(stderr).not.toMatch(/\n\s+at /);
    // nothing of the failed update is left behind (no half version, no lock)
    expect(snapshotTree(db)).toEqual(before);
    const after = await scanOffline();
    expect(after.code).toBe(1);
    expect(after.ids).toEqual(baseline);
  });
});
