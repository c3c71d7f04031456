// @ts-check
// Shared launch helpers for running the extension in a REAL VS Code on machines that cannot download
// VS Code desktop: code-server 4.100.3 (VS Code 1.100.3 server + web workbench, real Node extension
// host) cached in .cache/code-server/, driven by Debian's chromium through playwright-core.
// Used by run-integration.mjs (mocha suite in the extension host), test/e2e (UI suite) and start.mjs.
//
// Everything a run writes (code-server profile, HOME/XDG/TMPDIR, chromium profile, logs) goes into a
// run folder inside the repo's gitignored .vscode-test/ (override with FUSION_TEST_DIR), and every
// process started here is a process-group leader that is killed as a group on exit, error or signal.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = process.env.FUSION_CODE_SERVER_DIR
  ? path.resolve(process.env.FUSION_CODE_SERVER_DIR)
  : path.join(REPO, '.cache/code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules/.bin/code-server');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const t0 = Date.now();
/** @param {string} tag */
export function logger(tag) {
  /** @param {unknown[]} args */
  return (...args) => console.log(`[${tag} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...args);
}
const log = logger('harness');

/** A failure whose message is the whole story (no stack trace needed). */
export class HarnessError extends Error {}

/** Reads a positive integer from the environment. @param {string} name @param {number} fallback */
export function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new HarnessError(`${name}=${raw} is not a positive integer`);
  return n;
}

/** Races a promise against a deadline. @template T @param {Promise<T>} p @param {number} ms @param {string} what @returns {Promise<T>} */
export function within(p, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new HarnessError(`timed out after ${Math.round(ms / 1000)}s: ${what}`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([p, deadline]).finally(() => clearTimeout(timer)));
}

// ---------------------------------------------------------------------------------------------------
// Cleanup: every process group we start is registered here and killed on exit / error / signal.

/** @type {Set<number>} */
const groups = new Set();
/** @type {Array<() => Promise<void>>} */
const asyncCleanups = [];
let signalled = false;
/** True once a signal asked us to stop (callers then don't report the resulting exits as errors). */
export function stopping() {
  return signalled;
}

/** @param {number} pgid */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the group, wait up to `graceMs`, then SIGKILL. @param {number} pgid @param {number} [graceMs] */
export async function killGroup(pgid, graceMs = 5000) {
  if (!groupAlive(pgid)) {
    groups.delete(pgid);
    return;
  }
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const until = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  groups.delete(pgid);
}

/** Registers async work (closing the browser, ...) to run before the groups are killed. @param {() => Promise<void>} fn */
export function onCleanup(fn) {
  asyncCleanups.push(fn);
}

/** Runs registered cleanups (bounded) and kills every group we started. */
export async function cleanup() {
  const fns = asyncCleanups.splice(0).reverse();
  for (const fn of fns) await within(fn(), 15000, 'cleanup step').catch(() => {});
  for (const pgid of [...groups]) await killGroup(pgid);
}

process.on('exit', () => {
  // last resort (synchronous): nothing we started may outlive us
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => {
    if (signalled) return;
    signalled = true;
    console.log(`\n[harness] ${sig}: stopping everything this run started`);
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

// ---------------------------------------------------------------------------------------------------
// Run folder + isolated environment

/** @param {number} pid */
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates (fresh) the run folder for one kind of run. Default <repo>/.vscode-test/<name>;
 * FUSION_TEST_DIR=<dir> puts it at <dir>/<name> instead. When another live run owns that folder
 * (two runs in one checkout), this run uses <name>-<pid> instead (gitignored like the rest).
 * @param {string} name
 * @param {{ keep?: string[] }} [opts] entries to keep from a previous run (e.g. installed extensions)
 */
export function prepareRunDir(name, opts = {}) {
  const base = process.env.FUSION_TEST_DIR ? path.resolve(process.env.FUSION_TEST_DIR) : path.join(REPO, '.vscode-test');
  let root = path.join(base, name);
  const ownerOf = (/** @type {string} */ dir) =>
    Number(fs.existsSync(path.join(dir, '.owner')) ? fs.readFileSync(path.join(dir, '.owner'), 'utf8') : 0);
  const owner = ownerOf(root);
  if (owner && owner !== process.pid && pidAlive(owner)) {
    root = path.join(base, `${name}-${process.pid}`);
    log(`${path.relative(REPO, path.join(base, name))} is in use by process ${owner}; this run uses ${path.relative(REPO, root)}`);
  }
  fs.mkdirSync(root, { recursive: true });
  for (const entry of fs.readdirSync(root)) {
    if (!(opts.keep ?? []).includes(entry)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(root, '.owner'), String(process.pid));
  // Unix socket paths may not exceed 107 bytes: VS Code puts `vscode-ipc-<uuid>.sock` (48) in
  // XDG_RUNTIME_DIR, chromium `org.chromium.Chromium.XXXXXX/SingletonSocket` (38) in TMPDIR. In a deep
  // checkout both go to a short private folder in /tmp (linked from the run folder), removed at exit.
  let tmp = path.join(root, 'tmp');
  if (tmp.length > 40) {
    const short = fs.mkdtempSync('/tmp/fusion-');
    fs.symlinkSync(short, tmp);
    tmp = short;
    onCleanup(async () => fs.rmSync(short, { recursive: true, force: true }));
    process.on('exit', () => fs.rmSync(short, { recursive: true, force: true }));
  }
  const runtime = path.join(tmp, 'rt');
  const dirs = {
    root,
    runtime,
    home: path.join(root, 'home'),
    tmp,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    logs: path.join(root, 'logs'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}
/** @typedef {ReturnType<typeof prepareRunDir>} RunDirs */

/** Environment for code-server, its extension host and chromium: HOME, XDG_* and TMPDIR inside the run folder. @param {RunDirs} dirs @param {Record<string, string>} [extra] */
export function isolatedEnv(dirs, extra = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env };
  // npm sets these for scripts; they must not leak into VS Code's terminals/tasks
  for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
  return {
    ...env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_RUNTIME_DIR: dirs.runtime,
    TMPDIR: dirs.tmp,
    ...extra,
  };
}

/**
 * The invoking user's home folders: this process's HOME (os.homedir()) and the account's home from
 * the password database (they differ when HOME was pointed elsewhere, as .ci/run does).
 * @returns {string[]}
 */
export function realHomes() {
  /** @type {string[]} */
  const homes = [os.homedir()];
  try {
    homes.push(os.userInfo().homedir);
  } catch {
    /* no passwd entry (container with an arbitrary uid) */
  }
  return [...new Set(homes.filter(Boolean).map(canonical))];
}

/** @param {string} p */
function canonical(p) {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    return abs;
  }
}

/** The XDG base folders code-server, VS Code and chromium write to, with their defaults under HOME. */
const XDG_DEFAULTS = /** @type {const} */ ([
  ['XDG_CONFIG_HOME', '.config'],
  ['XDG_DATA_HOME', '.local/share'],
  ['XDG_CACHE_HOME', '.cache'],
]);

/**
 * Throws unless `env` keeps `what` (code-server, chromium) out of the user's own HOME: HOME and every
 * XDG base folder must be set, and none may be the invoking user's (see realHomes), nor the XDG
 * folders this process itself was given. code-server writes ~/.config/code-server/config.yaml and
 * ~/.local/share/code-server on its first run; a run must never touch the developer's.
 * @param {NodeJS.ProcessEnv} env @param {string} what @param {string[]} [homes] defaults to realHomes()
 */
export function assertIsolatedEnv(env, what, homes = realHomes()) {
  if (!env.HOME) throw new HarnessError(`refusing to start ${what} without HOME set to a run folder`);
  const home = canonical(env.HOME);
  if (homes.includes(home)) {
    throw new HarnessError(
      `refusing to start ${what} with the real HOME (${env.HOME}): it must get HOME inside its run folder (isolatedEnv)`,
    );
  }
  for (const [name, sub] of XDG_DEFAULTS) {
    const value = env[name];
    if (!value) throw new HarnessError(`refusing to start ${what} without ${name} set to a run folder`);
    const own = process.env[name] ? [canonical(process.env[name])] : [];
    if ([...homes.map((h) => path.join(h, sub)), ...own].includes(canonical(value))) {
      throw new HarnessError(`refusing to start ${what} with the real ${name} (${value}): it must be inside its run folder (isolatedEnv)`);
    }
  }
  return env;
}

/** User settings that keep the workbench quiet and deterministic. @param {RunDirs} dirs @param {Record<string, unknown>} [extra] */
export function writeUserSettings(dirs, extra = {}) {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false,
    'git.autoRepositoryDetection': false,
    'chat.commandCenter.enabled': false,
    'window.commandCenter': false,
    'editor.hover.delay': 200,
    ...extra,
  };
  const file = path.join(dirs.userData, 'User/settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  fs.mkdirSync(path.join(dirs.home, '.config'), { recursive: true });
  fs.mkdirSync(dirs.runtime, { recursive: true, mode: 0o700 });
}

/** Copies a folder (e.g. samples/ or the fixture workspace) so a run never modifies the repo. @param {string} from @param {string} to */
export function copyWorkspace(from, to) {
  if (!fs.existsSync(from)) throw new HarnessError(`workspace folder not found: ${path.relative(REPO, from)}`);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  return to;
}

// ---------------------------------------------------------------------------------------------------
// code-server

/**
 * Makes sure the Debian packages are there (scripts/system-deps.sh: installs them as root, else names
 * the apt command), then installs code-server into the cache unless it is there and works
 * (scripts/vscode/install-code-server.sh). @param {{browser?: boolean}} [opts] browser: false for npm start
 */
export function ensureCodeServer(opts = {}) {
  const deps = spawnSync('bash', [path.join(REPO, 'scripts/system-deps.sh'), ...(opts.browser === false ? ['--no-browser'] : [])], {
    stdio: 'inherit',
  });
  if (deps.status !== 0) throw new HarnessError('system packages are missing (see the messages above)');
  const r = spawnSync('bash', [path.join(REPO, 'scripts/vscode/install-code-server.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new HarnessError('code-server is not available (see the messages above)');
}

/** Common code-server options for an isolated profile. @param {RunDirs} dirs */
function profileArgs(dirs) {
  return ['--config', path.join(dirs.root, 'config.yaml'), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** `code-server --install-extension <vsix>` into the run's isolated extensions dir. @param {RunDirs} dirs @param {string} vsix */
export function installExtension(dirs, vsix) {
  const logFile = path.join(dirs.logs, 'install-extension.log');
  const r = spawnSync(CODE_SERVER_BIN, [...profileArgs(dirs), '--force', '--install-extension', vsix], {
    env: assertIsolatedEnv(isolatedEnv(dirs), 'code-server --install-extension'),
    encoding: 'utf8',
    timeout: 120000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  fs.writeFileSync(logFile, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout ?? '')) {
    throw new HarnessError(
      `installing ${path.basename(vsix)} into code-server failed (log: ${logFile}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trim(),
    );
  }
}

