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

type Command =
  | { readonly mode: 'ops'; readonly file: string; readonly worker: number; readonly count: number }
  | { readonly mode: 'crash'; readonly file: string; readonly records: number };

async function main(cmd: Command): Promise<void> {
  if (cmd.mode === 'ops') {
    for (let k = 0; k < cmd.count; k++) {
      await updateExecutions(cmd.file, (doc) => ({ doc: applyOp(doc, cmd.worker, k), result: undefined }), { create: true });
    }
    process.send?.({ done: true });
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
    main(cmd).then(
      () => process.disconnect(),
      (e: unknown) => {
        process.send?.({ error: e instanceof Error ? e.message : String(e) });
        process.disconnect();
      },
    );
  });
}
