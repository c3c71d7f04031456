/** Show Bundle: the stored bundle of an execution as a read-only JSON document. */
import * as vscode from 'vscode';
import type { ExecutionsModel } from '../executionsModel';
import { hasBundle } from '../tree/capabilities';
import { guarded, pickExecutions, targetsFromArgs } from './common';
import type { CommandContext } from '../../shared/commandContext';

export const BUNDLE_SCHEME = 'fusion-executions-bundle';

/** `fusion-executions-bundle:/<folder name>/<id>.json?<query: folder key and id>` */
export function bundleUri(folderKey: string, folderName: string, id: string): vscode.Uri {
  const query = new URLSearchParams({ folder: folderKey, id }).toString();
  return vscode.Uri.from({ scheme: BUNDLE_SCHEME, path: `/${folderName}/${id.replace(/[/\\]/g, '_')}.json`, query });
}

/** Serves bundle documents from the model; refreshes open ones when the file changes. */
export class BundleContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly model: ExecutionsModel) {
    this.sub = model.onDidChange((c) => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme !== BUNDLE_SCHEME) continue;
        const q = new URLSearchParams(doc.uri.query);
        if (q.get('folder') !== c.folderKey) continue;
        const id = q.get('id') ?? '';
        if (c.kind === 'full' || c.removed.includes(id) || c.changed.some((x) => x.id === id)) this.emitter.fire(doc.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const record = this.model.folder(q.get('folder') ?? '')?.records.get(q.get('id') ?? '');
    if (!record) return `// ${vscode.l10n.t('This incomplete execution is no longer in the executions file.')}\n`;
    return `${JSON.stringify(record.bundle ?? null, null, 2)}\n`;
  }

  dispose(): void {
    this.sub.dispose();
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
    if (!t || id === undefined || !t.folder.records.has(id)) return undefined;
    const uri = bundleUri(t.folder.key, t.folder.folder.name, id);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri;
  });
}
