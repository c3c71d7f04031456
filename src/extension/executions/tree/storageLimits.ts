/**
 * Fusion's storage limits per workspace folder, for the tree's scenario groups (the rules are
 * core/executions/limits.ts): the storage per scenario, counted in one pass on first need and then
 * kept up to date by deltas, and `sequentialProcessing` per scenario, read from the scenario files
 * in the background (never during a render) and again only when a scenario file changes or the
 * counts are cleared (Refresh).
 *
 * It never refreshes the tree itself: it says which scenarios now look different (`onDidChange`
 * given to the constructor), and the tree refreshes the groups it shows for them.
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
import type { IncompleteExecution } from '../../../core/executions/model';
import { scenarioResolverFor } from '../../../core/executions/scenarioFiles';
import { folderScenarioFiles } from '../../shared/workspaceScenarioFiles';
import { matchesScenarioGlobs } from '../../scenario/documentSelector';
import type { ExecutionsModel } from '../executionsModel';
import { storageWarnings } from './treeItems';

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

/** Told which scenarios of a folder now show a different storage warning. */
export type LimitsChanged = (folderKey: string, scenarios: readonly string[]) => void;

export class StorageLimits implements vscode.Disposable {
  private readonly limits = new Map<string, FolderLimits>();
  private readonly subscription: vscode.Disposable;

  /** `scenarioFileChanges`: the shared watch on scenario files (they say whether runs wait). */
  constructor(
    private readonly model: ExecutionsModel,
    scenarioFileChanges: vscode.Event<{ readonly uri: vscode.Uri }>,
    private readonly onDidChange: LimitsChanged,
  ) {
    this.subscription = scenarioFileChanges((e) => this.onScenarioFileChange(e.uri));
  }

  /**
   * A scenario's storage against Fusion's limits (undefined when the folder has no such records,
   * or, unless `now`, while the first count is still scheduled: a render never waits for it).
   * Sequential processing is `undefined` until the scenario files were read; asking starts that.
   */
  storage(folderKey: string, scenario: string, now = true): ScenarioStorage | undefined {
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

  /** Settles when no read of the folder's scenario files is under way. */
  async whenSettled(folderKey: string): Promise<void> {
    for (let l = this.limits.get(folderKey); l?.loading; l = this.limits.get(folderKey)) await l.loading;
  }

  /** Forgets everything (Refresh): counts and scenario settings are read again on next need. */
  clear(): void {
    this.limits.clear();
  }

  /** Forgets a folder that is no longer open. */
  forget(folderKey: string): void {
    this.limits.delete(folderKey);
  }

  /** The folder's records changed wholesale: count its storage again on next need. */
  recount(folderKey: string): void {
    const l = this.limits.get(folderKey);
    if (l) l.usage = undefined;
  }

  /** Keeps the counts up to date for changed records; returns the scenarios whose warning changed. */
  applyChanges(
    folderKey: string,
    changed: readonly { readonly before: IncompleteExecution; readonly after: IncompleteExecution }[],
  ): string[] {
    const usage = this.limits.get(folderKey)?.usage;
    if (!usage) return [];
    const looks = new Map<string, string>();
    for (const { before, after } of changed) {
      for (const name of [before.scenario, after.scenario]) if (!looks.has(name)) looks.set(name, this.look(folderKey, name));
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
    return [...looks].filter(([name, look]) => look !== this.look(folderKey, name)).map(([name]) => name);
  }

  dispose(): void {
    this.subscription.dispose();
    this.limits.clear();
  }

  // -------------------------------------------------------------------------------------------

  private limitsOf(folderKey: string): FolderLimits {
    let l = this.limits.get(folderKey);
    if (!l) {
      l = { sequential: new Map(), tried: new Set(), generation: 0 };
      this.limits.set(folderKey, l);
    }
    return l;
  }

  /** Counts the folder's storage after the current render; then reports the scenarios that warn. */
  private scheduleUsage(folderKey: string, l: FolderLimits): void {
    if (l.usageScheduled) return;
    l.usageScheduled = true;
    setTimeout(() => {
      l.usageScheduled = false;
      const f = this.model.folder(folderKey);
      if (this.limits.get(folderKey) !== l || l.usage || !f) return;
      const usage = usageByScenario(f.records.values());
      l.usage = usage;
      for (const [name, u] of usage) if (u.notResolved > 0 && !l.tried.has(name)) this.loadSequential(folderKey);
      const warning = [...usage.keys()].filter((n) => this.look(folderKey, n) !== '');
      if (warning.length > 0) this.onDidChange(folderKey, warning);
    }, 0);
  }

  /** What a scenario group shows about the limits (a change of it refreshes the group). */
  private look(folderKey: string, scenario: string): string {
    const l = this.limits.get(folderKey);
    const u = l?.usage?.get(scenario);
    return u && l ? storageWarnings(scenarioStorage(scenario, u, l.sequential.get(scenario))).join('|') : '';
  }

  /** Reads the folder's scenario files (once) for `sequentialProcessing`; reports the scenarios whose warning changed. */
  private loadSequential(folderKey: string): void {
    const l = this.limitsOf(folderKey);
    if (l.loading) return;
    const generation = l.generation;
    const run = async (): Promise<void> => {
      const f = this.model.folder(folderKey);
      if (!f) return;
      const records = [...f.records.values()];
      const resolver = await scenarioResolverFor(folderScenarioFiles(f.folder), records);
      if (this.limits.get(folderKey) !== l || l.generation !== generation) return;
      const sequential = sequentialByScenarioFrom(records, resolver.resolve);
      const names = new Set([...l.sequential.keys(), ...sequential.keys()]);
      const looks = new Map([...names].map((n) => [n, this.look(folderKey, n)]));
      l.sequential = sequential;
      for (const r of records) if (r.status !== 'resolved') l.tried.add(r.scenario);
      const changed = [...looks].filter(([n, look]) => look !== this.look(folderKey, n)).map(([n]) => n);
      if (changed.length > 0) this.onDidChange(folderKey, changed);
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
    if (!wf || !matchesScenarioGlobs(uri)) return;
    const f = this.model.folders().find((x) => x.folder.uri.toString() === wf.uri.toString());
    const l = f ? this.limits.get(f.key) : undefined;
    if (!f || !l || (l.tried.size === 0 && !l.loading)) return;
    l.generation++;
    l.tried.clear();
    this.loadSequential(f.key);
  }
}
