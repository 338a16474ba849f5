// Problems found while reading input: errors lose a file, warnings lose one entry.

export interface Diagnostic {
  readonly level: 'error' | 'warning';
  /** relative path of the file concerned */
  readonly file: string;
  readonly line?: number;
  readonly message: string;
  /** stable error code, see errors.ts */
  readonly code?: string;
}

/** `path:line: message` — the one-line form users see. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}${d.line === undefined ? '' : `:${String(d.line)}`}: ${d.message}`;
}
