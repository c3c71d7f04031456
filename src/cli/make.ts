/**
 * What the commands that talk to Make share: their options, the token (MAKE_API_TOKEN or
 * --token-file; never printed), the workspace config (.fusionlintrc.json), the client factory
 * (one request budget per command run), --dry-run (the requests printed instead of sent, the
 * token redacted), --verbose (one line per request on stderr) and the messages for connection
 * problems (exit 2).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MakeNotConnectedError, type MakeAccess } from '../core/make/actions';
import { RequestBudget } from '../core/make/budget';
import { MakeApiError, MakeClient, type CapturedRequest, type RequestEvent } from '../core/make/client';
import { loadMakeConfig, MakeConfigError, EMPTY_MAKE_CONFIG, type MakeWorkspaceConfig } from '../core/make/config';
import { connectionForApiUrl, connectionForZone, MakeConnectionError, MAKE_ZONES, type MakeConnection } from '../core/make/connection';
import { boolOpt, stringOpt, type CommandContext, type OptionDefs } from './args';
import { CliError, EXIT_PROBLEMS, EXIT_USAGE, UsageError } from './errors';
import { describeFsError, displayPath } from './files';

export const TOKEN_ENV = 'MAKE_API_TOKEN';

export const MAKE_OPTIONS: OptionDefs = {
  zone: {
    type: 'string',
    valueName: 'HOST',
    description: `Make zone: ${MAKE_ZONES.join(', ')} (default: the record's own, else make.zone of .fusionlintrc.json).`,
  },
  'api-url': { type: 'string', valueName: 'URL', description: "The API's base URL, e.g. http://127.0.0.1:8123/api/v2 (wins over --zone)." },
  'token-file': {
    type: 'string',
    valueName: 'FILE',
    description: `Read the API token from FILE (default: the ${TOKEN_ENV} environment variable).`,
  },
  'dry-run': { type: 'boolean', description: 'Print the requests that would be sent (token redacted); send nothing, write nothing.' },
  'requests-per-minute': {
    type: 'string',
    valueName: 'N',
    description: "Request budget: the organization's API limit per minute (default: make.requestsPerMinute, else 60 = Core).",
  },
  timeout: { type: 'string', valueName: 'SECONDS', description: 'Timeout of each request (default 30).' },
  verbose: { type: 'boolean', description: 'One line per request on stderr (method, URL, status, time).' },
};

/** How to connect, for messages. */
export const CONNECT_HINT = `set ${TOKEN_ENV} to a Make API token (scopes dlqs:read, dlqs:write, scenarios:read) or pass --token-file FILE`;

export interface MakeSetup {
  readonly config: MakeWorkspaceConfig;
  /** --api-url / --zone. */
  readonly override?: MakeConnection;
  readonly token?: string;
  readonly dryRun: boolean;
  /** Dry run: what would have been sent. */
  readonly captured: CapturedRequest[];
  readonly access: MakeAccess;
  /** The clients made so far (their stats). */
  readonly clients: MakeClient[];
}

function positiveNumber(ctx: CommandContext, name: string): number | undefined {
  const raw = stringOpt(ctx.values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`option '--${name}' must be a positive number (got '${raw}')`, ctx.command);
  return n;
}

/** --api-url / --zone, checked. */
export function overrideConnection(ctx: CommandContext): MakeConnection | undefined {
  const apiUrl = stringOpt(ctx.values, 'api-url');
  const zone = stringOpt(ctx.values, 'zone');
  try {
    if (apiUrl !== undefined) return connectionForApiUrl(apiUrl);
    if (zone !== undefined) return connectionForZone(zone);
  } catch (e) {
    if (e instanceof MakeConnectionError) throw new UsageError(e.message, ctx.command);
    throw e;
  }
  return undefined;
}

/** The token: --token-file, else MAKE_API_TOKEN; undefined when neither is set. Never printed. */
export function readToken(ctx: CommandContext): string | undefined {
  const file = stringOpt(ctx.values, 'token-file');
  if (file !== undefined) {
    const shown = displayPath(file, ctx.cwd);
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(ctx.cwd, file), 'utf8');
    } catch (e) {
      throw new CliError(`--token-file ${shown}: ${describeFsError(e)}`);
    }
    const token = text.trim();
    if (token === '' || /\s/.test(token)) throw new CliError(`--token-file ${shown}: expected the token alone on one line`);
    return token;
  }
  const env = process.env[TOKEN_ENV]?.trim();
  return env ? env : undefined;
}

export async function workspaceMakeConfig(root: string, cwd: string): Promise<MakeWorkspaceConfig> {
  try {
    return await loadMakeConfig(root);
  } catch (e) {
    if (e instanceof MakeConfigError) {
      throw new CliError(`${displayPath(e.file, cwd)}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.detail}`);
    }
    throw e;
  }
}

/**
 * Options, token, config and client factory of a command that may talk to Make. `strict`: an
 * invalid config file is an error (pull); otherwise it is noted on stderr and its `make` section
 * ignored, so a broken config does not stop work on local records.
 */
