import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFs, type DiscoverFs } from './discover/index.js';
import { ECOSYSTEM_PLUGINS } from './ecosystems/index.js';
import type { EcosystemPlugin, LockfileParser, ParseContext } from './ecosystems/types.js';
import { SupplyAuditError } from './errors.js';
import { createLimit, inventory } from './inventory.js';
import { formatDiagnostic, formatPurl, type Package } from './model/index.js';

let root: string;
let outside: string;

function write(files: Record<string, string | Uint8Array>, base = root): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), content);
  }
}

beforeEach(() => {
  const tmp = mkdtempSync(join(tmpdir(), 'supplyaudit-inventory-'));
  root = join(tmp, 'root');
  outside = join(tmp, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
});

afterEach(() => {
  rmSync(dirname(root), { recursive: true, force: true });
});

/** Each line `name@version` is a package; `BROKEN` makes the file unusable; `bad` lines warn. */
const lineParser: LockfileParser = {
  id: 'rubygems/lines',
  version: 1,
  ecosystem: 'RubyGems',
  matches: (name) => name === 'Gemfile.lock',
  parse(text: string, ctx: ParseContext) {
    if (text.includes('BROKEN')) {
      throw new SupplyAuditError('PARSE_FAILED', `${ctx.file}:2: truncated lockfile`, {
        file: ctx.file,
        line: 2,
      });
    }
    const packages: Package[] = [];
    const diagnostics = [];
    for (const [i, line] of text.split('\n').entries()) {
      if (line === 'bad') {
        diagnostics.push({
          level: 'warning' as const,
          file: ctx.file,
          line: i + 1,
          message: 'bad entry',
        });
        continue;
      }
      const [name, version] = line.split('@');
      if (name === undefined || version === undefined) continue;
      packages.push({
        ecosystem: 'RubyGems',
        name,
        version,
        purl: formatPurl('RubyGems', name, version),
        direct: (ctx.manifestText ?? '').includes(name),
        dev: false,
        optional: false,
        paths: [],
        location: { file: ctx.file, line: i + 1 },
        source: { type: 'registry' },
      });
    }
    return { packages, diagnostics };
  },
};

/** Reads `-r other` includes through readRelated and reports what it got. */
const includeParser: LockfileParser = {
  id: 'pypi/includes',
  version: 1,
  ecosystem: 'PyPI',
  matches: (name) => name.startsWith('requirements'),
  parse(text: string, ctx: ParseContext) {
    const diagnostics = text
      .split('\n')
      .filter((l) => l.startsWith('-r '))
      .map((l) => {
        const got = ctx.readRelated?.(l.slice(3));
        return {
          level: 'warning' as const,
          file: ctx.file,
          message: got === undefined ? `${l.slice(3)}: refused` : `${got.file}: ${got.text.trim()}`,
        };
      });
    return { packages: [], diagnostics };
  },
};

const plugins: EcosystemPlugin[] = ECOSYSTEM_PLUGINS.map((p) => {
  if (p.ecosystem === 'RubyGems') return { ...p, lockfiles: [lineParser] };
  if (p.ecosystem === 'PyPI') return { ...p, lockfiles: [includeParser] };
  return { ...p, lockfiles: [] };
});

describe('inventory', () => {
  it('parses every project, and a broken lockfile costs only its own project', async () => {
    write({
      'a/Gemfile': 'gem "rack"',
      'a/Gemfile.lock': 'rack@2.0.1\nbad\nnokogiri@1.10.3\n',
      'b/Gemfile': '',
      'b/Gemfile.lock': 'x@1\nBROKEN\n',
      'c/Gemfile': '',
    });
    const result = await inventory(root, { plugins });
    expect(result.diagnostics).toEqual([]);
    expect(
      result.projects.map((p) => [
        p.dir,
        p.parsed,
        p.packages.map((x) => `${x.name}@${x.version ?? ''}`),
      ]),
    ).toEqual([
      ['a', true, ['rack@2.0.1', 'nokogiri@1.10.3']],
      ['b', false, []],
      ['c', true, []],
    ]);
    const [a, b] = result.projects;
    expect(a?.packages[0]).toMatchObject({
      direct: true,
      location: { file: 'a/Gemfile.lock', line: 1 },
    });
    expect(a?.packages[1]).toMatchObject({
      direct: false,
      location: { file: 'a/Gemfile.lock', line: 3 },
    });
    expect(a?.diagnostics).toEqual([
      { level: 'warning', file: 'a/Gemfile.lock', line: 2, message: 'bad entry' },
    ]);
    expect(b?.diagnostics).toEqual([
      {
        level: 'error',
        file: 'b/Gemfile.lock',
        line: 2,
        message: 'truncated lockfile',
        code: 'PARSE_FAILED',
      },
    ]);
  });

  it('decodes BOMs and UTF-16, and refuses invalid UTF-8 and NUL bytes with the file named', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('rack@2.0.1\n', 'utf16le'),
    ]);
    write({
      'bom/Gemfile.lock': '\ufeffrack@2.0.1\n',
      'u16/Gemfile.lock': utf16,
      'bad-utf8/Gemfile.lock': Buffer.from([0x72, 0xc3, 0x28, 0x0a]),
      'nul/Gemfile.lock': 'rack@2.0.1\n\0\n',
    });
    const result = await inventory(root, { plugins });
    expect(
      result.projects.map((p) => [p.dir, p.packages.length, p.diagnostics.map(formatDiagnostic)]),
    ).toEqual([
      ['bad-utf8', 0, ['bad-utf8/Gemfile.lock: not valid UTF-8 text (binary file?)']],
      ['bom', 1, []],
      ['nul', 0, ['nul/Gemfile.lock:2: contains a NUL byte (binary file?)']],
      ['u16', 1, []],
    ]);
    expect(result.projects[1]?.packages[0]?.name).toBe('rack');
  });

  it('turns walk refusals into errors of their project: symlink out of the root, size cap', async () => {
    write({ 'Gemfile.lock': 'rack@2.0.1\n' }, outside);
    write({ 'out/Gemfile': '', 'big/Gemfile.lock': 'x@1\n'.repeat(100) });
    symlinkSync(join(outside, 'Gemfile.lock'), join(root, 'out/Gemfile.lock'));
    const result = await inventory(root, { plugins, maxFileBytes: 300 });
    expect(
      result.projects.map((p) => [p.lockfile, p.parsed, p.diagnostics.map((d) => d.message)]),
    ).toEqual([
      ['big/Gemfile.lock', false, ['file is 400 bytes, over the 300-byte limit']],
      ['out/Gemfile.lock', false, ['symlink to a file outside the scanned root; refused']],
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('lets a parser read related files inside the root only', async () => {
    write({ 'secret.txt': 'token' }, outside);
    write({
      'py/requirements.txt':
        '-r base.txt\n-r ../../outside/secret.txt\n-r link.txt\n-r missing.txt\n',
      'py/base.txt': 'requests==2.19.0\n',
    });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'py/link.txt'));
    const result = await inventory(root, { plugins });
    expect(result.projects[0]?.diagnostics.map((d) => d.message)).toEqual([
      'py/base.txt: requests==2.19.0',
      '../../outside/secret.txt: refused',
      'link.txt: refused',
      'missing.txt: refused',
    ]);
  });

  it('reports a lockfile no parser reads', async () => {
    write({ 'Cargo.lock': '' });
    const result = await inventory(root, { plugins });
    expect(result.projects[0]).toMatchObject({
      parsed: false,
      diagnostics: [
        {
          level: 'error',
          file: 'Cargo.lock',
          message: 'no parser for this file in this version of supplyaudit',
        },
      ],
    });
  });

  it('reads at most `concurrency` files at once', async () => {
    for (let i = 0; i < 30; i++)
      write({ [`p${String(i)}/Gemfile.lock`]: 'a@1\n', [`p${String(i)}/Gemfile`]: '' });
    let inFlight = 0;
    let most = 0;
    const fs: DiscoverFs = {
      ...nodeFs,
      readFile: async (p, max) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        try {
          return await nodeFs.readFile(p, max);
        } finally {
          inFlight--;
        }
      },
    };
    const result = await inventory(root, { plugins, fs, concurrency: 8 });
    expect(result.projects).toHaveLength(30);
    expect(result.projects.every((p) => p.packages.length === 1)).toBe(true);
    expect(most).toBe(8);
  });

  it('stops when the signal aborts', async () => {
    write({ 'a/Gemfile.lock': 'a@1\n' });
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(inventory(root, { plugins, signal: controller.signal })).rejects.toThrow(
      'stopped',
    );
  });

  it('hands each freed slot to one waiter', async () => {
    const limit = createLimit(2);
    let active = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limit(async () => {
          active++;
          most = Math.max(most, active);
          await Promise.resolve();
          active--;
        }),
      ),
    );
    expect(most).toBe(2);
  });
});

