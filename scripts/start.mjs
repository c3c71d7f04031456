// @ts-check
// `npm start`: builds the extension, packs it (vsce), installs it into an isolated code-server
// profile (.vscode-test/start/) and serves the sample workspace in a real VS Code at
// http://127.0.0.1:8080 — open that in a browser. Ctrl-C (or SIGTERM) stops everything it started.
//
//   npm start                        serve a fresh copy of samples/ (your edits there don't touch the repo)
//   npm start -- --port 9000         another port (or FUSION_PORT=9000)
//   npm start -- --in-place          serve the repo's samples/ folder itself
//   npm start -- --folder <dir>      serve another folder
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
  workbenchUrl,
  writeUserSettings,
} from './vscode/harness.mjs';

const log = logger('start');

function parseArgs(argv = process.argv.slice(2)) {
  /** @type {{ port: number, inPlace: boolean, folder?: string }} */
  const opts = { port: 8080, inPlace: false };
  if (process.env.FUSION_PORT) opts.port = Number(process.env.FUSION_PORT);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') opts.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) opts.port = Number(a.slice('--port='.length));
    else if (a === '--in-place') opts.inPlace = true;
    else if (a === '--folder') opts.folder = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm start [-- --port N] [--in-place] [--folder DIR]');
      process.exit(0);
    } else throw new HarnessError(`unknown option ${a} (try --help)`);
  }
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535)
    throw new HarnessError('the port must be an integer between 1 and 65535');
  return opts;
}

async function main() {
  const opts = parseArgs();
  ensureCodeServer({ browser: false });
  log('building');
  npmRun('build');
  const dirs = prepareRunDir('start');
  log('packing and installing the extension');
  installExtension(dirs, packExtension(dirs));
  writeUserSettings(dirs);
  const folder = opts.folder
    ? path.resolve(opts.folder)
    : opts.inPlace
      ? path.join(REPO, 'samples')
      : copyWorkspace(path.join(REPO, 'samples'), path.join(dirs.root, 'samples'));
  process.env.FUSION_START_PORT = String(opts.port);
  const port = await choosePort('FUSION_START_PORT');
  const server = await startCodeServer({ dirs, port });
  console.log(`\n  Fusion Incomplete Executions in VS Code: ${workbenchUrl(server.url, folder)}\n  (serving ${folder}; Ctrl-C stops it)\n`);
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
