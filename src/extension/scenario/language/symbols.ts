import * as vscode from 'vscode';
import { documentSymbols, type OutlineKind, type OutlineSymbol } from '../../../core/scenario/language';
import { isScenarioDocument } from '../documentSelector';
import { parsedDocument } from '../parsed';
import { toRange } from './convert';

const KIND: Readonly<Record<OutlineKind, vscode.SymbolKind>> = {
  trigger: vscode.SymbolKind.Event,
  module: vscode.SymbolKind.Function,
  router: vscode.SymbolKind.Namespace,
  route: vscode.SymbolKind.Package,
  handler: vscode.SymbolKind.Struct,
  simulation: vscode.SymbolKind.Module,
  fault: vscode.SymbolKind.Field,
};

/** Outline and breadcrumbs of a scenario file (YAML and blueprints): modules, routes, handler routes, faults. */
export class ScenarioSymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] | undefined {
    if (!isScenarioDocument(doc)) return undefined;
    return documentSymbols(parsedDocument(doc)).map((s) => toSymbol(doc, s));
  }
}

function toSymbol(doc: vscode.TextDocument, s: OutlineSymbol): vscode.DocumentSymbol {
  const symbol = new vscode.DocumentSymbol(s.name, s.detail, KIND[s.kind], toRange(doc, s.span), toRange(doc, s.selection));
  symbol.children = s.children.map((c) => toSymbol(doc, c));
  return symbol;
}
