import { buildReport, type Report } from '@supplyaudit/core';
import { describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { createProgress } from './progress.js';

function stream(isTTY: boolean) {
  let text = '';
  const io: Io = {
    stdout: { write: () => true, isTTY },
    stderr: { write: (c: string) => (text += c), isTTY, columns: 80 },
    env: {},
    cwd: '/',
  };
  return { io, text: () => text };
}

const report: Report = buildReport({
  target: '.',
  startedAt: new Date('2026-01-01T00:00:00Z'),
  durationMs: 5,
  sources: [{ name: 'osv', status: 'ok', durationMs: 3 }],
  projects: [],
  findings: [],
  verdict: { exitCode: 0, reasons: [] },
  warnings: [],
});

describe('progress on stderr', () => {
  it('says nothing at all when stderr is not a terminal', () => {
    const s = stream(false);
    const p = createProgress(s.io, { quiet: false, color: false, tickMs: 0 });
    expect(p.logger).toBeUndefined();
    p.finish(report);
    expect(s.text()).toBe('');
  });

  it('says nothing with --quiet, even on a terminal', () => {
    const s = stream(true);
    const p = createProgress(s.io, { quiet: true, color: false, tickMs: 0 });
    expect(p.logger).toBeUndefined();
    p.finish(report);
    expect(s.text()).toBe('');
  });

  it('on a terminal: a live line, one line per finished source with its reason, the counts', () => {
    const s = stream(true);
    let t = 0;
    const p = createProgress(s.io, { quiet: false, color: false, tickMs: 0, now: () => t });
    t = 100;
    p.logger?.progress?.({ source: 'osv', status: 'running' });
    p.logger?.progress?.({ source: 'pip-audit', status: 'running' });
    t = 1500;
    p.logger?.progress?.({ source: 'osv', status: 'ok' });
    p.logger?.progress?.({ source: 'pip-audit', status: 'skipped', reason: 'not installed' });
    p.logger?.progress?.({ source: 'npm-audit', status: 'failed', reason: 'exit 1\n\x1b[31mboom' });
    t = 2000;
    p.finish(report);
    // Redraws are `\r` + erase-line; what stays on screen is the permanent lines.
    const screen = s
      .text()
      .split('\n')
      .map((line) => line.split('\r\x1b[2K').at(-1) ?? '');
    expect(screen).toEqual([
      '✓ osv ok 1.5s',
      '- pip-audit skipped: not installed 1.5s',
      '✗ npm-audit failed: exit 1 [31mboom 1.5s',
      '✓ 0 packages in 0 projects, 0 findings 2.0s',
      '',
    ]);
    expect(s.text()).toContain('⠋ reading lockfiles · 0.0s');
    expect(s.text()).toContain('osv, pip-audit running · 0.1s');
  });

  it('colours the marks only when asked', () => {
    const s = stream(true);
    const p = createProgress(s.io, { quiet: false, color: true, tickMs: 0 });
    p.logger?.progress?.({ source: 'osv', status: 'ok' });
    p.stop();
    expect(s.text()).toContain('\x1b[32m✓\x1b[39m osv ok');
  });

  it('with --debug off a terminal, debug messages only', () => {
    const s = stream(false);
    const p = createProgress(s.io, { quiet: false, color: false, debug: true, tickMs: 0 });
    p.logger?.debug?.('osv: 3 queries');
    p.logger?.progress?.({ source: 'osv', status: 'ok' });
    expect(s.text()).toBe('debug: osv: 3 queries\n');
  });
});
