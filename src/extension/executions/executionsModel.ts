/**
 * The executions file of every workspace folder, as the view and the commands see it.
 *
 * - Reads through `vscode.workspace.fs` (works on virtual file systems) and validates the bytes
 *   with the core's strict reader, `parseExecutionsBytes`, as the CLI and every write do: a file
 *   that is not UTF-8, holds a NUL byte or a duplicate key is an error (with its position), never
 *   decoded leniently.
 * - Writes are the core's executions actions (cross-process lock, atomic save, fresh
 *   read-modify-write), which use Node's fs: only for `file` folders (`runWrite`). On any other
 *   scheme the file is read-only here (the tree works, the writing commands say so).
 * - Reloads by itself (debounced) when the file changes on disk (FileSystemWatcher) or is saved
 *   in an editor; keeps the last good state when the file turns bad, and says why.
 * - Each reload is diffed per record id, so listeners can refresh only what changed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExecutionsFile, IncompleteExecution } from '../../core/executions/model';
import type { ExecutionsFileError } from '../../core/executions/fileError';
import { parseExecutionsBytes } from '../../core/executions/validate';
import { executionsFileUri } from '../shared/settings';

export type FileState = 'missing' | 'error' | 'ok';

export interface FileProblem {
  /** One line, e.g. `incomplete-executions.json:12:5: Expected comma`. */
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface FolderExecutions {
  readonly folder: vscode.WorkspaceFolder;
  /** `folder.uri.toString()`. */
  readonly key: string;
  readonly uri: vscode.Uri;
  /** `undefined` until the first load finished. */
  readonly state: FileState | undefined;
  /** Set when state is 'error'. */
  readonly problem: FileProblem | undefined;
  /** The last good document (kept while the file has errors; cleared when it is missing). */
  readonly doc: ExecutionsFile | undefined;
  /** Records of the last good document, by id, in file order. */
  readonly records: ReadonlyMap<string, IncompleteExecution>;
  /** Number of records with status `unresolved`. */
  readonly unresolved: number;
  /** Number of records with status `pending` (waiting for an automatic retry). */
  readonly pending: number;
  /** True when this folder's file can be written by this extension (a `file` URI). */
  readonly writable: boolean;
}

export type ModelChange =
  /** Everything of the folder may have changed (first load, state change, file path change). */
  | { readonly folderKey: string; readonly kind: 'full' }
  /** Only these records changed (ids). */
  | {
      readonly folderKey: string;
      readonly kind: 'records';
      readonly added: readonly string[];
      readonly removed: readonly string[];
      readonly changed: readonly { readonly id: string; readonly before: IncompleteExecution; readonly after: IncompleteExecution }[];
    };

/** Thrown when a write is asked for a folder whose file this extension cannot write. */
export class ReadOnlyExecutionsError extends Error {}

interface Entry {
  folder: vscode.WorkspaceFolder;
  key: string;
  uri: vscode.Uri;
  state: FileState | undefined;
  problem: FileProblem | undefined;
  doc: ExecutionsFile | undefined;
  records: Map<string, IncompleteExecution>;
  unresolved: number;
  pending: number;
  /** The bytes of the last load (an unchanged file is not parsed again). */
  lastBytes: Buffer | undefined;
  watcher: vscode.Disposable | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The load in flight (loads of one folder never overlap). */
  loading: Promise<void> | undefined;
  /** A reload was asked while one was in flight. */
  again: boolean;
}

const DEBOUNCE_MS = 100;