/** A free TCP port on 127.0.0.1, or FUSION_TEST_PORT when set. @param {string} [envName] @param {number} [fallback] */
export async function choosePort(envName = 'FUSION_TEST_PORT', fallback = 0) {
  const wanted = process.env[envName] ? envInt(envName, 0) : fallback;
  if (wanted) {
    if (!(await portFree(wanted))) throw new HarnessError(`port ${wanted} on 127.0.0.1 is in use (set ${envName} to another port)`);
    return wanted;
  }
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** @param {number} port @returns {Promise<boolean>} */
function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Starts code-server as its own process group (setsid) on 127.0.0.1:port with the isolated profile,
 * waits for /healthz (bounded), and registers the group for cleanup.
 * `workspace`: the folder (or .code-workspace file) that the bare URL opens.
 * `workspaceTrust: true` keeps VS Code's workspace trust on (every other run turns it off); pair it
 * with the user settings that enable it (see run-integration.mjs, suite "untrusted").
 * @param {{ dirs: RunDirs, port: number, workspace?: string, env?: Record<string, string>, timeoutMs?: number, workspaceTrust?: boolean }} o
 */
export async function startCodeServer(o) {
  if (!fs.existsSync(CODE_SERVER_BIN))
    throw new HarnessError(`code-server not installed at ${CODE_SERVER_BIN}; run scripts/vscode/install-code-server.sh`);
  const logFile = path.join(o.dirs.logs, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    ...profileArgs(o.dirs),
    '--bind-addr',
    `127.0.0.1:${o.port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
    // the folder the bare URL (no ?folder=) opens, even after another folder was opened in this profile
    ...(o.workspace ? ['--ignore-last-opened', o.workspace] : []),
  ];
  const child = spawn(CODE_SERVER_BIN, args, {
    env: assertIsolatedEnv(isolatedEnv(o.dirs, o.env), 'code-server'),
    detached: true, // setsid: code-server leads its own group; its watchers and extension hosts die with it
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new HarnessError('could not start code-server');
  const pgid = child.pid;
  groups.add(pgid);
  /** @type {number | null} */
  let exitCode = null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exitCode = code ?? (signal ? 128 : 1)))));
  const url = `http://127.0.0.1:${o.port}`;
  const timeoutMs = o.timeoutMs ?? 60000;
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== null) {
      throw new HarnessError(`code-server exited (code ${exitCode}) before it was ready; last lines of ${logFile}:\n${tail(logFile, 20)}`);
    }
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) {
      throw new HarnessError(
        `code-server did not answer ${url}/healthz within ${timeoutMs / 1000}s; last lines of ${logFile}:\n${tail(logFile, 20)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pgid, logFile, exited, stop: () => killGroup(pgid) };
}

/** @param {string} file @param {number} n */
export function tail(file, n) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * URL that opens `folder` in the workbench, optionally with a `payload` (extension development/tests).
 * A `.code-workspace` file opens as a (multi-root) workspace: the web workbench reads `?workspace=`
 * for that, as it reads `?folder=` for a folder.
 * @param {string} base @param {string} folder @param {Array<[string, string]>} [payload]
 */
export function workbenchUrl(base, folder, payload) {
  const q = `${folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(folder)}`;
  return `${base}/?${q}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}

/** vscode-remote URI for a server-side path, as the web workbench's payload expects. @param {number} port @param {string} p */
export function remoteUri(port, p) {
  return `vscode-remote://127.0.0.1:${port}${p}`;
}

// ---------------------------------------------------------------------------------------------------
// Chromium (Debian's, via playwright-core: no browser download)

/**
 * Launches chromium (headless unless FUSION_E2E_HEADED is set) with a fresh profile in the run folder; closing is registered for cleanup.
 * @param {RunDirs} dirs
 * @param {{ width?: number, height?: number }} [viewport]
 */
export async function launchBrowser(dirs, viewport = {}) {
  if (!fs.existsSync(CHROMIUM))
    throw new HarnessError(`chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM=/path)`);
  const { chromium } = await import('playwright-core');
  const profile = path.join(dirs.root, 'chromium-profile');
  fs.mkdirSync(profile, { recursive: true });
  const launching = chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      // FUSION_E2E_HEADED=1 shows the browser (needs a display: a desktop, or xvfb-run), to watch a run.
      headless: !process.env.FUSION_E2E_HEADED,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
      env: /** @type {Record<string, string>} */ (assertIsolatedEnv(isolatedEnv(dirs), 'chromium')),
      viewport: { width: viewport.width ?? 1400, height: viewport.height ?? 900 },
      timeout: 60000,
    })
    .catch((/** @type {unknown} */ err) => {
      const text = err instanceof Error ? err.message : String(err);
      const fatal = text.split('\n').find((l) => /FATAL|error while loading|cannot open/i.test(l));
      throw new HarnessError(`chromium did not start${fatal ? `: ${fatal.replace(/^.*?\]\s*/, '').trim()}` : ` (${text.split('\n')[0]})`}`);
    });
  const context = await within(launching, 90000, 'launching chromium');
  onCleanup(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Runs `npm run <script>` in the repo (bounded); throws with its output on failure. @param {string} script @param {number} [timeoutMs] */
export function npmRun(script, timeoutMs = 300000) {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: REPO, stdio: 'inherit', timeout: timeoutMs });
  if (r.status !== 0) throw new HarnessError(`npm run ${script} failed (exit ${r.status ?? r.signal})`);
}

/** Packs the extension with vsce (dist bundles are self-contained) into <dirs.root>/<name>.vsix. @param {RunDirs} dirs */
export function packExtension(dirs) {
  const vsix = path.join(dirs.root, 'fusion-incomplete-executions.vsix');
  const vsce = path.join(REPO, 'node_modules/@vscode/vsce/vsce');
  // there is no published repository to resolve the docs' relative links (CONTRIBUTING.md) against,
  // and vsce refuses to pack them unless told to leave them as they are
  const r = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix],
    {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 180000,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  fs.writeFileSync(path.join(dirs.logs, 'vsce.log'), `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0 || !fs.existsSync(vsix)) {
    throw new HarnessError(`vsce package failed:\n${((r.stdout ?? '') + (r.stderr ?? '')).trim()}`);
  }
  return vsix;
}

export { log as harnessLog };
