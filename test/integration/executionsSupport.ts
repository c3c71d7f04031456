// Helpers for the executions integration tests (run inside the real VS Code extension host).
// The live model, tree provider and tree view are the extension's API (what `activate` returns).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/api';
import type { ExecutionsFile, IncompleteExecution } from '../../src/core/executions/model';

import { activateExtension } from './scenarioSupport';

const GUARD_MS = 15000;

export async function executionsApi(): Promise<ExtensionApi> {
  const api = await activateExtension();
  assert.ok(api && typeof api === 'object' && 'model' in api, "the extension's exports are not its API");
  await api.model.whenIdle();
  return api;
}

export function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the integration tests need the fixture workspace open');
  return f;
}

export function executionsPath(): string {
  return path.join(folder().uri.fsPath, '.fusion', 'incomplete-executions.json');
}

export function workspacePath(rel: string): string {
  return path.join(folder().uri.fsPath, ...rel.split('/'));
}

export function readExecutions(): ExecutionsFile {
  return JSON.parse(fs.readFileSync(executionsPath(), 'utf8')) as ExecutionsFile;
}

export function record(doc: ExecutionsFile, id: string): IncompleteExecution {
  const r = doc.executions.find((e) => e.id === id);
  assert.ok(r, `no record ${id} in the executions file (have ${doc.executions.map((e) => e.id).join(', ')})`);
  return r;
}

/** The label of a tree item as the view shows it. */
export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Each folder's state, for timeout messages. */
function describeModel(api: ExtensionApi): string {
  return api.model
    .folders()
    .map((f) => `${f.folder.name}: ${f.state}, ${f.records.size} records${f.problem ? ` (${f.problem.message})` : ''}`)
    .join('; ');
}

/**
 * Resolves once `predicate(api)` holds: checked now, then after every model change; fails after a
 * guard timeout saying what it waited for and each folder's state (no fixed sleeps).
 */
export function waitForModel(api: ExtensionApi, predicate: () => boolean, what: string): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for: ${what} (${describeModel(api)})`));
    }, GUARD_MS);
    const sub = api.model.onDidChange(() => {
      if (predicate()) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

/** Snapshot of the fixture's executions file; `restore()` writes it back and waits for the model to reload it. */
export class FixtureFile {
  private readonly original: string | undefined;
  constructor(private readonly file: string = executionsPath()) {
    this.original = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  }

  get text(): string {
    assert.ok(this.original !== undefined, `${this.file} is missing from the fixture`);
    return this.original;
  }

  async restore(api: ExtensionApi): Promise<void> {
    if (this.original === undefined) return;
    const current = fs.existsSync(this.file) ? fs.readFileSync(this.file, 'utf8') : undefined;
    if (current !== this.original) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(this.file, this.original);
    }
    const expected = (JSON.parse(this.original) as ExecutionsFile).executions.length;
    await api.model.reload();
    await waitForModel(
      api,
      () => api.model.folders()[0]?.state === 'ok' && api.model.folders()[0]?.records.size === expected,
      'the fixture file to be loaded again',
    );
  }
}

/** Writes JSON the way another tool would (plain fs, no lock). */
export function writeExternally(doc: unknown): void {
  fs.writeFileSync(executionsPath(), `${JSON.stringify(doc, null, 2)}\n`);
}

export async function setViewSettings(groupBy: string | undefined, showResolved: boolean | undefined): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('fusionExecutions');
  await cfg.update('tree.groupBy', groupBy, vscode.ConfigurationTarget.Global);
  await cfg.update('tree.showResolved', showResolved, vscode.ConfigurationTarget.Global);
}
