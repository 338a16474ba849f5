import { describe, expect, it } from 'vitest';
import type { InventoriedProject } from '../model/index.js';
import { runSources } from './run-sources.js';
import { ghsaFromUrl, normalizeSeverity, readJsonDocument } from './tool-output.js';
import type { AdvisorySource, SourceContext, SourceResult } from './types.js';

const npmProject: InventoriedProject = {
  ecosystem: 'npm',
  dir: '.',
  lockfile: 'package-lock.json',
  parsed: true,
  diagnostics: [],
  packages: [],
};
const ctx: SourceContext = { root: '/nonexistent', hostEnv: {}, offline: false };
const ok = (name: SourceResult['name']): SourceResult => ({
  name,
  status: 'ok',
  advisories: [],
  findings: [],
  durationMs: 1,
});

function source(
  name: AdvisorySource['name'],
  run: () => Promise<SourceResult>,
  applies = true,
): AdvisorySource {
  return { name, applies: () => applies, run };
}

describe('runSources', () => {
  it('keeps order, isolates a throwing source and skips sources with nothing to do', async () => {
    const results = await runSources(
      [
        source('osv', () => Promise.resolve(ok('osv'))),
        source('npm-audit', () => Promise.reject(new Error('boom in adapter'))),
        source('pip-audit', () => Promise.resolve(ok('pip-audit')), false),
        source('cargo-audit', () =>
          Promise.resolve({ ...ok('cargo-audit'), status: 'failed', reason: 'x' }),
        ),
      ],
      [npmProject],
      ctx,
    );
    expect(results.map((r) => [r.name, r.status, r.reason])).toEqual([
      ['osv', 'ok', undefined],
      ['npm-audit', 'failed', 'boom in adapter'],
      ['pip-audit', 'skipped', 'no project it applies to'],
      ['cargo-audit', 'failed', 'x'],
    ]);
  });

  it('runs at most `concurrency` sources at once, and all of them', async () => {
    let running = 0;
    let peak = 0;
    const slow = (name: AdvisorySource['name']) =>
      source(name, async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return ok(name);
      });
    const names = [
      'osv',
      'npm-audit',
      'pnpm-audit',
      'yarn-audit',
      'pip-audit',
      'cargo-audit',
      'bundler-audit',
    ] as const;
    const results = await runSources(names.map(slow), [npmProject], ctx, { concurrency: 2 });
    expect(results.map((r) => r.name)).toEqual([...names]);
    expect(peak).toBe(2);
  });

  it('reports canceled sources as failed without running them', async () => {
    const controller = new AbortController();
    controller.abort();
    const results = await runSources(
      [source('osv', () => Promise.resolve(ok('osv')))],
      [npmProject],
      { ...ctx, signal: controller.signal },
    );
    expect(results[0]).toMatchObject({ status: 'failed', reason: 'canceled' });
  });
});

describe('tool output helpers', () => {
  it('finds JSON after text lines', () => {
    const doc = readJsonDocument('t', {
      exitCode: 0,
      stdout: 'Updating db ...\n  done {not json}\n{"a":1}\n',
      stderr: '',
    });
    expect(doc).toEqual({
      ok: true,
      value: { a: 1 },
      prefix: 'Updating db ...\n  done {not json}\n',
    });
    expect(
      readJsonDocument('t', {
        exitCode: 1,
        stdout: 'plain text only\n',
        stderr: 'err: https://u:p@npm.example.com/\n',
      }),
    ).toEqual({
      ok: false,
      reason:
        't printed no JSON (exit 1) (stdout: plain text only): err: https://***@npm.example.com/',
    });
  });
  it.each([
    ['https://github.com/advisories/GHSA-P6MC-m468-83gw', 'GHSA-p6mc-m468-83gw'],
    ['https://npmjs.com/advisories/1488', undefined],
    [undefined, undefined],
  ])('ghsaFromUrl(%s)', (url, id) => {
    expect(ghsaFromUrl(url)).toBe(id);
  });
  it.each([
    ['moderate', 'medium'],
    ['MEDIUM', 'medium'],
    ['info', 'low'],
    ['none', 'low'],
    [null, 'unknown'],
    ['weird', 'unknown'],
  ] as const)('normalizeSeverity(%s)', (value, expected) => {
    expect(normalizeSeverity(value)).toBe(expected);
  });
});
