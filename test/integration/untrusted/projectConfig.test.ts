// The project configuration (.fusionlintrc.json) in an UNTRUSTED workspace (Restricted Mode): it is
// read and applied, as in a trusted one (it is data that only changes which findings show and how
// severe they are; nothing in it runs).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { executionsApi, folder } from '../executionsSupport';
import { hasCode, lacksCode, waitForDiagnostics } from '../scenarioSupport';

suite('untrusted workspace: the project configuration applies', function () {
  this.timeout(30000);
  const configPath = (): string => path.join(folder().uri.fsPath, '.fusionlintrc.json');
  const scenarioUri = (): vscode.Uri => vscode.Uri.joinPath(folder().uri, 'scenarios', 'orders.scenario.yaml');

  suiteSetup(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the fixture folder must be untrusted');
    await executionsApi();
  });

  suiteTeardown(() => fs.rmSync(configPath(), { force: true }));

  test('an exemption in .fusionlintrc.json silences the warnings; deleting the file brings them back', async () => {
    await waitForDiagnostics(scenarioUri(), hasCode('missing-error-handler'), 'before');
    fs.writeFileSync(configPath(), JSON.stringify({ exempt: { apps: ['http:*', 'slack:*'] } }));
    await waitForDiagnostics(scenarioUri(), lacksCode('missing-error-handler'), 'exempted');
    fs.rmSync(configPath());
    await waitForDiagnostics(scenarioUri(), hasCode('missing-error-handler'), 'after the file was deleted');
  });
});
