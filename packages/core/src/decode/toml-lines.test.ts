import { describe, expect, it } from 'vitest';
import { TomlLines } from './toml-lines.js';

describe('TomlLines', () => {
  const text = [
    '[[package]]', // 1
    'name = "a"',
    'description = """',
    '[metadata]', // 4: inside a string
    'content-hash = "no"',
    '"""',
    '',
    '[metadata]', // 8
    'lock-version = "2.1"',
    'content-hash = "abc"', // 10
    '',
    '[metadata.files]', // 12
    'a = []',
  ].join('\n');

  it('records the keys of the tables asked for, with the same lines as a full index', () => {
    const full = new TomlLines(text);
    const some = new TomlLines(text, new Set(['metadata']));
    for (const lines of [full, some]) {
      expect(lines.keyLine('metadata', 'content-hash')).toBe(10);
      expect(lines.keyLine('metadata', 'files')).toBe(12);
      expect(lines.headerLine('package')).toBe(1);
    }
    expect(full.keyLine('package', 'name')).toBe(2);
    expect(some.keyLine('package', 'name')).toBeUndefined();
    expect(some.keyLine('metadata.files', 'a')).toBeUndefined();
  });
});
