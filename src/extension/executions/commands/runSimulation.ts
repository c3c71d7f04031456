/** Run Simulation: simulate the scenario, store what it stores, show a report. */
import * as vscode from 'vscode';
import { simulateAction, type SimulateResult } from '../../../core/executions/actions/simulate';
import type { SimulationReport } from '../../../core/simulate/simulator';
import type { CommandContext } from '../../shared/commandContext';
import { relativePath } from '../../shared/paths';
import { defaultProfile } from '../../shared/settings';
import { findScenarioFiles } from '../../shared/workspaceScenarioFiles';
import { isScenarioFileName } from '../../scenario/documentSelector';
import { guarded, withNotificationProgress } from './common';

export interface RunSimulationArgs {
  readonly uri?: vscode.Uri | string;
  /** Open the report document at once (default: a notification offers it). */
  readonly showReport?: boolean;
}

export interface RunSimulationResult {
  readonly report: SimulationReport;
  /** True when the stored executions were appended to the file. */
  readonly stored: boolean;
  readonly executionsFile?: vscode.Uri;
}

async function targetUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) {
    const u = (arg as RunSimulationArgs).uri;
    if (u instanceof vscode.Uri) return u;
    if (typeof u === 'string') return u.includes('://') ? vscode.Uri.parse(u) : vscode.Uri.file(u);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isScenarioFileName(active.path)) return active;
  const items: (vscode.QuickPickItem & { uri: vscode.Uri })[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const uri of await findScenarioFiles(folder)) {
      items.push({
        label: relativePath(folder, uri),
        description: (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? folder.name : undefined,
        uri,
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No scenario file was found in the workspace.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Scenario to simulate') });
  return picked?.uri;
}

export function reportMarkdown(report: SimulationReport, file: string, stored: string): string {
  const lines: string[] = [];
  lines.push(`# ${vscode.l10n.t('Simulation of {0}', report.scenario)}`, '');
  lines.push(`- ${vscode.l10n.t('File: {0}', file)}`);
  lines.push(`- ${vscode.l10n.t('Profile: {0}', report.profile)}`);
  lines.push(`- ${vscode.l10n.t('Run result: {0}', report.runResult)}`);
  lines.push(`- ${stored}`, '');
  lines.push(`## ${vscode.l10n.t('Bundles')}`, '');
  lines.push(
    `| ${vscode.l10n.t('Bundle')} | ${vscode.l10n.t('Result')} | ${vscode.l10n.t('Steps')} | ${vscode.l10n.t('Stored')} |`,
    '|---|---|---|---|',
  );
  for (const b of report.bundles) {
    const steps = b.steps
      .map((s) =>
        s.status === 'ok'
          ? `${s.moduleId} ✓`
          : `${s.moduleId} ✗ ${s.classification ? `${s.classification.errorType} → ${s.classification.outcome}` : ''}`,
      )
      .join(', ');
    lines.push(`| ${b.bundle} | ${b.result} | ${steps.replace(/\|/g, '\\|')} | ${b.stored.join(', ')} |`);
  }
  lines.push('', `## ${vscode.l10n.t('Summary')}`, '');
  for (const s of report.summary) lines.push(`- ${s}`);
  lines.push('');
  return lines.join('\n');
}

export async function runSimulationCommand(ctx: CommandContext, arg?: unknown): Promise<RunSimulationResult | undefined> {
  const title = vscode.l10n.t('Run Simulation');
  return guarded(ctx, title, async () => {
    const uri = await targetUri(arg);
    if (!uri) return undefined;
    const wf = vscode.workspace.getWorkspaceFolder(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const rel = wf ? relativePath(wf, uri) : uri.path;
    const folder = wf ? ctx.model.folderOf(wf) : undefined;
    // Stored only in a trusted workspace, in the executions file of the scenario's folder, on a local disk.
    const store = folder && vscode.workspace.isTrusted && folder.writable ? folder : undefined;
    const run = (executionsFile?: string): Promise<SimulateResult> =>
      simulateAction({
        file: document.fileName,
        text: document.getText(),
        ...(wf ? { scenarioFile: rel } : {}),
        profile: defaultProfile(uri),
        ...(executionsFile !== undefined
          ? {
              store: {
                executionsFile,
                around: (write) => withNotificationProgress(vscode.l10n.t('Storing the simulated incomplete executions…'), write),
              },
            }
          : {}),
      });
    const out = store ? await ctx.model.runWrite(store.key, run) : await run();
    if (out.kind === 'unusable') {
      const structural = out.structural[0];
      const where = structural ? `${rel}:${structural.range.start.line + 1}:${structural.range.start.character + 1}` : rel;
      throw new Error(`${where}: ${structural?.message ?? vscode.l10n.t('the scenario cannot be read')}`);
    }
    const { report, stored } = out;
    ctx.log.info(`Simulated ${rel}: ${report.runResult}, ${report.executions.length} incomplete execution(s)`);
    let storedText: string;
    if (report.executions.length === 0) storedText = vscode.l10n.t('No incomplete execution would be stored.');
    else if (!folder)
      storedText = vscode.l10n.t(
        '{0} incomplete executions would be stored (not saved: the scenario is outside the workspace folders).',
        report.executions.length,
      );
    else if (!vscode.workspace.isTrusted)
      storedText = vscode.l10n.t(
        '{0} incomplete executions would be stored (not saved: the workspace is not trusted).',
        report.executions.length,
      );
    else if (!folder.writable)
      storedText = vscode.l10n.t(
        '{0} incomplete executions would be stored (not saved: the executions file is read-only here).',
        report.executions.length,
      );
    else
      storedText = vscode.l10n.t(
        '{0} incomplete executions stored in {1}.',
        report.executions.length,
        vscode.workspace.asRelativePath(folder.uri),
      );
    const markdown = reportMarkdown(report, rel, storedText);
    const openReport = async (): Promise<void> => {
      // a read-only document (an untitled one would stay as an unsaved tab asking to be saved)
      const uri = ctx.details.create(vscode.l10n.t('Simulation of {0}', report.scenario), markdown);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    };
    const wantsReport = typeof arg === 'object' && arg !== null && 'showReport' in arg ? (arg as RunSimulationArgs).showReport : undefined;
    if (wantsReport === true) await openReport();
    else if (wantsReport !== false) {
      const show = vscode.l10n.t('Show Report');
      const message = vscode.l10n.t('Simulation of {0}: {1}. {2}', report.scenario, report.runResult, storedText);
      void vscode.window.showInformationMessage(message, show).then((choice) => (choice === show ? openReport() : undefined));
    }
    return { report, stored, executionsFile: folder?.uri };
  });
}
