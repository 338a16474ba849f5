import { describe, expect, it } from 'vitest';
import { parseYaml } from '../decode/index.js';
import { validateConfig } from './config.js';
import { STARTER_CONFIG } from './starter-config.js';

describe('starter config', () => {
  it('passes validation, with the values it documents', () => {
    const result = validateConfig(
      parseYaml(STARTER_CONFIG, '.supplyauditrc.yaml', { numbers: true }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.failOn).toBe('high');
    expect(result.config.requiredSources).toEqual(['osv']);
    expect(result.config.licenses.deny).toEqual([
      'AGPL-3.0-only',
      'AGPL-3.0-or-later',
      'GPL-3.0-only',
      'GPL-3.0-or-later',
    ]);
  });

  it('documents every top-level key of the schema (as a key or a comment)', () => {
    for (const key of [
      'failOn',
      'sources',
      'requiredSources',
      'osv',
      'exclude',
      'checks',
      'licenses',
      'allowedRegistries',
      'critical',
      'ignores',
    ]) {
      expect(STARTER_CONFIG).toMatch(new RegExp(`^#? ?${key}:`, 'm'));
    }
  });
});
