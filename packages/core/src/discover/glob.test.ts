import { describe, expect, it } from 'vitest';
import { compileExcludes, matchGlob, matchSegment } from './glob.js';
import { pnpmWorkspaces } from './workspaces.js';

describe('glob', () => {
  it.each([
    ['packages/*', 'packages/a', true],
    ['packages/*', 'packages/a/b', false],
    ['packages/**', 'packages/a/b', true],
    ['./apps/*/', 'apps/web', true],
    ['**/x', 'a/b/x', true],
    ['a?c', 'abc', true],
    ['crates/*-sys', 'crates/openssl-sys', true],
  ])('%s on %s is %s', (pattern, path, expected) => {
    expect(matchGlob(pattern, path)).toBe(expected);
  });

  it('stays linear on hostile patterns', () => {
    expect(matchSegment(`${'*a'.repeat(5000)}b`, 'a'.repeat(10_000))).toBe(false);
    expect(matchGlob(`${'**/'.repeat(2000)}z`, `${'a/'.repeat(5000)}y`)).toBe(false);
  });

  it('matches bare names anywhere and paths from the root', () => {
    const excluded = compileExcludes(['fixtures', 'examples/*/tmp', '']);
    expect(excluded('a/fixtures')).toBe(true);
    expect(excluded('examples/x/tmp')).toBe(true);
    expect(excluded('other/examples/x/tmp')).toBe(false);
  });
});

describe('pnpm-workspace.yaml', () => {
  it('reads block and flow sequences with quotes, comments and negations', () => {
    expect(
      pnpmWorkspaces(
        'packages:\n  - \'apps/*\' # apps\n  - "!apps/old"\n  - libs/**\ncatalog:\n  a: 1\n',
      ),
    ).toEqual({
      include: ['apps/*', 'libs/**'],
      exclude: ['apps/old'],
    });
    expect(pnpmWorkspaces('packages: [a/*, "b"]\n')).toEqual({
      include: ['a/*', 'b'],
      exclude: [],
    });
    expect(pnpmWorkspaces('catalog: {}\n')).toBeUndefined();
  });
});
