/** Reading lint inputs (src/cli/files.ts): text or a one-line problem, never a hang, never more than an excerpt. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LINT_MAX_BYTES, excerpt, readTextSafely, walkLintTargets } from '../../src/cli/files';
import { decodeText, type TextRead } from '../../src/core/text/decode';

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function problemOf(r: TextRead): string {
  return r.ok ? '(read as text)' : r.problem;
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-lint-inputs-'));
  tempDirs.push(dir);
  return dir;
}

describe('lint inputs: decoding', () => {
  test('a NUL byte anywhere makes a file binary, not only in its first 8 KB', () => {
    const text = Buffer.concat([Buffer.from(`{"name":"x","flow":[],"metadata":{}}${' '.repeat(100_000)}`), Buffer.from([0])]);
    assert.match(problemOf(decodeText(text)), /^binary file/);
  });

  test('UTF-16 (with its byte-order mark) is named; a UTF-8 BOM is dropped; Latin-1 is not UTF-8', () => {
    const r16 = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"flow":[]}', 'utf16le')]));
    assert.match(problemOf(r16), /^UTF-16 text .*save it as UTF-8$/);
    const bom = decodeText(Buffer.from('\ufeff{"a":1}', 'utf8'));
    assert.deepEqual(bom, { ok: true, text: '{"a":1}' });
    const latin = decodeText(Buffer.from('name: Caf\xe9', 'latin1'));
    assert.deepEqual(latin, { ok: false, problem: 'not UTF-8 text' });
  });

  test('excerpt: printable, one line, short', () => {
    assert.equal(excerpt('a\u0000b\nc\u001b[31md'), 'a?b?c?[31md');
    assert.equal(excerpt('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });
});

describe('lint inputs: files', () => {
  test('missing, a folder, too large (by size, before reading), a FIFO (never blocks)', (t) => {
    const dir = tempDir();
    assert.deepEqual(readTextSafely(path.join(dir, 'nope.json')), { ok: false, problem: 'no such file', missing: true });
    assert.deepEqual(readTextSafely(dir), { ok: false, problem: 'is a directory, expected a file' });
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, LINT_MAX_BYTES + 1);
    assert.match(problemOf(readTextSafely(big)), /^too large \(20\.0 MB; the limit is 20\.0 MB\)$/);
    const small = path.join(dir, 'small.json');
    fs.writeFileSync(small, '{"x": 1}');
    assert.deepEqual(readTextSafely(small, 4), { ok: false, problem: 'too large (0.0 MB; the limit is 0.0 MB)' });
    assert.deepEqual(readTextSafely(small), { ok: true, text: '{"x": 1}' });
    const fifo = path.join(dir, 'pipe.json');
    if (spawnSync('mkfifo', [fifo]).status !== 0) {
      t.skip('mkfifo is not available');
      return;
    }
    // Would block forever if the FIFO were opened for a blocking read (nobody writes to it).
    assert.deepEqual(readTextSafely(fifo), { ok: false, problem: 'not a regular file (a FIFO, or named pipe)' });
  });

  test('the walk: by name, by content, skipped with reasons; a link inside the root is linted once', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a', 'Orders sync.json'), '{"name":"x","flow":[],"metadata":{}}');
    fs.writeFileSync(path.join(dir, 'a', 'x.scenario.yml'), 'name: x\nmodules: []\n');
    fs.writeFileSync(path.join(dir, 'a', 'data.json'), '{"rows":[]}');
    fs.writeFileSync(path.join(dir, '.fusionlintrc.json'), '{"rules":{}}');
    fs.symlinkSync('Orders sync.json', path.join(dir, 'a', 'link.json'));
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret.json'), '{"flow":[],"metadata":{}}');
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(dir, 'a', 'secret.json'));
    const r = walkLintTargets(dir);
    const rel = (abs: string): string => path.relative(dir, abs).split(path.sep).join('/');
    assert.deepEqual(
      r.found.map((f) => `${rel(f.abs)} by ${f.by}`),
      ['a/Orders sync.json by content', 'a/x.scenario.yml by name'],
    );
    assert.deepEqual(r.skipped.map((s) => `${rel(s.abs)} ${s.reason}`).sort(), [
      'a/data.json not-a-scenario',
      'a/link.json duplicate',
      'a/secret.json symlink-outside',
    ]);
    // ignorePatterns come from the caller
    const ignored = walkLintTargets(dir, { isIgnored: (abs, folder) => folder && abs.endsWith(`${path.sep}a`) });
    assert.deepEqual(ignored.found, []);
    assert.deepEqual(
      ignored.skipped.map((s) => s.reason),
      ['ignored'],
    );
  });
});
