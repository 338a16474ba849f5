import { describe, expect, it } from 'vitest';
import {
  compileLicensePolicy,
  evaluateBranches,
  rangeMembers,
  readLicense,
  type ReadLicense,
} from './license-expression.js';

function expression(read: ReadLicense): string | undefined {
  return read.ok ? read.expression : undefined;
}

describe('readLicense', () => {
  // Declared values as real packages write them.
  it.each([
    ['(MIT OR Apache-2.0)', '(MIT OR Apache-2.0)', undefined],
    ['Apache-2.0 WITH LLVM-exception', 'Apache-2.0 WITH LLVM-exception', undefined],
    ['GPL-2.0+', 'GPL-2.0+', undefined],
    ['(MIT AND Zlib)', '(MIT AND Zlib)', undefined],
    ['BSD', 'BSD-2-Clause', 'BSD'],
    ['MIT/X11', 'MIT', 'MIT/X11'],
    ['Apache 2', 'Apache-2.0', 'Apache 2'],
    ['mit', 'MIT', 'mit'],
    ['Apache License 2.0', 'Apache-2.0', 'Apache License 2.0'],
    // license by license, so no alternative is lost
    ['(AFLv2.1 OR BSD)', '(AFL-2.1 OR BSD-2-Clause)', '(AFLv2.1 OR BSD)'],
    ['MIT or Apache 2', 'MIT OR Apache-2.0', 'MIT or Apache 2'],
  ])('%j reads as %j', (raw, expected, declared) => {
    const read = readLicense(raw, 'npm');
    expect(read.ok).toBe(true);
    expect(expression(read)).toBe(expected);
    expect(read.declared).toBe(declared);
  });

  it.each([
    ['SEE LICENSE IN LICENSE.md', 'see-license'],
    ['UNLICENSED', 'unlicensed'],
    [undefined, 'missing'],
    ['', 'missing'],
    ['NOASSERTION', 'missing'],
    ['Python Software Foundation License and a promise', 'unparsable'],
  ] as const)('%j is unknown (%s)', (raw, reason) => {
    const read = readLicense(raw, 'npm');
    expect(read.ok).toBe(false);
    expect(read.ok ? undefined : read.reason).toBe(reason);
  });

  it('reads the old crates.io `/` as OR, and only there', () => {
    expect(expression(readLicense('MIT/Apache-2.0', 'crates.io'))).toBe('MIT OR Apache-2.0');
    // spdx-correct alone would keep one of the two.
    expect(expression(readLicense('MIT/Apache-2.0', 'npm'))).toBe('Apache-2.0');
  });

  it('expands AND over OR into alternatives', () => {
    const read = readLicense('MIT AND (Apache-2.0 OR BSD-3-Clause)');
    expect(read.ok && read.branches).toEqual([
      [
        { license: 'MIT', plus: false },
        { license: 'Apache-2.0', plus: false },
      ],
      [
        { license: 'MIT', plus: false },
        { license: 'BSD-3-Clause', plus: false },
      ],
    ]);
  });

  it('refuses expressions that expand past 256 alternatives', () => {
    const pair = '(MIT OR ISC)';
    const read = readLicense(Array.from({ length: 9 }, () => pair).join(' AND '));
    expect(read).toMatchObject({ ok: false, reason: 'too-complex' });
  });
});

describe('rangeMembers', () => {
  it.each([
    ['GPL-2.0', true, ['GPL-2.0-only', 'GPL-3.0-only']],
    ['GPL-2.0-or-later', false, ['GPL-2.0-only', 'GPL-3.0-only']],
    ['LGPL-2.1', true, ['LGPL-2.1-only', 'LGPL-3.0-only']],
    ['MPL-1.1', true, ['MPL-1.1', 'MPL-2.0']],
    ['MIT', true, ['MIT']],
  ])('%s (plus %s) offers %j', (license, plus, members) => {
    expect(rangeMembers({ license, plus })).toEqual(members);
  });
});

const ALLOW = ['MIT', 'Apache-2.0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Zlib'];
const DENY = ['GPL-2.0-only', 'GPL-3.0-only', 'AGPL-3.0-or-later'];

