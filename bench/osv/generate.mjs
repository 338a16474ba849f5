// Generates the OSV engine benchmark data into bench/.data/osv-engine (deterministic, seeded):
//
//   data-1x/<Ecosystem>/all.zip   osv.dev-shaped exports: npm 230,000 records (200,000 MAL- and
//                                 30,000 GHSA- over 8,000 names), PyPI 20,000 (12,000 PYSEC-/GHSA-
//                                 + 8,000 MAL-), crates.io 2,000, RubyGems 2,000
//   data-1x/nedb/<eco>.nedb       the same records as Renovate's osv-offline ships them (NeDB: one
//                                 JSON document per line with an `_id`), for the peer benchmarks
//   data-2x/<Ecosystem>/all.zip   twice the records: the 1x records plus as many again on names the
//                                 tree never uses, so a scan finds exactly the same in both
//   tree/                         a 10,000-package polyglot tree: package-lock.json (6,000 npm),
//                                 poetry.lock (2,000 PyPI), Cargo.lock (1,000), Gemfile.lock (1,000);
//                                 about 4.5% of its names have advisories, a few are MAL- names
//   queries.json                  the 10,000 [ecosystem, name] pairs the scan looks up
//
// Records copy the shape of real ones (schema_version, aliases, severity, ranges, osv.dev's
// `versions` lists for PyPI, database_specific, references), with example hosts in every URL.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineWriter, ZipWriter } from './zip-writer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DATA = join(here, '..', '.data', 'osv-engine');
export const DATA_1X = join(DATA, 'data-1x');
export const DATA_2X = join(DATA, 'data-2x');
export const NEDB_DIR = join(DATA_1X, 'nedb');
export const TREE = join(DATA, 'tree');
export const QUERIES = join(DATA, 'queries.json');
const MARKER = join(DATA, 'generated.json');
/** Bump when the generated data changes shape. */
const GENERATOR_VERSION = 1;

export const ECOSYSTEMS = ['npm', 'PyPI', 'crates.io', 'RubyGems'];

export const SPEC = {
  npm: {
    vulnNames: 8000,
    vulnRecords: 30000,
    malRecords: 200000,
    tree: 6000,
    treeVuln: 240,
    treeMal: 6,
  },
  PyPI: {
    vulnNames: 4000,
    vulnRecords: 12000,
    malRecords: 8000,
    tree: 2000,
    treeVuln: 100,
    treeMal: 2,
  },
  'crates.io': {
    vulnNames: 900,
    vulnRecords: 1950,
    malRecords: 50,
    tree: 1000,
    treeVuln: 40,
    treeMal: 0,
  },
  RubyGems: {
    vulnNames: 800,
    vulnRecords: 1900,
    malRecords: 100,
    tree: 1000,
    treeVuln: 40,
    treeMal: 0,
  },
};

