/** `simulate`: runs a scenario's simulation and stores the incomplete executions it produces. */
import * as path from 'node:path';
import { simulateAction, type SimulateResult } from '../../core/executions/actions/simulate';
import type { SimulationReport } from '../../core/simulate/simulator';
import { toWorkspaceRelative } from '../../core/scenario/workspace';
import { EXECUTIONS_OPTIONS, HELP_OPTIONS, JSON_OPTION, PROFILE_OPTION, boolOpt, onePositional, profileOpt, type Command } from '../args';
import { EXIT_OK } from '../errors';
import { classificationJson } from './classify';
import { actionError, displayPath, executionsTarget, readTextFile, unusableScenarioError } from '../files';

function reportJson(report: SimulationReport): Record<string, unknown> {
  return {
    scenario: report.scenario,
    profile: report.profile,
    runResult: report.runResult,
    bundles: report.bundles.map((b) => ({
      bundle: b.bundle,
      result: b.result,
      stored: b.stored,
      steps: b.steps.map((s) => ({
        moduleId: s.moduleId,
        status: s.status,
        ...(s.classification ? { classification: classificationJson(s.classification) } : {}),
      })),
    })),
    summary: report.summary,
    executions: report.executions,
  };
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: "Run the scenario's simulation (bundles, injected faults) and store the incomplete executions it produces.",
  usage: 'simulate <scenario> [--json] [--dry-run] [--executions FILE] [--workspace DIR] [--profile fusion|make]',
  details: [
    "The scenario's `simulation:` block says how many bundles to feed and which modules fail.",
    'Stored executions are appended to the executions file (created when missing).',
    '',
    'Exit codes: 0 the simulation ran (whatever its outcome); 2 usage mistake, unreadable file,',
    '            or a scenario with a structural error.',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    'dry-run': { type: 'boolean', short: 'n', description: 'Report what would be stored, write nothing.' },
    ...EXECUTIONS_OPTIONS,
    ...PROFILE_OPTION,
    ...HELP_OPTIONS,
  },
  async run(ctx) {
    const file = onePositional(ctx, 'the scenario file');
    const profile = profileOpt(ctx);
    const target = executionsTarget(ctx);
    const dryRun = boolOpt(ctx.values, 'dry-run');
    const shown = displayPath(file, ctx.cwd);
    const abs = path.resolve(ctx.cwd, file);
    const text = readTextFile(file, ctx.cwd);
    const relative = toWorkspaceRelative(target.workspace, abs);
    // A path outside the workspace is not stored: a retry does not follow `../` out of the
    // workspace, so such a record is found by its scenario name instead.
    const outside = relative.startsWith('../') || path.isAbsolute(relative);
    let out: SimulateResult;
    try {
      out = await simulateAction({
        file: abs,
        text,
        ...(outside ? {} : { scenarioFile: relative }),
        ...(profile ? { profile } : {}),
        ...(dryRun ? {} : { store: { executionsFile: target.file } }),
      });
    } catch (e) {
      actionError(e, target, ctx.cwd);
    }
    if (out.kind === 'unusable') throw unusableScenarioError(shown, out.structural);
    const { report } = out;
    const toStore = report.executions;

    if (boolOpt(ctx.values, 'json')) {
      const json = {
        ...reportJson(report),
        file: shown,
        executionsFile: target.shown,
        stored: dryRun ? 0 : toStore.length,
        dryRun,
      };
      ctx.out(JSON.stringify(json, null, 2) + '\n');
    } else {
      const lines = [`${shown}: simulated "${report.scenario}" (profile ${report.profile}) — run result: ${report.runResult}`];
      for (const l of report.summary) lines.push(`  ${l}`);
      if (toStore.length === 0) lines.push('No incomplete executions stored.');
      else if (dryRun) lines.push(`Would store ${toStore.length} incomplete execution(s) in ${target.shown} (--dry-run: nothing written).`);
      else lines.push(`Stored ${toStore.length} incomplete execution(s) in ${target.shown}: ${toStore.map((x) => x.id).join(', ')}`);
      ctx.out(lines.join('\n') + '\n');
    }
    if (outside && toStore.length > 0 && !dryRun) {
      ctx.err(
        `note: ${shown} is outside the workspace ${target.workspace}; its path is not stored, so retries look the scenario up by name (use --workspace).\n`,
      );
    }
    return EXIT_OK;
  },
};
