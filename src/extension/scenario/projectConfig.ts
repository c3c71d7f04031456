import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CONFIG_FILE_NAME,
  ConfigResolver,
  applyProjectConfig,
  configRelativePath,
  isIgnoredByConfig,
  loadProjectConfig,
  type ConfigRead,
  type RuleSettings,
} from '../../core/config';
import type { Finding, Scenario } from '../../core/model';
import { SETTINGS_SECTION, severityOverrides } from '../shared/settings';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from './diagnostics';
import { decodeText } from '../../core/text/decode';

/** How long the first lint waits for the configuration files before it goes ahead without them. */
export const CONFIG_LOAD_GRACE_MS = 3000;

/**
 * The project configuration (`.fusionlintrc.json`) in the editor, the same file the CLI applies.
 *
 * - Which file applies to a scenario file: the nearest one walking up from its folder, stopping at
 *   its workspace folder (core/config's `ConfigResolver`, as in the CLI, which stops at the
 *   repository root instead). Each workspace folder has its own lookup, so in a multi-root
 *   workspace every folder gets its nearest file. Files outside the workspace folders and untitled
 *   documents get no project configuration (the built-in exemptions still apply, as in a CLI run
 *   without a configuration file).
 * - What is applied is the file as saved on disk, as the CLI reads it. Every configuration file of
 *   the workspace is read at start-up (one `findFiles`) and again when a file watcher reports it
 *   created, changed or deleted; `onDidChange` then fires, and the diagnostics lint the open and
 *   scanned scenario files again. Lookups answer from these texts, so applying a configuration
 *   while linting is synchronous.
 * - Severities: the user's `fusionExecutions.lint.severity` setting wins over the file (it is the
 *   editor's `--rule`: the person at the keyboard decides what they see); exemptions and
 *   `ignorePatterns` of the file still apply. Files matched by `ignorePatterns` get no diagnostics.
 * - A file that cannot be read or parsed is not applied (linting goes on with the defaults, as in
 *   the CLI); its `invalid-config` findings are diagnostics on the configuration file itself, at
 *   their line, and one line goes to the log each time it is read.
 * - Untrusted workspaces: the file is read and applied. It is data that only changes which
 *   findings are shown and how severe they are; nothing in it runs.
 */