const PURL_TYPE = { npm: 'npm', PyPI: 'pypi', 'crates.io': 'cargo', RubyGems: 'gem' };
/** Renovate's purl rule (and osv.dev's): each '/'-separated part URI-encoded. */
export function purlOf(ecosystem, name) {
  return `pkg:${PURL_TYPE[ecosystem]}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'array async auth babel base bind bit block body buffer bundle cache call chalk char chunk class ' +
  'cli client clone code color config core cookie cors crypto css csv data date debug deep define ' +
  'diff dom dot edit emit encode env error event exec express extend fast fetch file find flat form ' +
  'format fs glob graph grid hash head hook html http icon image init ini inline json jwt key lang ' +
  'layout lazy lint list load lock log map markdown match merge meta mime mini mock mongo ms multi ' +
  'native net node normalize object open option pack parse path pipe plugin point pool post proxy ' +
  'query queue quick react read redis regex render request resolve rest retry route run safe sass ' +
  'scan schema script select semver send server shell signal slug socket sort source split sql ' +
  'stack state static store stream string style sync table tar task template test text time token ' +
  'tool trace tree type ui unzip url util uuid valid value view vue watch web worker wrap xml yaml zip'
).split(' ');
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const GHSA_CHARS = '23456789cfghjmpqrvwx';
const CWES = [
  'CWE-79',
  'CWE-400',
  'CWE-1321',
  'CWE-22',
  'CWE-94',
  'CWE-78',
  'CWE-20',
  'CWE-918',
  'CWE-611',
  'CWE-502',
];
const CVSS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L',
];
const LEVELS = ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'];
const PHRASES = [
  'Versions of the package are vulnerable to',
  'an attacker can craft input that',
  'which leads to a denial of service when the parser',
  'does not properly validate the',
  'allowing prototype pollution through the merge of untrusted objects',
  'Regular expression denial of service (ReDoS) in the handling of',
  'the issue has been patched in the fixed release; users should upgrade',
  'there are no known workarounds for this vulnerability',
  'path traversal is possible when archive entries contain',
  'arbitrary code execution via a crafted configuration file',
  'server-side request forgery when following redirects to',
  'the function fails to sanitize user-supplied',
];

/** All names drawn from one generator, never twice, per ecosystem. */
class NamePool {
  constructor(ecosystem, rand) {
    this.ecosystem = ecosystem;
    this.rand = rand;
    this.used = new Set();
  }

  word() {
    return WORDS[Math.floor(this.rand() * WORDS.length)];
  }

  tail(min, max) {
    const n = min + Math.floor(this.rand() * (max - min + 1));
    let s = '';
    for (let i = 0; i < n; i++) s += ALNUM[Math.floor(this.rand() * ALNUM.length)];
    return s;
  }

  candidate(malicious) {
    const r = this.rand();
    const a = this.word();
    const b = this.word();
    const c = this.word();
    switch (this.ecosystem) {
      case 'npm':
        if (malicious)
          return r < 0.15 ? `@${a}-${this.tail(3, 6)}/${b}-${c}` : `${a}-${b}-${this.tail(2, 6)}`;
        if (r < 0.12) return `@${a}/${b}-${c}`;
        return r < 0.5 ? `${a}-${b}` : r < 0.7 ? `${a}${b}` : `${a}-${b}-${c}`;
      case 'PyPI':
        if (malicious) return `${a}-${b}${this.tail(1, 4)}`;
        return r < 0.3 ? `py${a}-${b}` : r < 0.8 ? `${a}-${b}` : `${a}-${b}-${c}`;
      case 'crates.io':
        if (malicious) return `${a}_${b}_${this.tail(2, 4)}`;
        return r < 0.5 ? `${a}-${b}` : r < 0.8 ? `${a}_${b}` : `${a}-${b}-${c}`;
      default:
        if (malicious) return `${a}-${b}-${this.tail(2, 4)}`;
        return r < 0.5 ? `${a}_${b}` : r < 0.8 ? `${a}-${b}` : `${a}_${b}_${c}`;
    }
  }

  next(malicious = false) {
    for (;;) {
      const name = this.candidate(malicious);
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
      if (this.used.size > 5_000_000) throw new Error('name pool exhausted');
    }
  }
}

/** The records of one part (base or extra) of one ecosystem, yielded one at a time. */
function* records(ecosystem, part, pool, rand, counters) {
  const spec = SPEC[ecosystem];
  const pick = (n) => Math.floor(rand() * n);
  const vulnNames = Array.from({ length: spec.vulnNames }, () => pool.next(false));
  const malNames = Array.from({ length: Math.round(spec.malRecords * 0.97) }, () =>
    pool.next(true),
  );
  part.vulnNames = vulnNames;
  part.malNames = malNames;
  // Every vulnerable name has one record; the rest go mostly to the first (popular) names.
  for (let i = 0; i < spec.vulnRecords; i++) {
    const index = i < vulnNames.length ? i : Math.floor(vulnNames.length * rand() ** 2.2);
    const name = vulnNames[index];
    const other = rand() < 0.08 ? vulnNames[pick(vulnNames.length)] : undefined;
    yield vulnRecord(ecosystem, name, other, rand, counters);
  }
  for (let i = 0; i < spec.malRecords; i++) {
    const name = i < malNames.length ? malNames[i] : malNames[pick(malNames.length)];
    yield malRecord(ecosystem, name, rand, counters);
  }
}

function isoDate(rand, from = 2017) {
  const t =
    Date.UTC(from, 0, 1) + Math.floor(rand() * (Date.UTC(2025, 5, 1) - Date.UTC(from, 0, 1)));
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function details(rand, min, max) {
  const target = min + Math.floor(rand() * (max - min));
  let s = '';
  while (s.length < target) {
    s += `${PHRASES[Math.floor(rand() * PHRASES.length)]} ${WORDS[Math.floor(rand() * WORDS.length)]} ${WORDS[Math.floor(rand() * WORDS.length)]}`;
    s += rand() < 0.3 ? '.\n\n' : ', ';
  }
  return s;
}

function ghsaId(rand) {
  let s = 'GHSA';
  for (let g = 0; g < 3; g++) {
    s += '-';
    for (let i = 0; i < 4; i++) s += GHSA_CHARS[Math.floor(rand() * GHSA_CHARS.length)];
  }
  return s;
}

function version(rand, majorMax = 6) {
  return `${Math.floor(rand() * majorMax)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 30)}`;
}

function vulnId(ecosystem, rand, counters) {
  const year = 2017 + Math.floor(rand() * 8);
  for (;;) {
    let id;
    if (ecosystem === 'PyPI' && rand() < 0.55) id = `PYSEC-${year}-${String(++counters.pysec)}`;
    else if (ecosystem === 'crates.io')
      id = `RUSTSEC-${year}-${String(++counters.rustsec).padStart(4, '0')}`;
    else id = ghsaId(rand);
    if (!counters.ids.has(id)) {
      counters.ids.add(id);
      return id;
    }
  }
}

function affectedEntry(ecosystem, name, rand) {
  const semver = ecosystem === 'npm' || ecosystem === 'crates.io';
  const fixed = version(rand);
  const [major] = fixed.split('.');
  const introduced = rand() < 0.6 ? '0' : `${major}.0.0`;
  const events = [{ introduced }];
  const r = rand();
  if (r < 0.85) events.push({ fixed });
  else if (r < 0.93) events.push({ last_affected: fixed });
  const entry = {
    package: { ecosystem, name, purl: purlOf(ecosystem, name) },
    ranges: [{ type: semver ? 'SEMVER' : 'ECOSYSTEM', events }],
  };
  if (ecosystem === 'PyPI' || ecosystem === 'RubyGems') {
    // osv.dev enumerates the affected versions of ECOSYSTEM ranges.
    const count = 3 + Math.floor(rand() * 40);
    const versions = [];
    for (let i = 0; i < count; i++) versions.push(`${major}.${Math.floor(i / 6)}.${i % 6}`);
    entry.versions = versions;
  }
  if (ecosystem === 'crates.io') {
    entry.ecosystem_specific = {
      affects: { arch: [], os: [], functions: [`${name.replace(/-/g, '_')}::parse`] },
    };
  }
  entry.database_specific = { source: `https://advisories.example.com/${ecosystem}/${name}.json` };
  return entry;
}

