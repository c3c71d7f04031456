// Many real Node processes write one executions file at the same time: no update may be lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadExecutions } from '../../src/core/executions/store';
import { opNote, recordId } from './helpers/storeWorker';

const WORKERS = 8;
const OPS = 50;
const WORKER_SCRIPT = path.join(__dirname, 'helpers', 'storeWorker.js');

function runWorker(file: string, worker: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let failure: string | undefined;
    let done = false;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: { done?: boolean; error?: string }) => {
      if (m.done) done = true;
      if (m.error) failure = m.error;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (failure) reject(new Error(`worker ${worker}: ${failure}`));
      else if (code !== 0 || !done) reject(new Error(`worker ${worker} exited with ${code}: ${stderr}`));
      else resolve();
    });
    child.send({ mode: 'ops', file, worker, count: OPS });
  });
}

test(`${WORKERS} processes x ${OPS} updates on one file lose nothing`, { timeout: 180_000 }, async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-mp-'));
  // The file and its folder do not exist yet: the first writers race to create it.
  const file = path.join(dir, '.fusion', 'incomplete-executions.json');
  try {
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker(file, w)));

    const { doc } = await loadExecutions(file);
    assert.equal(doc.executions.length, WORKERS * 5, 'every worker created its 5 records exactly once');
    const byId = new Map(doc.executions.map((e) => [e.id, e]));
    let entries = 0;
    for (let w = 0; w < WORKERS; w++) {
      for (let k = 0; k < OPS; k++) {
        const rec = byId.get(recordId(w, k));
        assert.ok(rec, `record ${recordId(w, k)} exists`);
        const notes = rec.history.map((h) => h.note);
        assert.ok(notes.includes(opNote(w, k)), `operation ${opNote(w, k)} is in the history of ${rec.id}`);
      }
      for (let r = 0; r < 5; r++) {
        const rec = byId.get(`w${w}-r${r}`);
        assert.ok(rec);
        entries += rec.history.length;
        // attempts starts at 1 and every later op on the record increments it once
        assert.equal(rec.attempts, rec.history.length, `${rec.id}: attempts follow the ops`);
        // the ops of one worker on one record are in order
        const ks = rec.history.map((h) => Number(String(h.note).split(':op')[1]));
        assert.deepEqual(
          ks,
          [...ks].sort((a, b) => a - b),
        );
      }
    }
    assert.equal(entries, WORKERS * OPS, 'no duplicated or lost history entries');
    // The lock is gone and no temp files are left behind.
    const left = (await fsp.readdir(path.dirname(file))).sort();
    assert.deepEqual(left, ['incomplete-executions.json']);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});
