import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../errors.js';
import { MAX_YAML_DEPTH, parseYaml } from './yaml.js';

function failure(text: string): string {
  try {
    parseYaml(text, 'pnpm-lock.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(SupplyAuditError);
    if (error instanceof SupplyAuditError) {
      expect(error.code).toBe('PARSE_FAILED');
      return error.message;
    }
  }
  throw new Error('expected PARSE_FAILED');
}

const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  '',
].join('\n');

describe('parseYaml', () => {
  it('reads strings, booleans and null; numbers stay as written', () => {
    expect(
      parseYaml(
        "lockfileVersion: '9.0'\nsettings:\n  autoInstallPeers: true\nn: 12\ne:\n",
        'x.yaml',
      ),
    ).toEqual({ lockfileVersion: '9.0', settings: { autoInstallPeers: true }, n: '12', e: null });
    expect(parseYaml('v: 1.10\nc: 0123456\nf: 1e5\n', 'x.yaml')).toEqual({
      v: '1.10',
      c: '0123456',
      f: '1e5',
    });
  });

  it('gives null for an empty document', () => {
    expect(parseYaml('', 'x.yaml')).toBeNull();
    expect(parseYaml('# only a comment\n', 'x.yaml')).toBeNull();
  });

  it('skips a BOM and reads CRLF line ends', () => {
    expect(parseYaml('\uFEFFa:\r\n  b: c\r\n', 'x.yaml')).toEqual({ a: { b: 'c' } });
  });

  it('refuses an alias bomb at its first anchor', () => {
    expect(failure(bomb)).toBe('pnpm-lock.yaml:1: YAML anchor &a is not allowed in a lockfile');
  });

  it('keeps `<<` merge keys and `__proto__` as data', () => {
    const value = parseYaml(
      'packages:\n  a@1.0.0:\n    <<: {__proto__: {polluted: yes}}\n    resolution: {integrity: x}\n',
      'x.yaml',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.stringify(value)).toBe(
      '{"packages":{"a@1.0.0":{"<<":{"__proto__":{"polluted":"yes"}},"resolution":{"integrity":"x"}}}}',
    );
  });

  it('keeps `__proto__`, `constructor` and `prototype` keys as own data', () => {
    const value = parseYaml(
      '__proto__:\n  polluted: yes\nconstructor: 1\nprototype: 2\n',
      'x.yaml',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value ?? {})).toEqual(['__proto__', 'constructor', 'prototype']);
  });

  it.each([
    [
      "f: !!js/function 'function () {}'\n",
      'pnpm-lock.yaml:1: invalid YAML (unknown tag !<tag:yaml.org,2002:js/function>)',
    ],
    ['f: !custom 1\n', 'pnpm-lock.yaml:1: invalid YAML (unknown tag !<!custom>)'],
    [
      't: 2001-12-14\nb: !!binary aGk=\n',
      'pnpm-lock.yaml:2: invalid YAML (unknown tag !<tag:yaml.org,2002:binary>)',
    ],
    ['a: 1\nb: 2\na: 3\n', 'pnpm-lock.yaml:3: invalid YAML (duplicated mapping key)'],
    [
      'a:\n  b: [1, 2\nc: 1\n',
      'pnpm-lock.yaml:3: invalid YAML (missed comma between flow collection entries)',
    ],
  ])('refuses %j', (text, message) => {
    expect(failure(text)).toBe(message);
  });

  it('keeps timestamps as strings', () => {
    expect(parseYaml('t: 2001-12-14\n', 'x.yaml')).toEqual({ t: '2001-12-14' });
  });

  it('refuses 100,000-deep flow nesting without exhausting the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(failure(deep)).toBe(
      `pnpm-lock.yaml:1: nesting deeper than ${String(MAX_YAML_DEPTH)} levels`,
    );
  });

  it('refuses deep block nesting with the line where it gets too deep', () => {
    const deep = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n';
    expect(failure(deep)).toBe(
      `pnpm-lock.yaml:257: nesting deeper than ${String(MAX_YAML_DEPTH)} levels`,
    );
  });

  it('reads a 100,000-key map in linear time', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `k${String(i)}: ${String(i)}`).join(
      '\n',
    );
    const started = performance.now();
    const value = parseYaml(text, 'x.yaml');
    expect(Object.keys(value ?? {}).length).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