function vulnRecord(ecosystem, name, other, rand, counters) {
  const id = vulnId(ecosystem, rand, counters);
  const published = isoDate(rand);
  const cve = `CVE-${2017 + Math.floor(rand() * 8)}-${10000 + Math.floor(rand() * 40000)}`;
  const affected = [affectedEntry(ecosystem, name, rand)];
  if (rand() < 0.15) affected.push(affectedEntry(ecosystem, name, rand));
  if (other !== undefined && other !== name) affected.push(affectedEntry(ecosystem, other, rand));
  const record = {
    schema_version: '1.6.0',
    id,
    modified: isoDate(rand, 2023),
    published,
    aliases: rand() < 0.8 ? [cve] : [],
    summary: `${PHRASES[Math.floor(rand() * PHRASES.length)]} in ${name}`,
    details: details(rand, 300, 2000),
    affected,
    references: [
      { type: 'ADVISORY', url: `https://nvd.example.com/vuln/detail/${cve}` },
      {
        type: 'WEB',
        url: `https://git.example.com/${name}/issues/${String(1 + Math.floor(rand() * 900))}`,
      },
      {
        type: 'FIX',
        url: `https://git.example.com/${name}/commit/${Math.floor(rand() * 2 ** 52).toString(16)}`,
      },
      { type: 'PACKAGE', url: `https://git.example.com/${name}` },
    ],
    database_specific: {
      cwe_ids: [CWES[Math.floor(rand() * CWES.length)]],
      severity: LEVELS[Math.floor(rand() * LEVELS.length)],
      github_reviewed: true,
      github_reviewed_at: published,
      nvd_published_at: published,
    },
  };
  if (ecosystem !== 'RubyGems' || rand() < 0.5) {
    record.severity = [{ type: 'CVSS_V3', score: CVSS[Math.floor(rand() * CVSS.length)] }];
  }
  return record;
}

