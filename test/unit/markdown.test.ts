import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeBlock, escapeMarkdown } from '../../src/core/text/markdown';

describe('markdown text', () => {
  test('escapeMarkdown: markup, links, HTML and table pipes stay literal; line breaks become spaces', () => {
    assert.equal(escapeMarkdown('a *b* [c](d) <img> | e_f'), 'a \\*b\\* \\[c\\]\\(d\\) \\<img\\> \\| e\\_f');
    assert.equal(escapeMarkdown('line 1\nline 2\r\nline 3'), 'line 1 line 2 line 3');
    assert.equal(escapeMarkdown('`code` # 1. - x'), '\\`code\\` \\# 1\\. \\- x');
  });

  test('codeBlock: the fence outgrows any backtick run inside, so the content cannot close it', () => {
    assert.equal(codeBlock('{"a":1}', 'json'), '```json\n{"a":1}\n```');
    assert.equal(codeBlock('x ```` y'), '`````\nx ```` y\n`````');
    assert.equal(codeBlock('ends\n'), '```\nends\n```');
  });
});
