/**
 * Replacing the executions file atomically: the new text goes to a temp file in the same folder,
 * is fsynced and renamed over the file, so a reader sees the old content or the new one, never a
 * part. Only used while the caller holds the file's lock (lock.ts); the caller compares the file
 * with what it read right before the rename (store.ts).
 *
 * Temp files are named `.<name>.fusion-tmp-<host>-<pid>-<random>` (hidden, and a shape nobody
 * gives a file by hand), and only such files whose writer process is gone are ever deleted: a
 * person's `incomplete-executions.json.1` or `.bak` beside the file is never touched.
 */
import { createHash, randomBytes } from 'node:crypto';
import type * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ioError } from './fileError';

/** 8 hex characters naming this machine in temp file names (a pid means nothing on another one). */
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
/** A temp file of another machine is deleted only when it is this old (its writer cannot be checked). */
const FOREIGN_TEMP_MAX_AGE_MS = 24 * 3600_000;
/** The temp file is written through a buffer of this size. */
const WRITE_BUFFER_BYTES = 1 << 20;

function tempPattern(base: string): RegExp {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${escaped}\\.fusion-tmp-([0-9a-f]{8})-(\\d+)-[0-9a-f]{12}$`);
}

/** The name of a new temp file for `file` (its real path). */
export function tempFileFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.fusion-tmp-${HOST_TAG}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Deletes the temp files of `file` left by writers that died mid-save: same machine and a pid that
 * no longer runs, or another machine's and older than a day. Returns how many were removed.
 */
export async function removeAbandonedTempFiles(file: string): Promise<number> {
  const dir = path.dirname(file);
  const pattern = tempPattern(path.basename(file));
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const full = path.join(dir, name);
    const pid = Number(m[2]);
    let abandoned: boolean;
    if (m[1] === HOST_TAG) abandoned = pid !== process.pid && !pidRunning(pid);
    else
      abandoned = await fsp.stat(full).then(
        (st) => Date.now() - st.mtimeMs > FOREIGN_TEMP_MAX_AGE_MS,
        () => false,
      );
    if (abandoned) {
      await fsp.rm(full, { force: true }).then(
        () => removed++,
        () => undefined,
      );
    }
  }
  return removed;
}

/** A written temp file, not yet in place. */
export interface TempFile {
  readonly path: string;
  /** sha256 (hex) of the bytes written. */
  readonly hash: string;
}

/**
 * Writes `pieces` to a new temp file beside `file` (permissions `mode`, else the default), hashing
 * them on the way. When the hash equals `unchangedHash` the temp file is deleted again and
 * undefined returned (nothing to save); otherwise the file is fsynced and returned.
 */
export async function writeTempFile(
  file: string,
  pieces: Iterable<string>,
  mode: number | undefined,
  unchangedHash: string | undefined,
): Promise<TempFile | undefined> {
  const tmp = tempFileFor(file);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fsp.open(tmp, 'wx', mode ?? 0o666);
  } catch (e) {
    throw ioError(e, file, 'write');
  }
  let keep = false;
  try {
    const hash = createHash('sha256');
    // One reused buffer: no large strings are made (each would live until a full garbage collection).
    const buf = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    let used = 0;
    const flush = async (): Promise<void> => {
      if (used === 0) return;
      const chunk = buf.subarray(0, used);
      hash.update(chunk);
      let done = 0;
      while (done < used) done += (await handle.write(chunk, done, used - done)).bytesWritten;
      used = 0;
    };
    for (const piece of pieces) {
      // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
      if (piece.length * 3 > buf.length - used) {
        await flush();
        if (piece.length * 3 > buf.length) {
          const big = Buffer.from(piece, 'utf8');
          hash.update(big);
          let done = 0;
          while (done < big.length) done += (await handle.write(big, done, big.length - done)).bytesWritten;
          continue;
        }
      }
      used += buf.write(piece, used, 'utf8');
    }
    await flush();
    const digest = hash.digest('hex');
    if (digest === unchangedHash) return undefined;
    if (mode !== undefined) await handle.chmod(mode); // the umask does not narrow a kept mode
    await handle.sync();
    keep = true;
    return { path: tmp, hash: digest };
  } catch (e) {
    throw ioError(e, file, 'write');
  } finally {
    await handle.close().catch(() => undefined);
    if (!keep) await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Deletes a temp file that will not be put in place. */
export async function discardTempFile(tmp: TempFile): Promise<void> {
  await fsp.rm(tmp.path, { force: true }).catch(() => undefined);
}

/** Renames the temp file over `file` and fsyncs the folder (so the rename itself survives a crash). */
export async function putInPlace(tmp: TempFile, file: string): Promise<void> {
  try {
    await fsp.rename(tmp.path, file);
  } catch (e) {
    await discardTempFile(tmp);
    throw ioError(e, file, 'replace');
  }
  try {
    const dir = await fsp.open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is done either way.
  }
}
