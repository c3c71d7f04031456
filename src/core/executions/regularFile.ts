/**
 * Reading files that must be regular files (the executions file, scenario files), without ever
 * blocking: the file is opened with O_NONBLOCK and checked with fstat on the open descriptor, so a
 * FIFO, a device (/dev/zero), a socket or a folder is refused at once instead of hanging or
 * reading forever, and the check and the read are about the same file (no stat-then-open race).
 */
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';

/** Why a path cannot be read as a regular file. */
export type NotRegularKind = 'directory' | 'FIFO' | 'character device' | 'block device' | 'socket' | 'special file';

/** A path that exists but is not a regular file. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(
    readonly file: string,
    readonly kind: NotRegularKind,
  ) {
    super(`${file}: is a ${kind}, not a regular file`);
    this.name = 'NotRegularFileError';
  }
}

/** A regular file larger than the caller's limit. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(
    readonly file: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${file}: too large (${size} bytes; the limit is ${limit})`);
    this.name = 'FileTooLargeError';
  }
}

/** What a path that is not a regular file is, from its stat. */
export function notRegularKindOf(st: fs.Stats | fs.BigIntStats): NotRegularKind {
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
 * anything else than a regular file, or a FileTooLargeError above `maxBytes`. Synchronous on
 * purpose: a large buffer read through the promise API stays referenced by its machinery for a
 * while after its last use, which kept 100 MB resident through the parse that followed.
 */
export function readRegularFileContentSync(file: string, maxBytes: number): RegularFileContent {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw new NotRegularFileError(file, notRegularKindOf(stat));
    if (stat.size > BigInt(maxBytes)) throw new FileTooLargeError(file, Number(stat.size), maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    let buf = Buffer.allocUnsafe(Math.max(Number(stat.size), 1));
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new FileTooLargeError(file, total, maxBytes);
      buf = Buffer.allocUnsafe(64 * 1024);
    }
    return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total), stat };
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes of `readRegularFileContentSync` (the CLI's scenario lookup). */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  return readRegularFileContentSync(file, maxBytes).bytes;
}

export interface RegularTextContent {
  /** The text (UTF-8, a byte-order mark kept); undefined when the bytes are not UTF-8 or hold a NUL byte. */
  readonly text: string | undefined;
  /** sha256 (hex) of the bytes. */
  readonly hash: string;
  readonly stat: fs.BigIntStats;
}

/**
 * Reads a regular file as UTF-8 text and hashes its bytes, a megabyte at a time through one
 * reused buffer: the whole file never exists as bytes, only as the text (for a 100 MB file that is
 * 100 MB less resident during the parse that follows, since a large buffer is freed only some time
 * after its last use). A caller that gets `text: undefined` reads the bytes again to say where the
 * problem is.
 */
export function readRegularTextSync(file: string, maxBytes: number): RegularTextContent {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw new NotRegularFileError(file, notRegularKindOf(stat));
    if (stat.size > BigInt(maxBytes)) throw new FileTooLargeError(file, Number(stat.size), maxBytes);
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    const pieces: string[] = [];
    let valid = true;
    let total = 0;
    let carry = 0; // bytes of a character cut by the end of the previous read, moved to the front
    for (;;) {
      const n = fs.readSync(fd, buf, carry, buf.length - carry, null);
      if (n === 0) {
        if (carry > 0) valid = false; // the file ends inside a character
        break;
      }
      total += n;
      if (total > maxBytes) throw new FileTooLargeError(file, total, maxBytes);
      hash.update(buf.subarray(carry, carry + n));
      const end = carry + n;
      if (!valid) {
        carry = 0;
        continue;
      }
      const cut = completeUtf8Prefix(buf, end);
      const piece = buf.subarray(0, cut);
      // toString of valid UTF-8 makes one-byte strings for ASCII (a TextDecoder stream would not).
      if (piece.includes(0) || !isUtf8(piece)) valid = false;
      else pieces.push(piece.toString('utf8'));
      buf.copyWithin(0, cut, end);
      carry = end - cut;
    }
    return { text: valid ? pieces.join('') : undefined, hash: hash.digest('hex'), stat };
  } finally {
    fs.closeSync(fd);
  }
}

/** Length of the longest prefix of `buf[0, end)` that does not end inside a UTF-8 character. */
function completeUtf8Prefix(buf: Buffer, end: number): number {
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const c = buf[i];
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return i + len > end ? i : end;
  }
  return end;
}
