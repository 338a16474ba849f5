import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../errors.js';
import { loadConfig, mergeRaw } from './load-config.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sa-config-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

async function configError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SupplyAuditError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('finds the nearest config upward from the scanned root', async () => {
    const root = tree({
      '.supplyauditrc.yaml':
        'failOn: high\nignores:\n  - id: CVE-2020-8203\n    reason: build only\n',
      'apps/web/package.json': '{"name":"web"}',
    });
    const loaded = await loadConfig(join(root, 'apps/web'));
    expect(loaded.file).toBe(join(root, '.supplyauditrc.yaml'));
    expect(loaded.config.failOn).toBe('high');
    expect(loaded.config.ignores).toEqual([{ id: 'CVE-2020-8203', reason: 'build only' }]);
  });

  it('reads the supplyaudit key of package.json, and lets flags win over the file', async () => {
    const root = tree({
      'package.json': JSON.stringify({
        name: 'x',
        supplyaudit: { failOn: 'critical', osv: { mode: 'offline' } },
      }),
    });
    const loaded = await loadConfig(root, { overrides: { failOn: 'medium', offline: true } });
    expect(loaded.config.failOn).toBe('medium');
    expect(loaded.config.offline).toBe(true);
    expect(loaded.config.osv.mode).toBe('offline');
  });

  it('prefers supplyaudit.config.json over a package.json key in the same folder', async () => {
    const root = tree({
      'supplyaudit.config.json': '{"failOn":"none"}',
      'package.json': '{"supplyaudit":{"failOn":"high"}}',
    });
    expect((await loadConfig(root)).config.failOn).toBe('none');
  });

  it('reports every problem at once with the file and each path', async () => {
    const root = tree({
      'supplyaudit.config.json': '{"failOn":"severe","ignores":[{"id":"X"}],"extra":1}',
    });
    expect(await configError(loadConfig(root))).toBe(
      `CONFIG_INVALID: ${join(root, 'supplyaudit.config.json')}: invalid configuration\n` +
        '  failOn: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"none"\n' +
        '  ignores[0].reason: required: say why this finding is accepted\n' +
        '  extra: unknown key',
    );
  });

  it('names the file for syntax errors and missing explicit files', async () => {
    const root = tree({ '.supplyauditrc.json': '{"failOn": ' });
    expect(await configError(loadConfig(root))).toBe(
      `CONFIG_INVALID: ${join(root, '.supplyauditrc.json')}:1: truncated JSON (unexpected end of input)`,
    );
    expect(await configError(loadConfig(root, { explicit: join(root, 'nope.json') }))).toBe(
      `CONFIG_INVALID: ${join(root, 'nope.json')}: config file not found`,
    );
  });

  it('merges without touching prototypes', () => {
    const merged = mergeRaw(JSON.parse('{"__proto__":{"polluted":1},"a":{"b":1}}') as never, {
      a: { c: 2 },
    });
    expect(merged).toEqual(JSON.parse('{"__proto__":{"polluted":1},"a":{"b":1,"c":2}}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
