/**
 * Run Simulation: runs a scenario's `simulation:` block (see simulate/simulator.ts) and, when
 * asked, appends the incomplete executions it stores to the executions file (created when
 * missing). A scenario with a structural problem (syntax, invalid structure, ...) is not simulated.
 */
import { lintScenario, structuralFindings } from '../../lint/lint';
import type { Finding, Profile, Scenario } from '../../model';
import { randomExecutionId, simulate, type SimulationReport } from '../../simulate/simulator';
import type { Clock } from '../model';
import { appendExecutions } from '../operations';
import { updateExecutions } from '../store';

export interface SimulateInput {
  /** The scenario file's path (its name decides YAML or blueprint JSON) and its text. */
  readonly file: string;
  readonly text: string;
  /** Workspace-relative path recorded in the stored records (omitted: they are found by name). */
  readonly scenarioFile?: string;
  /** For a scenario that does not set `settings.profile`. */
  readonly profile?: Profile;
  readonly clock?: Clock;
  /** Where to store what the simulation stores; omitted: nothing is written (a dry run). */
  readonly store?: {
    readonly executionsFile: string;
    /** Runs the write, only when there is something to store (e.g. inside a progress notification). */
    readonly around?: (write: () => Promise<void>) => Promise<void>;
  };
}

export type SimulateResult =
  | {
      readonly kind: 'unusable';
      /** The structural findings, first one first (empty when the text gives no scenario at all). */
      readonly structural: readonly Finding[];
    }
  | {
      readonly kind: 'simulated';
      readonly scenario: Scenario;
      readonly report: SimulationReport;
      /** Whether the report's executions were appended to the executions file. */
      readonly stored: boolean;
    };

export async function simulateAction(input: SimulateInput): Promise<SimulateResult> {
  const parsed = lintScenario(input.file, input.text, input.profile ? { profile: input.profile } : {});
  const structural = structuralFindings(parsed.findings);
  if (structural.length > 0 || !parsed.scenario) return { kind: 'unusable', structural };
  const scenario = parsed.scenario;
  const report = simulate(scenario, {
    ...(input.scenarioFile !== undefined ? { scenarioFile: input.scenarioFile } : {}),
    ...(input.profile ? { profile: input.profile } : {}),
    ...(input.clock ? { clock: input.clock } : {}),
  });
  let final = report;
  let stored = false;
  const { store } = input;
  if (report.executions.length > 0 && store) {
    const write = async (): Promise<void> => {
      final = await updateExecutions(
        store.executionsFile,
        (doc) => {
          // Random ids (96 bits) practically never meet one already in the file; if one does, that
          // record gets a fresh id rather than the save failing on a duplicate.
          const withIds = withFreshIds(report, new Set(doc.executions.map((e) => e.id)));
          return { doc: appendExecutions(doc, withIds.executions), result: withIds };
        },
        { create: true },
      );
    };
    await (store.around ? store.around(write) : write());
    stored = true;
  }
  return { kind: 'simulated', scenario, report: final, stored };
}

/** The report with every stored id that is in `taken` replaced by a new random one (everywhere it is shown). */
function withFreshIds(report: SimulationReport, taken: ReadonlySet<string>): SimulationReport {
  const renamed = new Map<string, string>();
  const used = new Set(report.executions.map((e) => e.id));
  for (const e of report.executions) {
    if (!taken.has(e.id)) continue;
    let id = randomExecutionId();
    while (taken.has(id) || used.has(id)) id = randomExecutionId();
    used.add(id);
    renamed.set(e.id, id);
  }
  if (renamed.size === 0) return report;
  const rename = (id: string): string => renamed.get(id) ?? id;
  const renameText = (text: string): string => text.replace(/\bie-[0-9a-z]+\b/g, (id) => rename(id));
  return {
    ...report,
    executions: report.executions.map((e) => (renamed.has(e.id) ? { ...e, id: rename(e.id) } : e)),
    bundles: report.bundles.map((b) => ({ ...b, stored: b.stored.map(rename) })),
    summary: report.summary.map(renameText),
  };
}
