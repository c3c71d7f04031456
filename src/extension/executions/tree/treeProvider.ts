/**
 * The Incomplete Executions tree. Built for big files (100,000 records):
 * - the root level needs one pass over the records to find the groups (done once per load and
 *   grouping, then cached); a group's children are made only when it is expanded;
 * - nodes are cached by id, so a change to one record refreshes that element (and its group when
 *   the group's counts change), not the whole tree;
 * - tooltips are filled in `resolveTreeItem`, on hover only.
 */
import * as vscode from 'vscode';
import {
  addToUsage,
  emptyUsage,
  scenarioStorage,
  sequentialByScenarioFrom,
  usageByScenario,
  type ScenarioStorage,
  type ScenarioUsage,
} from '../../../core/executions/limits';
import { EXECUTION_STATUSES, type IncompleteExecution } from '../../../core/executions/model';
import { isScenarioPath } from '../../../core/scenario/workspace';
import { isRetryable } from './capabilities';
import { groupBySetting, scenarioGlobs, showResolvedSetting, type GroupBy } from '../config';
import { buildScenarioResolver, relativePath } from '../scenarios';
import type { ExecutionsModel, FolderExecutions, ModelChange } from '../executionsModel';
import { ExecutionNode, FolderNode, GroupNode, type ExecutionsTreeNode } from './treeNodes';
import {
  executionTreeItem,
  folderTreeItem,
  groupTreeItem,
  resolveExecutionTooltip,
  scenarioGroupTooltip,
  storageWarnings,
  type GroupSummary,
} from './treeItems';

interface MutableSummary {
  count: number;
  unresolved: number;
  retryable: number;
}

interface FolderIndex {
  readonly groupBy: GroupBy;
  readonly showResolved: boolean;
  /** Group key → ids in file order; the map's order is the display order. */
  readonly groups: Map<string, string[]>;
  readonly idToKey: Map<string, string>;
  readonly summaries: Map<string, MutableSummary>;
}

/**
 * Fusion's limits per folder (core/limits.ts): storage per scenario, counted in one pass on first
 * need and then kept up to date by deltas; `sequentialProcessing` per scenario, read from the
 * scenario files in the background (never on a render) and again only when a scenario file changes
 * or Refresh runs.
 */
interface FolderLimits {
  usage?: Map<string, ScenarioUsage>;
  /** A count of `usage` is scheduled (it runs after the render that asked for it). */
  usageScheduled?: boolean;
  sequential: Map<string, boolean>;
  /** Scenarios whose setting was looked up (found or not). */
  readonly tried: Set<string>;
  loading?: Promise<void>;
  /** Bumped when a scenario file changes: a load started before is stale. */
  generation: number;
}

export type TreeChange = ExecutionsTreeNode | ExecutionsTreeNode[] | undefined;

export function groupKeyOf(r: IncompleteExecution, groupBy: GroupBy): string {
  switch (groupBy) {
    case 'scenario':
      return r.scenario;
    case 'errorType':
      return r.error.type;
    case 'status':
      return r.status;
  }
}

function compareKeys(groupBy: GroupBy): (a: string, b: string) => number {
  if (groupBy === 'status') {
    const rank = (s: string): number => {
      const i = (EXECUTION_STATUSES as readonly string[]).indexOf(s);
      return i < 0 ? EXECUTION_STATUSES.length : i;
    };
    return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
  }
  return (a, b) => a.localeCompare(b);
}

