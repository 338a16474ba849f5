// End to end: --output is atomic (a kill mid-scan leaves the previous file whole), --offline and
// offline-only commands never reach the network (a loopback OSV server counts requests), and the
// CLI sends OSV requests through the proxy named by HTTPS_PROXY.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOsvApiServer, type OsvApiServer } from '../servers/osv-api-server.js';
import {
  CLEAN_NPM,
  EXAMPLE,
  cleanupScratch,
  copyTree,
  exampleDatabase,
  readReport,
  runCli,
  tempDir,
} from './cli-harness.js';

let db: string;

beforeAll(async () => {
  db = await exampleDatabase();
});

afterAll(() => {
  cleanupScratch();
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${String(port)}`);
    });
  });
}

function close(server: { close(cb: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

/** A tree whose config points the OSV API at `apiUrl`. */
function treeWithApi(apiUrl: string, from = CLEAN_NPM): string {
  const tree = copyTree(from, 'api');
  writeFileSync(join(tree, 'supplyaudit.config.json'), JSON.stringify({ osv: { apiUrl } }));
  return tree;
}

describe('--output', () => {
  const OLD = '{"previous": "report"}\n';

  it('a process killed mid-scan leaves the previous file whole, and no temporary file', async () => {
    // An OSV API that never answers: the scan is certainly running when the request arrives.
    let arrived: () => void = () => undefined;
    const requested = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const hanging = createServer(() => {
      arrived();
    });
    const url = await listen(hanging);
    try {
      const tree = treeWithApi(url);
      const dir = tempDir('output-kill');
      const file = join(dir, 'report.json');
      writeFileSync(file, OLD);
      const result = await runCli(
        ['scan', tree, '--osv', 'online', '--sources', 'osv', '--output', file],
        {
          onSpawn: (child) => {
            void requested.then(() => child.kill('SIGKILL'));
          },
        },
      );
      expect(result.signal).toBe('SIGKILL');
      expect(readFileSync(file, 'utf8')).toBe(OLD);
      expect(readdirSync(dir)).toEqual(['report.json']);
    } finally {
      hanging.closeAllConnections();
      await close(hanging);
    }
  });

  it('a finished scan replaces the file in one step (JSON by default, nothing on stdout)', async () => {
    const dir = tempDir('output-ok');
    const file = join(dir, 'report.json');
    writeFileSync(file, OLD);
    const r = await runCli(['scan', EXAMPLE, '--offline', '--db', db, '--output', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readReport(readFileSync(file, 'utf8')).verdict.exitCode).toBe(1);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('a folder that does not exist: one line, exit 3, nothing left behind', async () => {
    const dir = tempDir('output-missing');
    const file = join(dir, 'missing/report.json');
    const r = await runCli(['scan', CLEAN_NPM, '--offline', '--db', db, '--output', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`supplyaudit: ${file}: cannot write the report (ENOENT)\n`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});

describe('offline means no network', () => {
  let osv: OsvApiServer;

  beforeAll(async () => {
    osv = await startOsvApiServer();
  });

  afterAll(async () => {
    await osv.close();
  });

  const total = () => osv.counts.querybatch + osv.counts.query + osv.counts.vulns;

  it('control: online, the same tree asks the loopback API', async () => {
    osv.resetCounters();
    const r = await runCli([
      'scan',
      treeWithApi(osv.url, EXAMPLE),
      '--osv',
      'online',
      '--sources',
      'osv',
    ]);
    expect(r.code).toBe(1);
    expect(readReport(r.stdout).sources).toEqual([
      expect.objectContaining({ name: 'osv', status: 'ok' }),
    ]);
    expect(osv.counts.querybatch).toBeGreaterThan(0);
  });

  it.each([
    ['scan --offline with a database', ['scan', '{tree}', '--offline', '--db', '{db}']],
    ['scan --offline without a database', ['scan', '{tree}', '--offline', '--db', '{nodb}']],
    [
      'scan --offline even with --osv online',
      ['scan', '{tree}', '--offline', '--osv', 'online', '--db', '{db}'],
    ],
    [
      'scan --osv offline',
      ['scan', '{tree}', '--osv', 'offline', '--db', '{db}', '--sources', 'osv'],
    ],
    ['explain', ['explain', 'CVE-2021-23337', '--path', '{tree}', '--db', '{db}']],
  ])('%s: 0 requests', async (_name, args) => {
    osv.resetCounters();
    const tree = treeWithApi(osv.url, EXAMPLE);
    const nodb = join(tempDir('nodb'), 'db');
    const r = await runCli(
      args.map((a) => a.replace('{tree}', tree).replace('{db}', db).replace('{nodb}', nodb)),
    );
    expect(r.code).not.toBeNull();
    expect(r.code).not.toBe(2);
    expect(total()).toBe(0);
  });
});

describe('proxies', () => {
  it('HTTPS_PROXY carries the OSV requests (a CONNECT to the API host reaches the proxy)', async () => {
    const seen: string[] = [];
    const proxy = createTcpServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        seen.push(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const tree = treeWithApi('https://osv.example.com');
      const r = await runCli(['scan', tree, '--osv', 'online', '--sources', 'osv'], {
        env: { HTTPS_PROXY: `http://127.0.0.1:${String(port)}` },
      });
      expect(r.code).toBe(3);
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen)).toEqual(new Set(['CONNECT osv.example.com:443 HTTP/1.1']));
    } finally {
      await close(proxy);
    }
  });
});
