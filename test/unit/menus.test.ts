// The tree's context menus are chosen by `viewItem` tokens (src/extension/executions/tree:
// `execution …` on a record row, `group <groupBy> …` on a group row, `folder` on a workspace folder
// row). A group row of scenario X can carry the same capability tokens as a record of X
// (`retryable`, `make`), so a menu entry that does not say which kind of row it is for shows a
// record's command on a group row, where its handler gets no record.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../../..');

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuEntry[] | undefined> };
};

/** The row kinds a `when` clause admits: every `viewItem` test must hold for one of the kinds. */
function rowKinds(when: string): string[] {
  const kinds = ['execution', 'group', 'folder'];
  return kinds.filter((kind) => {
    const sample = kind === 'group' ? 'group scenario status errorType' : kind;
    return (
      [...when.matchAll(/viewItem =~ \/(.*?)\/(?=\s|$)/g)].some((m) => new RegExp(m[1] ?? '').test(sample)) ||
      [...when.matchAll(/viewItem == (\S+)/g)].some((m) => m[1] === kind)
    );
  });
}

describe('tree context menus', () => {
  const entries = pkg.contributes.menus['view/item/context'] ?? [];

  test('there are entries to check', () => {
    assert.ok(entries.length > 5, `view/item/context has ${entries.length} entries`);
  });

  for (const entry of entries) {
    test(`${entry.command} (${entry.when ?? 'no when'}) names the kind of row it is for`, () => {
      const when = entry.when ?? '';
      assert.ok(/viewItem/.test(when), 'a view/item/context entry without a viewItem test shows on every row');
      assert.equal(
        rowKinds(when).length,
        1,
        `admits ${rowKinds(when).join(', ') || 'no kind'}: test \\bexecution\\b, \\bgroup\\b or folder`,
      );
    });
  }
});
