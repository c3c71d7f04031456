import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/text/lineIndex';
import { BOM, blankBom, hasBom, stripBom } from '../../src/core/text/bom';

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

test('stripBom drops a leading BOM and says how many code units went; blankBom keeps the length', () => {
  assert.deepEqual(stripBom('\uFEFF{"a":1}'), { text: '{"a":1}', offset: 1 });
  assert.deepEqual(stripBom('{"a":1}'), { text: '{"a":1}', offset: 0 });
  assert.deepEqual(stripBom(''), { text: '', offset: 0 });
  assert.deepEqual(stripBom('\uFEFF'), { text: '', offset: 1 });
  // only the first code unit is a BOM; one later (or a second one) is text
  assert.deepEqual(stripBom('\uFEFF\uFEFFx'), { text: '\uFEFFx', offset: 1 });
  assert.deepEqual(stripBom('a\uFEFF'), { text: 'a\uFEFF', offset: 0 });
  assert.equal(blankBom('\uFEFF{"a":1}'), ' {"a":1}');
  assert.equal(blankBom('{"a":\uFEFF1}'), '{"a":\uFEFF1}');
  assert.equal(blankBom(''), '');
  assert.equal(hasBom(`${BOM}x`), true);
  assert.equal(hasBom('x'), false);
  // an offset into the stripped text + offset is the offset into the original
  const original = '\uFEFFname: x';
  const { text, offset } = stripBom(original);
  assert.equal(original.indexOf('x'), text.indexOf('x') + offset);
});
