/**
 * The commands that talk to Make: Connect to Make… (the token goes to SecretStorage), Disconnect
 * from Make, Pull from Make, Retry with Local Scenario; and how the other commands report that a
 * record from Make cannot be acted on (with a "Connect to Make…" button).
 */
import * as vscode from 'vscode';
import { retryAction } from '../../core/executions/actions/retry';
import type { RecordResult } from '../../core/executions/actions/result';
import { MakeNotConnectedError } from '../../core/make/actions';
import { MakeApiError } from '../../core/make/client';
import { MakeConfigError } from '../../core/make/config';
import { MAKE_ZONES, connectionForApiUrl, connectionForZone, MakeConnectionError, type MakeConnection } from '../../core/make/connection';
import { pullAction, type PullResult } from '../../core/make/pull';
import { isRetryable, originOf } from '../../core/executions/model';
import type { CommandContext } from '../shared/commandContext';
import { showErrorWithLog } from '../shared/messages';
import { defaultProfile } from '../shared/settings';
import { folderScenarioFiles } from '../shared/workspaceScenarioFiles';
import type { FolderExecutions } from '../executions/executionsModel';
import {
  ensureTrusted,
  guarded,
  isArgs,
  pickExecutions,
  showResults,
  targetsFromArgs,
  withViewProgress,
} from '../executions/commands/common';
import { connectionLabel, NotConnectedTo } from './service';

export const CONNECT_COMMAND = 'fusionExecutions.connectMake';

/** Programmatic arguments of Connect to Make… (tests, keybindings): no prompt is shown. */
interface ConnectArgs {
  readonly token?: string;
  readonly zone?: string;
  readonly apiUrl?: string;
}

function connectArgs(arg: unknown): ConnectArgs | undefined {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg) ? arg : undefined;
}

/** Shows a failure to reach Make; a missing token or a refused one offers "Connect to Make…". */
export function reportMakeError(ctx: CommandContext, title: string, err: unknown): boolean {
  const connect = vscode.l10n.t('Connect to Make…');
  let message: string | undefined;
  if (err instanceof MakeNotConnectedError) {
    message =
      err.missing === 'token'
        ? vscode.l10n.t('{0} Connect to Make to act on it there.', err.message)
        : vscode.l10n.t('{0} Set make.zone (or make.apiUrl) in .fusionlintrc.json, then connect.', err.message);
  } else if (err instanceof NotConnectedTo) message = err.message;
  else if (err instanceof MakeApiError && err.kind === 'auth') message = err.message;
  if (message === undefined) return false;
  ctx.log.warn(`${title}: ${message}`);
  void vscode.window.showErrorMessage(`${title}: ${message}`, connect).then((choice) => {
    if (choice === connect) void vscode.commands.executeCommand(CONNECT_COMMAND);
  });
  return true;
}

/** `guarded` that reports Make's connection problems with a Connect button. */
export async function guardedMake<T>(ctx: CommandContext, title: string, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (err) {
    if (reportMakeError(ctx, title, err)) return undefined;
    if (err instanceof MakeConfigError) {
      showErrorWithLog(ctx.log, `${title}: ${err.message}`, err, 'warning');
      return undefined;
    }
    return guarded(ctx, title, () => Promise.reject(err instanceof Error ? err : new Error(String(err))));
  }
}

interface ConnectionPick extends vscode.QuickPickItem {
  readonly connection?: MakeConnection;
  readonly other?: boolean;
}

async function pickConnection(ctx: CommandContext): Promise<MakeConnection | undefined> {
  const configured: MakeConnection[] = [];
  for (const f of ctx.model.folders()) {
    try {
      const c = (await ctx.make.config(f.folder)).connection;
      if (c && !configured.some((x) => x.baseUrl === c.baseUrl)) configured.push(c);
    } catch {
      // a broken config file: offer the zones
    }
  }
  const items: ConnectionPick[] = [
    ...configured.map((c) => ({ label: connectionLabel(c), description: vscode.l10n.t('from .fusionlintrc.json'), connection: c })),
    ...MAKE_ZONES.filter((z) => !configured.some((c) => c.host === z)).map((z) => ({ label: z, connection: connectionForZone(z) })),
    { label: vscode.l10n.t('Another API URL…'), description: vscode.l10n.t('e.g. a proxy: https://host/api/v2'), other: true },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Connect to Make'),
    placeHolder: vscode.l10n.t('The zone of your Make organization'),
  });
  if (!picked) return undefined;
  if (picked.connection) return picked.connection;
  const url = await vscode.window.showInputBox({
    title: vscode.l10n.t('Connect to Make'),
    prompt: vscode.l10n.t("The API's base URL"),
    placeHolder: 'https://eu1.make.com/api/v2',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        connectionForApiUrl(v);
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
  });
  return url === undefined ? undefined : connectionForApiUrl(url);
}

