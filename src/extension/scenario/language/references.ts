import * as vscode from 'vscode';
import { definitionAt, moduleIdAt, moduleReferences } from '../../../core/scenario/language';
import { isScenarioDocument } from '../documentSelector';
import { parsedDocument } from '../parsed';
import { toRange } from './convert';

/** F12 on a module id (a fault's `module`, an IML `{{N.…}}`): the module it names. */
export class ScenarioDefinitionProvider implements vscode.DefinitionProvider {
  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.LocationLink[] | undefined {
    if (!isScenarioDocument(doc)) return undefined;
    const parsed = parsedDocument(doc);
    const offset = doc.offsetAt(position);
    const at = moduleIdAt(parsed, offset);
    const module = definitionAt(parsed, offset);
    if (!at || !module) return undefined;
    const target = module.idSpan.end > module.idSpan.start ? module.idSpan : module.anchor;
    return [
      {
        originSelectionRange: toRange(doc, at.span),
        targetUri: doc.uri,
        targetRange: toRange(doc, module.span),
        targetSelectionRange: toRange(doc, target),
      },
    ];
  }
}

/** Shift+F12 on a module id: its `id`, the faults naming it, its IML references. */
export class ScenarioReferenceProvider implements vscode.ReferenceProvider {
  provideReferences(doc: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] | undefined {
    if (!isScenarioDocument(doc)) return undefined;
    const parsed = parsedDocument(doc);
    const at = moduleIdAt(parsed, doc.offsetAt(position));
    if (!at) return undefined;
    return moduleReferences(parsed, at.id, context.includeDeclaration).map((r) => new vscode.Location(doc.uri, toRange(doc, r.span)));
  }
}
