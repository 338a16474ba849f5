// Writing a report: to stdout, or to --output FILE atomically (a temporary file beside it, then
// one rename), so a kill mid-write leaves the previous file whole.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SupplyAuditError } from '@supplyaudit/core';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (cause) {
    await rm(temp, { force: true });
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'error';
    throw new SupplyAuditError('OUTPUT_FAILED', `${path}: cannot write the report (${code})`, {
      cause,
      file: path,
    });
  }
}
