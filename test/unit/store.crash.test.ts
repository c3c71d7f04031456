// A writer killed with SIGKILL in the middle of saving never leaves a truncated or mixed file, and
// its abandoned lock does not block the next writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadExecutions, serializeExecutions, updateExecutions } from '../../src/core/executions/store';
import { crashDoc } from './helpers/storeWorker';

const WORKER_SCRIPT = path.join(__dirname, 'helpers', 'storeWorker.js');
const RECORDS = 4000; // ~1.8 MB per save: a save takes long enough to be hit mid-write
const ROUNDS = 20;

interface Progress {
  written: number;
  firstWriteMs?: number;
}

/** Starts a crash-mode writer; resolves once it has written `writes` generations. */
function startWriter(file: string, writes: number): Promise<{ child: ChildProcess; progress: Progress }> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const progress: Progress = { written: -1 };
    let count = 0;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: { written?: number; firstWriteMs?: number; error?: string }) => {
      if (m.error) reject(new Error(m.error));
      if (typeof m.written === 'number') {
        progress.written = m.written;
        if (m.firstWriteMs !== undefined) progress.firstWriteMs = m.firstWriteMs;
        if (++count === writes) resolve({ child, progress });
      }
    });
    child.on('exit', (code, signal) => {
      if (count < writes) reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`));
    });
    child.send({ mode: 'crash', file, records: RECORDS });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test(`SIGKILL during saves (${ROUNDS} rounds) leaves the old or the new document, never a broken one`, { timeout: 300_000 }, async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-crash-'));
  const file = path.join(dir, 'incomplete-executions.json');
  try {
    await fsp.writeFile(file, serializeExecutions(crashDoc(0, RECORDS)));
    let lastSeen = 0;
    let roundsKilledHoldingLock = 0;
    let roundsKilledMidWrite = 0;
    const killedPids: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Wait for one completed save (this proves the previous round's abandoned lock was taken
      // over; the test's own timeout bounds the wait), then kill at a varying moment during the
      // following saves. No timing is asserted: a loaded CI machine may be slow, not wrong.
      const { child, progress } = await startWriter(file, 1);
      assert.ok(progress.firstWriteMs !== undefined, `round ${round}: the next writer saved after the previous one was killed`);
      // That save ran under the lock it took over: every leftover of the killed writers is gone.
      const afterSave = await fsp.readdir(dir);
      for (const pid of killedPids) {
        assert.deepEqual(
          afterSave.filter((e) => e.includes(`-${pid}-`)),
          [],
          `round ${round}: the temp files of killed writer ${pid} were removed`,
        );
      }
      assert.deepEqual(
        afterSave.filter((e) => e.includes('.dead-') || e.endsWith('.break')),
        [],
        `round ${round}: no breaker leftovers`,
      );
      await delay(5 + ((round * 37) % 120));
      await killed(child);
      killedPids.push(child.pid as number);

      const entries = await fsp.readdir(dir);
      if (entries.includes('incomplete-executions.json.lock')) roundsKilledHoldingLock++;
      if (entries.some((e) => e.includes(`.fusion-tmp-`) && e.includes(`-${child.pid}-`))) roundsKilledMidWrite++;
      const text = await fsp.readFile(file, 'utf8');
      const { doc } = await loadExecutions(file); // parses and validates
      const generation = doc.generation;
      assert.equal(typeof generation, 'number');
      const n = generation as number;
      assert.ok(n >= lastSeen && n >= progress.written, `round ${round}: generation ${n} never goes backwards`);
      // Byte-for-byte one complete generation: not truncated, not a mix of two saves.
      assert.equal(text, serializeExecutions(crashDoc(n, RECORDS)), `round ${round}: the file is exactly generation ${n}`);
      lastSeen = n;
    }
    assert.ok(lastSeen >= ROUNDS, 'every round saved at least once');
    console.log(
      `killed holding the lock: ${roundsKilledHoldingLock}/${ROUNDS}; killed with a temp file written: ${roundsKilledMidWrite}/${ROUNDS}`,
    );
    // The test must really hit writers inside their critical section, and mid-write (a temp file
    // on disk): those are the kills that could leave a broken file or garbage behind.
    assert.ok(roundsKilledHoldingLock > 0, 'some kills hit a writer holding the lock');
    assert.ok(roundsKilledMidWrite > 0, 'some kills hit a writer with its temp file written');

    // One more ordinary save cleans up: no lock, no abandoned temp file, nothing else is left.
    const { child } = await startWriter(file, 1);
    await killed(child);
    await updateExecutions(file, (doc) => ({ doc, result: undefined }));
    const rest = (await fsp.readdir(dir)).filter((e) => e !== 'incomplete-executions.json');
    assert.deepEqual(rest, [], 'no lock, temp file or breaker leftover is left');
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});
