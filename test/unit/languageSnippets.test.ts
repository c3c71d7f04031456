// The onError snippets (snippets/scenario.code-snippets): each one, expanded with its defaults
// under a module, is a handler route the parser accepts, with the directive its name promises.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { lintScenario } from '../../src/core/lint/lint';
import { DIRECTIVES } from '../../src/core/model';

const ROOT = path.join(__dirname, '../../..');
// a snippet file is JSON with comments and trailing commas, as VS Code reads it
const snippets = parseJsonc(fs.readFileSync(path.join(ROOT, 'snippets', 'scenario.code-snippets'), 'utf8')) as Record<
  string,
  { prefix: string[]; body: string[]; description: string }
>;

/** A snippet body as VS Code inserts it when every placeholder keeps its default (first choice). */
function expand(body: readonly string[], indent: string): string {
  return body
    .map((line, i) => (i === 0 ? line : indent + line))
    .join('\n')
    .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

describe('onError snippets', () => {
  test('one snippet per directive at least, each with an onError- prefix', () => {
    const directives = new Set<string>();
    for (const [name, s] of Object.entries(snippets)) {
      assert.ok(
        s.prefix.some((p) => p.startsWith('onError-')),
        `${name}: an onError- prefix`,
      );
      assert.ok(s.description.length > 20, `${name}: a description`);
      const m = /directive: (\w+)/.exec(s.body.join('\n'));
      if (m && (DIRECTIVES as readonly string[]).includes(m[1])) directives.add(m[1]);
    }
    assert.deepEqual([...directives].sort(), [...DIRECTIVES].sort());
  });

  for (const [name, s] of Object.entries(snippets)) {
    test(`"${name}" expands to a valid handler route`, () => {
      const text = `name: T\nmodules:\n  - id: 1\n    app: webhook:custom\n  - id: 2\n    app: http:makeRequest\n    ${expand(s.body, '    ')}\n`;
      const linted = lintScenario('t.scenario.yaml', text);
      const errors = linted.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => `${f.code}: ${f.message}`),
        [],
        text,
      );
      const route = linted.scenario?.modules[1].onError[0];
      assert.ok(route, `module 2 has a handler route:\n${text}`);
      const wanted = /directive: (\w+)/.exec(expand(s.body, ''))?.[1];
      assert.equal(route.directive, wanted);
      assert.ok(!linted.findings.some((f) => f.code === 'missing-error-handler' && f.moduleId === 2), 'module 2 is handled');
    });
  }
});
