import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/text/lineIndex';

test('LineIndex maps offsets across \\n, \\r\\n and \\r line breaks', () => {
  const idx = new LineIndex('ab\ncd\r\nef\rg');
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(4), { line: 1, character: 1 });
  assert.deepEqual(idx.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(10), { line: 3, character: 0 });
  assert.equal(idx.lineEnd(1), 5);
  assert.equal(idx.offsetAt({ line: 2, character: 1 }), 8);
  assert.deepEqual(idx.positionAt(999), { line: 3, character: 1 });
});
