// The lock's takeover rules and the temp-file cleanup, on the real file system: only a dead owner
// (or, when the owner cannot be checked, an old enough lock) is broken; leftovers of a breaker
// that died are removed; only temp files of dead writers are deleted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutionsFileError } from '../../src/core/executions/fileError';
import { processStartTime } from '../../src/core/executions/lock';
import type { IncompleteExecution } from '../../src/core/executions/model';
import { loadExecutions, serializeExecutions, updateExecutions } from '../../src/core/executions/store';
import { plainRecord } from './helpers/storeWorker';

async function setup(): Promise<{ dir: string; file: string }> {
  const dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-lock-')));
  const file = path.join(dir, 'x.json');
  await fsp.writeFile(file, serializeExecutions({ version: 1, executions: [] }));
  return { dir, file };
}

const add = (id: string) => (doc: { version: 1; executions: readonly IncompleteExecution[] }) => ({
  doc: { ...doc, executions: [...doc.executions, plainRecord(id, id)] },
  result: id,
});

async function writeOwner(file: string, owner: Record<string, unknown>, mtime?: Date): Promise<void> {
  const dir = `${file}.lock`;
  await fsp.mkdir(dir);
  await fsp.writeFile(path.join(dir, 'owner.json'), JSON.stringify(owner));
  if (mtime) await fsp.utimes(dir, mtime, mtime);
}

/** A live process of ours (killed at the end of the test). */
function sleeper(): { pid: number; stop: () => void } {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  return { pid: child.pid as number, stop: () => void child.kill('SIGKILL') };
}

const locked = (e: unknown): boolean => e instanceof ExecutionsFileError && e.code === 'LOCKED';

describe('lock takeover', () => {
  test('a live owner on this machine is never broken, however old its lock', async () => {
    const { dir, file } = await setup();
    const s = sleeper();
    try {
      const old = new Date(Date.now() - 3600_000);
      await writeOwner(
        file,
        { pid: s.pid, host: os.hostname(), start: processStartTime(s.pid), token: 'live', since: old.toISOString() },
        old,
      );
      await assert.rejects(updateExecutions(file, add('a'), { staleMs: 1000, lockTimeoutMs: 1500 }), locked);
      assert.deepEqual((await loadExecutions(file)).doc.executions, []);
    } finally {
      s.stop();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  test('a dead owner is broken at once; so is a reused pid (same pid, another start time)', async () => {
    const { dir, file } = await setup();
    const s = sleeper();
    try {
      const fresh = new Date();
      // A pid that ran and exited.
      const gone = spawn(process.execPath, ['-e', '0']);
      await new Promise((r) => gone.on('exit', r));
      await writeOwner(file, { pid: gone.pid, host: os.hostname(), start: '1', token: 'dead', since: fresh.toISOString() }, fresh);
      assert.equal(await updateExecutions(file, add('a'), { staleMs: 3600_000, lockTimeoutMs: 5000 }), 'a');
      // A live pid, but not the process that took the lock.
      if (processStartTime(s.pid) !== null) {
        await writeOwner(
          file,
          { pid: s.pid, host: os.hostname(), start: 'not-its-start-time', token: 'reused', since: fresh.toISOString() },
          fresh,
        );
        assert.equal(await updateExecutions(file, add('b'), { staleMs: 3600_000, lockTimeoutMs: 5000 }), 'b');
      }
      assert.deepEqual(await fsp.readdir(dir), ['x.json']);
    } finally {
      s.stop();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  test('a lock without an owner record waits for the stale time; one with a future mtime is not eternal', async () => {
    const { dir, file } = await setup();
    try {
      await fsp.mkdir(`${file}.lock`);
      await assert.rejects(
        updateExecutions(file, add('a'), { staleMs: 60_000, lockTimeoutMs: 300 }),
        locked,
        'a fresh lock without owner is respected',
      );
      const future = new Date(Date.now() + 365 * 24 * 3600_000);
      await fsp.utimes(`${file}.lock`, future, future);
      assert.equal(
        await updateExecutions(file, add('a'), { staleMs: 1000, lockTimeoutMs: 10_000 }),
        'a',
        'broken once it has been seen for the stale time',
      );
      assert.deepEqual(await fsp.readdir(dir), ['x.json']);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  test('leftovers of a breaker that died (<lock>.dead-<hex>, a stale <lock>.break) are removed by the next write', async () => {
    const { dir, file } = await setup();
    try {
      await fsp.mkdir(`${file}.lock.dead-0123456789ab`);
      await fsp.writeFile(path.join(`${file}.lock.dead-0123456789ab`, 'owner.json'), '{}');
      await fsp.mkdir(`${file}.lock.break`);
      const old = new Date(Date.now() - 3600_000);
      await fsp.utimes(`${file}.lock.break`, old, old);
      await updateExecutions(file, add('a'));
      assert.deepEqual(await fsp.readdir(dir), ['x.json']);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  test('a lock lost before the rename: nothing is written, the change is applied again from a fresh read', async () => {
    const { dir, file } = await setup();
    try {
      let calls = 0;
      let broken = false;
      const result = await updateExecutions(
        file,
        (doc) => {
          calls++;
          return add('once')(doc);
        },
        {
          beforeReplace: async () => {
            if (broken) return;
            broken = true;
            // Someone took the lock away (as a breaker would).
            await fsp.rm(`${file}.lock`, { recursive: true, force: true });
          },
        },
      );
      assert.equal(result, 'once');
      assert.equal(calls, 2);
      assert.deepEqual(
        (await loadExecutions(file)).doc.executions.map((e) => e.id),
        ['once'],
      );
      assert.deepEqual(await fsp.readdir(dir), ['x.json']);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('temp files', () => {
  test("only temp files of dead writers on this machine are deleted; a person's files never", async () => {
    const { dir, file } = await setup();
    const s = sleeper();
    try {
      const host = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
      const gone = spawn(process.execPath, ['-e', '0']);
      await new Promise((r) => gone.on('exit', r));
      const dead = `.x.json.fusion-tmp-${host}-${gone.pid}-0123456789ab`;
      const live = `.x.json.fusion-tmp-${host}-${s.pid}-0123456789ab`;
      const people = ['x.json.1', 'x.json.20260101', 'x.json.bak', 'x.json.tmp', '.x.json.fusion-tmp-notmine'];
      for (const n of [dead, live, ...people]) await fsp.writeFile(path.join(dir, n), n);
      await updateExecutions(file, add('a'));
      const left = (await fsp.readdir(dir)).sort();
      assert.deepEqual(left, [live, ...people, 'x.json'].sort());
    } finally {
      s.stop();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
