/**
 * The extension's connection to Make: the tokens (in VS Code's SecretStorage only — never in the
 * workspace, the settings, the log or a message), the workspace config of each folder
 * (`.fusionlintrc.json`, read by the core), one request budget per API (shared by the commands and
 * the polling, so together they stay under the organization's limit), and whether the last
 * contact with an API failed (the tree says "offline").
 */
import * as vscode from 'vscode';
import { type MakeAccess } from '../../core/make/actions';
import { RequestBudget } from '../../core/make/budget';
import { MakeClient, type RequestEvent } from '../../core/make/client';
import { loadMakeConfig, EMPTY_MAKE_CONFIG, type MakeWorkspaceConfig } from '../../core/make/config';
import { connectionForApiUrl, type MakeConnection } from '../../core/make/connection';

const CONNECTIONS_KEY = 'fusionExecutions.make.connections';
const SECRET_PREFIX = 'fusionExecutions.make.token:';

/** How a connection is named to a person: the zone, or the base URL. */
export function connectionLabel(c: MakeConnection): string {
  return c.kind === 'zone' ? c.host : c.baseUrl;
}

export interface ContactState {
  /** Last request that got an answer (ms since epoch). */
  readonly okAt?: number;
  /** Last failure to reach Make or a refused token, newer than `okAt`. */
  readonly failedAt?: number;
  readonly failure?: string;
}

