// @ts-check
// `npm start`: builds the extension, packs it (vsce), installs it into an isolated code-server
// profile (.vscode-test/start/) and serves the sample workspace in a real VS Code at
// http://127.0.0.1:8080/ — open that in a browser: code-server gets the folder as its default, so
// the bare URL opens it. Ctrl-C (or SIGTERM) stops everything it started.
//
//   npm start                        serve a copy of samples/ (.vscode-test/start/samples): made on the
//                                    first run, then kept with your edits and added files across restarts
//   npm start -- --fresh             throw that copy away and start again from the repo's samples/
//   npm start -- --port 9000         another port (or FUSION_PORT=9000)
//   npm start -- --in-place          serve the repo's samples/ folder itself
//   npm start -- --folder <dir>      serve another folder
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  REPO,
  HarnessError,
  choosePort,
  cleanup,
  copyWorkspace,
  ensureCodeServer,
  installExtension,
  logger,
  npmRun,
  packExtension,
  prepareRunDir,
  startCodeServer,
  stopping,
  writeUserSettings,
} from './vscode/harness.mjs';

const log = logger('start');

function parseArgs(argv = process.argv.slice(2)) {
  /** @type {{ port: number, inPlace: boolean, fresh: boolean, folder?: string }} */
  const opts = { port: 8080, inPlace: false, fresh: false };
  if (process.env.FUSION_PORT) opts.port = Number(process.env.FUSION_PORT);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') opts.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) opts.port = Number(a.slice('--port='.length));
    else if (a === '--in-place') opts.inPlace = true;
    else if (a === '--fresh') opts.fresh = true;
    else if (a === '--folder') opts.folder = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm start [-- --port N] [--fresh | --in-place | --folder DIR]');
      process.exit(0);
    } else throw new HarnessError(`unknown option ${a} (try --help)`);
  }
  if (opts.fresh && (opts.inPlace || opts.folder))
    throw new HarnessError('--fresh renews the served copy of samples/; --in-place and --folder serve a folder as it is');
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535)
    throw new HarnessError('the port must be an integer between 1 and 65535');
  return opts;
}

async function main() {
  const opts = parseArgs();
  ensureCodeServer({ browser: false });
  log('building');
  npmRun('build');
  // The run folder is renewed on every start (profile, logs) except the served copy of samples/,
  // which keeps the user's edits and added files until --fresh.
  const dirs = prepareRunDir('start', { keep: opts.fresh ? [] : ['samples'] });
  log('packing and installing the extension');
  installExtension(dirs, packExtension(dirs));
  writeUserSettings(dirs);
  /** @type {string} */
  let folder;
  /** @type {string} */
  let what;
  if (opts.folder) {
    folder = path.resolve(opts.folder);
    if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new HarnessError(`--folder ${opts.folder}: no such folder`);
    what = `serving ${folder} itself`;
  } else if (opts.inPlace) {
    folder = path.join(REPO, 'samples');
    what = `serving the repository's samples/ itself (--in-place): edits change the repository`;
  } else {
    folder = path.join(dirs.root, 'samples');
    const rel = path.relative(REPO, folder);
    if (fs.existsSync(folder)) {
      what = `serving your copy of samples/ in ${rel}, kept from the last run with your edits (npm start -- --fresh starts again from samples/)`;
    } else {
      copyWorkspace(path.join(REPO, 'samples'), folder);
      what = `serving a fresh copy of samples/ in ${rel} (kept across restarts; npm start -- --fresh renews it)`;
    }
  }
  process.env.FUSION_START_PORT = String(opts.port);
  const port = await choosePort('FUSION_START_PORT');
  const server = await startCodeServer({ dirs, port, workspace: folder });
  console.log(`\n  Fusion Incomplete Executions in VS Code: ${server.url}/\n  (${what}; Ctrl-C stops it)\n`);
  const code = await server.exited;
  if (stopping()) await new Promise(() => {}); // the signal handler stops everything and exits
  log(`code-server exited (code ${code}); log: ${path.relative(REPO, server.logFile)}`);
  await cleanup();
  return 1;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err instanceof HarnessError ? `start: ${err.message}` : err);
    await cleanup();
    process.exit(1);
  },
);
