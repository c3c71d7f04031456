// The project configuration (.fusionlintrc.json) in a MULTI-ROOT workspace, in the real extension
// host: each workspace folder gets its own nearest file, and the lookup stops at the folder. alpha
// gets a file at its root that makes missing-error-handler an error; beta gets one in flows/ that
// exempts `http:*`. Both folders' "Order sync" has an unhandled `http:makeRequest` (module 2).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, fusionDiagnostics, waitForDiagnostics } from '../scenarioSupport';
import { executionsApi } from '../executionsSupport';
import { inFolder } from './multirootSupport';

const ALPHA_CONFIG = (): string => inFolder('alpha', '.fusionlintrc.json');
const BETA_CONFIG = (): string => inFolder('beta', 'flows/.fusionlintrc.json');
const ALPHA_ORDERS = (): vscode.Uri => vscode.Uri.file(inFolder('alpha', 'scenarios/orders.scenario.yaml'));
const BETA_ORDERS = (): vscode.Uri => vscode.Uri.file(inFolder('beta', 'flows/orders.scenario.yaml'));

/** The severities of the missing-error-handler diagnostics, by line. */
const missing = (uri: vscode.Uri): vscode.DiagnosticSeverity[] =>
  fusionDiagnostics(uri)
    .filter((d) => codeOf(d) === 'missing-error-handler')
    .map((d) => d.severity);

suite('multi-root: project configuration per folder', function () {
  this.timeout(60000);

  suiteSetup(async () => {
    await executionsApi(); // activates the extension
  });

  suiteTeardown(() => {
    fs.rmSync(ALPHA_CONFIG(), { force: true });
    fs.rmSync(BETA_CONFIG(), { force: true });
  });

  test("each folder applies its own nearest .fusionlintrc.json, never the other folder's", async () => {
    await waitForDiagnostics(BETA_ORDERS(), () => missing(BETA_ORDERS()).length > 0, 'beta before any configuration');
    await waitForDiagnostics(ALPHA_ORDERS(), () => missing(ALPHA_ORDERS()).length === 2, 'alpha before: modules 2 and 3');
    assert.ok(missing(ALPHA_ORDERS()).every((s) => s === vscode.DiagnosticSeverity.Warning));

    fs.writeFileSync(ALPHA_CONFIG(), JSON.stringify({ rules: { 'missing-error-handler': 'error' } }));
    fs.writeFileSync(BETA_CONFIG(), JSON.stringify({ exempt: { apps: ['http:*'] } }));
    await waitForDiagnostics(
      ALPHA_ORDERS(),
      () => missing(ALPHA_ORDERS()).length === 2 && missing(ALPHA_ORDERS()).every((s) => s === vscode.DiagnosticSeverity.Error),
      "alpha: errors, as alpha's file says; beta's http:* exemption does not reach it",
    );
    await waitForDiagnostics(BETA_ORDERS(), () => missing(BETA_ORDERS()).length === 0, "beta: module 2 exempt by beta's file");

    fs.rmSync(BETA_CONFIG());
    await waitForDiagnostics(
      BETA_ORDERS(),
      () => missing(BETA_ORDERS()).length > 0 && missing(BETA_ORDERS()).every((s) => s === vscode.DiagnosticSeverity.Warning),
      "beta without its file: warnings again, not alpha's errors",
    );
  });
});
