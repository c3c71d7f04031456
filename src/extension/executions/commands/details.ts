/**
 * Show Execution Details (a click or Enter on a row of the view): one record, rendered read-only
 * in a Markdown preview — the error and what it means, what to do, attempts and the next retry,
 * the bundle and the history. The document is served from the model, so an open preview follows
 * the record when the file changes (and says so when the record is gone).
 */
import * as vscode from 'vscode';
import { lookupErrorType } from '../../../core/catalogue/catalogue';
import { RESOLVED_RETENTION_DAYS, retentionOf } from '../../../core/executions/limits';
import { goneFromMake, originOf, type HistoryEntry, type IncompleteExecution } from '../../../core/executions/model';
import { codeBlock, escapeMarkdown } from '../../../core/text/markdown';
import type { CommandContext } from '../../shared/commandContext';
import { showMarkdownPreview } from '../../shared/readOnlyDocuments';
import type { ExecutionsModel } from '../executionsModel';
import { formatDate, nextRetryValue } from '../recordText';
import { makeNextRetryText, moduleLabel, originLine, statusLabel } from '../tree/treeItems';
import { guarded, pickExecutions, targetsFromArgs } from './common';
import { recordFor, recordUri, safeName, watchRecordDocuments } from './recordDocuments';

export const DETAILS_RECORD_SCHEME = 'fusion-execution';

/** Bundles longer than this (pretty-printed) are cut in the details; Show Bundle shows them whole. */
const BUNDLE_DETAIL_CHARS = 20_000;

/** `fusion-execution:/<module> (<scenario>).md?folder=…&id=…` — the path is the preview's tab title. */
export function detailsUri(folderKey: string, r: IncompleteExecution): vscode.Uri {
  return recordUri(DETAILS_RECORD_SCHEME, `/${safeName(`${moduleLabel(r)} (${r.scenario})`)}.md`, folderKey, r.id);
}

const cell = (text: string): string => escapeMarkdown(text);

function historyDetails(h: HistoryEntry): string {
  const parts: string[] = [];
  if (typeof h.error === 'string') parts.push(h.error);
  if (typeof h.moduleId === 'number') parts.push(vscode.l10n.t('module {0}', h.moduleId));
  if (typeof h.message === 'string') parts.push(h.message);
  if (typeof h.note === 'string') parts.push(h.note);
  if (typeof h.file === 'string') parts.push(h.file);
  return parts.join(' · ');
}

