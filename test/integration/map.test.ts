// The failure map panel in the real host: opened by its command, coloured through the classifier,
// live on edit, following the editor's cursor, simulating in memory only.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FailureMapState } from '../../src/extension/map/panel';
import { activateExtension, fixtureUri, positionOf, Scratch, workspaceRoot } from './scenarioSupport';

const SHOW = 'fusionExecutions.showFailureMap';
const STATE = 'fusionExecutions.failureMapState';

async function state(): Promise<FailureMapState | undefined> {
  return vscode.commands.executeCommand<FailureMapState | undefined>(STATE);
}

/** Polls the map's state until `ok` holds (the panel redraws 300 ms after an edit). */
async function eventually(ok: (s: FailureMapState) => boolean, what: string, ms = 10000): Promise<FailureMapState> {
  const end = Date.now() + ms;
  let last: FailureMapState | undefined;
  while (Date.now() < end) {
    last = await state();
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out waiting for the map: ${what}; last state: ${JSON.stringify(last && { ...last, colouring: undefined, overlay: undefined })}`,
  );
}

async function eventuallyTrue(ok: () => boolean, what: string, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function mapTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('fusionExecutions.failureMap'));
}

suite('failure map', function () {
  this.timeout(60000);
  let scratch: Scratch;

  suiteSetup(async () => {
    await activateExtension();
    scratch = new Scratch('map');
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await scratch?.dispose();
  });

  test('Show Failure Map opens one webview beside the scenario, coloured for ConnectionError', async () => {
    const uri = fixtureUri('invoices.scenario.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const shown = await vscode.commands.executeCommand<FailureMapState>(SHOW);
    assert.ok(shown, 'the command returns the map state');
    assert.equal(shown.uri, uri.toString());
    assert.equal(shown.selection, 'type:ConnectionError');
    // 7 modules, 3 directive nodes (modules 3, 4, 6)
    assert.equal(shown.nodes, 10);
    await eventuallyTrue(() => mapTabs().length === 1, 'one map tab');
    assert.equal(shown.colouring?.counts.stopped, 1, 'the trigger stops');
    assert.equal(shown.colouring?.counts.handled, 2, "router 4 and module 5: the router's Ignore handles them");
    assert.equal(shown.colouring?.counts.fails, 1, "module 6's Rollback");
    assert.equal(shown.colouring?.counts['stored-retry'], 3, 'modules 2, 3 (Break with retry) and the handler module 61');
    await vscode.commands.executeCommand(SHOW, { uri });
    assert.equal(mapTabs().length, 1, 'a second call reuses the panel');
  });

  test('another error type recolours: DataError is stored without retry where nothing handles it', async () => {
    const s = await vscode.commands.executeCommand<FailureMapState>(SHOW, {
      uri: fixtureUri('invoices.scenario.yaml'),
      selection: 'type:DataError',
    });
    assert.equal(s.selection, 'type:DataError');
    assert.equal(s.colouring?.counts.stored, 3, 'modules 2, 3 (its filter does not list DataError) and 61');
    const uri = await scratch.write(
      'family.scenario.yaml',
      'name: F\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n    onError:\n      errors: [ConnectionError]\n      directive: ignore\n',
    );
    const family = await vscode.commands.executeCommand<FailureMapState>(SHOW, { uri, selection: 'family:connection' });
    assert.equal(family.colouring?.counts.depends, 1, "module 2's filter catches only some connection errors");
    await vscode.commands.executeCommand(SHOW, { uri: fixtureUri('invoices.scenario.yaml'), selection: 'type:ConnectionError' });
  });

  test('live on edit: a new module appears after the debounce; the cursor highlights its module', async () => {
    const uri = await scratch.copy('invoices.scenario.yaml', 'live.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const before = await vscode.commands.executeCommand<FailureMapState>(SHOW, { uri });
    assert.equal(before.uri, uri.toString());
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, positionOf(doc, 'simulation:'), '  - id: 7\n    app: gmail:sendEmail\n    name: Mail the customer\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await eventually((s) => s.version === doc.version && s.nodes === before.nodes + 1, 'the edit is drawn');
    assert.equal(after.uri, uri.toString());
    editor.selection = new vscode.Selection(positionOf(doc, 'Mail the customer'), positionOf(doc, 'Mail the customer'));
    await eventually((s) => s.highlightedModule === 7, 'module 7 highlighted');
    editor.selection = new vscode.Selection(positionOf(doc, 'Tell finance'), positionOf(doc, 'Tell finance'));
    await eventually((s) => s.highlightedModule === 5, 'module 5 highlighted');
    // a file that no longer parses keeps the last drawing and says why
    const broken = new vscode.WorkspaceEdit();
    broken.insert(uri, new vscode.Position(0, 0), 'name: [\n');
    await vscode.workspace.applyEdit(broken);
    const bad = await eventually((s) => s.problem !== undefined, 'the parse problem is shown');
    assert.equal(bad.nodes, after.nodes, 'the last good map stays');
  });

  test('the map follows the active scenario editor', async () => {
    const other = fixtureUri('language.scenario.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other), vscode.ViewColumn.One);
    const s = await eventually((x) => x.uri === other.toString(), 'the map shows the active file');
    assert.equal(s.nodes, 4, 'three modules and a Break');
  });

  test('Simulate draws each bundle in memory and never writes the executions file', async () => {
    const executions = vscode.Uri.joinPath(workspaceRoot(), '.fusion', 'incomplete-executions.json');
    const before = await vscode.workspace.fs.readFile(executions).then(
      (b) => Buffer.from(b).toString('utf8'),
      () => undefined,
    );
    const s = await vscode.commands.executeCommand<FailureMapState>(SHOW, { uri: fixtureUri('invoices.scenario.yaml'), simulate: 'file' });
    assert.ok(s.overlay, 'an overlay');
    assert.equal(s.overlay.bundles.length, 2);
    const [b1] = s.overlay.bundles;
    assert.equal(b1.result, 'stored');
    assert.deepEqual(
      b1.events.map((e) => e.kind),
      ['stored-retry'],
      'module 2 fails with ConnectionError, stored with retry',
    );
    assert.equal(b1.nodes.length, 2, 'bundle 1 stops at module 2');
    const whatIf = await vscode.commands.executeCommand<FailureMapState>(SHOW, {
      uri: fixtureUri('invoices.scenario.yaml'),
      selection: 'type:DataError',
      simulate: 'what-if',
      module: 6,
    });
    assert.deepEqual(
      whatIf.overlay?.bundles[0].events.map((e) => e.kind),
      ['rolled-back'],
    );
    const after = await vscode.workspace.fs.readFile(executions).then(
      (b) => Buffer.from(b).toString('utf8'),
      () => undefined,
    );
    assert.equal(after, before, 'the executions file is untouched');
    await vscode.commands.executeCommand(SHOW, { uri: fixtureUri('invoices.scenario.yaml'), selection: 'type:ConnectionError' });
  });

  test('the command refuses a file that is not a scenario', async () => {
    const uri = await scratch.write('notes.json', '{"hello": 1}');
    const s = await vscode.commands.executeCommand<FailureMapState | undefined>(SHOW, { uri });
    assert.equal(s, undefined);
  });
});
