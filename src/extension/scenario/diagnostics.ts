import * as vscode from 'vscode';
import { lintScenario } from '../../core/lint/lint';
import type { ScenarioFiles } from '../shared/scenarioFiles';
import type { Finding, LintCode, Severity } from '../../core/model';
import { isScenarioDocument, matchesScenarioGlobs, scenarioFileName } from './documentSelector';
import { forgetDocument } from './parsed';
import { defaultProfile, lintOnSave, lintOnType, scenarioGlobs, severityOverrides, SETTINGS_SECTION } from '../shared/settings';

/** Milliseconds after the last edit before a document is linted again. */
export const LINT_DEBOUNCE_MS = 300;
export const DIAGNOSTIC_SOURCE = 'fusion';

/**
 * Lint diagnostics for scenario files (the lint rules of core/lint, `json-syntax` included).
 *
 * Lifecycle (decided here, documented in docs/rules/README.md):
 * - open documents are linted on open, on change (debounced) and on save, per the settings;
 * - files matching `fusionExecutions.scenarioGlobs` are linted from disk by a background workspace
 *   scan at start-up, and again when they change on disk while closed. Their diagnostics stay
 *   after their editor closes (re-linted from the disk content, since unsaved edits are gone), like
 *   a build's problems; they go when the file is deleted;
 * - other documents (untitled, JSON blueprints outside the globs, files outside the workspace)
 *   lose their diagnostics when closed.
 * Every lint request bumps a per-file generation; an asynchronous disk read whose generation is
 * no longer current is dropped, so a stale disk result can never overwrite a newer one.
 */
