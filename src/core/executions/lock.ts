/**
 * The cross-process lock every write of the executions file holds: a `<file>.lock` directory made
 * by proper-lockfile (the atomic `mkdir` works the same for two CLI runs, the CLI and VS Code, or
 * any other cooperating tool), plus an in-process queue per file so one process does not poll
 * against itself.
 *
 * A lock is broken when it is stale (proper-lockfile refreshes the directory's mtime while it is
 * held; one older than `staleMs` belonged to a writer that hung or died), and at once when its
 * owner record (`<file>.lock-owner`: pid, host, and the lock directory's inode + birth time) names
 * a process on this machine that no longer exists.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as lockfile from 'proper-lockfile';
import { ExecutionsFileError, ioError } from './fileError';

export interface LockOptions {
  /** A lock older than this (ms) is considered stale and broken. Default 10000 (minimum 2000). */
  readonly staleMs?: number;
  /** How long to keep trying to get the lock (ms). Default 30000. */
  readonly lockTimeoutMs?: number;
}

/** Tells the holder of the lock whether it was lost meanwhile (an Error saying how), so it writes nothing. */
export type LockCompromised = () => Error | undefined;

const DEFAULT_STALE_MS = 10_000;
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly ino: number;
  readonly birth: number;
}

const lockDir = (file: string): string => `${file}.lock`;
const ownerFile = (file: string): string => `${file}.lock-owner`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Breaks a lock whose recorded owner is a process on this machine that no longer exists (killed,
 * crashed). The owner record names the lock directory by inode + birth time, so a record left over
 * from an earlier lock never matches a newer one.
 */
async function breakDeadLock(file: string): Promise<boolean> {
  let owner: Owner;
  try {
    owner = JSON.parse(await fsp.readFile(ownerFile(file), 'utf8')) as Owner;
  } catch {
    return false;
  }
  if (owner.host !== os.hostname() || !owner.birth || owner.pid === process.pid || isAlive(owner.pid)) return false;
  const dir = lockDir(file);
  try {
    const st = await fsp.stat(dir);
    if (st.ino !== owner.ino || st.birthtimeMs !== owner.birth) return false;
    const moved = `${dir}.dead-${randomBytes(6).toString('hex')}`;
    await fsp.rename(dir, moved);
    const st2 = await fsp.stat(moved);
    if (st2.ino !== owner.ino || st2.birthtimeMs !== owner.birth) {
      // Someone else's fresh lock was moved in between: put it back.
      await fsp.rename(moved, dir).catch(() => fsp.rm(moved, { recursive: true, force: true }));
      return false;
    }
    await fsp.rm(moved, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** In-process queue per file, so one process does not poll against itself. */
const localQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while holding the lock on `file` (an absolute path). `prepare` runs first, in this
 * process's turn but before the lock is taken (e.g. create the folder the lock directory goes in).
 */
export async function withFileLock<T>(
  file: string,
  options: LockOptions,
  prepare: () => Promise<void>,
  fn: (isCompromised: LockCompromised) => Promise<T>,
): Promise<T> {
  const previous = localQueues.get(file) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      await prepare();
      return withCrossProcessLock(file, options, fn);
    });
  const tail = run.catch(() => undefined);
  localQueues.set(file, tail);
  try {
    return await run;
  } finally {
    if (localQueues.get(file) === tail) localQueues.delete(file);
  }
}

async function withCrossProcessLock<T>(file: string, options: LockOptions, fn: (isCompromised: LockCompromised) => Promise<T>): Promise<T> {
  let compromised: Error | undefined;
  const stale = Math.max(options.staleMs ?? DEFAULT_STALE_MS, 2000);
  const deadline = Date.now() + (options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  let delay = 5;
  let release: (() => Promise<void>) | undefined;
  for (;;) {
    try {
      release = await lockfile.lock(file, {
        realpath: false,
        stale,
        retries: 0,
        onCompromised: (err: Error) => {
          compromised = err;
        },
      });
      break;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code !== 'ELOCKED') throw ioError(e, file, 'lock');
      if (await breakDeadLock(file)) continue;
      if (Date.now() >= deadline) {
        throw ExecutionsFileError.at(
          `the executions file is locked by another process (${lockDir(file)}); try again later`,
          file,
          'LOCKED',
        );
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 1.5, 100);
    }
  }
  try {
    try {
      const st = await fsp.stat(lockDir(file));
      const owner: Owner = { pid: process.pid, host: os.hostname(), ino: st.ino, birth: st.birthtimeMs };
      await fsp.writeFile(ownerFile(file), JSON.stringify(owner));
    } catch {
      // Without an owner record only the stale-time rule can break this lock; that is fine.
    }
    return await fn(() => compromised);
  } finally {
    await fsp.rm(ownerFile(file), { force: true }).catch(() => undefined);
    await release().catch(() => undefined);
  }
}
