/**
 * The Make API client: Make's official TypeScript SDK (`@makehq/sdk`) for the requests, plus what a
 * tool that runs unattended needs around it. The SDK builds every URL, header and body (its
 * endpoint classes where it has them, its public `fetch` where they fall short: `GET /dlqs`
 * and `GET /scenarios?teamId=` page by page with the answer's `pg` — its wrappers take no page or
 * drop the `pg` —, and `DELETE /dlqs`, which it does not wrap); this file replaces only its transport
 * (`handleRequest`, which the SDK documents as the method to override) to add:
 *
 * - a request budget shared by every request (budget.ts): never more than N per minute;
 * - a timeout per attempt (30 s by default);
 * - bounded retries: 429 after `Retry-After` (seconds or an HTTP date; without one, a growing
 *   backoff), up to 5 times and never for a wait longer than `maxRetryAfterMs`; 5xx, timeouts and
 *   network errors up to 3 times with backoff — for requests that can be repeated safely only
 *   (GET, PATCH, DELETE). A `POST …/retry` that timed out or got a 5xx is not sent again: Make may
 *   have started the retry, and a second one would run the scenario twice;
 * - one error type, MakeApiError, whose `kind` says what went wrong (the token was refused, not
 *   found, rate limited, …) and whose message never contains the token;
 * - a capture mode for `--dry-run`: the requests the SDK would send, recorded instead of sent.
 *
 * The token is handed to the SDK, which keeps it in a private field; this file never puts it in
 * a message, a log event or a captured request.
 */
import { Make, MakeError } from '@makehq/sdk';
import { RequestBudget, realClock, type BudgetClock } from './budget';
import type { MakeConnection } from './connection';

export type MakeApiErrorKind =
  /** 401: the token was refused. */
  | 'auth'
  /** 403: the token lacks a scope or access to that team / scenario. */
  | 'forbidden'
  | 'not-found'
  /** 429 after the retries the client allows. */
  | 'rate-limited'
  /** 5xx after the retries. */
  | 'server'
  | 'timeout'
  /** No HTTP answer: connection refused, DNS, TLS, reset. */
  | 'network'
  /** An answer that is not the JSON it should be. */
  | 'malformed'
  /** Any other 4xx: Make refused the request (its message says why). */
  | 'rejected';

/** Every failure of a client call. `request` is e.g. `GET /dlqs/abc/bundle` (no host, no token). */
export class MakeApiError extends MakeError {
  constructor(
    readonly kind: MakeApiErrorKind,
    message: string,
    readonly request: string,
    status?: number,
    /** Make's error code from the body, e.g. IM004. */
    readonly code?: string,
  ) {
    super(message, status);
    this.name = 'MakeApiError';
  }

  get status(): number | undefined {
    return this.statusCode;
  }
}

/** What the client tells its caller about each attempt (for logs and `--verbose`). */
export interface RequestEvent {
  readonly method: string;
  /** Full URL (query included); it never holds the token. */
  readonly url: string;
  readonly attempt: number;
  /** HTTP status, when there was an answer. */
  readonly status?: number;
  readonly ms: number;
  /** 'retry' = another attempt follows (after `waitMs`). */
  readonly outcome: 'ok' | 'retry' | 'failed';
  readonly reason?: string;
  readonly waitMs?: number;
}

/** A request recorded instead of sent (`--dry-run`). */
export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  /** As sent, with the token replaced by `<redacted>`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body parsed back (a string when it is not JSON), absent without one. */
  readonly body?: unknown;
}

export interface MakeClientStats {
  /** HTTP requests sent (each retry counts). */
  requests: number;
  retries: number;
  rateLimited: number;
  /** Time spent waiting for the budget or a Retry-After, ms. */
  waitedMs: number;
}

