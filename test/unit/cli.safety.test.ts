/**
 * The real CLI (`node dist/cli.js`) on executions files and inputs that used to lose data, hang or
 * crash: backups beside the file, FIFOs and devices, bytes that are not UTF-8, duplicate keys,
 * deep nesting, unprintable ids, read-only files, huge simulations, id collisions, re-imports, and
 * paths stored by simulate that a later retry must find. Each case asserts what happened to the
 * files and the exit code; a hang shows as a run killed after a generous timeout.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = process.env.FUSION_EXECUTIONS_CLI ?? path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');
/** A run that has not ended by then hangs (the commands here take well under a second). */
const HANG_MS = 20_000;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-safety-')));
  tempDirs.push(dir);
  for (const name of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, name));
  return dir;
}

function cli(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error && (r.error as { code?: string }).code !== 'ETIMEDOUT') throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Exit 2 with a one-line message matching `message`, no internal error, no stack trace. */
function refused(r: Run, message: RegExp, what: string): void {
  assert.equal(r.signal, null, `${what}: did not return within ${HANG_MS / 1000} s (killed)`);
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error| {4}at /, what);
  assert.match(r.stderr, message, what);
}

/** True when `text` holds a raw ESC, BEL or CSI (U+009B): what would drive a terminal. */
function hasRawControl(text: string): boolean {
  return ['\u001b', '\u0007', '\u009b'].some((c) => text.includes(c));
}

function record(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    scenario: 'Invoice export',
    scenarioFile: 'invoices.scenario.yaml',
    moduleId: 3,
    error: { type: 'DataError', message: 'Invalid file name' },
    status: 'unresolved',
    created: '2026-11-20T11:00:00.000Z',
    ...extra,
  };
}

function executionsText(records: unknown[]): string {
  return `${JSON.stringify({ version: 1, executions: records }, null, 2)}\n`;
}

describe('cli safety: files beside and instead of the executions file', () => {
  test('backups named <file>.1, <file>.20260101, <file>.bak survive every command', () => {
    const dir = workspace();
    const backups = ['executions.json.1', 'executions.json.20260101', 'executions.json.bak', '.executions.json.swp'];
    for (const b of backups) fs.writeFileSync(path.join(dir, b), `a person's backup ${b}\n`);
    const runs = [
      cli(dir, 'resolve', 'ie-unknown', '--executions', 'executions.json'),
      cli(dir, 'resolve', 'ie-91b0d4', '--executions', 'executions.json'),
      cli(dir, 'delete', 'ie-0c55e1', '--executions', 'executions.json'),
      cli(dir, 'retry', '--all', '--executions', 'executions.json'),
    ];
    assert.deepEqual(
      runs.map((r) => r.code),
      [1, 0, 0, 0],
      runs.map((r) => r.stderr).join(''),
    );
    for (const b of backups) assert.equal(fs.readFileSync(path.join(dir, b), 'utf8'), `a person's backup ${b}\n`, `${b} is untouched`);
  });

  test('a FIFO or a link to /dev/zero as --executions: every command returns at once with exit 2', () => {
    const dir = workspace();
    execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
    for (const target of ['fifo.json', 'zero.json']) {
      for (const args of [
        ['list'],
        ['list', '--json'],
        ['retry', '--all'],
        ['run-due'],
        ['resolve', 'ie-1'],
        ['delete', 'ie-1'],
        ['simulate', 'invoices.scenario.yaml'],
        ['import', 'make-dlqs.json'],
      ]) {
        const r = cli(dir, ...args, '--executions', target);
        refused(r, /not a regular file/, `${args.join(' ')} --executions ${target}`);
      }
    }
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes('.lock') || n.includes('fusion-tmp')),
      [],
      'no lock or temp file left',
    );
  });

  test('a record whose scenarioFile is a FIFO: retry returns, says why, exit 1, and leaves no lock behind', () => {
    const dir = workspace();
    execFileSync('mkfifo', [path.join(dir, 'pipe.scenario.yaml')]);
    fs.writeFileSync(
      path.join(dir, 'ex.json'),
      executionsText([record('ie-fifo', { scenario: 'Nowhere', scenarioFile: 'pipe.scenario.yaml' })]),
    );
    const r = cli(dir, 'retry', 'ie-fifo', '--executions', 'ex.json');
    assert.equal(r.signal, null, 'retry returned');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Cannot retry ie-fifo/);
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes('.lock')),
      [],
    );
    // And the next writer is not blocked.
    assert.equal(cli(dir, 'resolve', 'ie-fifo', '--executions', 'ex.json').code, 0);
  });

  test('a read-only (0444) executions file is refused with exit 2 and left as it is', () => {
    const dir = workspace();
    const file = path.join(dir, 'executions.json');
    fs.chmodSync(file, 0o444);
    const before = fs.readFileSync(file);
    const ino = fs.statSync(file).ino;
    const r = cli(dir, 'resolve', 'ie-91b0d4', '--executions', 'executions.json');
    refused(r, /read-only/, 'resolve on a 0444 file');
    assert.deepEqual(fs.readFileSync(file), before);
    assert.equal(fs.statSync(file).ino, ino, 'not replaced');
    assert.equal(fs.statSync(file).mode & 0o777, 0o444);
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes('fusion-tmp')),
      [],
    );
  });
});

