import * as vscode from 'vscode';
import { DOCS } from '../../core/catalogue/catalogue';
import type { OutcomeGroup } from '../../core/classify/classifier';
import { describeOutcome } from '../../core/classify/outcomes';
import type { ClassifiedOutcome, DependsOn, Directive, Profile, ScenarioSettings } from '../../core/model';

/** Words shown to the user for core values. Presentation only: every decision comes from src/core. */

export const DIRECTIVES_DOCS_URL = DOCS.fusionDirectives;
export const SETTINGS_DOCS_URL =
  'https://experienceleague.adobe.com/en/docs/workfront/using/adobe-workfront-fusion/scenarios-in-fusion/scenario-settings-panel';

/**
 * An outcome in words: the core's one wording (domain text, like lint messages and reasons). A
 * `depends` outcome says what it turns on: the error message, or the run's data; an `unknown` one
 * names the directive Fusion does not know.
 */
export function outcomeLabel(o: ClassifiedOutcome, dependsOn?: DependsOn, unknownDirective?: string): string {
  return describeOutcome(o, dependsOn, unknownDirective);
}

export function directiveDescription(d: Directive): string {
  switch (d) {
    case 'break':
      return vscode.l10n.t(
        'Stores the run in the queue of incomplete executions; subsequent modules are not processed. With "Automatically complete execution" Fusion retries it ({0} attempts every {1} minutes by default).',
        3,
        15,
      );
    case 'resume':
      return vscode.l10n.t('Supplies a substitute output to the failing module; subsequent modules are processed and the run succeeds.');
    case 'ignore':
      return vscode.l10n.t('Ignores the error; the bundle goes no further on this route, other bundles continue and the run succeeds.');
    case 'commit':
      return vscode.l10n.t('Stops the run at once and commits every module; unprocessed bundles are dropped and the run succeeds.');
    case 'rollback':
      return vscode.l10n.t('Stops the run at once and rolls every module back; the run is marked as an error.');
  }
}

export function settingDescription(key: keyof ScenarioSettings): string {
  switch (key) {
    case 'storeIncompleteExecutions':
      return vscode.l10n.t(
        '"Allow storing of incomplete executions" (blueprint `dlq`). When false, a failure that would be stored fails the run instead (rolled back), and a Break handler is a configuration mistake. Default: true.',
      );
    case 'sequentialProcessing':
      return vscode.l10n.t(
        '"Sequential processing" (blueprint `sequential`). Runs execute in order; while the scenario has unresolved incomplete executions, new runs wait until they are resolved. Default: false.',
      );
    case 'maxConsecutiveErrors':
      return vscode.l10n.t(
        '"Number of consecutive errors" (blueprint `maxErrors`): after this many failed runs in a row the scenario is deactivated. Default: 3.',
      );
    case 'dataLoss':
      return vscode.l10n.t(
        '"Enable data loss" (blueprint `dataloss`): when an incomplete execution cannot be stored (e.g. the storage is full), the run goes on and the data is lost instead of stopping the scenario. Default: false.',
      );
    case 'instant':
      return vscode.l10n.t('The trigger is an instant webhook (blueprint `metadata.instant`). Default: false.');
    case 'profile':
      return vscode.l10n.t(
        "Rules profile for this file: `fusion` (Adobe Workfront Fusion, the tutorial on incomplete executions) or `make` (today's Make.com documentation). Overrides the `fusionExecutions.profile` setting.",
      );
  }
}

export function profileLine(profile: Profile, fromFile: boolean): string {
  return fromFile
    ? vscode.l10n.t("Profile `{0}` (from the file's `settings.profile`).", profile)
    : vscode.l10n.t('Profile `{0}` (from the `fusionExecutions.profile` setting).', profile);
}

/** Markdown bullet list "- **outcome**: TypeA, TypeB". */
export function groupsMarkdown(groups: readonly OutcomeGroup[]): string {
  return groups
    .filter((g) => g.errorTypes.length > 0)
    .map((g) => `- **${outcomeLabel(g.outcome, g.dependsOn, g.unknownDirective)}**: ${g.errorTypes.map((t) => `\`${t}\``).join(', ')}`)
    .join('\n');
}
