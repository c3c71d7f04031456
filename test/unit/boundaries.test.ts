/**
 * Who may import whom, checked on the sources (src/**.ts):
 * - core never imports vscode, the CLI or the extension;
 * - the CLI and the extension never import each other;
 * - the CLI and the extension reach the executions file only through the core's actions
 *   (core/executions/actions/*): never the store, its lock or atomic write, nor the pure
 *   operations, so each use case has one implementation that both adapters call.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SRC = path.join(ROOT, 'src');

/** Modules only the core's actions (and the rest of core) may use. */
const CORE_INTERNALS = ['core/executions/store', 'core/executions/operations', 'core/executions/lock', 'core/executions/atomicWrite'];

interface Import {
  /** The importing file, relative to src/ with forward slashes. */
  readonly from: string;
  /** The module: relative to src/ without extension for relative imports, else as written. */
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

/** Every import of a source file (static, dynamic, require, side-effect only). */
function importsOf(file: string, text: string): Import[] {
  const from = path.relative(SRC, file).split(path.sep).join('/');
  const out: Import[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[2];
    const to = spec.startsWith('.')
      ? path
          .relative(SRC, path.resolve(path.dirname(file), spec))
          .split(path.sep)
          .join('/')
          .replace(/\.(ts|js)$/, '')
      : spec;
    out.push({ from, to });
  }
  return out;
}

function allImports(): Import[] {
  return sourceFiles(SRC).flatMap((f) => importsOf(f, fs.readFileSync(f, 'utf8')));
}

const inArea = (p: string, area: string): boolean => p === area || p.startsWith(`${area}/`);

function violations(imports: readonly Import[]): string[] {
  const bad: string[] = [];
  for (const { from, to } of imports) {
    const say = (why: string): void => void bad.push(`${from} imports ${to}: ${why}`);
    if (inArea(from, 'core')) {
      if (to === 'vscode') say('core never imports vscode');
      if (inArea(to, 'cli') || inArea(to, 'extension')) say('core never imports an adapter');
    }
    if (inArea(from, 'cli') && inArea(to, 'extension')) say('the CLI and the extension never import each other');
    if (inArea(from, 'extension') && inArea(to, 'cli')) say('the CLI and the extension never import each other');
    if ((inArea(from, 'cli') || inArea(from, 'extension')) && CORE_INTERNALS.includes(to)) {
      say('adapters change the executions file only through core/executions/actions');
    }
  }
  return bad;
}

describe('module boundaries', () => {
  test('the sources keep the boundaries', () => {
    const imports = allImports();
    assert.ok(
      imports.some((i) => i.from === 'cli/commands/retry.ts' && i.to === 'core/executions/actions/retry'),
      'the scan sees the imports',
    );
    assert.deepEqual(violations(imports), []);
  });

  test('the check catches an adapter that reaches past the actions, in every import form', () => {
    const file = path.join(SRC, 'extension', 'executions', 'commands', 'x.ts');
    const text = [
      "import { updateExecutions } from '../../../core/executions/store';",
      "import type { OperationResult } from '../../../core/executions/operations';",
      "const lock = require('../../../core/executions/lock');",
      "void import('../../../core/executions/atomicWrite.js');",
      "import '../../../cli/main';",
      "import { retryAction } from '../../../core/executions/actions/retry';",
    ].join('\n');
    const found = violations(importsOf(file, text));
    assert.equal(found.length, 5, found.join('\n'));
    assert.match(found[0], /core\/executions\/store: adapters change the executions file only through core\/executions\/actions/);
    const core = violations(importsOf(path.join(SRC, 'core', 'x.ts'), "import * as vscode from 'vscode';"));
    assert.deepEqual(core, ['core/x.ts imports vscode: core never imports vscode']);
  });
});
