/*
 * "Run simulation" and the flow engine the retry operation replays with.
 *
 * Semantics (decisions where the spec is silent are marked •):
 * - Bundles 1..N go through the flow one after another. At each module the first fault of
 *   `simulation.faults` naming that module whose `bundles` list contains the bundle (null = all)
 *   makes it fail with the fault's error type; the failure is classified (classify/classifier.ts).
 * - A router passes the bundle to each of its routes in order; the routes are independent
 *   branches (a stored / dropped branch does not stop its sibling routes).
 * - Outcomes: stored (incomplete-with/without-retry) → one incomplete execution for this bundle,
 *   this branch ends; resume → the module's output is the substitute and the branch goes on;
 *   ignore → the branch is dropped; commit / failed (incl. rollback) / stopped → the whole run
 *   ends, the bundles not processed yet are reported 'not-processed'.
 * • The modules of the handler route that applied run (as a sub-branch) before its directive.
 *   They can fail too (a fault on them): such a failure is classified and handled like any other
 *   (it may store its own incomplete execution, drop the sub-branch, or end the whole run); unless
 *   it ended the run, the route's directive then applies as usual.
 * • Modules listed after a router in the same list (Make's editor never produces this) run once
 *   per bundle after all the router's routes, unless the run ended.
 * • Faults on a router apply like on any module (the router "fails" before routing).
 * • Bundle result when several branches end differently: stopped > failed > stored > dropped >
 *   completed. A Commit ends the run successfully: its bundle counts as 'completed'.
 * • Run result: 'stopped' / 'failed' when the run ended so; otherwise 'warning' when something was
 *   stored or dropped, else 'success'.
 * • Every record stored by one simulation gets the same timestamp (one clock reading).
 * • Fault with `recoverAfter: n`: the original run is "retry number 0", so it always fails there;
 *   retry number k (k ≥ 1) fails while k < n.
 */
import { randomBytes } from 'node:crypto';
import { classify, effectiveProfile } from '../classify/classifier';
import { unknownWords } from '../classify/outcomes';
import { maxAttempts, nextRetryAt, retryPolicyFor } from '../executions/schedule';
import type { Classification, Fault, IfElseBranch, Profile, Scenario, ScenarioModule } from '../model';
import type { Clock, HistoryEntry, IncompleteExecution } from '../executions/model';
import { systemClock } from '../executions/model';
import { MAX_SIMULATION_BUNDLES } from './limits';

export interface ModuleStep {
  readonly moduleId: number;
  /** 'ok' = the module ran; otherwise the failure and its classification. */
  readonly status: 'ok' | 'failed';
  readonly classification?: Classification;
  /** The failing error's message (failed steps). */
  readonly message?: string;
}

export interface BundleReport {
  /** 1-based bundle number. */
  readonly bundle: number;
  /** 'completed' | 'stored' (one or more incomplete executions) | 'dropped' | 'failed' | 'stopped' | 'not-processed' */
  readonly result: 'completed' | 'stored' | 'dropped' | 'failed' | 'stopped' | 'not-processed';
  readonly steps: readonly ModuleStep[];
  /** Ids of the executions stored for this bundle. */
  readonly stored: readonly string[];
}

export interface SimulationReport {
  readonly scenario: string;
  readonly profile: Profile;
  /** 'success' | 'warning' (something stored or dropped) | 'failed' | 'stopped' */
  readonly runResult: 'success' | 'warning' | 'failed' | 'stopped';
  readonly bundles: readonly BundleReport[];
  /** New records to append to the executions file. */
  readonly executions: readonly IncompleteExecution[];
  /** Human-readable lines (the CLI prints them, the extension shows them). */
  readonly summary: readonly string[];
}

export interface SimulateOptions {
  readonly clock?: Clock;
  /** Workspace-relative path recorded in each stored execution's `scenarioFile`. */
  readonly scenarioFile?: string;
  readonly profile?: Profile;
  /** Id generator for stored executions (tests inject a deterministic one). */
  readonly newId?: () => string;
}

/**
 * Default id generator: `ie-` + 24 hex characters (96 random bits), so ids of many simulations
 * stored in one file do not collide (with 24 bits, four 10,000-bundle runs already did).
 */
