// Quick fixes on scenario files: applied for real, then the diagnostic must go and the text must keep its shape.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, fusionDiagnostics, hasCode, positionOf, Scratch, waitForDiagnostics } from './scenarioSupport';

const ADD_TITLES = [
  'Add error handler (Break with auto-retry)',
  'Add error handler (Resume)',
  'Add error handler (Ignore)',
  'Add error handler (Rollback)',
];
const DISABLE_TITLE = 'Disable missing-error-handler for this line';

async function quickFixes(uri: vscode.Uri, diag: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diag.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions
    .filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a)
    .filter((a) => ADD_TITLES.includes(a.title) || a.title.startsWith('Disable '));
}

function missingAt(uri: vscode.Uri, line: number): vscode.Diagnostic | undefined {
  return fusionDiagnostics(uri).find((d) => codeOf(d) === 'missing-error-handler' && d.range.start.line === line);
}

/** Every line of `before` still appears in `after`, in order (nothing rewritten, comments kept). */
function assertKeptLines(before: string, after: string): void {
  const rest = after.split(/\r?\n/);
  let i = 0;
  for (const line of before.split(/\r?\n/)) {
    while (i < rest.length && rest[i] !== line) i++;
    assert.ok(i < rest.length, `line lost or changed: ${JSON.stringify(line)}`);
    i++;
  }
}

suite('scenario quick fixes', function () {
  this.timeout(60000);
  let scratch: Scratch;

  suiteSetup(async () => {
    await activateExtension();
    scratch = new Scratch('fix');
  });
  suiteTeardown(async () => scratch?.dispose());

  // (vscode.executeCodeActionProvider does not hand back CodeAction.diagnostics, so that link is not observable here)
  test('missing-error-handler offers the four handlers (Break preferred) and disable-line', async () => {
    const uri = await scratch.copy('invoices.scenario.yaml', 'offers.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = positionOf(doc, '- id: 2').line;
    await waitForDiagnostics(uri, () => missingAt(uri, line) !== undefined, 'module 2');
    const diag = missingAt(uri, line);
    assert.ok(diag);
    const fixes = await quickFixes(uri, diag);
    assert.deepEqual(fixes.map((f) => f.title).sort(), [...ADD_TITLES, DISABLE_TITLE].sort());
    for (const f of fixes) {
      assert.equal(f.kind?.value, vscode.CodeActionKind.QuickFix.value);
    }
    assert.deepEqual(
      fixes.filter((f) => f.isPreferred).map((f) => f.title),
      [ADD_TITLES[0]],
    );
  });

  for (const [title, directive] of [
    [ADD_TITLES[0], 'break'],
    [ADD_TITLES[3], 'rollback'],
  ] as const) {
    test(`"${title}" on YAML removes the diagnostic and keeps indentation and comments`, async () => {
      const uri = await scratch.copy('invoices.scenario.yaml', `${directive}.scenario.yaml`);
      const doc = await vscode.workspace.openTextDocument(uri);
      const before = doc.getText();
      const line = positionOf(doc, '- id: 2').line;
      await waitForDiagnostics(uri, () => missingAt(uri, line) !== undefined, 'module 2');
      const fix = (await quickFixes(uri, missingAt(uri, line)!)).find((f) => f.title === title);
      assert.ok(fix?.edit);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'missing-error-handler'), 'fixed');
      const after = doc.getText();
      assertKeptLines(before, after);
      assert.ok(after.includes('# fetch the PDF; no handler yet'));
      assert.match(after, new RegExp(`\\n    onError:[\\s\\S]*directive: ${directive}`));
      // the new route belongs to module 2: it comes before module 3
      const route = after.indexOf(`directive: ${directive}`, after.indexOf('- id: 2'));
      assert.ok(route > 0 && route < after.indexOf('- id: 3'));
      if (directive === 'break') assert.match(after.slice(route - 200, route + 200), /autoComplete: true/);
    });
  }

  test('"Disable missing-error-handler for this line" adds the comment with the line\'s indentation', async () => {
    const uri = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'disable.scenario.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = positionOf(doc, '- id: 2').line;
    await waitForDiagnostics(uri, () => missingAt(uri, line) !== undefined, 'module 2');
    const fix = (await quickFixes(uri, missingAt(uri, line)!)).find((f) => f.title === DISABLE_TITLE);
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'missing-error-handler'), 'suppressed');
    assert.match(doc.getText(), /\n {2}# fusion-lint-disable-next-line missing-error-handler\r?\n {2}- id: 2/);
  });

  test('a blueprint with storage off gets Resume/Ignore/Rollback fixes (no Break, no comment fix in JSON) and stays valid JSON', async () => {
    const uri = await scratch.copy('calendar-agent.blueprint.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    const diags = await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'blueprint');
    const count = diags.filter((d) => codeOf(d) === 'missing-error-handler').length;
    const first = diags.find((d) => codeOf(d) === 'missing-error-handler')!;
    const fixes = await quickFixes(uri, first);
    // calendar-agent has storing of incomplete executions off (dlq false): no Break fix there.
    assert.deepEqual(fixes.map((f) => f.title).sort(), ADD_TITLES.slice(1).sort());
    const resume = fixes.find((f) => f.title === ADD_TITLES[1]);
    assert.ok(resume?.edit);
    assert.ok(await vscode.workspace.applyEdit(resume.edit));
    await waitForDiagnostics(uri, (ds) => ds.filter((d) => codeOf(d) === 'missing-error-handler').length === count - 1, 'one fewer');
    const parsed: unknown = JSON.parse(doc.getText());
    assert.ok(typeof parsed === 'object' && parsed !== null && 'flow' in parsed);
    assert.ok(doc.getText().includes('builtin:Resume'));
    assert.ok(!fusionDiagnostics(uri).some((d) => codeOf(d) === 'json-syntax'));
  });
});
