// Fault injection with fake executables (sh and node scripts in a temp dir): what a broken,
// hostile or slow tool does to runCommand / findTool.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupplyAuditError } from '../errors.js';
import { buildChildEnv } from './env.js';
import { findTool, resolveBinary } from './find-tool.js';
import { runCommand, type CommandSpec } from './run-command.js';

let dir: string;
const node = process.execPath;
const hostEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };

function script(name: string, body: string, mode = 0o755): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  chmodSync(file, mode);
  return file;
}
function nodeScript(name: string, js: string): string {
  return script(name, `#!${node}\n${js}\n`);
}
function spec(file: string, extra: Partial<CommandSpec> = {}): CommandSpec {
  return { file, args: [], cwd: dir, env: buildChildEnv(hostEnv), timeoutMs: 10_000, ...extra };
}
async function failure(p: Promise<unknown>): Promise<SupplyAuditError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof SupplyAuditError) return error;
    throw error;
  }
  throw new Error('expected a SupplyAuditError');
}
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
async function waitFor(predicate: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sa-exec-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runCommand with fake tools', () => {
  it('reports a missing binary clearly', async () => {
    const error = await failure(runCommand(spec(join(dir, 'no-such-tool'))));
    expect(error.code).toBe('EXEC_FAILED');
    expect(error.message).toBe(
      `no-such-tool could not be started: ${join(dir, 'no-such-tool')} does not exist (or its interpreter is missing)`,
    );
  });

  it('reports a file that is not executable', async () => {
    const file = script('not-exec', '#!/bin/sh\necho hi\n', 0o644);
    const error = await failure(runCommand(spec(file)));
    expect(error.message).toBe(`not-exec could not be started: ${file} is not executable`);
  });

  it('returns a crash without JSON as a result with its exit code and stderr', async () => {
    const file = script('crash', '#!/bin/sh\necho "Traceback: boom" >&2\nexit 3\n');
    const result = await runCommand(spec(file));
    expect(result).toMatchObject({ exitCode: 3, stdout: '', stderr: 'Traceback: boom\n' });
  });

  it('keeps stdout of exit 1 intact (findings or error JSON, decided by the parser)', async () => {
    const file = script('exit1', '#!/bin/sh\nprintf \'{"vulnerabilities":{}}\'\nexit 1\n');
    const result = await runCommand(spec(file));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('{"vulnerabilities":{}}');
  });

  it('passes text before JSON through unchanged', async () => {
    const file = script(
      'textjson',
      '#!/bin/sh\necho "Updating ruby-advisory-db ..."\necho \'{"results":[]}\'\n',
    );
    const result = await runCommand(spec(file));
    expect(result.stdout).toBe('Updating ruby-advisory-db ...\n{"results":[]}\n');
  });

  it('accepts 10 MB of output under the default 16 MiB cap, and stops a tool over a lower cap', async () => {
    const file = nodeScript('big', "process.stdout.write('x'.repeat(10 * 1024 * 1024));");
    const ok = await runCommand(spec(file));
    expect(ok.stdout.length).toBe(10 * 1024 * 1024);
    const error = await failure(runCommand(spec(file, { maxStdoutBytes: 1024 * 1024 })));
    expect(error.code).toBe('EXEC_FAILED');
    expect(error.message).toBe('big wrote more than 1048576 bytes to stdout and was stopped');
  });

  it('kills a hung tool and its grandchild after the timeout', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const file = nodeScript(
      'hang',
      `const { spawn } = require('node:child_process');
       const c = spawn('sleep', ['1000'], { stdio: 'ignore' });
       require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
       setInterval(() => {}, 1000);`,
    );
    const started = Date.now();
    const error = await failure(runCommand(spec(file, { timeoutMs: 1_000, killGraceMs: 500 })));
    expect(error.code).toBe('EXEC_TIMEOUT');
    expect(error.message).toBe('hang did not finish within 1 s and was stopped');
    expect(Date.now() - started).toBeLessThan(5_000);
    const { readFileSync } = await import('node:fs');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(grandchild), 3_000)).toBe(true);
  });

  it('SIGKILLs a tool that ignores SIGTERM', async () => {
    const file = nodeScript(
      'stubborn',
      "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);",
    );
    const started = Date.now();
    const error = await failure(runCommand(spec(file, { timeoutMs: 500, killGraceMs: 500 })));
    expect(error.code).toBe('EXEC_TIMEOUT');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('stops a tool when the cancel signal aborts', async () => {
    const file = nodeScript('slow', 'setInterval(() => {}, 1000);');
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 200);
    const error = await failure(runCommand(spec(file, { signal: controller.signal })));
    expect(error.message).toBe('slow was canceled');
  });

  it('decodes non-UTF-8 bytes with replacement characters', async () => {
    const file = nodeScript(
      'latin1',
      'process.stdout.write(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])); process.stderr.write(Buffer.from([0xc3, 0x28]));',
    );
    const result = await runCommand(spec(file));
    expect(result.stdout).toBe('{\uFFFD\uFFFD}');
    expect(result.stderr).toBe('\uFFFD(');
  });

  it('drains a flood of stderr without failing, keeping head and tail', async () => {
    const file = nodeScript(
      'flood',
      "for (let i = 0; i < 20000; i++) process.stderr.write('warning line ' + i + ' '.repeat(80) + '\\n'); process.stdout.write('{}');",
    );
    const result = await runCommand(spec(file));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('{}');
    expect(result.stderrTruncated).toBe(true);
    expect(result.stderr.length).toBeLessThanOrEqual(64 * 1024 + 100);
    expect(result.stderr.startsWith('warning line 0 ')).toBe(true);
    expect(result.stderr).toMatch(/\[\.\.\. \d+ bytes of stderr dropped \.\.\.\]/);
    expect(result.stderr.trimEnd().endsWith('warning line 19999')).toBe(true);
  });

  it('passes hostile arguments verbatim, with no shell', async () => {
    const file = nodeScript(
      'echoargs',
      'process.stdout.write(JSON.stringify(process.argv.slice(2)));',
    );
    const args = [
      'a b',
      '"quoted"',
      "'single'",
      '$(touch pwned)',
      '`id`',
      'x;y&z|w',
      'line1\nline2',
      '*',
      '$HOME',
      '--',
      '-x',
    ];
    const result = await runCommand(spec(file, { args }));
    expect(JSON.parse(result.stdout)).toEqual(args);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('passes a 100 KB argument list', async () => {
    const file = nodeScript(
      'countargs',
      "process.stdout.write(String(process.argv.slice(2).join('').length) + ' ' + (process.argv.length - 2));",
    );
    const args = Array.from(
      { length: 1000 },
      (_, i) => `${String(i).padStart(4, '0')}${'a'.repeat(96)}`,
    );
    const result = await runCommand(spec(file, { args }));
    expect(result.stdout).toBe('100000 1000');
  });

  it('gives the tool only the allowlisted environment and redacts secrets from messages', async () => {
    const file = nodeScript(
      'envdump',
      "process.stdout.write(JSON.stringify(Object.keys(process.env).sort())); process.stderr.write('fetch https://user:hunter22@npm.example.com/ failed, //npm.example.com/:_authToken=abcdef123456\\n'); process.exit(9);",
    );
    const env = buildChildEnv(
      { ...hostEnv, GITHUB_TOKEN: 'ghp_secretsecretsecretsecret1234', NPM_TOKEN: 'x' },
      { extra: { npm_config_registry: 'http://127.0.0.1:1/' } },
    );
    const result = await runCommand(spec(file, { env }));
    expect(JSON.parse(result.stdout)).toEqual(['HOME', 'PATH', 'npm_config_registry'].sort());
    expect(result.stderr).toBe(
      'fetch https://***@npm.example.com/ failed, //npm.example.com/:_authToken=***\n',
    );
  });
});

describe('findTool and resolveBinary', () => {
  it('finds a tool on PATH and reads its version', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    script('bin/fake-audit', '#!/bin/sh\necho "fake-audit 2.10.1"\n');
    const info = await findTool('fake-audit', {
      hostEnv: { PATH: `${bin}:/usr/bin:/bin` },
      forbiddenRoots: ['/nonexistent-root'],
      minVersion: '2.6.0',
    });
    expect(info).toEqual({
      status: 'ok',
      installed: true,
      tooOld: false,
      path: join(bin, 'fake-audit'),
      version: '2.10.1',
    });
  });

  it('says when a tool is too old', async () => {
    const bin = join(dir, 'bin-old');
    mkdirSync(bin, { recursive: true });
    script('bin-old/fake-audit', '#!/bin/sh\necho "fake-audit 2.5.0"\n');
    const info = await findTool('fake-audit', {
      hostEnv: { PATH: bin },
      forbiddenRoots: [],
      minVersion: '2.10.0',
    });
    expect(info).toMatchObject({
      status: 'too-old',
      tooOld: true,
      version: '2.5.0',
      reason: 'fake-audit 2.5.0 is older than the 2.10.0 supplyaudit needs',
    });
  });

  it('says when a tool is missing', async () => {
    const info = await findTool('surely-not-installed-tool', {
      hostEnv: { PATH: '/usr/bin:/bin' },
      forbiddenRoots: [],
    });
    expect(info).toEqual({
      status: 'missing',
      installed: false,
      tooOld: false,
      reason:
        'surely-not-installed-tool is not installed (surely-not-installed-tool was not found on PATH)',
    });
  });

  it('refuses a binary inside the scanned repository, also through a symlink', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'node_modules/.bin'), { recursive: true });
    script('repo/node_modules/.bin/npm', '#!/bin/sh\necho pwned\n');
    const outside = join(dir, 'outside');
    mkdirSync(outside, { recursive: true });
    symlinkSync(join(repo, 'node_modules/.bin/npm'), join(outside, 'npm'));
    const direct = resolveBinary('npm', {
      pathEnv: join(repo, 'node_modules/.bin'),
      forbiddenRoots: [repo],
    });
    expect(direct).toEqual({
      found: false,
      rejected: true,
      reason: `refusing to run npm from ${join(repo, 'node_modules/.bin/npm')}: it is inside the scanned repository`,
    });
    const linked = await findTool('npm', { hostEnv: { PATH: outside }, forbiddenRoots: [repo] });
    expect(linked.status).toBe('unusable');
    // relative PATH entries (the tool's cwd) are never searched
    expect(
      resolveBinary('npm', { pathEnv: `.:node_modules/.bin`, forbiddenRoots: [] }),
    ).toMatchObject({ found: false });
  });

  it('reports a tool whose --version fails as unusable', async () => {
    const bin = join(dir, 'bin-broken');
    mkdirSync(bin, { recursive: true });
    script('bin-broken/fake-audit', '#!/bin/sh\necho "ModuleNotFoundError" >&2\nexit 1\n');
    const info = await findTool('fake-audit', { hostEnv: { PATH: bin }, forbiddenRoots: [] });
    expect(info).toEqual({
      status: 'unusable',
      installed: false,
      tooOld: false,
      reason: `fake-audit at ${join(bin, 'fake-audit')} failed to report its version (exit 1)`,
    });
  });
});
