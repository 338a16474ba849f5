import { describe, expect, it } from 'vitest';
import { formatPurl } from './purl.js';

describe('formatPurl', () => {
  it.each([
    ['npm', 'left-pad', '1.3.0', 'pkg:npm/left-pad@1.3.0'],
    ['npm', '@babel/core', '7.0.0-beta.1', 'pkg:npm/%40babel/core@7.0.0-beta.1'],
    ['npm', "it's(*)!", '1.0.0+build.1', 'pkg:npm/it%27s%28%2A%29%21@1.0.0%2Bbuild.1'],
    ['PyPI', 'zope.interface', '5.4.0', 'pkg:pypi/zope.interface@5.4.0'],
    ['crates.io', 'serde_json', '~1', 'pkg:cargo/serde_json@~1'],
    ['RubyGems', 'rails', undefined, 'pkg:gem/rails'],
    ['npm', 'ünïcode', '1.0.0', 'pkg:npm/%C3%BCn%C3%AFcode@1.0.0'],
  ] as const)('%s %s %s', (ecosystem, name, version, purl) => {
    expect(formatPurl(ecosystem, name, version)).toBe(purl);
  });
});
