// The Incomplete Executions view in a MULTI-ROOT workspace (issue 4), in the real extension host:
// test/fixtures/multiroot/multiroot.code-workspace opens folders "alpha" and "beta". Both folders hold
// a scenario "Order sync" and a record "ie-1" (ids are unique per file, not across folders), and
// beta's folder-level setting points fusionExecutions.executionsFile at ops/executions.json (its
// .fusion/incomplete-executions.json is a decoy). Every write is checked on disk, in both folders.
//
// The untrusted-workspace behaviour has its own suite (test/integration/untrusted/): a workspace
// cannot be made untrusted from inside the extension host, so the runner opens that one untrusted.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension/api';
import type { ExecutionsTreeNode, ExecutionNode, GroupNode } from '../../../src/extension/executions/tree/treeNodes';
import type { OperationResult } from '../../../src/core/executions/operations';
import type { RevealResult } from '../../../src/extension/executions/commands/revealModule';
import { executionsApi, labelOf, waitForModel } from '../executionsSupport';
import { FILES, inFolder, modelFolder, readDoc, Snapshot, waitForBadge, workspaceFolder, type FolderName } from './multirootSupport';

suite('multi-root: executions view', () => {
  let api: ExtensionApi;
  let snapshot: Snapshot;

  suiteSetup(async () => {
    assert.equal(vscode.workspace.workspaceFolders?.length, 2, 'the multi-root fixture opens two folders');
    snapshot = new Snapshot([FILES.alpha(), FILES.beta(), FILES.betaDecoy(), inFolder('beta', '.vscode/settings.json')]);
    api = await executionsApi();
    await snapshot.restore(api);
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await snapshot.restore(api);
  });

  const roots = (): ExecutionsTreeNode[] => api.provider.getChildren(undefined);
  const item = (n: ExecutionsTreeNode): vscode.TreeItem => api.provider.getTreeItem(n);
  const labels = (nodes: ExecutionsTreeNode[]): string[] => nodes.map((n) => labelOf(item(n)));
  const folderNode = (name: FolderName): ExecutionsTreeNode => {
    const node = roots().find((n) => n.kind === 'folder' && labelOf(item(n)) === name);
    assert.ok(node, `no root node for folder ${name} (roots: ${labels(roots()).join(', ')})`);
    return node;
  };
  const groupNode = (name: FolderName, scenario: string): GroupNode => {
    const g = api.provider.getChildren(folderNode(name)).find((n): n is GroupNode => n.kind === 'group' && n.key === scenario);
    assert.ok(g, `no group ${scenario} under ${name}`);
    return g;
  };
  const executionNode = (name: FolderName, scenario: string, id: string): ExecutionNode => {
    const e = api.provider.getChildren(groupNode(name, scenario)).find((n): n is ExecutionNode => n.kind === 'execution' && n.id === id);
    assert.ok(e, `no execution ${id} under ${name} / ${scenario}`);
    return e;
  };

  test('the workbench opened the .code-workspace file with both folders', () => {
    assert.match(vscode.workspace.workspaceFile?.path ?? '', /multiroot\.code-workspace$/);
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.name),
      ['alpha', 'beta'],
    );
  });

  test('the root shows one node per workspace folder, each with its executions grouped by scenario', async () => {
    const top = roots();
    assert.deepEqual(
      top.map((n) => n.kind),
      ['folder', 'folder'],
    );
    assert.deepEqual(labels(top), ['alpha', 'beta']);
    assert.equal(item(folderNode('alpha')).description, '3 executions');
    assert.equal(item(folderNode('beta')).description, '2 executions');
    assert.equal(item(folderNode('alpha')).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);

    assert.deepEqual(labels(api.provider.getChildren(folderNode('alpha'))), ['Order sync', 'Refund export']);
    assert.deepEqual(labels(api.provider.getChildren(folderNode('beta'))), ['Invoice sync', 'Order sync']);
    assert.match(String(item(groupNode('alpha', 'Order sync')).description), /^2 executions · 1 unresolved$/);
    assert.match(String(item(groupNode('beta', 'Order sync')).description), /^1 execution · 1 unresolved$/);

    const alphaOrders = api.provider.getChildren(groupNode('alpha', 'Order sync'));
    assert.deepEqual(
      alphaOrders.map((n) => (n.kind === 'execution' ? n.id : n.kind)),
      ['ie-1', 'ie-3'],
    );
    assert.deepEqual(labels(alphaOrders), ['Post order to ERP', 'Module 3']);
    const betaOrders = api.provider.getChildren(groupNode('beta', 'Order sync'));
    assert.deepEqual(labels(betaOrders), ['Post order to CRM'], "beta's ie-1 is its own record, not alpha's");

    // the same id in two folders gives two distinct tree items
    const alphaItem = item(executionNode('alpha', 'Order sync', 'ie-1'));
    const betaItem = item(executionNode('beta', 'Order sync', 'ie-1'));
    assert.ok(alphaItem.id && betaItem.id && alphaItem.id !== betaItem.id, `distinct TreeItem ids (${alphaItem.id} / ${betaItem.id})`);

    // the parents chain up to the folder node (what reveal needs), and reveal works in the real view
    const betaIe1 = executionNode('beta', 'Order sync', 'ie-1');
    const parent = api.provider.getParent(betaIe1);
    assert.equal(parent, groupNode('beta', 'Order sync'));
    assert.equal(parent ? api.provider.getParent(parent) : undefined, folderNode('beta'));
    await api.treeView.reveal(betaIe1, { select: true, focus: false, expand: true });
    assert.deepEqual(api.treeView.selection, [betaIe1]);
  });

  test('the folder-level executionsFile setting is honoured (beta reads ops/executions.json, not its decoy)', async () => {
    const beta = modelFolder(api, 'beta');
    const alpha = modelFolder(api, 'alpha');
    const inspected = vscode.workspace.getConfiguration('fusionExecutions', workspaceFolder('beta').uri).inspect<string>('executionsFile');
    assert.equal(inspected?.workspaceFolderValue, 'ops/executions.json');
    assert.equal(
      vscode.workspace.getConfiguration('fusionExecutions', workspaceFolder('alpha').uri).get('executionsFile'),
      '.fusion/incomplete-executions.json',
    );
    assert.equal(beta.uri.fsPath, FILES.beta());
    assert.equal(alpha.uri.fsPath, FILES.alpha());
    assert.deepEqual([...beta.records.keys()], ['ie-1', 'ie-b2']);
    assert.equal(api.model.find('ie-decoy').length, 0, 'the decoy file is not read');
    const betaTooltip = item(folderNode('beta')).tooltip;
    assert.equal(typeof betaTooltip === 'string' ? betaTooltip : betaTooltip?.value, vscode.Uri.file(FILES.beta()).toString(true));

    // changing beta's folder setting switches beta (and only beta) to the other file
    await vscode.workspace
      .getConfiguration('fusionExecutions', workspaceFolder('beta').uri)
      .update('executionsFile', '.fusion/incomplete-executions.json', vscode.ConfigurationTarget.WorkspaceFolder);
    await waitForModel(api, () => modelFolder(api, 'beta').records.has('ie-decoy'), 'beta to load the file its setting now names');
    assert.equal(modelFolder(api, 'beta').uri.fsPath, FILES.betaDecoy());
    assert.deepEqual(labels(api.provider.getChildren(folderNode('beta'))), [readDoc(FILES.betaDecoy()).executions[0].scenario]);
    assert.equal(modelFolder(api, 'alpha').records.size, 3, 'alpha is untouched');
    assert.equal(modelFolder(api, 'alpha').uri.fsPath, FILES.alpha());
    await waitForBadge(api, 3, 'badge: alpha 2 + beta decoy 1');
  });

  test("Retry on an item of beta writes only beta's file (with beta's scenario); alpha's ie-1 stays", async () => {
    const node = executionNode('beta', 'Order sync', 'ie-1');
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.retry', node, [node]);
    // beta's Order sync never recovers; alpha's recovers on retry 1: "failed" proves beta's scenario was used
    assert.deepEqual(
      results?.map((r) => [r.id, r.result]),
      [['ie-1', 'failed']],
    );
    const betaIe1 = readDoc(FILES.beta()).executions.find((e) => e.id === 'ie-1');
    assert.equal(betaIe1?.attempts, 1);
    assert.equal(betaIe1?.history.at(-1)?.action, 'retry');
    assert.equal(fs.readFileSync(FILES.alpha(), 'utf8'), snapshot.text(FILES.alpha()), "alpha's file is byte-identical");
    assert.equal(fs.readFileSync(FILES.betaDecoy(), 'utf8'), snapshot.text(FILES.betaDecoy()), "beta's decoy is byte-identical");
    assert.equal(modelFolder(api, 'beta').records.get('ie-1')?.attempts, 1, 'the model reloaded beta');
    assert.equal(modelFolder(api, 'alpha').records.get('ie-1')?.attempts, 0);

    // programmatic ids with a folder name: the same id in alpha resolves with alpha's scenario
    const alphaResults = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.retry', {
      ids: ['ie-1'],
      folder: 'alpha',
    });
    assert.deepEqual(
      alphaResults?.map((r) => r.result),
      ['resolved'],
    );
    assert.equal(readDoc(FILES.alpha()).executions.find((e) => e.id === 'ie-1')?.status, 'resolved');
    assert.equal(
      readDoc(FILES.beta()).executions.find((e) => e.id === 'ie-1')?.status,
      'pending',
      "beta's ie-1 is as the first retry left it",
    );
  });

  test('Retry All on beta\'s "Order sync" group and Resolve with folder: beta only', async () => {
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.retryAll', groupNode('beta', 'Order sync'));
    assert.deepEqual(
      results?.map((r) => r.id),
      ['ie-1'],
      "only beta's retryable Order sync execution",
    );
    assert.equal(fs.readFileSync(FILES.alpha(), 'utf8'), snapshot.text(FILES.alpha()), "alpha's Order sync is not retried");

    const resolved = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.resolve', {
      ids: ['ie-1'],
      folder: 'beta',
      note: 'fixed in the CRM',
    });
    assert.deepEqual(
      resolved?.map((r) => r.result),
      ['resolved'],
    );
    const betaIe1 = readDoc(FILES.beta()).executions.find((e) => e.id === 'ie-1');
    assert.equal(betaIe1?.status, 'resolved');
    assert.equal(betaIe1?.history.at(-1)?.note, 'fixed in the CRM');
    assert.equal(fs.readFileSync(FILES.alpha(), 'utf8'), snapshot.text(FILES.alpha()), "alpha's ie-1 is not resolved");
    assert.equal(modelFolder(api, 'alpha').records.get('ie-1')?.status, 'unresolved');
  });

  test('the badge counts the unresolved executions of both folders', async () => {
    const unresolved = (file: string): number => readDoc(file).executions.filter((e) => e.status === 'unresolved').length;
    assert.equal(unresolved(FILES.alpha()), 2);
    assert.equal(unresolved(FILES.beta()), 1);
    await waitForBadge(api, 3, 'badge 3');
    assert.match(String(api.treeView.badge?.tooltip), /3 unresolved/);

    // resolving one in beta and one in alpha: the badge follows both files
    await vscode.commands.executeCommand('fusionExecutions.resolve', { ids: ['ie-1'], folder: 'beta', note: 'done' });
    await waitForBadge(api, 2, "badge 2 after beta's ie-1 is resolved");
    await vscode.commands.executeCommand('fusionExecutions.resolve', { ids: ['ie-2'], folder: 'alpha', note: 'done' });
    await waitForBadge(api, 1, "badge 1 after alpha's ie-2 is resolved");

    // an external edit of beta's file (another tool) is picked up by beta's watcher on ops/executions.json
    const doc = readDoc(FILES.beta());
    fs.writeFileSync(
      FILES.beta(),
      `${JSON.stringify({ ...doc, executions: doc.executions.map((e) => ({ ...e, status: 'unresolved' })) }, null, 2)}\n`,
    );
    await waitForBadge(api, 3, "badge 3 after beta's file turned both records unresolved");
  });

  test('an invalid file in alpha: only alpha is in the error state, the message names alpha; beta keeps working', async () => {
    const bad = '{\n  "version": 1,\n  "executions": [\n    { "id": "x" }\n    { "id": "y" }\n  ]\n}\n';
    fs.writeFileSync(FILES.alpha(), bad);
    await waitForModel(api, () => modelFolder(api, 'alpha').state === 'error', 'alpha in the error state');
    assert.equal(modelFolder(api, 'beta').state, 'ok');
    assert.equal(api.model.aggregateState(), 'error');
    const message = String(api.treeView.message);
    assert.match(message, /^alpha: incomplete-executions\.json:\d+:\d+: /, `tree message: ${message}`);
    assert.equal(message.split('\n').length, 1, `one problem only: ${message}`);
    assert.doesNotMatch(message, /beta/, 'beta is not named');
    assert.match(String(item(folderNode('alpha')).description), /incomplete-executions\.json:\d+:\d+: /);
    assert.equal(item(folderNode('beta')).description, '2 executions');
    assert.deepEqual(
      labels(api.provider.getChildren(folderNode('alpha'))),
      ['Order sync', 'Refund export'],
      'alpha keeps its last good tree',
    );
    assert.equal(api.treeView.badge?.value, 3, "the badge keeps alpha's last good count");

    // beta still works: a write to beta succeeds, alpha's bad file is left as it is
    const results = await vscode.commands.executeCommand<OperationResult[]>('fusionExecutions.resolve', {
      ids: ['ie-b2'],
      folder: 'beta',
      note: 'paid',
    });
    assert.deepEqual(
      results?.map((r) => r.result),
      ['resolved'],
    );
    assert.equal(readDoc(FILES.beta()).executions.find((e) => e.id === 'ie-b2')?.status, 'resolved');
    assert.equal(fs.readFileSync(FILES.alpha(), 'utf8'), bad, "alpha's file is not touched");
    assert.equal(modelFolder(api, 'alpha').state, 'error');

    // alpha fixed: the message goes away
    fs.writeFileSync(FILES.alpha(), snapshot.text(FILES.alpha()));
    await waitForModel(api, () => modelFolder(api, 'alpha').state === 'ok', 'alpha loads again');
    assert.equal(api.treeView.message, undefined);
    assert.equal(api.model.aggregateState(), 'ok');
  });

  test('a folder added to the workspace gets its root node (the root is refreshed) and counts in the badge; removed, it goes', async () => {
    // a third folder next to alpha and beta in the copy of the fixture
    const gammaPath = path.join(path.dirname(workspaceFolder('alpha').uri.fsPath), 'gamma');
    fs.rmSync(gammaPath, { recursive: true, force: true });
    fs.mkdirSync(path.join(gammaPath, '.fusion'), { recursive: true });
    const gammaDoc = JSON.parse(snapshot.text(FILES.alpha())) as { version: number; executions: { id: string; status: string }[] };
    fs.writeFileSync(
      path.join(gammaPath, '.fusion', 'incomplete-executions.json'),
      JSON.stringify(
        { ...gammaDoc, executions: gammaDoc.executions.map((e) => ({ ...e, id: `g-${e.id}`, status: 'unresolved' })) },
        null,
        2,
      ),
    );
    const gammaUri = vscode.Uri.file(gammaPath);
    const fired: (ExecutionsTreeNode | ExecutionsTreeNode[] | undefined | null | void)[] = [];
    const sub = api.provider.onDidChangeTreeData((e) => fired.push(e));
    const folderEvent = (): Promise<void> =>
      new Promise((resolve) => {
        const s = vscode.workspace.onDidChangeWorkspaceFolders(() => {
          s.dispose();
          resolve();
        });
      });
    try {
      labels(roots()); // the view has asked for the root once (two folder nodes)
      let changed = folderEvent();
      assert.ok(
        vscode.workspace.updateWorkspaceFolders(2, 0, { uri: gammaUri, name: 'gamma' }),
        'updateWorkspaceFolders accepted the new folder',
      );
      await changed;
      await waitForModel(api, () => api.model.folders().find((f) => f.folder.name === 'gamma')?.state === 'ok', 'gamma loaded');
      assert.ok(
        fired.some((e) => e === undefined || e === null),
        `the root is refreshed so the view asks for the new folder node (events: ${fired.map((e) => (Array.isArray(e) ? `[${e.map((n) => n.kind).join(',')}]` : e ? e.kind : String(e))).join(' ')})`,
      );
      assert.deepEqual(labels(roots()), ['alpha', 'beta', 'gamma']);
      assert.deepEqual(labels(api.provider.getChildren(roots()[2])), ['Order sync', 'Refund export']);
      await waitForBadge(api, 6, 'badge: alpha 2 + beta 1 + gamma 3');

      fired.length = 0;
      changed = folderEvent();
      assert.ok(vscode.workspace.updateWorkspaceFolders(2, 1), 'updateWorkspaceFolders accepted the removal');
      await changed;
      await waitForBadge(api, 3, 'badge back to alpha 2 + beta 1');
      assert.deepEqual(labels(roots()), ['alpha', 'beta']);
      assert.ok(
        fired.some((e) => e === undefined || e === null),
        'the root is refreshed when a folder goes',
      );
    } finally {
      sub.dispose();
      if (vscode.workspace.workspaceFolders?.some((f) => f.name === 'gamma')) {
        const changed = folderEvent();
        vscode.workspace.updateWorkspaceFolders(2, 1);
        await changed;
      }
      fs.rmSync(gammaPath, { recursive: true, force: true });
    }
  });

  test("Open Executions File on a folder node opens that folder's file (beta: the configured ops/executions.json)", async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('fusionExecutions.openExecutionsFile', folderNode('beta'));
    assert.equal(uri?.fsPath, FILES.beta());
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, FILES.beta());
    const alphaUri = await vscode.commands.executeCommand<vscode.Uri>('fusionExecutions.openExecutionsFile', { folder: 'alpha' });
    assert.equal(alphaUri?.fsPath, FILES.alpha());
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, FILES.alpha());
  });

  const revealCases: { folder: FolderName; file: string; moduleName: string }[] = [
    { folder: 'beta', file: 'flows/orders.scenario.yaml', moduleName: 'Post order to CRM' },
    { folder: 'alpha', file: 'scenarios/orders.scenario.yaml', moduleName: 'Post order to ERP' },
  ];
  for (const c of revealCases) {
    test(`Reveal Module on ${c.folder}'s ie-1 opens ${c.folder}'s "Order sync" at module 2`, async () => {
      const result = await vscode.commands.executeCommand<RevealResult>(
        'fusionExecutions.revealModule',
        executionNode(c.folder, 'Order sync', 'ie-1'),
      );
      assert.ok(result, 'Reveal Module returned nothing (see the error notification / log)');
      assert.equal(path.normalize(result.uri.fsPath), inFolder(c.folder, c.file));
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), result.uri.toString(), 'the scenario is the active editor');
      assert.ok(result.range, 'module 2 is found in the file');
      const text = editor.document.getText();
      const line = editor.document.lineAt(result.range.start.line).text;
      assert.match(line, /id:\s*2\b/, `the selection is on module 2's id (line "${line}")`);
      assert.equal(editor.selection.start.line, result.range.start.line);
      // module 2's name follows its id in this folder's file
      assert.ok(
        text.indexOf(c.moduleName) > editor.document.offsetAt(result.range.start),
        `${c.moduleName} is module 2's name in ${c.file}`,
      );
    });
  }
});
