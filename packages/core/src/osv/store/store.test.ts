import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOsvZip, buildZip } from '../../decode/__fixtures__/zip-writer.js';
import { SupplyAuditError } from '../../errors.js';
import type { Ecosystem } from '../../model/index.js';
import {
  describeAge,
  importOsv,
  normalizePackageName,
  openOsvStore,
  resolveDatabaseDir,
  type OsvStore,
} from './index.js';

const OSV = fileURLToPath(new URL('./__fixtures__/osv', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sa-store-'));
afterAll(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
function tempDir(): string {
  const d = join(root, `d${String(n++)}`);
  mkdirSync(d, { recursive: true });
  return d;
}
function writeZip(bytes: Buffer): string {
  const file = join(tempDir(), 'all.zip');
  writeFileSync(file, bytes);
  return file;
}
async function ids(store: OsvStore, ecosystem: Ecosystem, name: string): Promise<string[]> {
  const records = await store.lookup(ecosystem, name);
  return records
    .map((r) =>
      typeof r === 'object' && r !== null && 'id' in r && typeof r.id === 'string' ? r.id : '?',
    )
    .sort();
}
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SupplyAuditError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a failure');
}
const NOW = new Date('2026-01-02T03:04:05.000Z');
const rec = (
  id: string,
  eco: string,
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: eco, name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
    },
  ],
  ...extra,
});

