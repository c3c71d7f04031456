/**
 * Loading and saving the incomplete-executions file.
 *
 * Guarantees:
 * - Reading never throws for bad content it can describe: an invalid file (not UTF-8, a NUL byte,
 *   bad JSON, a duplicate key, too deep, a wrong shape) is an ExecutionsFileError with a one-line
 *   message and a 1-based line/column (validate.ts). Only regular files are read, without ever
 *   blocking (regularFile.ts): a FIFO or a device is refused at once.
 * - Writing never loses an update:
 *   - the path is resolved to the file's real path first, so two paths to one file (a symbolic
 *     link) share one lock and one set of temp files;
 *   - every write holds the file's cross-process lock (lock.ts: a live owner is never broken),
 *     re-reads and re-validates the file, and applies the caller's change (`mutate`, a function
 *     of the document) to that fresh document;
 *   - right before the rename it checks that the file is still the one it read (inode, size,
 *     times; the content hash when those moved): a writer that does not take the lock — a person
 *     saving in an editor — may have changed it meanwhile. Then the change is applied again to
 *     the new content (by record id, as `mutate` works), up to MAX_SAVE_ATTEMPTS times, else the
 *     save is refused with CONFLICT. A lock lost meanwhile also means: start again.
 *   - the file is replaced atomically (atomicWrite.ts). An invalid file on disk, or a read-only
 *     one, is never overwritten.
 * - Fields the tool does not know (top level and per record) are kept: the parsed objects are
 *   passed through untouched.
 */
import { createHash } from 'node:crypto';
import type * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { discardTempFile, putInPlace, removeAbandonedTempFiles, writeTempFile } from './atomicWrite';
import { ExecutionsFileError, ioError } from './fileError';
import { withFileLock, type LockHandle, type LockOptions } from './lock';
import type { ExecutionsFile } from './model';
import {
  FileTooLargeError,
  NotRegularFileError,
  readRegularFileContentSync,
  readRegularTextSync,
  type RegularTextContent,
} from './regularFile';
import { serializeExecutionsPieces } from './serialize';
import { parseExecutionsBytes, parseExecutionsText, validateExecutionsDoc } from './validate';

export { serializeExecutions, serializeExecutionsPieces } from './serialize';

/** Largest executions file read (256 MiB, about 300,000 records): beyond it a string cannot hold it safely. */
export const MAX_EXECUTIONS_FILE_BYTES = 256 * 1024 * 1024;
/** How many times a save re-applies its change because the file changed under it, before it gives up. */
export const MAX_SAVE_ATTEMPTS = 5;
/** How many times a write whose lock was lost takes the lock again. */
const MAX_LOCK_ATTEMPTS = 3;

/**
 * After reading a file at least this large, ask for a full garbage collection where the runtime
 * offers one (`globalThis.gc`: the CLI exposes it, the extension host does not): the file's bytes
 * and text are garbage once parsed, and V8 would otherwise keep them resident until much later —
 * with 100,000 records that is 180 MB on top of the document.
 */
const COLLECT_AFTER_BYTES = 16 * 1024 * 1024;

function collectAfterRead(size: number | bigint): void {
  if (Number(size) < COLLECT_AFTER_BYTES) return;
  collectGarbage();
}

/**
 * A full garbage collection where the runtime offers one (`globalThis.gc`: the CLI exposes it, the
 * extension host does not; elsewhere this does nothing). For the moments a large amount of memory
 * has just become garbage.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc === 'function') (gc as () => void)();
}

/** A new, empty executions document. */
export function emptyExecutionsFile(): ExecutionsFile {
  return { version: 1, executions: [] };
}

/** The content hash used as `version` (sha256 of the bytes, hex). */
export function contentHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface LoadedExecutions {
  readonly doc: ExecutionsFile;
  /** Content hash (sha256, hex) of the bytes that were read, for change detection; computed on first access. */
  readonly version: string;
}

/**
 * The real path of `file`: symbolic links resolved (also a dangling one, to where it points), and
 * for a file that does not exist yet, the real path of its folder plus its name. Two paths to one
 * file give the same answer.
 */
export async function realPathOf(file: string): Promise<string> {
  let p = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await fsp.realpath(p);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw ioError(e, file, 'open');
    }
    let target: string | undefined;
    try {
      target = await fsp.readlink(p);
    } catch {
      target = undefined; // not a link (EINVAL) or nothing there (ENOENT)
    }
    if (target === undefined) {
      try {
        return path.join(await fsp.realpath(path.dirname(p)), path.basename(p));
      } catch (e) {
        if ((e as { code?: unknown }).code === 'ENOENT') return p; // the folder does not exist yet
        throw ioError(e, file, 'open');
      }
    }
    p = path.resolve(path.dirname(p), target);
  }
  throw ExecutionsFileError.at('cannot open the executions file (too many levels of symbolic links)', file, 'IO');
}

