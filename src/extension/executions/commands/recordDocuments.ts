/**
 * Read-only documents about one record of an executions file (its bundle, its details): the URI
 * names the folder and the record, the content comes from the model, and open documents are
 * refreshed when their record changes or goes.
 */
import * as vscode from 'vscode';
import type { IncompleteExecution } from '../../../core/executions/model';
import type { ExecutionsModel } from '../executionsModel';

/** `<scheme>:/<path>?folder=<folder key>&id=<record id>` */
export function recordUri(scheme: string, path: string, folderKey: string, id: string): vscode.Uri {
  const query = new URLSearchParams({ folder: folderKey, id }).toString();
  return vscode.Uri.from({ scheme, path, query });
}

/** The folder key and record id a record document's URI names. */
export function recordOf(uri: vscode.Uri): { readonly folderKey: string; readonly id: string } {
  const q = new URLSearchParams(uri.query);
  return { folderKey: q.get('folder') ?? '', id: q.get('id') ?? '' };
}

/** The record a document shows, or undefined when it is no longer in its folder's file. */
export function recordFor(model: ExecutionsModel, uri: vscode.Uri): IncompleteExecution | undefined {
  const { folderKey, id } = recordOf(uri);
  return model.folder(folderKey)?.records.get(id);
}

/** A file-name-safe form of `text` for the path of a document (the path gives the tab its title). */
export function safeName(text: string): string {
  return (
    text
      .replace(/[\\/:*?"<>|#%]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() || 'execution'
  );
}

/** Calls `fire` with every open document of `scheme` whose record changed, went or came back. */
export function watchRecordDocuments(model: ExecutionsModel, scheme: string, fire: (uri: vscode.Uri) => void): vscode.Disposable {
  return model.onDidChange((c) => {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== scheme) continue;
      const { folderKey, id } = recordOf(doc.uri);
      if (folderKey !== c.folderKey) continue;
      if (c.kind === 'full' || c.removed.includes(id) || c.added.includes(id) || c.changed.some((x) => x.id === id)) fire(doc.uri);
    }
  });
}
