/**
 * Loading and saving the incomplete-executions file.
 *
 * Guarantees:
 * - Reading never throws for bad content it can describe: an invalid file is an
 *   ExecutionsFileError with a one-line message and a 1-based line/column (validate.ts).
 * - Writing never loses data: every write holds the file's cross-process lock (lock.ts), re-reads
 *   and re-validates the file, applies the caller's change to that fresh document and replaces
 *   the file atomically (atomicWrite.ts). An invalid file on disk is never overwritten.
 * - Fields the tool does not know (top level and per record) are kept: the parsed objects are
 *   passed through untouched.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { removeAbandonedTempFiles, writeAtomically } from './atomicWrite';
import { ExecutionsFileError, ioError } from './fileError';
import { withFileLock, type LockOptions } from './lock';
import type { ExecutionsFile } from './model';
import { parseExecutionsText, validateExecutionsDoc } from './validate';

/** A new, empty executions document. */
export function emptyExecutionsFile(): ExecutionsFile {
  return { version: 1, executions: [] };
}

/** The text the store writes: 2-space JSON and a trailing newline. */
export function serializeExecutions(doc: ExecutionsFile): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
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

async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw ioError(e, file, 'read');
  }
}

function parseDecoded(text: string, file: string): ExecutionsFile {
  const result = parseExecutionsText(text, file);
  if (!result.ok) throw result.error;
  return result.doc;
}

/** Reads and validates. A missing file throws ExecutionsFileError (code 'ENOENT', "... not found"). */
export async function loadExecutions(file: string): Promise<LoadedExecutions> {
  const bytes = await readBytes(file);
  if (bytes === undefined) throw ExecutionsFileError.at('executions file not found', file, 'ENOENT');
  const doc = parseDecoded(bytes.toString('utf8'), file);
  // The hash is computed on first use: readers that never save (list, tree) do not pay for it.
  let version: string | undefined;
  return {
    doc,
    get version(): string {
      version ??= contentHash(bytes);
      return version;
    },
  };
}

export interface UpdateOptions extends LockOptions {
  /** Create the file (and its folder) when missing. Default false. */
  readonly create?: boolean;
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

/** Creates the folder (`create`) or checks that the file exists, before the lock is taken. */
function prepareFor(file: string, create: boolean): () => Promise<void> {
  return async () => {
    if (create) {
      try {
        await fsp.mkdir(path.dirname(file), { recursive: true });
      } catch (e) {
        throw ioError(e, file, 'create the folder of');
      }
    } else {
      try {
        await fsp.access(file);
      } catch (e) {
        throw ioError(e, file, 'open');
      }
    }
  };
}

/**
 * Read-modify-write under the file's cross-process lock, saved atomically. `mutate` gets the
 * freshly read document (it may be async: it runs while the lock is held), so concurrent writers
 * never lose an update. An invalid file on disk is not touched (ExecutionsFileError). When
 * `mutate` throws nothing is written. Nothing is written either when the result serializes to the
 * current text.
 */
export async function updateExecutionsFile<T>(
  file: string,
  mutate: (doc: ExecutionsFile) => Mutation<T> | Promise<Mutation<T>>,
  options?: UpdateOptions,
): Promise<UpdateOutcome<T>> {
  const opts = options ?? {};
  const key = path.resolve(file);
  return withFileLock(key, opts, prepareFor(key, opts.create === true), async (isCompromised) => {
    await removeAbandonedTempFiles(key);
    let current: ExecutionsFile;
    let currentText: string | undefined;
    // Under the lock, a file whose identity (inode, size, mtime, ctime in ns) is the one this process
    // last read or wrote is the same content: reuse that parse instead of reading and validating
    // the whole file again. Any other writer's save changes the identity (atomic rename = new inode).
    const identity = await fileIdentity(file);
    const cached = snapshots.get(key);
    if (identity !== undefined && cached?.identity === identity) {
      current = cached.doc;
      currentText = cached.text;
    } else {
      const bytes = await readBytes(file);
      if (bytes === undefined) {
        if (!opts.create) throw ExecutionsFileError.at('executions file not found', file, 'ENOENT');
        current = emptyExecutionsFile();
      } else {
        currentText = bytes.toString('utf8');
        current = parseDecoded(currentText, file);
      }
    }
    const { doc, result } = await mutate(current);
    const invalid = validateExecutionsDoc(doc, file, current);
    if (invalid) throw invalid;
    const text = serializeExecutions(doc);
    const written = currentText !== text;
    if (written) await writeAtomically(file, text, isCompromised);
    const after = await fileIdentity(file);
    if (after !== undefined) snapshots.set(key, { identity: after, doc, text });
    else snapshots.delete(key);
    return { result, written };
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

/** The last document this process read or wrote per file, keyed by the file's identity then. */
const snapshots = new Map<string, { readonly identity: string; readonly doc: ExecutionsFile; readonly text: string }>();

/** inode, size, mtime and ctime in nanoseconds; undefined when the file does not exist. */
async function fileIdentity(file: string): Promise<string | undefined> {
  try {
    const st = await fsp.stat(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw ioError(e, file, 'read');
  }
}

/**
 * Saves a document the caller loaded earlier, but only if the file still has `expectedVersion`
 * (the `version` from loadExecutions). Otherwise throws ExecutionsFileError code 'CONFLICT' and
 * leaves the file alone. Returns the new version.
 */
export async function saveIfUnchanged(file: string, doc: ExecutionsFile, expectedVersion: string, options?: LockOptions): Promise<string> {
  const key = path.resolve(file);
  return withFileLock(key, options ?? {}, prepareFor(key, false), async (isCompromised) => {
    await removeAbandonedTempFiles(key);
    const bytes = await readBytes(file);
    if (bytes === undefined) {
      throw ExecutionsFileError.at('the executions file was deleted since it was loaded; not saved', file, 'CONFLICT');
    }
    if (contentHash(bytes) !== expectedVersion) {
      throw ExecutionsFileError.at(
        'the executions file changed since it was loaded (another process wrote it); not saved — reload and try again',
        file,
        'CONFLICT',
      );
    }
    const invalid = validateExecutionsDoc(doc, file);
    if (invalid) throw invalid;
    const text = serializeExecutions(doc);
    if (bytes.toString('utf8') !== text) await writeAtomically(file, text, isCompromised);
    return contentHash(Buffer.from(text, 'utf8'));
  });
}
