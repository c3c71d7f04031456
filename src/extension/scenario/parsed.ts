import type * as vscode from 'vscode';
import { parseScenario, type ParsedScenario } from '../../core/lint/lint';
import { forgetBlueprintVerdict, scenarioFileName } from './documentSelector';
import { VersionCache } from '../shared/versionCache';

/** One parse per document version, shared by hovers, CodeLens and quick fixes. */
const parses = new VersionCache<ParsedScenario>();

export function parsedDocument(doc: vscode.TextDocument): ParsedScenario {
  return parses.get(doc, () => parseScenario(scenarioFileName(doc), doc.getText()));
}

/** Drops what is cached for a closed document. */
export function forgetDocument(uri: vscode.Uri): void {
  parses.forget(uri);
  forgetBlueprintVerdict(uri);
}
