// A local stand-in for Make's API v2 (the endpoints for incomplete executions, "DLQs", and scenarios),
// for tests: a real HTTP server on 127.0.0.1 that the suites start themselves. Payload shapes follow
// Make's API reference and the official SDK's test payloads (reference material, not copied here).
//
// It keeps state (scenarios, incomplete executions with their bundles and blueprints), records every
// request it got (method, path, query, body, Authorization header) so tests assert what was sent, and
// has switches for the failures a client must survive: 429 with Retry-After, 500, a response slower
// than the client's timeout, malformed JSON, 401, pagination, and a record that disappears between
// list and detail. It never talks to anything else.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeDlq {
  id: string;
  scenarioId: number;
  reason: string;
  created: string;
  size: number;
  resolved: boolean;
  retry: boolean;
  attempts: number;
  /** The bundle response: module id → `{error: {type, message}}` for the failing one, else values. */
  bundle: Record<string, unknown>;
  /** The blueprint stored with the record (what a retry runs). */
  blueprint?: unknown;
  failer?: number;
  executionId?: string;
}

export interface FakeScenario {
  id: number;
  name: string;
  teamId: number;
  isActive?: boolean;
  isPaused?: boolean;
  isinvalid?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/** What a test wants the next matching requests to suffer. */
export interface Fault {
  /** Which requests: method + path regex (default: any). */
  readonly method?: string;
  readonly path?: RegExp;
  /** How many requests it hits (default 1). */
  times?: number;
  readonly kind: 'rate-limit' | 'server-error' | 'slow' | 'malformed' | 'unauthorized';
  /** rate-limit: the Retry-After header in seconds (omit for none). */
  readonly retryAfterSeconds?: number;
  /** slow: how long to wait before answering (ms). */
  readonly delayMs?: number;
}

export interface MakeApiServerOptions {
  /** The token the server accepts (`Authorization: Token <t>` or `Bearer <t>`). */
  readonly token: string;
  /** Page size cap for list endpoints (Make's `pg[limit]`); default 100. */
  readonly maxPageSize?: number;
  /** Do not keep the process alive (a runner that cannot always stop it, e.g. after a failed step). */
  readonly unref?: boolean;
}

export class MakeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly scenarios = new Map<number, FakeScenario>();
  readonly dlqs = new Map<string, FakeDlq>();
  readonly faults: Fault[] = [];
  /** Ids that vanish after they were listed once (deleted on Make between list and detail). */
  readonly vanishAfterList = new Set<string>();
  /**
   * What a retry on Make does to a record (default: see `retryOne`). Tests set it to decide, e.g.
   * resolve only when the blueprint PATCHed in has a handler on the failing module.
   */
  onRetry?: (d: FakeDlq) => void;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: MakeApiServerOptions) {}

  /** Starts listening on 127.0.0.1 (a free port); returns the API base URL, e.g. http://127.0.0.1:PORT/api/v2. */
  async start(): Promise<string> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      if (this.options.unref) s.unref();
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    if (this.options.unref) server.unref();
    this.server = server;
    return this.baseUrl;
  }

  get port(): number {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    if (!addr) throw new Error('the fake Make API server is not running');
    return addr.port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v2`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addScenario(s: FakeScenario): void {
    this.scenarios.set(s.id, s);
  }

  addDlq(d: FakeDlq): void {
    this.dlqs.set(d.id, d);
  }

  /** Requests whose path (without /api/v2) matches. */
  requestsTo(method: string, pathRe: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathRe.test(r.path));
  }

  private takeFault(method: string, p: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || f.path.test(p)));
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const p = url.pathname.replace(/^\/api\/v2/, '');
    const query = Object.fromEntries(url.searchParams.entries());
    const authorization = req.headers.authorization;
    this.requests.push({ method: req.method ?? 'GET', path: p, query, body, authorization });

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    };
    const method = req.method ?? 'GET';
    const fault = this.takeFault(method, p);
    if (fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return send(
            429,
            { message: 'Requests limit for organization exceeded', code: 'SC429' },
            fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
          );
        case 'server-error':
          return send(500, { message: 'Internal server error', code: 'SC500' });
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs ?? 5000));
          if (res.destroyed) return;
          break; // then answer normally
        case 'malformed':
          return send(200, '{"dlqs": [ {"id": ');
        case 'unauthorized':
          return send(401, { message: 'Invalid token', code: 'SC401' });
      }
    }
    const token = authorization?.replace(/^(Token|Bearer) /, '');
    if (token !== this.options.token) return send(401, { message: 'Invalid token', code: 'SC401' });

    const notFound = (what: string): void => send(404, { message: `${what} not found`, code: 'IM005' });
    let m: RegExpMatchArray | null;
    if (method === 'GET' && p === '/dlqs') {
      const scenarioId = Number(query.scenarioId);
      if (!Number.isInteger(scenarioId)) return send(400, { message: 'scenarioId is required', code: 'IM001' });
      const all = [...this.dlqs.values()].filter((d) => d.scenarioId === scenarioId);
      const offset = Number(query['pg[offset]'] ?? 0);
      const limit = Math.min(Number(query['pg[limit]'] ?? 10000), this.options.maxPageSize ?? 100);
      const page = all.slice(offset, offset + limit);
      for (const d of page) if (this.vanishAfterList.has(d.id)) this.dlqs.delete(d.id);
      return send(200, {
        dlqs: page.map((d) => ({
          id: d.id,
          reason: d.reason,
          created: d.created,
          size: d.size,
          resolved: d.resolved,
          retry: d.retry,
          attempts: d.attempts,
        })),
        pg: { offset, limit, sortBy: 'created', sortDir: 'desc' },
      });
    }
    if ((m = p.match(/^\/dlqs\/([^/]+)$/))) {
      const d = this.dlqs.get(m[1]);
      if (method === 'GET') {
        if (!d) return notFound('Incomplete execution');
        const s = this.scenarios.get(d.scenarioId);
        return send(200, {
          dlq: {
            id: d.id,
            scenarioId: d.scenarioId,
            scenarioName: s?.name ?? `Scenario ${d.scenarioId}`,
            companyId: 1,
            companyName: 'Test org',
            resolved: d.resolved,
            deleted: false,
            index: 1,
            created: d.created,
            executionId: d.executionId ?? `exec-${d.id}`,
            retry: d.retry,
            attempts: d.attempts,
            size: d.size,
          },
        });
      }
      if (method === 'PATCH') {
        if (!d) return notFound('Incomplete execution');
        const b = (body ?? {}) as { blueprint?: unknown; failer?: unknown };
        if (typeof b.blueprint === 'string') {
          try {
            d.blueprint = JSON.parse(b.blueprint);
          } catch {
            return send(400, { message: 'blueprint is not valid JSON', code: 'IM002' });
          }
        }
        if (typeof b.failer === 'number') d.failer = b.failer;
        return send(200, { dlq: { failer: d.failer, blueprint: d.blueprint } });
      }
    }
    if (method === 'GET' && (m = p.match(/^\/dlqs\/([^/]+)\/bundle$/))) {
      const d = this.dlqs.get(m[1]);
      if (!d) return notFound('Incomplete execution');
      return send(200, { code: 'OK', response: d.bundle });
    }
    if (method === 'GET' && (m = p.match(/^\/dlqs\/([^/]+)\/blueprint$/))) {
      const d = this.dlqs.get(m[1]);
      if (!d) return notFound('Incomplete execution');
      return send(200, { code: 'OK', response: { blueprint: d.blueprint ?? null } });
    }
    if (method === 'POST' && (m = p.match(/^\/dlqs\/([^/]+)\/retry$/))) {
      const d = this.dlqs.get(m[1]);
      if (!d) return notFound('Incomplete execution');
      this.retryOne(d);
      return send(200, {});
    }
    if (method === 'POST' && p === '/dlqs/retry') {
      const scenarioId = Number(query.scenarioId);
      const sel = (body ?? {}) as { ids?: string[]; all?: boolean; exceptIds?: string[] };
      for (const d of this.select(scenarioId, sel)) this.retryOne(d);
      return send(200, {});
    }
    if (method === 'DELETE' && p === '/dlqs') {
      const scenarioId = Number(query.scenarioId);
      const sel = (body ?? {}) as { ids?: string[]; all?: boolean; exceptIds?: string[] };
      if (sel.all && query.confirmed !== 'true') {
        return send(400, { message: 'Deleting all incomplete executions needs confirmation', code: 'IM004' });
      }
      const gone = this.select(scenarioId, sel);
      for (const d of gone) this.dlqs.delete(d.id);
      return send(200, { dlqs: gone.map((d) => d.id) });
    }
    if (method === 'GET' && (m = p.match(/^\/scenarios\/(\d+)$/))) {
      const s = this.scenarios.get(Number(m[1]));
      if (!s) return notFound('Scenario');
      return send(200, { scenario: this.scenarioPayload(s) });
    }
    if (method === 'GET' && p === '/scenarios') {
      const teamId = Number(query.teamId);
      const list = [...this.scenarios.values()].filter((s) => s.teamId === teamId);
      const offset = Number(query['pg[offset]'] ?? 0);
      const limit = Math.min(Number(query['pg[limit]'] ?? 10000), this.options.maxPageSize ?? 100);
      return send(200, { scenarios: list.slice(offset, offset + limit).map((s) => this.scenarioPayload(s)), pg: { offset, limit } });
    }
    return send(404, { message: `no such endpoint: ${method} ${p}`, code: 'IM404' });
  }

  /** What a retry on Make does here: a record whose blueprint was replaced by a fixed one (PATCH) resolves; otherwise it fails again. */
  private retryOne(d: FakeDlq): void {
    if (this.onRetry) return this.onRetry(d);
    d.attempts += 1;
    if (d.blueprint !== undefined && d.failer !== undefined) d.resolved = true;
  }

  private select(scenarioId: number, sel: { ids?: string[]; all?: boolean; exceptIds?: string[] }): FakeDlq[] {
    const list = [...this.dlqs.values()].filter((d) => d.scenarioId === scenarioId && !d.resolved);
    if (sel.all) return list.filter((d) => !(sel.exceptIds ?? []).includes(d.id));
    return list.filter((d) => (sel.ids ?? []).includes(d.id));
  }

  private scenarioPayload(s: FakeScenario): Record<string, unknown> {
    const dlqCount = [...this.dlqs.values()].filter((d) => d.scenarioId === s.id && !d.resolved).length;
    return {
      id: s.id,
      name: s.name,
      teamId: s.teamId,
      isActive: s.isActive ?? true,
      isPaused: s.isPaused ?? false,
      isinvalid: s.isinvalid ?? false,
      islinked: true,
      dlqCount,
      scheduling: { type: 'indefinitely', interval: 900 },
    };
  }
}