export async function makeSetup(ctx: CommandContext, workspace: string, strict = false): Promise<MakeSetup> {
  const override = overrideConnection(ctx);
  const dryRun = boolOpt(ctx.values, 'dry-run');
  const token = readToken(ctx);
  let config: MakeWorkspaceConfig = EMPTY_MAKE_CONFIG;
  try {
    config = fs.existsSync(workspace) ? await workspaceMakeConfig(workspace, ctx.cwd) : EMPTY_MAKE_CONFIG;
  } catch (e) {
    if (strict || !(e instanceof CliError)) throw e;
    ctx.err(`note: ${e.message} (its "make" section is ignored)\n`);
  }
  const perMinute = positiveNumber(ctx, 'requests-per-minute');
  const timeout = positiveNumber(ctx, 'timeout');
  const verbose = boolOpt(ctx.values, 'verbose');
  const captured: CapturedRequest[] = [];
  const clients: MakeClient[] = [];
  const budget = new RequestBudget(Math.max(1, Math.floor(perMinute ?? config.requestsPerMinute ?? 60)));
  const usable = token ?? (dryRun ? 'dry-run-without-a-token' : undefined);
  const clientFor = usable
    ? (connection: MakeConnection): MakeClient => {
        const client = new MakeClient({
          token: usable,
          connection,
          budget,
          ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
          ...(dryRun ? { capture: captured } : {}),
          ...(verbose ? { onRequest: (e: RequestEvent) => ctx.err(`${formatEvent(e, client)}\n`) } : {}),
        });
        clients.push(client);
        return client;
      }
    : undefined;
  const access: MakeAccess = {
    ...(clientFor ? { clientFor } : {}),
    ...(override ? { override } : {}),
    ...(config.connection ? { fallback: config.connection } : {}),
    ...(config.teamId !== undefined ? { teamId: config.teamId } : {}),
    fileOf: config.fileOf,
    dryRun,
  };
  return { config, ...(override ? { override } : {}), ...(token ? { token } : {}), dryRun, captured, access, clients };
}

function formatEvent(e: RequestEvent, client: MakeClient): string {
  const status = e.status !== undefined ? String(e.status) : 'no answer';
  const tail =
    e.outcome === 'retry'
      ? ` — ${e.reason ?? 'retrying'}, again in ${((e.waitMs ?? 0) / 1000).toFixed(1)} s`
      : e.reason
        ? ` — ${e.reason}`
        : '';
  return client.redact(`${e.method} ${e.url} → ${status} (${e.ms} ms)${tail}`);
}

/** The dry run's requests, as text or JSON-ready objects; the authorization header is shown redacted. */
export function describeRequests(
  captured: readonly CapturedRequest[],
  hasToken: boolean,
): { method: string; url: string; headers: Record<string, string>; body?: unknown }[] {
  return captured.map((r) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      if (k === 'user-agent') continue;
      headers[k] =
        k === 'authorization' ? (hasToken ? v.replace(/^(\S+)\s.*$/, '$1 <redacted>') : `<no token: ${TOKEN_ENV} is not set>`) : v;
    }
    return { method: r.method, url: r.url, headers, ...(r.body !== undefined ? { body: r.body } : {}) };
  });
}

export function printRequests(ctx: CommandContext, captured: readonly CapturedRequest[], hasToken: boolean, note?: string): void {
  const lines: string[] = [
    `Dry run: ${captured.length} request${captured.length === 1 ? '' : 's'} would be sent; nothing was sent or written.`,
  ];
  for (const r of describeRequests(captured, hasToken)) {
    lines.push(`${r.method} ${r.url}`);
    for (const [k, v] of Object.entries(r.headers)) lines.push(`  ${k}: ${v}`);
    if (r.body !== undefined) lines.push(`  ${JSON.stringify(r.body)}`);
  }
  if (note) lines.push(note);
  ctx.out(lines.join('\n') + '\n');
}

/** Errors `makeError` turns into messages. */
export function isMakeSideError(e: unknown): boolean {
  return e instanceof MakeNotConnectedError || e instanceof MakeApiError || e instanceof MakeConfigError;
}

/** Turns the Make-side errors of an action into CLI errors (exit 2 for connection problems, else 1); anything else is rethrown. */
export function makeError(e: unknown): never {
  if (e instanceof MakeNotConnectedError) {
    const how =
      e.missing === 'token'
        ? `To act on Make: ${CONNECT_HINT}.`
        : 'Pass --zone HOST or --api-url URL (or set make.zone in .fusionlintrc.json), and the token.';
    throw new CliError(`${e.message} ${how}`, EXIT_USAGE);
  }
  if (e instanceof MakeApiError && (e.kind === 'auth' || e.kind === 'network')) {
    throw new CliError(e.kind === 'auth' ? e.message : `cannot reach Make: ${e.message}`, EXIT_USAGE);
  }
  if (e instanceof MakeConfigError) throw new CliError(e.message, EXIT_USAGE);
  if (e instanceof MakeApiError) throw new CliError(e.message, EXIT_PROBLEMS);
  throw e;
}
