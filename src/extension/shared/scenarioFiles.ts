import * as vscode from 'vscode';
import { matchesScenarioGlobs } from '../scenario/documentSelector';
import { scenarioGlobs, SETTINGS_SECTION } from './settings';

export interface ScenarioFileEvent {
  readonly kind: 'created' | 'changed' | 'deleted';
  readonly uri: vscode.Uri;
}

/**
 * The one file-system watch on scenario files (the `fusionExecutions.scenarioGlobs` of every
 * folder), shared by the diagnostics (lint closed files again) and the executions tree (re-read
 * `sequentialProcessing` for the storage limits). Re-created when the globs or the folders change.
 * Created and changed files are reported when they match their own folder's globs; deletions
 * always (a deleted folder is reported as the folder).
 */
export class ScenarioFiles implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ScenarioFileEvent>();
  readonly onDidChange = this.emitter.event;
  private watchers: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.emitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.scenarioGlobs`)) this.watch();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch()),
    ];
    this.watch();
  }

  dispose(): void {
    for (const d of [...this.watchers, ...this.subscriptions]) d.dispose();
    this.watchers = [];
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const globs = new Set(scenarioGlobs());
    for (const folder of vscode.workspace.workspaceFolders ?? []) for (const g of scenarioGlobs(folder.uri)) globs.add(g);
    const fire = (kind: ScenarioFileEvent['kind']) => (uri: vscode.Uri) => {
      if (kind === 'deleted' || matchesScenarioGlobs(uri)) this.emitter.fire({ kind, uri });
    };
    for (const glob of globs) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.watchers.push(w, w.onDidCreate(fire('created')), w.onDidChange(fire('changed')), w.onDidDelete(fire('deleted')));
    }
  }
}
