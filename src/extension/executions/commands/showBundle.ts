/**
 * Show Bundle: the stored bundle of an execution as a read-only JSON document. When the record
 * is gone (deleted, or the file changed), the document says so in plain text — with the language
 * set to plain text, so no JSON error about it lands in the Problems panel.
 */
import * as vscode from 'vscode';
import type { ExecutionsModel } from '../executionsModel';
import { hasBundle } from '../tree/capabilities';
import { guarded, pickExecutions, targetsFromArgs } from './common';
import type { CommandContext } from '../../shared/commandContext';
import { recordFor, recordUri, safeName, watchRecordDocuments } from './recordDocuments';

export const BUNDLE_SCHEME = 'fusion-executions-bundle';

/**
 * `fusion-executions-bundle:/<folder name>/<id> bundle?<query: folder key and id>`. No `.json` in
 * the path: the language is set from the content (JSON while the record exists, plain text once
 * it is gone), not guessed from the name.
 */
export function bundleUri(folderKey: string, folderName: string, id: string): vscode.Uri {
  return recordUri(BUNDLE_SCHEME, `/${safeName(folderName)}/${safeName(id)} bundle`, folderKey, id);
}

/** Serves bundle documents from the model; refreshes open ones when the file changes. */
export class BundleContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly model: ExecutionsModel) {
    this.subs = [
      watchRecordDocuments(model, BUNDLE_SCHEME, (uri) => this.emitter.fire(uri)),
      // a document opened (or restored with the window) and every refresh get the language of what they hold
      vscode.workspace.onDidOpenTextDocument((doc) => this.fixLanguage(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.fixLanguage(e.document)),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const record = recordFor(this.model, uri);
    if (!record)
      return `${vscode.l10n.t('This incomplete execution is no longer in the executions file: it was deleted, or the file changed.')}\n`;
    return `${JSON.stringify(record.bundle ?? null, null, 2)}\n`;
  }

  /** The language a bundle document should have now: JSON while its record exists, else plain text. */
  languageOf(uri: vscode.Uri): string {
    return recordFor(this.model, uri) ? 'json' : 'plaintext';
  }

  private fixLanguage(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== BUNDLE_SCHEME || doc.isClosed) return;
    const language = this.languageOf(doc.uri);
    if (doc.languageId !== language) void Promise.resolve(vscode.languages.setTextDocumentLanguage(doc, language)).catch(() => undefined);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}

export async function showBundleCommand(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  const title = vscode.l10n.t('Show Bundle');
  return guarded(ctx, title, async () => {
    const targets =
      targetsFromArgs(ctx, arg, undefined) ??
      (await pickExecutions(ctx, hasBundle, vscode.l10n.t('Incomplete execution whose bundle to show'), false));
    const t = targets?.[0];
    const id = t?.ids[0];
    if (!t || id === undefined) return undefined;
    if (!t.folder.records.has(id)) {
      // e.g. a row clicked just after the record was deleted elsewhere
      void vscode.window.showInformationMessage(
        vscode.l10n.t('This incomplete execution is no longer in the executions file: it was deleted, or the file changed.'),
      );
      return undefined;
    }
    const uri = bundleUri(t.folder.key, t.folder.folder.name, id);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri;
  });
}
