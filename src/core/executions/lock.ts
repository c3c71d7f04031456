/**
 * The cross-process lock every write of the executions file holds: a `<real path>.lock` folder
 * made with an atomic `mkdir` (works the same for two CLI runs, the CLI and VS Code, or any other
 * cooperating tool), with an owner record inside (`owner.json`: pid, host, the process's start
 * time, a random token), plus an in-process queue per file so one process does not poll against
 * itself. Callers pass the file's real path (store.ts resolves symbolic links first), so two paths
 * to one file take one lock.
 *
 * When is a lock broken?
 * - Never while its owner lives. An owner on this machine is alive when its pid exists and, where
 *   the OS tells (Linux: /proc/<pid>/stat), was started at the recorded time — a reused pid is a
 *   different process. A live owner keeps its lock however long it works, even stopped (SIGSTOP)
 *   or busy with synchronous work: nothing depends on a timer of the owner.
 * - At once when its owner on this machine is dead (killed, crashed).
 * - When the owner cannot be checked — no readable owner record (e.g. a writer that died between
 *   `mkdir` and writing the record, or an older version of this tool), or an owner on another
 *   machine sharing the folder — only after `staleMs` (default 30 s) without a sign of life: the
 *   owner refreshes the folder's mtime every few seconds from a timer. A folder whose mtime lies in
 *   the future is reset to the present by the first writer that sees it, so a wrong clock cannot
 *   make a lock eternal.
 * Breaking takes a short-lived `<lock>.break` folder (one breaker at a time), re-checks the owner,
 * moves the lock folder to `<lock>.dead-<hex>` and deletes it; such leftovers (a breaker that died
 * half-way) and stale `.break` folders are removed by the next writer.
 *
 * The holder checks before replacing the file that the lock folder still holds its own token
 * (`LockHandle.check`): a lock broken meanwhile (only possible for an owner that looked dead or
 * stale) makes the write abort, and store.ts retries it from a fresh read.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutionsFileError, ioError } from './fileError';

export interface LockOptions {
  /**
   * How long (ms) a lock whose owner cannot be checked (no owner record, or another machine) may go
   * without a refresh before it is broken. Never applies to a live owner on this machine.
   * Default 30000 (minimum 1000).
   */
  readonly staleMs?: number;
  /** How long to keep trying to get the lock (ms). Default 40000 (longer than the default stale time). */
  readonly lockTimeoutMs?: number;
}

/** The held lock: `check()` says whether it is still ours (an Error saying why not). */
export interface LockHandle {
  check(): Promise<Error | undefined>;
}

const DEFAULT_STALE_MS = 30_000;
const DEFAULT_LOCK_TIMEOUT_MS = 40_000;
/** A `.break` folder older than this belongs to a breaker that died or hangs. */
const BREAK_STALE_MS = 10_000;

interface Owner {
  readonly pid: number;
  readonly host: string;
  /** The process's start time as the OS reports it (Linux: clock ticks since boot); null when unknown. */
  readonly start: string | null;
  readonly token: string;
  readonly since: string;
}

const lockDirOf = (file: string): string => `${file}.lock`;
const ownerPath = (dir: string): string => path.join(dir, 'owner.json');
const breakDirOf = (dir: string): string => `${dir}.break`;

/** Start time of process `pid` (field 22 of /proc/<pid>/stat), or null where the OS does not tell. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may contain spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

const ownStart = processStartTime(process.pid);
const hostName = os.hostname();

/** Whether the owner, a process on this machine, still runs (same pid and, where known, same start time). */
function ownerAlive(owner: Owner): boolean {
  if (owner.pid !== process.pid) {
    try {
      process.kill(owner.pid, 0);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'EPERM') return false;
    }
  }
  if (owner.start === null) return true;
  const now = owner.pid === process.pid ? ownStart : processStartTime(owner.pid);
  return now === null || now === owner.start;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string' && typeof o.token === 'string') {
      return {
        pid: o.pid,
        host: o.host,
        start: typeof o.start === 'string' ? o.start : null,
        token: o.token,
        since: String(o.since ?? ''),
      };
    }
  } catch {
    // unreadable: handled as "no owner record"
  }
  return undefined;
}