/** A read failure as an ExecutionsFileError (missing → ENOENT; FIFO, device, folder, too large → IO). */
function readError(e: unknown, file: string): ExecutionsFileError {
  if (e instanceof NotRegularFileError)
    return ExecutionsFileError.at(`is a ${e.kind}, not a regular file (expected the executions file)`, file, 'IO');
  if (e instanceof FileTooLargeError) {
    return ExecutionsFileError.at(
      `too large (${e.size} bytes; the executions file may have at most ${MAX_EXECUTIONS_FILE_BYTES} bytes)`,
      file,
      'IO',
    );
  }
  if ((e as { code?: unknown }).code === 'EISDIR')
    return ExecutionsFileError.at('is a directory, not a regular file (expected the executions file)', file, 'IO');
  return ioError(e, file, 'read');
}

/**
 * Reads and validates, for readers that never save (no version kept, so the file's bytes can go as
 * soon as they are decoded). A missing file throws ExecutionsFileError (code 'ENOENT').
 */
export async function readExecutions(file: string): Promise<ExecutionsFile> {
  return (await readText(file, file)).doc;
}

/**
 * Reads, hashes and validates (bytes read a megabyte at a time, see readRegularTextSync). Its
 * steps are separate functions so that nothing large stays in scope: the text pieces are garbage
 * after the join, the text after the parse, and a full collection (where offered) frees each.
 */
async function readText(real: string, file: string): Promise<{ doc: ExecutionsFile; hash: string; stat: fs.BigIntStats }> {
  const { hash, stat, box } = readContent(real, file);
  const size = Number(stat.size);
  if (box.text === undefined) return { doc: parseBytes(real, file), hash, stat };
  const doc = parseTextOnce(box, file, size);
  collectAfterRead(size);
  return { doc, hash, stat };
}

/** The file's text in a box the parse empties (no variable of the caller keeps the text alive), its hash and stat. */
function readContent(real: string, file: string): { hash: string; stat: fs.BigIntStats; box: { text: string | undefined } } {
  let content: RegularTextContent;
  try {
    content = readRegularTextSync(real, MAX_EXECUTIONS_FILE_BYTES);
  } catch (e) {
    throw readError(e, file);
  }
  return { hash: content.hash, stat: content.stat, box: { text: content.text } };
}

function parseTextOnce(box: { text: string | undefined }, file: string, size: number): ExecutionsFile {
  collectAfterRead(size); // the pieces the text was joined from
  const parsed = parseExecutionsText(box.text as string, file);
  box.text = undefined;
  if (!parsed.ok) throw parsed.error;
  return parsed.doc;
}

/** The file is not UTF-8 or has a NUL byte: read its bytes again to say where (or parse them, if it changed). */
function parseBytes(real: string, file: string): ExecutionsFile {
  let bytes: Buffer;
  try {
    bytes = readRegularFileContentSync(real, MAX_EXECUTIONS_FILE_BYTES).bytes;
  } catch (e) {
    throw readError(e, file);
  }
  const parsed = parseExecutionsBytes(bytes, file);
  if (!parsed.ok) throw parsed.error;
  return parsed.doc;
}

/** Reads and validates. A missing file throws ExecutionsFileError (code 'ENOENT', "... not found"). */
export async function loadExecutions(file: string): Promise<LoadedExecutions> {
  let bytes: Buffer;
  try {
    ({ bytes } = readRegularFileContentSync(file, MAX_EXECUTIONS_FILE_BYTES));
  } catch (e) {
    throw readError(e, file);
  }
  const parsed = parseExecutionsBytes(bytes, file);
  if (!parsed.ok) throw parsed.error;
  // The hash is computed on first use: readers that never save (list, tree) do not pay for it.
  let version: string | undefined;
  let source: Buffer | undefined = bytes;
  return {
    doc: parsed.doc,
    get version(): string {
      version ??= contentHash(source as Buffer);
      source = undefined;
      return version;
    },
  };
}

export interface UpdateOptions extends LockOptions {
  /** Create the file (and its folder) when missing. Default false. */
  readonly create?: boolean;
  /**
   * Called after the new content is in its temp file, right before the file is compared with what
   * was read and replaced (with the temp file's path). For tests that make something happen in
   * that moment; not for production use.
   */
  readonly beforeReplace?: (tempFile: string) => Promise<void> | void;
}