describe('cli safety: content of the executions file', () => {
  /** The text with the one byte `Caf?` → `Caf\xE9` (Latin-1 é, invalid in UTF-8). */
  function latin1(): Buffer {
    const bytes = Buffer.from(executionsText([record('ie-1', { scenario: 'Caf? export' })]), 'utf8');
    bytes[bytes.indexOf('Caf?') + 3] = 0xe9;
    return bytes;
  }
  const cases: [string, () => Buffer, RegExp][] = [
    ['not UTF-8 (Latin-1 é)', latin1, /not UTF-8 text: byte 0xE9/],
    [
      'a NUL byte far past the first 8 KB',
      () => Buffer.from(executionsText(Array.from({ length: 60 }, (_, i) => record(`ie-${i}`))).replace(/\n\}\n$/, '\n}\u0000\n'), 'utf8'),
      /NUL byte/,
    ],
    [
      '"executions" twice',
      () => Buffer.from(`{\n  "version": 1,\n  "executions": [],\n  "executions": ${JSON.stringify([record('ie-1')])}\n}\n`),
      /:4:3: duplicate key "executions"/,
    ],
    [
      'a bundle nested 10,000 deep',
      () =>
        Buffer.from(
          executionsText([record('ie-1', { bundle: 0 })]).replace('"bundle": 0', `"bundle": ${'['.repeat(10_000)}${']'.repeat(10_000)}`),
        ),
      /nested more than 256 levels/,
    ],
    [
      'an id with an ESC sequence',
      () => Buffer.from(executionsText([record('ie-\u001b[2J\u001b[H')])),
      /"id" contains the control character U\+001B/,
    ],
    ['an id with a newline', () => Buffer.from(executionsText([record('ie-a\nb')])), /"id" contains the control character U\+000A/],
    [
      'an id of 100,000 characters',
      () => Buffer.from(executionsText([record(`ie-${'x'.repeat(100_000)}`)])),
      /"id" is 100003 characters long \(at most 200\)/,
    ],
  ];
  for (const [name, make, message] of cases) {
    test(`${name}: list, resolve, retry, delete exit 2 and the file is untouched`, () => {
      const dir = workspace();
      const file = path.join(dir, 'ex.json');
      const written = make();
      assert.ok(written.length > 8192 || !name.includes('8 KB'), 'the NUL byte lies past 8 KB');
      fs.writeFileSync(file, written);
      for (const args of [['list'], ['list', '--json'], ['resolve', 'ie-1'], ['retry', '--all'], ['delete', 'ie-1']]) {
        const r = cli(dir, ...args, '--executions', 'ex.json');
        refused(r, message, `${name}: ${args.join(' ')}`);
        assert.ok(!hasRawControl(r.stdout + r.stderr), 'no raw ESC reaches the terminal');
        assert.deepEqual(fs.readFileSync(file), written, `${name}: ${args.join(' ')} left the file as it was`);
      }
    });
  }

  test('control characters in other fields are shown escaped, never sent raw to the terminal', () => {
    const dir = workspace();
    fs.writeFileSync(
      path.join(dir, 'ex.json'),
      executionsText([
        record('ie-1', { scenario: 'Evil \u001b]0;pwned\u0007 \u009b2J', error: { type: 'DataError', message: '\u001b[31mred' } }),
      ]),
    );
    const text = cli(dir, 'list', '--executions', 'ex.json');
    assert.equal(text.code, 0, text.stderr);
    assert.ok(!hasRawControl(text.stdout), text.stdout);
    assert.match(text.stdout, /Evil \\u001b\]0;pwned\\u0007 \\u009b2J/);
    const json = cli(dir, 'list', '--json', '--executions', 'ex.json');
    assert.ok(!hasRawControl(json.stdout), json.stdout);
    const parsed = JSON.parse(json.stdout) as { scenario: string }[];
    assert.equal(parsed[0].scenario, 'Evil \u001b]0;pwned\u0007 \u009b2J', 'the JSON output is still valid JSON with the same value');
    const r = cli(dir, 'resolve', 'ie-\u001b[2J', '--executions', 'ex.json');
    assert.equal(r.code, 2);
    assert.ok(!hasRawControl(r.stderr), r.stderr);
  });
});

