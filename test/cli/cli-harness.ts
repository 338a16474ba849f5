// Running the built CLI (packages/cli/dist/bin.js) as a user would: a subprocess with a clean
// environment (HOME in a temporary folder, no SUPPLYAUDIT_* or colour variables inherited) and
// stdout/stderr captured as bytes. `pnpm test` builds before vitest runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(REPO, 'packages/cli/dist/bin.js');
export const EXAMPLE = join(REPO, 'examples/polyglot');
export const EXAMPLE_OSV = join(REPO, 'examples/osv');
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
/** a real npm lockfile whose one package no advisory affects */
export const CLEAN_NPM = join(FIXTURES, 'clean-npm');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  /** added to the clean environment */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** called once the process is running (e.g. to kill it) */
  readonly onSpawn?: (child: ChildProcess) => void;
}

const scratch: string[] = [];

/** A temporary folder removed by `cleanupScratch()`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `supplyaudit-cli-${prefix}-`));
  scratch.push(dir);
  return dir;
}

export function cleanupScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of a fixture tree in a temporary folder, to change or to write into. */
export function copyTree(from: string, prefix: string): string {
  const dir = join(tempDir(prefix), 'tree');
  cpSync(from, dir, { recursive: true });
  return dir;
}

let home: string | undefined;

/** PATH and a private HOME; nothing else from the outer environment. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  home ??= tempDir('home');
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    options.onSpawn?.(child);
  });
}

let exampleDb: Promise<string> | undefined;

/** The offline database imported from examples/osv with the CLI itself, once per test file. */
export function exampleDatabase(): Promise<string> {
  exampleDb ??= (async () => {
    const db = join(tempDir('db'), 'osv');
    const r = await runCli(['db', 'update', '--from', EXAMPLE_OSV, '--db', db]);
    if (r.code !== 0) throw new Error(`db update failed (${String(r.code)}): ${r.stderr}`);
    return db;
  })();
  return exampleDb;
}

function loadJson(path: string): unknown {
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return value;
}

function isSchema(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validator(path: string, strict: boolean): ValidateFunction {
  const schema = loadJson(path);
  if (!isSchema(schema)) throw new Error(`${path}: not a JSON Schema`);
  const ajv = new Ajv({ strict, allErrors: true });
  addFormatsModule.default(ajv);
  return ajv.compile(schema);
}

/** ajv's errors as text, or undefined when `value` is valid. */
function check(validate: ValidateFunction, value: unknown): string | undefined {
  if (validate(value)) return undefined;
  return JSON.stringify(validate.errors, null, 2);
}

let reportValidator: ValidateFunction | undefined;
let sarifValidator: ValidateFunction | undefined;

export function reportSchemaErrors(value: unknown): string | undefined {
  reportValidator ??= validator(join(REPO, 'packages/core/schema/report.schema.json'), true);
  return check(reportValidator, value);
}

export function sarifSchemaErrors(value: unknown): string | undefined {
  sarifValidator ??= validator(
    join(REPO, 'packages/core/src/report/__fixtures__/sarif-schema-2.1.0.json'),
    false,
  );
  return check(sarifValidator, value);
}

/** A JSON document, for asserting on. */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return value;
}

/** A JSON or SARIF report with the fields the contract lets vary between runs blanked. */
export function withoutTimes(text: string): string {
  return text
    .replace(/"startedAt": "[^"]*"/g, '"startedAt": "-"')
    .replace(/"durationMs": \d+/g, '"durationMs": 0')
    .replace(/"(start|end)TimeUtc": "[^"]*"/g, '"$1TimeUtc": "-"');
}

export interface JsonReport {
  complete: boolean;
  sources: { name: string; status: string; reason?: string }[];
  projects: { ecosystem: string; lockfile?: string; packageCount: number }[];
  findings: {
    kind: string;
    id: string;
    aliases: string[];
    severity: string;
    package?: { ecosystem: string; name: string; version?: string };
    location?: { file: string; line: number };
  }[];
  summary: { bySeverity: Record<string, number>; byKind: Record<string, number> };
  verdict: { exitCode: number; reasons: string[] };
}

function isJsonReport(value: unknown): value is JsonReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    'schemaVersion' in value &&
    value.schemaVersion === 1 &&
    'findings' in value &&
    Array.isArray(value.findings)
  );
}

/** Parse and validate a JSON report against the shipped schema. */
export function readReport(text: string): JsonReport {
  const value = parseJson(text);
  const errors = reportSchemaErrors(value);
  if (errors !== undefined) throw new Error(`the report breaks its schema: ${errors}`);
  if (!isJsonReport(value)) throw new Error('not a report');
  return value;
}
