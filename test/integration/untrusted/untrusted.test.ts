// The extension in an UNTRUSTED workspace (Restricted Mode), in the real extension host: the runner
// opens test/fixtures/untrusted/ with workspace trust on and the startup prompt off, so the folder is
// never trusted. package.json declares `untrustedWorkspaces: limited`: everything that reads works
// (diagnostics, hovers, quick fixes offered, CodeLens, the tree, Classify, a simulation's report),
// and nothing writes the executions file — each write command is refused and the file stays
// byte-for-byte as it was (including the unknown field `ticket` of ie-4).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension/api';
import type { ExecutionNode, ExecutionsTreeNode, GroupNode } from '../../../src/extension/executions/tree/treeNodes';
import type { RunSimulationResult } from '../../../src/extension/executions/commands/runSimulation';
import { executionsApi, executionsPath, folder, labelOf } from '../executionsSupport';
import { hasCode, hoverText, positionOf, waitForDiagnostics } from '../scenarioSupport';

const SCENARIO = 'scenarios/orders.scenario.yaml';

suite('untrusted workspace: reads work, nothing writes', function () {
  this.timeout(30000);
  let api: ExtensionApi;
  let original: Buffer;
  const scenarioUri = (): vscode.Uri => vscode.Uri.joinPath(folder().uri, ...SCENARIO.split('/'));

  suiteSetup(async () => {
    // without this the suite would prove nothing: it must run in Restricted Mode
    assert.equal(vscode.workspace.isTrusted, false, 'the fixture folder must be untrusted (workspace trust on, never granted)');
    original = fs.readFileSync(executionsPath());
    api = await executionsApi();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The executions file is exactly as the fixture had it. */
  const assertUntouched = (what: string): void => {
    assert.ok(fs.readFileSync(executionsPath()).equals(original), `${what}: the executions file changed on disk`);
    const leftovers = fs.readdirSync(path.dirname(executionsPath())).filter((f) => f !== path.basename(executionsPath()));
    assert.deepEqual(leftovers, [], `${what}: no temporary or lock file left beside it`);
  };

  const groupNode = (scenario: string): GroupNode => {
    const g = api.provider.getChildren(undefined).find((n): n is GroupNode => n.kind === 'group' && n.key === scenario);
    assert.ok(g, `no group ${scenario}`);
    return g;
  };
  const executionNode = (scenario: string, id: string): ExecutionNode => {
    const e = api.provider.getChildren(groupNode(scenario)).find((n): n is ExecutionNode => n.kind === 'execution' && n.id === id);
    assert.ok(e, `no execution ${id} under ${scenario}`);
    return e;
  };

  test('the tree reads the executions file: groups, items and the unresolved badge', () => {
    const f = api.model.folders()[0];
    assert.equal(f?.state, 'ok', `the file loads (${f?.problem?.message ?? ''})`);
    const roots: ExecutionsTreeNode[] = api.provider.getChildren(undefined);
    assert.deepEqual(
      roots.map((n) => labelOf(api.provider.getTreeItem(n))),
      ['Order sync', 'Refund export'],
    );
    const item = api.provider.getTreeItem(executionNode('Order sync', 'ie-4'));
    assert.match(String(item.description ?? ''), /pending/i);
    assert.equal(api.treeView.badge?.value, 2, 'two unresolved executions');
  });

  test('diagnostics, a hover, quick fixes and CodeLens on the scenario', async () => {
    const doc = await vscode.workspace.openTextDocument(scenarioUri());
    await vscode.window.showTextDocument(doc);
    const diags = await waitForDiagnostics(scenarioUri(), hasCode('missing-error-handler'), 'missing-error-handler on modules 2 and 3');
    assert.equal(diags.filter((d) => d.message.includes('has no error-handler route')).length, 2);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      scenarioUri(),
      positionOf(doc, 'error: ConnectionError', 0, 9),
    );
    assert.match(hoverText(hovers), /\*\*ConnectionError\*\*/);

    const at = diags[0].range;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      scenarioUri(),
      at,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Add error handler (Break with auto-retry)'), `quick fixes offered: ${titles.join(' | ')}`);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', scenarioUri(), 10);
    assert.ok(
      lenses.some((l) => /^On failure: /.test(l.command?.title ?? '')),
      'an "On failure" lens',
    );
  });

  test('Retry, Retry All, Run Due Retries, Resolve and Delete are refused; the file is untouched', async () => {
    const node = executionNode('Order sync', 'ie-1');
    const calls: [string, unknown[]][] = [
      ['fusionExecutions.retry', [node, [node]]],
      ['fusionExecutions.retry', [{ ids: ['ie-4'] }]],
      ['fusionExecutions.retryAll', [groupNode('Order sync')]],
      ['fusionExecutions.runDueRetries', [{ now: '2026-06-01T00:00:00.000Z' }]],
      ['fusionExecutions.resolve', [{ ids: ['ie-2'], note: 'by hand' }]],
      ['fusionExecutions.delete', [{ ids: ['ie-3'], confirmed: true }]],
    ];
    for (const [command, args] of calls) {
      const result = await vscode.commands.executeCommand<unknown>(command, ...args);
      assert.equal(result, undefined, `${command} returns nothing (refused)`);
      assertUntouched(command);
    }
    assert.equal(api.model.folders()[0]?.records.get('ie-1')?.status, 'unresolved', 'the model still has ie-1 unresolved');
  });

  test('Run Simulation reports what would be stored and does not store it', async () => {
    const out = await vscode.commands.executeCommand<RunSimulationResult>('fusionExecutions.runSimulation', {
      uri: scenarioUri(),
      showReport: false,
    });
    assert.ok(out, 'the simulation ran');
    assert.equal(out.stored, false, 'not stored');
    assert.ok(out.report.executions.length > 0, 'the simulation found executions it would store');
    assertUntouched('runSimulation');
  });

  test('creating an executions file and importing a Make export are refused', async () => {
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>('fusionExecutions.createExecutionsFile', { open: false });
    assert.equal(created, undefined, 'createExecutionsFile refused');
    const exportFile = path.join(folder().uri.fsPath, 'make-list.json');
    fs.writeFileSync(
      exportFile,
      JSON.stringify({
        dlqs: [
          {
            id: 'make-1',
            reason: 'ConnectionError: reset',
            created: '2026-01-03T00:00:00.000Z',
            size: 10,
            resolved: false,
            retry: false,
            attempts: 0,
          },
        ],
      }),
    );
    try {
      const imported = await vscode.commands.executeCommand<unknown>('fusionExecutions.importMakeExport', {
        uris: [vscode.Uri.file(exportFile)],
      });
      assert.equal(imported, undefined, 'importMakeExport refused');
    } finally {
      fs.rmSync(exportFile, { force: true });
    }
    assertUntouched('create / import');
  });
});