describe('inventory, a second time in the process', () => {
  let parses: string[] = [];
  const counting: LockfileParser = {
    ...includeParser,
    id: 'pypi/counting-includes',
    parse(text, ctx) {
      parses.push(ctx.file);
      return includeParser.parse(text, ctx);
    },
  };
  const countingPlugins = plugins.map((p) =>
    p.ecosystem === 'PyPI' ? { ...p, lockfiles: [counting] } : p,
  );
  const messages = async (): Promise<string[]> =>
    (await inventory(root, { plugins: countingPlugins })).projects.flatMap((p) =>
      p.diagnostics.map((d) => d.message),
    );

  beforeEach(() => {
    parses = [];
  });

  it('reuses a parse only while the file, its manifest and what it read are the same', async () => {
    write({ 'requirements.txt': '-r base.txt\n', 'base.txt': 'one\n' });
    expect(await messages()).toEqual(['base.txt: one']);
    expect(await messages()).toEqual(['base.txt: one']);
    expect(parses).toEqual(['requirements.txt']);

    write({ 'base.txt': 'two\n' }); // a file it read changed
    expect(await messages()).toEqual(['base.txt: two']);
    write({ 'requirements.txt': '-r base.txt\n\n' }); // the file itself changed
    expect(await messages()).toEqual(['base.txt: two']);
    rmSync(join(root, 'base.txt')); // a file it read is gone
    expect(await messages()).toEqual(['base.txt: refused']);
    expect(parses).toEqual([
      'requirements.txt',
      'requirements.txt',
      'requirements.txt',
      'requirements.txt',
    ]);
  });
});