describe('cli safety: limits, ids, imports, paths', () => {
  test('simulation.bundles 10,000,000 or 9e15: exit 2 at once with the limit; 10,000 is fine', () => {
    const dir = workspace();
    const base = fs.readFileSync(path.join(dir, 'invoices.scenario.yaml'), 'utf8');
    for (const n of ['10000000', '9e15', '10001']) {
      fs.writeFileSync(path.join(dir, 'big.scenario.yaml'), base.replace('bundles: 3', `bundles: ${n}`));
      const r = cli(dir, 'simulate', 'big.scenario.yaml', '--dry-run');
      refused(r, /simulation\.bundles.*at most 10000/, `bundles ${n}`);
    }
    fs.writeFileSync(path.join(dir, 'big.scenario.yaml'), base.replace('bundles: 3', 'bundles: 10000'));
    const ok = cli(dir, 'simulate', 'big.scenario.yaml', '--dry-run');
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('two 10,000-bundle simulations into one file: no duplicate id, all 20,000 records stored', () => {
    const dir = workspace();
    const base = fs.readFileSync(path.join(dir, 'invoices.scenario.yaml'), 'utf8');
    // Every bundle fails at module 3 and is stored.
    fs.writeFileSync(
      path.join(dir, 'many.scenario.yaml'),
      base.replace('bundles: 3', 'bundles: 10000').replace('      bundles: [3]\n', ''),
    );
    for (let i = 0; i < 2; i++) {
      const r = cli(dir, 'simulate', 'many.scenario.yaml', '--executions', 'many.json');
      assert.equal(r.code, 0, r.stderr);
    }
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'many.json'), 'utf8')) as { executions: { id: string }[] };
    assert.ok(doc.executions.length >= 20_000, `${doc.executions.length} records`);
    assert.equal(new Set(doc.executions.map((e) => e.id)).size, doc.executions.length, 'ids are unique');
  });

  test('re-importing an older Make export does not reopen a record resolved here', () => {
    const dir = workspace();
    assert.equal(cli(dir, 'import', 'make-dlqs.json', '--executions', 'made.json').code, 0);
    // `resolve` leaves a record from Make as it is (Make's API cannot resolve one), so the record
    // resolved here is one an earlier version resolved: written into the file as it would have.
    const file = path.join(dir, 'made.json');
    const imported = JSON.parse(fs.readFileSync(file, 'utf8')) as { executions: Record<string, unknown>[] };
    for (const e of imported.executions) {
      if (e.id !== '3f0c6a9e2b7d4c18a5e1f9b0d6c2a47e') continue;
      e.status = 'resolved';
      e.nextRetryAt = null;
      (e.history as unknown[]).push({ at: '2026-11-20T10:00:00.000Z', action: 'resolve', result: 'resolved', note: 'raised the timeout' });
    }
    fs.writeFileSync(file, JSON.stringify(imported, null, 2));
    assert.equal(cli(dir, 'import', 'make-dlqs.json', '--executions', 'made.json').code, 0);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'made.json'), 'utf8')) as {
      executions: { id: string; status: string; nextRetryAt: unknown }[];
    };
    const rec = doc.executions.find((e) => e.id === '3f0c6a9e2b7d4c18a5e1f9b0d6c2a47e');
    assert.equal(rec?.status, 'resolved');
    assert.equal(rec?.nextRetryAt, null);
    assert.equal(
      doc.executions.find((e) => e.id === 'b81e4d07c9a3456f8e2d1a6c0f5b9e34')?.status,
      'pending',
      'the other record still follows Make',
    );
  });

  test('convert --out through a link that points at the input: refused, input untouched', () => {
    const dir = workspace();
    const input = path.join(dir, 'invoices.scenario.yaml');
    const before = fs.readFileSync(input);
    fs.symlinkSync(input, path.join(dir, 'link.json'));
    const r = cli(dir, 'convert', 'invoices.scenario.yaml', '--out', 'link.json');
    refused(r, /is the input file/, 'convert --out link');
    assert.deepEqual(fs.readFileSync(input), before);
  });

  test('a scenario file with a NUL byte after the first 8 KB is refused as binary', () => {
    const dir = workspace();
    const base = fs.readFileSync(path.join(dir, 'invoices.scenario.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'nul.scenario.yaml'), `${base}${'# padding\n'.repeat(1000)}# \u0000\n`);
    refused(cli(dir, 'simulate', 'nul.scenario.yaml', '--dry-run'), /binary file/, 'simulate a file with a late NUL');
  });

  test('retry of a record whose scenario cannot be found: "Cannot retry", exit 1', () => {
    const dir = workspace();
    fs.writeFileSync(
      path.join(dir, 'ex.json'),
      executionsText([record('ie-lost', { scenario: 'Nobody has this', scenarioFile: 'gone.scenario.yaml' })]),
    );
    const r = cli(dir, 'retry', 'ie-lost', '--executions', 'ex.json');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Cannot retry ie-lost/);
  });

  test("simulate from a sibling folder with --executions only: the workspace is the executions file's, the stored path works for retry", () => {
    const dir = workspace();
    const other = path.join(dir, 'other');
    const sibling = path.join(dir, 'sibling');
    fs.mkdirSync(path.join(other, '.fusion'), { recursive: true });
    fs.mkdirSync(sibling);
    fs.copyFileSync(path.join(dir, 'invoices.scenario.yaml'), path.join(other, 's.scenario.yaml'));
    // Stored in <other>/.fusion/: the workspace is <other>.
    const sim = cli(
      sibling,
      'simulate',
      '../other/s.scenario.yaml',
      '--json',
      '--executions',
      '../other/.fusion/incomplete-executions.json',
    );
    assert.equal(sim.code, 0, sim.stderr);
    const doc = JSON.parse(fs.readFileSync(path.join(other, '.fusion', 'incomplete-executions.json'), 'utf8')) as {
      executions: { id: string; scenarioFile?: string }[];
    };
    assert.ok(doc.executions.length > 0);
    for (const e of doc.executions) assert.equal(e.scenarioFile, 's.scenario.yaml');
    const retry = cli(sibling, 'retry', '--all', '--json', '--executions', '../other/.fusion/incomplete-executions.json');
    assert.equal(retry.code, 0, retry.stdout + retry.stderr);
    const results = JSON.parse(retry.stdout) as { result: string; message: string }[];
    assert.ok(results.length > 0);
    for (const x of results) assert.doesNotMatch(x.message, /Cannot retry/);
    // A file outside any .fusion/ folder: its own folder is the workspace.
    const flat = cli(sibling, 'simulate', '../other/s.scenario.yaml', '--json', '--executions', '../other/ie.json');
    assert.equal(flat.code, 0, flat.stderr);
    const flatDoc = JSON.parse(fs.readFileSync(path.join(other, 'ie.json'), 'utf8')) as { executions: { scenarioFile?: string }[] };
    for (const e of flatDoc.executions) assert.equal(e.scenarioFile, 's.scenario.yaml');
  });
});
