import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { buildZip, type TestZipEntry } from './__fixtures__/zip-writer.js';
import { SupplyAuditError } from '../errors.js';
import { readZip, unsafeEntryName, type ZipLimits } from './zip.js';

const dir = mkdtempSync(join(tmpdir(), 'sa-zip-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function write(bytes: Buffer): string {
  const file = join(dir, `t${String(n++)}.zip`);
  writeFileSync(file, bytes);
  return file;
}

async function readAll(
  file: string,
  limits: Partial<ZipLimits> = {},
): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  await readZip(
    file,
    async (entry, reader) => {
      out.push({ name: entry.name, text: (await reader.readBytes()).toString('utf8') });
    },
    { limits, label: 'test.zip' },
  );
  return out;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SupplyAuditError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('readZip', () => {
  it('reads stored and deflated entries in order', async () => {
    const file = write(
      buildZip([
        { name: 'a.json', data: '{"id":"A"}' },
        { name: 'dir/b.json', data: 'x'.repeat(5000), method: 'store' },
      ]),
    );
    const entries = await readAll(file);
    expect(entries.map((e) => e.name)).toEqual(['a.json', 'dir/b.json']);
    expect(entries[0]!.text).toBe('{"id":"A"}');
    expect(entries[1]!.text).toHaveLength(5000);
  });

  it('streams an entry and checks its CRC at the end', async () => {
    const data = Buffer.from('line\n'.repeat(100_000));
    const file = write(buildZip([{ name: 'big.txt', data }]));
    let got = 0;
    await readZip(file, async (_e, reader) => {
      for await (const chunk of await reader.openStream()) got += (chunk as Buffer).length;
    });
    expect(got).toBe(data.length);
    const bad = write(buildZip([{ name: 'big.txt', data, crc: 1234 }]));
    const err = await failure(
      readZip(
        bad,
        async (_e, reader) => {
          for await (const _chunk of await reader.openStream()) {
            /* drain */
          }
        },
        { label: 'bad.zip' },
      ),
    );
    expect(err).toEqual({ code: 'PARSE_FAILED', message: 'bad.zip: entry "big.txt": bad CRC-32' });
  });

  it.each([
    ['../x.json', 'entry "../x.json": parent-directory segment (..)'],
    ['a/../../x.json', 'entry "a/../../x.json": parent-directory segment (..)'],
    ['/abs.json', 'entry "/abs.json": absolute path'],
    ['C:\\x.json', 'entry "C:\\\\x.json": backslash in name'],
    ['C:x.json', 'entry "C:x.json": drive-letter path'],
    ['a\\b.json', 'entry "a\\\\b.json": backslash in name'],
    ['a\0b.json', 'entry "a\\u0000b.json": NUL byte in name'],
  ])('rejects the entry name %j', async (name, message) => {
    const file = write(
      buildZip([
        { name: 'ok.json', data: '{}' },
        { name, data: '{}' },
      ]),
    );
    expect(await failure(readAll(file))).toEqual({
      code: 'ARCHIVE_UNSAFE',
      message: `test.zip: ${message}`,
    });
  });

  it('rejects a symlink entry', async () => {
    const file = write(buildZip([{ name: 'link.json', data: '/etc/passwd', unixMode: 0o120777 }]));
    expect(await failure(readAll(file))).toEqual({
      code: 'ARCHIVE_UNSAFE',
      message: 'test.zip: entry "link.json": symbolic link',
    });
  });

  it('accepts a regular Unix file entry', async () => {
    const file = write(buildZip([{ name: 'f.json', data: '{}', unixMode: 0o100644 }]));
    expect(await readAll(file)).toEqual([{ name: 'f.json', text: '{}' }]);
  });

  it('rejects duplicate names', async () => {
    const file = write(
      buildZip([
        { name: 'A.json', data: '{"id":"A"}' },
        { name: 'A.json', data: '{"id":"evil"}' },
      ]),
    );
    expect(await failure(readAll(file))).toEqual({
      code: 'ARCHIVE_UNSAFE',
      message: 'test.zip: entry "A.json": duplicate name',
    });
  });

  it('rejects a 1:1000 compression bomb before inflating it', async () => {
    const file = write(buildZip([{ name: 'bomb.json', data: Buffer.alloc(10 * 1024 * 1024) }]));
    const err = await failure(readAll(file));
    expect(err.code).toBe('ARCHIVE_UNSAFE');
    expect(err.message).toMatch(
      /^test\.zip: entry "bomb\.json": compression ratio 1:\d+ over 1:200 \(decompression bomb\?\)$/,
    );
  });

  it('rejects more uncompressed bytes in total than the cap', async () => {
    const file = write(
      buildZip([
        { name: 'a', data: 'a'.repeat(600) },
        { name: 'b', data: 'b'.repeat(600) },
      ]),
    );
    expect(await failure(readAll(file, { maxTotalBytes: 1000 }))).toEqual({
      code: 'ARCHIVE_UNSAFE',
      message: 'test.zip: over 1000 bytes uncompressed in total (decompression bomb?)',
    });
  });

  it('rejects an entry that inflates to more than it declares', async () => {
    const file = write(buildZip([{ name: 'liar.json', data: 'z'.repeat(5000), declaredSize: 10 }]));
    const err = await failure(readAll(file));
    expect(err.code).toBe('PARSE_FAILED');
    expect(err.message).toMatch(/^test\.zip: entry "liar\.json": cannot read \(/);
  });

  it('rejects more entries than the cap from the directory alone', async () => {
    const entries: TestZipEntry[] = Array.from({ length: 11 }, (_, i) => ({
      name: `${String(i)}.json`,
      data: '{}',
    }));
    const file = write(buildZip(entries));
    let visited = 0;
    const err = await failure(
      readZip(
        file,
        () => {
          visited++;
        },
        { limits: { maxEntries: 10 }, label: 'test.zip' },
      ),
    );
    expect(err).toEqual({
      code: 'ARCHIVE_UNSAFE',
      message: 'test.zip: 11 entries, over the limit of 10',
    });
    expect(visited).toBe(0);
  });

  it('reports a bad CRC', async () => {
    const file = write(buildZip([{ name: 'a.json', data: '{"id":"A"}', crc: 42 }]));
    expect(await failure(readAll(file))).toEqual({
      code: 'PARSE_FAILED',
      message: 'test.zip: entry "a.json": bad CRC-32',
    });
  });

  it('reports an empty file, an HTML page and a truncated archive as not a zip', async () => {
    expect(await failure(readAll(write(Buffer.alloc(0))))).toMatchObject({
      code: 'PARSE_FAILED',
      message: 'test.zip: empty file, not a zip archive',
    });
    const html = write(Buffer.from('<!doctype html><title>Error</title>'));
    expect((await failure(readAll(html))).message).toMatch(/^test\.zip: not a zip archive \(/);
    const whole = buildZip([{ name: 'a.json', data: '{"id":"A"}' }]);
    const cut = write(whole.subarray(0, whole.length - 30));
    expect((await failure(readAll(cut))).message).toMatch(/^test\.zip: not a zip archive \(/);
  });

  it('reads non-ASCII names flagged UTF-8', async () => {
    const file = write(buildZip([{ name: 'é.json', data: '{}', utf8: true }]));
    expect((await readAll(file)).map((e) => e.name)).toEqual(['é.json']);
  });
});

describe('unsafeEntryName', () => {
  it.each([
    ['GHSA-xxxx.json', undefined],
    ['a/b/c.json', undefined],
    ['..json', undefined],
    ['', 'empty name'],
    ['a\nb', 'control character in name'],
  ])('%j', (name, why) => {
    expect(unsafeEntryName(name)).toBe(why);
  });
});