describe('import of the real shared OSV exports', () => {
  const db = tempDir();
  let store: OsvStore;

  it('stores every record with exact counts per ecosystem', async () => {
    const summary = await importOsv({ dbDir: db, from: OSV, now: NOW });
    expect(summary.ecosystems.map((e) => [e.ecosystem, e.records, e.skipped, e.names])).toEqual([
      ['npm', 56, 0, 52],
      ['PyPI', 2661, 0, 664],
      ['crates.io', 1206, 0, 908],
      ['RubyGems', 1175, 0, 465],
    ]);
    expect(summary.diagnostics).toEqual([]);
    expect(summary.kept).toEqual([]);
    store = await openOsvStore(db);
  });

  it('finds records by package name, from every affected entry', async () => {
    expect(await ids(store, 'npm', 'lodash')).toEqual([
      'GHSA-29mw-wpgm-hmr9',
      'GHSA-35jh-r3h4-6jhm',
      'GHSA-jf85-cpcp-j695',
      'GHSA-p6mc-m468-83gw',
    ]);
    expect(await ids(store, 'npm', 'lodash-es')).toEqual([
      'GHSA-29mw-wpgm-hmr9',
      'GHSA-35jh-r3h4-6jhm',
      'GHSA-jf85-cpcp-j695',
      'GHSA-p6mc-m468-83gw',
    ]);
    expect(await ids(store, 'npm', 'lodash.defaultsdeep')).toEqual(['GHSA-jf85-cpcp-j695']);
    expect(await ids(store, 'npm', '@cypress/request')).toEqual(['GHSA-p8p7-x288-28g6']);
    expect(await ids(store, 'npm', 'Lodash')).toEqual([]);
    expect(await ids(store, 'npm', 'no-such-package')).toEqual([]);
    expect(await ids(store, 'crates.io', 'smallvec')).toContain('RUSTSEC-2019-0009');
    // multi-ecosystem record: the NuGet package is not indexed under npm
    expect(await ids(store, 'npm', 'Moment.js')).toEqual([]);
  });

  it('normalises PyPI names (PEP 503)', async () => {
    const jinja = [
      'PYSEC-2014-8',
      'PYSEC-2014-82',
      'PYSEC-2019-217',
      'PYSEC-2019-220',
      'PYSEC-2021-66',
    ];
    expect(await ids(store, 'PyPI', 'Jinja2')).toEqual(jinja);
    expect(await ids(store, 'PyPI', 'jinja2')).toEqual(jinja);
    expect(await ids(store, 'PyPI', 'JINJA2')).toEqual(jinja);
    expect(normalizePackageName('PyPI', 'Foo.Bar__baz-_.qux')).toBe('foo-bar-baz-qux');
    expect(normalizePackageName('npm', 'Foo_Bar')).toBe('Foo_Bar');
  });

  it('keeps the five ids present in two zips with different content, one per ecosystem', async () => {
    const both = [
      'GHSA-jf85-cpcp-j695',
      'GHSA-p6mc-m468-83gw',
      'GHSA-35jh-r3h4-6jhm',
      'GHSA-29mw-wpgm-hmr9',
    ];
    const ruby = await store.lookup('RubyGems', 'lodash-rails');
    const npm = await store.lookup('npm', 'lodash');
    for (const id of both) {
      const r = ruby.find((x) => JSON.stringify(x).includes(`"id":"${id}"`));
      const m = npm.find((x) => JSON.stringify(x).includes(`"id":"${id}"`));
      expect(JSON.stringify(r)).toContain('"name":"lodash-rails"');
      expect(JSON.stringify(m)).not.toContain('lodash-rails');
    }
    expect(await ids(store, 'npm', 'handlebars')).toEqual(['GHSA-f2jv-r9rf-7988']);
    expect(await ids(store, 'RubyGems', 'handlebars-source')).toContain('GHSA-f2jv-r9rf-7988');
  });

  it('keeps withdrawn records (the matcher decides) and returns records as published', async () => {
    const [record] = await store
      .lookup('PyPI', 'pyyaml')
      .then((rs) => rs.filter((r) => JSON.stringify(r).includes('"id":"PYSEC-2022-15"')));
    expect(record).toBeUndefined();
    const all = await store.lookup('crates.io', 'tokio');
    expect(all.length).toBeGreaterThan(0);
  });

  it('reports status per ecosystem', () => {
    const status = store.status();
    expect(status.schemaVersion).toBe(1);
    expect(
      status.ecosystems.map((e) => [e.ecosystem, e.records, e.skipped, e.format, e.importedAt]),
    ).toEqual([
      ['npm', 56, 0, 'osv-zip', '2026-01-02T03:04:05.000Z'],
      ['PyPI', 2661, 0, 'osv-zip', '2026-01-02T03:04:05.000Z'],
      ['crates.io', 1206, 0, 'osv-zip', '2026-01-02T03:04:05.000Z'],
      ['RubyGems', 1175, 0, 'osv-zip', '2026-01-02T03:04:05.000Z'],
    ]);
    expect(status.ecosystems[0]!.sha256).toBe(
      '51b049b558319b1f6be9b2dd68233fdb9b6ea427f2158b56efc6cf480d2f1924',
    );
    expect(status.ecosystems[0]!.source).toBe(join(OSV, 'npm', 'all.zip'));
  });

  it('updates one ecosystem and carries the others over; cleans old versions', async () => {
    const file = writeZip(buildOsvZip([rec('GHSA-test-0001', 'npm', 'left-pad')]));
    const summary = await importOsv({ dbDir: db, from: file, now: NOW });
    expect(summary.ecosystems.map((e) => [e.ecosystem, e.records])).toEqual([['npm', 1]]);
    expect(summary.kept).toEqual(['PyPI', 'crates.io', 'RubyGems']);
    // the store opened before still reads the old version
    expect(await ids(store, 'npm', 'lodash')).toHaveLength(4);
    const fresh = await openOsvStore(db);
    expect(await ids(fresh, 'npm', 'lodash')).toEqual([]);
    expect(await ids(fresh, 'npm', 'left-pad')).toEqual(['GHSA-test-0001']);
    expect(await ids(fresh, 'PyPI', 'jinja2')).toHaveLength(5);
    await fresh.close();
    await importOsv({ dbDir: db, from: file, now: NOW });
    const versions = readdirSync(db).filter((f) => f.startsWith('v-'));
    expect(versions).toHaveLength(2);
    expect(readdirSync(db).filter((f) => f.startsWith('.'))).toEqual([]);
    await store.close();
  });
});