export class ScenarioDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generations = new Map<string, number>();
  /** Files on disk the scan or the watchers found (uri strings). */
  private readonly diskFiles = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private scanRun = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly files: ScenarioFiles,
  ) {}

  /** Hooks the events and starts the workspace scan in the background. Returns at once. */
  start(): void {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => this.lintDocument(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        if (lintOnType(e.document.uri)) this.schedule(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (lintOnSave(doc.uri)) this.lintDocument(doc);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClosed(doc)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.onDeleted(uri))),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.startScan()),
      this.files.onDidChange((e) => (e.kind === 'deleted' ? this.onDeleted(e.uri) : this.onDiskChange(e.uri))),
    );
    for (const doc of vscode.workspace.textDocuments) this.lintDocument(doc);
    this.startScan();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }

  /** Lints an open document now (cancelling a pending debounced run). */
  lintDocument(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancelTimer(key);
    if (!isScenarioDocument(doc)) {
      // e.g. a JSON file that no longer looks like a blueprint
      if (!this.diskFiles.has(key) && this.collection.has(doc.uri)) this.collection.delete(doc.uri);
      return;
    }
    this.bump(key);
    this.collection.set(doc.uri, this.lintText(doc.uri, scenarioFileName(doc), doc.getText()));
  }

  /** Re-lints every open scenario document and every file found on disk. */
  relintAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.lintDocument(doc);
    for (const key of this.diskFiles) {
      const uri = vscode.Uri.parse(key);
      if (!this.openDocument(uri)) void this.lintFromDisk(uri);
    }
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancelTimer(key);
    this.bump(key); // a disk read in flight for this file is now stale
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) this.lintDocument(doc);
      }, LINT_DEBOUNCE_MS),
    );
  }

  private cancelTimer(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) {
      clearTimeout(t);
      this.timers.delete(key);
    }
  }

  private bump(key: string): number {
    const next = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, next);
    return next;
  }

  private lintText(uri: vscode.Uri, fileName: string, text: string): vscode.Diagnostic[] {
    const parsed = lintScenario(fileName, text, { severities: severityOverrides(uri), profile: defaultProfile(uri) });
    return parsed.findings.map((f) => this.toDiagnostic(f));
  }

  private toDiagnostic(f: Finding): vscode.Diagnostic {
    const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
    const d = new vscode.Diagnostic(range, f.message, toSeverity(f.severity));
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: f.code, target: ruleDocUri(this.extensionUri, f.code) };
    return d;
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
  }

  private async lintFromDisk(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const generation = this.bump(key);
    let text: string;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      text = new TextDecoder('utf-8').decode(bytes); // drops a BOM, as the editor does, so offsets agree with open documents
    } catch (err) {
      this.log.warn(`Could not read ${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.generations.get(key) !== generation || this.openDocument(uri)) return; // stale
    this.diskFiles.add(key);
    const fileName = uri.scheme === 'file' ? uri.fsPath : uri.path;
    this.collection.set(uri, this.lintText(uri, fileName, text));
  }

  private onClosed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancelTimer(key);
    forgetDocument(doc.uri);
    if (this.diskFiles.has(key) || (doc.uri.scheme !== 'untitled' && matchesScenarioGlobs(doc.uri))) {
      void this.lintFromDisk(doc.uri);
    } else {
      this.bump(key);
      this.collection.delete(doc.uri);
    }
  }

  private onDeleted(uri: vscode.Uri): void {
    const prefix = uri.toString() + '/';
    const gone: vscode.Uri[] = [uri];
    this.collection.forEach((u) => {
      if (u.toString().startsWith(prefix)) gone.push(u); // a deleted folder
    });
    for (const u of gone) {
      const key = u.toString();
      this.cancelTimer(key);
      this.bump(key);
      this.diskFiles.delete(key);
      this.collection.delete(u);
    }
  }

  private onDiskChange(uri: vscode.Uri): void {
    if (this.openDocument(uri)) return; // the document events cover it
    void this.lintFromDisk(uri);
  }

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
    if (e.affectsConfiguration(`${SETTINGS_SECTION}.scenarioGlobs`)) {
      for (const key of [...this.diskFiles]) {
        const uri = vscode.Uri.parse(key);
        if (!matchesScenarioGlobs(uri)) {
          this.diskFiles.delete(key);
          if (!this.openDocument(uri)) this.collection.delete(uri);
        }
      }
      this.startScan();
    }
    if (
      e.affectsConfiguration(`${SETTINGS_SECTION}.lint.severity`) ||
      e.affectsConfiguration(`${SETTINGS_SECTION}.profile`) ||
      e.affectsConfiguration(`${SETTINGS_SECTION}.scenarioGlobs`)
    ) {
      this.log.info('Settings changed: linting scenario files again');
      this.relintAll();
    }
  }

  /** The background workspace scan; a newer scan supersedes a running one. */
  private startScan(): void {
    const run = ++this.scanRun;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Fusion: linting scenario files') },
      async () => {
        try {
          await this.scan(run);
        } catch (err) {
          this.log.error(`Workspace scan failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
    );
  }

  private async scan(run: number): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return;
    const started = Date.now();
    const found = new Map<string, vscode.Uri>();
    for (const folder of folders) {
      for (const glob of new Set(scenarioGlobs(folder.uri))) {
        // `undefined` excludes = the user's files.exclude applies; the core's predicate has the last word
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob));
        for (const uri of uris) if (matchesScenarioGlobs(uri)) found.set(uri.toString(), uri);
        if (run !== this.scanRun) return;
      }
    }
    let linted = 0;
    for (const [key, uri] of found) {
      if (run !== this.scanRun) return;
      this.diskFiles.add(key);
      const doc = this.openDocument(uri);
      if (doc) this.lintDocument(doc);
      else await this.lintFromDisk(uri);
      linted++;
    }
    this.log.info(`Linted ${linted} scenario file(s) in the workspace in ${Date.now() - started} ms`);
  }
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}

/** The page of a rule inside the installed extension (docs/rules/<code>.md). */
export function ruleDocUri(extensionUri: vscode.Uri, code: LintCode): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${code}.md`);
}

/** The rule code of one of our diagnostics, or undefined for anyone else's. */
export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const c = d.code;
  if (typeof c === 'string') return c;
  if (typeof c === 'object' && c !== null && typeof c.value === 'string') return c.value;
  return undefined;
}
