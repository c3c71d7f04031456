/*
 * A simulation drawn on the failure map: for each bundle, the nodes it went through, the edges
 * between them, and where it ended (stored, stopped, failed, dropped, …). Reads a
 * `SimulationReport` of src/core/simulate; runs nothing itself and writes nothing.
 */
import type { Classification, Fault, Scenario, Span } from '../model';
import type { BundleReport, SimulationReport } from '../simulate/simulator';
import type { MapBuild } from './layout';

export type OverlayEventKind = 'stored-retry' | 'stored' | 'failed' | 'rolled-back' | 'stopped' | 'dropped' | 'resumed' | 'committed';

export interface OverlayEvent {
  /** The node of the module that failed. */
  readonly node: string;
  readonly bundle: number;
  readonly kind: OverlayEventKind;
  /** One line: "Bundle 2: ConnectionError (Connection reset) → stored, automatic retry". */
  readonly text: string;
}

export interface BundlePath {
  readonly bundle: number;
  readonly result: BundleReport['result'];
  /** Nodes the bundle reached, in the order it reached them (directive nodes of the routes that applied included). */
  readonly nodes: readonly string[];
  /** Edges whose two ends the bundle reached. */
  readonly edges: readonly string[];
  readonly events: readonly OverlayEvent[];
}

export interface SimulationOverlay {
  readonly runResult: SimulationReport['runResult'];
  readonly profile: SimulationReport['profile'];
  readonly bundles: readonly BundlePath[];
  /** The simulator's own summary lines. */
  readonly summary: readonly string[];
}

function eventKind(c: Classification): OverlayEventKind {
  switch (c.outcome) {
    case 'incomplete-with-retry':
      return 'stored-retry';
    case 'incomplete-without-retry':
      return 'stored';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return c.handler === 'rollback' ? 'rolled-back' : 'failed';
    case 'succeeded':
      return c.handler === 'ignore' ? 'dropped' : c.handler === 'commit' ? 'committed' : 'resumed';
    default:
      // An outcome that depends on what the simulation does not know is shown as a failure.
      return 'failed';
  }
}

const EVENT_WORDS: Readonly<Record<OverlayEventKind, string>> = {
  'stored-retry': 'stored as an incomplete execution, retried automatically',
  stored: 'stored as an incomplete execution, no automatic retry',
  failed: 'the run fails',
  'rolled-back': 'the run is rolled back (Rollback)',
  stopped: 'the run stops',
  dropped: 'ignored: this bundle goes no further on this route',
  resumed: 'resumed with the substitute output',
  committed: 'Commit: the run ends successfully',
};

/** The overlay of `report` (a simulation of the scenario `build` was made from). */
export function simulationOverlay(build: MapBuild, report: SimulationReport): SimulationOverlay {
  const edgesTo = new Map<string, { key: string; from: string }[]>();
  for (const e of build.map.edges) {
    const list = edgesTo.get(e.to);
    if (list) list.push({ key: e.key, from: e.from });
    else edgesTo.set(e.to, [{ key: e.key, from: e.from }]);
  }
  const bundles = report.bundles.map((b): BundlePath => {
    const nodes: string[] = [];
    const seen = new Set<string>();
    const events: OverlayEvent[] = [];
    const reach = (key: string | undefined): void => {
      if (key === undefined || seen.has(key)) return;
      seen.add(key);
      nodes.push(key);
    };
    for (const step of b.steps) {
      const key = build.nodeOfModule.get(step.moduleId);
      reach(key);
      if (step.status !== 'failed' || !step.classification || key === undefined) continue;
      const c = step.classification;
      if (c.route) reach(build.directiveOfRoute.get(c.route));
      const kind = eventKind(c);
      events.push({
        node: key,
        bundle: b.bundle,
        kind,
        text: `Bundle ${b.bundle}: ${c.errorType}${step.message ? ` (${step.message})` : ''} → ${EVENT_WORDS[kind]}.`,
      });
    }
    const edges: string[] = [];
    for (const key of nodes) {
      for (const e of edgesTo.get(key) ?? []) if (seen.has(e.from)) edges.push(e.key);
    }
    return { bundle: b.bundle, result: b.result, nodes, edges, events };
  });
  return { runResult: report.runResult, profile: report.profile, bundles, summary: report.summary };
}

/**
 * A copy of the scenario whose simulation is one bundle in which `moduleId` fails with
 * `errorType` (the map's "what if this module fails?"); everything else is the scenario itself.
 */
export function whatIfScenario(scenario: Scenario, moduleId: number, errorType: string): Scenario {
  const span: Span = scenario.simulation?.span ?? { start: 0, end: 0 };
  const fault: Fault = { module: moduleId, error: errorType, message: `${errorType} (what if)`, bundles: null, recoverAfter: null, span };
  return { ...scenario, simulation: { bundles: 1, faults: [fault], span } };
}