export class ExecutionsModel implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly emitter = new vscode.EventEmitter<ModelChange>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Fires after a folder's state or records changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Sets up watchers and starts loading every folder (does not wait for the loads). */
  start(): void {
    this.syncFolders();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.syncFolders()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fusionExecutions.executionsFile')) this.syncFolders(true);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        for (const e of this.entries.values()) if (doc.uri.toString() === e.uri.toString()) this.scheduleReload(e.key);
      }),
    );
  }

  folders(): FolderExecutions[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  folder(key: string): FolderExecutions | undefined {
    const e = this.entries.get(key);
    return e ? this.view(e) : undefined;
  }

  folderOf(folder: vscode.WorkspaceFolder): FolderExecutions | undefined {
    return this.folder(folder.uri.toString());
  }

  /** Records with this id, across folders (ids are unique per file, not across folders). */
  find(id: string): { folder: FolderExecutions; record: IncompleteExecution }[] {
    const out: { folder: FolderExecutions; record: IncompleteExecution }[] = [];
    for (const e of this.entries.values()) {
      const record = e.records.get(id);
      if (record) out.push({ folder: this.view(e), record });
    }
    return out;
  }

  /** Aggregate state for the welcome views: 'error' if any folder has errors, 'ok' if any file loaded, else 'missing'. */
  aggregateState(): FileState | undefined {
    const states = [...this.entries.values()].map((e) => e.state);
    if (states.length === 0) return undefined;
    if (states.includes('error')) return 'error';
    if (states.includes('ok')) return 'ok';
    if (states.every((s) => s === 'missing')) return 'missing';
    return undefined;
  }

  unresolvedCount(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.unresolved;
    return n;
  }

  /** Records waiting for an automatic retry (`pending`), in every folder. */
  pendingCount(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.pending;
    return n;
  }

  /** Reloads one folder (or all) now; resolves when done. */
  async reload(folderKey?: string): Promise<void> {
    const keys = folderKey ? [folderKey] : [...this.entries.keys()];
    await Promise.all(keys.map((k) => this.load(k)));
  }

  /** Resolves when no reload is scheduled or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Runs a core action on a folder's executions file, given as a local path (a file on a virtual
   * file system is refused with ReadOnlyExecutionsError); the model is reloaded before this resolves.
   */
  async runWrite<T>(folderKey: string, action: (file: string) => Promise<T>): Promise<T> {
    const e = this.entries.get(folderKey);
    if (!e) throw new Error(vscode.l10n.t('The workspace folder is no longer open.'));
    if (e.uri.scheme !== 'file') {
      throw new ReadOnlyExecutionsError(
        vscode.l10n.t(
          'The executions file {0} is on a virtual file system ({1}); it is read-only in this extension.',
          e.uri.path,
          e.uri.scheme,
        ),
      );
    }
    try {
      return await action(e.uri.fsPath);
    } finally {
      await this.load(folderKey);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const e of this.entries.values()) this.dropEntry(e);
    this.entries.clear();
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
    this.notifyIdle();
  }

  // -------------------------------------------------------------------------------------------

  private view(e: Entry): FolderExecutions {
    return {
      folder: e.folder,
      key: e.key,
      uri: e.uri,
      state: e.state,
      problem: e.problem,
      doc: e.doc,
      records: e.records,
      unresolved: e.unresolved,
      pending: e.pending,
      writable: e.uri.scheme === 'file',
    };
  }

  private syncFolders(pathChanged = false): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const keep = new Set(folders.map((f) => f.uri.toString()));
    for (const [key, e] of this.entries) {
      if (!keep.has(key)) {
        this.dropEntry(e);
        this.entries.delete(key);
        this.emitter.fire({ folderKey: key, kind: 'full' });
      }
    }
    for (const folder of folders) {
      const key = folder.uri.toString();
      const uri = executionsFileUri(folder);
      const existing = this.entries.get(key);
      if (existing && existing.uri.toString() === uri.toString()) {
        existing.folder = folder;
        continue;
      }
      if (existing) this.dropEntry(existing);
      const e: Entry = {
        folder,
        key,
        uri,
        state: undefined,
        problem: undefined,
        doc: undefined,
        records: new Map(),
        unresolved: 0,
        pending: 0,
        lastBytes: undefined,
        watcher: undefined,
        timer: undefined,
        loading: undefined,
        again: false,
      };
      e.watcher = this.watch(e);
      this.entries.set(key, e);
      if (existing || pathChanged) this.emitter.fire({ folderKey: key, kind: 'full' });
      void this.load(key);
    }
  }

  private watch(e: Entry): vscode.Disposable {
    const base = vscode.Uri.joinPath(e.uri, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, path.posix.basename(e.uri.path)));
    const onEvent = (uri: vscode.Uri): void => {
      if (uri.toString() === e.uri.toString() || uri.path === e.uri.path) this.scheduleReload(e.key);
    };
    watcher.onDidChange(onEvent);
    watcher.onDidCreate(onEvent);
    watcher.onDidDelete(onEvent);
    return watcher;
  }

  private dropEntry(e: Entry): void {
    e.watcher?.dispose();
    e.watcher = undefined;
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
  }

  private scheduleReload(key: string): void {
    const e = this.entries.get(key);
    if (!e || this.disposed) return;
    if (e.timer) clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      void this.load(key);
    }, DEBOUNCE_MS);
  }

  private load(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e || this.disposed) return Promise.resolve();
    if (e.loading) {
      e.again = true;
      return e.loading;
    }
    const run = async (): Promise<void> => {
      try {
        do {
          e.again = false;
          await this.loadOnce(e);
        } while (e.again && !this.disposed);
      } catch (err) {
        this.log.error(`Loading ${e.uri.toString(true)} failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        e.loading = undefined;
        this.notifyIdle();
      }
    };
    e.loading = run();
    return e.loading;
  }

  private async loadOnce(e: Entry): Promise<void> {
    let bytes: Buffer;
    try {
      const read = await vscode.workspace.fs.readFile(e.uri);
      bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
    } catch (err) {
      if (this.entries.get(e.key) !== e) return;
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') {
        if (e.state !== 'missing') {
          this.log.info(`No executions file at ${e.uri.toString(true)}`);
          e.state = 'missing';
          e.problem = undefined;
          e.doc = undefined;
          e.records = new Map();
          e.unresolved = 0;
          e.pending = 0;
          e.lastBytes = undefined;
          this.emitter.fire({ folderKey: e.key, kind: 'full' });
        }
        return;
      }
      this.setProblem(e, { message: `${path.posix.basename(e.uri.path)}: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (this.entries.get(e.key) !== e) return;
    if (e.lastBytes?.equals(bytes) && e.state !== undefined) return;
    const parsed = parseExecutionsBytes(bytes, e.uri.scheme === 'file' ? e.uri.fsPath : e.uri.toString(true));
    if (!parsed.ok) {
      e.lastBytes = bytes;
      this.setProblem(e, describeProblem(parsed.error, e.uri));
      return;
    }
    e.lastBytes = bytes;
    const wasOk = e.state === 'ok';
    const before = e.records;
    const records = new Map<string, IncompleteExecution>();
    let unresolved = 0;
    let pending = 0;
    for (const r of parsed.doc.executions) {
      records.set(r.id, r);
      if (r.status === 'unresolved') unresolved++;
      else if (r.status === 'pending') pending++;
    }
    e.state = 'ok';
    e.problem = undefined;
    e.doc = parsed.doc;
    e.records = records;
    e.unresolved = unresolved;
    e.pending = pending;
    if (!wasOk || before.size === 0) {
      this.emitter.fire({ folderKey: e.key, kind: 'full' });
      return;
    }
    const added: string[] = [];
    const removed: string[] = [];
    const changed: { id: string; before: IncompleteExecution; after: IncompleteExecution }[] = [];
    let orderChanged = false;
    const beforeIds = [...before.keys()];
    let i = 0;
    for (const [id, after] of records) {
      const old = before.get(id);
      if (!old) added.push(id);
      else {
        if (beforeIds[i] !== id) orderChanged = true;
        if (!deepEqual(old, after)) changed.push({ id, before: old, after });
      }
      i++;
    }
    for (const id of before.keys()) if (!records.has(id)) removed.push(id);
    if (orderChanged && added.length === 0 && removed.length === 0) {
      this.emitter.fire({ folderKey: e.key, kind: 'full' });
      return;
    }
    if (added.length || removed.length || changed.length) this.emitter.fire({ folderKey: e.key, kind: 'records', added, removed, changed });
  }

  private setProblem(e: Entry, problem: FileProblem): void {
    const same = e.state === 'error' && e.problem?.message === problem.message;
    e.state = 'error';
    e.problem = problem;
    if (!same) {
      this.log.warn(`Executions file has errors (last good list kept): ${problem.message}`);
      this.emitter.fire({ folderKey: e.key, kind: 'full' });
    }
  }

  private isIdle(): boolean {
    for (const e of this.entries.values()) if (e.timer || e.loading) return false;
    return true;
  }

  private notifyIdle(): void {
    if (!this.disposed && !this.isIdle()) return;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}

function describeProblem(err: ExecutionsFileError, uri: vscode.Uri): FileProblem {
  const name = path.posix.basename(uri.path);
  const detail = typeof err.detail === 'string' && err.detail !== '' ? err.detail : err.message;
  const where = err.line !== undefined && err.column !== undefined ? `${name}:${err.line}:${err.column}` : name;
  return { message: `${where}: ${detail}`, line: err.line, column: err.column };
}

/** Structural equality of two JSON values (records are compared this way on every reload). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(rb, k) || !deepEqual(ra[k], rb[k])) return false;
  return true;
}
