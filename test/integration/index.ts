// Entry point of the integration suite, loaded by VS Code's extension host (extensionTestsPath):
// the standard `run()` shape, used the same way by code-server (scripts/vscode/run-integration.mjs)
// and by @vscode/test-electron (test/integration/runElectron.ts).
//
// Discovers out/test/integration/**/*.test.js (FUSION_TEST_SUITE: one suite folder, see
// SEPARATE_SUITES), honours FUSION_TEST_GREP (mocha --grep), and reports
// through console.log — which the extension host relays to the runner — one line per test, the
// failures with their messages, a machine-readable result line and the closing count line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Prefix of the machine-readable result line the runner parses. */
export const RESULT_MARKER = 'FUSION_INTEGRATION_RESULT ';

interface Failure {
  readonly title: string;
  readonly message: string;
}

/**
 * Subfolders that are suites of their own, each run on its own fixture workspace (one workspace per
 * suite): `FUSION_TEST_SUITE=<folder>` runs only that folder's tests; without it, every test outside
 * these folders runs (the single-folder suite).
 */
export const SEPARATE_SUITES: readonly string[] = ['multiroot', 'untrusted'];

function testFiles(dir: string, suite: string | undefined): string[] {
  const top = (rel: string): string => rel.split(/[\\/]/)[0];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => (suite ? top(f) === suite : !SEPARATE_SUITES.includes(top(f))))
    .map((f) => path.join(dir, f))
    .sort();
}

function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join('\n');
}

export function run(): Promise<void> {
  // mocha's reporters print printf-style (`'%s) %s:', n, title`); the extension host relays console
  // arguments one by one without formatting them, so format here and relay whole lines.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const grep = process.env.FUSION_TEST_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.FUSION_TEST_TEST_TIMEOUT_MS ?? 20000),
    reporter: 'spec',
    ...(grep ? { grep } : {}),
  });
  // suites may use either BDD (describe/it) or TDD (suite/test): expose both
  mocha.suite.on('pre-require', (context: Record<string, unknown>) => {
    const bdd = context as {
      describe?: unknown;
      it?: unknown;
      before?: unknown;
      after?: unknown;
      beforeEach?: unknown;
      afterEach?: unknown;
    };
    const tdd = context as {
      suite?: unknown;
      test?: unknown;
      suiteSetup?: unknown;
      suiteTeardown?: unknown;
      setup?: unknown;
      teardown?: unknown;
    };
    bdd.describe ??= tdd.suite;
    bdd.it ??= tdd.test;
    bdd.before ??= tdd.suiteSetup;
    bdd.after ??= tdd.suiteTeardown;
    bdd.beforeEach ??= tdd.setup;
    bdd.afterEach ??= tdd.teardown;
  });

  const suite = process.env.FUSION_TEST_SUITE || undefined;
  const files = testFiles(__dirname, suite);
  for (const f of files) mocha.addFile(f);
  console.log(
    `integration: ${files.length} test file(s)${suite ? ` of suite ${suite}` : ''}${grep ? `, grep ${JSON.stringify(grep)}` : ''}`,
  );

  return new Promise((resolve, reject) => {
    let passed = 0;
    const failures: Failure[] = [];
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => {
        const failed = failures.length;
        if (failed > 0) {
          console.log('integration: failing tests:');
          for (const f of failures) console.log(`  ✗ ${f.title}\n      ${firstLines(f.message, 6).replace(/\n/g, '\n      ')}`);
        }
        const summary = { passed, failed, failures: failures.map((f) => f.title) };
        console.log(RESULT_MARKER + JSON.stringify(summary));
        // the runner also reads this file when the console relay is lost (e.g. the page crashed)
        if (process.env.FUSION_TEST_RESULTS) {
          try {
            fs.writeFileSync(process.env.FUSION_TEST_RESULTS, JSON.stringify(summary) + '\n');
          } catch (err) {
            console.error(`integration: could not write ${process.env.FUSION_TEST_RESULTS}: ${String(err)}`);
          }
        }
        console.log(`integration: ${passed} passed, ${failed} failed`);
        if (failed > 0) reject(new Error(`${failed} integration test(s) failed`));
        else if (passed === 0) reject(new Error('no integration test ran (check FUSION_TEST_GREP)'));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    runner.on('pass', () => {
      passed++;
    });
    runner.on('fail', (t: Mocha.Runnable, err: unknown) => {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      failures.push({ title: t.fullTitle(), message });
    });
  });
}