export async function connectCommand(ctx: CommandContext, arg?: unknown): Promise<boolean | undefined> {
  const title = vscode.l10n.t('Connect to Make');
  return guarded(ctx, title, async () => {
    const args = connectArgs(arg);
    let connection: MakeConnection | undefined;
    try {
      if (args?.apiUrl !== undefined) connection = connectionForApiUrl(args.apiUrl);
      else if (args?.zone !== undefined) connection = connectionForZone(args.zone);
    } catch (e) {
      // one line for the person, without the error's class name
      if (e instanceof MakeConnectionError) throw new Error(e.message, { cause: e });
      throw e;
    }
    connection ??= await pickConnection(ctx);
    if (!connection) return undefined;
    let token = args?.token;
    if (token === undefined) {
      token = await vscode.window.showInputBox({
        title: vscode.l10n.t('Connect to Make ({0})', connectionLabel(connection)),
        prompt: vscode.l10n.t(
          'A Make API token with the scopes dlqs:read, dlqs:write and scenarios:read. It is kept in VS Code\u2019s secret storage only.',
        ),
        password: true,
        placeHolder: vscode.l10n.t('Make API token'),
        ignoreFocusOut: true,
        validateInput: (v) =>
          v.trim() === '' ? vscode.l10n.t('Paste the token') : /\s/.test(v.trim()) ? vscode.l10n.t('A token has no spaces') : undefined,
      });
      if (token === undefined) return undefined;
    }
    await ctx.make.connect(connection, token);
    const pull = vscode.l10n.t('Pull Now');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Connected to Make ({0}). The token is kept in VS Code\u2019s secret storage.', connectionLabel(connection)),
        pull,
      )
      .then((choice) => {
        if (choice === pull) void vscode.commands.executeCommand('fusionExecutions.pullFromMake');
      });
    return true;
  });
}

export async function disconnectCommand(ctx: CommandContext, arg?: unknown): Promise<boolean | undefined> {
  const title = vscode.l10n.t('Disconnect from Make');
  return guarded(ctx, title, async () => {
    const list = ctx.make.connections();
    if (list.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Not connected to Make.'));
      return false;
    }
    const args = connectArgs(arg);
    let chosen: MakeConnection[] | undefined;
    if (args?.apiUrl !== undefined || args?.zone !== undefined) {
      const wanted = args.apiUrl !== undefined ? connectionForApiUrl(args.apiUrl) : connectionForZone(args.zone ?? '');
      chosen = list.filter((c) => c.baseUrl === wanted.baseUrl);
    } else if (list.length === 1) chosen = list;
    else {
      const picked = await vscode.window.showQuickPick(
        list.map((c) => ({ label: connectionLabel(c), connection: c })),
        { title, canPickMany: true, placeHolder: vscode.l10n.t('Remove the token of') },
      );
      chosen = picked?.map((p) => p.connection);
    }
    if (!chosen || chosen.length === 0) return undefined;
    for (const c of chosen) await ctx.make.disconnect(c);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Disconnected from Make: {0}. Its token was removed.', chosen.map(connectionLabel).join(', ')),
    );
    return true;
  });
}

/** One line per scenario, e.g. "Invoice export: 3 added, 1 updated, 2 unchanged". */
export function describePull(out: PullResult): string {
  const parts = out.scenarios.map((s) => {
    const bits = [
      vscode.l10n.t('{0} added', s.added.length),
      vscode.l10n.t('{0} updated', s.updated.length),
      vscode.l10n.t('{0} unchanged', s.unchanged.length),
    ];
    if (s.gone.length > 0) bits.push(vscode.l10n.t('{0} no longer on Make', s.gone.length));
    return `${s.name ?? vscode.l10n.t('scenario {0}', s.scenarioId)}: ${bits.join(', ')}`;
  });
  return parts.length > 0 ? parts.join('; ') : vscode.l10n.t('no scenario with incomplete executions');
}

export interface FolderPull {
  readonly folder: FolderExecutions;
  readonly result?: PullResult;
  /** Why the folder was not pulled (no config, not connected). */
  readonly skipped?: string;
}

