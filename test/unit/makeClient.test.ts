/**
 * The Make client (core/make/client.ts) against the fake Make API on 127.0.0.1 (a real HTTP
 * server started here): what it sends (method, path, query, body, Authorization), and how it
 * survives 429 + Retry-After, 500, a slow answer past the timeout, malformed JSON and 401. Sleeps
 * go through a fake clock, so the waits are asserted without being waited.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestBudget } from '../../src/core/make/budget';
import { MakeApiError, MakeClient, retryAfterMs, type CapturedRequest, type MakeClientOptions } from '../../src/core/make/client';
import { connectionForApiUrl, connectionForZone, MakeConnectionError } from '../../src/core/make/connection';
import { MakeApiServer } from '../support/makeApiServer';
import { TOKEN, dlq, fakeClock } from './helpers/makeFixtures';

const server = new MakeApiServer({ token: TOKEN });
let base = '';
before(async () => {
  base = await server.start();
});
after(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.faults.length = 0;
  server.dlqs.clear();
  server.scenarios.clear();
  server.onRetry = undefined;
});

function client(extra: Partial<MakeClientOptions> = {}): MakeClient & { fake: ReturnType<typeof fakeClock> } {
  const clock = fakeClock();
  const c = new MakeClient({
    token: TOKEN,
    connection: connectionForApiUrl(base),
    clock,
    budget: new RequestBudget(1000, 60_000, clock),
    ...extra,
  });
  return Object.assign(c, { fake: clock });
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const net = await import('node:net');
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function rejects(p: Promise<unknown>, kind: MakeApiError['kind']): Promise<MakeApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MakeApiError, `expected a MakeApiError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    assert.ok(!e.message.includes(TOKEN), 'the token is never in a message');
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

describe('make connection', () => {
  test("zones are Make's list; a base URL needs /api/vN; the token never goes in a URL", () => {
    assert.equal(connectionForZone('eu1.make.com').baseUrl, 'https://eu1.make.com/api/v2');
    assert.equal(connectionForZone('US1.make.celonis.com').host, 'us1.make.celonis.com');
    assert.throws(() => connectionForZone('eu3.make.com'), MakeConnectionError);
    const c = connectionForApiUrl('http://127.0.0.1:8123/api/v2/');
    assert.deepEqual(
      [c.protocol, c.host, c.version, c.baseUrl, c.kind],
      ['http', '127.0.0.1:8123', 2, 'http://127.0.0.1:8123/api/v2', 'api-url'],
    );
    assert.throws(() => connectionForApiUrl('http://127.0.0.1:8123/'), /must end with \/api\/v2/);
    assert.throws(() => connectionForApiUrl('ftp://x/api/v2'), /https:\/\/ or http:\/\//);
    assert.throws(() => connectionForApiUrl('https://me:secret@eu1.make.com/api/v2'), /not in the URL/);
  });
});

describe('make client: what it sends', () => {
  test('the SDK builds the requests: method, path, query, body and an Authorization "Token <key>" header', async () => {
    server.addScenario({ id: 42, name: 'Invoice export', teamId: 7 });
    const d = dlq(42);
    server.addDlq(d);
    const c = client();
    const s = await c.getScenario(42);
    assert.equal(s.name, 'Invoice export');
    const page = await c.listDlqsPage(42, 0, 100);
    assert.equal(page.dlqs.length, 1);
    assert.equal((await c.getDlq(d.id)).dlq.id, d.id);
    const bundle = await c.getBundle(d.id);
    assert.deepEqual(bundle, { dlqId: d.id, response: d.bundle });
    await c.updateDlq(d.id, { blueprint: '{"flow":[]}', failer: 3 });
    await c.retryDlq(d.id);
    await c.retryDlqs(42, { ids: [d.id] });
    await c.deleteDlqs(42, { ids: [d.id] });
    const seen = server.requests.map((r) => [r.method, r.path]);
    assert.deepEqual(seen, [
      ['GET', '/scenarios/42'],
      ['GET', '/dlqs'],
      ['GET', `/dlqs/${d.id}`],
      ['GET', `/dlqs/${d.id}/bundle`],
      ['PATCH', `/dlqs/${d.id}`],
      ['POST', `/dlqs/${d.id}/retry`],
      ['POST', '/dlqs/retry'],
      ['DELETE', '/dlqs'],
    ]);
    assert.deepEqual(server.requests[1].query, {
      scenarioId: '42',
      'pg[offset]': '0',
      'pg[limit]': '100',
      'pg[sortBy]': 'created',
      'pg[sortDir]': 'asc',
    });
    assert.deepEqual(server.requests[4].body, { blueprint: '{"flow":[]}', failer: 3 }, 'the blueprint goes as a JSON string');
    assert.deepEqual(server.requests[6].query, { scenarioId: '42' });
    assert.deepEqual(server.requests[6].body, { ids: [d.id] });
    assert.deepEqual(server.requests[7].body, { ids: [d.id] });
    assert.equal(server.requests[7].query.confirmed, undefined);
    for (const r of server.requests) assert.equal(r.authorization, `Token ${TOKEN}`);
  });

  test('delete all: confirmed=true only when the caller says the person confirmed; without it Make refuses (IM004)', async () => {
    server.addDlq(dlq(42));
    const c = client();
    const e = await rejects(c.deleteDlqs(42, { all: true }), 'rejected');
    assert.equal(e.code, 'IM004');
    assert.equal(server.dlqs.size, 1);
    await c.deleteDlqs(42, { all: true, exceptIds: [] }, true);
    assert.equal(server.requests.at(-1)?.query.confirmed, 'true');
    assert.deepEqual(server.requests.at(-1)?.body, { all: true, exceptIds: [] });
    assert.equal(server.dlqs.size, 0);
  });

  test('a token that is not a UUID (OAuth) is sent as Bearer', async () => {
    server.addScenario({ id: 1, name: 'A', teamId: 1 });
    const oauth = new MakeClient({ token: 'not-a-uuid-token', connection: connectionForApiUrl(base) });
    await rejects(oauth.getScenario(1), 'auth');
    assert.equal(server.requests[0].authorization, 'Bearer not-a-uuid-token');
  });

  test('an id that could leave its path segment is refused before anything is sent', async () => {
    await rejects(client().retryDlq('../scenarios/1'), 'rejected');
    await rejects(client().retryDlqs(1, { ids: ['a?b=c'] }), 'rejected');
    assert.equal(server.requests.length, 0);
  });

  test('capture (dry run): the requests are recorded with the token redacted, and none is sent', async () => {
    const captured: CapturedRequest[] = [];
    const c = client({ capture: captured });
    await c.updateDlq('abc123', { blueprint: '{"flow":[]}', failer: 2 });
    await c.retryDlq('abc123');
    assert.equal(server.requests.length, 0);
    assert.deepEqual(
      captured.map((r) => [r.method, r.url]),
      [
        ['PATCH', `${base}/dlqs/abc123`],
        ['POST', `${base}/dlqs/abc123/retry`],
      ],
    );
    assert.equal(captured[0].headers.authorization, 'Token <redacted>');
    assert.deepEqual(captured[0].body, { blueprint: '{"flow":[]}', failer: 2 });
    assert.ok(!JSON.stringify(captured).includes(TOKEN));
  });
});

describe('make client: failures', () => {
  test('429 with Retry-After: waits what Make asks (the whole budget pauses), then succeeds', async () => {
    server.addScenario({ id: 1, name: 'A', teamId: 1 });
    server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 7, times: 2 });
    const c = client();
    const s = await c.getScenario(1);
    assert.equal(s.name, 'A');
    assert.equal(server.requests.length, 3);
    assert.equal(c.stats.rateLimited, 2);
    assert.deepEqual(c.fake.slept, [7000, 7000], 'each 429 waited its Retry-After');
  });

  test('429 without Retry-After: a doubling backoff; too many 429 or too long a Retry-After → rate-limited', async () => {
    server.addScenario({ id: 1, name: 'A', teamId: 1 });
    server.faults.push({ kind: 'rate-limit', times: 2 });
    const c = client({ rateLimitBackoffMs: 1000 });
    await c.getScenario(1);
    assert.equal(c.fake.slept.length, 2);
    assert.ok(
      c.fake.slept[0] >= 800 && c.fake.slept[0] <= 1200 && c.fake.slept[1] >= 1600 && c.fake.slept[1] <= 2400,
      String(c.fake.slept),
    );
    server.requests.length = 0;
    server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 1, times: 10 });
    await rejects(client({ maxRateLimitRetries: 3 }).getScenario(1), 'rate-limited');
    assert.equal(server.requests.length, 4, '1 + 3 retries');
    server.faults.length = 0;
    server.requests.length = 0;
    server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 3600 });
    const e = await rejects(client().getScenario(1), 'rate-limited');
    assert.equal(server.requests.length, 1, 'an hour is not waited for');
    assert.match(e.message, /429/);
  });

  test('Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('12', 0), 12000);
    assert.equal(retryAfterMs(new Date(60_000).toUTCString(), 0), 60_000);
    assert.equal(retryAfterMs('soon', 0), undefined);
    assert.equal(retryAfterMs(null, 0), undefined);
  });

  test('500: retried a bounded number of times for a GET; a POST that got a 500 is not sent again', async () => {
    server.addScenario({ id: 1, name: 'A', teamId: 1 });
    server.faults.push({ kind: 'server-error', times: 2 });
    const c = client();
    assert.equal((await c.getScenario(1)).name, 'A');
    assert.equal(server.requests.length, 3);
    server.requests.length = 0;
    server.faults.push({ kind: 'server-error', times: 10 });
    await rejects(client({ maxRetries: 3 }).getScenario(1), 'server');
    assert.equal(server.requests.length, 4);
    server.faults.length = 0;
    server.requests.length = 0;
    server.addDlq(dlq(1, { id: 'feedface0001' }));
    server.faults.push({ kind: 'server-error', method: 'POST' });
    await rejects(client().retryDlq('feedface0001'), 'server');
    assert.equal(server.requests.length, 1, 'a retry on Make runs the scenario: never twice');
  });

  test('a slow answer past the timeout: the GET is tried again and succeeds; a POST is not repeated', async () => {
    server.addScenario({ id: 1, name: 'A', teamId: 1 });
    server.faults.push({ kind: 'slow', delayMs: 1500 });
    const c = client({ timeoutMs: 200 });
    assert.equal((await c.getScenario(1)).name, 'A');
    assert.equal(server.requests.length, 2);
    server.requests.length = 0;
    server.addDlq(dlq(1, { id: 'feedface0002' }));
    server.faults.push({ kind: 'slow', delayMs: 1500, method: 'POST' });
    const e = await rejects(client({ timeoutMs: 200 }).retryDlq('feedface0002'), 'timeout');
    assert.match(e.message, /not repeated: Make may have received it/);
    assert.equal(server.requests.length, 1);
  });

  test('malformed JSON is a malformed error; 401 says the token was refused, without the token', async () => {
    server.addScenario({ id: 1, name: 'A', teamId: 1 });
    server.faults.push({ kind: 'malformed' });
    await rejects(client().getScenario(1), 'malformed');
    server.faults.push({ kind: 'unauthorized' });
    const e = await rejects(client().getScenario(1), 'auth');
    assert.match(e.message, /GET \/scenarios\/1: Make refused the token \(401/);
    assert.equal(e.status, 401);
  });

  test('nothing listening: a network error after the bounded retries', async () => {
    const dead = new MakeClient({
      token: TOKEN,
      connection: connectionForApiUrl(`http://127.0.0.1:${await deadPort()}/api/v2`),
      clock: fakeClock(),
      maxRetries: 2,
    });
    const e = await rejects(dead.getScenario(1), 'network');
    assert.match(e.message, /connection refused/);
    assert.equal(dead.stats.requests, 3);
  });
});

describe('request budget', () => {
  test('never more than `limit` requests in a window: the next one waits for the oldest to leave it', async () => {
    const clock = fakeClock(0);
    const budget = new RequestBudget(3, 60_000, clock);
    for (let i = 0; i < 3; i++) await budget.acquire();
    assert.deepEqual(clock.slept, []);
    clock.t = 10_000;
    await budget.acquire();
    assert.deepEqual(clock.slept, [50_000], 'waits until the first request is a minute old');
    assert.equal(budget.granted, 4);
  });

  test('concurrent callers are served in order and still stay under the limit; a pause holds everyone', async () => {
    const clock = fakeClock(0);
    const budget = new RequestBudget(2, 1000, clock);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => budget.acquire().then(() => times.push(clock.t))));
    for (let i = 2; i < times.length; i++) assert.ok(times[i] - times[i - 2] >= 1000, `request ${i} at ${times[i]}: ${times.join(',')}`);
    budget.pauseUntil(clock.t + 5000);
    const t0 = clock.t;
    await budget.acquire();
    assert.ok(clock.t - t0 >= 5000);
  });

  test('a client with a budget of 2 per minute sends its third request a minute after the first', async () => {
    server.addScenario({ id: 1, name: 'A', teamId: 1 });
    const clock = fakeClock();
    const c = new MakeClient({ token: TOKEN, connection: connectionForApiUrl(base), clock, requestsPerMinute: 2 });
    for (let i = 0; i < 3; i++) await c.getScenario(1);
    assert.equal(server.requests.length, 3);
    assert.equal(clock.slept.length, 1);
    assert.ok(clock.slept[0] > 59_000 && clock.slept[0] <= 60_000, String(clock.slept));
  });
});
