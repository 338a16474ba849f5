// Full-scale OSV exports shaped like osv.dev's (npm 230,000 records, most of them MAL- records for
// one package each; PyPI 20,000; crates.io 2,000; RubyGems 2,000), written as
// bench/.data/osv/<Ecosystem>/all.zip. Deterministic: the same seed gives the same bytes.
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
export const DATA = join(here, '..', '.data', 'osv');
/** The same records plus as many again on names the lookup tree never uses (size independence). */
export const DATA_2X = join(here, '..', '.data', 'osv-2x');
export const SIZES = { npm: 230_000, PyPI: 20_000, 'crates.io': 2_000, RubyGems: 2_000 };
/** How many distinct package names the non-MAL records spread over, per ecosystem. */
const PACKAGES = { npm: 8_000, PyPI: 5_000, 'crates.io': 900, RubyGems: 500 };
const MAL_SHARE = { npm: 0.9, PyPI: 0.3, 'crates.io': 0, RubyGems: 0 };

let seed = 42;
function rand() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = (n) => Math.floor(rand() * n);

export function packageName(ecosystem, i) {
  if (ecosystem === 'PyPI') return `Py_Package.${i}`;
  if (ecosystem === 'crates.io') return `crate-${i}`;
  if (ecosystem === 'RubyGems') return `gem_${i}`;
  return i % 7 === 0 ? `@scope${i % 50}/pkg-${i}` : `pkg-${i}`;
}
export function malName(ecosystem, i) {
  return ecosystem === 'npm' ? `mal-typo-${i}-${(i * 2654435761) % 100000}` : `mal_py_${i}`;
}
/** 7,000 npm + 2,000 PyPI + 500 crates + 500 gems; about a third of them have advisories. */
export function tree() {
  const out = [];
  for (let i = 0; i < 7000; i++)
    out.push([
      'npm',
      i % 3 === 0 ? packageName('npm', i) : i % 3 === 1 ? malName('npm', i * 7) : `clean-${i}`,
    ]);
  for (let i = 0; i < 2000; i++)
    out.push(['PyPI', i % 2 === 0 ? packageName('PyPI', i).toUpperCase() : `clean_${i}`]);
  for (let i = 0; i < 500; i++)
    out.push(['crates.io', i % 2 === 0 ? packageName('crates.io', i) : `clean-${i}`]);
  for (let i = 0; i < 500; i++)
    out.push(['RubyGems', i % 2 === 0 ? packageName('RubyGems', i) : `clean_${i}`]);
  return out;
}

/** Names of the 2x extra records: never looked up by the tree. */
let extra = false;
const named = (name) => (extra ? `extra-${name}` : name);

