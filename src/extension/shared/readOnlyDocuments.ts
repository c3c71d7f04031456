import * as vscode from 'vscode';

/**
 * Read-only Markdown documents (scheme `fusion-details`): Classify Failure's "Show Details" and
 * Run Simulation's report. An untitled document
 * opened with content is dirty: it stays in the editor as "Untitled-N ●", counts as an unsaved file
 * and asks to be saved when the window closes, though the user wrote nothing. A content provider's
 * document is never dirty and carries a readable name into the preview's tab title.
 */
export const DETAILS_SCHEME = 'fusion-details';

export class DetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private next = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** A new document named `title` (made file-name safe) holding `markdown`. */
  create(title: string, markdown: string): vscode.Uri {
    const name =
      title
        .replace(/[\\/:*?"<>|#%]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim() || 'Details';
    // the query keeps two documents of the same title apart; the path gives the tab its name
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${name}.md`, query: String(++this.next) });
    this.contents.set(uri.toString(), markdown);
    // keep the memory bounded: only the last few details stay openable
    if (this.contents.size > 20) this.contents.delete(this.contents.keys().next().value as string);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
