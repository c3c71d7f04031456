// Reading the executions file a megabyte at a time: characters cut by a chunk boundary, a
// byte-order mark, and the position of a bad byte far into a large file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutionsFileError } from '../../src/core/executions/fileError';
import { readRegularTextSync } from '../../src/core/executions/regularFile';
import { contentHash, readExecutions, serializeExecutions, updateExecutions } from '../../src/core/executions/store';
import { plainRecord } from './helpers/storeWorker';

const MB = 1 << 20;

test('multi-byte characters across every chunk boundary read back exactly; the hash is of the bytes', async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-read-'));
  try {
    const file = path.join(dir, 'x.json');
    for (const shift of [0, 1, 2, 3]) {
      // Pad so that a 2-, 3- and 4-byte character straddles the 1 MB boundary at each offset.
      const head = '\uFEFF{"version": 1, "pad": "';
      const pad = 'a'.repeat(MB - Buffer.byteLength(head) - shift);
      const tail = `é€😀é€😀", "executions": ${JSON.stringify([plainRecord('ie-ü€😀', 'note ü')])}}`;
      const text = `${head}${pad}${tail}`.repeat(1);
      const bytes = Buffer.from(text, 'utf8');
      await fsp.writeFile(file, bytes);
      const r = readRegularTextSync(file, 64 * MB);
      assert.equal(r.text, text, `shift ${shift}: the text is exact (byte-order mark kept)`);
      assert.equal(r.hash, contentHash(bytes));
      const doc = await readExecutions(file);
      assert.equal(doc.executions[0].id, 'ie-ü€😀');
    }
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});

test('a bad byte 1.5 MB into the file: SYNTAX with its line, and a write leaves the file alone', async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-read-'));
  try {
    const file = path.join(dir, 'x.json');
    const records = Array.from({ length: 4000 }, (_, i) => plainRecord(`ie-${i}`, 'x'.repeat(200)));
    const bytes = Buffer.from(serializeExecutions({ version: 1, executions: records }), 'utf8');
    assert.ok(bytes.length > 2 * MB);
    const at = bytes.indexOf('"ie-3000"');
    bytes[at + 2] = 0xff;
    await fsp.writeFile(file, bytes);
    const line = bytes.subarray(0, at).toString('utf8').split('\n').length;
    await assert.rejects(
      readExecutions(file),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'SYNTAX' && e.line === line && /byte 0xFF/.test(e.message),
    );
    await assert.rejects(
      updateExecutions(file, (doc) => ({ doc, result: 0 })),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'SYNTAX',
    );
    assert.deepEqual(await fsp.readFile(file), bytes);
    // A file that ends inside a character.
    await fsp.writeFile(file, Buffer.concat([Buffer.from('{"version": 1, "executions": [], "x": "'), Buffer.from([0xe2, 0x82])]));
    await assert.rejects(
      readExecutions(file),
      (e: unknown) => e instanceof ExecutionsFileError && e.code === 'SYNTAX' && /not UTF-8/.test(e.message),
    );
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});