export class MakeService implements vscode.Disposable {
  private readonly budgets = new Map<string, RequestBudget>();
  private readonly contact = new Map<string, ContactState>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when a connection is added or removed, or the contact state of an API changes. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.emitter.dispose();
  }

  /** The APIs a token is stored for (base URLs). */
  connections(): MakeConnection[] {
    const stored: unknown = this.state.get(CONNECTIONS_KEY);
    const list = Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string') : [];
    const out: MakeConnection[] = [];
    for (const url of list) {
      try {
        const c = connectionForApiUrl(url);
        // A zone's base URL names the zone again.
        const zone =
          c.protocol === 'https' && c.version === 2 && /\.make\.(com|celonis\.com)$/.test(c.host) ? { ...c, kind: 'zone' as const } : c;
        out.push(zone);
      } catch {
        // an entry this version cannot read: ignore it
      }
    }
    return out;
  }

  isConnected(c: MakeConnection): boolean {
    return this.connections().some((x) => x.baseUrl === c.baseUrl);
  }

  /** Stores the token for `c` in SecretStorage. */
  async connect(c: MakeConnection, token: string): Promise<void> {
    const t = token.trim();
    if (t === '') throw new Error(vscode.l10n.t('The token is empty.'));
    await this.secrets.store(SECRET_PREFIX + c.baseUrl, t);
    const urls = new Set(this.connections().map((x) => x.baseUrl));
    urls.add(c.baseUrl);
    await this.state.update(CONNECTIONS_KEY, [...urls]);
    this.contact.delete(c.baseUrl);
    this.log.info(`Connected to Make (${connectionLabel(c)}); the token is in VS Code's secret storage.`);
    this.emitter.fire();
  }

  async disconnect(c: MakeConnection): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + c.baseUrl);
    await this.state.update(
      CONNECTIONS_KEY,
      this.connections()
        .map((x) => x.baseUrl)
        .filter((u) => u !== c.baseUrl),
    );
    this.contact.delete(c.baseUrl);
    this.log.info(`Disconnected from Make (${connectionLabel(c)}); its token was removed.`);
    this.emitter.fire();
  }

  private tokenOf(c: MakeConnection): Thenable<string | undefined> {
    return this.secrets.get(SECRET_PREFIX + c.baseUrl);
  }

  /** The `make` section of the folder's `.fusionlintrc.json` (empty for a virtual folder or without one). */
  async config(folder: vscode.WorkspaceFolder): Promise<MakeWorkspaceConfig> {
    if (folder.uri.scheme !== 'file') return EMPTY_MAKE_CONFIG;
    return loadMakeConfig(folder.uri.fsPath);
  }

  budgetFor(c: MakeConnection, perMinute: number): RequestBudget {
    let b = this.budgets.get(c.baseUrl);
    if (!b || b.limit !== perMinute) {
      b = new RequestBudget(perMinute);
      this.budgets.set(c.baseUrl, b);
    }
    return b;
  }

  /** A client for `c`, or undefined when no token is stored for it. */
  async client(c: MakeConnection, config: MakeWorkspaceConfig): Promise<MakeClient | undefined> {
    const token = await this.tokenOf(c);
    return token ? this.makeClient(c, token, config) : undefined;
  }

  private makeClient(c: MakeConnection, token: string, config: MakeWorkspaceConfig): MakeClient {
    const client: MakeClient = new MakeClient({
      token,
      connection: c,
      budget: this.budgetFor(c, config.requestsPerMinute ?? 60),
      onRequest: (e: RequestEvent) => this.onRequest(c, client, e),
    });
    return client;
  }

  private onRequest(c: MakeConnection, client: MakeClient, e: RequestEvent): void {
    const line = client.redact(`${e.method} ${e.url} → ${e.status ?? 'no answer'} (${e.ms} ms)${e.reason ? ` — ${e.reason}` : ''}`);
    if (e.outcome === 'failed') this.log.warn(line);
    else this.log.debug(line);
    const before = this.contact.get(c.baseUrl);
    const now = Date.now();
    let next: ContactState;
    if (e.status !== undefined && e.status !== 401) next = { okAt: now };
    else if (e.outcome === 'failed')
      next = {
        ...(before?.okAt !== undefined ? { okAt: before.okAt } : {}),
        failedAt: now,
        failure: e.status === 401 ? 'the token was refused (401)' : (e.reason ?? 'no answer'),
      };
    else return;
    const changed = (before?.failedAt !== undefined) !== (next.failedAt !== undefined);
    this.contact.set(c.baseUrl, next);
    if (changed) this.emitter.fire();
  }

  /** Whether the last contact with `baseUrl` failed (and what it was). */
  contactState(baseUrl: string): ContactState | undefined {
    return this.contact.get(baseUrl);
  }

  /**
   * What the core's actions need to reach Make for a folder's records: the folder's config and a
   * client per API that has a token (the tokens are read now: `clientFor` is synchronous).
   */
  async access(folder: vscode.WorkspaceFolder, override?: MakeConnection): Promise<MakeAccess> {
    const config = await this.config(folder);
    const candidates = [...this.connections(), ...(config.connection ? [config.connection] : []), ...(override ? [override] : [])];
    const tokens = new Map<string, string>();
    for (const c of candidates) {
      const t = await this.tokenOf(c);
      if (t) tokens.set(c.baseUrl, t);
    }
    const clientFor =
      tokens.size > 0
        ? (c: MakeConnection): MakeClient => {
            const token = tokens.get(c.baseUrl);
            if (!token) throw new NotConnectedTo(c);
            return this.makeClient(c, token, config);
          }
        : undefined;
    return {
      ...(clientFor ? { clientFor, canReach: (c: MakeConnection) => tokens.has(c.baseUrl) } : {}),
      ...(override ? { override } : {}),
      ...(config.connection ? { fallback: config.connection } : {}),
      ...(config.teamId !== undefined ? { teamId: config.teamId } : {}),
      fileOf: config.fileOf,
    };
  }
}

/** A record's API has no token stored (another one has). */
export class NotConnectedTo extends Error {
  constructor(readonly connection: MakeConnection) {
    super(
      vscode.l10n.t(
        'Not connected to Make at {0}: run "Fusion: Connect to Make…" for it. Nothing was changed.',
        connectionLabel(connection),
      ),
    );
    this.name = 'NotConnectedTo';
  }
}