/** The Markdown of a record's details at `now`. */
export function detailsMarkdown(r: IncompleteExecution, now: Date): string {
  const lines: string[] = [];
  lines.push(`# ${escapeMarkdown(moduleLabel(r))}`, '');
  lines.push(escapeMarkdown(vscode.l10n.t('Incomplete execution of module {0} in {1}', r.moduleId, r.scenario)), '');
  // A record from Make is acted on on Make: its status may be "gone", its attempts are Make's
  // count (Make sets no maximum here) and Make schedules its retries.
  const fromMake = originOf(r) === 'make';
  const gone = goneFromMake(r);
  const rows: [string, string][] = [
    [
      vscode.l10n.t('Status'),
      cell(
        gone
          ? vscode.l10n.t('no longer on Make since {0} (resolved or deleted there)', formatDate(gone.at) ?? gone.at)
          : statusLabel(r.status),
      ),
    ],
    [vscode.l10n.t('Error'), `**${cell(r.error.type)}**${r.error.message ? `: ${cell(r.error.message)}` : ''}`],
    [
      vscode.l10n.t('Attempts'),
      cell(fromMake ? vscode.l10n.t('{0} on Make', r.attempts) : vscode.l10n.t('{0} of {1}', r.attempts, r.maxAttempts)),
    ],
  ];
  const next = fromMake ? makeNextRetryText(r) : nextRetryValue(r, now);
  if (next) rows.push([vscode.l10n.t('Next retry'), cell(next)]);
  rows.push([vscode.l10n.t('Origin'), cell(originLine(r))]);
  const retention = r.status === 'resolved' && !gone ? retentionOf(r, now) : undefined;
  if (retention) {
    rows.push([
      vscode.l10n.t('Resolved'),
      cell(
        retention.purged
          ? vscode.l10n.t(
              '{0} days ago: Fusion has deleted it (resolved executions are kept {1} days).',
              retention.daysSinceResolved,
              RESOLVED_RETENTION_DAYS,
            )
          : vscode.l10n.t(
              'Fusion deletes it on {0} ({1} days after it was resolved).',
              formatDate(retention.purgeAt) ?? retention.purgeAt,
              RESOLVED_RETENTION_DAYS,
            ),
      ),
    ]);
  }
  rows.push([vscode.l10n.t('Scenario'), cell(r.scenario)]);
  if (typeof r.scenarioFile === 'string' && r.scenarioFile !== '') rows.push([vscode.l10n.t('Scenario file'), cell(r.scenarioFile)]);
  rows.push([vscode.l10n.t('Module'), cell(String(r.moduleId))]);
  const created = formatDate(r.created);
  if (created) rows.push([vscode.l10n.t('Created'), cell(created)]);
  const updated = formatDate(r.updated);
  if (updated) rows.push([vscode.l10n.t('Updated'), cell(updated)]);
  rows.push([vscode.l10n.t('Id'), cell(r.id)]);
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${v} |`), '');

  lines.push(`## ${escapeMarkdown(vscode.l10n.t('What the error means'))}`, '');
  const info = lookupErrorType(r.error.type);
  if (info) {
    lines.push(`${escapeMarkdown(info.meaning)} ${escapeMarkdown(vscode.l10n.t('(family: {0})', info.family))}`, '');
    lines.push(`**${escapeMarkdown(vscode.l10n.t('What to do:'))}** ${escapeMarkdown(info.action)}`, '');
    lines.push(`[${escapeMarkdown(vscode.l10n.t('Fusion documentation'))}](${info.docsUrl})`, '');
  } else {
    lines.push(escapeMarkdown(vscode.l10n.t('{0} is not in the error catalogue (e.g. a custom app’s error).', r.error.type)), '');
  }

  if (r.bundle !== undefined) {
    const title = typeof r.size === 'number' ? vscode.l10n.t('Bundle ({0} bytes)', r.size) : vscode.l10n.t('Bundle');
    let json = JSON.stringify(r.bundle, null, 2) ?? 'null';
    const cut = json.length > BUNDLE_DETAIL_CHARS;
    if (cut) json = `${json.slice(0, BUNDLE_DETAIL_CHARS)}\n…`;
    lines.push(`## ${escapeMarkdown(title)}`, '', codeBlock(json, 'json'), '');
    if (cut) lines.push(escapeMarkdown(vscode.l10n.t('The bundle is cut here: Show Bundle shows all of it.')), '');
  }

  lines.push(`## ${escapeMarkdown(vscode.l10n.t('History'))}`, '');
  if (r.history.length === 0) lines.push(escapeMarkdown(vscode.l10n.t('No history.')), '');
  else {
    lines.push(
      `| ${cell(vscode.l10n.t('When'))} | ${cell(vscode.l10n.t('Action'))} | ${cell(vscode.l10n.t('Result'))} | ${cell(vscode.l10n.t('Details'))} |`,
    );
    lines.push('|---|---|---|---|');
    for (const h of r.history) {
      lines.push(
        `| ${cell(formatDate(h.at) ?? '')} | ${cell(String(h.action ?? ''))} | ${cell(String(h.result ?? ''))} | ${cell(historyDetails(h))} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Serves the details documents from the model; refreshes open ones when their record changes. */
export class DetailsContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly model: ExecutionsModel) {
    this.sub = watchRecordDocuments(model, DETAILS_RECORD_SCHEME, (uri) => this.emitter.fire(uri));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const r = recordFor(this.model, uri);
    if (!r) return `# ${escapeMarkdown(vscode.l10n.t('This incomplete execution is no longer in the executions file.'))}\n`;
    return detailsMarkdown(r, new Date());
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}

/** Opens the details of an execution (a tree row, `{ ids, folder }`, an id, or a pick); returns the document's URI. */
export async function showDetailsCommand(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  return guarded(ctx, vscode.l10n.t('Show Execution Details'), async () => {
    const targets =
      targetsFromArgs(ctx, arg, undefined) ?? (await pickExecutions(ctx, () => true, vscode.l10n.t('Incomplete execution to show'), false));
    const t = targets?.[0];
    const id = t?.ids[0];
    if (!t || id === undefined) return undefined;
    const r = t.folder.records.get(id);
    if (!r) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This incomplete execution is no longer in the executions file.'));
      return undefined;
    }
    const uri = detailsUri(t.folder.key, r);
    await showMarkdownPreview(uri);
    return uri;
  });
}
