/**
 * The Incomplete Executions tree. Built for big files (100,000 records):
 * - the root level needs one pass over the records to find the groups (done once per load and
 *   grouping, then cached); a group's children are made only when it is expanded;
 * - nodes are cached by id, so a change to one record refreshes that element (and its group when
 *   the group's counts change), not the whole tree;
 * - tooltips are filled in `resolveTreeItem`, on hover only;
 * - a scenario group's storage warnings come from StorageLimits (storageLimits.ts).
 */
import * as vscode from 'vscode';
import type { ScenarioStorage } from '../../../core/executions/limits';
import { EXECUTION_STATUSES, isRetryable, type IncompleteExecution } from '../../../core/executions/model';
import { groupBySetting, showResolvedSetting, type GroupBy } from '../../shared/settings';
import type { ExecutionsModel, FolderExecutions, ModelChange } from '../executionsModel';
import { StorageLimits } from './storageLimits';
import { ExecutionNode, FolderNode, GroupNode, type ExecutionsTreeNode } from './treeNodes';
import {
  executionTreeItem,
  folderTreeItem,
  groupTreeItem,
  resolveExecutionTooltip,
  scenarioGroupTooltip,
  type GroupSummary,
  type MakeGroupInfo,
} from './treeItems';
import { scenarioSyncs, stateParts, syncText } from '../../make/sync';

/** Whether the last contact with a Make API failed (the Make service; absent in tests without it). */
export interface MakeStatusSource {
  contactState(baseUrl: string): { readonly failedAt?: number } | undefined;
}

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
  private readonly limits: StorageLimits;
  private makeStatus: MakeStatusSource | undefined;

  /** `scenarioFileChanges`: the shared watch on scenario files (they say whether runs wait, for the limits). */
  constructor(
    private readonly model: ExecutionsModel,
    scenarioFileChanges: vscode.Event<{ readonly uri: vscode.Uri }>,
  ) {
    this.limits = new StorageLimits(model, scenarioFileChanges, (folderKey, scenarios) => {
      const fire = this.scenarioGroups(folderKey, scenarios);
      if (fire.length > 0) this.emitter.fire(fire);
    });
    this.disposables.push(
      this.limits,
      model.onDidChange((c) => this.onModelChange(c)),
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

  /** Where the tree learns whether Make can be reached ("offline" on the groups pulled from it). */
  setMakeStatus(source: MakeStatusSource): void {
    this.makeStatus = source;
  }

  /** Refreshes the group rows (their "synced … ago" and Make state change without a record changing). */
  refreshGroups(): void {
    const fire: ExecutionsTreeNode[] = [];
    for (const [folderKey, index] of this.indexes) {
      if (index.groupBy !== 'scenario') continue;
      const doc = this.model.folder(folderKey)?.doc;
      for (const key of index.groups.keys()) if (scenarioSyncs(doc, key).length > 0) fire.push(this.groupNode(folderKey, key));
    }
    if (fire.length > 0) this.emitter.fire(fire);
  }

  /** What a scenario group shows about Make: its state there and when it was synced (undefined: not from Make). */
  makeInfo(folderKey: string, scenario: string): MakeGroupInfo | undefined {
    const syncs = scenarioSyncs(this.model.folder(folderKey)?.doc, scenario);
    if (syncs.length === 0) return undefined;
    const parts: string[] = [];
    const lines: string[] = [];
    for (const s of syncs) {
      const offline = this.makeStatus?.contactState(s.baseUrl)?.failedAt !== undefined;
      parts.push(...stateParts(s), syncText(s, offline));
      lines.push(`${s.baseUrl} · ${vscode.l10n.t('scenario {0}', s.scenarioId)} · ${syncText(s, offline)}`);
      if (s.dlqCount !== undefined) lines.push(vscode.l10n.t('Make reports {0} incomplete executions for it.', s.dlqCount));
      lines.push(...stateParts(s));
      for (const p of s.problems) lines.push(`⚠ ${p}`);
    }
    return { parts: [...new Set(parts)], lines };
  }

  /** A scenario's storage against Fusion's limits (see StorageLimits.storage). */
  scenarioStorage(folderKey: string, scenario: string, now = true): ScenarioStorage | undefined {
    return this.limits.storage(folderKey, scenario, now);
  }

  /** Settles when no read of the folder's scenario files is under way (for tests). */
  whenLimitsSettled(folderKey: string): Promise<void> {
    return this.limits.whenSettled(folderKey);
  }

  getTreeItem(node: ExecutionsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return folderTreeItem(node, this.model.folder(node.folderKey));
      case 'group': {
        const summary = this.index(node.folderKey)?.summaries.get(node.key) ?? { count: 0, unresolved: 0, retryable: 0 };
        const scenario = node.groupBy === 'scenario';
        return groupTreeItem(
          node,
          summary,
          scenario ? this.scenarioStorage(node.folderKey, node.key, false) : undefined,
          scenario ? this.makeInfo(node.folderKey, node.key) : undefined,
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
      const make = this.makeInfo(node.folderKey, node.key);
      if (storage || make) item.tooltip = scenarioGroupTooltip(storage, make, node.key);
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
      this.limits.forget(c.folderKey);
      this.emitter.fire(undefined);
      return;
    }
    const index = this.indexes.get(c.folderKey);
    if (c.kind === 'full' || !index || c.added.length > 0 || c.removed.length > 0) {
      this.invalidate(c.folderKey);
      return;
    }
    // the counts follow every change, whatever the grouping; scenarioGroups keeps the groups shown
    const fire: ExecutionsTreeNode[] = this.scenarioGroups(c.folderKey, this.limits.applyChanges(c.folderKey, c.changed));
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

  /** The group nodes the view shows for these scenarios (grouped by scenario only). */
  private scenarioGroups(folderKey: string, scenarios: readonly string[]): ExecutionsTreeNode[] {
    const index = this.indexes.get(folderKey);
    if (!index || index.groupBy !== 'scenario') return [];
    return scenarios.filter((n) => index.groups.has(n)).map((n) => this.groupNode(folderKey, n));
  }

  private invalidate(folderKey: string): void {
    this.indexes.delete(folderKey);
    this.limits.recount(folderKey);
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