describe('records that are not stored as-is', () => {
  it('skips malformed records, records without affected and other ecosystems, and keeps the newer duplicate', async () => {
    const zip = buildZip([
      { name: 'GHSA-ok.json', data: JSON.stringify(rec('GHSA-ok', 'npm', 'a')) },
      { name: 'bad.json', data: '{"id": "GHSA-bad", "affected": [' },
      { name: 'array.json', data: '[1,2]' },
      { name: 'noid.json', data: JSON.stringify({ affected: [] }) },
      {
        name: 'GHSA-none.json',
        data: JSON.stringify({ id: 'GHSA-none', modified: '2024-01-01T00:00:00Z' }),
      },
      { name: 'GHSA-empty.json', data: JSON.stringify({ id: 'GHSA-empty', affected: [] }) },
      { name: 'DEB-1.json', data: JSON.stringify(rec('DEB-1', 'Debian:12', 'a')) },
      {
        name: 'GHSA-dup.json',
        data: JSON.stringify(
          rec('GHSA-dup', 'npm', 'a', { modified: '2024-05-01T00:00:00Z', summary: 'new' }),
        ),
      },
      {
        name: 'old/GHSA-dup.json',
        data: JSON.stringify(
          rec('GHSA-dup', 'npm', 'a', { modified: '2023-01-01T00:00:00Z', summary: 'old' }),
        ),
      },
      {
        name: 'GHSA-wd.json',
        data: JSON.stringify(rec('GHSA-wd', 'npm', 'a', { withdrawn: '2024-02-01T00:00:00Z' })),
      },
      {
        name: 'GHSA-proto.json',
        data: '{"id":"GHSA-proto","__proto__":{"polluted":1},"affected":[{"package":{"ecosystem":"npm","name":"__proto__"}}]}',
      },
      { name: 'latin1.json', data: Buffer.from([0x7b, 0xff, 0x7d]) },
      { name: 'README.txt', data: 'not a record' },
    ]);
    const db = tempDir();
    const summary = await importOsv({
      dbDir: db,
      from: writeZip(zip),
      ecosystems: ['npm'],
      now: NOW,
    });
    const [npm] = summary.ecosystems;
    expect([npm!.records, npm!.skipped, npm!.names]).toEqual([4, 8, 2]);
    expect(npm!.skippedReasons).toEqual(
      [
        ['no affected packages', 2],
        ['duplicate id (an entry with a later modified date is kept)', 1],
        ['invalid JSON', 1],
        ['no npm package in affected', 1],
        ['no valid id', 1],
        ['not a JSON object', 1],
        ['not valid UTF-8', 1],
      ].sort((a, b) => Number(b[1]) - Number(a[1]) || String(a[0]).localeCompare(String(b[0]))),
    );
    expect(summary.diagnostics.map((d) => d.message)).toContain(
      'old/GHSA-dup.json (GHSA-dup): skipped: duplicate id (an entry with a later modified date is kept)',
    );
    const store = await openOsvStore(db);
    const a = await store.lookup('npm', 'a');
    expect(a.map((r) => JSON.stringify(r)).filter((s) => s.includes('GHSA-dup'))).toHaveLength(1);
    expect(JSON.stringify(a)).toContain('"summary":"new"');
    expect(await ids(store, 'npm', 'a')).toEqual(['GHSA-dup', 'GHSA-ok', 'GHSA-wd']);
    expect(await ids(store, 'npm', '__proto__')).toEqual(['GHSA-proto']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    await store.close();
  });

  it('detects the ecosystem of a lone zip, and asks for --ecosystem when it cannot', async () => {
    const db = tempDir();
    const pypi = writeZip(
      buildOsvZip([rec('PYSEC-1', 'PyPI', 'Django'), rec('PYSEC-2', 'PyPI', 'flask')]),
    );
    const summary = await importOsv({ dbDir: db, from: pypi, now: NOW });
    expect(summary.ecosystems.map((e) => e.ecosystem)).toEqual(['PyPI']);
    const other = writeZip(buildOsvZip([rec('DSA-1', 'Debian:12', 'openssl')]));
    expect(await failure(importOsv({ dbDir: db, from: other }))).toBe(
      `USAGE: ${other}: cannot tell which ecosystem this zip holds; pass --ecosystem`,
    );
  });

  it('rejects an archive with nothing in it and leaves the database as it was', async () => {
    const db = tempDir();
    await importOsv({
      dbDir: db,
      from: writeZip(buildOsvZip([rec('GHSA-1', 'npm', 'x')])),
      now: NOW,
    });
    const empty = writeZip(buildZip([]));
    expect(await failure(importOsv({ dbDir: db, from: empty, ecosystems: ['npm'] }))).toBe(
      `PARSE_FAILED: ${empty}: no OSV records in the archive`,
    );
    const store = await openOsvStore(db);
    expect(await ids(store, 'npm', 'x')).toEqual(['GHSA-1']);
    await store.close();
  });
});

describe('hostile and broken archives leave the previous database working', () => {
  const cases: [string, Buffer, string][] = [
    [
      'path traversal',
      buildZip([{ name: '../x.json', data: '{}' }]),
      'ARCHIVE_UNSAFE: %f: entry "../x.json": parent-directory segment (..)',
    ],
    [
      'a symlink entry',
      buildZip([{ name: 'a.json', data: '/etc/passwd', unixMode: 0o120777 }]),
      'ARCHIVE_UNSAFE: %f: entry "a.json": symbolic link',
    ],
    [
      'duplicate names',
      buildZip([
        { name: 'a.json', data: '{}' },
        { name: 'a.json', data: '{}' },
      ]),
      'ARCHIVE_UNSAFE: %f: entry "a.json": duplicate name',
    ],
    [
      'a bad CRC',
      buildZip([{ name: 'GHSA-1.json', data: JSON.stringify(rec('GHSA-1', 'npm', 'y')), crc: 7 }]),
      'PARSE_FAILED: %f: entry "GHSA-1.json": bad CRC-32',
    ],
    ['an empty file', Buffer.alloc(0), 'PARSE_FAILED: %f: empty file, not a zip archive'],
  ];
  it.each(cases)('%s', async (_name, bytes, expected) => {
    const db = tempDir();
    await importOsv({
      dbDir: db,
      from: writeZip(buildOsvZip([rec('GHSA-keep', 'npm', 'x')])),
      now: NOW,
    });
    const bad = writeZip(bytes);
    expect(await failure(importOsv({ dbDir: db, from: bad, ecosystems: ['npm'] }))).toBe(
      expected.replace('%f', bad),
    );
    const store = await openOsvStore(db);
    expect(await ids(store, 'npm', 'x')).toEqual(['GHSA-keep']);
    await store.close();
    expect(readdirSync(db).filter((f) => f.startsWith('.') || f.endsWith('.lock'))).toEqual([]);
  });

  it('a compression bomb', async () => {
    const bomb = writeZip(
      buildZip([{ name: 'GHSA-bomb.json', data: Buffer.alloc(5 * 1024 * 1024, 0x20) }]),
    );
    const message = await failure(importOsv({ dbDir: tempDir(), from: bomb, ecosystems: ['npm'] }));
    expect(message).toMatch(
      /^ARCHIVE_UNSAFE: .*: entry "GHSA-bomb\.json": compression ratio 1:\d+ over 1:200 \(decompression bomb\?\)$/,
    );
    expect(deflateRawSync(Buffer.alloc(10)).length).toBeGreaterThan(0);
  });
});

describe('what a process keeps of a database', () => {
  it('shares parsed records between stores on the same files, and reads a rebuilt database anew', async () => {
    const db = tempDir();
    const pretty = Buffer.from(JSON.stringify(rec('GHSA-1', 'npm', 'x', { n: [1.5, 2] }), null, 2));
    const zip = buildZip([{ name: 'GHSA-1.json', data: pretty }]);
    await importOsv({ dbDir: db, from: writeZip(zip), ecosystems: ['npm'], now: NOW });
    const version = readFileSync(join(db, 'current'), 'utf8').trim();
    // stored without the whitespace between tokens, one record per line
    expect(readFileSync(join(db, version, 'npm', 'records.jsonl'), 'utf8')).toBe(
      `${JSON.stringify(JSON.parse(pretty.toString('utf8')))}\n`,
    );
    const first = await openOsvStore(db);
    const second = await openOsvStore(db);
    const [a] = await first.lookup('npm', 'x');
    const [b] = await second.lookup('npm', 'x');
    expect(a).toMatchObject({ id: 'GHSA-1' });
    expect(b).toBe(a);
    await first.close();
    await second.close();
    await importOsv({
      dbDir: db,
      from: writeZip(buildOsvZip([rec('GHSA-2', 'npm', 'x')])),
      ecosystems: ['npm'],
      now: NOW,
    });
    const third = await openOsvStore(db);
    expect(await ids(third, 'npm', 'x')).toEqual(['GHSA-2']);
    await third.close();
  });
});

describe('database state', () => {
  it('reports a missing database', async () => {
    const db = join(tempDir(), 'none');
    expect(await failure(openOsvStore(db))).toBe(
      `DB_MISSING: ${db}: no OSV database: run supplyaudit db update`,
    );
  });

  it('reports a database of another schema version', async () => {
    const db = tempDir();
    await importOsv({
      dbDir: db,
      from: writeZip(buildOsvZip([rec('GHSA-1', 'npm', 'x')])),
      now: NOW,
    });
    const version = readFileSync(join(db, 'current'), 'utf8').trim();
    const manifest = join(db, version, 'manifest.json');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace('"schemaVersion": 1', '"schemaVersion": 99'),
    );
    expect(await failure(openOsvStore(db))).toBe(
      `DB_INVALID: ${manifest}: database schema version 99, this supplyaudit reads version 1: run supplyaudit db update`,
    );
    // an update replaces it
    await importOsv({
      dbDir: db,
      from: writeZip(buildOsvZip([rec('GHSA-2', 'npm', 'x')])),
      now: NOW,
    });
    const store = await openOsvStore(db);
    expect(await ids(store, 'npm', 'x')).toEqual(['GHSA-2']);
    await store.close();
  });

  it('reports a damaged pointer and index', async () => {
    const db = tempDir();
    await importOsv({
      dbDir: db,
      from: writeZip(buildOsvZip([rec('GHSA-1', 'npm', 'x')])),
      now: NOW,
    });
    const version = readFileSync(join(db, 'current'), 'utf8').trim();
    writeFileSync(join(db, version, 'npm', 'index.bin'), 'garbage');
    const store = await openOsvStore(db);
    expect(await failure(store.lookup('npm', 'x'))).toBe(
      `DB_INVALID: ${join(db, version, 'npm', 'index.bin')}: damaged index (not a supplyaudit index): run supplyaudit db update`,
    );
    await store.close();
    writeFileSync(join(db, 'current'), '../../etc\n');
    expect(await failure(openOsvStore(db))).toBe(
      `DB_INVALID: ${join(db, 'current')}: damaged pointer file: run supplyaudit db update`,
    );
  });

  it('records the import time as given, and shows a clock in the future', async () => {
    const db = tempDir();
    const future = new Date('2099-01-01T00:00:00Z');
    await importOsv({
      dbDir: db,
      from: writeZip(buildOsvZip([rec('GHSA-1', 'npm', 'x')])),
      now: future,
    });
    const store = await openOsvStore(db);
    const [npm] = store.status().ecosystems;
    expect(npm!.importedAt).toBe('2099-01-01T00:00:00.000Z');
    expect(describeAge(npm!.importedAt, NOW)).toBe('in the future (check the clock)');
    expect(describeAge('2026-01-01T03:04:05.000Z', NOW)).toBe('24 h');
    expect(describeAge('2025-12-01T03:04:05.000Z', NOW)).toBe('32 d');
    await store.close();
  });
});

