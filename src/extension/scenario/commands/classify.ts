import * as vscode from 'vscode';
import { ERROR_TYPES, lookupErrorType } from '../../../core/catalogue/catalogue';
import { classify, effectiveProfile } from '../../../core/classify/classifier';
import { lintScenario, structuralFindings } from '../../../core/lint/lint';
import { findModule, isFlowControl, walkModules, type Classification, type Scenario, type ScenarioModule } from '../../../core/model';
import type { CommandContext } from '../../shared/commandContext';
import type { DetailsDocuments } from '../../shared/readOnlyDocuments';
import { isScenarioDocument, scenarioFileName } from '../documentSelector';
import { errorText, showErrorWithLog } from '../../shared/messages';
import { displayPath } from '../../shared/paths';
import { moduleLabel } from '../modules';
import { outcomeLabel, profileLine } from '../presentation';
import { defaultProfile } from '../../shared/settings';
import { findScenarioFiles } from '../../shared/workspaceScenarioFiles';

/**
 * Classify Failure…: `(uri?, moduleId?, errorType?)`. From a CodeLens or hover it gets the file
 * and the module; from the palette it asks (active scenario editor, else a file picker; then a
 * module picker; then the error type). Returns the Classification (undefined when cancelled or
 * impossible) so callers and tests can use it; the message it shows is not awaited.
 */
export async function classifyFailureCommand(
  ctx: CommandContext,
  target?: unknown,
  moduleArg?: unknown,
  errorArg?: unknown,
  messageArg?: unknown,
): Promise<Classification | undefined> {
  const { log, details } = ctx;
  try {
    const doc = await resolveDocument(target);
    if (!doc) return undefined;
    const profileSetting = defaultProfile(doc.uri);
    const linted = lintScenario(scenarioFileName(doc), doc.getText(), { profile: profileSetting });
    const where = displayPath(doc.uri);
    const structural = structuralFindings(linted.findings)[0];
    if (structural || !linted.scenario) {
      const line = structural ? structural.range.start.line + 1 : 1;
      const message = structural
        ? vscode.l10n.t('Cannot classify: {0}:{1}: {2} ({3})', where, line, structural.message, structural.code)
        : vscode.l10n.t('Cannot classify: {0} is not a usable scenario', where);
      log.error(message);
      const showProblems = vscode.l10n.t('Show Problems');
      void vscode.window.showErrorMessage(message, showProblems).then((choice) => {
        if (choice === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return undefined;
    }
    const scenario = linted.scenario;
    const module = await resolveModule(scenario, moduleArg, where, log);
    if (!module) return undefined;
    const errorType = await resolveErrorType(errorArg);
    if (errorType === undefined) return undefined;
    const profile = effectiveProfile(scenario, profileSetting);
    const message = typeof messageArg === 'string' ? messageArg : undefined;
    const result = classify(scenario, module.id, errorType, profile, message);
    log.info(`Classify ${where} module ${module.id} ${errorType} (${profile}): ${result.outcome} — ${result.reason}`);
    const showDetailsLabel = vscode.l10n.t('Show Details');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t(
          'Module {0} failing with {1}: {2}. {3}',
          module.id,
          errorType,
          outcomeLabel(result.outcome, result.dependsOn, result.unknownDirective),
          result.reason,
        ),
        showDetailsLabel,
      )
      .then((choice) => {
        if (choice === showDetailsLabel) void showDetails(details, where, module, result, scenario.settings.profile !== undefined);
      });
    return result;
  } catch (err) {
    showErrorWithLog(log, vscode.l10n.t('Classify Failure failed: {0}', errorText(err)), err);
    return undefined;
  }
}

async function resolveDocument(target: unknown): Promise<vscode.TextDocument | undefined> {
  if (target instanceof vscode.Uri) return vscode.workspace.openTextDocument(target);
  if (typeof target === 'string' && target !== '') return vscode.workspace.openTextDocument(vscode.Uri.parse(target));
  const active = vscode.window.activeTextEditor?.document;
  if (active && isScenarioDocument(active)) return active;
  const found = new Map<string, vscode.Uri>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const uri of await findScenarioFiles(folder)) found.set(uri.toString(), uri);
  }
  if (found.size === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No scenario files (*.scenario.yaml, *.blueprint.json) in this workspace.'));
    return undefined;
  }
  const items = [...found.values()].map((uri) => ({ label: displayPath(uri), uri })).sort((a, b) => a.label.localeCompare(b.label));
  const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Scenario file to classify a failure in') });
  return pick ? vscode.workspace.openTextDocument(pick.uri) : undefined;
}

