// The Incomplete Executions tree in the real extension host: grouping, items, badge, welcome
// states, live reload and per-record refresh.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/api';
import type { ExecutionsTreeNode } from '../../src/extension/executions/tree/treeNodes';
import type { ExecutionsFile } from '../../src/core/executions/model';
import {
  executionsApi,
  executionsPath,
  FixtureFile,
  labelOf,
  readExecutions,
  setViewSettings,
  waitForModel,
  workspacePath,
  writeExternally,
} from './executionsSupport';

suite('executions: tree', () => {
  let api: ExtensionApi;
  let fixture: FixtureFile;

  suiteSetup(async () => {
    fixture = new FixtureFile();
    api = await executionsApi();
    await fixture.restore(api);
  });

  teardown(async () => {
    await setViewSettings(undefined, undefined);
    api.provider.applySettings();
    await fixture.restore(api);
  });

  const roots = (): ExecutionsTreeNode[] => api.provider.getChildren(undefined);
  const labels = (nodes: ExecutionsTreeNode[]): string[] => nodes.map((n) => labelOf(api.provider.getTreeItem(n)));

  test('groups by scenario, then one item per execution with module label, description, icon and tokens', async () => {
    assert.equal(api.model.aggregateState(), 'ok');
    const groups = roots();
    assert.deepEqual(labels(groups), ['Order sync', 'Refund export']);
    const orderGroup = api.provider.getTreeItem(groups[0]);
    // a scenario group with retryable executions (and, here, a resolved one: its menu offers Delete Resolved)
    assert.deepEqual(String(orderGroup.contextValue).split(' ').sort(), ['group', 'hasResolved', 'retryable', 'scenario']);
    assert.match(String(orderGroup.description), /3 executions/);

    const children = api.provider.getChildren(groups[0]);
    assert.deepEqual(labels(children), ['Post order to ERP', 'Post order to ERP', 'Module 3']);
    const first = api.provider.getTreeItem(children[0]);
    assert.equal(first.description, 'ConnectionError · pending · 1 attempt');
    assert.ok(first.iconPath instanceof vscode.ThemeIcon);
    assert.equal(first.iconPath.id, 'clock');
    assert.deepEqual(String(first.contextValue).split(' ').sort(), [
      'execution',
      'hasBundle',
      'hasModule',
      'pending',
      'resolvable',
      'retryable',
    ]);
    const resolved = api.provider.getTreeItem(children[2]);
    assert.equal((resolved.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.doesNotMatch(String(resolved.contextValue), /\bretryable\b|\bresolvable\b|\bhasBundle\b/);

    const withTooltip = api.provider.resolveTreeItem(first, children[0]);
    const tooltip = withTooltip.tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    // appendText escapes markdown and turns spaces into &nbsp;: compare the plain text
    const plain = tooltip.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(plain, /could not connect to the third-party service/, 'explanation from the catalogue');
    assert.match(plain, /Attempts: 1 of 8/, 'attempts / maxAttempts');
    assert.match(plain, /Next automatic retry: /);
    assert.match(plain, /"orderId":1001/, 'bundle summary');
  });

  test('badge counts the unresolved executions', () => {
    const unresolved = readExecutions().executions.filter((e) => e.status === 'unresolved').length;
    assert.equal(unresolved, 2);
    assert.equal(api.treeView.badge?.value, unresolved);
  });

  test('group by error type and by status through the commands; hide resolved', async () => {
    await vscode.commands.executeCommand('fusionExecutions.groupByErrorType');
    assert.deepEqual(labels(roots()), ['ConnectionError', 'DataError', 'RateLimitError']);
    await vscode.commands.executeCommand('fusionExecutions.groupByStatus');
    assert.deepEqual(labels(roots()), ['unresolved', 'pending', 'resolved']);
    await vscode.commands.executeCommand('fusionExecutions.hideResolved');
    assert.equal(api.provider.resolvedShown, false);
    assert.deepEqual(labels(roots()), ['unresolved', 'pending']);
    await vscode.commands.executeCommand('fusionExecutions.groupByScenario');
    const orderChildren = api.provider.getChildren(roots()[0]);
    assert.equal(orderChildren.length, 2, 'the resolved ie-order-3 is hidden');
    await vscode.commands.executeCommand('fusionExecutions.showResolved');
    assert.equal(api.provider.getChildren(roots()[0]).length, 3);
  });

  test('bad JSON: state "error", message with the position, last good tree kept', async () => {
    const before = labels(roots());
    fs.writeFileSync(executionsPath(), '{\n  "version": 1,\n  "executions": [\n    { "id": "x" }\n    { "id": "y" }\n  ]\n}\n');
    await waitForModel(api, () => api.model.aggregateState() === 'error', 'state error');
    assert.match(String(api.treeView.message), /incomplete-executions\.json:\d+:\d+: /);
    assert.deepEqual(labels(roots()), before, 'the last good tree is kept');
    assert.equal(api.treeView.badge?.value, 2, 'the badge of the last good state is kept');
  });

  test('not UTF-8, or a key twice: state "error" with the reason and position, last good tree kept, file untouched', async () => {
    const before = labels(roots());
    // "Café" saved as Latin-1 (é is the byte 0xE9): a lenient decode would show U+FFFD instead.
    const doc = readExecutions();
    const latin1 = Buffer.from(
      JSON.stringify({ ...doc, executions: doc.executions.map((e, i) => (i === 0 ? { ...e, scenario: 'Caf\u00e9 export' } : e)) }, null, 2),
      'latin1',
    );
    fs.writeFileSync(executionsPath(), latin1);
    await waitForModel(api, () => api.model.aggregateState() === 'error', 'state error (not UTF-8)');
    assert.match(String(api.treeView.message), /incomplete-executions\.json:\d+:\d+: not UTF-8 text: byte 0xE9/);
    assert.deepEqual(labels(roots()), before, 'the last good tree is kept');
    assert.deepEqual(fs.readFileSync(executionsPath()), latin1, 'the file is left as it is');

    fs.writeFileSync(executionsPath(), '{ "version": 1, "executions": [], "executions": [] }\n');
    await waitForModel(api, () => /duplicate key "executions"/.test(String(api.treeView.message)), 'duplicate key reported');
    assert.match(String(api.treeView.message), /incomplete-executions\.json:1:\d+: duplicate key "executions"/);
    assert.deepEqual(labels(roots()), before, 'the last good tree is still kept');
  });

  test('file deleted: state "missing", empty tree; created again: loads', async () => {
    fs.rmSync(executionsPath());
    await waitForModel(api, () => api.model.aggregateState() === 'missing', 'state missing');
    assert.deepEqual(roots(), []);
    assert.equal(api.treeView.badge, undefined);
    await fixture.restore(api);
    assert.equal(api.model.aggregateState(), 'ok');
    assert.equal(roots().length, 2);
  });

  test('reloads by itself on an external edit; a one-record change refreshes that element only', async () => {
    const groups = roots();
    const children = api.provider.getChildren(groups[0]); // expand "Order sync" (nodes get cached)
    const node = children[0];
    const fired: (ExecutionsTreeNode | ExecutionsTreeNode[] | undefined | null | void)[] = [];
    const sub = api.provider.onDidChangeTreeData((e) => fired.push(e));
    try {
      const doc = readExecutions();
      const changed: ExecutionsFile = {
        ...doc,
        executions: doc.executions.map((e) => (e.id === 'ie-order-1' ? { ...e, nextRetryAt: '2026-01-01T00:21:00.000Z', attempts: 2 } : e)),
      };
      writeExternally(changed);
      await waitForModel(api, () => api.model.folders()[0]?.records.get('ie-order-1')?.attempts === 2, 'ie-order-1 attempts 2');
      assert.equal(fired.length, 1, `one event, got ${fired.length}`);
      assert.ok(Array.isArray(fired[0]), 'the event names elements, not the whole tree');
      assert.deepEqual(fired[0], [node], 'only the changed execution is refreshed (same cached node)');
      assert.equal(api.provider.getTreeItem(node).description, 'ConnectionError · pending · 2 attempts');

      // a status change inside the same group refreshes the element and its group (counts change)
      fired.length = 0;
      writeExternally({
        ...changed,
        executions: changed.executions.map((e) => (e.id === 'ie-order-1' ? { ...e, status: 'unresolved' } : e)),
      });
      await waitForModel(api, () => api.model.folders()[0]?.records.get('ie-order-1')?.status === 'unresolved', 'ie-order-1 unresolved');
      assert.deepEqual(fired, [[groups[0], node]]);
      assert.equal(api.treeView.badge?.value, 3);
    } finally {
      sub.dispose();
    }
  });

  test('the executions file is validated by the contributed JSON schema', async () => {
    const ext = vscode.extensions.getExtension('fusion-tools.fusion-incomplete-executions');
    assert.ok(ext);
    const schemaUri = vscode.Uri.joinPath(ext.extensionUri, 'schemas', 'incomplete-executions.schema.json');
    const schema = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(schemaUri))) as {
      $schema: string;
      definitions: { execution: { properties: Record<string, { description?: string }> } };
    };
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const [key, prop] of Object.entries(schema.definitions.execution.properties))
      assert.ok(prop.description, `${key} has a description`);
  });
});