export class ExecutionsTreeProvider implements vscode.TreeDataProvider<ExecutionsTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeChange>();
  readonly onDidChangeTreeData = this.emitter.event;

  private groupBy: GroupBy = groupBySetting();
  private showResolved: boolean = showResolvedSetting();
  private readonly indexes = new Map<string, FolderIndex>();
  private readonly folderNodes = new Map<string, FolderNode>();
  private readonly groupNodes = new Map<string, GroupNode>();
  private readonly executionNodes = new Map<string, ExecutionNode>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Folder keys of the root the view was last given (see `invalidate`). */
  private rootKeys = '';
  private readonly limits = new Map<string, FolderLimits>();

  /** `scenarioFileChanges`: the shared watch on scenario files (they say whether runs wait, for the limits). */
  constructor(
    private readonly model: ExecutionsModel,
    scenarioFileChanges: vscode.Event<{ readonly uri: vscode.Uri }>,
  ) {
    this.disposables.push(
      model.onDidChange((c) => this.onModelChange(c)),
      scenarioFileChanges((e) => this.onScenarioFileChange(e.uri)),
    );
  }

  get currentGroupBy(): GroupBy {
    return this.groupBy;
  }

  get resolvedShown(): boolean {
    return this.showResolved;
  }

  /** Re-reads the view settings; refreshes everything when they changed. */
  applySettings(): void {
    const groupBy = groupBySetting();
    const showResolved = showResolvedSetting();
    if (groupBy === this.groupBy && showResolved === this.showResolved) return;
    this.groupBy = groupBy;
    this.showResolved = showResolved;
    this.indexes.clear();
    this.groupNodes.clear();
    this.executionNodes.clear();
    this.emitter.fire(undefined);
  }

  /** Full refresh (the Refresh command). */
  refreshAll(): void {
    this.indexes.clear();
    this.limits.clear();
    this.emitter.fire(undefined);
  }

  /**
   * A scenario's storage against Fusion's limits (undefined when the folder has no such records,
   * or, unless `now`, while the first count is still scheduled: a render never waits for it).
   * Sequential processing is `undefined` until the scenario files were read; asking starts that.
   */
  scenarioStorage(folderKey: string, scenario: string, now = true): ScenarioStorage | undefined {
    const f = this.model.folder(folderKey);
    if (!f) return undefined;
    const l = this.limitsOf(folderKey);
    if (!l.usage && now) l.usage = usageByScenario(f.records.values());
    if (!l.usage) {
      this.scheduleUsage(folderKey, l);
      return undefined;
    }
    const u = l.usage.get(scenario);
    if (!u) return undefined;
    if (u.notResolved > 0 && !l.tried.has(scenario)) this.loadSequential(folderKey);
    return scenarioStorage(scenario, u, l.sequential.get(scenario));
  }

  /** Settles when no read of the folder's scenario files is under way (for tests). */
  async whenLimitsSettled(folderKey: string): Promise<void> {
    for (let l = this.limits.get(folderKey); l?.loading; l = this.limits.get(folderKey)) await l.loading;
  }

  getTreeItem(node: ExecutionsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return folderTreeItem(node, this.model.folder(node.folderKey));
      case 'group': {
        const summary = this.index(node.folderKey)?.summaries.get(node.key) ?? { count: 0, unresolved: 0, retryable: 0 };
        return groupTreeItem(
          node,
          summary,
          node.groupBy === 'scenario' ? this.scenarioStorage(node.folderKey, node.key, false) : undefined,
        );
      }
      case 'execution': {
        const r = this.record(node);
        if (!r) return new vscode.TreeItem(node.id);
        return executionTreeItem(node, r);
      }
    }
  }

  resolveTreeItem(item: vscode.TreeItem, node: ExecutionsTreeNode): vscode.TreeItem {
    if (node.kind === 'execution') {
      const r = this.record(node);
      if (r) resolveExecutionTooltip(item, r);
    } else if (node.kind === 'group' && node.groupBy === 'scenario') {
      const storage = this.scenarioStorage(node.folderKey, node.key);
      if (storage) item.tooltip = scenarioGroupTooltip(storage);
    }
    return item;
  }

  getChildren(node?: ExecutionsTreeNode): ExecutionsTreeNode[] {
    if (!node) {
      const folders = this.model.folders();
      this.rootKeys = rootKeysOf(folders);
      if (folders.length > 1) return folders.map((f) => this.folderNode(f.key));
      return folders.length === 1 ? this.groupsOf(folders[0].key) : [];
    }
    switch (node.kind) {
      case 'folder':
        return this.groupsOf(node.folderKey);
      case 'group': {
        const ids = this.index(node.folderKey)?.groups.get(node.key) ?? [];
        return ids.map((id) => this.executionNode(node.folderKey, id));
      }
      case 'execution':
        return [];
    }
  }

  getParent(node: ExecutionsTreeNode): ExecutionsTreeNode | undefined {
    const multi = this.model.folders().length > 1;
    switch (node.kind) {
      case 'folder':
        return undefined;
      case 'group':
        return multi ? this.folderNode(node.folderKey) : undefined;
      case 'execution': {
        const key = this.index(node.folderKey)?.idToKey.get(node.id);
        return key === undefined ? undefined : this.groupNode(node.folderKey, key);
      }
    }
  }

  /** The record behind an execution node (undefined when it is gone). */
  record(node: ExecutionNode): IncompleteExecution | undefined {
    return this.model.folder(node.folderKey)?.records.get(node.id);
  }

  /** Summary of a group (for tests and the pickers). */
  groupSummary(node: GroupNode): GroupSummary | undefined {
    return this.index(node.folderKey)?.summaries.get(node.key);
  }

  /** The cached node of an execution, made on demand. */
  executionNode(folderKey: string, id: string): ExecutionNode {
    const cacheKey = `${folderKey}|${this.groupBy}|${id}`;
    let n = this.executionNodes.get(cacheKey);
    if (!n) {
      n = new ExecutionNode(folderKey, this.groupBy, id);
      this.executionNodes.set(cacheKey, n);
    }
    return n;
  }

  groupNode(folderKey: string, key: string): GroupNode {
    const cacheKey = `${folderKey}|${this.groupBy}|${key}`;
    let n = this.groupNodes.get(cacheKey);
    if (!n) {
      n = new GroupNode(folderKey, this.groupBy, key);
      this.groupNodes.set(cacheKey, n);
    }
    return n;
  }

  folderNode(folderKey: string): FolderNode {
    let n = this.folderNodes.get(folderKey);
    if (!n) {
      n = new FolderNode(folderKey);
      this.folderNodes.set(folderKey, n);
    }
    return n;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }

  // -------------------------------------------------------------------------------------------

  private groupsOf(folderKey: string): GroupNode[] {
    const index = this.index(folderKey);
    return index ? [...index.groups.keys()].map((k) => this.groupNode(folderKey, k)) : [];
  }

  private index(folderKey: string): FolderIndex | undefined {
    const cached = this.indexes.get(folderKey);
    if (cached && cached.groupBy === this.groupBy && cached.showResolved === this.showResolved) return cached;
    const f = this.model.folder(folderKey);
    if (!f) return undefined;
    const index = buildIndex(f, this.groupBy, this.showResolved);
    this.indexes.set(folderKey, index);
    return index;
  }

  private rootOf(folderKey: string): ExecutionsTreeNode | undefined {
    return this.model.folders().length > 1 && this.model.folder(folderKey) ? this.folderNode(folderKey) : undefined;
  }

  private onModelChange(c: ModelChange): void {
    if (!this.model.folder(c.folderKey)) {
      this.indexes.delete(c.folderKey);
      this.limits.delete(c.folderKey);
      this.emitter.fire(undefined);
      return;
    }
    const index = this.indexes.get(c.folderKey);
    if (c.kind === 'full' || !index || c.added.length > 0 || c.removed.length > 0) {
      this.invalidate(c.folderKey);
      return;
    }
    const fire: ExecutionsTreeNode[] = this.applyUsageDeltas(c.folderKey, index, c.changed);
    for (const { id, before, after } of c.changed) {
      const oldKey = index.idToKey.get(id);
      const newKey = index.showResolved || after.status !== 'resolved' ? groupKeyOf(after, index.groupBy) : undefined;
      if (oldKey !== newKey) {
        this.invalidate(c.folderKey);
        return;
      }
      if (oldKey === undefined) continue;
      const summary = index.summaries.get(oldKey);
      if (summary) {
        const du = (after.status === 'unresolved' ? 1 : 0) - (before.status === 'unresolved' ? 1 : 0);
        const dr = (isRetryable(after) ? 1 : 0) - (isRetryable(before) ? 1 : 0);
        summary.unresolved += du;
        summary.retryable += dr;
        if ((du !== 0 || dr !== 0) && !fire.includes(this.groupNode(c.folderKey, oldKey))) fire.push(this.groupNode(c.folderKey, oldKey));
      }
      const node = this.executionNodes.get(`${c.folderKey}|${index.groupBy}|${id}`);
      if (node) fire.push(node);
    }
    if (fire.length > 0) this.emitter.fire(fire);
  }

  private limitsOf(folderKey: string): FolderLimits {
    let l = this.limits.get(folderKey);
    if (!l) {
      l = { sequential: new Map(), tried: new Set(), generation: 0 };
      this.limits.set(folderKey, l);
    }
    return l;
  }

  /** Counts the folder's storage after the current render; then refreshes the scenario groups that warn. */
  private scheduleUsage(folderKey: string, l: FolderLimits): void {
    if (l.usageScheduled) return;
    l.usageScheduled = true;
    setTimeout(() => {
      l.usageScheduled = false;
      const f = this.model.folder(folderKey);
      if (this.limits.get(folderKey) !== l || l.usage || !f) return;
      l.usage = usageByScenario(f.records.values());
      for (const [name, u] of l.usage) if (u.notResolved > 0 && !l.tried.has(name)) this.loadSequential(folderKey);
      const index = this.indexes.get(folderKey);
      if (!index || index.groupBy !== 'scenario') return;
      const fire = [...index.groups.keys()].filter((n) => this.limitsLook(folderKey, n) !== '').map((n) => this.groupNode(folderKey, n));
      if (fire.length > 0) this.emitter.fire(fire);
    }, 0);
  }

  /** What a scenario group shows about the limits (a change of it refreshes the group). */
  private limitsLook(folderKey: string, scenario: string): string {
    const l = this.limits.get(folderKey);
    const u = l?.usage?.get(scenario);
    return u && l ? storageWarnings(scenarioStorage(scenario, u, l.sequential.get(scenario))).join('|') : '';
  }

  /** Keeps the storage counts up to date for changed records; returns the scenario groups whose warning changed. */
  private applyUsageDeltas(
    folderKey: string,
    index: FolderIndex,
    changed: readonly { readonly before: IncompleteExecution; readonly after: IncompleteExecution }[],
  ): ExecutionsTreeNode[] {
    const usage = this.limits.get(folderKey)?.usage;
    if (!usage) return [];
    const looks = new Map<string, string>();
    for (const { before, after } of changed) {
      for (const name of [before.scenario, after.scenario]) if (!looks.has(name)) looks.set(name, this.limitsLook(folderKey, name));
      const ub = usage.get(before.scenario);
      if (ub) addToUsage(ub, before, -1);
      let ua = usage.get(after.scenario);
      if (!ua) {
        ua = emptyUsage();
        usage.set(after.scenario, ua);
      }
      addToUsage(ua, after, 1);
      if (after.status !== 'resolved' && !this.limitsOf(folderKey).tried.has(after.scenario)) this.loadSequential(folderKey);
    }
    if (index.groupBy !== 'scenario') return [];
    const out: ExecutionsTreeNode[] = [];
    for (const [name, look] of looks) {
      if (look !== this.limitsLook(folderKey, name) && index.groups.has(name)) out.push(this.groupNode(folderKey, name));
    }
    return out;
  }

  /** Reads the folder's scenario files (once) for `sequentialProcessing`; refreshes the groups whose warning changed. */
  private loadSequential(folderKey: string): void {
    const l = this.limitsOf(folderKey);
    if (l.loading) return;
    const generation = l.generation;
    const run = async (): Promise<void> => {
      const f = this.model.folder(folderKey);
      if (!f) return;
      const records = [...f.records.values()];
      const resolver = await buildScenarioResolver(f.folder, records);
      if (this.limits.get(folderKey) !== l || l.generation !== generation) return;
      const sequential = sequentialByScenarioFrom(records, resolver.resolve);
      const names = new Set([...l.sequential.keys(), ...sequential.keys()]);
      const looks = new Map([...names].map((n) => [n, this.limitsLook(folderKey, n)]));
      l.sequential = sequential;
      for (const r of records) if (r.status !== 'resolved') l.tried.add(r.scenario);
      const index = this.indexes.get(folderKey);
      if (!index || index.groupBy !== 'scenario') return;
      const fire = [...looks]
        .filter(([n, look]) => look !== this.limitsLook(folderKey, n) && index.groups.has(n))
        .map(([n]) => this.groupNode(folderKey, n));
      if (fire.length > 0) this.emitter.fire(fire);
    };
    l.loading = run()
      .catch(() => undefined)
      .finally(() => {
        l.loading = undefined;
        if (l.generation !== generation && this.limits.get(folderKey) === l) this.loadSequential(folderKey);
      });
  }

  private onScenarioFileChange(uri: vscode.Uri): void {
    const wf = vscode.workspace.getWorkspaceFolder(uri);
    if (!wf || !isScenarioPath(relativePath(wf, uri), scenarioGlobs(wf.uri))) return;
    const f = this.model.folders().find((x) => x.folder.uri.toString() === wf.uri.toString());
    const l = f ? this.limits.get(f.key) : undefined;
    if (!f || !l || (l.tried.size === 0 && !l.loading)) return;
    l.generation++;
    l.tried.clear();
    this.loadSequential(f.key);
  }

  private invalidate(folderKey: string): void {
    this.indexes.delete(folderKey);
    const l = this.limits.get(folderKey);
    if (l) l.usage = undefined;
    // A folder the view's root does not list yet (just added to the workspace) cannot be refreshed
    // by itself: the view would ignore an element it never got. Refresh the root then.
    this.emitter.fire(rootKeysOf(this.model.folders()) === this.rootKeys ? this.rootOf(folderKey) : undefined);
  }
}

function rootKeysOf(folders: readonly FolderExecutions[]): string {
  return folders.map((f) => f.key).join('\n');
}

function buildIndex(f: FolderExecutions, groupBy: GroupBy, showResolved: boolean): FolderIndex {
  const unsorted = new Map<string, string[]>();
  const idToKey = new Map<string, string>();
  const summaries = new Map<string, MutableSummary>();
  for (const r of f.records.values()) {
    if (!showResolved && r.status === 'resolved') continue;
    const key = groupKeyOf(r, groupBy);
    let ids = unsorted.get(key);
    let summary = summaries.get(key);
    if (!ids || !summary) {
      ids = [];
      summary = { count: 0, unresolved: 0, retryable: 0 };
      unsorted.set(key, ids);
      summaries.set(key, summary);
    }
    ids.push(r.id);
    idToKey.set(r.id, key);
    summary.count++;
    if (r.status === 'unresolved') summary.unresolved++;
    if (isRetryable(r)) summary.retryable++;
  }
  const groups = new Map<string, string[]>();
  for (const key of [...unsorted.keys()].sort(compareKeys(groupBy))) groups.set(key, unsorted.get(key) ?? []);
  return { groupBy, showResolved, groups, idToKey, summaries };
}
