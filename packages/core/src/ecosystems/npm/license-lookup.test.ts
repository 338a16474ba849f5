import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstalledNpmLicense } from './license-lookup.js';

function write(root: string, rel: string, value: unknown): void {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
}

describe('readInstalledNpmLicense', () => {
  const root = mkdtempSync(join(tmpdir(), 'sa-npm-license-'));
  write(root, 'node_modules/left-pad/package.json', {
    name: 'left-pad',
    version: '1.3.0',
    license: 'WTFPL',
  });
  // pnpm: only direct dependencies are linked at the top; the rest live in the virtual store,
  // in folders named name@version with `+` for `/` and a peer suffix.
  write(
    root,
    'node_modules/.pnpm/@scope+pkg@2.0.0_react@18.2.0/node_modules/@scope/pkg/package.json',
    {
      name: '@scope/pkg',
      version: '2.0.0',
      license: 'Apache-2.0',
    },
  );
  write(root, 'node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json', {
    name: 'ms',
    version: '2.1.3',
    license: 'MIT',
  });
  mkdirSync(join(root, 'node_modules/.pnpm/outside@1.0.0/node_modules'), { recursive: true });
  const elsewhere = mkdtempSync(join(tmpdir(), 'sa-npm-elsewhere-'));
  write(elsewhere, 'package.json', { name: 'outside', version: '1.0.0', license: 'MIT' });
  symlinkSync(elsewhere, join(root, 'node_modules/.pnpm/outside@1.0.0/node_modules/outside'));

  it('reads the hoisted copy when it is the same version', async () => {
    expect(await readInstalledNpmLicense('left-pad', '1.3.0', root)).toEqual({ license: 'WTFPL' });
    expect(await readInstalledNpmLicense('left-pad', '1.2.0', root)).toEqual({});
  });

  it("reads pnpm's virtual store, scoped names and peer suffixes included", async () => {
    expect(await readInstalledNpmLicense('@scope/pkg', '2.0.0', root)).toEqual({
      license: 'Apache-2.0',
    });
    expect(await readInstalledNpmLicense('ms', '2.1.3', root)).toEqual({ license: 'MIT' });
    expect(await readInstalledNpmLicense('ms', '2.1.2', root)).toEqual({});
  });

  it('never follows a link out of the project', async () => {
    expect(await readInstalledNpmLicense('outside', '1.0.0', root)).toEqual({
      warning: 'node_modules/outside: links outside the project; not read',
    });
  });
});
