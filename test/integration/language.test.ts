// Language features of our own on scenario files, through the real host's provider commands:
// completion, outline, definition, references and rename of module ids.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ERROR_TYPES } from '../../src/core/catalogue/catalogue';
import { activateExtension, fixtureUri, positionOf, Scratch } from './scenarioSupport';

async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
  return [...list.items].sort((a, b) => (a.sortText ?? label(a)).localeCompare(b.sortText ?? label(b))).map(label);
}

function symbolNames(symbols: readonly vscode.DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [`${'  '.repeat(depth)}${s.name}`, ...symbolNames(s.children, depth + 1)]);
}

suite('scenario language features', function () {
  this.timeout(60000);
  let scratch: Scratch;
  const language = () => fixtureUri('language.scenario.yaml');

  suiteSetup(async () => {
    await activateExtension();
    scratch = new Scratch('lang');
  });
  suiteTeardown(async () => {
    await scratch?.dispose();
  });

  test('Ctrl+Space after `directive: ` offers the five directives (not words of the file)', async () => {
    const uri = await scratch.write(
      'completion.scenario.yaml',
      'name: C\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: acme:doIt\n    onError:\n      directive: \n',
    );
    const doc = await vscode.workspace.openTextDocument(uri);
    const labels = await completionLabels(uri, positionOf(doc, 'directive: ', 0, 'directive: '.length));
    for (const d of ['break', 'resume', 'ignore', 'commit', 'rollback']) assert.ok(labels.includes(d), `${d} in ${labels.join(', ')}`);
    assert.deepEqual(labels.slice(0, 5), ['break', 'resume', 'ignore', 'commit', 'rollback'], 'ours come first, in order');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      positionOf(doc, 'directive: ', 0, 11),
    );
    const brk = list.items.find((i) => i.label === 'break');
    assert.ok(brk?.documentation, 'a directive comes with its description');
  });

  test('error types in `errors:` lists and faults; module ids in `faults[].module`', async () => {
    const uri = await scratch.write(
      'errors.scenario.yaml',
      'name: E\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n    name: Second\n    onError:\n      errors: [ConnectionError, ]\n      directive: ignore\nsimulation:\n  faults:\n    - module: \n      error: \n',
    );
    const doc = await vscode.workspace.openTextDocument(uri);
    const inList = await completionLabels(uri, positionOf(doc, 'ConnectionError, ', 0, 'ConnectionError, '.length));
    assert.ok(inList.includes('DataError') && inList.includes('RateLimitError'));
    assert.ok(!inList.slice(0, ERROR_TYPES.length - 1).includes('ConnectionError'), 'the one already listed is not offered again');
    const faultError = await completionLabels(uri, positionOf(doc, 'error: \n', 0, 7));
    assert.ok(faultError.includes('ModuleTimeoutError'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      positionOf(doc, 'module: \n', 0, 8),
    );
    const ids = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Reference);
    assert.deepEqual(
      ids.map((i) => [i.label, i.detail]),
      [
        ['1', 'a:b'],
        ['2', 'Second · c:d'],
      ],
    );
  });

  test('setting keys under `settings:`', async () => {
    const uri = await scratch.write(
      'settings.scenario.yaml',
      'name: S\nsettings:\n  storeIncompleteExecutions: true\n  \nmodules:\n  - id: 1\n    app: a:b\n',
    );
    const doc = await vscode.workspace.openTextDocument(uri);
    const labels = await completionLabels(uri, new vscode.Position(3, 2));
    assert.ok(
      labels.includes('sequentialProcessing') && labels.includes('maxConsecutiveErrors') && labels.includes('profile'),
      labels.join(', '),
    );
    assert.ok(!labels.slice(0, 5).includes('storeIncompleteExecutions'));
    assert.ok(doc);
  });

  test('the Outline: modules with id and name, routes and handler routes nested, the faults', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      fixtureUri('invoices.scenario.yaml'),
    );
    const names = symbolNames(symbols);
    assert.deepEqual(names.slice(0, 11), [
      '1 · Watch approved invoices',
      '2 · Fetch invoice PDF',
      '3 · Upload to Drive',
      '  On error: Break',
      '4 · builtin:router',
      '  On error: Ignore',
      '  Paid',
      '    5 · Tell finance',
      '6 · Mark exported',
      '  On error: Rollback',
      '    61 · slack:createMessage',
    ]);
    assert.ok(names.includes('Simulation'));
    const router = symbols.find((s) => s.name.startsWith('4 '));
    assert.equal(router?.kind, vscode.SymbolKind.Namespace);
  });

  test('the Outline of an exported blueprint', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      fixtureUri('calendar-agent.blueprint.json'),
    );
    const names = symbolNames(symbols);
    assert.ok(
      names.some((n) => /^\d+ · builtin:BasicRouter$/.test(n)),
      names.join('\n'),
    );
    assert.ok(names.filter((n) => /^ {2}\S/.test(n)).length >= 4, 'the router routes are nested');
  });

  test('F12 on `faults: - module: 2` goes to module 2', async () => {
    const doc = await vscode.workspace.openTextDocument(language());
    const at = positionOf(doc, '- module: 2', 0, '- module: '.length);
    const links = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      at,
    );
    assert.equal(links.length, 1);
    const link = links[0];
    const range = 'targetSelectionRange' in link ? link.targetSelectionRange : (link as vscode.Location).range;
    assert.ok(range);
    assert.deepEqual(range.start, positionOf(doc, '- id: 2', 0, '- id: '.length));
    const iml = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      positionOf(doc, '{{2.body', 0, 2),
    );
    assert.equal(iml.length, 1, 'an IML reference goes there too');
  });

  test('references of module 2: its id, the IML reference and the fault', async () => {
    const doc = await vscode.workspace.openTextDocument(language());
    const refs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      doc.uri,
      positionOf(doc, '- id: 2', 0, 6),
    );
    const lines = refs.map((r) => r.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lines, [positionOf(doc, '- id: 2').line, positionOf(doc, '{{2.body').line, positionOf(doc, '- module: 2').line]);
    for (const r of refs) assert.equal(doc.getText(r.range), '2');
  });

  test('rename module 2 to 20: the id, the fault and the IML reference; a clash is refused', async () => {
    const doc = await vscode.workspace.openTextDocument(language());
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      doc.uri,
      positionOf(doc, '- module: 2', 0, 10),
      '20',
    );
    const edits = edit.get(doc.uri);
    assert.equal(edits.length, 3);
    for (const e of edits) {
      assert.equal(e.newText, '20');
      assert.equal(doc.getText(e.range), '2');
    }
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, '- id: 2', 0, 6), '3'),
      ),
      /Module 3 already exists/,
    );
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, 'name: Fetch', 0, 8), '9'),
      ),
      /Only a module id can be renamed/,
    );
    assert.ok(!doc.isDirty, 'the rename command only computes the edit');
  });
});
