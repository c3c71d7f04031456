/**
 * End-to-end tests of the real, built CLI (`node dist/cli.js …`), run in temporary directories
 * holding copies of test/fixtures/cli. `npm run test:unit` builds dist/ first.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = process.env.FUSION_EXECUTIONS_CLI ?? path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary workspace with a copy of the fixtures. */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-cli-'));
  tempDirs.push(dir);
  for (const name of fs.readdirSync(FIXTURES)) {
    fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(FIXTURES, name)));
  }
  return dir;
}

/** Runs the CLI; every run asserts that no stack trace reaches stderr. */
function cli(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  assert.ok(!r.stderr.includes('    at '), `stack trace on stderr for ${args.join(' ')}:\n${r.stderr}`);
  assert.ok(!/internal error:/i.test(r.stderr), `internal error for ${args.join(' ')}:\n${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    assert.fail(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/** stderr is one line (plus, for usage mistakes, one hint line). */
function assertShortMessage(r: Run, maxLines = 2): void {
  const lines = r.stderr.trimEnd().split('\n');
  assert.ok(lines.length >= 1 && lines.length <= maxLines && lines[0].length > 0, `expected a short message, got:\n${r.stderr}`);
}

interface LintJson {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  moduleId?: number;
  detail?: string;
}

interface ExecutionJson {
  id: string;
  scenario: string;
  scenarioFile?: string;
  moduleId: number;
  status: string;
  error: { type: string; message: string };
  history: { action: string; note?: string }[];
  [extra: string]: unknown;
}

interface ResultJson {
  id: string;
  result: string;
  message: string;
}

describe('cli: general', () => {
  test('--version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = cli(ROOT, '--version');
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  test('--help lists every subcommand; each subcommand has its own --help', () => {
    const r = cli(ROOT, '--help');
    assert.equal(r.code, 0);
    const commands = ['lint', 'classify', 'simulate', 'list', 'retry', 'resolve', 'delete', 'run-due', 'import', 'convert'];
    for (const c of commands) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
    for (const c of commands) {
      const h = cli(ROOT, c, '--help');
      assert.equal(h.code, 0, c);
      assert.match(h.stdout, new RegExp(`^Usage: fusion-executions ${c}\\b`), c);
    }
  });

  test('no command: help on stderr, exit 2', () => {
    const r = cli(ROOT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: fusion-executions <command>/);
  });

  test('unknown command: one line with a suggestion and a hint, exit 2', () => {
    const r = cli(ROOT, 'lnit', 'x');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'lnit' \(did you mean 'lint'\?\)/);
    assert.match(r.stderr, /--help/);
    assertShortMessage(r);
  });

  test('unknown option: one line naming it, exit 2', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'invoices.scenario.yaml', '--formt', 'json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--formt' \(did you mean '--format'\?\)/);
    assertShortMessage(r);
    assert.equal(r.stdout, '');
  });

  test('--debug is accepted before or after the command and adds no stack trace to user errors', () => {
    const dir = workspace();
    for (const args of [
      ['--debug', 'lint', 'nope.scenario.yaml'],
      ['lint', 'nope.scenario.yaml', '--debug'],
    ]) {
      const r = cli(dir, ...args);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'nope.scenario.yaml: no such file\n');
    }
  });

  test('option without its value, and a value for a flag: exit 2', () => {
    const dir = workspace();
    const a = cli(dir, 'classify', 'invoices.scenario.yaml', '--error', 'DataError', '--module');
    assert.equal(a.code, 2);
    assert.match(a.stderr, /option '--module' needs a value/);
    const b = cli(dir, 'list', '--json=yes');
    assert.equal(b.code, 2);
    assert.match(b.stderr, /option '--json' does not take a value/);
  });
});

describe('cli: lint', () => {
  test('a scenario with warnings only: text output, exit 0; --max-warnings 0 makes it exit 1', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'invoices.scenario.yaml');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^invoices\.scenario\.yaml:\d+:\d+ {2}warning {2}.+ {2}missing-error-handler$/m);
    assert.match(r.stdout, /\d+ problems? \(0 errors, 1 warning, .*\) in 1 file\./);
    const strict = cli(dir, 'lint', 'invoices.scenario.yaml', '--max-warnings', '0');
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /Too many warnings: 1/);
    assert.equal(cli(dir, 'lint', 'invoices.scenario.yaml', '--max-warnings', '1').code, 0);
  });

  test('JSON: 1-based positions, stable keys, moduleId on module findings', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'invoices.scenario.yaml', '--format', 'json');
    assert.equal(r.code, 0);
    const findings = json<LintJson[]>(r);
    const missing = findings.find((f) => f.code === 'missing-error-handler');
    assert.ok(missing, JSON.stringify(findings));
    assert.equal(missing.file, 'invoices.scenario.yaml');
    assert.equal(missing.severity, 'warning');
    assert.equal(missing.moduleId, 3);
    // the message is the one-line summary; what each group of error types does is `detail`
    assert.match(missing.detail ?? '', /store an incomplete execution with automatic retry; .*any other error fails the run\.$/);
    // Module 3 starts on line 17 ("  - id: 3"); the finding sits on that module.
    assert.ok(missing.line >= 17 && missing.line <= 19, `line ${missing.line}`);
    assert.ok(missing.column >= 1 && missing.endLine >= missing.line);
    for (const f of findings) {
      const allowed = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'moduleId', 'detail'];
      for (const k of Object.keys(f)) assert.ok(allowed.includes(k), `unexpected key ${k}`);
      assert.ok(f.line >= 1 && f.column >= 1);
    }
  });

  test('broken YAML is a finding at the parser position, exit 1 (not a crash)', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'broken.scenario.yaml', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const f = json<LintJson[]>(r).find((x) => x.code === 'yaml-syntax');
    assert.ok(f, r.stdout);
    assert.equal(f.severity, 'error');
    assert.ok(f.line >= 6, `yaml-syntax at line ${f.line}`);
    const text = cli(dir, 'lint', 'broken.scenario.yaml');
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^broken\.scenario\.yaml:\d+:\d+ {2}error {2}.+ {2}yaml-syntax$/m);
  });

  test('an empty file is a finding, exit 1', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'empty.scenario.yaml', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const findings = json<LintJson[]>(r);
    assert.ok(
      findings.some((f) => f.severity === 'error' && f.line === 1),
      r.stdout,
    );
  });

  test('invalid blueprint JSON is a json-syntax finding with its line, exit 1', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'newsletter.broken.blueprint.json', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const f = json<LintJson[]>(r).find((x) => x.code === 'json-syntax');
    assert.ok(f, r.stdout);
    assert.ok(f.line > 1);
  });

  test('a binary file: an unreadable-file error naming the file, exit 1 (the run goes on)', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'logo.scenario.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const r = cli(dir, 'lint', 'logo.scenario.yaml');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^logo\.scenario\.yaml:1:1 {2}error {2}This file cannot be checked: binary file .* {2}unreadable-file$/m);
    assert.equal(r.stderr, '');
  });

  test('a file that is not UTF-8 text: an unreadable-file error naming it, exit 1', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'latin1.scenario.yaml'), Buffer.from('name: Caf\xe9\nmodules: []\n', 'latin1'));
    const r = cli(dir, 'lint', 'latin1.scenario.yaml');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^latin1\.scenario\.yaml:1:1 {2}error {2}This file cannot be checked: not UTF-8 text\. {2}unreadable-file$/m);
  });

  test('a missing file: exit 2 naming it (and nothing is linted)', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'invoices.scenario.yaml', 'nope.scenario.yaml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^nope\.scenario\.yaml: no such file$/m);
    assert.equal(r.stdout, '');
  });

  test('a directory is searched with the scenario globs, skipping node_modules', () => {
    const dir = workspace();
    const project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'scenarios', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(project, 'node_modules', 'pkg'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'invoices.scenario.yaml'), path.join(project, 'scenarios', 'sub', 'invoices.scenario.yaml'));
    fs.copyFileSync(path.join(dir, 'calendar-agent.blueprint.json'), path.join(project, 'scenarios', 'calendar-agent.blueprint.json'));
    fs.copyFileSync(path.join(dir, 'broken.scenario.yaml'), path.join(project, 'node_modules', 'pkg', 'broken.scenario.yaml'));
    fs.writeFileSync(path.join(project, 'scenarios', 'notes.yaml'), 'not: a scenario\n');
    const r = cli(dir, 'lint', 'project', '--format', 'json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const files = new Set(json<LintJson[]>(r).map((f) => f.file.split(path.sep).join('/')));
    assert.ok(files.has('project/scenarios/sub/invoices.scenario.yaml'), [...files].join());
    for (const f of files) assert.ok(!f.includes('node_modules') && !f.endsWith('notes.yaml'), f);
    const text = cli(dir, 'lint', 'project');
    assert.match(text.stdout, /in 2 files\./);
  });

  test('a directory without scenario files, no arguments, bad --max-warnings: exit 2', () => {
    const dir = workspace();
    fs.mkdirSync(path.join(dir, 'emptydir'));
    const a = cli(dir, 'lint', 'emptydir');
    assert.equal(a.code, 2);
    assert.match(a.stderr, /emptydir: no scenario files found/);
    const b = cli(dir, 'lint');
    assert.equal(b.code, 2);
    assert.match(b.stderr, /missing argument/);
    const c = cli(dir, 'lint', 'invoices.scenario.yaml', '--max-warnings', 'many');
    assert.equal(c.code, 2);
    assert.match(c.stderr, /--max-warnings/);
  });

  test('errors in one file and a clean run of another: exit 1 with a summary', () => {
    const dir = workspace();
    const r = cli(dir, 'lint', 'invoices.scenario.yaml', 'duplicate.scenario.yaml');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^duplicate\.scenario\.yaml:\d+:\d+ {2}error {2}.+ {2}duplicate-module-id$/m);
    assert.match(r.stdout, /\(1 error, 1 warning/);
  });
});

describe('cli: classify', () => {
  test('JSON for a break handler with auto-complete', () => {
    const dir = workspace();
    const r = cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '2', '--error', 'ConnectionError', '--json');
    assert.equal(r.code, 0, r.stderr);
    const c = json<Record<string, unknown>>(r);
    assert.deepEqual(Object.keys(c).sort(), [
      'autoRetry',
      'errorType',
      'handler',
      'moduleId',
      'outcome',
      'reason',
      'storesIncompleteExecution',
    ]);
    assert.equal(c.moduleId, 2);
    assert.equal(c.errorType, 'ConnectionError');
    assert.equal(c.outcome, 'incomplete-with-retry');
    assert.equal(c.storesIncompleteExecution, true);
    assert.equal(c.autoRetry, true);
    assert.equal(c.handler, 'break');
    assert.equal(typeof c.reason, 'string');
  });

  test('no handler: DataError is stored without retry; the trigger stops the run', () => {
    const dir = workspace();
    const data = json<Record<string, unknown>>(cli(dir, 'classify', 'invoices.scenario.yaml', '-m', '3', '-e', 'DataError', '--json'));
    assert.equal(data.outcome, 'incomplete-without-retry');
    assert.equal(data.handler, null);
    assert.equal(data.autoRetry, false);
    const trigger = json<Record<string, unknown>>(
      cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '1', '--error', 'ConnectionError', '--json'),
    );
    assert.equal(trigger.outcome, 'stopped');
    assert.equal(trigger.storesIncompleteExecution, false);
  });

  test('text output names the module and the outcome', () => {
    const dir = workspace();
    const r = cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '3', '--error', 'RateLimitError');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /module 3 "Upload PDF"/);
    assert.match(r.stdout, /outcome: +incomplete-with-retry/);
  });

  test('the --profile flag applies when the scenario sets none (make: no auto-retry for OutOfSpaceError)', () => {
    const dir = workspace();
    const fusion = json<Record<string, unknown>>(
      cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '3', '--error', 'OutOfSpaceError', '--json'),
    );
    const make = json<Record<string, unknown>>(
      cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '3', '--error', 'OutOfSpaceError', '--profile', 'make', '--json'),
    );
    assert.equal(fusion.autoRetry, true);
    assert.equal(make.autoRetry, false);
    const bad = cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '3', '--error', 'DataError', '--profile', 'zapier');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--profile' must be one of fusion, make/);
  });

  test('an unknown module id: exit 2, one line naming the file and the id', () => {
    const dir = workspace();
    const r = cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '99', '--error', 'DataError');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^invoices\.scenario\.yaml: no module with id 99 \(the scenario has modules 1, 2, 3\)$/m);
    assertShortMessage(r, 1);
  });

  test('a structural problem: exit 2 with file:line:col: message (code)', () => {
    const dir = workspace();
    const dup = cli(dir, 'classify', 'duplicate.scenario.yaml', '--module', '2', '--error', 'DataError');
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /^duplicate\.scenario\.yaml:8:\d+: .+ \(duplicate-module-id\)/);
    assertShortMessage(dup, 1);
    const broken = cli(dir, 'classify', 'broken.scenario.yaml', '--module', '2', '--error', 'DataError');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^broken\.scenario\.yaml:\d+:\d+: .+ \(yaml-syntax\)/);
    const empty = cli(dir, 'classify', 'empty.scenario.yaml', '--module', '1', '--error', 'DataError');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^empty\.scenario\.yaml:1:1: .+ \(invalid-scenario\)|^empty\.scenario\.yaml: not a usable scenario/);
  });

  test('warnings (an unknown error type in a filter) do not stop it', () => {
    const dir = workspace();
    const r = cli(dir, 'classify', 'custom-error.scenario.yaml', '--module', '2', '--error', 'AcmeQuotaError', '--json');
    assert.equal(r.code, 0, r.stderr);
    const c = json<Record<string, unknown>>(r);
    assert.equal(c.handler, 'resume');
    assert.equal(c.outcome, 'succeeded');
  });

  test('usage mistakes: missing file, missing options, bad id', () => {
    const dir = workspace();
    const missing = cli(dir, 'classify', 'nope.scenario.yaml', '--module', '2', '--error', 'DataError');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^nope\.scenario\.yaml: no such file$/m);
    const noFile = cli(dir, 'classify', '--module', '2', '--error', 'DataError');
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /missing argument: the scenario file/);
    const noError = cli(dir, 'classify', 'invoices.scenario.yaml', '--module', '2');
    assert.equal(noError.code, 2);
    assert.match(noError.stderr, /missing option '--error'/);
    const two = cli(dir, 'classify', 'invoices.scenario.yaml', 'empty.scenario.yaml', '--module', '2', '--error', 'DataError');
    assert.equal(two.code, 2);
    assert.match(two.stderr, /expected one argument \(the scenario file\), got 2/);
    const badId = cli(dir, 'classify', 'invoices.scenario.yaml', '--module', 'two', '--error', 'DataError');
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /'--module' must be a module id/);
    const binary = path.join(dir, 'x.scenario.yaml');
    fs.writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0]));
    const bin = cli(dir, 'classify', 'x.scenario.yaml', '--module', '2', '--error', 'DataError');
    assert.equal(bin.code, 2);
    assert.match(bin.stderr, /^x\.scenario\.yaml: binary file/);
  });
});

describe('cli: simulate and the executions commands', () => {
  test('simulate stores what it stores (file created), exit 0; list shows them', () => {
    const dir = workspace();
    const r = cli(dir, 'simulate', 'invoices.scenario.yaml', '--json');
    assert.equal(r.code, 0, r.stderr);
    const report = json<{ runResult: string; bundles: { bundle: number; result: string }[]; executions: ExecutionJson[]; stored: number }>(
      r,
    );
    assert.equal(report.bundles.length, 3);
    assert.equal(report.bundles[0].result, 'completed');
    assert.equal(report.bundles[1].result, 'stored');
    assert.equal(report.bundles[2].result, 'stored');
    assert.equal(report.stored, 2);
    const file = path.join(dir, '.fusion', 'incomplete-executions.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; executions: ExecutionJson[] };
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.executions.map((x) => x.moduleId).sort(), [2, 3]);
    for (const x of doc.executions) assert.equal(x.scenarioFile, 'invoices.scenario.yaml');

    const list = cli(dir, 'list');
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^ID +STATUS +SCENARIO +MODULE +ERROR +ATTEMPTS +NEXT RETRY$/m);
    assert.match(list.stdout, /ConnectionError/);
    assert.match(list.stdout, /DataError/);
    assert.match(list.stdout, /^2 executions \(/m);

    // A second run appends.
    const again = cli(dir, 'simulate', 'invoices.scenario.yaml');
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Stored 2 incomplete execution/);
    assert.equal(json<ExecutionJson[]>(cli(dir, 'list', '--json')).length, 4);
  });

  test('concurrent CLI writers never lose an update (the store locks)', async () => {
    const dir = workspace();
    const runOne = (): Promise<number | null> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'simulate', 'invoices.scenario.yaml'], {
          cwd: dir,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`exit ${code}: ${stderr}`))));
      });
    await Promise.all([runOne(), runOne(), runOne(), runOne()]);
    const list = json<ExecutionJson[]>(cli(dir, 'list', '--json'));
    assert.equal(list.length, 8);
    assert.equal(new Set(list.map((x) => x.id)).size, 8);
  });

  test('simulate --dry-run writes nothing; a structural problem is exit 2', () => {
    const dir = workspace();
    const r = cli(dir, 'simulate', 'invoices.scenario.yaml', '--dry-run');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Would store 2/);
    assert.equal(fs.existsSync(path.join(dir, '.fusion')), false);
    const dup = cli(dir, 'simulate', 'duplicate.scenario.yaml');
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /^duplicate\.scenario\.yaml:8:\d+: .+ \(duplicate-module-id\)/);
  });

  test('simulate then retry --all: the recovering fault resolves, the other fails again', () => {
    const dir = workspace();
    assert.equal(cli(dir, 'simulate', 'invoices.scenario.yaml').code, 0);
    const r = cli(dir, 'retry', '--all', '--json');
    assert.equal(r.code, 0, r.stderr);
    const results = json<ResultJson[]>(r);
    assert.equal(results.length, 2);
    const list = json<ExecutionJson[]>(cli(dir, 'list', '--json'));
    const byModule = new Map(list.map((x) => [x.moduleId, x]));
    const m2 = byModule.get(2);
    const m3 = byModule.get(3);
    assert.ok(m2 && m3);
    assert.equal(m2.status, 'resolved');
    assert.notEqual(m3.status, 'resolved');
    assert.equal(results.find((x) => x.id === m2.id)?.result, 'resolved');
    assert.equal(results.find((x) => x.id === m3.id)?.result, 'failed');
    // Nothing left but the one that keeps failing.
    const again = json<ResultJson[]>(cli(dir, 'retry', '--all', '--json'));
    assert.deepEqual(
      again.map((x) => x.id),
      [m3.id],
    );
  });

  test('list filters by status and scenario; JSON keeps unknown fields', () => {
    const dir = workspace();
    const all = json<ExecutionJson[]>(cli(dir, 'list', '--json', '--executions', 'executions.json'));
    assert.equal(all.length, 3);
    assert.equal(all[0].ticket, 'OPS-17');
    const pending = json<ExecutionJson[]>(cli(dir, 'list', '--json', '--executions', 'executions.json', '--status', 'pending'));
    assert.deepEqual(
      pending.map((x) => x.id),
      ['ie-7f3a2c'],
    );
    const payroll = json<ExecutionJson[]>(cli(dir, 'list', '--json', '--executions', 'executions.json', '--scenario', 'Payroll sync'));
    assert.deepEqual(
      payroll.map((x) => x.id),
      ['ie-0c55e1'],
    );
    const bad = cli(dir, 'list', '--executions', 'executions.json', '--status', 'done');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--status' must be one of unresolved, pending, in-progress, resolved/);
    const text = cli(dir, 'list', '--executions', 'executions.json');
    assert.match(text.stdout, /^3 executions \(1 unresolved, 1 pending, 1 resolved\)/m);
  });

  test('list without an executions file: nothing to list, exit 0', () => {
    const dir = workspace();
    const r = cli(dir, 'list');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /does not exist yet/);
    const j = cli(dir, 'list', '--json');
    assert.deepEqual(json<unknown[]>(j), []);
  });

  test('resolve with a note; unknown ids are reported per id, exit 1', () => {
    const dir = workspace();
    const r = cli(dir, 'resolve', 'ie-91b0d4', 'ie-nope', '--note', 'fixed the file name by hand', '--executions', 'executions.json');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ie-91b0d4 +resolved/m);
    assert.match(r.stdout, /^ie-nope +not found/m);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'executions.json'), 'utf8')) as { executions: ExecutionJson[] };
    const x = doc.executions.find((e) => e.id === 'ie-91b0d4');
    assert.equal(x?.status, 'resolved');
    assert.equal(x?.history.at(-1)?.note, 'fixed the file name by hand');
    assert.equal(doc.executions.find((e) => e.id === 'ie-7f3a2c')?.ticket, 'OPS-17', 'unknown fields are kept');
    const ok = cli(dir, 'resolve', 'ie-7f3a2c', '--executions', 'executions.json', '--json');
    assert.equal(ok.code, 0);
    assert.deepEqual(
      json<ResultJson[]>(ok).map((x) => [x.id, x.result]),
      [['ie-7f3a2c', 'resolved']],
    );
  });

  test('delete removes records; unknown ids exit 1', () => {
    const dir = workspace();
    const r = cli(dir, 'delete', 'ie-0c55e1', '--executions', 'executions.json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const left = json<ExecutionJson[]>(cli(dir, 'list', '--json', '--executions', 'executions.json'));
    assert.deepEqual(
      left.map((x) => x.id),
      ['ie-7f3a2c', 'ie-91b0d4'],
    );
    const unknown = cli(dir, 'delete', 'ie-0c55e1', '--executions', 'executions.json');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /ie-0c55e1 +not found/);
    const none = cli(dir, 'delete', '--executions', 'executions.json');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing argument/);
  });

  test('retry by id uses the scenario file from the workspace; retry usage mistakes exit 2', () => {
    const dir = workspace();
    const r = cli(dir, 'retry', 'ie-7f3a2c', '--executions', 'executions.json', '--json');
    assert.equal(r.code, 0, r.stderr);
    const [res] = json<ResultJson[]>(r);
    assert.equal(res.id, 'ie-7f3a2c');
    // No fault of the current scenario hits bundle {invoiceId: 1234} on a retry of a recovering fault:
    // whatever the outcome, the record was retried and its history grew.
    assert.ok(['resolved', 'failed'].includes(res.result), res.result);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'executions.json'), 'utf8')) as { executions: ExecutionJson[] };
    assert.ok(doc.executions[0].history.length > 1);
    assert.equal(cli(dir, 'retry', 'ie-x', '--all', '--executions', 'executions.json').code, 2);
    assert.equal(cli(dir, 'retry', 'ie-7f3a2c', '--scenario', 'Invoice export', '--executions', 'executions.json').code, 2);
    const unknown = cli(dir, 'retry', 'ie-nope', '--executions', 'executions.json');
    assert.equal(unknown.code, 1);
    // The scenario file now has a structural error: the retry cannot run (nothing was replayed:
    // exit 1), and the CLI says why.
    fs.appendFileSync(path.join(dir, 'invoices.scenario.yaml'), '  - id: 2\n    app: x:y\n');
    const broken = cli(dir, 'retry', 'ie-91b0d4', '--executions', 'executions.json');
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /^ie-91b0d4 +failed/m);
    assert.match(broken.stderr, /invoices\.scenario\.yaml cannot be used .*fusion-executions lint invoices\.scenario\.yaml/);
  });

  test('run-due performs the retries due at --now; a bad --now is exit 2', () => {
    const dir = workspace();
    const early = cli(dir, 'run-due', '--now', '2026-11-20T10:05:00Z', '--executions', 'executions.json', '--json');
    assert.equal(early.code, 0, early.stderr);
    assert.deepEqual(json<ResultJson[]>(early), []);
    const due = cli(dir, 'run-due', '--now', '2026-11-20T10:20:00Z', '--executions', 'executions.json', '--json');
    assert.equal(due.code, 0, due.stderr);
    assert.deepEqual(
      json<ResultJson[]>(due).map((x) => x.id),
      ['ie-7f3a2c'],
    );
    const bad = cli(dir, 'run-due', '--now', 'tomorrow', '--executions', 'executions.json');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'--now' must be an ISO 8601 date-time/);
  });

  test('an executions file with a syntax error: exit 2 with file:line:col, file untouched', () => {
    const dir = workspace();
    const file = path.join(dir, 'executions-broken.json');
    const before = fs.readFileSync(file);
    for (const args of [
      ['list'],
      ['resolve', 'ie-7f3a2c'],
      ['delete', 'ie-7f3a2c'],
      ['retry', '--all'],
      ['run-due', '--now', '2030-01-01T00:00:00Z'],
      ['simulate', 'invoices.scenario.yaml'],
      ['import', 'make-dlqs.json'],
    ]) {
      const r = cli(dir, ...args, '--executions', 'executions-broken.json');
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^executions-broken\.json:\d+:\d+: /, args.join(' '));
      assertShortMessage(r, 1);
      assert.deepEqual(fs.readFileSync(file), before, `${args.join(' ')} changed the file`);
    }
  });

  test('commands that need the executions file say so when it is missing: exit 2', () => {
    const dir = workspace();
    const r = cli(dir, 'resolve', 'ie-1');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /incomplete-executions\.json: no such file/);
    assert.equal(fs.existsSync(path.join(dir, '.fusion')), false);
    const ws = cli(dir, 'list', '--workspace', 'nowhere');
    assert.equal(ws.code, 2);
    assert.match(ws.stderr, /--workspace nowhere: no such directory/);
  });
});

describe('cli: import and convert', () => {
  test('import merges Make API responses by id', () => {
    const dir = workspace();
    const first = cli(dir, 'import', 'make-dlqs.json', '--json');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(json<{ added: number }>(first).added, 2);
    const afterFirst = json<ExecutionJson[]>(cli(dir, 'list', '--json'));
    assert.equal(afterFirst.length, 2);
    const second = cli(dir, 'import', 'make-dlqs.json', 'make-dlq-detail.json', '--json');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(json<{ added: number }>(second).added, 0);
    const afterSecond = json<ExecutionJson[]>(cli(dir, 'list', '--json'));
    assert.equal(afterSecond.length, 2, 'merged by id, no duplicates');
    assert.ok(
      afterSecond.some((x) => x.scenario === 'Invoice export'),
      'detail response adds the scenario name',
    );
    const text = cli(dir, 'import', 'make-dlqs.json');
    assert.match(text.stdout, /Imported 1 file into \.fusion[\\/]incomplete-executions\.json: 0 added/);
  });

  test('import: a bundle response named after a record already in the file updates that record', () => {
    const dir = workspace();
    assert.equal(cli(dir, 'import', 'make-dlq-detail.json').code, 0);
    const id = '3f0c6a9e2b7d4c18a5e1f9b0d6c2a47e';
    fs.writeFileSync(
      path.join(dir, `${id}.bundle.json`),
      JSON.stringify({ response: { '2': { error: { type: 'DataError', message: 'Invalid date' } } } }),
    );
    const r = cli(dir, 'import', `${id}.bundle.json`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 added, 1 updated, 0 unchanged/);
    const x = json<ExecutionJson[]>(cli(dir, 'list', '--json')).find((e) => e.id === id);
    assert.deepEqual(x?.error, { type: 'DataError', message: 'Invalid date' });
    // a bundle that matches no record is refused, and without an executions file none is created
    const other = workspace();
    fs.writeFileSync(path.join(other, `${id}.bundle.json`), JSON.stringify({ response: {} }));
    const refused = cli(other, 'import', `${id}.bundle.json`);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^3f0c6a9e2b7d4c18a5e1f9b0d6c2a47e\.bundle\.json:1:1: cannot tell which incomplete execution this bundle belongs to/,
    );
    assert.equal(fs.existsSync(path.join(other, '.fusion')), false);
  });

  test('import: malformed, missing and binary inputs exit 2 and write nothing', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"dlqs": [ {"id": "x", } ');
    const bad = cli(dir, 'import', 'bad.json');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json/);
    assertShortMessage(bad, 1);
    const missing = cli(dir, 'import', 'nope.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^nope\.json: no such file$/m);
    fs.writeFileSync(path.join(dir, 'bin.json'), Buffer.from([0x7b, 0, 0x7d]));
    assert.equal(cli(dir, 'import', 'bin.json').code, 2);
    assert.equal(cli(dir, 'import').code, 2);
    assert.equal(fs.existsSync(path.join(dir, '.fusion')), false);
  });

  test('convert an exported blueprint to YAML (stdout), then back to a blueprint (--out)', () => {
    const dir = workspace();
    const y = cli(dir, 'convert', 'calendar-agent.blueprint.json');
    assert.equal(y.code, 0, y.stderr);
    assert.match(y.stdout, /^modules:/m);
    assert.match(y.stdout, /^name: /m);
    fs.writeFileSync(path.join(dir, 'calendar.scenario.yaml'), y.stdout);
    const lint = cli(dir, 'lint', 'calendar.scenario.yaml', '--format', 'json');
    assert.notEqual(lint.code, 2, lint.stderr);
    assert.deepEqual(
      json<LintJson[]>(lint).filter((f) => f.severity === 'error'),
      [],
    );

    const b = cli(dir, 'convert', 'calendar.scenario.yaml', '--to', 'blueprint', '--out', 'calendar.blueprint.json');
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, '');
    assert.match(b.stderr, /Wrote calendar\.blueprint\.json/);
    const bp = JSON.parse(fs.readFileSync(path.join(dir, 'calendar.blueprint.json'), 'utf8')) as { flow: unknown[] };
    const original = JSON.parse(fs.readFileSync(path.join(dir, 'calendar-agent.blueprint.json'), 'utf8').replace(/^\uFEFF/, '')) as {
      flow: unknown[];
    };
    assert.equal(bp.flow.length, original.flow.length);
  });

  test('convert: YAML becomes a blueprint by default; same-format --to, broken input, missing file exit 2', () => {
    const dir = workspace();
    const b = cli(dir, 'convert', 'notify.scenario.yaml');
    assert.equal(b.code, 0, b.stderr);
    const bp = JSON.parse(b.stdout) as { name: string; flow: { id: number; module: string; routes?: unknown[] }[] };
    assert.equal(bp.name, 'Notify approvers');
    assert.deepEqual(
      bp.flow.map((m) => m.id),
      [1, 2],
    );
    assert.equal(bp.flow[1].routes?.length, 2);
    // The converted blueprint lints like its source: no errors.
    fs.writeFileSync(path.join(dir, 'notify.blueprint.json'), b.stdout);
    const lint = cli(dir, 'lint', 'notify.blueprint.json', '--format', 'json');
    assert.equal(lint.code, 0, lint.stdout);
    // A route filtered by error type has no blueprint equivalent: refused at its line.
    // An `errors:` filter converts: a blueprint filter on the error type of the route's first module.
    const filtered = cli(dir, 'convert', 'invoices.scenario.yaml');
    assert.equal(filtered.code, 0, filtered.stderr);
    const fbp = JSON.parse(filtered.stdout) as { flow: { onerror?: { filter?: { conditions: unknown } }[] }[] };
    assert.deepEqual(fbp.flow[1].onerror?.[0].filter?.conditions, [[{ a: '{{2.error.type}}', o: 'text:equal', b: 'ConnectionError' }]]);
    // What a blueprint cannot hold is refused with its line: two error-handler routes on one module.
    fs.writeFileSync(
      path.join(dir, 'two-routes.scenario.yaml'),
      'name: x\nmodules:\n  - id: 1\n    app: a:b\n  - id: 2\n    app: c:d\n    onError:\n      - {errors: [DataError], directive: ignore}\n      - {directive: break}\n',
    );
    const refused = cli(dir, 'convert', 'two-routes.scenario.yaml');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^two-routes\.scenario\.yaml:9:\d+: cannot convert: /);
    assertShortMessage(refused, 1);
    const same = cli(dir, 'convert', 'invoices.scenario.yaml', '--to', 'yaml');
    assert.equal(same.code, 2);
    assert.match(same.stderr, /already scenario YAML; use --to blueprint/);
    const broken = cli(dir, 'convert', 'newsletter.broken.blueprint.json');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^newsletter\.broken\.blueprint\.json:\d+:\d+: .+ \(json-syntax\)/);
    assertShortMessage(broken, 1);
    const missing = cli(dir, 'convert', 'nope.blueprint.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.blueprint\.json: no such file/);
  });
});

describe('cli: list surfaces Fusion storage limits', () => {
  const MB = 1024 * 1024;
  const DAY = 24 * 60 * 60 * 1000;

  function limitsWorkspace(): { dir: string; executions: Record<string, unknown>[] } {
    const dir = workspace();
    fs.writeFileSync(
      path.join(dir, 'leads.scenario.yaml'),
      'name: Lead sync\nsettings:\n  sequentialProcessing: true\nmodules:\n  - id: 1\n    app: salesforce:watchLeads\n',
    );
    fs.writeFileSync(
      path.join(dir, 'quiet.scenario.yaml'),
      'name: Quiet sync\nsettings:\n  sequentialProcessing: false\nmodules:\n  - id: 1\n    app: salesforce:watchLeads\n',
    );
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const rec = (id: string, scenario: string, status: string, extra: Record<string, unknown> = {}) => ({
      id,
      scenario,
      moduleId: 2,
      error: { type: 'ConnectionError', message: 'reset' },
      status,
      autoRetry: false,
      attempts: 0,
      maxAttempts: 0,
      nextRetryAt: null,
      created: ago(40 * DAY),
      updated: ago(40 * DAY),
      size: 100,
      history: [],
      ...extra,
    });
    const executions = [
      rec('ie-inv-1', 'Invoice export', 'unresolved', { size: 6 * MB }),
      rec('ie-inv-2', 'Invoice export', 'pending', { size: Math.round(2.6 * MB) }),
      rec('ie-inv-3', 'Invoice export', 'resolved', { size: 50 * MB, updated: ago(34 * DAY + 3_600_000) }),
      rec('ie-full-1', 'Archive', 'unresolved', { size: 10 * MB }),
      rec('ie-lead-1', 'Lead sync', 'unresolved'),
      rec('ie-lead-2', 'Lead sync', 'pending', { scenarioFile: 'leads.scenario.yaml' }),
      rec('ie-quiet-1', 'Quiet sync', 'unresolved'),
      rec('ie-quiet-2', 'Quiet sync', 'resolved', { updated: ago(29 * DAY) }),
    ];
    fs.mkdirSync(path.join(dir, '.fusion'));
    fs.writeFileSync(path.join(dir, '.fusion', 'incomplete-executions.json'), JSON.stringify({ version: 1, executions }, null, 2));
    return { dir, executions };
  }

  test('after the table: warning/full scenarios, runs waiting under sequential processing, resolved records Fusion has deleted', () => {
    const { dir } = limitsWorkspace();
    const r = cli(dir, 'list');
    assert.equal(r.code, 0, r.stderr);
    const notes = r.stdout.split('\n').filter((l) => l.startsWith('! '));
    assert.deepEqual(notes, [
      '! Archive: 10 MB of 10 MB of unresolved incomplete executions (100%): the limit is reached, Fusion stores no more for this scenario',
      '! Invoice export: 8.6 MB of 10 MB of unresolved incomplete executions (86%)',
      '! Lead sync: sequential processing is on and 2 executions are not resolved: new runs wait until they are resolved',
      '! ie-inv-3 (Invoice export): resolved 34 days ago: Fusion has deleted it',
    ]);
    assert.ok(r.stdout.indexOf('! ') > r.stdout.indexOf('8 executions ('), 'the notes come after the table and its summary');
  });

  test('a filter limits the notes to what is listed; a scenario under 80 % without sequential processing has none', () => {
    const { dir } = limitsWorkspace();
    const lead = cli(dir, 'list', '--scenario', 'Lead sync');
    assert.deepEqual(
      lead.stdout.split('\n').filter((l) => l.startsWith('! ')),
      ['! Lead sync: sequential processing is on and 2 executions are not resolved: new runs wait until they are resolved'],
    );
    const quiet = cli(dir, 'list', '--scenario', 'Quiet sync');
    assert.equal(quiet.code, 0);
    assert.doesNotMatch(quiet.stdout, /^! /m);
    // The storage of a scenario counts every not-resolved record, even when --status hides some.
    const pendingOnly = cli(dir, 'list', '--scenario', 'Invoice export', '--status', 'pending');
    assert.match(pendingOnly.stdout, /^! Invoice export: 8\.6 MB of 10 MB .* \(86%\)$/m);
    assert.doesNotMatch(pendingOnly.stdout, /ie-inv-3 \(Invoice export\): resolved/, 'the hidden resolved record is not noted');
  });

  test('--json keeps its shape: the records as stored, nothing added', () => {
    const { dir, executions } = limitsWorkspace();
    const r = cli(dir, 'list', '--json');
    assert.equal(r.code, 0);
    assert.deepEqual(json<unknown[]>(r), executions);
    assert.equal(r.stderr, '');
  });
});
