// Values derived from the scanned repository (file names, package names) before they become
// arguments: never readable as an option, never a line break or NUL smuggled into a tool.
import { SupplyAuditError } from '../errors.js';

/**
 * Throws SupplyAuditError('EXEC_FAILED') unless `value` is safe as one argument value: non-empty,
 * no leading `-`, no NUL, CR or LF, at most 4096 characters.
 */
export function assertSafeArgValue(value: string, what: string): void {
  const problem = unsafeArgReason(value);
  if (problem !== undefined) {
    throw new SupplyAuditError('EXEC_FAILED', `refusing to pass ${what} to a tool: ${problem}`);
  }
}

/** Why a value is unsafe as an argument, or undefined when it is fine. */
export function unsafeArgReason(value: string): string | undefined {
  if (value === '') return 'it is empty';
  if (value.startsWith('-')) return `${JSON.stringify(value.slice(0, 80))} starts with "-"`;
  if (value.includes('\0')) return 'it contains a NUL byte';
  if (value.includes('\n') || value.includes('\r')) return 'it contains a line break';
  if (value.length > 4096) return `it is ${String(value.length)} characters long (limit 4096)`;
  return undefined;
}
