// RELIABILITY.md, "Lockfiles and manifests": hostile keys, encodings, nesting, YAML bombs and tags,
// size, through the public `inventory()` of @supplyaudit/core and the built CLI.
import { inventory, type Inventory } from '@supplyaudit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMATS, LOCKFILE_NAME, projectFiles, type Format } from './formats.js';
import {
  cliSync,
  field,
  items,
  makeTmp,
  parseJson,
  prototypeKeys,
  sealedEnv,
  writeTree,
} from './harness.js';
import { HOSTILE_KEYS } from './hostile-keys.js';

const tmp = makeTmp('lockfiles');
afterAll(() => {
  tmp.cleanup();
});
let counter = 0;
function freshRoot(files: Readonly<Record<string, string | Buffer>>): string {
  counter++;
  const root = `${tmp.dir}/case-${String(counter)}`;
  writeTree(root, files);
  return root;
}

const ids = (inv: Inventory, lockfile: string) =>
  inv.projects
    .find((p) => p.lockfile === lockfile)
    ?.packages.map((p) => `${p.name}@${p.version ?? ''}:${String(p.location.line)}`);

const errorsOf = (inv: Inventory) =>
  [...inv.diagnostics, ...inv.projects.flatMap((p) => p.diagnostics)]
    .filter((d) => d.level === 'error')
    .map((d) => `${d.file}${d.line === undefined ? '' : `:${String(d.line)}`}: ${d.message}`);

/** A tree with one project of `format` (in `dir`) and a clean Gemfile.lock beside it (in `other`). */
function withNeighbour(format: Format, lock: string | Buffer): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (const [rel, text] of projectFiles(format, [{ name: 'zlib-ng', version: '1.2.3' }]))
    files[`dir/${rel}`] = text;
  files[`dir/${LOCKFILE_NAME[format]}`] = lock;
  for (const [rel, text] of projectFiles('gemfile-lock', [{ name: 'rack', version: '2.0.1' }]))
    files[`other/${rel}`] = text;
  return files;
}