export interface MakeClientOptions {
  readonly token: string;
  readonly connection: MakeConnection;
  /** Shared budget; default: a new one of `requestsPerMinute` per minute. */
  readonly budget?: RequestBudget;
  /** Default 60 (Make's Core plan). */
  readonly requestsPerMinute?: number;
  /** Per attempt; default 30 000. */
  readonly timeoutMs?: number;
  /** Retries of 5xx / timeouts / network errors (repeatable requests only); default 3. */
  readonly maxRetries?: number;
  /** Retries of a 429; default 5. */
  readonly maxRateLimitRetries?: number;
  /** A 429 asking to wait longer than this is not retried; default 60 000. */
  readonly maxRetryAfterMs?: number;
  /** First backoff after a 5xx / timeout, doubled each time; default 500. */
  readonly backoffMs?: number;
  /** First backoff after a 429 without Retry-After, doubled each time; default 2 000. */
  readonly rateLimitBackoffMs?: number;
  readonly clock?: BudgetClock;
  readonly onRequest?: (e: RequestEvent) => void;
  /** Dry run: record the requests here and answer each with `{}` instead of sending it. */
  readonly capture?: CapturedRequest[];
}

/** A Make id as it may appear in a URL path (DLQ ids are hex; anything with `/`, `?`, … is refused). */
const SAFE_ID = /^[A-Za-z0-9_.-]{1,200}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function headersOf(init: RequestInit): Record<string, string> {
  const out: Record<string, string> = {};
  const h = init.headers;
  if (h instanceof Headers) h.forEach((v, k) => (out[k.toLowerCase()] = v));
  else if (Array.isArray(h)) for (const [k, v] of h) out[String(k).toLowerCase()] = String(v);
  else if (isObject(h)) for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = String(v);
  return out;
}

/** `Retry-After` as milliseconds from `now`: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
}

function networkReason(e: unknown): string {
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const code = isObject(cause) && typeof cause.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'connection timed out';
    default:
      return code ?? (cause instanceof Error ? cause.message : e instanceof Error ? e.message : String(e));
  }
}

/** The SDK with this client's transport. */
class SdkWithTransport extends Make {
  constructor(
    token: string,
    connection: MakeConnection,
    private readonly transport: (url: string, init: RequestInit) => Promise<Response>,
    private readonly describe: (response: Response) => string,
    private readonly scrub: (text: string) => string,
  ) {
    // The SDK's own retries stay off: the transport retries (with the budget and the timeout).
    super(token, connection.host, { version: connection.version, retry: { maxRetries: 0, onRateLimit: false, onServerError: false } });
    this.protocol = connection.protocol;
  }

  protected override handleRequest(url: string, options?: RequestInit): Promise<Response> {
    return this.transport(url, options ?? {});
  }

  protected override async handleError(response: Response): Promise<MakeError> {
    const base = await super.handleError(response);
    let code: string | undefined;
    try {
      const body: unknown = await response.clone().json();
      if (isObject(body) && typeof body.code === 'string') code = body.code;
    } catch {
      // not JSON: the status says enough
    }
    const status = response.status;
    const kind: MakeApiErrorKind =
      status === 401
        ? 'auth'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not-found'
            : status === 429
              ? 'rate-limited'
              : status >= 500
                ? 'server'
                : 'rejected';
    const request = this.describe(response);
    const detail = this.scrub(base.message || response.statusText || 'no message');
    const text =
      kind === 'auth'
        ? `${request}: Make refused the token (401 ${detail}); check MAKE_API_TOKEN / the stored token and its scopes`
        : `${request}: ${status} ${detail}${code ? ` (${code})` : ''}`;
    return new MakeApiError(kind, text, request, status, code);
  }

  protected override async handleResponse<T>(response: Response): Promise<T> {
    try {
      return await super.handleResponse<T>(response);
    } catch (e) {
      const request = this.describe(response);
      if (isTimeout(e)) throw new MakeApiError('timeout', `${request}: the answer did not arrive in time`, request);
      throw new MakeApiError(
        'malformed',
        `${request}: Make answered with malformed JSON (${this.scrub(e instanceof Error ? e.message : String(e))})`,
        request,
        response.status,
      );
    }
  }
}

