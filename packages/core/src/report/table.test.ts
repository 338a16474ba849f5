import { describe, expect, it } from 'vitest';
import { sampleReport } from './__fixtures__/sample-report.js';
import { renderTable, shortenPath } from './table.js';

describe('renderTable', () => {
  it('keeps its exact layout (file snapshot)', async () => {
    await expect(renderTable(sampleReport(), { width: 120 })).toMatchFileSnapshot(
      '__snapshots__/table-120.txt',
    );
  });

  it('fits the terminal width', () => {
    for (const width of [60, 80, 160]) {
      const lines = renderTable(sampleReport(), { width }).split('\n');
      const widest = Math.max(
        ...lines.filter((l) => /^[┌│├└]/.test(l)).map((l) => Array.from(l).length),
      );
      expect(widest).toBeLessThanOrEqual(width);
    }
  });

  it('uses colour only when asked', () => {
    const esc = '\u001b[';
    expect(renderTable(sampleReport(), { color: false }).includes(esc)).toBe(false);
    expect(renderTable(sampleReport(), { color: true }).includes(esc)).toBe(true);
  });

  it('shortens long dependency paths, keeping both ends', () => {
    expect(shortenPath(['app@1.0.0', 'a@1', 'b@2', 'c@3', 'd@4', 'lodash@4.17.15'])).toBe(
      'app@1.0.0 > a@1 > … > lodash@4.17.15',
    );
    expect(shortenPath(['app@1.0.0', 'lodash@4.17.15'])).toBe('app@1.0.0 > lodash@4.17.15');
  });
});
