// A tiny zip writer for tests: it can write what real tools refuse to (traversal names, symlinks,
// duplicate names, bad CRCs, lying sizes), so hostile archives are built inside the tests.
import { crc32, deflateRawSync } from 'node:zlib';

export interface TestZipEntry {
  readonly name: string | Buffer;
  readonly data?: Buffer | string;
  /** 'deflate' (default) or 'store' */
  readonly method?: 'deflate' | 'store';
  /** write this CRC instead of the real one */
  readonly crc?: number;
  /** write this uncompressed size in the headers instead of the real one */
  readonly declaredSize?: number;
  /** Unix mode in the external attributes, e.g. 0o120777 for a symlink */
  readonly unixMode?: number;
  /** set the UTF-8 name flag (bit 11) */
  readonly utf8?: boolean;
}

/** Build a zip archive in memory. */
export function buildZip(entries: readonly TestZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : (e.data ?? Buffer.alloc(0));
    const method = e.method === 'store' ? 0 : 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const crc = e.crc ?? crc32(data) >>> 0;
    const size = e.declaredSize ?? data.length;
    const flags = e.utf8 === true ? 0x800 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.unixMode === undefined ? 20 : (3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(e.unixMode === undefined ? 0 : (e.unixMode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

/** A zip of OSV records, one `<id>.json` entry per record. */
export function buildOsvZip(records: readonly unknown[]): Buffer {
  return buildZip(
    records.map((r, i) => {
      const id =
        typeof r === 'object' && r !== null && 'id' in r && typeof r.id === 'string' ? r.id : `record-${String(i)}`;
      return { name: `${id}.json`, data: JSON.stringify(r) };
    }),
  );
}
