/**
 * Reading files that must be regular files (the executions file, scenario files), without ever
 * blocking: the file is opened with O_NONBLOCK and checked with fstat on the open descriptor, so a
 * FIFO, a device (/dev/zero), a socket or a folder is refused at once instead of hanging or
 * reading forever, and the check and the read are about the same file (no stat-then-open race).
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';

/** Why a path cannot be read as a regular file. */
export type NotRegularKind = 'directory' | 'FIFO' | 'character device' | 'block device' | 'socket' | 'special file';

/** A path that exists but is not a regular file. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly file: string, readonly kind: NotRegularKind) {
    super(`${file}: is a ${kind}, not a regular file`);
    this.name = 'NotRegularFileError';
  }
}

/** A regular file larger than the caller's limit. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(readonly file: string, readonly size: number, readonly limit: number) {
    super(`${file}: too large (${size} bytes; the limit is ${limit})`);
    this.name = 'FileTooLargeError';
  }
}

function kindOf(st: fs.Stats | fs.BigIntStats): NotRegularKind {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

// O_NONBLOCK makes open() of a FIFO return at once; on a regular file it changes nothing.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export interface RegularFileContent {
  readonly bytes: Buffer;
  /** fstat of the descriptor the bytes were read from (bigint: nanosecond times). */
  readonly stat: fs.BigIntStats;
}

/**
 * Reads a regular file whole. Throws the fs error (ENOENT, EACCES, ...), a NotRegularFileError for
 * anything else than a regular file, or a FileTooLargeError above `maxBytes`.
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<RegularFileContent> {
  const handle = await fsp.open(file, OPEN_FLAGS);
  try {
    const stat = await handle.stat({ bigint: true });
    if (!stat.isFile()) throw new NotRegularFileError(file, kindOf(stat));
    if (stat.size > BigInt(maxBytes)) throw new FileTooLargeError(file, Number(stat.size), maxBytes);
    const size = Number(stat.size);
    // Read what fstat announced, then keep reading to EOF in case the file grew meanwhile.
    const chunks: Buffer[] = [];
    let total = 0;
    let buf = Buffer.allocUnsafe(Math.max(size, 1));
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(file, total, maxBytes);
      buf = Buffer.allocUnsafe(64 * 1024);
    }
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    return { bytes, stat };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** `readRegularFile`, synchronously (the CLI's scenario lookup). */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(file, kindOf(stat));
    if (stat.size > maxBytes) throw new FileTooLargeError(file, stat.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    let buf = Buffer.allocUnsafe(Math.max(stat.size, 1));
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new FileTooLargeError(file, total, maxBytes);
      buf = Buffer.allocUnsafe(64 * 1024);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}
