/**
 * Replacing the executions file atomically: write-file-atomic writes a temp file in the same
 * folder, fsyncs it and renames it over the file, so a reader sees the old content or the new one,
 * never a part. Only called while the caller holds the file's lock (lock.ts).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ExecutionsFileError, ioError } from './fileError';
import type { LockCompromised } from './lock';

/**
 * write-file-atomic names its temp file `<file>.<number>`. Such a file can only be left behind by a
 * writer that died mid-save (every writer holds the lock while its temp file exists), so under the
 * lock they are garbage.
 */
export async function removeAbandonedTempFiles(file: string): Promise<void> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.length > base.length + 1 && name.startsWith(`${base}.`) && /^\d{1,10}$/.test(name.slice(base.length + 1))) {
      await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

/** Replaces `file` with `text` (temp file, fsync, rename); refuses when the lock was lost meanwhile. */
export async function writeAtomically(file: string, text: string, isCompromised: LockCompromised): Promise<void> {
  const lost = isCompromised();
  if (lost) {
    throw ExecutionsFileError.at(
      `lost the lock on the executions file before saving (${lost.message}); nothing was written`,
      file,
      'LOCKED',
    );
  }
  try {
    await writeFileAtomic(file, text, { fsync: true });
  } catch (e) {
    throw ioError(e, file, 'write');
  }
}
