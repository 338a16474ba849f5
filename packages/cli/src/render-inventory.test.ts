import type { Inventory } from '@supplyaudit/core';
import { describe, expect, it } from 'vitest';
import {
  escapeControl,
  formatDiagnosticLine,
  inventoryExitCode,
  inventoryToJson,
} from './render-inventory.js';

const inv: Inventory = {
  root: '/x',
  projects: [
    {
      ecosystem: 'PyPI',
      dir: 'we\nird',
      lockfile: 'we\nird/requirements.txt',
      packages: [],
      diagnostics: [
        { level: 'warning', file: 'we\nird/requirements.txt', line: 3, message: 'unpinned: flask' },
      ],
      parsed: true,
    },
  ],
  diagnostics: [{ level: 'warning', file: 'self', message: 'symlink loop; not followed' }],
};

describe('render-inventory', () => {
  it('keeps each diagnostic on one line', () => {
    expect(escapeControl('a\nb\r\t\u0001\u007fc')).toBe('a\\nb\\r\\t\\x01\\x7fc');
    expect(formatDiagnosticLine(inv.projects[0]!.diagnostics[0]!)).toBe(
      'we\\nird/requirements.txt:3: warning: unpinned: flask',
    );
    expect(
      formatDiagnosticLine({ level: 'error', file: 'a/Cargo.lock', line: 2, message: 'bad' }),
    ).toBe('a/Cargo.lock:2: bad');
  });

  it('exits 0 on warnings only, 3 on any error', () => {
    expect(inventoryExitCode(inv)).toBe(0);
    expect(
      inventoryExitCode({
        ...inv,
        diagnostics: [
          { level: 'error', file: 'x', message: 'cannot read folder (EACCES); skipped' },
        ],
      }),
    ).toBe(3);
  });

  it('keeps paths as data in JSON and puts diagnostics under warnings/errors', () => {
    expect(JSON.parse(inventoryToJson(inv))).toEqual({
      projects: [
        { ecosystem: 'PyPI', manifest: null, lockfile: 'we\nird/requirements.txt', packages: [] },
      ],
      errors: [],
      warnings: [
        { file: 'we\nird/requirements.txt', line: 3, message: 'unpinned: flask', code: null },
        { file: 'self', line: null, message: 'symlink loop; not followed', code: null },
      ],
    });
  });
});
