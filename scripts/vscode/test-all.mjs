// @ts-check
// `npm test`: unit (and the harness's isolation checks), then integration (real extension host),
// then UI suite (real browser), in that order. Every suite runs even if an earlier one failed (so
// one CI run shows all failures), except that nothing runs after a failed build/compile. Prints
// each stage's time; fails if any stage fails.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** @type {Array<{ name: string, cmd: string[], gate?: boolean }>} */
const stages = [
  { name: 'build', cmd: ['npm', 'run', '--silent', 'build'], gate: true },
  { name: 'compile-tests', cmd: ['npm', 'run', '--silent', 'compile-tests'], gate: true },
  { name: 'unit', cmd: ['node', '--test', '--test-reporter=spec', 'out/test/unit/'] },
  // real exports from ../shared/corpus (third-party data, never in the repo); where that folder is
  // absent the suite prints why and reports itself as skipped
  { name: 'corpus', cmd: ['node', '--test', '--test-reporter=spec', 'out/test/corpus/'] },
  // the harness's own checks (code-server/chromium never get the real HOME): no build needed
  { name: 'harness', cmd: ['node', '--test', '--test-reporter=spec', 'scripts/vscode/isolation.test.mjs'] },
  { name: 'integration', cmd: ['node', 'scripts/vscode/run-integration.mjs'] },
  { name: 'e2e', cmd: ['node', 'test/e2e/run-e2e.mjs'] },
];

/** @type {string[]} */
const summary = [];
let failed = false;
let interrupted = false;
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(sig, () => (interrupted = true));
for (const s of stages) {
  if (interrupted) break;
  const t = Date.now();
  console.log(`\n=== npm test: ${s.name}`);
  const r = spawnSync(s.cmd[0], s.cmd.slice(1), { cwd: REPO, stdio: 'inherit' });
  const ok = r.status === 0;
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  summary.push(`  ${s.name.padEnd(14)} ${ok ? 'ok    ' : 'FAILED'} ${secs.padStart(6)}s`);
  if (!ok) {
    failed = true;
    if (s.gate) {
      summary.push(`  (${s.name} failed: the suites did not run)`);
      break;
    }
  }
}
console.log(`\n=== npm test summary\n${summary.join('\n')}`);
process.exit(failed || interrupted ? 1 : 0);
