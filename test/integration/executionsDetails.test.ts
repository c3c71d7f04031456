// The executions view's rough edges, in the real extension host: a row opens the record's details
// (a rendered, read-only preview that follows the record), an overdue retry says so, group rows
// have their own menu (Open Scenario, Delete Resolved), Delete and the toasts name the execution,
// a bundle document of a deleted record is plain text, and the badge's tooltip.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/api';
import type { OperationResult } from '../../src/core/executions/operations';
import type { ExecutionsTreeNode } from '../../src/extension/executions/tree/treeNodes';
import type { RunSimulationResult } from '../../src/extension/executions/commands/runSimulation';
import { executionsApi, FixtureFile, labelOf, readExecutions, waitForModel, workspacePath } from './executionsSupport';

type MessageFn = (message: string, ...rest: unknown[]) => Thenable<unknown>;

/**
 * Replaces `vscode.window[name]` (the extension and the tests share the API object) so a test can
 * read the message and answer it; `answer` gets the message and its options/items. Restored by
 * `restore()`.
 */
function capture(
  name: 'showInformationMessage' | 'showWarningMessage',
  answer: (message: string, rest: unknown[]) => unknown = () => undefined,
) {
  const w = vscode.window as unknown as Record<string, MessageFn>;
  const original = w[name];
  const calls: { message: string; rest: unknown[] }[] = [];
  w[name] = (message: string, ...rest: unknown[]) => {
    calls.push({ message, rest });
    return Promise.resolve(answer(message, rest));
  };
  return {
    calls,
    restore: () => {
      w[name] = original;
    },
  };
}

/** Resolves once `predicate()` holds (checked every 100 ms); fails after `ms` saying what it waited for. */
async function until(predicate: () => boolean, what: string, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
}

function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType));
}

