// Helpers for the scenario integration tests (run inside the real VS Code extension host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/api';

export const EXTENSION_ID = 'fusion-tools.fusion-incomplete-executions';
const WAIT_MS = 15000;

/** Activates the extension (once) and returns its API, `getExtension(id).exports`. */
export async function activateExtension(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the test host`);
  await ext.activate();
  return ext.exports;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration tests need the fixture workspace open');
  return folder.uri;
}

export function fixtureUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), 'scenarios', ...rel.split('/'));
}

export function fusionDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'fusion');
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (typeof c === 'object' && c !== null) return String(c.value);
  return c === undefined ? undefined : String(c);
}

/**
 * Resolves once the fusion diagnostics of `uri` satisfy `predicate` (checked now and on every
 * onDidChangeDiagnostics for that uri); fails after a generous guard timeout with what it saw.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diags: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  const now = fusionDiagnostics(uri);
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const timer = setTimeout(() => {
      sub.dispose();
      const seen = fusionDiagnostics(uri)
        .map((d) => `${codeOf(d)}@${d.range.start.line}`)
        .join(', ');
      reject(new Error(`timed out waiting for diagnostics (${what}) on ${uri.path}; have: [${seen}]`));
    }, WAIT_MS);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === key)) return;
      const diags = fusionDiagnostics(uri);
      if (predicate(diags)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(diags);
      }
    });
  });
}

export const hasCode = (code: string) => (diags: vscode.Diagnostic[]) => diags.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (diags: vscode.Diagnostic[]) => !diags.some((d) => codeOf(d) === code);

/** A scratch folder inside the workspace (so globs, watchers and the scan see its files). */
export class Scratch {
  readonly dir: vscode.Uri;
  constructor(name: string) {
    this.dir = vscode.Uri.joinPath(workspaceRoot(), 'scenarios', `_tmp-${name}-${Date.now().toString(36)}`);
  }

  async copy(fixture: string, asName?: string): Promise<vscode.Uri> {
    const bytes = await vscode.workspace.fs.readFile(fixtureUri(fixture));
    const target = vscode.Uri.joinPath(this.dir, asName ?? fixture.replace(/^.*\//, ''));
    await vscode.workspace.fs.writeFile(target, bytes);
    return target;
  }

  async write(name: string, text: string): Promise<vscode.Uri> {
    const target = vscode.Uri.joinPath(this.dir, name);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    return target;
  }

  async dispose(): Promise<void> {
    // close editors of scratch files without saving, then remove the folder
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.toString().startsWith(this.dir.toString()) && doc.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(this.dir, { recursive: true, useTrash: false }).then(undefined, () => undefined);
  }
}

/** Offset-free position of the `nth` occurrence of `needle` (plus `delta` characters) in a document. */
export function positionOf(doc: vscode.TextDocument, needle: string, nth = 0, delta = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (#${nth}) not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at + delta);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c instanceof vscode.MarkdownString ? c.value : ''))
    .join('\n');
}

/** Sets a workspace setting and waits until the extension host sees it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  const changed = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`fusionExecutions.${key}`)) {
        sub.dispose();
        resolve();
      }
    });
  });
  await vscode.workspace.getConfiguration('fusionExecutions').update(key, value, vscode.ConfigurationTarget.Workspace);
  const current = vscode.workspace.getConfiguration('fusionExecutions').inspect(key)?.workspaceValue;
  if (JSON.stringify(current) !== JSON.stringify(value)) await changed;
}
