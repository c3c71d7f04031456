// Every command that writes the executions file, run in the real extension host against a copy of
// the fixture workspace. Programmatic arguments stand in for the UI: `{ ids }` instead of the
// QuickPick, `{ note }` instead of Resolve's InputBox, `{ confirmed: true }` instead of Delete's
// modal confirmation (documented in commands/common.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/api';
import type { OperationResult } from '../../src/core/executions/operations';
import type { RunSimulationResult } from '../../src/extension/executions/commands/runSimulation';
import type { RevealResult } from '../../src/extension/executions/commands/revealModule';
import type { ImportSummary } from '../../src/core/make/importExport';
import {
  executionsApi,
  executionsPath,
  FixtureFile,
  readExecutions,
  record,
  waitForModel,
  workspacePath,
  writeExternally,
} from './executionsSupport';

suite('executions: commands', () => {
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

  test('Retry (ids): a recovering fault resolves the execution; unknown fields are kept', async () => {
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.retry', { ids: ['ie-order-1'] });
    assert.deepEqual(
      results?.map((r) => r.result),
      ['resolved'],
    );
    const r = record(readExecutions(), 'ie-order-1');
    assert.equal(r.status, 'resolved');
    assert.equal(r.history.at(-1)?.action, 'retry');
    assert.equal(r['customerNote'], 'kept by every write');
    // the command resolves after the model reloaded
    assert.equal(api.model.folders()[0]?.records.get('ie-order-1')?.status, 'resolved');
  });

  test('Retry (tree item): a failing retry increments attempts and schedules the next one', async () => {
    const group = api.provider.getChildren(undefined)[0];
    const node = api.provider.getChildren(group).find((n) => n.kind === 'execution' && n.id === 'ie-order-2');
    assert.ok(node);
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.retry', node, [node]);
    assert.deepEqual(
      results?.map((r) => r.result),
      ['failed'],
    );
    const r = record(readExecutions(), 'ie-order-2');
    assert.equal(r.attempts, 1);
    assert.equal(r.status, 'pending');
    assert.ok(r.nextRetryAt);
  });

  test('Retry All (scenario group): every retryable execution of the scenario, none of the others', async () => {
    const group = api.provider.getChildren(undefined).find((n) => n.kind === 'group' && n.key === 'Refund export');
    assert.ok(group);
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.retryAll', group);
    assert.deepEqual(results?.map((r) => r.id).sort(), ['ie-refund-1', 'ie-refund-2']);
    const doc = readExecutions();
    assert.equal(record(doc, 'ie-refund-1').attempts, 1, 'DataError at module 2 fails again');
    assert.equal(record(doc, 'ie-order-2').attempts, 0, 'other scenario untouched');
  });

  test('Resolve with a note', async () => {
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.resolve', {
      ids: ['ie-refund-1'],
      note: 'Fixed the JSON by hand',
    });
    assert.deepEqual(
      results?.map((r) => r.result),
      ['resolved'],
    );
    const r = record(readExecutions(), 'ie-refund-1');
    assert.equal(r.status, 'resolved');
    assert.equal(r.history.at(-1)?.note, 'Fixed the JSON by hand');
  });

  test('Delete (confirmed) removes the record', async () => {
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.delete', {
      ids: ['ie-order-3'],
      confirmed: true,
    });
    assert.deepEqual(
      results?.map((r) => r.result),
      ['deleted'],
    );
    assert.ok(!readExecutions().executions.some((e) => e.id === 'ie-order-3'));
    assert.equal(api.model.folders()[0]?.records.has('ie-order-3'), false);
  });

  test('Run Due Retries runs what is due at the given time only', async () => {
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.runDueRetries', {
      now: '2026-06-01T00:00:00.000Z',
    });
    assert.deepEqual(
      results?.map((r) => r.id),
      ['ie-order-1'],
      'ie-refund-2 is due in 2099',
    );
    const doc = readExecutions();
    assert.equal(record(doc, 'ie-order-1').status, 'resolved');
    assert.equal(record(doc, 'ie-order-1').history.at(-1)?.action, 'auto-retry');
    assert.equal(record(doc, 'ie-refund-2').attempts, 1);
  });

  test('Run Simulation stores the simulated incomplete executions and reports', async () => {
    const before = readExecutions().executions.length;
    const uri = vscode.Uri.file(workspacePath('executions-scenarios/orders.scenario.yaml'));
    const out = await vscode.commands.executeCommand<RunSimulationResult>('fusionExecutions.runSimulation', { uri, showReport: false });
    assert.ok(out, 'the command returned no result (see the log)');
    assert.equal(out.stored, true);
    assert.equal(out.report.executions.length, 2);
    const doc = readExecutions();
    assert.equal(doc.executions.length, before + 2);
    const added = doc.executions.slice(before);
    assert.deepEqual(
      added.map((e) => e.scenarioFile),
      ['executions-scenarios/orders.scenario.yaml', 'executions-scenarios/orders.scenario.yaml'],
    );
    assert.equal(api.model.folders()[0]?.records.size, before + 2);
  });

  test('Import Make API Export merges the records; a malformed response changes nothing', async () => {
    const before = readExecutions().executions.length;
    const list = vscode.Uri.file(workspacePath('executions-scenarios/make/list-invoice-export.json'));
    const summary = await vscode.commands.executeCommand<ImportSummary>('fusionExecutions.importMakeExport', { uris: [list] });
    assert.deepEqual(
      { added: summary?.added, updated: summary?.updated, unchanged: summary?.unchanged },
      { added: 3, updated: 0, unchanged: 0 },
    );
    const doc = readExecutions();
    assert.equal(doc.executions.length, before + 3);
    assert.ok(doc.executions.some((e) => e.id === '6d2f8b14e9a04c7b9e3a5c1d0f8b2e61'));

    const text = fs.readFileSync(executionsPath(), 'utf8');
    const bad = vscode.Uri.file(workspacePath('executions-scenarios/make/malformed-list.json'));
    const none = await vscode.commands.executeCommand<ImportSummary | undefined>('fusionExecutions.importMakeExport', { uris: [bad] });
    assert.equal(none, undefined);
    assert.equal(fs.readFileSync(executionsPath(), 'utf8'), text);
  });

  test('Create Executions File writes an empty file at the configured path', async () => {
    fs.rmSync(executionsPath());
    await api.model.reload(); // the watcher's part is covered by the tree suite; here only the command
    assert.equal(api.model.aggregateState(), 'missing');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('fusionExecutions.createExecutionsFile', { open: false });
    assert.equal(uri?.fsPath, executionsPath());
    assert.deepEqual(JSON.parse(fs.readFileSync(executionsPath(), 'utf8')), { version: 1, executions: [] });
    assert.equal(api.model.aggregateState(), 'ok');
  });

  test('a concurrent external edit is not lost by a command', async () => {
    const doc = readExecutions();
    const extra = { ...record(doc, 'ie-order-2'), id: 'ie-external-1', history: [] };
    // another tool appends a record; the command runs before the extension has even reloaded
    writeExternally({ ...doc, executions: [...doc.executions, extra] });
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.resolve', { ids: ['ie-order-2'], note: '' });
    assert.deepEqual(
      results?.map((r) => r.result),
      ['resolved'],
    );
    const after = readExecutions();
    assert.ok(
      after.executions.some((e) => e.id === 'ie-external-1'),
      'the external record survived',
    );
    assert.equal(record(after, 'ie-order-2').status, 'resolved');
    await waitForModel(api, () => api.model.folders()[0]?.records.has('ie-external-1') === true, 'the model sees the external record');
  });

  test('Reveal Module opens the scenario at the failing module', async () => {
    const out = await vscode.commands.executeCommand<RevealResult>('fusionExecutions.revealModule', { ids: ['ie-order-2'] });
    assert.ok(out?.range, 'module found');
    assert.ok(out.uri.path.endsWith('executions-scenarios/orders.scenario.yaml'));
    const doc = await vscode.workspace.openTextDocument(out.uri);
    const line = doc.lineAt(out.range.start.line).text;
    assert.match(line, /id: 2\b/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), out.uri.toString());
  });

  test('Show Bundle opens the stored bundle as a read-only JSON document', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('fusionExecutions.showBundle', { ids: ['ie-order-1'] });
    assert.ok(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'json');
    assert.deepEqual(JSON.parse(doc.getText()), { orderId: 1001 });
  });
});
