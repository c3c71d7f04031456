/**
 * Watching Make: with `fusionExecutions.make.pollMinutes` above 0, every folder with Make
 * scenarios configured is pulled that often (Make has no webhook for failures: a client that wants
 * to notify must poll). New incomplete executions bring a notification ("3 new in Invoice export —
 * Show"); a status-bar item shows how many records from Make are open. A poll never starts while
 * the previous one runs, and every request goes through the API's shared budget, so polling never
 * sends more than the organization's limit allows, whatever the interval.
 */
import * as vscode from 'vscode';
import { goneFromMake, originOf } from '../../core/executions/model';
import type { CommandContext } from '../shared/commandContext';
import { makePollMinutes } from '../shared/settings';
import { VIEW_ID } from '../executions/commands/common';
import { pullFolder } from './commands';
import { ago } from './sync';

export class MakeWatcher implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private minuteTimer: ReturnType<typeof setInterval> | undefined;
  private running = false;
  private lastPollAt: number | undefined;
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: CommandContext) {
    this.status = vscode.window.createStatusBarItem('fusionExecutions.make', vscode.StatusBarAlignment.Left, 10);
    this.status.name = vscode.l10n.t('Fusion: incomplete executions on Make');
    this.status.command = `${VIEW_ID}.focus`;
    this.disposables.push(
      this.status,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fusionExecutions.make.pollMinutes')) this.schedule();
      }),
      ctx.model.onDidChange(() => this.updateStatus()),
      ctx.make.onDidChange(() => {
        this.updateStatus();
        ctx.provider.refreshGroups();
      }),
    );
    // "synced 2 min ago" moves on by itself.
    this.minuteTimer = setInterval(() => {
      if (this.hasMakeRecords()) ctx.provider.refreshGroups();
      this.updateStatus();
    }, 60_000);
    this.schedule();
    this.updateStatus();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.minuteTimer) clearInterval(this.minuteTimer);
    for (const d of this.disposables) d.dispose();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const minutes = makePollMinutes();
    if (minutes > 0) this.timer = setInterval(() => void this.poll(), minutes * 60_000);
    this.updateStatus();
  }

  private hasMakeRecords(): boolean {
    return this.ctx.model.folders().some((f) => [...f.records.values()].some((r) => originOf(r) === 'make'));
  }

  /** One poll of every folder with Make scenarios; skipped while one runs. Returns the new ids per scenario. */
  async poll(): Promise<Map<string, string[]>> {
    const fresh = new Map<string, string[]>();
    if (this.running) return fresh;
    this.running = true;
    try {
      for (const f of this.ctx.model.folders().filter((x) => x.writable && x.state !== 'error')) {
        try {
          const p = await pullFolder(this.ctx, f);
          for (const s of p.result?.scenarios ?? []) {
            const key = s.name ?? String(s.scenarioId);
            if (s.added.length > 0) fresh.set(key, [...(fresh.get(key) ?? []), ...s.added]);
          }
        } catch (err) {
          // Offline, a refused token, a broken config: the tree shows it; a poll does not pop up errors.
          this.ctx.log.warn(`Polling Make for ${f.folder.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      this.lastPollAt = Date.now();
    } finally {
      this.running = false;
    }
    if (fresh.size > 0) this.notify(fresh);
    this.ctx.provider.refreshGroups();
    this.updateStatus();
    return fresh;
  }

  private notify(fresh: Map<string, string[]>): void {
    const show = vscode.l10n.t('Show');
    const parts = [...fresh].map(([scenario, ids]) => vscode.l10n.t('{0} new in {1}', ids.length, scenario));
    void vscode.window.showInformationMessage(parts.join(', '), show).then((choice) => {
      if (choice === show) void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    });
  }

  /** Open records from Make (not resolved, still on Make), across folders. */
  openCount(): number {
    let n = 0;
    for (const f of this.ctx.model.folders())
      for (const r of f.records.values()) if (originOf(r) === 'make' && r.status !== 'resolved' && !goneFromMake(r)) n++;
    return n;
  }

  private updateStatus(): void {
    const polling = makePollMinutes() > 0;
    if (!polling && !this.hasMakeRecords()) {
      this.status.hide();
      return;
    }
    const n = this.openCount();
    const offline = this.ctx.make.connections().some((c) => this.ctx.make.contactState(c.baseUrl)?.failedAt !== undefined);
    this.status.text = `${offline ? '$(cloud-offline)' : '$(cloud)'} ${n}`;
    const last = this.lastPollAt !== undefined ? ago(new Date(this.lastPollAt).toISOString()) : undefined;
    this.status.tooltip =
      (n === 1 ? vscode.l10n.t('1 incomplete execution open on Make') : vscode.l10n.t('{0} incomplete executions open on Make', n)) +
      (polling ? `\n${last ? vscode.l10n.t('Polled {0}', last) : vscode.l10n.t('Polling every {0} min', makePollMinutes())}` : '') +
      (offline ? `\n${vscode.l10n.t('Make could not be reached at the last try.')}` : '');
    this.status.show();
  }
}
