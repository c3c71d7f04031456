// Quick fixes and messages as a person meets them, in the real extension host: the fix for a
// module without an error handler is offered anywhere on the module, and its warning is one short
// line with the per-family detail in the diagnostic's related information.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, fusionDiagnostics, positionOf, Scratch, waitForDiagnostics } from './scenarioSupport';

const ADD_TITLES = [
  'Add error handler (Break with auto-retry)',
  'Add error handler (Resume)',
  'Add error handler (Ignore)',
  'Add error handler (Rollback)',
];

async function codeActionsAt(uri: vscode.Uri, at: vscode.Position): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    new vscode.Range(at, at),
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a);
}

function missingOn(uri: vscode.Uri, line: number): vscode.Diagnostic | undefined {
  return fusionDiagnostics(uri).find((d) => codeOf(d) === 'missing-error-handler' && d.range.start.line === line);
}

suite('scenario quick fixes and messages (polish)', function () {
  this.timeout(60000);
  let scratch: Scratch;

  suiteSetup(async () => {
    await activateExtension();
    scratch = new Scratch('polish');
  });
  suiteTeardown(async () => scratch?.dispose());

  test('the missing-error-handler fixes are offered anywhere on the module (its name: and app: lines), and applying one works', async () => {
    const uri = await scratch.copy('invoices.scenario.yaml', 'anywhere.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const idLine = positionOf(doc, '- id: 2').line;
    await waitForDiagnostics(uri, () => missingOn(uri, idLine) !== undefined, 'module 2');
    for (const needle of ['name: Fetch invoice PDF', 'app: http:makeRequest']) {
      const at = positionOf(doc, needle, 0, 3);
      assert.notEqual(at.line, idLine, 'the cursor is not on the diagnostic’s line');
      const actions = await codeActionsAt(uri, at);
      assert.deepEqual(
        actions.map((a) => a.title).filter((t) => ADD_TITLES.includes(t)),
        ADD_TITLES,
        `on "${needle}": ${actions.map((a) => a.title).join(', ')}`,
      );
      assert.equal(actions.find((a) => a.isPreferred)?.title, ADD_TITLES[0]);
    }
    // a module that has a handler (module 3, on its name: line) gets none
    const covered = await codeActionsAt(uri, positionOf(doc, 'name: Upload to Drive', 0, 3));
    assert.deepEqual(
      covered.map((a) => a.title).filter((t) => ADD_TITLES.includes(t)),
      [],
    );
    // applying the fix from the name: line adds the route to module 2 and the warning goes
    const fix = (await codeActionsAt(uri, positionOf(doc, 'name: Fetch invoice PDF', 0, 3))).find((a) => a.title === ADD_TITLES[0]);
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await doc.save(); // (a dirty scratch file would be asked to be saved after its folder is gone)
    const after = doc.getText().split(/- id: 3/)[0] ?? '';
    assert.match(after.split('- id: 2')[1] ?? '', /onError:[\s\S]*directive: break/);
    await waitForDiagnostics(uri, () => missingOn(uri, idLine) === undefined, 'the warning on module 2 to go');
  });

  test('the missing-error-handler message is one short line; the per-family detail is in the related information', async () => {
    const uri = await scratch.copy('invoices.scenario.yaml', 'message.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const idLine = positionOf(doc, '- id: 2').line;
    await waitForDiagnostics(uri, () => missingOn(uri, idLine) !== undefined, 'module 2');
    const d = missingOn(uri, idLine);
    assert.ok(d);
    assert.equal(
      d.message,
      'Module 2 "Fetch invoice PDF" (http:makeRequest) has no error-handler route: a failure stores an incomplete execution or fails the run.',
    );
    assert.ok(d.message.length <= 140, `${d.message.length} characters`);
    assert.equal(d.relatedInformation?.length, 1, 'the detail is attached');
    const detail = d.relatedInformation[0];
    assert.match(
      detail.message,
      /^ConnectionError, RateLimitError, OutOfSpaceError, ModuleTimeoutError store an incomplete execution with automatic retry; /,
    );
    assert.match(detail.message, /; any other error fails the run\.$/);
    assert.equal(detail.location.uri.toString(), uri.toString());
    assert.equal(detail.location.range.start.line, idLine, 'it points at the module');
  });
});
