/**
 * `fusion-executions lint <dir>` on folders shaped like real repositories of exports (the built
 * CLI, real processes): discovery by content, unreadable files, FIFOs, symbolic links, the
 * project configuration and `--rule`. Fixtures: test/fixtures/lint-dir (linted in place; its
 * symbolic links are relative) and test/fixtures/lint-team (the README's CI recipe).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, lintJson, runCli } from './helpers/cliRun';
import type { LintJson } from './helpers/cliRun';

const LINT_DIR = path.join(ROOT, 'test', 'fixtures', 'lint-dir');
const LINT_TEAM = path.join(ROOT, 'test', 'fixtures', 'lint-team');
const OUTSIDE_MARKER = 'OUTSIDE-MARKER-5d1c';
const NOT_SCENARIO_MARKER = 'NOT-A-SCENARIO-BODY';

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-lint-dir-'));
  tempDirs.push(dir);
  fs.mkdirSync(path.join(dir, '.git')); // the configuration lookup stops here
  return dir;
}

function write(dir: string, rel: string, content: string | Buffer): string {
  const abs = path.join(dir, ...rel.split('/'));
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

/** A small export as Make writes it: a webhook, then `apps` in order (ids 2, 3, …), no handlers. */
function exportJson(name: string, apps: readonly string[]): string {
  const flow = [
    { id: 1, module: 'gateway:CustomWebHook', version: 1, parameters: { hook: 1 }, mapper: {}, metadata: { designer: { x: 0, y: 0 } } },
    ...apps.map((module, i) => ({
      id: i + 2,
      module,
      version: 1,
      parameters: {},
      mapper: {},
      metadata: { designer: { x: 300 * (i + 1), y: 0 } },
    })),
  ];
  return `${JSON.stringify({ name, flow, metadata: { instant: true, version: 1, scenario: { dlq: true, maxErrors: 3 } } }, null, 4)}\n`;
}

function copyDir(from: string, to: string, skip: (rel: string) => boolean = () => false): void {
  const walk = (rel: string): void => {
    for (const d of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = rel === '' ? d.name : path.join(rel, d.name);
      if (skip(r)) continue;
      if (d.isDirectory()) {
        fs.mkdirSync(path.join(to, r), { recursive: true });
        walk(r);
      } else fs.copyFileSync(path.join(from, r), path.join(to, r));
    }
  };
  walk('');
}

const posix = (f: string): string => f.split(path.sep).join('/');
const byFile = (findings: readonly LintJson[], file: string): LintJson[] => findings.filter((f) => posix(f.file) === file);

