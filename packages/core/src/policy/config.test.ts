import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, configJsonSchema, validateConfig } from './config.js';

describe('config schema', () => {
  it('holds every default', () => {
    expect(DEFAULT_CONFIG.failOn).toBe('low');
    expect(DEFAULT_CONFIG.osv).toEqual({
      mode: 'auto',
      apiUrl: 'https://api.osv.dev',
      maxAgeDays: 7,
    });
    expect(DEFAULT_CONFIG.checks.pinning).toEqual({
      enabled: true,
      severity: 'low',
      requireExact: false,
      requireHashes: false,
    });
    expect(DEFAULT_CONFIG.checks.license).toEqual({
      enabled: true,
      severity: 'high',
      unknownSeverity: 'low',
      online: true,
    });
    expect(DEFAULT_CONFIG.ignores).toEqual([]);
  });

  it('reports every problem at once, each with its path', () => {
    const result = validateConfig({
      failOn: 'severe',
      colour: true,
      osv: { mode: 'online', apiUrl: 'not a url' },
      ignores: [
        { id: 'GHSA-p6mc-m468-83gw', reason: 'not reachable' },
        { id: 'CVE-2020-8203' },
        { id: 'PYSEC-2018-28', reason: 'x', expires: 'next week' },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'failOn: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"none"',
        'osv.apiUrl: Invalid URL',
        'ignores[1].reason: required: say why this finding is accepted',
        'ignores[2].expires: not a date (use YYYY-MM-DD)',
        'colour: unknown key',
      ],
    });
  });

  it('ships a JSON Schema that matches the schema (run pnpm gen:schema after changing it)', () => {
    const shipped: unknown = JSON.parse(
      readFileSync(new URL('../../schema/config.schema.json', import.meta.url), 'utf8'),
    );
    expect(shipped).toEqual(configJsonSchema());
  });
});
