// Helpers of the multi-root suite (runs on test/fixtures/multiroot/multiroot.code-workspace: folders
// "alpha" and "beta"; beta's folder settings point fusionExecutions.executionsFile at ops/executions.json).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension/api';
import type { FolderExecutions } from '../../../src/extension/executions/executionsModel';
import type { ExecutionsFile } from '../../../src/core/executions/model';
import { waitForModel } from '../executionsSupport';

export type FolderName = 'alpha' | 'beta';

export function workspaceFolder(name: FolderName): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  assert.ok(
    f,
    `workspace folder ${name} is not open (have ${(vscode.workspace.workspaceFolders ?? []).map((w) => w.name).join(', ') || 'none'})`,
  );
  return f;
}

export function inFolder(name: FolderName, rel: string): string {
  return path.join(workspaceFolder(name).uri.fsPath, ...rel.split('/'));
}

/** The files the fixture's settings name: alpha's default one, beta's configured one, and beta's decoy. */
export const FILES = {
  alpha: (): string => inFolder('alpha', '.fusion/incomplete-executions.json'),
  beta: (): string => inFolder('beta', 'ops/executions.json'),
  betaDecoy: (): string => inFolder('beta', '.fusion/incomplete-executions.json'),
} as const;

export function readDoc(file: string): ExecutionsFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionsFile;
}

export function modelFolder(api: ExtensionApi, name: FolderName): FolderExecutions {
  const f = api.model.folderOf(workspaceFolder(name));
  assert.ok(f, `the model has no entry for folder ${name}`);
  return f;
}

/** Resolves once the tree view's badge satisfies `predicate` (the badge is set on model changes). */
export async function waitForBadge(api: ExtensionApi, expected: number | undefined, what: string): Promise<void> {
  const ok = (): boolean => api.treeView.badge?.value === expected;
  if (ok()) return;
  await waitForModel(api, ok, what).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; badge ${api.treeView.badge?.value ?? 'none'}`);
  });
}

/** Snapshot of every file the suite may change (both executions files, the decoy, beta's folder settings). */
export class Snapshot {
  private readonly texts = new Map<string, string>();

  constructor(files: readonly string[]) {
    for (const f of files) this.texts.set(f, fs.readFileSync(f, 'utf8'));
  }

  text(file: string): string {
    const t = this.texts.get(file);
    assert.ok(t !== undefined, `${file} is not in the snapshot`);
    return t;
  }

  /** Writes back what changed and waits until the model shows both folders loaded from the fixture again. */
  async restore(api: ExtensionApi): Promise<void> {
    for (const [file, text] of this.texts) {
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
    }
    const settings = vscode.workspace.getConfiguration('fusionExecutions', workspaceFolder('beta').uri);
    if (settings.inspect('executionsFile')?.workspaceFolderValue !== 'ops/executions.json') {
      await settings.update('executionsFile', 'ops/executions.json', vscode.ConfigurationTarget.WorkspaceFolder);
    }
    const expected = new Map<FolderName, number>([
      ['alpha', readDoc(FILES.alpha()).executions.length],
      ['beta', readDoc(FILES.beta()).executions.length],
    ]);
    await api.model.reload();
    await waitForModel(
      api,
      () =>
        [...expected].every(([name, n]) => {
          const f = api.model.folderOf(workspaceFolder(name));
          return f?.state === 'ok' && f.records.size === n && (name !== 'beta' || f.uri.fsPath === FILES.beta());
        }),
      'both fixture files to be loaded again',
    );
  }
}
