// The project configuration (.fusionlintrc.json) in the editor, in the real extension host: the
// diagnostics apply the nearest file (the one the CLI applies), follow it when it is written,
// changed or deleted, and a broken file shows its invalid-config diagnostics on itself while the
// scenario files are linted with the defaults. Every file is written in a scratch folder inside
// the fixture workspace (so the watchers and the scan see it) and removed at the end.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  fusionDiagnostics,
  hasCode,
  lacksCode,
  Scratch,
  setSetting,
  waitForDiagnostics,
} from './scenarioSupport';

const CONFIG = '.fusionlintrc.json';

/** Module 2 of rules/missing-error-handler.scenario.yaml is an `http:makeRequest` without a handler. */
const EXEMPT_HTTP = `${JSON.stringify({ exempt: { apps: ['http:*'] } }, null, 2)}\n`;

const missingHandler = (severity: vscode.DiagnosticSeverity) => (ds: vscode.Diagnostic[]) =>
  ds.some((d) => codeOf(d) === 'missing-error-handler' && d.severity === severity);

suite('project configuration (.fusionlintrc.json) in the editor', function () {
  this.timeout(60000);
  let scratch: Scratch;

  suiteSetup(async () => {
    await activateExtension();
    scratch = new Scratch('config');
  });

  suiteTeardown(async () => {
    await setSetting('lint.severity', undefined);
    await scratch?.dispose();
  });

  /** Deletes the scratch folder's configuration file if a test left it. */
  const removeConfig = async (): Promise<void> => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(scratch.dir, CONFIG), { useTrash: false }).then(undefined, () => undefined);
  };
  teardown(removeConfig);

  test('a missing-error-handler warning goes when a .fusionlintrc.json exempts its app, and comes back when the file is deleted', async () => {
    // one file only on disk (the scan / watcher lints it), one open in an editor
    const closed = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'closed.scenario.yaml');
    const opened = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'opened.scenario.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(opened));
    for (const uri of [closed, opened]) await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'before the configuration');

    const config = await scratch.write(CONFIG, EXEMPT_HTTP);
    for (const uri of [closed, opened]) await waitForDiagnostics(uri, lacksCode('missing-error-handler'), 'exempted by the configuration');
    assert.deepEqual(fusionDiagnostics(config), [], 'a valid configuration has no diagnostics of its own');

    await vscode.workspace.fs.delete(config, { useTrash: false });
    for (const uri of [closed, opened])
      await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'after the configuration was deleted');
  });

  test('a configuration with a syntax error: invalid-config on the configuration file at its line; the scenario is linted without it', async () => {
    const uri = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'broken-config.scenario.yaml');
    await scratch.write(CONFIG, EXEMPT_HTTP);
    await waitForDiagnostics(uri, lacksCode('missing-error-handler'), 'exempted while the configuration is valid');

    // the same exemption, with a doubled comma on line 5 (0-based 4): the file is not applied at all
    const broken = ['{', '  "exempt": {', '    "apps": [', '      "http:*"', '    ],,', '  }', '}', ''].join('\n');
    const config = await scratch.write(CONFIG, broken);
    const diags = await waitForDiagnostics(config, hasCode('invalid-config'), 'invalid-config on the broken configuration');
    const d = diags.find((x) => codeOf(x) === 'invalid-config');
    assert.ok(d);
    assert.equal(d.range.start.line, 4, `on the line of the doubled comma; got ${d.range.start.line + 1}: ${d.message}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /JSON syntax error/);
    const target = typeof d.code === 'object' ? d.code.target : undefined;
    assert.ok(target, 'the code links to its rule page');
    assert.equal(target.scheme, 'command', target.toString());
    assert.deepEqual(JSON.parse(target.query), ['invalid-config'], target.toString());
    await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'linted with the defaults while the configuration is broken');

    await scratch.write(CONFIG, EXEMPT_HTTP);
    await waitForDiagnostics(config, lacksCode('invalid-config'), 'fixed: its diagnostics go');
    await waitForDiagnostics(uri, lacksCode('missing-error-handler'), 'fixed: applied again');
  });

  test('the severity setting wins over the file; the file still sets what the setting does not', async () => {
    const uri = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'severity.scenario.yaml');
    await scratch.write(CONFIG, JSON.stringify({ rules: { 'missing-error-handler': 'information' } }));
    await waitForDiagnostics(uri, missingHandler(vscode.DiagnosticSeverity.Information), 'information, as the file says');
    await setSetting('lint.severity', { 'missing-error-handler': 'error' });
    try {
      await waitForDiagnostics(uri, missingHandler(vscode.DiagnosticSeverity.Error), 'error, as the setting says');
    } finally {
      await setSetting('lint.severity', undefined);
    }
    await waitForDiagnostics(uri, missingHandler(vscode.DiagnosticSeverity.Information), 'information again without the setting');
  });

  test('a file matched by ignorePatterns gets no diagnostics; its neighbours keep theirs', async () => {
    const ignored = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'ignored.scenario.yaml');
    const kept = await scratch.copy('rules/missing-error-handler.scenario.yaml', 'kept.scenario.yaml');
    for (const uri of [ignored, kept]) await waitForDiagnostics(uri, hasCode('missing-error-handler'), 'before');
    await scratch.write(CONFIG, JSON.stringify({ ignorePatterns: ['ignored.scenario.yaml'] }));
    await waitForDiagnostics(ignored, (ds) => ds.length === 0, 'ignored');
    assert.ok(hasCode('missing-error-handler')(fusionDiagnostics(kept)), 'the other file is still linted');
  });
});
