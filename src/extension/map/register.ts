import * as vscode from 'vscode';
import { parseSelection } from '../../core/map/colours';
import { isScenarioDocument } from '../scenario/documentSelector';
import { FailureMapPanel, MAP_VIEW_TYPE, type FailureMapState } from './panel';

export const SHOW_FAILURE_MAP = 'fusionExecutions.showFailureMap';
/** Internal (hidden from the palette): what the open map shows, for tests and troubleshooting. */
export const FAILURE_MAP_STATE = 'fusionExecutions.failureMapState';

interface ShowArgs {
  readonly uri?: vscode.Uri | string;
  /** A picker value: `type:ConnectionError`, `family:connection`, `unknown`. */
  readonly selection?: string;
  /** Internal: run a simulation right away (`file`, or `what-if` on `module`). */
  readonly simulate?: 'file' | 'what-if';
  readonly module?: number;
}

function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) {
    const u = (arg as ShowArgs).uri;
    if (u instanceof vscode.Uri) return u;
    if (typeof u === 'string') return u.includes('://') ? vscode.Uri.parse(u) : vscode.Uri.file(u);
  }
  return undefined;
}

async function showFailureMap(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  arg: unknown,
): Promise<FailureMapState | undefined> {
  const uri = uriOf(arg) ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a scenario file (YAML or blueprint) to see its failure map.'));
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!isScenarioDocument(doc)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not a scenario file.', vscode.workspace.asRelativePath(uri)));
    return undefined;
  }
  const args = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as ShowArgs) : {};
  const selection = args.selection !== undefined ? parseSelection(args.selection) : undefined;
  const panel = FailureMapPanel.show(context.extensionUri, log, doc, selection);
  if (args.simulate) {
    const key = args.module !== undefined ? panel.keyOfModule(args.module) : undefined;
    panel.simulateNow(args.simulate, key);
  }
  return panel.state;
}

/** Fusion: Show Failure Map, and the restore of an open map after a reload. */
export function registerFailureMap(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_FAILURE_MAP, (arg?: unknown) => showFailureMap(context, log, arg)),
    vscode.commands.registerCommand(FAILURE_MAP_STATE, () => FailureMapPanel.active?.state),
    vscode.window.registerWebviewPanelSerializer(MAP_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const saved = typeof state === 'object' && state !== null ? (state as { uri?: unknown; selection?: unknown }) : {};
        try {
          if (typeof saved.uri !== 'string') throw new Error('no document in the saved state');
          const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(saved.uri));
          FailureMapPanel.revive(panel, context.extensionUri, log, doc, parseSelection(saved.selection));
        } catch (e) {
          log.info(`Failure map not restored: ${e instanceof Error ? e.message : String(e)}`);
          panel.dispose();
        }
      },
    }),
    { dispose: () => FailureMapPanel.active?.dispose() },
  );
}
