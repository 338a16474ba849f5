// The JSON renderer: the report contract as it is, one stable key order, newline-terminated.
import type { Report } from '../model/index.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