export class MakeClient {
  readonly connection: MakeConnection;
  readonly budget: RequestBudget;
  readonly stats: MakeClientStats = { requests: 0, retries: 0, rateLimited: 0, waitedMs: 0 };
  private readonly sdk: SdkWithTransport;
  private readonly sent = new WeakMap<Response, { method: string; url: string }>();
  private readonly token: string;
  private readonly clock: BudgetClock;
  private readonly o: Required<
    Pick<MakeClientOptions, 'timeoutMs' | 'maxRetries' | 'maxRateLimitRetries' | 'maxRetryAfterMs' | 'backoffMs' | 'rateLimitBackoffMs'>
  >;

  constructor(private readonly options: MakeClientOptions) {
    if (options.token.trim() === '') throw new Error('MakeClient: empty token');
    this.connection = options.connection;
    this.token = options.token.trim();
    this.clock = options.clock ?? realClock;
    this.budget = options.budget ?? new RequestBudget(options.requestsPerMinute ?? 60, 60_000, this.clock);
    this.o = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      maxRateLimitRetries: options.maxRateLimitRetries ?? 5,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      backoffMs: options.backoffMs ?? 500,
      rateLimitBackoffMs: options.rateLimitBackoffMs ?? 2_000,
    };
    this.sdk = new SdkWithTransport(
      this.token,
      options.connection,
      (url, init) => this.send(url, init),
      (res) => {
        const s = this.sent.get(res);
        return this.describe(s?.url ?? res.url, s?.method ?? 'GET');
      },
      (t) => this.redact(t),
    );
  }

  /** `text` with every occurrence of the token replaced by `<redacted>`. */
  redact(text: string): string {
    return this.token.length >= 4 ? text.split(this.token).join('<redacted>') : text;
  }

  /** `GET /dlqs/abc` for a full URL: the path below the base URL, without the query. */
  private describe(url: string, method: string): string {
    let p = url;
    try {
      p = new URL(url).pathname;
    } catch {
      // keep as is
    }
    const base = `/api/v${this.connection.version}`;
    if (p.startsWith(base)) p = p.slice(base.length);
    return `${method || 'GET'} ${p}`.trim();
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = headersOf(init);
    const tag = (res: Response): Response => {
      // The SDK's error and response handlers only see the Response: remember its method and URL.
      this.sent.set(res, { method, url });
      return res;
    };
    if (this.options.capture) {
      const shown: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) shown[k] = this.redact(v);
      let body: unknown;
      if (typeof init.body === 'string') {
        try {
          body = JSON.parse(init.body);
        } catch {
          body = this.redact(init.body);
        }
      }
      this.options.capture.push({ method, url, headers: shown, ...(body !== undefined ? { body } : {}) });
      return tag(new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }));
    }
    // Repeating a POST could retry an execution twice; every other method Make offers here is safe to repeat.
    const repeatable = method !== 'POST';
    let failures = 0;
    let limited = 0;
    for (let attempt = 1; ; attempt++) {
      const waitedBefore = this.budget.waitedMs;
      await this.budget.acquire();
      this.stats.waitedMs += this.budget.waitedMs - waitedBefore;
      this.stats.requests++;
      const started = this.clock.now();
      const event = (e: Omit<RequestEvent, 'method' | 'url' | 'attempt' | 'ms'>): void =>
        this.options.onRequest?.({ method, url, attempt, ms: this.clock.now() - started, ...e });
      let res: Response;
      try {
        res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.o.timeoutMs) });
      } catch (e) {
        const timedOut = isTimeout(e);
        const reason = timedOut ? `no answer within ${this.o.timeoutMs / 1000} s` : networkReason(e);
        if (repeatable && failures < this.o.maxRetries) {
          failures++;
          const wait = this.backoff(this.o.backoffMs, failures);
          event({ outcome: 'retry', reason, waitMs: wait });
          this.stats.retries++;
          await this.pause(wait);
          continue;
        }
        event({ outcome: 'failed', reason });
        const request = this.describe(url, method);
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : repeatable ? '' : ' (not repeated: Make may have received it)';
        throw new MakeApiError(timedOut ? 'timeout' : 'network', `${request}: ${reason}${tries}`, request);
      }
      if (res.status === 429) {
        this.stats.rateLimited++;
        const asked = retryAfterMs(res.headers.get('retry-after'), Date.now());
        const wait = asked ?? this.backoff(this.o.rateLimitBackoffMs, limited + 1);
        if (limited < this.o.maxRateLimitRetries && wait <= this.o.maxRetryAfterMs) {
          limited++;
          event({
            status: 429,
            outcome: 'retry',
            reason: asked !== undefined ? `rate limited, Retry-After ${Math.round(asked / 1000)} s` : 'rate limited',
            waitMs: wait,
          });
          this.stats.retries++;
          await res.body?.cancel();
          // Every request of this budget waits, not only this one.
          this.budget.pauseUntil(this.clock.now() + Math.max(wait, 100));
          continue;
        }
        event({
          status: 429,
          outcome: 'failed',
          reason:
            asked !== undefined && wait > this.o.maxRetryAfterMs
              ? `rate limited; Make asks to wait ${Math.round(wait / 1000)} s`
              : 'rate limited',
        });
        return tag(res);
      }
      if (res.status >= 500 && repeatable && failures < this.o.maxRetries) {
        failures++;
        const wait = this.backoff(this.o.backoffMs, failures);
        event({ status: res.status, outcome: 'retry', reason: `server error ${res.status}`, waitMs: wait });
        this.stats.retries++;
        await res.body?.cancel();
        await this.pause(wait);
        continue;
      }
      event({ status: res.status, outcome: res.status < 400 ? 'ok' : 'failed' });
      return tag(res);
    }
  }

  private backoff(base: number, n: number): number {
    const exp = base * 2 ** (n - 1);
    const jitter = exp * 0.2 * (Math.random() * 2 - 1);
    return Math.round(Math.min(60_000, Math.max(0, exp + jitter)));
  }

  private async pause(ms: number): Promise<void> {
    this.stats.waitedMs += ms;
    await this.clock.sleep(ms);
  }

  private async call<T>(request: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof MakeApiError) throw e;
      if (e instanceof MakeError) throw new MakeApiError('rejected', `${request}: ${this.redact(e.message)}`, request, e.statusCode);
      throw new MakeApiError('malformed', `${request}: ${this.redact(e instanceof Error ? e.message : String(e))}`, request);
    }
  }

  private id(id: string): string {
    if (!SAFE_ID.test(id)) throw new MakeApiError('rejected', `'${id.slice(0, 60)}' is not a Make id`, 'local check');
    return id;
  }

  // ---------------------------------------------------------------------------------------------
  // Endpoints (the SDK's wrappers where it has them)
  // ---------------------------------------------------------------------------------------------

  /** `GET /scenarios/{id}` → the `scenario` object. */
  async getScenario(scenarioId: number): Promise<Record<string, unknown>> {
    const r = `GET /scenarios/${scenarioId}`;
    const s: unknown = await this.call(r, () => this.sdk.scenarios.get(scenarioId));
    if (!this.options.capture && !isObject(s)) throw new MakeApiError('malformed', `${r}: the answer has no "scenario" object`, r);
    return isObject(s) ? s : {};
  }

  /**
   * `GET /scenarios?teamId=` page by page → every `scenario` of the team. Through the SDK's `fetch`
   * rather than `scenarios.list`, which drops the `pg` of the answer: Make may serve fewer per page
   * than asked, and only `pg.limit` tells a short page from the last one.
   */
  async listScenarios(teamId: number, pageSize = 100): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const r = `GET /scenarios?teamId=${teamId}`;
    for (let offset = 0; ;) {
      const body: unknown = await this.call(r, () => this.sdk.fetch('/scenarios', { query: { teamId, pg: { offset, limit: pageSize } } }));
      if (this.options.capture) return out;
      if (!isObject(body) || !Array.isArray(body.scenarios))
        throw new MakeApiError('malformed', `${r}: the answer has no "scenarios" list`, r);
      const page = body.scenarios;
      out.push(...page.filter(isObject));
      const served =
        isObject(body.pg) && typeof body.pg.limit === 'number' && body.pg.limit > 0 && body.pg.limit < pageSize ? body.pg.limit : pageSize;
      if (page.length === 0 || page.length < served || offset > 100_000) return out;
      offset += page.length;
    }
  }

  /** One page of `GET /dlqs?scenarioId=` (oldest first, so records added meanwhile land on later pages). */
  async listDlqsPage(scenarioId: number, offset: number, limit: number): Promise<{ dlqs: unknown[]; raw: Record<string, unknown> }> {
    const r = `GET /dlqs?scenarioId=${scenarioId}`;
    const body: unknown = await this.call(r, () =>
      this.sdk.fetch('/dlqs', { query: { scenarioId, pg: { offset, limit, sortBy: 'created', sortDir: 'asc' } } }),
    );
    if (this.options.capture) return { dlqs: [], raw: {} };
    if (!isObject(body) || !Array.isArray(body.dlqs)) throw new MakeApiError('malformed', `${r}: the answer has no "dlqs" list`, r);
    return { dlqs: body.dlqs, raw: body };
  }

  /** `GET /dlqs/{id}` → the response as Make sends it (`{dlq: {...}}`). */
  async getDlq(id: string): Promise<{ dlq: Record<string, unknown> }> {
    const r = `GET /dlqs/${id}`;
    const dlq: unknown = await this.call(r, () => this.sdk.incompleteExecutions.get(encodeURIComponent(this.id(id))));
    if (!isObject(dlq)) throw new MakeApiError('malformed', `${r}: the answer has no "dlq" object`, r);
    return { dlq };
  }

  /** `GET /dlqs/{id}/bundle` → `{dlqId, response}` (the id added so the importer can match it). */
  async getBundle(id: string): Promise<{ dlqId: string; response: Record<string, unknown> }> {
    const r = `GET /dlqs/${id}/bundle`;
    const response: unknown = await this.call(r, () => this.sdk.incompleteExecutions.bundle(encodeURIComponent(this.id(id))));
    if (!isObject(response)) throw new MakeApiError('malformed', `${r}: the answer has no "response" object`, r);
    return { dlqId: id, response };
  }

  /** `PATCH /dlqs/{id}` with the blueprint as a JSON string and the failing module. */
  async updateDlq(id: string, body: { blueprint: string; failer: number }): Promise<void> {
    await this.call(`PATCH /dlqs/${id}`, () => this.sdk.incompleteExecutions.update(encodeURIComponent(this.id(id)), body));
  }

  /** `POST /dlqs/{id}/retry`. */
  async retryDlq(id: string): Promise<void> {
    await this.call(`POST /dlqs/${id}/retry`, () => this.sdk.incompleteExecutions.retry(encodeURIComponent(this.id(id))));
  }

  /** `POST /dlqs/retry?scenarioId=` with `ids`, or `all` (and `exceptIds`). */
  async retryDlqs(scenarioId: number, body: { ids: string[] } | { all: true; exceptIds?: string[] }): Promise<void> {
    for (const id of 'ids' in body ? body.ids : (body.exceptIds ?? [])) this.id(id);
    await this.call(`POST /dlqs/retry?scenarioId=${scenarioId}`, () =>
      this.sdk.incompleteExecutions.retryMultiple(scenarioId, { ...body }),
    );
  }

  /**
   * `DELETE /dlqs?scenarioId=` with `ids`, or `all` (and `exceptIds`). Deleting all needs
   * `confirmed` (the query `confirmed=true`): pass it only after the person confirmed.
   */
  async deleteDlqs(scenarioId: number, body: { ids: string[] } | { all: true; exceptIds?: string[] }, confirmed = false): Promise<void> {
    for (const id of 'ids' in body ? body.ids : (body.exceptIds ?? [])) this.id(id);
    const query: Record<string, string | number> = { scenarioId };
    if ('all' in body && confirmed) query.confirmed = 'true';
    await this.call(`DELETE /dlqs?scenarioId=${scenarioId}`, () => this.sdk.fetch('/dlqs', { method: 'DELETE', query, body: { ...body } }));
  }
}