function plainTooltip(item: vscode.TreeItem): string {
  const t = item.tooltip;
  const value = t instanceof vscode.MarkdownString ? t.value : String(t ?? '');
  return value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

suite('executions: details, menus and messages', () => {
  let api: ExtensionApi;
  let fixture: FixtureFile;

  suiteSetup(async () => {
    fixture = new FixtureFile();
    api = await executionsApi();
    await fixture.restore(api);
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fixture.restore(api);
  });

  const groups = (): ExecutionsTreeNode[] => api.provider.getChildren(undefined);
  const groupNamed = (name: string): ExecutionsTreeNode => {
    const g = groups().find((n) => labelOf(api.provider.getTreeItem(n)) === name);
    assert.ok(g, `no group ${name}`);
    return g;
  };
  const executionNode = (id: string): ExecutionsTreeNode => {
    for (const g of groups()) {
      const hit = api.provider.getChildren(g).find((n) => n.kind === 'execution' && n.id === id);
      if (hit) return hit;
    }
    assert.fail(`no row for ${id}`);
  };

  test('a row opens its details: the row command renders the record read-only (error, explanation, bundle, history, overdue retry)', async () => {
    const item = api.provider.getTreeItem(executionNode('ie-order-1'));
    assert.equal(item.command?.command, 'fusionExecutions.showDetails', 'a click or Enter on the row opens the details');
    const uri = await vscode.commands.executeCommand<vscode.Uri>(item.command.command, ...((item.command.arguments ?? []) as unknown[]));
    assert.ok(uri, 'the command returns the details document');
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /^# Post order to ERP/m);
    assert.match(text, /\*\*ConnectionError\*\*: read ECONNRESET/, 'the error type and message');
    assert.match(text, /could not connect to the third\\-party service/, 'what the error means, from the catalogue');
    assert.match(text, /What to do:/);
    assert.match(text, /overdue since/, 'the retry due on 1 January 2026 is overdue');
    assert.match(text, /"orderId": 1001/, 'the bundle');
    assert.match(text, /## History/);
    // rendered: a Markdown preview (a webview), not the source in a text editor
    await until(() => previewTabs().some((t) => /Post order to ERP \(Order sync\)/.test(t.label)), 'a Markdown preview tab of the details');
    assert.ok(
      !vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString()),
      'the source is not shown in an editor',
    );
  });

  test('the details follow the record: a retry shows it resolved, a deletion says the record is gone', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('fusionExecutions.showDetails', { ids: ['ie-order-1'] });
    assert.ok(uri);
    await until(() => openDocument(uri) !== undefined, 'the details document to be open');
    assert.match(openDocument(uri)?.getText() ?? '', /\| Status \| pending \|/);
    await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.retry', { ids: ['ie-order-1'] });
    await until(() => /\| Status \| resolved \|/.test(openDocument(uri)?.getText() ?? ''), 'the details to show the record resolved');
    await vscode.commands.executeCommand('fusionExecutions.delete', { ids: ['ie-order-1'], confirmed: true });
    await until(() => /no longer in the executions file/.test(openDocument(uri)?.getText() ?? ''), 'the details to say the record is gone');
  });

  test('an overdue retry says "overdue since" in the tooltip; one still to come gives its time', () => {
    const overdue = api.provider.resolveTreeItem(api.provider.getTreeItem(executionNode('ie-order-1')), executionNode('ie-order-1'));
    assert.match(plainTooltip(overdue), /Next automatic retry: overdue since .+ \(Run Due Retries runs it\)/);
    const later = api.provider.resolveTreeItem(api.provider.getTreeItem(executionNode('ie-refund-2')), executionNode('ie-refund-2'));
    assert.match(plainTooltip(later), /Next automatic retry: .*2099/);
    assert.doesNotMatch(plainTooltip(later), /overdue/);
  });

  test("group rows: Open Scenario opens the scenario file; Delete Resolved deletes the group's resolved executions after naming them", async () => {
    const order = groupNamed('Order sync');
    assert.match(String(api.provider.getTreeItem(order).contextValue), /\bhasResolved\b/);
    assert.doesNotMatch(
      String(api.provider.getTreeItem(groupNamed('Refund export')).contextValue),
      /\bhasResolved\b/,
      'no resolved execution: no Delete Resolved',
    );
    const opened = await vscode.commands.executeCommand<vscode.Uri>('fusionExecutions.openScenario', order);
    assert.ok(opened?.path.endsWith('executions-scenarios/orders.scenario.yaml'), String(opened));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), opened.toString());

    const warn = capture('showWarningMessage', (_m, rest) => rest[1]); // answers "Delete"
    let results: OperationResult[] | undefined;
    try {
      results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.deleteResolved', groupNamed('Order sync'));
    } finally {
      warn.restore();
    }
    assert.equal(warn.calls.length, 1, 'it asks first');
    assert.equal(warn.calls[0].message, 'Delete the resolved incomplete execution of Order sync?');
    assert.match(String((warn.calls[0].rest[0] as { detail?: string }).detail), /Module 3 in Order sync — DataError/);
    assert.deepEqual(
      results?.map((r) => `${r.id} ${r.result}`),
      ['ie-order-3 deleted'],
    );
    assert.deepEqual(
      readExecutions().executions.map((e) => e.id),
      ['ie-order-1', 'ie-order-2', 'ie-refund-1', 'ie-refund-2'],
    );
  });

  test('Delete asks naming the execution (module, scenario, error); several are listed; cancelling changes nothing', async () => {
    const before = readExecutions();
    const warn = capture('showWarningMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('fusionExecutions.delete', executionNode('ie-order-2')), undefined);
      assert.equal(await vscode.commands.executeCommand('fusionExecutions.delete', { ids: ['ie-order-2', 'ie-refund-1'] }), undefined);
    } finally {
      warn.restore();
    }
    assert.equal(warn.calls[0].message, 'Delete the incomplete execution of “Post order to ERP” (module 2) in Order sync?');
    const detail = (i: number): string => String((warn.calls[i].rest[0] as { detail?: string; modal?: boolean }).detail);
    assert.equal((warn.calls[0].rest[0] as { modal?: boolean }).modal, true);
    assert.match(detail(0), /^ConnectionError: read ECONNRESET\n/);
    assert.equal(warn.calls[1].message, 'Delete 2 incomplete executions?');
    assert.match(
      detail(1),
      /• “Post order to ERP” \(module 2\) in Order sync — ConnectionError\n• “Parse refund” \(module 2\) in Refund export — DataError/,
    );
    assert.deepEqual(readExecutions(), before, 'cancelled: the file is unchanged');
  });

  test('toasts name the module and the scenario', async () => {
    const info = capture('showInformationMessage');
    try {
      await vscode.commands.executeCommand('fusionExecutions.resolve', { ids: ['ie-order-2'], note: 'by hand' });
      await vscode.commands.executeCommand('fusionExecutions.retry', { ids: ['ie-order-1'] });
      await vscode.commands.executeCommand('fusionExecutions.delete', { ids: ['ie-refund-1'], confirmed: true });
    } finally {
      info.restore();
    }
    const messages = info.calls.map((c) => c.message);
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.equal(messages[0], 'Resolve: “Post order to ERP” (module 2) in Order sync is marked resolved.');
    // a local record's retry is simulated, and its toast says so (title and text); what the
    // simulation assumed may follow
    assert.match(
      messages[1],
      /^Simulated Retry: “Post order to ERP” \(module 2\) in Order sync: the simulated retry succeeded, the execution is marked resolved \(nothing was sent to Fusion or Make\)\./,
    );
    assert.equal(messages[2], 'Delete: “Parse refund” (module 2) in Refund export is deleted.');
  });

  test('Show Bundle of a record deleted meanwhile: the document says so in plain text, not as broken JSON', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('fusionExecutions.showBundle', { ids: ['ie-order-1'] });
    assert.ok(uri);
    assert.equal(openDocument(uri)?.languageId, 'json');
    await vscode.commands.executeCommand('fusionExecutions.delete', { ids: ['ie-order-1'], confirmed: true });
    await until(
      () => /no longer in the executions file/.test(openDocument(uri)?.getText() ?? ''),
      'the bundle document to say the record is gone',
    );
    await until(() => openDocument(uri)?.languageId === 'plaintext', 'the bundle document to become plain text');
    await new Promise((r) => setTimeout(r, 1500)); // time for a JSON validation to report, were it still JSON
    assert.deepEqual(vscode.languages.getDiagnostics(uri), [], 'no JSON problem about the message');
    // and asking for the bundle of the gone record says so instead of opening anything
    const info = capture('showInformationMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('fusionExecutions.showBundle', { ids: ['ie-order-1'] }), undefined);
    } finally {
      info.restore();
    }
    assert.match(info.calls[0]?.message ?? '', /no longer in the executions file/);
  });

  test("Run Simulation's report opens rendered in a Markdown preview (read-only), not as Markdown source", async () => {
    const uri = vscode.Uri.file(workspacePath('executions-scenarios/orders.scenario.yaml'));
    const out = await vscode.commands.executeCommand<RunSimulationResult>('fusionExecutions.runSimulation', { uri, showReport: true });
    assert.ok(out?.reportUri, 'the report was opened');
    await until(() => previewTabs().some((t) => /Simulation of Order sync/.test(t.label)), 'a Markdown preview of the report');
    assert.ok(
      !vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === out.reportUri?.toString()),
      'the source is not in an editor',
    );
    const text = (await vscode.workspace.openTextDocument(out.reportUri)).getText();
    assert.match(text, /^# Simulation of Order sync/m);
    assert.match(text, /Run result: /);
  });

  test('the badge counts the unresolved executions; its tooltip also names those waiting for an automatic retry', async () => {
    await waitForModel(api, () => api.model.unresolvedCount() === 2, 'the fixture');
    assert.equal(api.treeView.badge?.value, 2);
    assert.equal(api.treeView.badge?.tooltip, '2 unresolved incomplete executions wait for you (2 more wait for an automatic retry)');
  });
});