function malRecord(ecosystem, name, rand, counters) {
  const year = 2022 + Math.floor(rand() * 4);
  const id = `MAL-${year}-${String(++counters.mal)}`;
  counters.ids.add(id);
  const published = isoDate(rand, 2022);
  const ghsa = ghsaId(rand);
  return {
    modified: isoDate(rand, 2024),
    published,
    schema_version: '1.5.0',
    id,
    aliases: rand() < 0.6 ? [ghsa] : [],
    summary: `Malicious code in ${name} (${ecosystem})`,
    details:
      '\n---\n_-= Per source details. Do not edit below this line.=-_\n\n' +
      `## Source: ghsa-malware (${ghsa})\nAny computer that has this package installed or running should be considered fully compromised. ` +
      'All secrets and keys stored on that computer should be rotated immediately from a different computer. ' +
      'The package should be removed, but as full control of the computer may have been given to an outside entity, ' +
      'there is no guarantee that removing the package will remove all malicious software resulting from installing it.\n' +
      (rand() < 0.5
        ? `\n## Source: ossf-package-analysis (${Math.floor(rand() * 2 ** 52).toString(16)})\nThe package ${name} was found to contain malicious code.\n`
        : ''),
    affected: [
      {
        package: { ecosystem, name, purl: purlOf(ecosystem, name) },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        database_specific: {
          source: `https://malicious.example.com/osv/malicious/${ecosystem}/${name}/${id}.json`,
        },
      },
    ],
    references: [{ type: 'WEB', url: `https://registry.example.com/${ecosystem}/${name}` }],
    database_specific: {
      'malicious-packages-origins': [
        {
          source: 'ghsa-malware',
          id: ghsa,
          import_time: published,
          modified_time: published,
          sha256: Math.floor(rand() * 2 ** 52)
            .toString(16)
            .padStart(16, '0')
            .repeat(4),
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        },
      ],
    },
  };
}

function nedbId(n) {
  // NeDB's ids are 16 random alphanumerics; a unique counter spelled that way is as good.
  return `osvbench${n.toString(36).padStart(8, '0')}`;
}