export class ProjectConfigs implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-config`);
  /** The configuration files of the workspace folders (uri strings) and their text as last read. */
  private readonly texts = new Map<string, ConfigRead>();
  /** The `invalid-config` findings of each configuration file, as last read. */
  private readonly problems = new Map<string, readonly Finding[]>();
  /** One resolver per workspace folder (uri string); all dropped whenever a configuration file changes. */
  private readonly resolvers = new Map<string, ConfigResolver>();
  /** Per configuration file: bumped on every read request, so a slower, older read never wins. */
  private readonly generations = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires after a configuration file was created, changed or deleted (and re-read). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private loadRun = 0;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Watches the configuration files and reads them all; resolves when they have been read (never rejects). */
  start(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
    this.disposables.push(
      this.collection,
      this.emitter,
      watcher,
      watcher.onDidCreate((uri) => void this.reread(uri)),
      watcher.onDidChange((uri) => void this.reread(uri)),
      // a deleted folder is reported as the folder: forget every configuration file inside it
      watcher.onDidDelete((uri) => this.forget(uri)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.forget(uri))),
      vscode.workspace.onDidRenameFiles((e) => {
        if (e.files.some((f) => this.holdsConfig(f.oldUri) || path.posix.basename(f.newUri.path) === CONFIG_FILE_NAME))
          void this.loadAll().then(() => this.changed('a configuration file or its folder was renamed'));
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.loadAll().then(() => this.changed('the workspace folders changed'))),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.lint.severity`)) for (const key of this.problems.keys()) this.publish(key);
      }),
    );
    return this.loadAll();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /**
   * The findings of the scenario file `uri` with its project configuration applied, then the
   * user's severity settings (`userRules`) on top. No findings for a file the configuration's
   * `ignorePatterns` match.
   */
  apply(uri: vscode.Uri, findings: readonly Finding[], scenario: Scenario | null, userRules: RuleSettings): Finding[] {
    const folder = uri.scheme === 'untitled' ? undefined : vscode.workspace.getWorkspaceFolder(uri);
    const loaded = folder ? this.resolver(folder).forFile(uri.path) : undefined;
    if (!loaded) return applyProjectConfig(findings, scenario, '', undefined, { cliRules: userRules });
    const rel = configRelativePath(loaded.file, uri.path, path.posix);
    if (isIgnoredByConfig(loaded.config, rel)) return [];
    return applyProjectConfig(findings, scenario, rel, loaded.config, { cliRules: userRules });
  }

  private resolver(folder: vscode.WorkspaceFolder): ConfigResolver {
    const key = folder.uri.toString();
    let r = this.resolvers.get(key);
    if (!r) {
      const root = path.posix.resolve(folder.uri.path);
      const keyOf = (p: string): string => folder.uri.with({ path: p }).toString();
      r = new ConfigResolver(
        {
          fileExists: (p) => this.texts.has(keyOf(p)),
          isRoot: (dir) => dir === root,
          readText: (p) => this.texts.get(keyOf(p)) ?? { ok: false, problem: 'it is no longer there' },
        },
        { pathFlavour: path.posix },
      );
      this.resolvers.set(key, r);
    }
    return r;
  }

  /** Finds and reads every configuration file of the workspace folders (a newer call supersedes a running one). */
  private async loadAll(): Promise<void> {
    const run = ++this.loadRun;
    let uris: vscode.Uri[];
    try {
      // an explicit exclude, so files.exclude does not hide a configuration that governs files one opens
      uris = await vscode.workspace.findFiles(`**/${CONFIG_FILE_NAME}`, '**/node_modules/**');
    } catch (err) {
      this.log.error(`Could not look for ${CONFIG_FILE_NAME} files: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (run !== this.loadRun) return;
    const found = new Set(uris.map((u) => u.toString()));
    for (const key of [...this.texts.keys()]) if (!found.has(key)) this.forget(vscode.Uri.parse(key), false);
    await Promise.all(uris.map((uri) => this.read(uri)));
    this.resolvers.clear();
    if (uris.length > 0) this.log.info(`Project configuration: ${uris.length} ${CONFIG_FILE_NAME} file(s) in the workspace`);
  }

  private async reread(uri: vscode.Uri): Promise<void> {
    if (await this.read(uri)) this.changed(`${uri.toString(true)} changed`);
  }

  /** Reads one configuration file and shows its mistakes on it. False when a newer read superseded this one. */
  private async read(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    let read: ConfigRead;
    try {
      read = decodeText(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') {
        if (this.generations.get(key) === generation) this.forget(uri, false);
        return false;
      }
      read = { ok: false, problem: err instanceof Error ? err.message : String(err) };
    }
    if (this.generations.get(key) !== generation) return false;
    this.texts.set(key, read);
    this.resolvers.clear();
    const loaded = loadProjectConfig(uri.path, read);
    this.problems.set(key, loaded.findings);
    this.publish(key);
    if (loaded.findings.length > 0) {
      const first = loaded.findings[0];
      this.log.warn(
        `${uri.toString(true)}:${first.range.start.line + 1}:${first.range.start.character + 1}: ${loaded.findings.length} problem(s) in the project configuration; ` +
          (loaded.config ? 'its valid entries apply.' : 'it is not applied: the files it governs are linted with the defaults.'),
      );
    }
    return true;
  }

  /** True when `uri` is a known configuration file or a folder holding one. */
  private holdsConfig(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return [...this.texts.keys()].some((k) => k === key || k.startsWith(key + '/'));
  }

  /** Drops a configuration file (or every one inside a deleted folder) and its diagnostics. */
  private forget(uri: vscode.Uri, notify = true): void {
    const key = uri.toString();
    const prefix = key + '/';
    const gone = [...this.texts.keys()].filter((k) => k === key || k.startsWith(prefix));
    if (gone.length === 0) return;
    for (const k of gone) {
      this.texts.delete(k);
      this.problems.delete(k);
      this.generations.set(k, (this.generations.get(k) ?? 0) + 1); // a read in flight is stale
      this.collection.delete(vscode.Uri.parse(k));
    }
    this.resolvers.clear();
    if (notify) this.changed(`${uri.toString(true)} was deleted`);
  }

  /** Shows the `invalid-config` findings of a configuration file on it (the severity setting applies to them too). */
  private publish(key: string): void {
    const uri = vscode.Uri.parse(key);
    const setting = severityOverrides(uri)['invalid-config'];
    const findings = setting === 'off' ? [] : (this.problems.get(key) ?? []).map((f) => (setting ? { ...f, severity: setting } : f));
    this.collection.set(
      uri,
      findings.map((f) => toDiagnostic(uri, f)),
    );
  }

  private changed(why: string): void {
    this.log.info(`Project configuration: ${why}; linting scenario files again`);
    this.emitter.fire();
  }
}
