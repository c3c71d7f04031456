import * as vscode from 'vscode';
import { effectiveProfile, outcomesByErrorType, summarizeOutcomes } from '../../core/classify/classifier';
import { walkModules } from '../../core/model';
import { isScenarioDocument } from './documentSelector';
import { CLASSIFY_COMMAND } from './hoverProvider';
import { parsedDocument } from './parsed';
import { codeLensEnabled, defaultProfile, SETTINGS_SECTION } from '../shared/settings';

/**
 * "On failure: …" above each module that can fail on its own: every module of the flow and of
 * router branches, but not routers (no action of their own) nor modules inside error-handler
 * routes (a failure there is not classified by the spec's rules). Clicking runs Classify Failure
 * for that module.
 */
export class ScenarioCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SETTINGS_SECTION}.codeLens.enabled`) || e.affectsConfiguration(`${SETTINGS_SECTION}.profile`)) {
      this.changed.fire();
    }
  });

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled(doc.uri) || !isScenarioDocument(doc)) return [];
    const parsed = parsedDocument(doc);
    const scenario = parsed.scenario;
    if (!scenario) return [];
    const profile = effectiveProfile(scenario, defaultProfile(doc.uri));
    const lenses: vscode.CodeLens[] = [];
    for (const m of walkModules(scenario.modules)) {
      if (m.isRouter || m.handlerOf !== undefined) continue;
      let summary: string;
      try {
        summary = summarizeOutcomes(outcomesByErrorType(scenario, m.id, profile));
      } catch {
        continue; // e.g. a duplicate id the classifier refuses; the diagnostics say why
      }
      const start = doc.positionAt(m.span.start);
      lenses.push(
        new vscode.CodeLens(new vscode.Range(start, start), {
          title: summary, // the core's phrase ("On failure: …"), shared with the CLI
          tooltip: vscode.l10n.t('Classify a failure of module {0} with an error type of your choice', m.id),
          command: CLASSIFY_COMMAND,
          arguments: [doc.uri, m.id],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
