// The `$fusion-executions` problem matcher (package.json contributes.problemMatchers) against what
// the real CLI prints: every finding line of `lint` and the `file:line:col: message (code)` line
// of a refusal must match with the right groups; summary lines must not.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../../..');
const CLI = process.env.FUSION_EXECUTIONS_CLI ?? path.join(ROOT, 'dist', 'cli.js');

interface Pattern {
  regexp: string;
  file: number;
  line: number;
  column: number;
  severity: number;
  message: number;
  code: number;
}
interface Matcher {
  name: string;
  owner: string;
  severity: string;
  fileLocation: unknown;
  pattern: Pattern;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { problemMatchers: Matcher[] } };
const matcher = pkg.contributes.problemMatchers.find((m) => m.name === 'fusion-executions');

function cli(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** What VS Code reads from a line: the groups the matcher names (undefined when it does not match). */
function apply(line: string): { file: string; line: number; column: number; severity?: string; message: string; code: string } | undefined {
  assert.ok(matcher);
  const m = new RegExp(matcher.pattern.regexp).exec(line);
  if (!m) return undefined;
  const p = matcher.pattern;
  return {
    file: m[p.file],
    line: Number(m[p.line]),
    column: Number(m[p.column]),
    ...(m[p.severity] !== undefined ? { severity: m[p.severity] } : {}),
    message: m[p.message],
    code: m[p.code],
  };
}

/** A scenario under a folder and a name with spaces, outside the repository (an absolute path in the output). */
const SPACED_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'fie matcher '));
const SPACED = path.join(SPACED_DIR, 'order routing.scenario.yaml');
fs.writeFileSync(SPACED, fs.readFileSync(path.join(ROOT, 'test/fixtures/workspace/scenarios/rules/missing-error-handler.scenario.yaml')));
const TARGETS = ['test/fixtures/workspace/scenarios/rules/', 'samples/', SPACED];
const CLI_BUILT = fs.existsSync(CLI);

describe('problem matcher $fusion-executions', { skip: CLI_BUILT ? false : `${CLI} is not built (npm run build)` }, () => {
  after(() => fs.rmSync(SPACED_DIR, { recursive: true, force: true }));

  test("it is contributed under that name, owned by the extension's diagnostics source", () => {
    assert.ok(matcher, 'package.json contributes a problem matcher named fusion-executions');
    assert.equal(matcher.owner, 'fusion');
    assert.equal(matcher.severity, 'error', 'lines without a severity (refusals) are errors');
  });

  test('every finding line of `lint` matches, with the file, position, severity and code of the JSON output', () => {
    const text = cli(['lint', ...TARGETS]);
    const json = cli(['lint', ...TARGETS, '--format', 'json']);
    const findings = JSON.parse(json.stdout) as {
      file: string;
      line: number;
      column: number;
      severity: string;
      code: string;
      message: string;
    }[];
    assert.ok(findings.length >= 10, 'the fixtures give many findings');
    const lines = text.stdout.split('\n');
    const matched = lines.map(apply).filter((x) => x !== undefined);
    assert.equal(matched.length, findings.length, 'one match per finding, nothing else');
    const sev: Record<string, string> = { error: 'error', warning: 'warning', info: 'information', hint: 'hint' };
    matched.forEach((m, i) => {
      const f = findings[i];
      assert.equal(m.file, f.file);
      assert.equal(m.line, f.line);
      assert.equal(m.column, f.column);
      assert.equal(sev[m.severity ?? ''], f.severity);
      assert.equal(m.code, f.code);
      assert.equal(m.message, f.message.replace(/\s*\r?\n\s*/g, ' ').trim());
    });
    // a path with a space and a message with parentheses are in there
    assert.ok(
      matched.some((m) => m.file === SPACED),
      'an absolute path with spaces',
    );
    assert.ok(
      matched.some((m) => /\(http:makeRequest\)/.test(m.message)),
      'messages with parentheses',
    );
  });

  test('a refusal `file:line:col: message (code)` matches as an error with its code', () => {
    const r = cli([
      'classify',
      'test/fixtures/workspace/scenarios/rules/duplicate-module-id.scenario.yaml',
      '--module',
      '2',
      '--error',
      'DataError',
    ]);
    assert.equal(r.status, 2);
    const line = r.stderr.split('\n').find((l) => l.includes('duplicate-module-id'));
    assert.ok(line, r.stderr);
    const m = apply(line);
    assert.ok(m, `matches: ${line}`);
    assert.equal(m.file, 'test/fixtures/workspace/scenarios/rules/duplicate-module-id.scenario.yaml');
    assert.equal(m.line, 8);
    assert.equal(m.column, 9);
    assert.equal(m.severity, undefined, "no severity: the matcher's default (error) applies");
    assert.equal(m.code, 'duplicate-module-id');
    assert.match(m.message, /^Module id 2 is already used on line 5/);
  });

  test('summaries, blank lines and absolute Windows-style paths', () => {
    assert.equal(apply('25 problems (7 errors, 16 warnings, 2 infos) in 15 files.'), undefined);
    assert.equal(apply('No problems in 3 files.'), undefined);
    assert.equal(apply(''), undefined);
    assert.equal(apply('Too many warnings: 3 (--max-warnings 0).'), undefined);
    const win = apply('C:\\work\\a.scenario.yaml:3:5  warning  Module 2 has no error-handler route  missing-error-handler');
    assert.equal(win?.file, 'C:\\work\\a.scenario.yaml');
    assert.equal(win?.line, 3);
  });
});
