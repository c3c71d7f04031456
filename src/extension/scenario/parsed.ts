import type * as vscode from 'vscode';
import { parseScenario, type ParsedScenario } from '../../core/lint';
import { scenarioFileName } from './documentSelector';

/**
 * One parse per document version, shared by hovers, CodeLens and quick fixes (they all ask about the
 * same text in quick succession). Small and bounded: the oldest entry goes first.
 */
const MAX_ENTRIES = 32;
const cache = new Map<string, { version: number; parsed: ParsedScenario }>();

export function parsedDocument(doc: vscode.TextDocument): ParsedScenario {
  const key = doc.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === doc.version) return hit.parsed;
  const parsed = parseScenario(scenarioFileName(doc), doc.getText());
  cache.delete(key);
  cache.set(key, { version: doc.version, parsed });
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return parsed;
}

export function forgetDocument(uri: vscode.Uri): void {
  cache.delete(uri.toString());
}