export function randomExecutionId(): string {
  return `ie-${randomBytes(12).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Flow engine (shared with operations.ts)
// ---------------------------------------------------------------------------------------------

/** The first fault that makes `moduleId` fail for this bundle at this retry number (0 = the original run). */
export function activeFault(faults: readonly Fault[], moduleId: number, bundle: number | null, retryNumber: number): Fault | undefined {
  return faults.find(
    (f) =>
      f.module === moduleId &&
      (f.bundles === null || (bundle !== null && f.bundles.includes(bundle))) &&
      (f.recoverAfter === null || retryNumber < f.recoverAfter),
  );
}

export function faultMessage(f: Fault): string {
  return f.message ?? `${f.error} (simulated fault)`;
}

/** What the engine reports back for a failure that was not absorbed (stored, failed, stopped). */
export interface FlowFailure {
  readonly module: ScenarioModule;
  readonly fault: Fault;
  readonly classification: Classification;
}

export type FlowSignal = 'ok' | 'branch-ended' | 'run-ended';

/** Hooks the engine calls; the simulator stores records, the retry operation stops at the first failure. */
export interface FlowHooks {
  /** A stored outcome: returns how far it ends things ('branch-ended' in a simulation). */
  onStored(failure: FlowFailure): FlowSignal;
  /**
   * failed / stopped / rollback: the run ends. Also `unknown` (the route that caught the error ends
   * with a directive Fusion does not know): nothing can be said about what follows, so the run is
   * not simulated further.
   */
  onRunFailure(failure: FlowFailure): void;
  /** Ignore directive: this branch is dropped. */
  onDropped(failure: FlowFailure): void;
  /** Commit directive: the run ends successfully. */
  onCommit(failure: FlowFailure): void;
  /** Resume directive: the substitute output flows on. */
  onResumed(failure: FlowFailure): void;
}

export interface FlowContext {
  readonly scenario: Scenario;
  readonly profile: Profile;
  readonly bundle: number | null;
  readonly retryNumber: number;
  readonly steps: ModuleStep[];
  readonly hooks: FlowHooks;
}

/** Runs `list` from index `from` for one bundle. */
export function runList(list: readonly ScenarioModule[], from: number, ctx: FlowContext): FlowSignal {
  for (let i = from; i < list.length; i++) {
    const signal = runModule(list[i], ctx);
    if (signal !== 'ok') return signal;
  }
  return 'ok';
}

/**
 * A classification that still depends on something after the fault's message was given (a bundle's
 * data, an expression in Break's settings) is simulated in its worst case (the one `classify`
 * reports at the top level); `cases` stays on it so a caller can say so.
 */
export function simulatedCase(c: Classification): Classification & { readonly outcome: Exclude<Classification['outcome'], 'depends'> } {
  if (c.outcome !== 'depends') return c as Classification & { readonly outcome: Exclude<Classification['outcome'], 'depends'> };
  return { ...c, outcome: c.worst ?? 'failed' };
}

function runModule(m: ScenarioModule, ctx: FlowContext): FlowSignal {
  const faults = ctx.scenario.simulation?.faults ?? [];
  const fault = activeFault(faults, m.id, ctx.bundle, ctx.retryNumber);
  if (fault) {
    const c = simulatedCase(classify(ctx.scenario, m.id, fault.error, ctx.profile, faultMessage(fault)));
    ctx.steps.push({ moduleId: m.id, status: 'failed', classification: c, message: faultMessage(fault) });
    const failure: FlowFailure = { module: m, fault, classification: c };
    const caught = c.handlerRoute ?? c.route;
    if (c.handler !== null && caught && caught.modules.length > 0) {
      const sub = runList(caught.modules, 0, ctx);
      if (sub === 'run-ended') return 'run-ended';
    }
    switch (c.outcome) {
      case 'incomplete-with-retry':
      case 'incomplete-without-retry':
        return ctx.hooks.onStored(failure);
      case 'succeeded':
        if (c.handler === 'ignore') {
          ctx.hooks.onDropped(failure);
          return 'branch-ended';
        }
        if (c.handler === 'commit') {
          ctx.hooks.onCommit(failure);
          return 'run-ended';
        }
        ctx.hooks.onResumed(failure); // resume: the substitute output flows on
        break;
      case 'failed':
      case 'stopped':
      case 'unknown':
        ctx.hooks.onRunFailure(failure);
        return 'run-ended';
    }
  } else {
    ctx.steps.push({ moduleId: m.id, status: 'ok' });
  }
  if (m.isRouter) {
    for (const route of m.routes) {
      if (runList(route.modules, 0, ctx) === 'run-ended') return 'run-ended';
    }
  }
  if (m.kind === 'if-else') {
    // Exactly one branch runs per bundle; the simulation has no bundle data to test conditions on,
    // so it takes the branch `simulation.branches` names for this bundle, else the first enabled one.
    const branch = chosenBranch(m, ctx);
    if (!branch) return 'branch-ended';
    const signal = runList(branch.modules, 0, ctx);
    if (signal !== 'ok') return signal;
    // A branch that does not merge ends the bundle's way here; a merging one goes on to the Merge.
    return branch.merge ? 'ok' : 'branch-ended';
  }
  return 'ok';
}

/** The branch of an if-else a bundle takes in a simulation. */
export function chosenBranch(m: ScenarioModule, ctx: Pick<FlowContext, 'scenario' | 'bundle'>): IfElseBranch | undefined {
  const branches = m.branches ?? [];
  const choice = ctx.scenario.simulation?.branches?.find(
    (b) => b.module === m.id && (b.bundles === null || (ctx.bundle !== null && b.bundles.includes(ctx.bundle))),
  );
  if (choice) {
    const picked =
      choice.branch === 'else'
        ? branches.find((b) => b.isElse)
        : typeof choice.branch === 'number'
          ? branches[choice.branch - 1]
          : branches.find((b) => b.name === choice.branch);
    if (picked && !picked.disabled) return picked;
  }
  return branches.find((b) => !b.disabled);
}

/**
 * Where a module sits: the list that contains it and its index there. The retry continues with
 * the rest of that list ("the rest of that branch").
 */
export function locateModule(scenario: Scenario, moduleId: number): { list: readonly ScenarioModule[]; index: number } | undefined {
  const visit = (list: readonly ScenarioModule[]): { list: readonly ScenarioModule[]; index: number } | undefined => {
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      if (m.id === moduleId) return { list, index: i };
      for (const r of m.onError) {
        const hit = visit(r.modules);
        if (hit) return hit;
      }
      for (const r of m.routes) {
        const hit = visit(r.modules);
        if (hit) return hit;
      }
      for (const b of m.branches ?? []) {
        const hit = visit(b.modules);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return visit(scenario.modules);
}

// ---------------------------------------------------------------------------------------------
// Simulation
// ---------------------------------------------------------------------------------------------

type BundleResult = BundleReport['result'];
const RESULT_RANK: Record<BundleResult, number> = { 'not-processed': -1, completed: 0, dropped: 1, stored: 2, failed: 3, stopped: 4 };

export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationReport {
  const profile = effectiveProfile(scenario, options.profile);
  const now = (options.clock ?? systemClock)();
  const iso = now.toISOString();
  const used = new Set<string>();
  const gen = options.newId ?? randomExecutionId;
  const newId = (): string => {
    let id = gen();
    for (let i = 0; used.has(id) && i < 20; i++) id = gen();
    if (used.has(id)) throw new Error(`The id generator keeps returning "${id}".`);
    used.add(id);
    return id;
  };

  const bundleCount = Math.max(0, Math.floor(scenario.simulation?.bundles ?? 1));
  if (!(bundleCount <= MAX_SIMULATION_BUNDLES)) {
    // The parsers refuse such a scenario (invalid-scenario); a scenario built in code is refused here.
    throw new RangeError(`simulation.bundles is at most ${MAX_SIMULATION_BUNDLES}; found ${scenario.simulation?.bundles}`);
  }
  const executions: IncompleteExecution[] = [];
  const reports: BundleReport[] = [];
  const lines: string[] = [];
  const state: { runEnd: 'failed' | 'stopped' | 'commit' | null } = { runEnd: null };
  let endedAt = 0;

  for (let b = 1; b <= bundleCount; b++) {
    if (state.runEnd) {
      reports.push({ bundle: b, result: 'not-processed', steps: [], stored: [] });
      continue;
    }
    const steps: ModuleStep[] = [];
    const stored: string[] = [];
    let result: BundleResult = 'completed';
    const raise = (r: BundleResult): void => {
      if (RESULT_RANK[r] > RESULT_RANK[result]) result = r;
    };
    const notes: string[] = [];
    const ctx: FlowContext = {
      scenario,
      profile,
      bundle: b,
      retryNumber: 0,
      steps,
      hooks: {
        onStored: ({ module, fault, classification }) => {
          const policy = retryPolicyFor(classification);
          const next = nextRetryAt(policy, 0, now);
          const bundleData = { bundle: b };
          const id = newId();
          const history: HistoryEntry[] = [{ at: iso, action: 'created', result: 'stored', error: fault.error }];
          const record: IncompleteExecution = {
            id,
            origin: 'simulation',
            scenario: scenario.name,
            ...(options.scenarioFile !== undefined ? { scenarioFile: options.scenarioFile } : {}),
            moduleId: module.id,
            moduleName: module.name ?? module.app,
            error: { type: fault.error, message: faultMessage(fault) },
            status: classification.autoRetry && next ? 'pending' : 'unresolved',
            autoRetry: classification.autoRetry,
            attempts: 0,
            maxAttempts: maxAttempts(policy),
            nextRetryAt: next ? next.toISOString() : null,
            created: iso,
            updated: iso,
            size: new TextEncoder().encode(JSON.stringify(bundleData)).length,
            bundle: bundleData,
            bundleNumber: b,
            history,
          };
          executions.push(record);
          stored.push(id);
          raise('stored');
          notes.push(
            `module ${describeModule(module)} failed with ${fault.error} → incomplete execution ${id} stored ${
              classification.autoRetry && next
                ? `(automatic retry at ${next.toISOString()}, ${maxAttempts(policy)} attempts)`
                : '(no automatic retry)'
            }`,
          );
          return 'branch-ended';
        },
        onRunFailure: ({ module, fault, classification }) => {
          if (classification.outcome === 'unknown') {
            // No claim about the run: it is not simulated further and counts as failed (nothing stored).
            state.runEnd = 'failed';
            raise('failed');
            notes.push(
              `module ${describeModule(module)} failed with ${fault.error} → ${unknownWords(classification.unknownDirective)}; the simulation does not follow this run further (counted as failed, nothing stored)`,
            );
            return;
          }
          const end = classification.outcome === 'stopped' ? 'stopped' : 'failed';
          state.runEnd = end;
          raise(end);
          notes.push(
            `module ${describeModule(module)} failed with ${fault.error} → the run ${
              classification.outcome === 'stopped' ? 'stops' : classification.handler === 'rollback' ? 'is rolled back (Rollback)' : 'fails'
            }${classification.storesIncompleteExecution ? '' : ', nothing stored'}`,
          );
        },
        onDropped: ({ module, fault }) => {
          raise('dropped');
          notes.push(`module ${describeModule(module)} failed with ${fault.error} → ignored, this branch is dropped`);
        },
        onCommit: ({ module, fault }) => {
          state.runEnd = 'commit';
          notes.push(`module ${describeModule(module)} failed with ${fault.error} → Commit ends the run successfully`);
        },
        onResumed: ({ module, fault }) => {
          notes.push(`module ${describeModule(module)} failed with ${fault.error} → resumed with the substitute output`);
        },
      },
    };
    runList(scenario.modules, 0, ctx);
    if (state.runEnd) endedAt = b;
    reports.push({ bundle: b, result, steps, stored });
    lines.push(`Bundle ${b}: ${result}${notes.length ? ` — ${notes.join('; ')}` : ''}.`);
  }

  const runResult: SimulationReport['runResult'] =
    state.runEnd === 'stopped'
      ? 'stopped'
      : state.runEnd === 'failed'
        ? 'failed'
        : reports.some((r) => r.result === 'stored' || r.result === 'dropped')
          ? 'warning'
          : 'success';

  const notProcessed = reports.filter((r) => r.result === 'not-processed').map((r) => r.bundle);
  if (notProcessed.length > 0) {
    lines.push(
      `Bundle${notProcessed.length > 1 ? 's' : ''} ${formatRanges(notProcessed)}: not processed (the run ended at bundle ${endedAt}).`,
    );
  }
  const counts = new Map<BundleResult, number>();
  for (const r of reports) counts.set(r.result, (counts.get(r.result) ?? 0) + 1);
  const countText = (['completed', 'stored', 'dropped', 'failed', 'stopped', 'not-processed'] as const)
    .filter((k) => counts.has(k))
    .map((k) => `${counts.get(k)} ${k === 'not-processed' ? 'not processed' : k}`)
    .join(', ');
  const header = `Simulated ${bundleCount} bundle${bundleCount === 1 ? '' : 's'} of "${scenario.name}" (profile ${profile}): ${countText || 'nothing to do'}.`;
  const footer = `Run result: ${runResult}; ${executions.length} incomplete execution${executions.length === 1 ? '' : 's'} stored${
    executions.length ? ` (${executions.filter((e) => e.autoRetry).length} with automatic retry)` : ''
  }.`;

  return { scenario: scenario.name, profile, runResult, bundles: reports, executions, summary: [header, ...lines, footer] };
}

function describeModule(m: ScenarioModule): string {
  return m.name ? `${m.id} (${m.name})` : String(m.id);
}

/** [3,4,5,7] → "3–5, 7" */
function formatRanges(nums: readonly number[]): string {
  const parts: string[] = [];
  let start = nums[0];
  let prev = nums[0];
  for (let i = 1; i <= nums.length; i++) {
    const n = nums[i];
    if (n === prev + 1) {
      prev = n;
      continue;
    }
    parts.push(start === prev ? String(start) : `${start}–${prev}`);
    start = n;
    prev = n;
  }
  return parts.join(', ');
}
