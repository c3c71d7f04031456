/** Running the real, built CLI (`node dist/cli.js …`) in a real process, for the CLI tests. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../../..');
export const CLI = process.env.FUSION_EXECUTIONS_CLI ?? path.join(ROOT, 'dist', 'cli.js');

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI (killed after `timeoutMs`); asserts that no stack trace or internal error reaches stderr. */
export function runCli(cwd: string, args: readonly string[], timeoutMs = 60_000): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  assert.ok(!r.stderr.includes('    at '), `stack trace on stderr for ${args.join(' ')}:\n${r.stderr}`);
  assert.ok(!/internal error:/i.test(r.stderr), `internal error for ${args.join(' ')}:\n${r.stderr}`);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export interface LintJson {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  moduleId?: number;
}

/** stdout parsed as the complete JSON array of `lint --format json`. */
export function lintJson(r: Run): LintJson[] {
  let value: unknown;
  try {
    value = JSON.parse(r.stdout);
  } catch {
    assert.fail(`stdout is not one JSON document (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  assert.ok(Array.isArray(value), `stdout is not an array:\n${r.stdout}`);
  return value as LintJson[];
}