/** Pulls one folder's configured scenarios (or team) from Make into its executions file. */
export async function pullFolder(ctx: CommandContext, folder: FolderExecutions): Promise<FolderPull> {
  const config = await ctx.make.config(folder.folder);
  const connection = config.connection;
  const scope =
    config.fileOf.size > 0
      ? { kind: 'scenarios' as const, ids: [...config.fileOf.keys()] }
      : config.teamId !== undefined
        ? { kind: 'team' as const, teamId: config.teamId }
        : undefined;
  if (!scope || !connection) {
    return {
      folder,
      skipped: vscode.l10n.t(
        '{0}: no Make scenarios configured (the "make" section of .fusionlintrc.json: zone, and scenarios or teamId).',
        folder.folder.name,
      ),
    };
  }
  const client = await ctx.make.client(connection, config);
  if (!client)
    throw new MakeNotConnectedError('token', [vscode.l10n.t('The scenarios of {0}', folder.folder.name)], connectionLabel(connection));
  const result = await ctx.model.runWrite(folder.key, (file) =>
    pullAction({
      executionsFile: file,
      client,
      scope,
      ...(config.teamId !== undefined ? { teamId: config.teamId } : {}),
      fileOf: config.fileOf,
      scenarioFiles: folderScenarioFiles(folder.folder),
    }),
  );
  if (result.fatal) throw result.fatal;
  return { folder, result };
}

export async function pullCommand(ctx: CommandContext, arg?: unknown): Promise<FolderPull[] | undefined> {
  const title = vscode.l10n.t('Pull from Make');
  return guardedMake(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const only =
      isArgs(arg) && arg.folder !== undefined
        ? ctx.model.folders().filter((f) => f.key === arg.folder || f.folder.name === arg.folder)
        : undefined;
    const folders = (only ?? ctx.model.folders()).filter((f) => f.writable);
    const pulls = await withViewProgress(vscode.l10n.t('Pulling from Make…'), async () => {
      const out: FolderPull[] = [];
      for (const f of folders) out.push(await pullFolder(ctx, f));
      return out;
    });
    const done = pulls.filter((p) => p.result);
    if (done.length === 0) {
      void vscode.window.showInformationMessage(`${title}: ${pulls.map((p) => p.skipped).join(' ') || vscode.l10n.t('nothing to pull.')}`);
      return pulls;
    }
    ctx.provider.refreshAll();
    const text = done
      .map((p) =>
        done.length > 1 ? `${p.folder.folder.name}: ${describePull(p.result as PullResult)}` : describePull(p.result as PullResult),
      )
      .join(' | ');
    const problems = done.flatMap((p) => p.result?.problems ?? []);
    for (const p of problems) ctx.log.warn(`${title}: ${p.message}`);
    if (problems.length > 0) {
      showErrorWithLog(
        ctx.log,
        vscode.l10n.t('{0}: {1} — {2} requests failed; what was fetched is kept.', title, text, problems.length),
        undefined,
        'warning',
      );
    } else void vscode.window.showInformationMessage(`${title}: ${text}.`);
    return pulls;
  });
}

/** Retry with Local Scenario: replace the blueprint Make stored with the workspace's, then retry on Make. */
export async function retryWithLocalScenarioCommand(
  ctx: CommandContext,
  arg?: unknown,
  selection?: unknown,
): Promise<RecordResult[] | undefined> {
  const title = vscode.l10n.t('Retry on Make with the Local Scenario');
  return guardedMake(ctx, title, async () => {
    if (!ensureTrusted()) return undefined;
    const targets =
      targetsFromArgs(ctx, arg, selection) ??
      (await pickExecutions(
        ctx,
        (r) => originOf(r) === 'make' && isRetryable(r),
        vscode.l10n.t('Incomplete executions from Make to retry with the local scenario'),
        true,
      ));
    if (!targets) return undefined;
    const results = await withViewProgress(vscode.l10n.t('Retrying on Make with the local scenario…'), async () => {
      const all: RecordResult[] = [];
      for (const t of targets) {
        const fromMake = t.ids.filter((id) => {
          const r = t.folder.records.get(id);
          if (r && originOf(r) === 'make') return true;
          all.push({
            id,
            result: 'skipped',
            message: vscode.l10n.t('{0} does not come from Make: there is no blueprint on Make to replace (Retry simulates it).', id),
          });
          return false;
        });
        if (fromMake.length === 0) continue;
        const make = await ctx.make.access(t.folder.folder);
        const out = await ctx.model.runWrite(t.folder.key, (file) =>
          retryAction({
            executionsFile: file,
            scenarioFiles: folderScenarioFiles(t.folder.folder),
            select: { ids: fromMake },
            profile: defaultProfile(t.folder.folder.uri),
            make,
            withLocalScenario: true,
          }),
        );
        all.push(...out.results);
      }
      return all;
    });
    showResults(title, results);
    return results;
  });
}
