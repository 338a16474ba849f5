import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../errors.js';
import { backoffDelay, checkUrl, isLoopbackHost, parseRetryAfter, redactUrl } from './client.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['0', 0],
    ['3', 3000],
    [' 120 ', 120_000],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('%j → %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it.each([
    [null],
    [undefined],
    [''],
    ['-1'],
    ['1.5'],
    ['soon'],
    ['2026-01-01'],
    ['9'.repeat(11)],
    ['x'.repeat(65)],
  ])('%j → undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it.each([
    [1, 0, 250],
    [1, 1, 500],
    [2, 0, 500],
    [2, 1, 1000],
    [4, 0.5, 3000],
    [10, 0, 15_000],
    [10, 1, 30_000],
  ])('retry %d with random %d waits %d ms (base 500, cap 30 s)', (retry, random, ms) => {
    expect(backoffDelay(retry, 500, 30_000, random)).toBe(ms);
  });
  it('stays within [half, full] of the capped exponential step', () => {
    for (let retry = 1; retry <= 40; retry++) {
      const step = Math.min(30_000, 500 * 2 ** (retry - 1));
      for (const random of [0, 0.001, 0.37, 0.999]) {
        const wait = backoffDelay(retry, 500, 30_000, random);
        expect(wait).toBeGreaterThanOrEqual(step / 2);
        expect(wait).toBeLessThanOrEqual(step);
      }
    }
  });
});

describe('checkUrl', () => {
  it.each([
    'https://api.osv.dev/v1/querybatch',
    'http://127.0.0.1:8080/v1/query',
    'http://127.255.0.9/',
    'http://[::1]:9/x',
    'http://localhost:3000/',
    'http://LOCALHOST/',
  ])('accepts %s', (url) => {
    expect(checkUrl(url).href).toBe(new URL(url).href);
  });

  it.each([
    [
      'http://npm.example.com/x?token=s3cret',
      'http://npm.example.com/x: refusing plain http to a host that is not loopback; use https',
    ],
    [
      'http://128.0.0.1/',
      'http://128.0.0.1/: refusing plain http to a host that is not loopback; use https',
    ],
    [
      'http://127.0.0.1.example.com/',
      'http://127.0.0.1.example.com/: refusing plain http to a host that is not loopback; use https',
    ],
    [
      'https://user:pa55@git.example.com/a?b=c',
      'https://git.example.com/a: refusing a URL with credentials in it; pass them in a header instead',
    ],
    ['ftp://npm.example.com/', 'ftp://npm.example.com/: unsupported protocol ftp:'],
    ['not a url', 'invalid URL (could not be parsed)'],
  ])('refuses %s', (url, message) => {
    const error: unknown = (() => {
      try {
        checkUrl(url);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SupplyAuditError);
    expect(error).toMatchObject({ code: 'HTTP_FAILED', message });
    expect((error as Error).message).not.toContain('pa55');
  });

  it('allows plain http anywhere when asked', () => {
    expect(checkUrl('http://npm.example.com/', true).host).toBe('npm.example.com');
  });
});

describe('redactUrl and isLoopbackHost', () => {
  it('drops userinfo, query and fragment', () => {
    expect(redactUrl('https://u:p@npm.example.com:8443/a/b?token=x#f')).toBe(
      'https://npm.example.com:8443/a/b',
    );
  });
  it.each([
    ['127.0.0.1', true],
    ['[::1]', true],
    ['localhost', true],
    ['10.0.0.1', false],
    ['169.254.169.254', false],
    ['localhost.example.com', false],
  ])('%s loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
