import { describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { configFile, isQuiet, outputWidth, proxyFor } from './options.js';

describe('proxyFor: the proxy from the environment, read once by the CLI', () => {
  const api = 'https://api.osv.example.com/v1';
  it.each<[Io['env'], string, string | undefined]>([
    [{}, api, undefined],
    [{ HTTPS_PROXY: 'http://proxy.example.com:3128' }, api, 'http://proxy.example.com:3128'],
    [{ https_proxy: 'http://lower.example.com:3128' }, api, 'http://lower.example.com:3128'],
    [{ HTTP_PROXY: 'http://plain.example.com:8080' }, api, 'http://plain.example.com:8080'],
    [
      { HTTPS_PROXY: 'http://first.example.com', HTTP_PROXY: 'http://second.example.com' },
      api,
      'http://first.example.com',
    ],
    [{ HTTPS_PROXY: 'http://p.example.com', NO_PROXY: '*' }, api, undefined],
    [{ HTTPS_PROXY: 'http://p.example.com', NO_PROXY: 'osv.example.com' }, api, undefined],
    [{ HTTPS_PROXY: 'http://p.example.com', NO_PROXY: '.example.com' }, api, undefined],
    [
      { HTTPS_PROXY: 'http://p.example.com', no_proxy: 'other.com, api.osv.example.com' },
      api,
      undefined,
    ],
    [
      { HTTPS_PROXY: 'http://p.example.com', NO_PROXY: 'api.osv.example.com:8443' },
      api,
      'http://p.example.com',
    ],
    [{ HTTPS_PROXY: 'http://p.example.com', NO_PROXY: 'xample.com' }, api, 'http://p.example.com'],
    [
      { HTTPS_PROXY: 'http://p.example.com', NO_PROXY: '127.0.0.1' },
      'http://127.0.0.1:9/',
      undefined,
    ],
    // an http URL uses only HTTP_PROXY
    [{ HTTPS_PROXY: 'http://p.example.com' }, 'http://127.0.0.1:9/', undefined],
    [{ HTTPS_PROXY: 'http://p.example.com', NO_PROXY: '[::1]' }, 'https://[::1]:8443/', undefined],
  ])('%j for %s', (env, url, expected) => {
    expect(proxyFor(env, url)).toBe(expected);
  });
});

describe('outputWidth', () => {
  const io = (isTTY: boolean, columns: number | undefined, env: Io['env'] = {}): Io => ({
    stdout: { write: () => true, isTTY, ...(columns === undefined ? {} : { columns }) },
    stderr: { write: () => true },
    env,
    cwd: '/',
  });
  it('is the terminal width on a terminal', () => {
    expect(outputWidth(io(true, 87), false)).toBe(87);
  });
  it('is COLUMNS when not a terminal, or in a file', () => {
    expect(outputWidth(io(false, undefined, { COLUMNS: '132' }), false)).toBe(132);
    expect(outputWidth(io(true, 87, { COLUMNS: '132' }), true)).toBe(132);
  });
  it('is 100 on a pipe and 120 in a file otherwise; nonsense COLUMNS is ignored', () => {
    expect(outputWidth(io(false, undefined), false)).toBe(100);
    expect(outputWidth(io(false, undefined), true)).toBe(120);
    expect(outputWidth(io(false, undefined, { COLUMNS: 'wide' }), false)).toBe(100);
    expect(outputWidth(io(false, undefined, { COLUMNS: '5' }), false)).toBe(100);
  });
});

describe('global options and their environment variables', () => {
  it('--quiet wins over SUPPLYAUDIT_QUIET, which is read otherwise', () => {
    expect(isQuiet({ quiet: false }, { SUPPLYAUDIT_QUIET: '1' })).toBe(false);
    expect(isQuiet({}, { SUPPLYAUDIT_QUIET: 'yes' })).toBe(true);
    expect(isQuiet({}, {})).toBe(false);
    expect(() => isQuiet({}, { SUPPLYAUDIT_QUIET: 'loud' })).toThrow(
      'SUPPLYAUDIT_QUIET: expected true or false, got "loud"',
    );
  });
  it('--config wins over SUPPLYAUDIT_CONFIG', () => {
    expect(configFile({ config: 'a.yml' }, { SUPPLYAUDIT_CONFIG: 'b.yml' })).toBe('a.yml');
    expect(configFile({}, { SUPPLYAUDIT_CONFIG: 'b.yml' })).toBe('b.yml');
    expect(configFile({}, { SUPPLYAUDIT_CONFIG: '' })).toBeUndefined();
  });
});
