import { describe, expect, it } from 'vitest';
import { buildChildEnv, sanitizePath } from './env.js';
import { redactSecrets, summarizeStderr } from './redact.js';
import { assertSafeArgValue, unsafeArgReason } from './validate.js';

describe('redactSecrets', () => {
  it.each([
    [
      'GET https://alice:s3cr3t@npm.example.com/x failed',
      'GET https://***@npm.example.com/x failed',
    ],
    [
      '//npm.example.com/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789',
      '//npm.example.com/:_authToken=***',
    ],
    ['authorization: Bearer abc.def.ghi', 'authorization: ***'],
    ['"authorization":["Basic Zm9vOmJhcg=="]', '"authorization":["***"]'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz012345 leaked', 'token *** leaked'],
    ['password = hunter2', 'password = ***'],
    ['nothing secret here', 'nothing secret here'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('redacts literal values the caller passed', () => {
    expect(redactSecrets('proxy said MYSECRETVALUE no', ['MYSECRETVALUE'])).toBe(
      'proxy said *** no',
    );
  });

  it('is linear on pathological input', () => {
    const text = `${'a://'.repeat(50_000)}${'x'.repeat(100_000)}`;
    const started = performance.now();
    redactSecrets(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('summarizeStderr', () => {
  it('keeps the last three non-empty lines on one line', () => {
    expect(
      summarizeStderr(
        'npm warn audit x\n\nnpm error code E405\nnpm error audit endpoint returned an error\nnpm error log: /tmp/x.log\n',
      ),
    ).toBe(
      'npm error code E405 | npm error audit endpoint returned an error | npm error log: /tmp/x.log',
    );
  });
  it('truncates long output', () => {
    expect(summarizeStderr('y'.repeat(1000), { maxChars: 10 })).toBe('yyyyyyyyy…');
  });
});

describe('unsafe argument values', () => {
  it.each([
    ['', 'it is empty'],
    ['--registry=evil', '"--registry=evil" starts with "-"'],
    ['a\nb', 'it contains a line break'],
    ['a\0b', 'it contains a NUL byte'],
  ])('%j', (value, reason) => {
    expect(unsafeArgReason(value)).toBe(reason);
  });
  it('throws with what was refused', () => {
    expect(() => {
      assertSafeArgValue('-rf', 'package name');
    }).toThrow('refusing to pass package name to a tool: "-rf" starts with "-"');
    expect(unsafeArgReason('/abs/requirements.txt')).toBeUndefined();
  });
});

describe('buildChildEnv', () => {
  it('keeps only allowlisted host variables plus explicit extras', () => {
    const env = buildChildEnv(
      {
        PATH: '/usr/bin:.:relative/bin:/repo/node_modules/.bin:/usr/bin',
        HOME: '/home/u',
        GITHUB_TOKEN: 't',
        NPM_TOKEN: 'n',
        HTTPS_PROXY: 'http://proxy.example.com:3128',
      },
      { extra: { PIP_AUDIT_LOGLEVEL: 'INFO' }, forbiddenRoots: ['/repo'] },
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      HTTPS_PROXY: 'http://proxy.example.com:3128',
      PIP_AUDIT_LOGLEVEL: 'INFO',
    });
  });
  it('rejects bad extra names', () => {
    expect(() => buildChildEnv({}, { extra: { 'A=B': 'x' } })).toThrow(
      'invalid environment variable name "A=B"',
    );
  });
  it('sanitizes PATH', () => {
    expect(sanitizePath('/a:/b::/a:x', [])).toBe('/a:/b');
  });
});