describe('cli lint <dir>: discovery', () => {
  test('finds exports by content whatever their name, YAML by name; skips node_modules; says what it checked and skipped', () => {
    const r = runCli(LINT_DIR, ['lint', '.']);
    assert.equal(r.code, 1, r.stdout + r.stderr); // the unreadable files are errors
    assert.match(
      r.stdout,
      /^Checked 8 files \(5 blueprints, 1 YAML, 2 unreadable\); skipped 5: 2 JSON files that are not scenarios, 2 symbolic links to outside the linted folder, 1 file reached twice \(linted once\)\.$/m,
    );
    assert.match(r.stdout, /^9 problems \(5 errors, 4 warnings, 0 infos\) in 8 files\.$/m);
    // found by content: names as real exports have them
    assert.match(
      r.stdout,
      /^exports\/Orders sync\.json:\d+:\d+ {2}warning {2}Module 2 "Push to the ERP" \(http:ActionSendData\) has no error-handler route.* {2}missing-error-handler$/m,
    );
    assert.match(r.stdout, /^exports\/orders\.blueprint \(1\)\.json:\d+:\d+ {2}warning {2}Module 3 \(slack:CreateMessage\)/m);
    assert.match(r.stdout, /^scenarios\/invoices\.scenario\.yaml:17:5 {2}warning/m);
    assert.doesNotMatch(r.stdout, /node_modules|Vendored|notes\.yaml|invoices-copy/);
  });

  test('--format json: one complete array; an unreadable file is an unreadable-file error at 1:1 and the run goes on', () => {
    const r = runCli(LINT_DIR, ['lint', '.', '--format', 'json']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const findings = lintJson(r);
    const utf16 = byFile(findings, 'exports/Orders export (UTF-16).json');
    assert.equal(utf16.length, 1, JSON.stringify(findings, null, 1));
    assert.deepEqual(
      { code: utf16[0].code, severity: utf16[0].severity, line: utf16[0].line, column: utf16[0].column },
      { code: 'unreadable-file', severity: 'error', line: 1, column: 1 },
    );
    assert.match(utf16[0].message, /UTF-16 text .*save it as UTF-8/);
    const corrupt = byFile(findings, 'exports/corrupt.blueprint.json');
    assert.equal(corrupt.length, 1);
    assert.match(corrupt[0].message, /binary file \(it contains NUL bytes\)/);
    // the other files were still linted
    assert.ok(byFile(findings, 'exports/Orders sync.json').some((f) => f.code === 'missing-error-handler' && f.moduleId === 2));
  });

  test('the default exemptions: an iterator and a Set variable get no missing-error-handler', () => {
    const findings = lintJson(runCli(LINT_DIR, ['lint', 'exports/blueprint.json', '--format', 'json']));
    assert.deepEqual(findings, []);
    // without them (a configuration saying so), both modules are reported
    const dir = tempDir();
    const cfg = write(dir, 'no-defaults.json', '{"exempt": {"defaults": false}}');
    const strict = lintJson(runCli(LINT_DIR, ['lint', 'exports/blueprint.json', '--format', 'json', '--config', cfg]));
    assert.deepEqual(
      strict.map((f) => `${f.code}:${f.moduleId}`),
      ['missing-error-handler:2', 'missing-error-handler:4'],
    );
  });

  test('a symbolic link to outside the linted folder is not followed and its content is never printed', () => {
    for (const args of [
      ['lint', '.', '--verbose'],
      ['lint', '.', '--verbose', '--format', 'json'],
    ]) {
      const r = runCli(LINT_DIR, args);
      const all = r.stdout + r.stderr;
      assert.ok(!all.includes(OUTSIDE_MARKER), `the linked file's content was printed:\n${all}`);
      assert.ok(!all.includes('lint-dir-outside'), 'not even where the link points');
      assert.ok(!all.includes(NOT_SCENARIO_MARKER), `a non-scenario file's content was printed:\n${all}`);
      assert.match(all, /^skipped exports\/shared\.blueprint\.json: symbolic link to outside the linted folder: not followed, not read$/m);
      assert.match(all, /^skipped vendor: symbolic link to outside the linted folder/m);
      // the non-scenario JSON is named with a short excerpt: its top-level keys only
      assert.match(
        all,
        /^skipped package\.json: JSON without top-level flow and metadata \(top-level keys: name, version, private, description, scripts\)$/m,
      );
      assert.match(
        all,
        /^skipped scenarios\/invoices-copy\.scenario\.yaml: the same file as scenarios\/invoices\.scenario\.yaml, linted once$/m,
      );
    }
    // lint the linking folder from outside: still relative to the linted root
    const r = runCli(ROOT, ['lint', 'test/fixtures/lint-dir/exports', '--format', 'json']);
    assert.ok(!r.stdout.includes(OUTSIDE_MARKER));
    assert.ok(!lintJson(r).some((f) => f.file.includes('shared.blueprint.json')));
  });

  test('explicitly named files are always linted: a non-scenario JSON gets findings, unreadable ones their error', () => {
    const r = runCli(LINT_DIR, ['lint', 'package.json', 'exports/corrupt.blueprint.json', '--format', 'json']);
    assert.equal(r.code, 1);
    const findings = lintJson(r);
    assert.ok(byFile(findings, 'package.json').some((f) => f.code === 'invalid-scenario'));
    assert.deepEqual(
      byFile(findings, 'exports/corrupt.blueprint.json').map((f) => f.code),
      ['unreadable-file'],
    );
    // the named-file message has no ignorePatterns hint (named files are never ignored)
    assert.doesNotMatch(byFile(findings, 'exports/corrupt.blueprint.json')[0].message, /ignorePatterns/);
  });
});

describe('cli lint: files that are not regular or too large', () => {
  test('a FIFO (found in a folder or named) is reported, never opened: no hang', (t) => {
    const dir = tempDir();
    write(dir, 'Orders sync.json', exportJson('Orders sync', ['http:ActionSendData']));
    const mk = spawnSync('mkfifo', [path.join(dir, 'pipe.json'), path.join(dir, 'stream.scenario.yaml')]);
    if (mk.status !== 0) {
      t.skip('mkfifo is not available on this system');
      return;
    }
    write(dir, '.git/blueprint.json', exportJson('In .git', ['http:ActionSendData']));
    const started = Date.now();
    const r = runCli(dir, ['lint', '.', '--format', 'json'], 20_000);
    assert.equal(r.signal, null, 'the CLI hung on the FIFO and was killed');
    assert.ok(Date.now() - started < 15_000);
    assert.equal(r.code, 1);
    const findings = lintJson(r);
    for (const fifo of ['pipe.json', 'stream.scenario.yaml']) {
      const f = byFile(findings, fifo);
      assert.equal(f.length, 1, `${fifo}: ${JSON.stringify(findings)}`);
      assert.equal(f[0].code, 'unreadable-file');
      assert.match(f[0].message, /not a regular file \(a FIFO/);
    }
    assert.ok(byFile(findings, 'Orders sync.json').some((f) => f.code === 'missing-error-handler'));
    assert.ok(!findings.some((f) => f.file.includes('.git')));
    const named = runCli(dir, ['lint', 'pipe.json'], 20_000);
    assert.equal(named.signal, null);
    assert.equal(named.code, 1);
    assert.match(
      named.stdout,
      /^pipe\.json:1:1 {2}error {2}This file cannot be checked: not a regular file \(a FIFO, or named pipe\)\. {2}unreadable-file$/m,
    );
  });

  test('a file over 20 MB is "too large", reported without reading it', () => {
    const dir = tempDir();
    const big = write(dir, 'huge export.json', '');
    fs.truncateSync(big, 21 * 1024 * 1024); // sparse: no 21 MB written
    write(dir, 'blueprint.json', exportJson('Small', ['util:SetVariable2']));
    const r = runCli(dir, ['lint', '.', '--format', 'json']);
    assert.equal(r.code, 1);
    const f = byFile(lintJson(r), 'huge export.json');
    assert.equal(f.length, 1);
    assert.equal(f[0].code, 'unreadable-file');
    assert.match(f[0].message, /too large \(21\.0 MB; the limit is 20\.0 MB\)/);
  });

  test('a folder with only non-scenario JSON: exit 2, saying what was skipped', () => {
    const dir = tempDir();
    write(dir, 'package.json', '{"name":"x"}');
    write(dir, 'tsconfig.json', '// JSONC\n{"compilerOptions": {}}');
    const r = runCli(dir, ['lint', '.']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no scenario files found in this directory \(looked for .*; skipped 2: 2 JSON files that are not scenarios\)/);
    assert.equal(r.stdout, '');
  });
});

describe('cli lint: project configuration and --rule', () => {
  test('--rule code=severity, repeatable, wins over the configuration; mistakes are usage errors', () => {
    const dir = tempDir();
    write(dir, 'Orders sync.json', exportJson('Orders sync', ['http:ActionSendData', 'google-sheets:addRow']));
    write(dir, '.fusionlintrc.json', '{"rules": {"missing-error-handler": "off"}}');
    const quiet = runCli(dir, ['lint', '.', '--max-warnings', '0']);
    assert.equal(quiet.code, 0, quiet.stdout);
    assert.match(quiet.stdout, /^No problems in 1 file\.$/m);
    const loud = runCli(dir, [
      'lint',
      '.',
      '--format',
      'json',
      '--rule',
      'missing-error-handler=warning',
      '--rule',
      'missing-error-handler=error',
    ]);
    assert.equal(loud.code, 1);
    assert.deepEqual(
      lintJson(loud).map((f) => `${f.severity}:${f.moduleId}`),
      ['error:2', 'error:3'],
    );
    const typo = runCli(dir, ['lint', '.', '--rule', 'missing-error-handlr=off']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /'missing-error-handlr' is not a rule code \(did you mean 'missing-error-handler'\?\)/);
    const sev = runCli(dir, ['lint', '.', '--rule', 'missing-error-handler=warn']);
    assert.equal(sev.code, 2);
    assert.match(sev.stderr, /did you mean 'warning'/);
    assert.equal(runCli(dir, ['lint', '.', '--rule', 'missing-error-handler']).code, 2);
  });

  test('the nearest .fusionlintrc.json up to the repository root applies; --config replaces it', () => {
    const dir = tempDir();
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    write(dir, '.fusionlintrc.json', '{"rules": {"missing-error-handler": "off"}}'); // above the repository: not used
    write(repo, '.fusionlintrc.json', '{"exempt": {"apps": ["google-sheets:*"]}}');
    write(repo, 'team-b/.fusionlintrc.json', '{"rules": {"missing-error-handler": "error"}}');
    write(repo, 'team-a/exports/Orders sync.json', exportJson('A', ['http:ActionSendData', 'google-sheets:addRow']));
    write(repo, 'team-b/exports/Orders sync.json', exportJson('B', ['http:ActionSendData', 'google-sheets:addRow']));
    const r = runCli(repo, ['lint', '.', '--format', 'json']);
    const findings = lintJson(r);
    assert.deepEqual(
      byFile(findings, 'team-a/exports/Orders sync.json').map((f) => `${f.severity}:${f.moduleId}`),
      ['warning:2'],
      'team-a: the repository configuration (google-sheets exempt), not the one above the repository',
    );
    assert.deepEqual(
      byFile(findings, 'team-b/exports/Orders sync.json').map((f) => `${f.severity}:${f.moduleId}`),
      ['error:2', 'error:3'],
      'team-b: its own file, alone (not merged with the repository one)',
    );
    assert.equal(r.code, 1);
    const other = write(dir, 'strict.json', '{"rules": {"missing-error-handler": "hint"}}');
    const withConfig = lintJson(runCli(repo, ['lint', '.', '--format', 'json', '--config', other]));
    assert.ok(withConfig.length === 4 && withConfig.every((f) => f.severity === 'hint'), JSON.stringify(withConfig));
    const missing = runCli(repo, ['lint', '.', '--config', 'nope.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^--config nope\.json: no such file$/m);
  });

  test('a configuration with mistakes: invalid-config findings at file:line:col, exit 1, never a stack trace', () => {
    const dir = tempDir();
    write(dir, 'exports/blueprint.json', exportJson('Orders', ['util:SetVariable2']));
    write(dir, '.fusionlintrc.json', '{\n  "rules": {\n    "missing-error-handler": "warn"\n  },\n  "exmpt": {}\n}\n');
    const r = runCli(dir, ['lint', 'exports']);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^\.fusionlintrc\.json:3:30 {2}error {2}rules\.missing-error-handler must be one of .* \(did you mean "warning"\?\)\. {2}invalid-config$/m,
    );
    assert.match(r.stdout, /^\.fusionlintrc\.json:5:3 {2}error {2}configuration: unknown key "exmpt" \(did you mean "exempt"\?\)/m);
    // a syntax error: reported once, the defaults apply
    write(dir, '.fusionlintrc.json', '{ "rules": { "missing-error-handler": "off" ');
    const broken = runCli(dir, ['lint', 'exports', '--format', 'json']);
    const findings = lintJson(broken);
    assert.equal(findings.filter((f) => f.code === 'invalid-config').length, 1, JSON.stringify(findings));
    assert.equal(findings[0].file, '.fusionlintrc.json');
  });

  test('the CI recipe: lint . --max-warnings 0 passes on a folder of real-named exports with the team configuration, fails without it', () => {
    const r = runCli(LINT_TEAM, ['lint', '.', '--max-warnings', '0']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^No problems in 5 files\.$/m);
    assert.match(
      r.stdout,
      /^Checked 5 files \(4 blueprints, 1 YAML\); skipped 2: 1 JSON file that is not a scenario, 1 ignored by ignorePatterns\.$/m,
    );
    const json = runCli(LINT_TEAM, ['lint', '.', '--max-warnings', '0', '--format', 'json']);
    assert.equal(json.code, 0);
    assert.deepEqual(lintJson(json), []);

    const dir = tempDir();
    copyDir(LINT_TEAM, dir, (rel) => rel === '.fusionlintrc.json');
    const without = runCli(dir, ['lint', '.', '--max-warnings', '0', '--format', 'json']);
    assert.equal(without.code, 1);
    const codes = lintJson(without).map((f) => `${posix(f.file)} ${f.code}${f.moduleId !== undefined ? `:${f.moduleId}` : ''}`);
    for (const expected of [
      'exports/Orders sync.json missing-error-handler:2',
      'exports/orders.blueprint (1).json missing-error-handler:4',
      'legacy/Old import.json missing-error-handler:2',
      'scenarios/leads.scenario.yaml partial-error-handler:2',
      'exports/archive/Broken draft.json json-syntax',
    ]) {
      assert.ok(codes.includes(expected), `${expected} not in\n${codes.join('\n')}`);
    }
  });
});
