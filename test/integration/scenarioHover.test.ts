// Hovers on scenario files: error types, directives, setting keys, module ids (YAML and blueprints).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lookupErrorType } from '../../src/core/catalogue/catalogue';
import { activateExtension, fixtureUri, hoverText, positionOf } from './scenarioSupport';

async function hoverAt(uri: vscode.Uri, needle: string, nth = 0, delta = 1): Promise<string> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    positionOf(doc, needle, nth, delta),
  );
  return hoverText(hovers);
}

suite('scenario hovers', function () {
  this.timeout(30000);
  const invoices = () => fixtureUri('invoices.scenario.yaml');

  suiteSetup(activateExtension);

  test('an error type name: catalogue meaning, family, docs link and what module 3 does with it', async () => {
    const text = await hoverAt(invoices(), 'ConnectionError', 0, 3);
    const info = lookupErrorType('ConnectionError');
    assert.ok(info, 'the catalogue knows ConnectionError');
    assert.ok(text.includes('**ConnectionError**'), text);
    assert.ok(text.includes(info.family), 'family');
    assert.ok(text.includes(info.meaning), 'meaning');
    assert.ok(text.includes(info.docsUrl), 'docs link');
    assert.match(text, /If module 3 .* fails with it/);
    assert.match(text, /Profile `fusion`/);
  });

  test('an error type in a simulation fault is answered for the faulted module', async () => {
    const text = await hoverAt(invoices(), 'error: ConnectionError', 0, 9);
    assert.match(text, /If module 2 .* fails with it\*\*: stored as an incomplete execution and retried automatically/);
  });

  test("a directive: what it does, its route and the module's outcomes", async () => {
    const text = await hoverAt(invoices(), 'directive: break', 0, 12);
    assert.match(text, /Directive `break`/);
    assert.match(text, /Error-handler route of module 3/);
    assert.match(text, /`ConnectionError`, `RateLimitError`/);
    assert.match(text, /3 attempt\(s\), every 15 minute\(s\)/);
    assert.match(text, /When module 3 .* fails/);
    assert.ok(text.includes('directives-for-error-handling'));
  });

  test('a setting key: its meaning and value', async () => {
    const text = await hoverAt(invoices(), 'storeIncompleteExecutions', 0, 2);
    assert.match(text, /\*\*storeIncompleteExecutions\*\*: `true`/);
    assert.match(text, /Allow storing of incomplete executions/);
  });

  test('a module id: app, name, whether a handler applies, outcome groups', async () => {
    const two = await hoverAt(invoices(), '- id: 2', 0, 6);
    assert.match(two, /Module 2\*\* — `http:makeRequest`/);
    assert.ok(two.includes('Fetch invoice PDF'));
    assert.match(two, /No error-handler route applies/);
    assert.match(two, /When module 2 .* fails/);
    const three = await hoverAt(invoices(), '- id: 3', 0, 6);
    assert.match(three, /An error-handler route applies \(`break`\) to `ConnectionError`, `RateLimitError`/);
    const trigger = await hoverAt(invoices(), '- id: 1', 0, 6);
    assert.match(trigger, /trigger/);
    assert.match(trigger, /the run stops, nothing is stored/);
  });

  test('a blueprint module id and a Break directive module (file with a byte-order mark)', async () => {
    const calendar = await hoverAt(fixtureUri('calendar-agent.blueprint.json'), '"id":4', 0, 5);
    assert.match(calendar, /Module 4\*\* — `gmail:sendEmail`/);
    const intake = await hoverAt(fixtureUri('invoice-intake.blueprint.json'), '"builtin:Break"', 0, 3);
    assert.match(intake, /Directive `break`/);
  });

  test('no hover away from a symbol', async () => {
    const text = await hoverAt(invoices(), 'Invoice export', 0, 2);
    assert.ok(!text.includes('Directive') && !text.includes('Module '), text);
  });
});
