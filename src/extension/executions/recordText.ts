/** How the executions view writes a record's times for a person (the tooltip and the details). */
import * as vscode from 'vscode';
import { nextRetryOf } from '../../core/executions/nextRetry';
import type { IncompleteExecution } from '../../core/executions/model';

/** A time stamp of the file in the user's locale; what the file says when it is no date. */
export function formatDate(iso: string | null | undefined): string | undefined {
  if (typeof iso !== 'string') return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** A moment near `now`: the time alone on the same day ("10:42"), else date and time. */
export function formatMoment(d: Date, now: Date): string {
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString();
}

/**
 * The next automatic retry of a record that is not resolved, as a value: its time, "overdue since
 * 10:42" when that time has passed (nothing runs it until Run Due Retries does), or that none is
 * scheduled. Undefined for a resolved record.
 */
export function nextRetryValue(r: IncompleteExecution, now: Date): string | undefined {
  const next = nextRetryOf(r, now);
  switch (next.kind) {
    case 'resolved':
      return undefined;
    case 'none':
      return vscode.l10n.t('none scheduled: retry or resolve it by hand');
    case 'scheduled':
      return next.at.toLocaleString();
    case 'overdue':
      return vscode.l10n.t('overdue since {0} (Run Due Retries runs it)', formatMoment(next.since, now));
    case 'unreadable':
      return next.text;
  }
}

/** The same as a sentence (the tooltip): "Next automatic retry: overdue since 10:42 (…)." */
export function nextRetryText(r: IncompleteExecution, now: Date): string | undefined {
  const next = nextRetryOf(r, now);
  if (next.kind === 'resolved') return undefined;
  if (next.kind === 'none') return vscode.l10n.t('No automatic retry scheduled: retry or resolve it by hand.');
  return vscode.l10n.t('Next automatic retry: {0}', nextRetryValue(r, now) ?? '');
}