function verdictOf(raw: string, allow = ALLOW, deny = DENY) {
  const read = readLicense(raw, 'npm');
  if (!read.ok) throw new Error(`not readable: ${raw}`);
  return evaluateBranches(read.branches, compileLicensePolicy(allow, deny));
}

describe('evaluateBranches', () => {
  it.each([
    ['(MIT OR Apache-2.0)', 'allowed'],
    ['(MIT OR GPL-3.0-only)', 'allowed'],
    ['MIT AND GPL-3.0-only', 'denied'],
    ['(MIT AND Zlib)', 'allowed'],
    ['GPL-3.0-only OR GPL-2.0-only', 'denied'],
    ['GPL-3.0-only OR LGPL-3.0-only', 'not-allowed'],
    ['Apache-2.0 WITH LLVM-exception', 'allowed'],
    ['GPL-2.0-only WITH Classpath-exception-2.0', 'denied'],
    // GPL-2.0+ offers GPL-2.0 and GPL-3.0: both denied.
    ['GPL-2.0+', 'denied'],
    ['LGPL-2.1+', 'not-allowed'],
    ['AGPL-3.0-only', 'denied'],
    ['BSD', 'allowed'],
    ['MPL-2.0', 'not-allowed'],
  ])('%s is %s', (raw, verdict) => {
    expect(verdictOf(raw).verdict).toBe(verdict);
  });

  it('names the denied and the missing terms', () => {
    expect(verdictOf('MIT AND GPL-3.0-only')).toEqual({
      verdict: 'denied',
      denied: ['GPL-3.0-only'],
      notAllowed: [],
    });
    expect(verdictOf('GPL-3.0-only OR LGPL-3.0-only')).toEqual({
      verdict: 'not-allowed',
      denied: ['GPL-3.0-only'],
      notAllowed: ['LGPL-3.0-only'],
    });
  });

  describe('with an empty allow list everything not denied is allowed', () => {
    it.each([
      ['LGPL-3.0-only', [], 'allowed'],
      ['GPL-3.0-only', ['GPL-2.0-or-later'], 'denied'],
      ['GPL-2.0+', ['GPL-2.0-or-later'], 'denied'],
      // GPL-3.0 may still be chosen.
      ['GPL-2.0+', ['GPL-2.0-only'], 'allowed'],
      ['GPL-2.0+', ['GPL-2.0-only', 'GPL-3.0-only'], 'denied'],
      ['MIT OR GPL-3.0-only', ['GPL-3.0-only'], 'allowed'],
    ] as const)('%s with deny %j is %s', (raw, deny, verdict) => {
      expect(verdictOf(raw, [], [...deny]).verdict).toBe(verdict);
    });
  });

  it('lets an exception be allowed on its own while its license is denied', () => {
    const allow = ['MIT', 'GPL-2.0-only WITH Classpath-exception-2.0'];
    expect(verdictOf('GPL-2.0-only WITH Classpath-exception-2.0', allow, DENY).verdict).toBe(
      'allowed',
    );
    expect(verdictOf('GPL-2.0-only', allow, DENY).verdict).toBe('denied');
  });

  it('allows a later version from an or-later allow entry', () => {
    expect(verdictOf('GPL-3.0-only', ['GPL-2.0-or-later'], []).verdict).toBe('allowed');
    expect(verdictOf('GPL-2.0+', ['GPL-3.0-only'], []).verdict).toBe('allowed');
    expect(verdictOf('GPL-2.0-only', ['GPL-3.0-or-later'], []).verdict).toBe('not-allowed');
  });
});

describe('compileLicensePolicy', () => {
  it('splits OR entries, corrects sloppy ones and ignores what it cannot use', () => {
    const policy = compileLicensePolicy(
      ['MIT OR ISC', 'Apache 2', 'MIT AND Zlib', 'not a license at all'],
      ['GPL-3.0-only'],
    );
    expect(policy.allow).toEqual(['MIT', 'ISC', 'Apache-2.0']);
    expect(policy.deny).toEqual(['GPL-3.0-only']);
    expect(policy.warnings).toEqual([
      'licenses.allow[1]: "Apache 2" read as Apache-2.0',
      'licenses.allow[2]: "MIT AND Zlib" combines licenses with AND; list single licenses instead; ignored',
      'licenses.allow[3]: "not a license at all" is not an SPDX expression; ignored',
    ]);
  });
});
