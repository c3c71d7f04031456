import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintScenario, parseScenario } from '../../src/core/lint/lint';
import { applyEdits } from '../../src/core/text/edits';
import { detectIndentStyle, disableLineEdit, errorHandlerEdit } from '../../src/core/fixes/quickfix';
import { DIRECTIVES, findModule } from '../../src/core/model';
import type { Directive, Finding } from '../../src/core/model';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/scenarios');
const F = 'fix.scenario.yaml';

function key(f: Finding): string {
  return `${f.code}@${f.moduleId ?? ''}`;
}

/** Applies the handler fix for `id`, re-lints: the module's missing-error-handler is gone and nothing new appears. */
function fixAndRelint(text: string, id: number, directive: Directive): string {
  const before = lintScenario(F, text).findings;
  assert.ok(
    before.some((f) => f.code === 'missing-error-handler' && f.moduleId === id),
    `module ${id} is flagged before the fix`,
  );
  const edit = errorHandlerEdit(parseScenario(F, text), id, directive);
  assert.ok(edit, `an edit for module ${id} (${directive})`);
  const next = applyEdits(text, [edit]);
  const after = lintScenario(F, next);
  const expected = before.filter((f) => !(f.code === 'missing-error-handler' && f.moduleId === id)).map(key);
  assert.deepEqual(after.findings.map(key), expected, `after the ${directive} fix:\n${next}`);
  const m = after.scenario && findModule(after.scenario, id);
  assert.equal(m?.onError[0]?.directive, directive);
  // Everything outside the insertion stays byte-identical.
  assert.equal(next.slice(0, edit.start), text.slice(0, edit.start));
  assert.equal(next.slice(edit.start + edit.newText.length), text.slice(edit.end));
  return next;
}

describe('errorHandlerEdit (YAML, block style)', () => {
  const invoice = fs.readFileSync(path.join(FIXTURES, 'invoice-export.scenario.yaml'), 'utf8');

  test('each directive fixes module 2 of the invoice sample; break gets the retry defaults', () => {
    for (const d of DIRECTIVES) fixAndRelint(invoice, 2, d);
    const edit = errorHandlerEdit(parseScenario(F, invoice), 2, 'break');
    assert.ok(edit);
    assert.equal(
      edit.newText,
      '\n    onError:\n      directive: break\n      autoComplete: true\n      attempts: 3\n      intervalMinutes: 15',
    );
    // Inserted after the trailing comment of the module's last line.
    assert.ok(
      invoice
        .slice(0, edit.start)
        .endsWith('name: Fetch invoice PDF           # no error handler: a ConnectionError is stored and retried'),
    );
    const resume = errorHandlerEdit(parseScenario(F, invoice), 2, 'resume');
    assert.equal(resume?.newText, '\n    onError:\n      directive: resume\n      output: {}');
  });

  test('a deeply nested route module (5) gets the right indentation', () => {
    const next = fixAndRelint(invoice, 5, 'ignore');
    assert.ok(next.includes('            name: Ask finance to chase\n            onError:\n              directive: ignore\nsimulation:'));
  });

  test('4-space files and non-indented sequences keep their style', () => {
    const text = [
      'name: x',
      'modules:',
      '- id: 1',
      '  app: a:b',
      '- id: 2',
      '  app: a:b',
      '  routes: []',
      'settings:',
      '    storeIncompleteExecutions: true',
      '',
    ].join('\n');
    assert.deepEqual(detectIndentStyle(text), { unit: 4, indentSequences: false });
    const next = fixAndRelint(text, 2, 'rollback');
    assert.ok(next.includes('- id: 2\n  app: a:b\n  routes: []\n  onError:\n      directive: rollback\nsettings:'));
  });

  test('CRLF files get CRLF line breaks', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'crlf.scenario.yaml'), 'utf8');
    const edit = errorHandlerEdit(parseScenario(F, text), 2, 'break');
    assert.ok(edit);
    assert.ok(edit.newText.startsWith('\r\n    onError:\r\n      directive: break'));
    assert.ok(!/[^\r]\n/.test(edit.newText));
    const after = lintScenario(F, applyEdits(text, [edit]));
    assert.deepEqual(after.findings.map(key), ['partial-error-handler@3']);
  });

  test('last module at the end of a file without a final newline', () => {
    const text = 'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: a:b';
    const next = fixAndRelint(text, 2, 'ignore');
    assert.equal(next, `${text}\n    onError:\n      directive: ignore`);
  });

  test('null when the module already has onError, does not exist, or the file has no model', () => {
    const text =
      'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: a:b\n    onError: {directive: ignore}\n  - id: 3\n    app: a:b\n    onError: 7\n';
    const parsed = parseScenario(F, text);
    assert.equal(errorHandlerEdit(parsed, 2, 'break'), null);
    assert.equal(errorHandlerEdit(parsed, 3, 'break'), null, 'an invalid onError is there already');
    assert.equal(errorHandlerEdit(parsed, 99, 'break'), null);
    assert.equal(errorHandlerEdit(parseScenario(F, 'name: [\n'), 1, 'break'), null);
  });
});

