// `npm run test:electron`: the same integration suite in VS Code desktop (Electron), downloaded by
// @vscode/test-electron into .vscode-test/. For machines that can reach Microsoft's update server;
// on offline machines use `npm run test:integration` (code-server, same suite, same index.ts).
//
//   FUSION_VSCODE_VERSION=1.100.3   the VS Code version to download (default: the engine's minimum)
//   FUSION_TEST_GREP=<regexp>       only tests whose full title matches
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const repo = path.resolve(__dirname, '../../..');
  const runDir = path.join(repo, '.vscode-test/electron');
  const workspace = path.join(runDir, 'workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(repo, 'test/fixtures/workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.FUSION_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, 'index'),
      extensionTestsEnv: process.env.FUSION_TEST_GREP ? { FUSION_TEST_GREP: process.env.FUSION_TEST_GREP } : {},
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
        `--extensions-dir=${path.join(runDir, 'extensions')}`,
      ],
    });
    return 0;
  } catch (err) {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