describe('__proto__, constructor and prototype as names and keys, and duplicate keys', () => {
  // Exact package sets per format. PyPI names are PEP 503-normalised (`__proto__` → `-proto-`).
  const expected: Record<string, { lockfile: string; ids: string[]; warnings: string[] }> = {
    'package-lock': {
      lockfile: 'package-lock/package-lock.json',
      // a `packages` key without node_modules/ is a workspace folder: kept as a local entry
      ids: [
        '__proto__@:8',
        '__proto__@1.0.0:9',
        'constructor@1.0.0:10',
        'prototype@1.0.0:11',
        'lodash@4.17.15:13',
      ],
      warnings: [],
    },
    'pnpm-lock': {
      lockfile: 'pnpm-lock/pnpm-lock.yaml',
      ids: [
        '__proto__@1.0.0:25',
        'constructor@1.0.0:29',
        'prototype@1.0.0:35',
        'lodash@4.17.15:38',
      ],
      warnings: [],
    },
    'yarn-classic': {
      lockfile: 'yarn-classic/yarn.lock',
      ids: ['__proto__@1.0.0:4', 'constructor@1.0.0:8', 'prototype@1.0.0:12', 'lodash@4.17.15:15'],
      warnings: [],
    },
    requirements: {
      lockfile: 'requirements/requirements.txt',
      ids: ['-proto-@1.0.0:1', 'constructor@1.0.0:2', 'prototype@1.0.0:3', 'jinja2@2.10:4'],
      warnings: [],
    },
    'poetry-lock': {
      lockfile: 'poetry-lock/poetry.lock',
      ids: ['-proto-@1.0.0:1', 'constructor@1.0.0:12', 'prototype@1.0.0:21', 'jinja2@2.10:32'],
      warnings: [],
    },
    'uv-lock': {
      lockfile: 'uv-lock/uv.lock',
      ids: ['-proto-@1.0.0:8', 'constructor@1.0.0:14', 'prototype@1.0.0:20', 'jinja2@2.10:25'],
      warnings: [],
    },
    'pipfile-lock': {
      lockfile: 'pipfile-lock/Pipfile.lock',
      // a top-level `__proto__` reads as a pipenv package category, and its odd entry is skipped
      ids: ['-proto-@1.0.0:5', 'constructor@1.0.0:6', 'prototype@1.0.0:7', 'jinja2@2.10:9'],
      warnings: [
        'pipfile-lock/Pipfile.lock:3: entry "polluted" in "__proto__" is not an object, skipped',
      ],
    },
    'cargo-lock': {
      lockfile: 'cargo-lock/Cargo.lock',
      ids: [
        '__proto__@1.0.0:6',
        'constructor@1.0.0:12',
        'prototype@1.0.0:18',
        'smallvec@0.6.13:23',
      ],
      warnings: [],
    },
    'gemfile-lock': {
      lockfile: 'gemfile-lock/Gemfile.lock',
      ids: ['__proto__@1.0.0:4', 'constructor@1.0.0:6', 'prototype@1.0.0:7', 'rack@2.0.1:8'],
      warnings: [],
    },
  };
  let inv: Inventory;
  const before = prototypeKeys();
  const root = freshRoot(
    Object.fromEntries(
      Object.entries(HOSTILE_KEYS).flatMap(([dir, files]) =>
        files.map(([rel, text]) => [`${dir}/${rel}`, text] as const),
      ),
    ),
  );

  it('inventory() reads every format and Object.prototype is untouched', async () => {
    inv = await inventory(root);
    expect(prototypeKeys()).toEqual(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.constructor).toBe(Object);
    expect(inv.projects.map((p) => p.lockfile).sort()).toEqual(
      Object.values(expected)
        .map((e) => e.lockfile)
        .sort(),
    );
  });

  it.each(Object.keys(expected))('%s: exact packages, no error', (format) => {
    const want = expected[format];
    if (want === undefined) throw new Error(format);
    expect(ids(inv, want.lockfile)).toEqual(want.ids);
    const project = inv.projects.find((p) => p.lockfile === want.lockfile);
    expect(project?.parsed).toBe(true);
    expect(project?.diagnostics.map((d) => `${d.file}:${String(d.line)}: ${d.message}`)).toEqual(
      want.warnings,
    );
  });

  it('the CLI prints the same tree as JSON and exits 0', () => {
    const home = freshRoot({ '.keep': '' });
    const { code, stdout, stderr } = cliSync(['inventory', root, '--format', 'json'], {
      env: sealedEnv(home),
    });
    expect(stderr).toBe(
      'pipfile-lock/Pipfile.lock:3: warning: entry "polluted" in "__proto__" is not an object, skipped\n',
    );
    expect(code).toBe(0);
    expect(items(field(parseJson(stdout), 'projects'))).toHaveLength(9);
  });

  it.each([
    [
      'pnpm-lock.yaml',
      "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: {specifier: 1.0.0, version: 1.0.0}\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-aaa}\n  a@1.0.0:\n    resolution: {integrity: sha512-bbb}\n",
      'dir/pnpm-lock.yaml:9: invalid YAML (duplicated mapping key)',
    ],
    [
      'Cargo.lock',
      'version = 4\n\n[[package]]\nname = "a"\nversion = "1.0.0"\nversion = "2.0.0"\n',
      'dir/Cargo.lock:6: invalid TOML (trying to redefine an already defined table or value)',
    ],
    [
      'uv.lock',
      'version = 1\n[[package]]\nname = "a"\nname = "b"\nversion = "1.0"\n',
      'dir/uv.lock:4: invalid TOML (trying to redefine an already defined table or value)',
    ],
  ])(
    'a duplicate key in %s is one error with its line; the neighbour is read',
    async (name, text, message) => {
      const root = freshRoot({
        [`dir/${name}`]: text,
        'other/Gemfile.lock':
          'GEM\n  remote: https://rubygems.example.com/\n  specs:\n    rack (2.0.1)\n\nDEPENDENCIES\n  rack\n',
      });
      const inv = await inventory(root);
      expect(errorsOf(inv)).toEqual([message]);
      expect(ids(inv, 'other/Gemfile.lock')).toEqual(['rack@2.0.1:4']);
    },
  );
});

