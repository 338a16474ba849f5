// Running one tool: execa with an argument array and no shell, a minimal environment, a timeout
// that ends the whole process group (SIGTERM, then SIGKILL after a grace period), an output cap
// and a cancel signal. Output is decoded with replacement characters and stderr is redacted.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { SupplyAuditError } from '../errors.js';
import { redactSecrets, summarizeStderr } from './redact.js';

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_KILL_GRACE_MS = 3_000;
/** Far below execa's 100 MB default; real audit reports stay below a few MB. */
export const DEFAULT_MAX_STDOUT_BYTES = 16 * 1024 * 1024;
/** stderr is drained completely but only its head and tail are kept. */
export const DEFAULT_MAX_STDERR_BYTES = 64 * 1024;

export interface CommandSpec {
  /** absolute path of the executable (from findTool / resolveBinary, never from the repo) */
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** the complete child environment (buildChildEnv); nothing is inherited */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly killGraceMs?: number;
  readonly maxStdoutBytes?: number;
  readonly maxStderrBytes?: number;
  readonly signal?: AbortSignal;
  /** literal values to redact from stderr and messages (tokens the caller passed) */
  readonly secrets?: readonly string[];
}

export interface CommandResult {
  /** undefined when the process was ended by a signal */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  /** redacted; head and tail only when it was longer than the cap */
  readonly stderr: string;
  readonly stderrTruncated: boolean;
  readonly durationMs: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Run a tool to completion. A non-zero exit is a result, not an error (every auditor exits 1 on
 * findings). Throws SupplyAuditError: EXEC_TIMEOUT after the timeout, EXEC_FAILED when the binary
 * cannot be started, stdout exceeds the cap, or the signal aborted the run.
 */
export async function runCommand(spec: CommandSpec): Promise<CommandResult> {
  // Loaded on first use: execa and its dependencies cost ~85 ms of CPU to import, and a scan with
  // no native auditor to run (offline, or none installed) never needs them.
  const { execa } = await import('execa');
  const tool = basename(spec.file);
  const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const graceMs = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const maxStdout = spec.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES;
  const secrets = spec.secrets ?? [];
  if (spec.args.some((a) => a.includes('\0'))) {
    throw new SupplyAuditError('EXEC_FAILED', `${tool}: an argument contains a NUL byte`);
  }
  if (!isDirectory(spec.cwd)) {
    throw new SupplyAuditError(
      'EXEC_FAILED',
      `${tool}: working directory ${spec.cwd} does not exist`,
    );
  }
  if (spec.signal?.aborted === true) {
    throw new SupplyAuditError('EXEC_FAILED', `${tool}: canceled before it started`);
  }

  const stderrKeeper = new HeadTailKeeper(spec.maxStderrBytes ?? DEFAULT_MAX_STDERR_BYTES);
  const started = performance.now();
  const subprocess = execa(spec.file, [...spec.args], {
    cwd: spec.cwd,
    env: { ...spec.env },
    extendEnv: false,
    shell: false,
    // Its own process group, so a timeout can end the tool and everything it started.
    detached: true,
    stdin: 'ignore',
    encoding: 'buffer',
    stripFinalNewline: false,
    reject: false,
    windowsHide: true,
    maxBuffer: { stdout: maxStdout },
    stderr: {
      transform: function* (chunk: unknown) {
        if (chunk instanceof Uint8Array) stderrKeeper.push(chunk);
        // nothing goes to execa's own buffer: `final` hands over what was kept
        yield* [];
      },
      final: function* () {
        yield stderrKeeper.bytes();
      },
      binary: true,
    },
  });
  const pid = subprocess.pid;

  let stopReason: 'timeout' | 'canceled' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const killGroup = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone
    }
  };
  const stop = (reason: 'timeout' | 'canceled'): void => {
    if (stopReason !== undefined) return;
    stopReason = reason;
    killGroup('SIGTERM');
    killTimer = setTimeout(() => {
      killGroup('SIGKILL');
    }, graceMs);
  };
  const timer = setTimeout(() => {
    stop('timeout');
  }, timeoutMs);
  const onAbort = (): void => {
    stop('canceled');
  };
  spec.signal?.addEventListener('abort', onAbort, { once: true });

  let result;
  try {
    result = await subprocess;
  } finally {
    clearTimeout(timer);
    if (killTimer !== undefined) clearTimeout(killTimer);
    spec.signal?.removeEventListener('abort', onAbort);
  }
  const durationMs = Math.round(performance.now() - started);
  const stderr = redactSecrets(decoder.decode(toBytes(result.stderr)), secrets);
  const hint = summarizeStderr(stderr, { secrets });
  const withHint = (message: string): string => (hint === '' ? message : `${message}: ${hint}`);

  if (stopReason !== undefined || result.isMaxBuffer) {
    // Whatever the tool started may still hold the pipes or keep running.
    killGroup('SIGKILL');
  }
  if (stopReason === 'timeout') {
    throw new SupplyAuditError(
      'EXEC_TIMEOUT',
      `${tool} did not finish within ${formatMs(timeoutMs)} and was stopped`,
    );
  }
  if (stopReason === 'canceled') {
    throw new SupplyAuditError('EXEC_FAILED', `${tool} was canceled`);
  }
  if (result.isMaxBuffer) {
    throw new SupplyAuditError(
      'EXEC_FAILED',
      `${tool} wrote more than ${String(maxStdout)} bytes to stdout and was stopped`,
    );
  }
  if (result.failed && result.exitCode === undefined && result.signal === undefined) {
    throw new SupplyAuditError(
      'EXEC_FAILED',
      spawnFailureMessage(tool, spec.file, errorCode(result)),
      {
        cause: result,
      },
    );
  }
  if (result.exitCode === undefined && result.signal !== undefined) {
    throw new SupplyAuditError('EXEC_FAILED', withHint(`${tool} was killed by ${result.signal}`));
  }
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: decoder.decode(toBytes(result.stdout)),
    stderr,
    stderrTruncated: stderrKeeper.truncated,
    durationMs,
  };
}