describe('errorHandlerEdit (YAML, flow style)', () => {
  test('a flow module in a block list is rewritten to block style, keeping its trailing comment', () => {
    const text =
      'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - {id: 2, app: "h:m", name: Fetch, routes: []}   # the fetch\n  - id: 3\n    app: a:b\n    onError: {directive: ignore}\n';
    const edit = errorHandlerEdit(parseScenario(F, text), 2, 'resume');
    assert.ok(edit);
    const next = applyEdits(text, [edit]);
    assert.equal(
      next,
      'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2   # the fetch\n    app: "h:m"\n    name: Fetch\n    routes: []\n    onError:\n      directive: resume\n      output: {}\n  - id: 3\n    app: a:b\n    onError: {directive: ignore}\n',
    );
    assert.deepEqual(lintScenario(F, next).findings.map(key), ['invalid-scenario@2']); // routes on a non-router, as before
    assert.deepEqual(lintScenario(F, text).findings.map(key), ['missing-error-handler@2', 'invalid-scenario@2']);
  });

  test('a module inside a flow list, or a flow map with a comment inside, cannot be fixed safely: null', () => {
    const inFlowList = 'name: x\nmodules: [{id: 1, app: "a:b"}, {id: 2, app: "a:b"}]\n';
    assert.equal(errorHandlerEdit(parseScenario(F, inFlowList), 2, 'break'), null);
    const multiLine = 'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - {id: 2, # the id\n     app: "a:b"}\n';
    assert.equal(errorHandlerEdit(parseScenario(F, multiLine), 2, 'break'), null);
  });
});

describe('errorHandlerEdit (blueprint)', () => {
  const blueprint = (dlq: boolean): string =>
    `{"name":"x","flow":[{"id":1,"module":"a:b"},{"id":2,"module":"a:b"}],"metadata":{"scenario":{"dlq":${dlq}}}}`;

  test('delegates to the blueprint editor: a JSON onerror route, never YAML', () => {
    const edit = errorHandlerEdit(parseScenario('x.blueprint.json', blueprint(true)), 2, 'break');
    assert.ok(edit, 'a Break fix is offered while storage is on');
    assert.ok(edit.newText.includes('"onerror"') && edit.newText.includes('builtin:Break'));
    assert.ok(!edit.newText.includes('onError:'), 'a blueprint never gets YAML');
  });

  test('no Break fix while storing of incomplete executions is off (dlq false); the other directives are offered', () => {
    const parsed = parseScenario('x.blueprint.json', blueprint(false));
    assert.equal(errorHandlerEdit(parsed, 2, 'break'), null);
    for (const d of ['resume', 'ignore', 'rollback'] as const) {
      const edit = errorHandlerEdit(parsed, 2, d);
      assert.ok(edit, d);
      const after = applyEdits(parsed.lineIndex.text, [edit]);
      assert.deepEqual(
        lintScenario('x.blueprint.json', after).findings.filter((f) => f.moduleId === 2),
        [],
        `${d}: module 2 is handled`,
      );
    }
  });
});

describe('disableLineEdit', () => {
  test('inserts a comment above the line with its indentation; the finding disappears and nothing new appears', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'invoice-export.scenario.yaml'), 'utf8');
    const parsed = parseScenario(F, text);
    const before = lintScenario(F, text).findings;
    const target = before.find((f) => f.moduleId === 5);
    assert.ok(target);
    const edit = disableLineEdit(parsed, target.range.start.line, 'missing-error-handler');
    assert.ok(edit);
    assert.equal(edit.newText, '          # fusion-lint-disable-next-line missing-error-handler\n');
    const after = lintScenario(F, applyEdits(text, [edit])).findings;
    assert.deepEqual(after.map(key), before.filter((f) => f !== target).map(key));
  });

  test('adds the code to an existing comment on the line above (before a reason); null when already covered', () => {
    const text =
      'name: x\nmodules:\n  - id: 1\n    app: a:b\n  # fusion-lint-disable-next-line unknown-error-type -- custom\n  - id: 2\n    app: a:b\n    onError: {errors: [Bogus]}\n';
    const parsed = parseScenario(F, text);
    assert.equal(disableLineEdit(parsed, 5, 'unknown-error-type'), null);
    const edit = disableLineEdit(parsed, 5, 'partial-error-handler');
    assert.ok(edit);
    const next = applyEdits(text, [edit]);
    assert.ok(next.includes('  # fusion-lint-disable-next-line unknown-error-type partial-error-handler -- custom\n'));
    assert.deepEqual(lintScenario(F, next).findings.map(key), ['unknown-error-type@2']);
    const all = parseScenario(F, 'a: 1\n# fusion-lint-disable-next-line\nb: 2\n');
    assert.equal(disableLineEdit(all, 2, 'invalid-scenario'), null);
  });

  test('CRLF, out-of-range lines and JSON', () => {
    const crlf = parseScenario(F, 'name: x\r\nmodules: []\r\n');
    assert.equal(disableLineEdit(crlf, 1, 'invalid-scenario')?.newText, '# fusion-lint-disable-next-line invalid-scenario\r\n');
    const next = applyEdits(crlf.lineIndex.text, [disableLineEdit(crlf, 1, 'invalid-scenario') ?? { start: 0, end: 0, newText: '' }]);
    assert.deepEqual(lintScenario(F, next).findings, []);
    assert.equal(disableLineEdit(crlf, 5, 'invalid-scenario'), null);
    assert.equal(disableLineEdit(crlf, -1, 'invalid-scenario'), null);
    assert.equal(disableLineEdit(parseScenario('x.blueprint.json', '{}'), 0, 'invalid-scenario'), null);
  });
});
