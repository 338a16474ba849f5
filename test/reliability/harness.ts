// Shared pieces of the reliability tests: temporary trees, the built CLI as a subprocess with a
// sealed environment, a counting loopback HTTP server, and a snapshot of a folder tree.
import { spawn, spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ECOSYSTEM_OF, projectFiles, type Entry, type Format } from './formats.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(REPO, 'packages/cli/dist/bin.js');
export const EXAMPLE_OSV = join(REPO, 'examples/osv');

/** A fresh folder under the OS temp dir; removed by `cleanup`. */
export function makeTmp(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sa-rel-${prefix}-`));
  return {
    dir,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function writeTree(root: string, files: Readonly<Record<string, string | Buffer>>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** Write a project of `format` locking `entries` into `root/dir`; returns the lockfile's path. */
export function writeProject(
  root: string,
  dir: string,
  format: Format,
  entries: readonly Entry[],
): string {
  const files = projectFiles(format, entries);
  for (const [rel, text] of files) {
    const path = join(root, dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  const lock = files[0];
  if (lock === undefined) throw new Error(`no lockfile for ${format}`);
  return join(dir, lock[0]);
}

export { ECOSYSTEM_OF };

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment the CLI sees: nothing of the host but PATH, and HOME / XDG_CACHE_HOME inside
 * `home`, so the default cache and database live in the test's folder.
 */
export function sealedEnv(
  home: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    NO_COLOR: '1',
    ...extra,
  };
}

/** The built CLI, synchronously (for commands that need no server in this process). */
export function cliSync(
  args: readonly string[],
  options: { env: Record<string, string>; cwd?: string; timeout?: number },
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: options.env,
    cwd: options.cwd ?? tmpdir(),
    timeout: options.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The built CLI, asynchronously (so a loopback server in this process can answer it). */
export function cli(
  args: readonly string[],
  options: { env: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env,
      cwd: options.cwd ?? tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  /** every request seen, as `METHOD url` with its headers */
  readonly requests: { line: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `handler` (404 by default). */
export async function startLoopback(
  handler?: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<LoopbackServer> {
  const requests: LoopbackServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ line: `${req.method ?? ''} ${req.url ?? ''}`, headers: req.headers });
      if (handler === undefined) {
        res.writeHead(404).end();
        return;
      }
      handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  // A proxy client sends CONNECT; count it as a request too.
  server.on('connect', (req, socket) => {
    requests.push({ line: `CONNECT ${req.url ?? ''}`, headers: req.headers });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const port = (address satisfies AddressInfo).port;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (taken, then released). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return address.port;
}

/** Every entry under `root` (files with their content hash, folders, links) in sorted order. */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(path);
      if (st.isDirectory()) {
        out.set(relPath, 'dir');
        walk(path, relPath);
      } else if (st.isFile()) {
        out.set(
          relPath,
          `file ${String(st.size)} ${String(st.mtimeMs)} ${readFileSync(path).toString('base64').slice(0, 64)}`,
        );
      } else {
        out.set(relPath, `other ${String(st.mode)}`);
      }
    }
  };
  walk(root, '');
  return out;
}

/** Differences between two snapshots, as `+path`, `-path`, `~path`. */
export function diffTrees(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) {
    if (!before.has(k)) out.push(`+${k}`);
    else if (before.get(k) !== v) out.push(`~${k}`);
  }
  for (const k of before.keys()) if (!after.has(k)) out.push(`-${k}`);
  return out.sort();
}

/** Own property names of Object.prototype, to check that nothing was added. */
export function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

/** Parse a JSON document the CLI printed, as unknown. */
export function parseJson(text: string): unknown {
  return JSON.parse(text);
}

/** Read a field path from parsed JSON without casts. */
export function field(doc: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!Object.hasOwn(cur, key)) return undefined;
      const next: unknown = Reflect.get(cur, key);
      cur = next;
    }
  }
  return cur;
}

/** The items of a parsed JSON array (none when it is not one). */
export function items(doc: unknown): readonly unknown[] {
  if (!Array.isArray(doc)) return [];
  const list: readonly unknown[] = doc;
  return list;
}