describe('locking', () => {
  const zip = (): string => writeZip(buildOsvZip([rec('GHSA-1', 'npm', 'x')]));

  it('recovers a stale lock left by a dead process at once', async () => {
    const db = tempDir();
    let dead = 4_000_000;
    for (;;) {
      try {
        process.kill(dead, 0);
        dead--;
      } catch {
        break;
      }
    }
    writeFileSync(
      join(db, 'update.lock'),
      JSON.stringify({
        pid: dead,
        hostname: hostname(),
        token: 'x',
        createdAt: '2020-01-01T00:00:00Z',
      }),
    );
    const start = Date.now();
    await importOsv({ dbDir: db, from: zip(), now: NOW });
    expect(Date.now() - start).toBeLessThan(3000);
    expect(readdirSync(db).includes('update.lock')).toBe(false);
  });

  it('refuses while a live process holds the lock, and waits when asked to', async () => {
    const db = tempDir();
    const lock = join(db, 'update.lock');
    writeFileSync(
      lock,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        token: 'other',
        createdAt: '2026-01-01T00:00:00Z',
      }),
    );
    expect(await failure(importOsv({ dbDir: db, from: zip() }))).toBe(
      `DB_LOCKED: ${db}: another update is running (pid ${String(process.pid)} on ${hostname()} since 2026-01-01T00:00:00Z); try again when it has finished`,
    );
    setTimeout(() => {
      rmSync(lock);
    }, 300);
    await importOsv({ dbDir: db, from: zip(), lock: { waitMs: 5000 } });
  });

  it('two imports at once: one wins, the other fails cleanly, the database is whole', async () => {
    const db = tempDir();
    const results = await Promise.allSettled([
      importOsv({ dbDir: db, from: OSV, ecosystems: ['PyPI'], now: NOW }),
      importOsv({ dbDir: db, from: OSV, ecosystems: ['crates.io'], now: NOW }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.flatMap((r): unknown[] =>
      r.status === 'rejected' ? [r.reason as unknown] : [],
    );
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeInstanceOf(SupplyAuditError);
    expect((failed[0] as SupplyAuditError).code).toBe('DB_LOCKED');
    const store = await openOsvStore(db);
    expect(store.status().ecosystems).toHaveLength(1);
    await store.close();
  });
});

describe('read-only and unwritable folders', () => {
  it('fails with a one-line message and leaves no lock', async () => {
    const parent = tempDir();
    const file = join(parent, 'a-file');
    writeFileSync(file, '');
    const db = join(file, 'db');
    expect(await failure(importOsv({ dbDir: db, from: OSV }))).toMatch(
      new RegExp(
        `^DB_WRITE_FAILED: ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the database: (ENOTDIR|EEXIST): `,
      ),
    );
  });

  it.skipIf(process.getuid?.() === 0)('a read-only database folder', async () => {
    const db = tempDir();
    chmodSync(db, 0o555);
    const message = await failure(importOsv({ dbDir: db, from: OSV }));
    chmodSync(db, 0o755);
    expect(message).toBe(
      `DB_WRITE_FAILED: ${db}: cannot create the update lock: EACCES: permission denied, open '${join(db, 'update.lock')}'`,
    );
  });
});

describe('Renovate osv-offline bundle (NeDB files)', () => {
  it('imports the .nedb files of an osv-offline.zip, honouring NeDB updates and deletes', async () => {
    const line = (doc: Record<string, unknown>): string => JSON.stringify(doc);
    const npm = [
      line({ ...rec('GHSA-a', 'npm', 'left-pad'), _id: 'id1' }),
      line({ ...rec('GHSA-b', 'npm', 'left-pad'), _id: 'id2' }),
      line({ ...rec('GHSA-b', 'npm', 'left-pad', { summary: 'updated' }), _id: 'id2' }),
      line({ ...rec('GHSA-c', 'npm', 'right-pad'), _id: 'id3' }),
      line({ $$deleted: true, _id: 'id3' }),
      line({ $$indexCreated: { fieldName: 'id' } }),
      'not json',
      '',
    ].join('\n');
    const pypi = [line({ ...rec('PYSEC-1', 'PyPI', 'Django'), _id: 'p1' })].join('\n');
    const bundle = join(tempDir(), 'osv-offline.zip');
    writeFileSync(
      bundle,
      buildZip([
        { name: 'npm.nedb', data: npm },
        { name: 'pypi.nedb', data: pypi },
      ]),
    );
    const db = tempDir();
    const summary = await importOsv({ dbDir: db, from: bundle, now: NOW });
    expect(
      summary.ecosystems.map((e) => [e.ecosystem, e.records, e.skipped, e.format, e.source]),
    ).toEqual([
      ['npm', 2, 1, 'osv-offline-nedb', `${bundle}!npm.nedb`],
      ['PyPI', 1, 0, 'osv-offline-nedb', `${bundle}!pypi.nedb`],
    ]);
    const store = await openOsvStore(db);
    const leftPad = await store.lookup('npm', 'left-pad');
    expect(await ids(store, 'npm', 'left-pad')).toEqual(['GHSA-a', 'GHSA-b']);
    expect(JSON.stringify(leftPad)).toContain('"summary":"updated"');
    expect(JSON.stringify(leftPad)).not.toContain('_id');
    expect(await ids(store, 'npm', 'right-pad')).toEqual([]);
    expect(await ids(store, 'PyPI', 'django')).toEqual(['PYSEC-1']);
    await store.close();
  });
});

describe('resolveDatabaseDir', () => {
  const base = { env: {}, platform: 'linux' as const, home: '/home/u', cwd: '/work' };
  it.each([
    [{ ...base, flag: 'db' }, '/work/db'],
    [{ ...base, env: { SUPPLYAUDIT_DB: '/data/osv' } }, '/data/osv'],
    [{ ...base, flag: '/x', env: { SUPPLYAUDIT_DB: '/data/osv' } }, '/x'],
    [{ ...base, env: { XDG_CACHE_HOME: '/cache' } }, '/cache/supplyaudit/osv'],
    [{ ...base, env: { XDG_CACHE_HOME: 'relative' } }, '/home/u/.cache/supplyaudit/osv'],
    [base, '/home/u/.cache/supplyaudit/osv'],
    [{ ...base, platform: 'darwin' as const }, '/home/u/Library/Caches/supplyaudit/osv'],
    [
      {
        ...base,
        platform: 'win32' as const,
        home: 'C:\\Users\\u',
        env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' },
      },
      'C:\\Users\\u\\AppData\\Local\\supplyaudit\\Cache\\osv',
    ],
  ])('%j', (input, expected) => {
    expect(resolveDatabaseDir(input)).toBe(expected);
  });
});
