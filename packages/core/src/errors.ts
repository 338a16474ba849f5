// The error set: stable codes users and tests can rely on, never message matching.

export const ERROR_CODES = [
  'USAGE',
  'CONFIG_INVALID',
  'PARSE_FAILED',
  'FILE_TOO_LARGE',
  'FILE_UNREADABLE',
  'PATH_OUTSIDE_ROOT',
  'SOURCE_FAILED',
  'EXEC_TIMEOUT',
  'EXEC_FAILED',
  'HTTP_FAILED',
  'DB_MISSING',
  'DB_INVALID',
  'DB_LOCKED',
  'DB_WRITE_FAILED',
  'ARCHIVE_UNSAFE',
  'NOTHING_TO_SCAN',
  'OUTPUT_FAILED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const EXIT_CODES = {
  ok: 0,
  policyViolated: 1,
  usage: 2,
  incomplete: 3,
} as const;

/** An expected failure with a one-line message fit for users. */
export class SupplyAuditError extends Error {
  readonly code: ErrorCode;
  /** relative file the error is about, when there is one */
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; file?: string; line?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SupplyAuditError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
  }
}

/** A bug in supplyaudit itself. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

export function isSupplyAuditError(error: unknown): error is SupplyAuditError {
  return error instanceof SupplyAuditError;
}

/** Exit code for an error that escaped to the top: usage/config problems are 2, anything else 3. */
export function exitCodeFor(error: unknown): 2 | 3 {
  if (
    error instanceof SupplyAuditError &&
    (error.code === 'USAGE' || error.code === 'CONFIG_INVALID')
  ) {
    return 2;
  }
  return 3;
}

/** A short description of any thrown value, without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