function spawnFailureMessage(tool: string, file: string, code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return `${tool} could not be started: ${file} does not exist (or its interpreter is missing)`;
    case 'EACCES':
      return `${tool} could not be started: ${file} is not executable`;
    case 'ENOEXEC':
      return `${tool} could not be started: ${file} is not a valid executable`;
    case 'E2BIG':
      return `${tool} could not be started: the argument list is too long`;
    default:
      return `${tool} could not be started (${code ?? 'unknown error'})`;
  }
}

function errorCode(value: unknown): string | undefined {
  if (value instanceof Error && 'code' in value && typeof value.code === 'string')
    return value.code;
  return undefined;
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    const parts = value.filter((v): v is Uint8Array => v instanceof Uint8Array);
    return Buffer.concat(parts);
  }
  return new Uint8Array();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${String(ms / 1000)} s` : `${String(ms)} ms`;
}

/** Keeps the first quarter and the last three quarters of a byte budget of a stream. */
class HeadTailKeeper {
  private readonly headMax: number;
  private readonly tailMax: number;
  private head: Uint8Array[] = [];
  private headLen = 0;
  private tail: Uint8Array[] = [];
  private tailLen = 0;
  private dropped = 0;

  constructor(max: number) {
    this.headMax = Math.floor(max / 4);
    this.tailMax = max - this.headMax;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  push(chunk: Uint8Array): void {
    let rest = chunk;
    if (this.headLen < this.headMax) {
      const take = rest.subarray(0, this.headMax - this.headLen);
      this.head.push(Uint8Array.from(take));
      this.headLen += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0) return;
    this.tail.push(Uint8Array.from(rest.subarray(Math.max(0, rest.length - this.tailMax))));
    this.dropped += Math.max(0, rest.length - this.tailMax);
    this.tailLen += Math.min(rest.length, this.tailMax);
    while (this.tailLen > this.tailMax) {
      const first = this.tail[0];
      if (first === undefined) break;
      const excess = this.tailLen - this.tailMax;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLen -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailLen -= excess;
        this.dropped += excess;
      }
    }
  }

  bytes(): Uint8Array {
    const marker =
      this.dropped > 0
        ? [
            new TextEncoder().encode(
              `\n[... ${String(this.dropped)} bytes of stderr dropped ...]\n`,
            ),
          ]
        : [];
    return Buffer.concat([...this.head, ...marker, ...this.tail]);
  }
}
