// 100,000 records in the real extension host: how long the first level of the tree takes, and that
// a one-record change still refreshes one element. Prints the figures (`perf:` lines).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ExtensionApi } from '../../src/extension/api';
import type { ExecutionsTreeNode } from '../../src/extension/executions/tree/treeNodes';
import type { ExecutionStatus, IncompleteExecution } from '../../src/core/executions/model';
import { executionsApi, executionsPath, FixtureFile, waitForModel } from './executionsSupport';

const COUNT = 100_000;
const STATUSES: ExecutionStatus[] = ['unresolved', 'pending', 'in-progress', 'resolved'];
const ERRORS = ['ConnectionError', 'RateLimitError', 'DataError', 'ModuleTimeoutError', 'InvalidAccessTokenError'];

function bigFile(): { version: 1; executions: IncompleteExecution[] } {
  const executions: IncompleteExecution[] = [];
  for (let i = 0; i < COUNT; i++) {
    const status = STATUSES[i % STATUSES.length];
    executions.push({
      id: `ie-${i.toString(36).padStart(5, '0')}`,
      scenario: `Scenario ${String(i % 50).padStart(2, '0')}`,
      moduleId: 2 + (i % 7),
      moduleName: `Module step ${i % 7}`,
      error: { type: ERRORS[i % ERRORS.length], message: 'simulated' },
      status,
      autoRetry: status === 'pending',
      attempts: i % 8,
      maxAttempts: 8,
      nextRetryAt: status === 'pending' ? '2026-11-20T10:11:00.000Z' : null,
      created: '2026-11-20T10:00:00.000Z',
      updated: '2026-11-20T10:01:00.000Z',
      bundle: { n: i },
      history: [],
    });
  }
  return { version: 1, executions };
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

suite('executions: 100,000 records', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let fixture: FixtureFile;

  suiteSetup(async () => {
    fixture = new FixtureFile();
    api = await executionsApi();
  });

  suiteTeardown(async () => {
    await fixture.restore(api);
  });

  test('first level of the tree, lazy groups, one-record refresh', async () => {
    const doc = bigFile();
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    fs.writeFileSync(executionsPath(), text);

    let t = process.hrtime.bigint();
    await api.model.reload();
    const loadMs = ms(t);
    assert.equal(api.model.folders()[0]?.records.size, COUNT);

    t = process.hrtime.bigint();
    const groups = api.provider.getChildren(undefined);
    for (const g of groups) api.provider.getTreeItem(g);
    const firstLevelMs = ms(t);
    assert.equal(groups.length, 50);

    t = process.hrtime.bigint();
    const children = api.provider.getChildren(groups[0]);
    for (const c of children) api.provider.getTreeItem(c);
    const groupMs = ms(t);
    assert.equal(children.length, COUNT / 50);

    // one record changes on disk → one event naming that element, not the whole tree
    const fired: (ExecutionsTreeNode | ExecutionsTreeNode[] | undefined | null | void)[] = [];
    const sub = api.provider.onDidChangeTreeData((e) => fired.push(e));
    const target = doc.executions[0];
    const edited = { ...doc, executions: [{ ...target, attempts: target.attempts + 1 }, ...doc.executions.slice(1)] };
    t = process.hrtime.bigint();
    fs.writeFileSync(executionsPath(), `${JSON.stringify(edited, null, 2)}\n`);
    await waitForModel(api, () => api.model.folders()[0]?.records.get(target.id)?.attempts === target.attempts + 1, 'the edited record');
    const changeMs = ms(t);
    sub.dispose();
    assert.deepEqual(fired, [[children[0]]]);

    console.log(
      `perf: ${COUNT} records, ${(text.length / 1e6).toFixed(1)} MB: load+parse+index ${loadMs.toFixed(0)} ms; first level (${groups.length} groups) ${firstLevelMs.toFixed(1)} ms; one group of ${children.length} items ${groupMs.toFixed(1)} ms; external one-record edit → element refresh ${changeMs.toFixed(0)} ms`,
    );
    assert.ok(firstLevelMs < 1000, `first level took ${firstLevelMs} ms`);
  });
});