async function resolveModule(
  scenario: Scenario,
  moduleArg: unknown,
  where: string,
  log: vscode.LogOutputChannel,
): Promise<ScenarioModule | undefined> {
  const id =
    typeof moduleArg === 'number' ? moduleArg : typeof moduleArg === 'string' && moduleArg.trim() !== '' ? Number(moduleArg) : undefined;
  if (id !== undefined) {
    const module = Number.isInteger(id) ? findModule(scenario, id) : undefined;
    if (!module) {
      const message = vscode.l10n.t('Module {0} does not exist in {1}.', String(moduleArg), where);
      log.error(message);
      void vscode.window.showErrorMessage(message);
    }
    return module;
  }
  const items = [...walkModules(scenario.modules)]
    .filter((m) => !isFlowControl(m))
    .map((m) => ({
      label: String(m.id),
      description: m.app,
      detail:
        m.handlerOf !== undefined ? `${m.name ?? ''} ${vscode.l10n.t('(in the error handler of module {0})', m.handlerOf)}`.trim() : m.name,
      module: m,
    }));
  const pick = await vscode.window.showQuickPick(items, {
    placeHolder: vscode.l10n.t('Module that fails'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (pick) log.debug(`Picked module ${moduleLabel(pick.module)}`);
  return pick?.module;
}

async function resolveErrorType(errorArg: unknown): Promise<string | undefined> {
  if (typeof errorArg === 'string' && errorArg.trim() !== '') return errorArg.trim();
  const custom = {
    label: `$(edit) ${vscode.l10n.t('Custom error type…')}`,
    description: '',
    detail: vscode.l10n.t("A name the catalogue does not know, e.g. a custom app's"),
    name: '',
  };
  const items = [...ERROR_TYPES.map((t) => ({ label: t.name, description: t.family, detail: t.meaning, name: t.name })), custom];
  const pick = await vscode.window.showQuickPick(items, {
    placeHolder: vscode.l10n.t('Error type the module fails with'),
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  if (pick !== custom) return pick.name;
  const name = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('Error type name'),
    placeHolder: 'BundleValidationError',
    validateInput: (v) => (/^\S+$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter one name without spaces')),
  });
  return name?.trim() || undefined;
}

async function showDetails(
  details: DetailsDocuments,
  where: string,
  module: ScenarioModule,
  c: Classification,
  fromFile: boolean,
): Promise<void> {
  const info = lookupErrorType(c.errorType);
  const yes = vscode.l10n.t('yes');
  const no = vscode.l10n.t('no');
  const lines = [
    `# ${vscode.l10n.t('Classification')}: ${where}`,
    '',
    `| | |`,
    `|---|---|`,
    `| ${vscode.l10n.t('Module')} | ${moduleLabel(module)} |`,
    `| ${vscode.l10n.t('Error type')} | ${c.errorType}${info ? ` (${info.family})` : ''} |`,
    `| ${vscode.l10n.t('Outcome')} | \`${c.outcome}\` — ${outcomeLabel(c.outcome, c.dependsOn)} |`,
    `| ${vscode.l10n.t('Stores an incomplete execution')} | ${c.storesIncompleteExecution ? yes : no} |`,
    `| ${vscode.l10n.t('Retried automatically')} | ${c.autoRetry ? yes : no} |`,
    `| ${vscode.l10n.t('Handler directive')} | ${c.handler ?? '—'} |`,
    '',
    c.reason,
    '',
    ...(c.cases
      ? [
          `**${vscode.l10n.t('Cases (the table above is the worst one)')}**`,
          '',
          ...c.cases.map((k) => `- ${vscode.l10n.t('When {0}', k.when)}: \`${k.outcome}\`${k.handler ? ` (${k.handler})` : ''}`),
          '',
        ]
      : []),
    `_${profileLine(c.profile, fromFile)}_`,
  ];
  if (info)
    lines.push(
      '',
      `${info.meaning}`,
      '',
      `**${vscode.l10n.t('What to do')}**: ${info.action}`,
      '',
      `[${vscode.l10n.t('Fusion documentation')}](${info.docsUrl})`,
    );
  // a read-only document (not an untitled one, which would be left dirty) named after the question
  const uri = details.create(vscode.l10n.t('Module {0} failing with {1}', module.id, c.errorType), lines.join('\n') + '\n');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  }
}