describe('JSON nested 100,000 deep', () => {
  const deep = (open: string, close: string, middle = '') =>
    open.repeat(100_000) + middle + close.repeat(100_000);

  it('package-lock.json: the bad entry is a warning, no stack overflow, the other entries count', async () => {
    const root = freshRoot({
      'package-lock.json': `{"lockfileVersion":3,"packages":{"":{"dependencies":{"a":"1.0.0"}},"node_modules/x":${deep('[', ']')},"node_modules/a":{"version":"1.0.0"}}}`,
    });
    const inv = await inventory(root);
    expect(errorsOf(inv)).toEqual([]);
    expect(ids(inv, 'package-lock.json')).toEqual(['a@1.0.0:1']);
    expect(inv.projects[0]?.diagnostics.map((d) => d.message)).toEqual([
      'entry "node_modules/x" is not an object',
    ]);
  });

  it('package-lock.json: a deep object as the document costs only its file', async () => {
    const root = freshRoot({
      'package-lock.json': `{"lockfileVersion":3,"packages":${deep('{"a":', '}', '1')}}`,
      'other/Gemfile.lock':
        'GEM\n  remote: https://rubygems.example.com/\n  specs:\n    rack (2.0.1)\n\nDEPENDENCIES\n  rack\n',
    });
    const inv = await inventory(root);
    expect(ids(inv, 'other/Gemfile.lock')).toEqual(['rack@2.0.1:4']);
    const project = inv.projects.find((p) => p.lockfile === 'package-lock.json');
    expect(project?.ecosystem).toBe('npm');
    // Either refused with a one-line error naming the file, or read with the bad entry skipped.
    for (const d of project?.diagnostics ?? []) {
      expect(d.file).toBe('package-lock.json');
      expect(d.message).not.toContain('\n');
      expect(d.message).not.toMatch(/Maximum call stack/);
    }
  });

  it('Pipfile.lock: a 100,000-deep entry is read without a stack overflow', async () => {
    const root = freshRoot({
      'Pipfile.lock': `{"_meta":{"sources":[]},"default":{"x":${deep('{"a":', '}', '1')},"jinja2":{"version":"==2.10"}},"develop":{}}`,
    });
    const inv = await inventory(root);
    expect(errorsOf(inv)).toEqual([]);
    expect(ids(inv, 'Pipfile.lock')).toEqual(['x@:1', 'jinja2@2.10:1']);
  });

  it('Pipfile.lock: 100,000-deep arrays as the document', async () => {
    const root = freshRoot({ 'Pipfile.lock': deep('[', ']') });
    const inv = await inventory(root);
    const errors = errorsOf(inv);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Pipfile\.lock(:1)?: /);
    expect(errors[0]).not.toMatch(/call stack/);
  });
});

