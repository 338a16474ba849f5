import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ECOSYSTEMS } from '../model/index.js';
import { ECOSYSTEM_PLUGINS } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('ecosystem registry', () => {
  it('registers every ecosystem folder exactly once', () => {
    const folders = readdirSync(here)
      .filter((f) => statSync(join(here, f)).isDirectory() && !f.startsWith('__'))
      .sort();
    expect(ECOSYSTEM_PLUGINS.map((p) => p.id).sort()).toEqual(folders);
  });

  it('covers each OSV ecosystem once', () => {
    expect(ECOSYSTEM_PLUGINS.map((p) => p.ecosystem).sort()).toEqual([...ECOSYSTEMS].sort());
  });

  it('gives every lockfile parser a unique namespaced id of its own ecosystem', () => {
    const ids = ECOSYSTEM_PLUGINS.flatMap((p) =>
      p.lockfiles.map((l) => {
        expect(l.ecosystem).toBe(p.ecosystem);
        expect(l.id.startsWith(`${p.id}/`)).toBe(true);
        expect(Number.isInteger(l.version)).toBe(true);
        return l.id;
      }),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});
