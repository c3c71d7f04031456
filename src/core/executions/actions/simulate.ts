/**
 * Run Simulation: runs a scenario's `simulation:` block (see simulate/simulator.ts) and, when
 * asked, appends the incomplete executions it stores to the executions file (created when
 * missing). A scenario with a structural problem (syntax, invalid structure, ...) is not simulated.
 */
import { lintScenario, structuralFindings } from '../../lint/lint';
import type { Finding, Profile, Scenario } from '../../model';
import { simulate, type SimulationReport } from '../../simulate/simulator';
import type { Clock } from '../model';
import { appendExecutions } from '../operations';
import { updateExecutionsFile } from '../store';

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
  const toStore = report.executions;
  let stored = false;
  const { store } = input;
  if (toStore.length > 0 && store) {
    const write = async (): Promise<void> => {
      await updateExecutionsFile(store.executionsFile, (doc) => ({ doc: appendExecutions(doc, toStore), result: undefined }), {
        create: true,
      });
    };
    await (store.around ? store.around(write) : write());
    stored = true;
  }
  return { kind: 'simulated', scenario, report, stored };
}