function writeTree(trees) {
  rmSync(TREE, { recursive: true, force: true });
  const rand = rng(7);
  const pick = (n) => Math.floor(rand() * n);
  const sha = () => Array.from({ length: 64 }, () => '0123456789abcdef'[pick(16)]).join('');
  const write = (rel, text) => {
    const file = join(TREE, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  const deps = (i, count, n) => {
    const out = [];
    for (let d = 0; d < n; d++) {
      const j = i + 1 + pick(count - i - 1 || 1);
      if (j < count && !out.includes(j)) out.push(j);
    }
    return out;
  };

  {
    const { names, versions } = trees.npm;
    const count = names.length;
    const root = { name: 'big-app', version: '1.0.0', dependencies: {}, devDependencies: {} };
    for (let i = 0; i < 200; i++)
      root[i % 4 === 0 ? 'devDependencies' : 'dependencies'][names[i]] = `^${versions[i]}`;
    const packages = { '': root };
    for (let i = 0; i < count; i++) {
      const entry = {
        version: versions[i],
        resolved: `https://npm.example.com/${names[i]}/-/${names[i].split('/').pop()}-${versions[i]}.tgz`,
        integrity: `sha512-${Buffer.from(sha() + sha(), 'hex').toString('base64')}`,
        license: 'MIT',
      };
      const d = deps(i, count, 4);
      if (d.length > 0)
        entry.dependencies = Object.fromEntries(d.map((j) => [names[j], `^${versions[j]}`]));
      if (i < 200 && i % 4 === 0) entry.dev = true;
      packages[`node_modules/${names[i]}`] = entry;
    }
    write(
      'apps/web/package.json',
      `${JSON.stringify({ name: 'big-app', version: '1.0.0', dependencies: root.dependencies, devDependencies: root.devDependencies }, null, 2)}\n`,
    );
    write(
      'apps/web/package-lock.json',
      `${JSON.stringify({ name: 'big-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
    );
  }
  {
    const { names, versions } = trees.PyPI;
    let lock =
      '# This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.\n\n';
    for (let i = 0; i < names.length; i++) {
      lock += `[[package]]\nname = "${names[i]}"\nversion = "${versions[i]}"\ndescription = "generated"\noptional = false\npython-versions = ">=3.8"\ngroups = ["main"]\nfiles = [\n    {file = "${names[i].replace(/-/g, '_')}-${versions[i]}-py3-none-any.whl", hash = "sha256:${sha()}"},\n]\n`;
      const d = deps(i, names.length, 2);
      if (d.length > 0)
        lock += `\n[package.dependencies]\n${d.map((j) => `${names[j]} = ">=${versions[j]}"\n`).join('')}`;
      lock += '\n';
    }
    lock += `[metadata]\nlock-version = "2.1"\npython-versions = "^3.10"\ncontent-hash = "${sha()}"\n`;
    const direct = names
      .slice(0, 50)
      .map((n, i) => `${n} = "^${versions[i]}"`)
      .join('\n');
    write(
      'services/api/pyproject.toml',
      `[tool.poetry]\nname = "api"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n\n[tool.poetry.dependencies]\npython = "^3.10"\n${direct}\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n`,
    );
    write('services/api/poetry.lock', lock);
  }
  {
    const { names, versions } = trees['crates.io'];
    let lock =
      '# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n';
    lock += `[[package]]\nname = "engine"\nversion = "0.1.0"\ndependencies = [\n${names
      .slice(0, 30)
      .map((n) => ` "${n}",\n`)
      .join('')}]\n\n`;
    for (let i = 0; i < names.length; i++) {
      lock += `[[package]]\nname = "${names[i]}"\nversion = "${versions[i]}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${sha()}"\n`;
      const d = deps(i, names.length, 2);
      if (d.length > 0)
        lock += `dependencies = [\n${d.map((j) => ` "${names[j]}",\n`).join('')}]\n`;
      lock += '\n';
    }
    write(
      'crates/engine/Cargo.toml',
      `[package]\nname = "engine"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${names
        .slice(0, 30)
        .map((n, i) => `${n} = "=${versions[i]}"`)
        .join('\n')}\n`,
    );
    write('crates/engine/Cargo.lock', lock);
  }
  {
    const { names, versions } = trees.RubyGems;
    let specs = '';
    for (let i = 0; i < names.length; i++) {
      specs += `    ${names[i]} (${versions[i]})\n`;
      for (const j of deps(i, names.length, 2))
        specs += `      ${names[j]} (>= ${versions[j].split('.')[0]})\n`;
    }
    const direct = names.slice(0, 20);
    write(
      'ruby/Gemfile',
      `source "https://rubygems.example.com"\n\n${direct.map((n) => `gem "${n}"`).join('\n')}\n`,
    );
    write(
      'ruby/Gemfile.lock',
      `GEM\n  remote: https://rubygems.example.com/\n  specs:\n${specs}\nPLATFORMS\n  ruby\n  x86_64-linux\n\nDEPENDENCIES\n${direct.map((n) => `  ${n}\n`).join('')}\nBUNDLED WITH\n   2.5.22\n`,
    );
  }
}

function shuffle(list, rand) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export function isGenerated() {
  if (!existsSync(MARKER)) return false;
  try {
    return JSON.parse(readFileSync(MARKER, 'utf8')).version === GENERATOR_VERSION;
  } catch {
    return false;
  }
}

export function generate(log = console.log) {
  const started = performance.now();
  rmSync(DATA_1X, { recursive: true, force: true });
  rmSync(DATA_2X, { recursive: true, force: true });
  mkdirSync(NEDB_DIR, { recursive: true });
  const summary = { version: GENERATOR_VERSION, ecosystems: {} };
  const trees = {};
  const queries = [];
  let seed = 100;
  for (const ecosystem of ECOSYSTEMS) {
    const spec = SPEC[ecosystem];
    const rand = rng(seed++);
    const pool = new NamePool(ecosystem, rand);
    const counters = { pysec: 0, rustsec: 0, mal: 0, ids: new Set() };
    for (const d of [DATA_1X, DATA_2X]) mkdirSync(join(d, ecosystem), { recursive: true });
    const zip1 = new ZipWriter(join(DATA_1X, ecosystem, 'all.zip'));
    const zip2 = new ZipWriter(join(DATA_2X, ecosystem, 'all.zip'));
    const nedb = new LineWriter(join(NEDB_DIR, `${ecosystem.toLowerCase()}.nedb`));
    const base = {};
    const extra = {};
    let n = 0;
    let bytes = 0;
    for (const record of records(ecosystem, base, pool, rand, counters)) {
      const json = JSON.stringify(record, null, 2);
      const data = Buffer.from(json, 'utf8');
      bytes += data.length;
      zip1.add(`${record.id}.json`, data);
      zip2.add(`${record.id}.json`, data);
      nedb.line(JSON.stringify({ ...record, _id: nedbId(n++) }));
    }
    zip1.finish();
    nedb.finish();
    // The tree's names: some with advisories, a few malicious, the rest drawn fresh (absent).
    const treeNames = [
      ...shuffle([...base.vulnNames], rand).slice(0, spec.treeVuln),
      ...shuffle([...base.malNames], rand).slice(0, spec.treeMal),
    ];
    while (treeNames.length < spec.tree) treeNames.push(pool.next(false));
    shuffle(treeNames, rand);
    trees[ecosystem] = { names: treeNames, versions: treeNames.map(() => version(rand)) };
    for (const name of treeNames) queries.push([ecosystem, name]);
    // The 2x database: as many records again, on names the tree never uses.
    for (const record of records(ecosystem, extra, pool, rand, counters)) {
      zip2.add(`${record.id}.json`, Buffer.from(JSON.stringify(record, null, 2), 'utf8'));
    }
    zip2.finish();
    summary.ecosystems[ecosystem] = {
      records: n,
      names: base.vulnNames.length + base.malNames.length,
      recordBytes: bytes,
      tree: treeNames.length,
      treeWithAdvisories: spec.treeVuln + spec.treeMal,
    };
    log(
      `osv bench data: ${ecosystem}: ${String(n)} records (${String(2 * n)} in 2x), ${(bytes / 1048576).toFixed(0)} MB of JSON`,
    );
  }
  writeTree(trees);
  writeFileSync(QUERIES, `${JSON.stringify(queries)}\n`);
  writeFileSync(MARKER, `${JSON.stringify(summary, null, 2)}\n`);
  log(
    `osv bench data generated in ${((performance.now() - started) / 1000).toFixed(1)} s into ${DATA}`,
  );
  return summary;
}

if (import.meta.url === `file://${process.argv[1]}`) generate();