async function readOwner(dir: string): Promise<Owner | undefined> {
  try {
    return parseOwner(await fsp.readFile(ownerPath(dir), 'utf8'));
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What is known about a lock folder another writer holds. */
interface Seen {
  readonly ino: bigint;
  readonly mtimeMs: number;
  /** When this process first saw the folder with this inode and mtime. */
  readonly firstSeen: number;
}

/**
 * Whether the lock in `dir` may be broken now, and which owner / folder it was judged on (the
 * breaker re-checks exactly that). `seen` remembers folders across polls (future mtimes).
 */
async function judge(
  dir: string,
  staleMs: number,
  seen: Map<string, Seen>,
): Promise<{ breakable: false } | { breakable: true; ino: bigint; token: string | undefined; why: string }> {
  let st: fs.BigIntStats;
  try {
    st = await fsp.stat(dir, { bigint: true });
  } catch {
    return { breakable: false }; // gone: the next mkdir will tell
  }
  const owner = await readOwner(dir);
  if (owner && owner.host === hostName) {
    if (ownerAlive(owner)) return { breakable: false };
    return { breakable: true, ino: st.ino, token: owner.token, why: `its owner (pid ${owner.pid}) is not running` };
  }
  // No owner that can be checked: the age rule, on the folder's mtime (refreshed by a live owner).
  const now = Date.now();
  const mtimeMs = Number(st.mtimeNs / 1_000_000n);
  const key = `${st.ino}:${mtimeMs}`;
  let s = seen.get(key);
  if (!s) {
    s = { ino: st.ino, mtimeMs, firstSeen: now };
    seen.set(key, s);
  }
  if (mtimeMs > now + 2000) {
    // A clock ahead (or a bad touch): restart the folder's age from now, for every writer.
    const d = new Date(now);
    await fsp.utimes(dir, d, d).catch(() => undefined);
  }
  const age = mtimeMs > now ? now - s.firstSeen : now - mtimeMs;
  if (age <= staleMs) return { breakable: false };
  const who = owner ? `its owner on ${owner.host} (pid ${owner.pid})` : 'it has no owner record';
  return { breakable: true, ino: st.ino, token: owner?.token, why: `${who} and it was not refreshed for ${Math.round(age / 1000)} s` };
}

/** Removes a `.break` folder left by a breaker that died (older than BREAK_STALE_MS, or with a future mtime). */
async function removeStaleBreakDir(breakDir: string): Promise<void> {
  try {
    const st = await fsp.stat(breakDir);
    const age = Date.now() - st.mtimeMs;
    if (age > BREAK_STALE_MS || age < -BREAK_STALE_MS) await fsp.rm(breakDir, { recursive: true, force: true });
  } catch {
    // gone
  }
}

/**
 * Breaks the lock in `dir` if it is still the one judged (same folder inode and owner token), one
 * breaker at a time. Returns whether it was removed.
 */
async function breakLock(dir: string, judged: { ino: bigint; token: string | undefined }): Promise<boolean> {
  const breakDir = breakDirOf(dir);
  try {
    await fsp.mkdir(breakDir);
  } catch {
    await removeStaleBreakDir(breakDir);
    return false;
  }
  try {
    const st = await fsp.stat(dir, { bigint: true }).catch(() => undefined);
    if (!st || st.ino !== judged.ino) return false;
    const owner = await readOwner(dir);
    if (owner?.token !== judged.token) return false;
    const dead = `${dir}.dead-${randomBytes(6).toString('hex')}`;
    await fsp.rename(dir, dead);
    await fsp.rm(dead, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  } finally {
    await fsp.rm(breakDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** `<lock>.dead-<hex>` folders are unreachable by construction (only a breaker makes them, on its way to deleting them). */
async function removeBreakerLeftovers(dir: string): Promise<void> {
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}.dead-`;
  let names: string[];
  try {
    names = await fsp.readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && /^[0-9a-f]{12}$/.test(name.slice(prefix.length))) {
      await fsp.rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
  await removeStaleBreakDir(breakDirOf(dir));
}

/** Tries once to make the lock folder with our owner record. */
async function tryAcquire(dir: string, file: string, owner: Owner): Promise<boolean> {
  try {
    await fsp.mkdir(dir);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') return false;
    throw ioError(e, file, 'lock');
  }
  try {
    const tmp = path.join(dir, `owner.json.${owner.token}`);
    await fsp.writeFile(tmp, JSON.stringify(owner));
    await fsp.rename(tmp, ownerPath(dir));
  } catch (e) {
    await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(e, file, 'lock');
  }
  return true;
}

/** Takes the cross-process lock of `file` (its real path), waiting up to `lockTimeoutMs`. */
async function acquire(file: string, options: LockOptions): Promise<{ handle: LockHandle; release: () => Promise<void> }> {
  const dir = lockDirOf(file);
  const staleMs = Math.max(options.staleMs ?? DEFAULT_STALE_MS, 1000);
  const deadline = Date.now() + (options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  const owner: Owner = {
    pid: process.pid,
    host: hostName,
    start: ownStart,
    token: randomBytes(12).toString('hex'),
    since: new Date().toISOString(),
  };
  const seen = new Map<string, Seen>();
  let delay = 5;
  for (;;) {
    if (await tryAcquire(dir, file, owner)) break;
    const verdict = await judge(dir, staleMs, seen);
    if (verdict.breakable && (await breakLock(dir, verdict))) continue;
    if (Date.now() >= deadline) {
      const holder = await readOwner(dir);
      const who = holder ? ` (pid ${holder.pid}${holder.host !== hostName ? ` on ${holder.host}` : ''}, since ${holder.since})` : '';
      throw ExecutionsFileError.at(`the executions file is locked by another process${who} (${dir}); try again later`, file, 'LOCKED');
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 1.5, 100);
  }
  await removeBreakerLeftovers(dir);
  // A sign of life for writers that cannot check this process (another machine): the folder's mtime.
  const refresh = setInterval(
    () => {
      const now = new Date();
      fsp.utimes(dir, now, now).catch(() => undefined);
    },
    Math.max(250, Math.floor(staleMs / 4)),
  );
  refresh.unref();
  const handle: LockHandle = {
    async check() {
      const current = await readOwner(dir);
      if (current?.token === owner.token) return undefined;
      return new Error(current ? `the lock was taken over by pid ${current.pid}` : 'the lock folder was removed');
    },
  };
  const release = async (): Promise<void> => {
    clearInterval(refresh);
    // Only our own lock is removed (a lock broken and taken by another writer stays theirs).
    if ((await handle.check()) !== undefined) return;
    await fsp.rm(ownerPath(dir), { force: true }).catch(() => undefined);
    await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };
  return { handle, release };
}

/** In-process queue per file, so one process does not poll against itself. */
const localQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while holding the lock on `file` (an absolute real path). `prepare` runs first, in this
 * process's turn but before the lock is taken (e.g. create the folder the lock folder goes in).
 */
export async function withFileLock<T>(
  file: string,
  options: LockOptions,
  prepare: () => Promise<void>,
  fn: (lock: LockHandle) => Promise<T>,
): Promise<T> {
  const previous = localQueues.get(file) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      await prepare();
      const { handle, release } = await acquire(file, options);
      try {
        return await fn(handle);
      } finally {
        await release();
      }
    });
  const tail = run.catch(() => undefined);
  localQueues.set(file, tail);
  try {
    return await run;
  } finally {
    if (localQueues.get(file) === tail) localQueues.delete(file);
  }
}

/**
 * Takes the cross-process lock of `file` outside the in-process queue and keeps it until
 * `release` is called: for tools and tests that must hold the lock while something else runs.
 */
export async function holdFileLock(file: string, options: LockOptions = {}): Promise<{ release: () => Promise<void> }> {
  const { release } = await acquire(file, options);
  return { release };
}
