// CodeLens, Classify Failure and Convert on scenario files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { classify } from '../../src/core/classify/classifier';
import { parseScenario } from '../../src/core/lint/lint';
import type { Classification } from '../../src/core/model';
import { activateExtension, fixtureUri, positionOf, setSetting } from './scenarioSupport';

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(uri); // the command needs the document loaded
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
}

async function classifyCmd(...args: unknown[]): Promise<Classification | undefined> {
  return vscode.commands.executeCommand<Classification | undefined>('fusionExecutions.classifyFailure', ...args);
}

suite('scenario CodeLens and commands', function () {
  this.timeout(30000);
  const invoices = () => fixtureUri('invoices.scenario.yaml');

  suiteSetup(activateExtension);
  suiteTeardown(async () => {
    await setSetting('codeLens.enabled', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a lens above each module that can fail on its own (not the router, not handler-route modules)', async () => {
    const uri = invoices();
    const doc = await vscode.workspace.openTextDocument(uri);
    const found = await lenses(uri);
    const byLine = new Map(found.map((l) => [l.range.start.line, l]));
    for (const id of [1, 2, 3, 5, 6]) {
      const lens = byLine.get(positionOf(doc, `- id: ${id}`).line);
      assert.ok(lens?.command, `lens for module ${id}`);
      assert.match(lens.command.title, /^On failure: /);
      assert.equal(lens.command.command, 'fusionExecutions.classifyFailure');
      assert.equal(String(lens.command.arguments?.[0]), uri.toString());
      assert.equal(lens.command.arguments?.[1], id);
    }
    assert.equal(found.length, 5, 'router 4 and handler module 61 have none');
    assert.match(byLine.get(positionOf(doc, '- id: 1').line)!.command!.title, /run stops/);
  });

  test('a blueprint gets lenses too; the setting turns them off', async () => {
    const uri = fixtureUri('calendar-agent.blueprint.json');
    assert.equal((await lenses(uri)).length, 9, 'modules 1 and 3..10; not router 2');
    await setSetting('codeLens.enabled', false);
    assert.equal((await lenses(uri)).length, 0);
    await setSetting('codeLens.enabled', undefined);
    assert.equal((await lenses(uri)).length, 9);
  });

  test("Classify Failure with arguments returns the classifier's answer", async () => {
    const uri = invoices();
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    const scenario = parseScenario(uri.fsPath, text).scenario;
    assert.ok(scenario);
    for (const [id, type] of [
      [2, 'ConnectionError'],
      [2, 'DataError'],
      [3, 'ConnectionError'],
      [1, 'ConnectionError'],
      [6, 'DataError'],
      [2, 'SomeCustomAppError'],
    ] as const) {
      const got = await classifyCmd(uri, id, type);
      const want = classify(scenario, id, type, 'fusion');
      assert.ok(got, `${id} ${type}`);
      assert.equal(got.outcome, want.outcome, `${id} ${type}`);
      assert.equal(got.reason, want.reason);
      assert.equal(got.handler, want.handler);
    }
    assert.equal((await classifyCmd(uri, 3, 'ConnectionError'))?.handler, 'break');
    assert.equal((await classifyCmd(uri, 1, 'DataError'))?.outcome, 'stopped');
  });

  test('Classify Failure from a CodeLens (its own arguments) and on a blueprint', async () => {
    const uri = invoices();
    const lens = (await lenses(uri)).find((l) => l.command?.arguments?.[1] === 2);
    assert.ok(lens?.command?.arguments);
    const got = await classifyCmd(...(lens.command.arguments as unknown[]), 'RateLimitError');
    assert.equal(got?.moduleId, 2);
    assert.equal(got?.outcome, 'incomplete-with-retry');
    // calendar-agent has dlq: false, so what would be stored fails instead
    const bp = await classifyCmd(fixtureUri('calendar-agent.blueprint.json').toString(), 3, 'ConnectionError');
    assert.equal(bp?.outcome, 'failed');
    assert.equal(bp?.storesIncompleteExecution, false);
  });

  test('Classify Failure refuses an unknown module and a structurally broken file', async () => {
    assert.equal(await classifyCmd(invoices(), 999, 'ConnectionError'), undefined);
    assert.equal(await classifyCmd(fixtureUri('rules/duplicate-module-id.scenario.yaml'), 2, 'ConnectionError'), undefined);
    assert.equal(await classifyCmd(fixtureUri('newsletter.broken.blueprint.json'), 1, 'ConnectionError'), undefined);
  });

  test('Convert opens the blueprint as scenario YAML in an untitled editor, and YAML as blueprint JSON', async () => {
    const yamlUri = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'fusionExecutions.convertScenario',
      fixtureUri('calendar-agent.blueprint.json'),
    );
    assert.ok(yamlUri);
    assert.equal(yamlUri.scheme, 'untitled');
    const yamlDoc = await vscode.workspace.openTextDocument(yamlUri);
    assert.equal(yamlDoc.languageId, 'yaml');
    assert.ok(yamlDoc.getText().includes('gmail:sendEmail'));
    assert.ok(yamlUri.path.endsWith('calendar-agent.scenario.yaml'));

    const jsonUri = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'fusionExecutions.convertScenario',
      fixtureUri('convertible.scenario.yaml'),
    );
    assert.ok(jsonUri);
    const jsonDoc = await vscode.workspace.openTextDocument(jsonUri);
    assert.equal(jsonDoc.languageId, 'json');
    const bp: unknown = JSON.parse(jsonDoc.getText());
    assert.ok(typeof bp === 'object' && bp !== null && 'flow' in bp && 'metadata' in bp);
    assert.ok(jsonUri.path.endsWith('convertible.blueprint.json'));
    assert.ok(jsonDoc.getText().includes('builtin:Break'));
    for (const doc of [yamlDoc, jsonDoc]) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('Convert refuses a broken blueprint and a YAML the blueprint format cannot express, opening nothing', async () => {
    const untitled = () => vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'untitled' && !d.isClosed).length;
    const before = untitled();
    assert.equal(
      await vscode.commands.executeCommand('fusionExecutions.convertScenario', fixtureUri('newsletter.broken.blueprint.json')),
      undefined,
    );
    // module 3's route has an `errors:` filter; a blueprint's onerror route catches everything
    assert.equal(await vscode.commands.executeCommand('fusionExecutions.convertScenario', invoices()), undefined);
    assert.equal(untitled(), before);
  });
});