describe('encodings: BOM, UTF-16, CRLF give the same packages; invalid UTF-8 and NUL are one error', () => {
  const plain = (format: Format) => {
    const files = projectFiles(format, [
      { name: 'zlib-ng', version: '1.2.3' },
      { name: 'other', version: '2.0.0' },
    ]);
    const lock = files[0]?.[1] ?? '';
    return { files, lock };
  };
  const utf16 = (text: string, endian: 'le' | 'be') => {
    const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
    if (endian === 'le') return le;
    const be = Buffer.alloc(le.length);
    for (let i = 0; i + 1 < le.length; i += 2) {
      be[i] = le[i + 1] ?? 0;
      be[i + 1] = le[i] ?? 0;
    }
    return be;
  };
  const variants: [string, (text: string) => string | Buffer][] = [
    ['UTF-8 BOM', (t) => `\uFEFF${t}`],
    ['CRLF', (t) => t.replaceAll('\n', '\r\n')],
    ['UTF-16LE with BOM', (t) => utf16(t, 'le')],
    ['UTF-16BE with BOM', (t) => utf16(t, 'be')],
    ['UTF-8 BOM and CRLF', (t) => `\uFEFF${t.replaceAll('\n', '\r\n')}`],
  ];
  const cases = FORMATS.flatMap((format) =>
    variants.map(([name, fn]) => [format, name, fn] as const),
  );

  it.each(cases)('%s, %s', async (format, _name, transform) => {
    const { lock } = plain(format);
    const reference = await inventory(freshRoot(withNeighbour(format, lock)));
    const root = freshRoot(withNeighbour(format, transform(lock)));
    const inv = await inventory(root);
    const rel = `dir/${LOCKFILE_NAME[format]}`;
    expect(errorsOf(inv)).toEqual([]);
    expect(ids(inv, rel)).toEqual(ids(reference, rel));
    expect(ids(inv, rel)?.some((id) => id.startsWith('zlib-ng@1.2.3:'))).toBe(true);
  });

  const broken: [string, (text: string) => Buffer, (text: string, rel: string) => string][] = [
    [
      'invalid UTF-8',
      (t) =>
        Buffer.concat([
          Buffer.from(t.slice(0, 20)),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from(t.slice(20)),
        ]),
      (_t, rel) => `${rel}: not valid UTF-8 text (binary file?)`,
    ],
    [
      'a NUL byte',
      (t) =>
        Buffer.concat([Buffer.from(t.slice(0, 20)), Buffer.from([0]), Buffer.from(t.slice(20))]),
      (t, rel) =>
        `${rel}:${String(t.slice(0, 20).split('\n').length)}: contains a NUL byte (binary file?)`,
    ],
  ];
  const brokenCases = FORMATS.flatMap((format) =>
    broken.map(([name, fn, msg]) => [format, name, fn, msg] as const),
  );

  it.each(brokenCases)(
    '%s with %s: one error naming the file, the neighbour is read',
    async (format, _name, transform, message) => {
      const { lock } = plain(format);
      const inv = await inventory(freshRoot(withNeighbour(format, transform(lock))));
      expect(errorsOf(inv)).toEqual([message(lock, `dir/${LOCKFILE_NAME[format]}`)]);
      expect(ids(inv, 'other/Gemfile.lock')).toEqual(['rack@2.0.1:4']);
    },
  );

  it('the CLI says so in one line per file on stderr and exits 3, still printing the rest', () => {
    const files: Record<string, string | Buffer> = {};
    for (const format of ['package-lock', 'poetry-lock', 'cargo-lock'] as const) {
      const { files: project, lock } = plain(format);
      for (const [rel, text] of project) files[`${format}/${rel}`] = text;
      files[`${format}/${LOCKFILE_NAME[format]}`] = Buffer.concat([
        Buffer.from(lock.slice(0, 5)),
        Buffer.from([0xff]),
        Buffer.from(lock.slice(5)),
      ]);
    }
    for (const [rel, text] of projectFiles('gemfile-lock', [{ name: 'rack', version: '2.0.1' }]))
      files[`ruby/${rel}`] = text;
    const root = freshRoot(files);
    const home = freshRoot({ '.keep': '' });
    const { code, stdout, stderr } = cliSync(['inventory', root, '--format', 'json'], {
      env: sealedEnv(home),
    });
    expect(code).toBe(3);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'cargo-lock/Cargo.lock',
      'package-lock/package-lock.json',
      'poetry-lock/poetry.lock',
    ]);
    for (const line of lines)
      expect(line).toMatch(/^[^:]+: not valid UTF-8 text \(binary file\?\)$/);
    const projects = items(field(parseJson(stdout), 'projects'));
    expect(projects).toHaveLength(4);
    const ruby = projects.find((p) => field(p, 'lockfile') === 'ruby/Gemfile.lock');
    expect(items(field(ruby, 'packages'))).toHaveLength(1);
  });
});

