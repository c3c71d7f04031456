import * as vscode from 'vscode';
import type { Span } from '../../../core/model';

/** A core span as a VS Code range of `doc`. */
export function toRange(doc: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}
