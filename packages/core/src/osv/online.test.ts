import { describe, expect, it } from 'vitest';
import { cacheFileName } from './online-cache.js';
import { chunk, invalidQueryReason, OSV_BATCH_LIMIT } from './online.js';

describe('chunk', () => {
  it.each([
    [0, []],
    [1, [1]],
    [1000, [1000]],
    [1001, [1000, 1]],
    [2500, [1000, 1000, 500]],
  ])('%d queries → batches of %j', (n, sizes) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const batches = chunk(items, OSV_BATCH_LIMIT);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items);
  });
  it('rejects a size below 1', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

describe('invalidQueryReason', () => {
  it.each([
    [{ ecosystem: 'npm', name: 'lodash', version: '4.17.21' }, undefined],
    [{ ecosystem: 'PyPI', name: 'Jinja2', version: '1!2.0.post1.dev3+local.7' }, undefined],
    [{ ecosystem: '', name: 'lodash', version: '1' }, 'ecosystem is empty'],
    [{ ecosystem: 'npm', name: '   ', version: '1' }, 'name is empty'],
    [{ ecosystem: 'npm', name: 'x', version: '' }, 'version is empty'],
    [
      { ecosystem: 'npm', name: 'x'.repeat(513), version: '1' },
      'name is longer than 512 characters',
    ],
    [
      { ecosystem: 'npm', name: 'x', version: '1'.repeat(257) },
      'version is longer than 256 characters',
    ],
    [{ ecosystem: 'npm', name: 'x\u0000', version: '1' }, 'name contains a control character'],
    [{ ecosystem: 'npm', name: 'x', version: '1 ' }, 'version has leading or trailing spaces'],
  ])('%j → %s', (query, reason) => {
    expect(invalidQueryReason(query)).toBe(reason);
  });
});

describe('cacheFileName', () => {
  it.each([
    ['GHSA-jf85-cpcp-j695', 'GHSA-jf85-cpcp-j695.json'],
    ['PYSEC-2021-66', 'PYSEC-2021-66.json'],
    ['RUSTSEC-2021-0020', 'RUSTSEC-2021-0020.json'],
    ['..', '%2E%2E.json'],
    ['../../etc/passwd', '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.json'],
    ['a\\b:c', 'a%5Cb%3Ac.json'],
    ['NUL', '%4EUL.json'],
    ['com1', '%63om1.json'],
    ['é', '%C3%A9.json'],
  ])('%j → %s', (id, name) => {
    expect(cacheFileName(id)).toBe(name);
  });
  it('keeps over-long ids below 200 characters and distinct', () => {
    const a = cacheFileName(`X-${'a'.repeat(300)}`);
    const b = cacheFileName(`X-${'a'.repeat(301)}`);
    expect(a.length).toBeLessThanOrEqual(200);
    expect(a).not.toBe(b);
  });
});