describe('YAML in pnpm-lock.yaml: alias bombs, custom tags, 100k keys, 15 MB', () => {
  const neighbour = {
    'other/Gemfile.lock':
      'GEM\n  remote: https://rubygems.example.com/\n  specs:\n    rack (2.0.1)\n\nDEPENDENCIES\n  rack\n',
  };

  it.each([
    [
      'billion laughs',
      "lockfileVersion: '9.0'\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
      'pnpm-lock.yaml:2: YAML anchor &a is not allowed in a lockfile',
    ],
    [
      'a js/function tag',
      "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: !!js/function 'function(){}'\n",
      'pnpm-lock.yaml:3: invalid YAML (unknown tag !<tag:yaml.org,2002:js/function>)',
    ],
    [
      'a custom local tag',
      "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: !custom {resolution: {integrity: x}}\n",
      null,
    ],
    [
      'a python/object tag',
      "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: !!python/object/apply:os.system ['true']\n",
      null,
    ],
  ])('%s: one error naming file and line; the neighbour is read', async (_name, text, message) => {
    const inv = await inventory(freshRoot({ 'pnpm-lock.yaml': text, ...neighbour }));
    const errors = errorsOf(inv);
    if (message === null) {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^pnpm-lock\.yaml:3: invalid YAML \(unknown tag /);
    } else {
      expect(errors).toEqual([message]);
    }
    expect(ids(inv, 'other/Gemfile.lock')).toEqual(['rack@2.0.1:4']);
  });

  /** A pnpm v9 lockfile with `n` packages, all direct. */
  function bigPnpm(n: number): string {
    const importer: string[] = [];
    const packages: string[] = [];
    const snapshots: string[] = [];
    for (let i = 0; i < n; i++) {
      const name = `pkg-${String(i).padStart(6, '0')}`;
      importer.push(
        `      ${name}:\n        specifier: 1.0.${String(i)}\n        version: 1.0.${String(i)}`,
      );
      packages.push(
        `  ${name}@1.0.${String(i)}:\n    resolution: {integrity: sha512-${'A'.repeat(86)}==}\n    engines: {node: '>=14'}`,
      );
      snapshots.push(`  ${name}@1.0.${String(i)}: {}`);
    }
    return `lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n${importer.join('\n')}\n\npackages:\n\n${packages.join('\n\n')}\n\nsnapshots:\n\n${snapshots.join('\n\n')}\n`;
  }

  it('a 15 MB lockfile (60,000 packages, maps of 60,000 keys) is read in linear time', async () => {
    const text = bigPnpm(60_000);
    expect(text.length).toBeGreaterThan(15 * 1024 * 1024);
    const small = bigPnpm(6_000);
    const t0 = performance.now();
    const invSmall = await inventory(freshRoot({ 'pnpm-lock.yaml': small }));
    const smallMs = performance.now() - t0;
    const t1 = performance.now();
    const inv = await inventory(freshRoot({ 'pnpm-lock.yaml': text }));
    const bigMs = performance.now() - t1;
    expect(errorsOf(invSmall)).toEqual([]);
    expect(errorsOf(inv)).toEqual([]);
    expect(inv.projects[0]?.packages).toHaveLength(60_000);
    expect(inv.projects[0]?.packages.at(-1)?.location.line).toBeGreaterThan(150_000);
    // Ten times the data may take at most ~25 times as long (quadratic would be 100 times).
    expect(bigMs).toBeLessThan(Math.max(25 * smallMs, 2_000));
    expect(bigMs).toBeLessThan(30_000);
  });

  it('a lockfile over the size cap is one error with the size and the limit', async () => {
    const inv = await inventory(freshRoot({ 'pnpm-lock.yaml': bigPnpm(200), ...neighbour }), {
      maxFileBytes: 10_000,
    });
    const errors = errorsOf(inv);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^pnpm-lock\.yaml: .*10[, ]?000/);
    expect(ids(inv, 'other/Gemfile.lock')).toEqual(['rack@2.0.1:4']);
  });
});
