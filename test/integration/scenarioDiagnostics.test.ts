// Diagnostics on scenario files, in the real extension host: workspace scan, typing, settings, deletion.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  fixtureUri,
  fusionDiagnostics,
  hasCode,
  lacksCode,
  positionOf,
  Scratch,
  setSetting,
  waitForDiagnostics,
} from './scenarioSupport';
import { LINT_CODES } from '../../src/core/lint/registry';
import { NOT_FROM_SCENARIO_FILES, RULE_FIXTURES } from './ruleFixtures';

suite('scenario diagnostics', function () {
  this.timeout(60000);
  let scratch: Scratch;

  suiteSetup(async () => {
    await activateExtension();
    scratch = new Scratch('diag');
  });

  suiteTeardown(async () => {
    await setSetting('lint.severity', undefined);
    await setSetting('lint.onType', undefined);
    await scratch?.dispose();
  });

  test('every rule of the registry has a fixture, and every fixture a rule', () => {
    assert.deepEqual(Object.keys(RULE_FIXTURES).sort(), [...LINT_CODES].sort());
  });

  // Every rule of the registry (not only the fixture map's keys), so a rule without a fixture fails here too.
  for (const code of LINT_CODES.filter((c) => RULE_FIXTURES[c] !== null || !NOT_FROM_SCENARIO_FILES[c])) {
    const file: string | null | undefined = RULE_FIXTURES[code];
    test(`workspace scan reports ${code} on ${file ?? '(no fixture)'} without opening it`, async () => {
      assert.ok(file, `${code} has no fixture in test/integration/ruleFixtures.ts`);
      const uri = fixtureUri(file);
      const diags = await waitForDiagnostics(uri, hasCode(code), code);
      const d = diags.find((x) => codeOf(x) === code);
      assert.ok(d);
      assert.equal(d.source, 'fusion');
      assert.ok(d.message.length > 0);
      const target = typeof d.code === 'object' ? d.code.target : undefined;
      assert.ok(target, 'the code links to its rule page');
      assert.ok(target.path.endsWith(`/docs/rules/${code}.md`), target.toString());
      // the page exists in the installed extension
      const stat = await vscode.workspace.fs.stat(target);
      assert.equal(stat.type, vscode.FileType.File);
    });
  }

  test('missing-error-handler sits on the module and json-syntax on the parser position', async () => {
    const invoices = fixtureUri('invoices.scenario.yaml');
    const diags = await waitForDiagnostics(invoices, hasCode('missing-error-handler'), 'invoices');
    const doc = await vscode.workspace.openTextDocument(invoices);
    const missing = diags.filter((d) => codeOf(d) === 'missing-error-handler');
    assert.deepEqual(
      missing.map((d) => d.range.start.line),
      [positionOf(doc, '- id: 2').line],
      'only module 2 lacks a handler (3 has one, 5 is covered by its router, 61 is in a handler route)',
    );
    assert.equal(missing[0].severity, vscode.DiagnosticSeverity.Warning);
    const broken = fusionDiagnostics(fixtureUri('newsletter.broken.blueprint.json')).find((d) => codeOf(d) === 'json-syntax');
    assert.ok(broken && broken.range.start.line > 0, 'json-syntax points into the file, not at its start');
    assert.equal(broken.severity, vscode.DiagnosticSeverity.Error);
  });

  test('a blueprint gets missing-error-handler on each unhandled module (not the trigger, not the router)', async () => {
    const uri = fixtureUri('calendar-agent.blueprint.json');
    const diags = await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'calendar-agent');
    const doc = await vscode.workspace.openTextDocument(uri);
    const missing = diags.filter((d) => codeOf(d) === 'missing-error-handler');
    assert.equal(missing.length, 8, 'modules 3..10 inside the router branches');
    const triggerLine = positionOf(doc, '"id":1').line;
    const routerLine = positionOf(doc, '"id":2').line;
    assert.ok(missing.every((d) => d.range.start.line !== triggerLine && d.range.start.line !== routerLine));
  });

  test('typing updates the diagnostics after the debounce, not synchronously', async () => {
    const uri = await scratch.copy('rules/missing-error-handler.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'before the edit');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(doc.lineCount, 0), '    onError: {directive: ignore}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(hasCode('missing-error-handler')(fusionDiagnostics(uri)), 'still the old result right after the edit (debounced)');
    await waitForDiagnostics(uri, lacksCode('missing-error-handler'), 'after the edit');
  });

  test('several quick edits end in the result for the last text', async () => {
    const uri = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'burst.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'before');
    for (const text of ['    onError: {directive: ignore}\n', '  - id: 3\n', '    app: slack:createMessage\n']) {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(doc.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    }
    const diags = await waitForDiagnostics(
      uri,
      (ds) =>
        ds.filter((d) => codeOf(d) === 'missing-error-handler').length === 1 && ds[0].range.start.line === positionOf(doc, '- id: 3').line,
      'module 3 unhandled, module 2 handled',
    );
    assert.equal(diags.length, 1);
  });

  test('with lint.onType off, saving lints', async () => {
    const uri = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'onsave.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'before');
    await setSetting('lint.onType', false);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(doc.lineCount, 0), '    onError: {directive: ignore}\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save());
      await waitForDiagnostics(uri, lacksCode('missing-error-handler'), 'after save');
    } finally {
      await setSetting('lint.onType', undefined);
    }
  });

  test('the severity setting changes severities and "off" drops the rule', async () => {
    const uri = fixtureUri('rules/missing-error-handler.scenario.yaml');
    await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'default');
    await setSetting('lint.severity', { 'missing-error-handler': 'error' });
    await waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => codeOf(d) === 'missing-error-handler' && d.severity === vscode.DiagnosticSeverity.Error),
      'as error',
    );
    await setSetting('lint.severity', { 'missing-error-handler': 'off' });
    await waitForDiagnostics(uri, lacksCode('missing-error-handler'), 'off');
    await setSetting('lint.severity', undefined);
    await waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => codeOf(d) === 'missing-error-handler' && d.severity === vscode.DiagnosticSeverity.Warning),
      'back to warning',
    );
  });

  test('a file created on disk is linted, and its diagnostics go when it is deleted', async () => {
    const uri = await scratch.copy('rules/unknown-directive.scenario.yaml', 'created.scenario.yaml');
    await waitForDiagnostics(uri, hasCode('unknown-directive'), 'created file (watcher)');
    await vscode.workspace.fs.delete(uri, { useTrash: false });
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 'deleted file');
  });

  test('an untitled blueprint is linted while open and cleared when closed', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'json',
      content:
        '{"name": "u", "flow": [{"id": 1, "module": "gateway:CustomWebHook"}, {"id": 2, "module": "http:ActionSendData"}], "metadata": {"scenario": {"dlq": true}}}',
    });
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(doc.uri, hasCode('missing-error-handler'), 'untitled blueprint');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForDiagnostics(doc.uri, (ds) => ds.length === 0, 'closed untitled');
  });

  test('a workspace scenario keeps its diagnostics after its editor closes (re-linted from disk)', async () => {
    const uri = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'closing.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(doc.lineCount, 0), '    onError: {directive: ignore}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(uri, lacksCode('missing-error-handler'), 'edited, unsaved');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'closed: the saved content again');
  });
});
