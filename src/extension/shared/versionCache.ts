import type * as vscode from 'vscode';

/**
 * A value computed once per document version and shared by everything that asks about the same
 * text in quick succession (hovers, CodeLens, code actions on every cursor move). Small and
 * bounded: the least recently computed entry goes first.
 */
export class VersionCache<T> {
  private readonly entries = new Map<string, { version: number; value: T }>();

  constructor(private readonly maxEntries = 32) {}

  get(doc: vscode.TextDocument, compute: () => T): T {
    const key = doc.uri.toString();
    const hit = this.entries.get(key);
    if (hit && hit.version === doc.version) return hit.value;
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { version: doc.version, value });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }

  forget(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
  }
}