/** What `mutate` returns: the new document and what the caller wants back. */
export interface Mutation<T> {
  readonly doc: ExecutionsFile;
  readonly result: T;
}

/** A finished read-modify-write: the caller's result, and whether the file was written. */
export interface UpdateOutcome<T> {
  readonly result: T;
  /** False when the new document serializes to the text already on disk (nothing was written). */
  readonly written: boolean;
}

/** The file as this process read it under the lock. */
interface Current {
  readonly doc: ExecutionsFile;
  /** sha256 of its bytes. */
  readonly hash: string;
  /** dev, inode, size, mtime and ctime in ns (see `identityOf`). */
  readonly identity: string;
  /** Permission bits. */
  readonly mode: number;
}

function identityOf(st: fs.BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** The file's identity now; undefined when it does not exist. */
async function identityNow(real: string, file: string): Promise<string | undefined> {
  try {
    return identityOf(await fsp.stat(real, { bigint: true }));
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw ioError(e, file, 'read');
  }
}

/** The last document this process read or wrote per real path, keyed by the file's identity then. */
const snapshots = new Map<string, Current>();

/**
 * Reads, hashes and validates the file at `real` (reporting it as `file`); undefined when it does
 * not exist. A file whose identity is the one this process last read or wrote is that content:
 * its parse is reused (any other writer's save changes the identity — a new inode, or new times).
 */
async function readCurrent(real: string, file: string): Promise<Current | undefined> {
  const identity = await identityNow(real, file);
  if (identity === undefined) return undefined;
  const cached = snapshots.get(real);
  if (cached?.identity === identity) return cached;
  let read: { doc: ExecutionsFile; hash: string; stat: fs.BigIntStats };
  try {
    read = await readText(real, file);
  } catch (e) {
    if (e instanceof ExecutionsFileError && e.code === 'ENOENT') return undefined;
    throw e;
  }
  const { doc, hash, stat } = read;
  return { doc, hash, identity: identityOf(stat), mode: Number(stat.mode & 0o7777n) };
}

/** The lock was lost while this process held it: nothing was written, the write starts again. */
class LockLost extends Error {}

/** Refuses to replace a file nobody may write (e.g. mode 0444): someone made it read-only on purpose. */
function checkWritable(current: Current | undefined, file: string): void {
  if (current && (current.mode & 0o222) === 0) {
    throw ExecutionsFileError.at(
      `the executions file is read-only (mode ${current.mode.toString(8).padStart(4, '0')}); nothing was written — make it writable (chmod u+w) to change it`,
      file,
      'IO',
    );
  }
}

type Commit = { readonly kind: 'done'; readonly written: boolean } | { readonly kind: 'changed' };

/**
 * Writes `doc` over the file read as `current` (undefined: the file did not exist), if the file is
 * still that one right before the rename. 'changed' when it is not (nothing written).
 */
async function commit(
  real: string,
  file: string,
  doc: ExecutionsFile,
  current: Current | undefined,
  lock: LockHandle,
  options: UpdateOptions,
): Promise<Commit> {
  const lostBefore = await lock.check();
  if (lostBefore) throw new LockLost(lostBefore.message);
  const tmp = await writeTempFile(real, serializeExecutionsPieces(doc), current?.mode, current?.hash);
  if (!tmp) {
    snapshots.set(real, current as Current);
    return { kind: 'done', written: false };
  }
  try {
    checkWritable(current, file);
    await options.beforeReplace?.(tmp.path);
    const lost = await lock.check();
    if (lost) throw new LockLost(lost.message);
    // Compare-and-swap: the file must still be what `doc` was computed from.
    const now = await identityNow(real, file);
    if (now !== current?.identity) {
      const fresh = now === undefined ? undefined : await readCurrent(real, file);
      if (fresh?.hash !== current?.hash) {
        await discardTempFile(tmp);
        return { kind: 'changed' };
      }
      checkWritable(fresh, file);
    }
  } catch (e) {
    await discardTempFile(tmp);
    throw e;
  }
  await putInPlace(tmp, real);
  const after = await identityNow(real, file);
  if (after !== undefined) snapshots.set(real, { doc, hash: tmp.hash, identity: after, mode: current?.mode ?? 0o644 });
  else snapshots.delete(real);
  return { kind: 'done', written: true };
}

/** Where the lock and the temp files of `file` go (its real path), with the folder made when `create`. */
async function prepareTarget(file: string, create: boolean): Promise<string> {
  const real = await realPathOf(file);
  if (!create) return real;
  try {
    await fsp.mkdir(path.dirname(real), { recursive: true });
  } catch (e) {
    throw ioError(e, file, 'create the folder of');
  }
  return realPathOf(file);
}

/** Runs `body` under the lock of `real`, again (from a fresh read) when the lock was lost meanwhile. */
async function underLock<T>(
  real: string,
  file: string,
  options: LockOptions,
  prepare: () => Promise<void>,
  body: (lock: LockHandle) => Promise<T>,
): Promise<T> {
  let lostWhy = '';
  for (let attempt = 0; attempt < MAX_LOCK_ATTEMPTS; attempt++) {
    try {
      return await withFileLock(real, options, prepare, async (lock) => {
        await removeAbandonedTempFiles(real);
        return body(lock);
      });
    } catch (e) {
      if (!(e instanceof LockLost)) throw e;
      lostWhy = e.message;
    }
  }
  throw ExecutionsFileError.at(
    `lost the lock on the executions file while saving (${lostWhy}), ${MAX_LOCK_ATTEMPTS} times; nothing was written — try again`,
    file,
    'LOCKED',
  );
}

/**
 * Read-modify-write under the file's cross-process lock, saved atomically. `mutate` gets the
 * freshly read document (it may be async: it runs while the lock is held) and must be a function
 * of it: when the file changes before the save (a writer that does not lock), it is called again
 * with the new content. Its last result is returned. An invalid file on disk is not touched
 * (ExecutionsFileError). When `mutate` throws nothing is written. Nothing is written either when
 * the result serializes to the current text.
 */
export async function updateExecutionsFile<T>(
  file: string,
  mutate: (doc: ExecutionsFile) => Mutation<T> | Promise<Mutation<T>>,
  options?: UpdateOptions,
): Promise<UpdateOutcome<T>> {
  const opts = options ?? {};
  const create = opts.create === true;
  const real = await prepareTarget(file, create);
  const prepare = async (): Promise<void> => {
    if (create) return;
    try {
      await fsp.access(real);
    } catch (e) {
      throw ioError(e, file, 'open');
    }
  };
  return underLock(real, file, opts, prepare, async (lock) => {
    for (let attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
      const current = await readCurrent(real, file);
      if (current === undefined && !create) throw ExecutionsFileError.at('executions file not found', file, 'ENOENT');
      const base = current?.doc ?? emptyExecutionsFile();
      const { doc, result } = await mutate(base);
      const invalid = validateExecutionsDoc(doc, file, base);
      if (invalid) throw invalid;
      const done = await commit(real, file, doc, current, lock, opts);
      if (done.kind === 'done') return { result, written: done.written };
    }
    throw ExecutionsFileError.at(
      `the executions file kept changing while this change was being saved (${MAX_SAVE_ATTEMPTS} times: another program writes it without the lock); nothing was written — try again`,
      file,
      'CONFLICT',
    );
  });
}

/** `updateExecutionsFile` for callers that only want their result back. */
export async function updateExecutions<T>(
  file: string,
  mutate: (doc: ExecutionsFile) => Mutation<T> | Promise<Mutation<T>>,
  options?: UpdateOptions,
): Promise<T> {
  return (await updateExecutionsFile(file, mutate, options)).result;
}

/**
 * Saves a document the caller loaded earlier, but only if the file still has `expectedVersion`
 * (the `version` from loadExecutions). Otherwise throws ExecutionsFileError code 'CONFLICT' and
 * leaves the file alone. Returns the new version.
 */
export async function saveIfUnchanged(
  file: string,
  doc: ExecutionsFile,
  expectedVersion: string,
  options?: UpdateOptions,
): Promise<string> {
  const opts = options ?? {};
  const real = await prepareTarget(file, false);
  const prepare = async (): Promise<void> => {
    try {
      await fsp.access(real);
    } catch (e) {
      throw ioError(e, file, 'open');
    }
  };
  return underLock(real, file, opts, prepare, async (lock) => {
    const current = await readCurrent(real, file);
    if (current === undefined) {
      throw ExecutionsFileError.at('the executions file was deleted since it was loaded; not saved', file, 'CONFLICT');
    }
    if (current.hash !== expectedVersion) {
      throw ExecutionsFileError.at(
        'the executions file changed since it was loaded (another process wrote it); not saved — reload and try again',
        file,
        'CONFLICT',
      );
    }
    const invalid = validateExecutionsDoc(doc, file);
    if (invalid) throw invalid;
    const done = await commit(real, file, doc, current, lock, opts);
    if (done.kind === 'changed') {
      throw ExecutionsFileError.at(
        'the executions file changed while it was being saved (another program wrote it); not saved — reload and try again',
        file,
        'CONFLICT',
      );
    }
    return snapshots.get(real)?.hash ?? current.hash;
  });
}
