// Writers that race in the ways a lock on one path with an age-based takeover cannot handle: a
// live owner that is slow or stopped past the stale time, two paths to one file (a symbolic link),
// and a person's edit saved while a write is in progress. Real processes, the real file system;
// every wait is bounded by the test's timeout, and only outcomes are asserted.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadExecutions, serializeExecutions } from '../../src/core/executions/store';
import { opNote, plainRecord, recordId } from './helpers/storeWorker';

const WORKER_SCRIPT = path.join(__dirname, 'helpers', 'storeWorker.js');

interface Worker {
  readonly child: ChildProcess;
  /** Resolves at the first message that has `key`. */
  next(key: string): Promise<Record<string, unknown>>;
  /** Resolves when the worker exits after reporting done; rejects on its error. */
  readonly finished: Promise<void>;
}

/** Every worker started, so a failed test does not leave one behind (a stopped one would block the runner). */
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const c of started) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
  }
  started.clear();
});

function startWorker(cmd: Record<string, unknown>): Worker {
  const child = fork(WORKER_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  started.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const seen: Record<string, unknown>[] = [];
  const waiters: { key: string; resolve: (m: Record<string, unknown>) => void }[] = [];
  let failure: string | undefined;
  let done = false;
  child.on('message', (m: Record<string, unknown>) => {
    if (typeof m.error === 'string') failure = m.error;
    if (m.done === true) done = true;
    seen.push(m);
    for (const w of [...waiters]) {
      if (w.key in m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const finished = new Promise<void>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (failure) reject(new Error(`worker ${String(cmd.mode)}: ${failure}`));
      else if (!done) reject(new Error(`worker ${String(cmd.mode)} exited with ${code ?? signal} before it was done: ${stderr}`));
      else resolve();
    });
  });
  // Make sure an unawaited rejection does not crash the runner before the test looks at it.
  finished.catch(() => undefined);
  child.send(cmd);
  return {
    child,
    finished,
    next: (key) =>
      new Promise((resolve, reject) => {
        const hit = seen.find((m) => key in m);
        if (hit) return resolve(hit);
        waiters.push({ key, resolve });
        finished.then(() => reject(new Error(`worker ${String(cmd.mode)} finished without sending "${key}"`)), reject);
      }),
  };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function tmpDir(): Promise<string> {
  return fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-race-')));
}

async function ids(file: string): Promise<string[]> {
  return (await loadExecutions(file)).doc.executions.map((e) => e.id).sort();
}

function docText(recordIds: readonly string[]): string {
  return serializeExecutions({ version: 1, executions: recordIds.map((id) => plainRecord(id, 'seed')) });
}

const STALE_MS = 2000;

for (const how of ['stopped (SIGSTOP)', 'busy with synchronous work'] as const) {
  test(
    `a live lock owner ${how} past the stale time keeps its lock: the other writer waits, both updates are kept`,
    { timeout: 120_000 },
    async () => {
      const dir = await tmpDir();
      const file = path.join(dir, 'incomplete-executions.json');
      try {
        await fsp.writeFile(file, docText(['seed']));
        const rounds = 2;
        for (let round = 0; round < rounds; round++) {
          const owner = startWorker({
            mode: 'hold',
            file,
            id: `owner-${round}`,
            staleMs: STALE_MS,
            ...(how === 'busy with synchronous work' ? { busyMs: 2.5 * STALE_MS } : {}),
          });
          await owner.next('holding');
          if (how === 'stopped (SIGSTOP)') owner.child.kill('SIGSTOP');
          const other = startWorker({ mode: 'ops', file, worker: round, count: 1, staleMs: STALE_MS });
          if (how === 'stopped (SIGSTOP)') {
            // Well past the stale time, the stopped owner still holds the lock: the other writer has not written.
            await delay(2 * STALE_MS);
            assert.ok(!(await ids(file)).includes(recordId(round, 0)), `round ${round}: nobody wrote while the owner was stopped`);
            owner.child.kill('SIGCONT');
            owner.child.send('release');
          }
          await owner.finished;
          await other.finished;
          const now = await ids(file);
          assert.ok(now.includes(`owner-${round}`), `round ${round}: the slow owner's update is kept`);
          assert.ok(now.includes(recordId(round, 0)), `round ${round}: the other writer's update is kept`);
          const rec = (await loadExecutions(file)).doc.executions.find((e) => e.id === recordId(round, 0));
          assert.equal(rec?.history[0]?.note, opNote(round, 0));
        }
        assert.equal((await ids(file)).length, 1 + 2 * rounds, 'no record lost, none duplicated');
        assert.deepEqual((await fsp.readdir(dir)).sort(), ['incomplete-executions.json'], 'no lock or temp file left');
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    },
  );
}

test('two paths to one file (a symbolic link and the real path): concurrent writers lose nothing', { timeout: 180_000 }, async () => {
  const dir = await tmpDir();
  const real = path.join(dir, 'store', 'incomplete-executions.json');
  const fusion = path.join(dir, 'ws', '.fusion');
  const link = path.join(fusion, 'incomplete-executions.json');
  try {
    await fsp.mkdir(path.dirname(real), { recursive: true });
    await fsp.mkdir(fusion, { recursive: true });
    await fsp.writeFile(real, docText([]));
    await fsp.symlink(real, link);
    const WORKERS = 6;
    const OPS = 15;
    const workers = Array.from({ length: WORKERS }, (_, w) =>
      startWorker({ mode: 'ops', file: w % 2 === 0 ? link : real, worker: w, count: OPS }),
    );
    const outcomes = await Promise.allSettled(workers.map((w) => w.finished));
    const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason));
    assert.deepEqual(failed, [], 'every writer finished without an error');
    const { doc } = await loadExecutions(real);
    let lost = 0;
    for (let w = 0; w < WORKERS; w++) {
      for (let k = 0; k < OPS; k++) {
        const rec = doc.executions.find((e) => e.id === recordId(w, k));
        if (!rec || !rec.history.some((h) => h.note === opNote(w, k))) lost++;
      }
    }
    assert.equal(lost, 0, `${lost} of ${WORKERS * OPS} updates lost`);
    assert.equal((await fsp.lstat(link)).isSymbolicLink(), true, 'the link is still a link (the real file was replaced)');
    assert.deepEqual(
      await fsp.readdir(path.dirname(real)),
      ['incomplete-executions.json'],
      'no lock or temp file left beside the real file',
    );
    assert.deepEqual(await fsp.readdir(fusion), ['incomplete-executions.json'], 'nothing left beside the link');
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});

for (const style of ['in place', 'by rename (as editors that save atomically do)'] as const) {
  test(`a person's edit saved ${style} while a write is in progress is kept, and so is the write`, { timeout: 60_000 }, async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'incomplete-executions.json');
    try {
      await fsp.writeFile(file, docText(['a', 'b']));
      const writer = startWorker({ mode: 'pause-before-replace', file, id: 'by-the-cli' });
      await writer.next('paused');
      // The writer holds the lock and has its new content ready; a person saves an edit now.
      const edited = (await fsp.readFile(file, 'utf8')).replace('"id": "b"', '"id": "b-edited-by-hand"');
      if (style === 'in place') await fsp.writeFile(file, edited);
      else {
        await fsp.writeFile(`${file}.editor-swap`, edited);
        await fsp.rename(`${file}.editor-swap`, file);
      }
      writer.child.send('go');
      await writer.finished;
      assert.deepEqual(await ids(file), ['a', 'b-edited-by-hand', 'by-the-cli'], 'the edit and the write are both in the file');
      assert.deepEqual(await fsp.readdir(dir), ['incomplete-executions.json']);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
}