suite('executions: tree shows Fusion limits', () => {
  let api: ExtensionApi;
  let fixture: FixtureFile;
  const DAY = 24 * 60 * 60 * 1000;

  suiteSetup(async () => {
    fixture = new FixtureFile();
    api = await executionsApi();
  });

  teardown(async () => {
    await fixture.restore(api);
  });

  const plain = (md: unknown): string => {
    assert.ok(md instanceof vscode.MarkdownString, 'a Markdown tooltip');
    return md.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
  };
  const groupNamed = (name: string): ExecutionsTreeNode => {
    const g = api.provider.getChildren(undefined).find((n) => labelOf(api.provider.getTreeItem(n)) === name);
    assert.ok(g, `no group ${name}`);
    return g;
  };
  const item = (node: ExecutionsTreeNode): vscode.TreeItem => api.provider.getTreeItem(node);

  /** Resolves once `predicate()` holds: checked now, then after each tree change event; fails after a guard. */
  function waitForTree(predicate: () => boolean, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`timed out waiting for: ${what}`));
      }, 15000);
      const sub = api.provider.onDidChangeTreeData(() => {
        if (predicate()) {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
    });
  }

  /** Loads the limits fixture (a copy of executions-scenarios/limits-executions.json), `edit` applied. */
  async function loadLimitsFixture(edit: (doc: ExecutionsFile) => ExecutionsFile = (d) => d): Promise<ExecutionsFile> {
    const doc = edit(JSON.parse(fs.readFileSync(workspacePath('executions-scenarios/limits-executions.json'), 'utf8')) as ExecutionsFile);
    writeExternally(doc);
    await waitForModel(
      api,
      () => api.model.folders()[0]?.records.has('ie-arch-1') === true && api.model.folders()[0]?.records.size === doc.executions.length,
      'the limits fixture',
    );
    return doc;
  }

  test('a scenario past 80 % of 10 MB warns on its group: icon, description, Storage line in the tooltip', async () => {
    await loadLimitsFixture();
    const archive = groupNamed('Invoice archive');
    // the storage is counted after the first render, then the group is refreshed
    await waitForTree(() => /of 10 MB/.test(String(item(archive).description)), 'the Invoice archive group to warn');
    const it = item(archive);
    assert.match(String(it.description), /^2 executions · 1 unresolved · 86% of 10 MB$/);
    assert.ok(it.iconPath instanceof vscode.ThemeIcon);
    assert.equal(it.iconPath.id, 'warning');
    assert.equal(it.iconPath.color?.id, 'list.warningForeground');
    const tip = plain(api.provider.resolveTreeItem(it, archive).tooltip);
    assert.match(tip, /Storage: 8\.6 MB of 10 MB \(86%\) of unresolved incomplete executions/);
    assert.doesNotMatch(tip, /Sequential processing/);

    const orders = item(groupNamed('Order sync'));
    assert.equal((orders.iconPath as vscode.ThemeIcon).id, 'type-hierarchy-sub', 'a small, non-sequential scenario has no warning');
    assert.doesNotMatch(String(orders.description), /of 10 MB|runs wait/);
  });

  test('sequential processing on + an unresolved record: the group says runs wait, and stops when it is resolved', async () => {
    const doc = await loadLimitsFixture();
    const lead = groupNamed('Lead sync');
    await waitForTree(() => /runs wait \(sequential\)/.test(String(item(lead).description)), 'the Lead sync group to say runs wait');
    const it = item(lead);
    assert.equal(it.description, '2 executions · 1 unresolved · runs wait (sequential)');
    assert.equal((it.iconPath as vscode.ThemeIcon).id, 'warning');
    const tip = plain(api.provider.resolveTreeItem(it, lead).tooltip);
    assert.match(tip, /Sequential processing is on and 1 execution is not resolved: new runs wait until it is resolved/);
    assert.match(tip, /Storage: 200 B of 10 MB \(0%\)/);

    // resolved on disk: the group's warning goes (one-record change, counted by delta)
    writeExternally({
      ...doc,
      executions: doc.executions.map((e) => (e.id === 'ie-lead-1' ? { ...e, status: 'resolved', nextRetryAt: null } : e)),
    });
    await waitForTree(() => !/runs wait/.test(String(item(groupNamed('Lead sync')).description)), 'the Lead sync warning to go');
    assert.equal((item(groupNamed('Lead sync')).iconPath as vscode.ThemeIcon).id, 'type-hierarchy-sub');
  });

  test('turning sequential processing off in the scenario file on disk clears "runs wait" (shared scenario-file watch)', async () => {
    await loadLimitsFixture();
    await waitForTree(
      () => /runs wait \(sequential\)/.test(String(item(groupNamed('Lead sync')).description)),
      'the Lead sync group to say runs wait',
    );
    const file = workspacePath('executions-scenarios/leads.scenario.yaml');
    const original = fs.readFileSync(file, 'utf8');
    assert.match(original, /sequentialProcessing: true/);
    try {
      fs.writeFileSync(file, original.replace('sequentialProcessing: true', 'sequentialProcessing: false'));
      await waitForTree(
        () => !/runs wait/.test(String(item(groupNamed('Lead sync')).description)),
        'the Lead sync warning to go after the file edit',
      );
      assert.equal(item(groupNamed('Lead sync')).description, '2 executions · 1 unresolved');
    } finally {
      fs.writeFileSync(file, original);
    }
    await waitForTree(
      () => /runs wait \(sequential\)/.test(String(item(groupNamed('Lead sync')).description)),
      'the warning to come back with the original file',
    );
  });

  test("a resolved execution's tooltip says when Fusion deletes it (30 days after it was resolved)", async () => {
    const recent = new Date(Date.now() - DAY).toISOString();
    await loadLimitsFixture((d) => ({
      ...d,
      executions: d.executions.map((e) =>
        e.id === 'ie-lead-1' ? { ...e, status: 'resolved', nextRetryAt: null, updated: recent, history: [] } : e,
      ),
    }));
    const lead = groupNamed('Lead sync');
    const [old, fresh] = ['ie-lead-0', 'ie-lead-1'].map((id) => {
      const n = api.provider.getChildren(lead).find((c) => c.kind === 'execution' && c.id === id);
      assert.ok(n, id);
      return plain(api.provider.resolveTreeItem(item(n), n).tooltip);
    });
    assert.match(old, /Resolved \d+ days ago: Fusion has deleted it \(resolved executions are kept 30 days\)\./);
    const purge = new Date(Date.parse(recent) + 30 * DAY).toLocaleString();
    assert.ok(fresh.includes(`Fusion deletes it on ${purge} (30 days after it was resolved).`), fresh);
  });
});
