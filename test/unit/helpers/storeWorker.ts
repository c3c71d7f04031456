// Child-process script for the store's multi-process and crash tests (forked by
// store.multiprocess.test.ts and store.crash.test.ts). Does nothing unless forked with an IPC
// channel, so a test runner that picks it up runs it harmlessly.
import type { ExecutionsFile, IncompleteExecution } from '../../../src/core/executions/model';
import { updateExecutions } from '../../../src/core/executions/store';

/** The record a worker owns for operation `k` (each worker cycles over 5 records). */
export function recordId(worker: number, k: number): string {
  return `w${worker}-r${k % 5}`;
}

/** Note written into the history entry of operation `k` of `worker`. */
export function opNote(worker: number, k: number): string {
  return `w${worker}:op${k}`;
}

function newRecord(id: string, at: string, note: string): IncompleteExecution {
  return {
    id,
    scenario: 'Invoice export',
    scenarioFile: 'scenarios/invoice-export.scenario.yaml',
    moduleId: 2,
    error: { type: 'ConnectionError', message: 'ECONNRESET' },
    status: 'pending',
    autoRetry: true,
    attempts: 1,
    maxAttempts: 8,
    nextRetryAt: null,
    created: at,
    updated: at,
    history: [{ at, action: 'op', note }],
  };
}

/** Adds the worker's record for op k, or appends a history entry to it. */
export function applyOp(doc: ExecutionsFile, worker: number, k: number): ExecutionsFile {
  const id = recordId(worker, k);
  const at = new Date().toISOString();
  const note = opNote(worker, k);
  const index = doc.executions.findIndex((e) => e.id === id);
  if (index < 0) return { ...doc, executions: [...doc.executions, newRecord(id, at, note)] };
  const executions = doc.executions.slice();
  const old = executions[index];
  executions[index] = { ...old, attempts: old.attempts + 1, updated: at, history: [...old.history, { at, action: 'op', note }] };
  return { ...doc, executions };
}

/** The deterministic "large document" of generation `n` used by the crash test. */
export function crashDoc(n: number, records: number): ExecutionsFile {
  const executions: IncompleteExecution[] = [];
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  for (let i = 0; i < records; i++) {
    executions.push({
      id: `gen-${i}`,
      scenario: 'Lead sync',
      moduleId: 3,
      error: { type: 'RateLimitError', message: `generation ${n} record ${i}` },
      status: 'pending',
      autoRetry: true,
      attempts: n % 8,
      maxAttempts: 8,
      nextRetryAt: at,
      created: at,
      updated: at,
      bundle: { payload: 'x'.repeat(64), n, i },
      history: [],
    });
  }
  return { version: 1, generation: n, executions };
}

/** A record with this id and note (for the race tests). */
export function plainRecord(id: string, note: string): IncompleteExecution {
  return newRecord(id, new Date().toISOString(), note);
}

type Command =
  | { readonly mode: 'ops'; readonly file: string; readonly worker: number; readonly count: number; readonly staleMs?: number }
  /** One update adding record `id`; inside it (lock held) tell the parent, then wait for 'release' or spin `busyMs` synchronously. */
  | { readonly mode: 'hold'; readonly file: string; readonly id: string; readonly busyMs?: number; readonly staleMs?: number }
  /** One update adding record `id` that stops right before the file is replaced until the parent says 'go'. */
  | { readonly mode: 'pause-before-replace'; readonly file: string; readonly id: string }
  | { readonly mode: 'crash'; readonly file: string; readonly records: number };

/** Resolves at the next IPC message equal to `what`. */
function nextMessage(what: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: unknown): void => {
      if (m === what) {
        process.off('message', on);
        resolve();
      }
    };
    process.on('message', on);
  });
}

function addRecord(doc: ExecutionsFile, id: string, note: string): ExecutionsFile {
  return { ...doc, executions: [...doc.executions, plainRecord(id, note)] };
}

async function main(cmd: Command): Promise<void> {
  if (cmd.mode === 'ops') {
    const options = { create: true, lockTimeoutMs: 120_000, ...(cmd.staleMs !== undefined ? { staleMs: cmd.staleMs } : {}) };
    for (let k = 0; k < cmd.count; k++) {
      await updateExecutions(cmd.file, (doc) => ({ doc: applyOp(doc, cmd.worker, k), result: undefined }), options);
    }
    process.send?.({ done: true });
    return;
  }
  if (cmd.mode === 'hold') {
    const options = { create: true, lockTimeoutMs: 120_000, ...(cmd.staleMs !== undefined ? { staleMs: cmd.staleMs } : {}) };
    await updateExecutions(
      cmd.file,
      async (doc) => {
        process.send?.({ holding: true });
        if (cmd.busyMs !== undefined) {
          // A live owner busy with synchronous work: no timer of this process runs meanwhile.
          const end = Date.now() + cmd.busyMs;
          while (Date.now() < end) {
            // spin
          }
        } else {
          await nextMessage('release');
        }
        return { doc: addRecord(doc, cmd.id, 'hold'), result: undefined };
      },
      options,
    );
    process.send?.({ done: true });
    return;
  }
  if (cmd.mode === 'pause-before-replace') {
    let paused = 0;
    await updateExecutions(cmd.file, (doc) => ({ doc: addRecord(doc, cmd.id, 'pause'), result: undefined }), {
      lockTimeoutMs: 120_000,
      beforeReplace: async () => {
        // Only the first attempt waits: a re-applied change goes straight through.
        if (paused++ > 0) return;
        process.send?.({ paused: true });
        await nextMessage('go');
      },
    });
    process.send?.({ done: true, attempts: paused });
    return;
  }
  // crash: rewrite the whole document forever, one generation after another, until killed.
  const started = Date.now();
  let first = true;
  for (;;) {
    const n = await updateExecutions(cmd.file, (doc) => {
      const next = (typeof doc.generation === 'number' ? doc.generation : 0) + 1;
      return { doc: crashDoc(next, cmd.records), result: next };
    });
    process.send?.({ written: n, firstWriteMs: first ? Date.now() - started : undefined });
    first = false;
  }
}

if (require.main === module && typeof process.send === 'function') {
  process.once('message', (cmd: Command) => {
    process.send?.({ started: process.pid });
    main(cmd).then(
      () => process.disconnect(),
      (e: unknown) => {
        process.send?.({ error: e instanceof Error ? e.message : String(e) });
        process.disconnect();
      },
    );
  });
}
