// @ts-check
// The harness never starts code-server or chromium with the developer's own HOME: isolatedEnv points
// HOME/XDG_* into the run folder and assertIsolatedEnv (called by installExtension, startCodeServer
// and launchBrowser right before they spawn) refuses anything else. Runs in `npm test` (stage
// "harness") and alone: node --test scripts/vscode/isolation.test.mjs
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { HarnessError, assertIsolatedEnv, isolatedEnv, realHomes } from './harness.mjs';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-isolation-'));
test.after(() => fs.rmSync(base, { recursive: true, force: true }));

/** A RunDirs-shaped object under `base` (what prepareRunDir returns), without touching .vscode-test/. */
function dirs() {
  const root = path.join(base, 'run');
  return {
    root,
    runtime: path.join(root, 'tmp/rt'),
    home: path.join(root, 'home'),
    tmp: path.join(root, 'tmp'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    logs: path.join(root, 'logs'),
  };
}

test('isolatedEnv puts HOME and the XDG folders inside the run folder, and the guard accepts it', () => {
  const d = dirs();
  /** @type {NodeJS.ProcessEnv} */
  const env = isolatedEnv(d);
  for (const k of ['HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'TMPDIR']) {
    const v = env[k];
    assert.ok(v && path.resolve(v).startsWith(d.root + path.sep), `${k}=${v} is inside ${d.root}`);
  }
  assert.equal(assertIsolatedEnv(env, 'code-server'), env);
});

test('the real homes are this process HOME and the account home', () => {
  assert.ok(realHomes().includes(fs.realpathSync(os.homedir())));
});

test('the guard refuses the real HOME, also when it is passed back through `extra`', () => {
  const d = dirs();
  assert.throws(
    () => assertIsolatedEnv({ ...isolatedEnv(d), HOME: os.homedir() }, 'code-server'),
    (e) => e instanceof HarnessError && /real HOME/.test(e.message),
  );
  assert.throws(() => assertIsolatedEnv(isolatedEnv(d, { HOME: os.homedir() }), 'code-server'), /real HOME/);
  assert.throws(() => assertIsolatedEnv({ ...isolatedEnv(d), HOME: os.homedir() + '/' }, 'code-server'), /real HOME/);
});

test('the guard refuses a missing HOME or XDG folder, or the real XDG folders', () => {
  const d = dirs();
  /** @type {Record<string, string | undefined>} */
  const noHome = { ...isolatedEnv(d) };
  delete noHome.HOME;
  assert.throws(() => assertIsolatedEnv(noHome, 'code-server'), /without HOME/);
  /** @type {Record<string, string | undefined>} */
  const noConfig = { ...isolatedEnv(d) };
  delete noConfig.XDG_CONFIG_HOME;
  assert.throws(() => assertIsolatedEnv(noConfig, 'code-server'), /without XDG_CONFIG_HOME/);
  assert.throws(
    () => assertIsolatedEnv({ ...isolatedEnv(d), XDG_CONFIG_HOME: path.join(os.homedir(), '.config') }, 'code-server'),
    /real XDG_CONFIG_HOME/,
  );
  assert.throws(
    () => assertIsolatedEnv({ ...isolatedEnv(d), XDG_DATA_HOME: path.join(os.homedir(), '.local/share') }, 'code-server'),
    /real XDG_DATA_HOME/,
  );
});

test('the guard checks against the homes it is given (the account home when HOME was moved)', () => {
  const d = dirs();
  const env = isolatedEnv(d);
  assert.throws(() => assertIsolatedEnv(env, 'chromium', [path.resolve(d.home)]), /real HOME/);
});
