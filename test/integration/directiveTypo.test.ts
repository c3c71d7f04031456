// A directive Fusion does not know (`directive: brake`) in the real editor: one unknown-directive
// error and no follow-on findings, hover and CodeLens that claim no outcome, and the quick fix
// "Change to 'break'" applied through the code action provider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  fusionDiagnostics,
  hasCode,
  hoverText,
  positionOf,
  Scratch,
  waitForDiagnostics,
} from './scenarioSupport';

const FIXTURE = 'directive-typo.scenario.yaml';

suite('directive typo', function () {
  this.timeout(60000);
  let scratch: Scratch;

  suiteSetup(async () => {
    await activateExtension();
    scratch = new Scratch('typo');
  });
  suiteTeardown(async () => scratch?.dispose());

  test('diagnostics: one unknown-directive error, no invalid-retry-settings', async () => {
    const uri = await scratch.copy(FIXTURE);
    await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, hasCode('unknown-directive'), 'unknown-directive');
    const codes = fusionDiagnostics(uri).map(codeOf);
    assert.deepEqual(codes, ['unknown-directive']);
  });

  test('hover and CodeLens say unknown, never that the error is handled', async () => {
    const uri = await scratch.copy(FIXTURE, 'hover.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, hasCode('unknown-directive'), 'unknown-directive');
    const onValue = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      positionOf(doc, 'directive: brake', 0, 'directive: '.length + 2),
    );
    const directiveHover = hoverText(onValue);
    assert.match(directiveHover, /Directive `brake`/);
    assert.match(directiveHover, /not one Fusion knows/);
    assert.doesNotMatch(directiveHover, /Ignores the error|handled and the run goes on/);
    const onModule = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      positionOf(doc, '- id: 2', 0, 6),
    );
    const moduleHover = hoverText(onModule);
    assert.match(moduleHover, /its directive 'brake' is not one Fusion knows/);
    assert.doesNotMatch(moduleHover, /handled and the run goes on|No error-handler route applies/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 20);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => t.includes("unknown: the directive 'brake' is not one Fusion knows")),
      JSON.stringify(titles),
    );
    assert.ok(!titles.some((t) => t.includes('every error is handled')), JSON.stringify(titles));
  });

  test('the code action "Change to \'break\'" is preferred and yields directive: break', async () => {
    const uri = await scratch.copy(FIXTURE, 'fix.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, hasCode('unknown-directive'), 'unknown-directive');
    const diag = fusionDiagnostics(uri).find((d) => codeOf(d) === 'unknown-directive');
    assert.ok(diag);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const change = actions.filter((a): a is vscode.CodeAction => 'edit' in a && a.title.startsWith('Change to '));
    assert.deepEqual(
      change.map((a) => [a.title, a.isPreferred === true]),
      [["Change to 'break'", true]],
    );
    const edit = change[0].edit;
    assert.ok(edit);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const text = doc.getText();
    assert.match(text, /^ {6}directive: break # retry later$/m);
    assert.equal(text.replace('directive: break', 'directive: brake'), (await vscode.workspace.fs.readFile(uri)).toString());
    await waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'unknown-directive'), 'fixed');
    assert.deepEqual(fusionDiagnostics(uri).map(codeOf), []);
  });
});
