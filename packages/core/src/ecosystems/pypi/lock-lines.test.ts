import { describe, expect, it } from 'vitest';
import { TomlEntryLines } from './lock-lines.js';

describe('TomlEntryLines', () => {
  it('finds each [[package]] by name and version, skipping multi-line strings', () => {
    const text = [
      '[[package]]', // 1
      'name = "Flask"',
      'description = """',
      '[[package]]', // 4: inside the string
      'name = "not-me"',
      '"""',
      'version = "2.0.0"',
      '',
      '  [[ package ]] # second', // 9
      "\tversion = '1.0'",
      '\u00a0name = "nbsp"', // trimmed like String#trim
      'files = [',
      '    {file = "x.whl", hash = "sha256:00"},',
      ']',
      '[[package]]', // 15
      "description = '''x",
      "name = 'hidden' '''",
      'name = "third"',
      'version = "3"',
    ].join('\r\n');
    const lines = new TomlEntryLines(text);
    expect(lines.lineOf('flask', '2.0.0', 0)).toBe(1);
    expect(lines.lineOf('NBSP', '1.0', 1)).toBe(9);
    expect(lines.lineOf('third', '3', 2)).toBe(15);
    expect(lines.lineOf('not-me', '1', 3)).toBe(1);
  });
});