function record(ecosystem, i) {
  const malicious = rand() < MAL_SHARE[ecosystem];
  const year = 2018 + pick(8);
  const modified = `${year}-0${1 + pick(9)}-1${pick(9)}T0${pick(9)}:00:00Z`;
  if (malicious) {
    const name = named(malName(ecosystem, i));
    return {
      modified,
      published: modified,
      schema_version: '1.6.0',
      id: `MAL-${year}-${i}`,
      summary: `Malicious code in ${name} (${ecosystem})`,
      details:
        '\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: ossf-package-analysis\nThe package downloads and executes a remote payload during installation.\n',
      affected: [
        {
          package: { ecosystem, name },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
          database_specific: {
            source: `https://github.com/ossf/malicious-packages/blob/main/osv/malicious/${ecosystem}/${name}/MAL-${year}-${i}.json`,
          },
        },
      ],
      credits: [
        {
          name: 'OpenSSF: Package Analysis',
          type: 'FINDER',
          contact: ['https://github.com/ossf/package-analysis'],
        },
      ],
      database_specific: {
        'malicious-packages-origins': [
          {
            source: 'ossf-package-analysis',
            sha256: 'a'.repeat(64),
            import_time: modified,
            modified_time: modified,
            versions: ['1.0.0'],
          },
        ],
      },
    };
  }
  const affected = [];
  const count = 1 + (rand() < 0.2 ? pick(3) : 0);
  for (let a = 0; a < count; a++) {
    const major = pick(10);
    affected.push({
      package: {
        ecosystem,
        name: named(packageName(ecosystem, pick(PACKAGES[ecosystem]))),
        purl: `pkg:${ecosystem.toLowerCase()}/x`,
      },
      ranges: [
        {
          type: ecosystem === 'crates.io' ? 'SEMVER' : 'ECOSYSTEM',
          events: [
            { introduced: `${major}.0.0` },
            { fixed: `${major}.${1 + pick(20)}.${pick(10)}` },
          ],
        },
      ],
      ...(ecosystem === 'PyPI'
        ? { versions: Array.from({ length: 5 + pick(30) }, (_, v) => `${major}.0.${v}`) }
        : {}),
      database_specific: { source: 'https://github.com/github/advisory-database' },
    });
  }
  const prefix = ecosystem === 'PyPI' ? 'PYSEC' : ecosystem === 'crates.io' ? 'RUSTSEC' : 'GHSA';
  return {
    schema_version: '1.6.0',
    id: `${prefix}-${year}-${i}`,
    modified,
    published: modified,
    aliases: [`CVE-${year}-${10000 + i}`],
    summary: 'Prototype pollution in a widely used helper',
    details: 'A crafted payload lets an attacker modify Object.prototype. '.repeat(4 + pick(12)),
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected,
    references: [
      { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/CVE-${year}-${10000 + i}` },
      { type: 'PACKAGE', url: 'https://example.com/pkg' },
    ],
    database_specific: { cwe_ids: ['CWE-1321'], severity: 'HIGH', github_reviewed: true },
  };
}

function writeZip(file, ecosystem, count, copies = 1) {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  const central = [];
  let offset = 0;
  let pending = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length === 0) return;
    writeSync(fd, Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };
  const startSeed = seed;
  for (let i = 0; i < count * copies; i++) {
    if (i % count === 0) {
      seed = startSeed;
      extra = i > 0;
    }
    const r = record(ecosystem, i % count);
    if (extra) r.id = `X${r.id}`;
    const data = Buffer.from(JSON.stringify(r, null, 2));
    const name = Buffer.from(`${r.id}.json`);
    const body = deflateRawSync(data);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    pending.push(local, name, body);
    pendingBytes += 30 + name.length + body.length;
    offset += 30 + name.length + body.length;
    if (pendingBytes > 8 * 1024 * 1024) flush();
  }
  flush();
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const entries = count * copies;
  extra = false;
  end.writeUInt16LE(entries & 0xffff, 8);
  end.writeUInt16LE(entries & 0xffff, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  if (entries > 0xffff) {
    // ZIP64 end records, as osv.dev's npm export needs for > 65,535 entries.
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(entries), 24);
    z.writeBigUInt64LE(BigInt(entries), 32);
    z.writeBigUInt64LE(BigInt(dir.length), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + dir.length), 8);
    loc.writeUInt32LE(1, 16);
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
    writeSync(fd, Buffer.concat([dir, z, loc, end]));
  } else writeSync(fd, Buffer.concat([dir, end]));
  closeSync(fd);
}

export function generate() {
  for (const [ecosystem, count] of Object.entries(SIZES)) {
    seed = 42 + count;
    writeZip(join(DATA, ecosystem, 'all.zip'), ecosystem, count);
  }
}

export function generate2x() {
  for (const [ecosystem, count] of Object.entries(SIZES)) {
    seed = 42 + count;
    writeZip(join(DATA_2X, ecosystem, 'all.zip'), ecosystem, count, 2);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (existsSync(join(DATA, 'npm', 'all.zip')) && !process.argv.includes('--force')) {
    console.log(`${DATA} exists (use --force to regenerate)`);
  } else {
    const t = performance.now();
    generate();
    generate2x();
    console.log(
      `generated ${DATA} and ${DATA_2X} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
}
