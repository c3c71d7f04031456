/**
 * The built CLI (`node dist/cli.js …`, real processes) against the fake Make API on 127.0.0.1,
 * started by this test: pull, retry and delete on Make, --dry-run, the exit codes, and that the
 * token never reaches stdout, stderr, the executions file or the --verbose log. The CLI runs as
 * a child process while the server answers in this one, so every run is asynchronous.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MakeApiServer, type FakeDlq } from '../support/makeApiServer';
import { TOKEN, dlq, resetServer, retryResolvesWhenHandled } from './helpers/makeFixtures';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = process.env.FUSION_EXECUTIONS_CLI ?? path.join(ROOT, 'dist', 'cli.js');

const BLUEPRINT = {
  name: 'Invoice export',
  flow: [
    { id: 1, module: 'workfront:watchEvents', version: 1 },
    {
      id: 2,
      module: 'http:ActionSendData',
      version: 3,
      parameters: {},
      mapper: { url: 'https://example.invalid/pdf' },
      onerror: [{ id: 8, module: 'builtin:Ignore', version: 1 }],
    },
    { id: 3, module: 'google-drive:uploadAFile', version: 4 },
  ],
  metadata: { version: 1, scenario: { dlq: true } },
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const server = new MakeApiServer({ token: TOKEN });
let api = '';
const dirs: string[] = [];
/** Every output of every run, to check that the token never appears. */
const outputs: string[] = [];

before(async () => {
  api = await server.start();
});
after(async () => {
  await server.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
beforeEach(() => {
  resetServer(server);
  server.onRetry = retryResolvesWhenHandled;
});

function workspace(config: object | null = { make: { scenarios: { 'scenarios/invoice.blueprint.json': 42 }, teamId: 7 } }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-cli-make-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'scenarios'));
  fs.writeFileSync(path.join(dir, 'scenarios', 'invoice.blueprint.json'), `${JSON.stringify(BLUEPRINT, null, 2)}\n`);
  if (config) fs.writeFileSync(path.join(dir, '.fusionlintrc.json'), JSON.stringify(config));
  return dir;
}

function cli(cwd: string, args: string[], env: Record<string, string | undefined> = { MAKE_API_TOKEN: TOKEN }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    delete childEnv.MAKE_API_TOKEN;
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      outputs.push(stdout, stderr);
      assert.ok(!stderr.includes('    at '), `stack trace on stderr for ${args.join(' ')}:\n${stderr}`);
      assert.ok(!/internal error:/i.test(stderr), `internal error for ${args.join(' ')}:\n${stderr}`);
      resolve({ code, stdout, stderr });
    });
  });
}

function json<T>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    assert.fail(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

function executions(
  dir: string,
): { id: string; origin?: string; status: string; attempts: number; moduleId: number; scenario: string; make?: Record<string, unknown> }[] {
  const file = path.join(dir, '.fusion', 'incomplete-executions.json');
  const text = fs.readFileSync(file, 'utf8');
  outputs.push(text);
  return (JSON.parse(text) as { executions: ReturnType<typeof executions> }).executions;
}

function seed(n: number, scenarioId = 42): FakeDlq[] {
  server.addScenario({ id: scenarioId, name: 'Invoice export', teamId: 7 });
  const list = Array.from({ length: n }, () =>
    dlq(scenarioId, { bundle: { '2': { error: { type: 'DataError', message: 'Invalid file name' } } } }),
  );
  for (const d of list) server.addDlq(d);
  return list;
}

describe('cli: pull', () => {
  test('pull --api-url --scenario: the records arrive with their origin; list shows them; JSON says what was pulled', async () => {
    const dir = workspace();
    const records = seed(3);
    const r = await cli(dir, ['pull', '--api-url', api, '--scenario', '42', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = json<{
      scenarios: { scenarioId: number; name: string; listed: number; added: string[] }[];
      requests: number;
      problems: unknown[];
    }>(r);
    assert.deepEqual(
      out.scenarios.map((s) => [s.scenarioId, s.name, s.listed, s.added.length]),
      [[42, 'Invoice export', 3, 3]],
    );
    assert.equal(out.requests, 1 + 1 + 3 * 2);
    const list = executions(dir);
    assert.deepEqual(list.map((x) => x.id).sort(), records.map((d) => d.id).sort());
    for (const x of list) {
      assert.equal(x.origin, 'make');
      assert.equal(x.moduleId, 2);
      assert.equal(x.make?.apiUrl, api);
      assert.equal(x.make?.teamId, 7);
    }
    for (const q of server.requests) assert.equal(q.authorization, `Token ${TOKEN}`);
    const text = await cli(dir, ['pull', '--api-url', api]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^Pulled from Make \(http:\/\/127\.0\.0\.1:\d+\/api\/v2\) into \.fusion[\\/]incomplete-executions\.json:\n {2}Invoice export \(42\): 3 listed — 0 added, 0 updated, 3 unchanged\n/,
    );
  });

  test('no token: exit 2 saying how to connect; --token-file works; a refused token (401) is exit 2 and writes nothing', async () => {
    const dir = workspace();
    seed(1);
    const none = await cli(dir, ['pull', '--api-url', api], {});
    assert.equal(none.code, 2);
    assert.match(none.stderr, /MAKE_API_TOKEN/);
    assert.deepEqual(server.requests, []);
    fs.writeFileSync(path.join(dir, 'token.txt'), `${TOKEN}\n`);
    const withFile = await cli(dir, ['pull', '--api-url', api, '--token-file', 'token.txt'], {});
    assert.equal(withFile.code, 0, withFile.stderr);
    const other = workspace();
    const refused = await cli(other, ['pull', '--api-url', api], { MAKE_API_TOKEN: '00000000-0000-4000-8000-000000000000' });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Make refused the token \(401/);
    assert.ok(!refused.stderr.includes('00000000-0000-4000-8000-000000000000'));
    assert.equal(fs.existsSync(path.join(other, '.fusion')), false);
  });

  test('usage: which scenarios, which zone; an unknown zone; a bad id — all exit 2 before any request', async () => {
    const bare = workspace(null);
    const which = await cli(bare, ['pull', '--api-url', api]);
    assert.equal(which.code, 2);
    assert.match(which.stderr, /which scenarios\?/);
    const zone = await cli(bare, ['pull', '--scenario', '42']);
    assert.equal(zone.code, 2);
    assert.match(zone.stderr, /which Make zone\?/);
    const unknown = await cli(bare, ['pull', '--scenario', '42', '--zone', 'eu9.make.com']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown Make zone 'eu9\.make\.com'/);
    const bad = await cli(bare, ['pull', '--scenario', 'abc', '--api-url', api]);
    assert.equal(bad.code, 2);
    assert.deepEqual(server.requests, []);
  });

  test('a partial failure is exit 1 with each problem listed; what was fetched is kept', async () => {
    const dir = workspace();
    const [a, b] = seed(2);
    server.faults.push({ kind: 'server-error', path: new RegExp(`^/dlqs/${b.id}/bundle$`), times: 10 });
    const r = await cli(dir, ['pull', '--api-url', api]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^! GET /dlqs/${b.id}/bundle: 500 Internal server error \\(SC500\\) \\(after 4 attempts\\)|^! GET /dlqs/${b.id}/bundle: 500`,
        'm',
      ),
    );
    assert.match(r.stdout, /\(incomplete\)/);
    assert.deepEqual(
      executions(dir)
        .map((x) => x.id)
        .sort(),
      [a.id, b.id].sort(),
    );
  });

  test('429 with Retry-After: the pull waits and completes (exit 0), and says so', async () => {
    const dir = workspace();
    seed(2);
    server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 1, path: /^\/dlqs$/ });
    const started = Date.now();
    const r = await cli(dir, ['pull', '--api-url', api]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - started >= 1000, 'it waited the second Make asked for');
    assert.match(r.stdout, /1 answered 429 \(waited as Make asked\)/);
  });

  test('--dry-run prints the requests (token redacted) and sends nothing', async () => {
    const dir = workspace();
    seed(1);
    const r = await cli(dir, ['pull', '--api-url', api, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(server.requests, []);
    assert.match(r.stdout, new RegExp(`^GET ${api.replace(/[.]/g, '\\.')}/scenarios/42$`, 'm'));
    assert.match(r.stdout, /^ {2}authorization: Token <redacted>$/m);
    assert.equal(fs.existsSync(path.join(dir, '.fusion')), false);
  });
});

describe('cli: retry and delete on Make', () => {
  test('retry of a record from Make: POST …/retry, then the pull; the result is what Make says (failed again), exit 0', async () => {
    const dir = workspace();
    const [a] = seed(1);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    server.requests.length = 0;
    const r = await cli(dir, ['retry', a.id, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [res] = json<{ id: string; result: string; where: string; message: string; simulated?: boolean }[]>(r);
    assert.deepEqual([res.id, res.result, res.where, res.simulated], [a.id, 'failed', 'make', undefined]);
    assert.equal(server.requests[0].method, 'POST');
    assert.equal(server.requests[0].path, `/dlqs/${a.id}/retry`);
    assert.equal(executions(dir)[0].attempts, 1);
  });

  test('retry without a token: exit 2, says how to connect, nothing sent, the file unchanged', async () => {
    const dir = workspace();
    const [a] = seed(1);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    server.requests.length = 0;
    const file = path.join(dir, '.fusion', 'incomplete-executions.json');
    const before = fs.readFileSync(file);
    const r = await cli(dir, ['retry', a.id], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /comes from Make .*Nothing was changed\. To act on Make: set MAKE_API_TOKEN/);
    assert.deepEqual(server.requests, []);
    assert.deepEqual(fs.readFileSync(file), before);
  });

  test('retry --with-local-scenario: PATCH with the workspace blueprint and the failing module, then the retry; the row is resolved after the pull', async () => {
    const dir = workspace();
    const [a] = seed(1);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    server.requests.length = 0;
    const r = await cli(dir, ['retry', a.id, '--with-local-scenario']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${a.id} +resolved on Make +Retried .* Make reports it resolved\\.$`, 'm'));
    assert.deepEqual(
      server.requests.slice(0, 2).map((q) => `${q.method} ${q.path}`),
      [`PATCH /dlqs/${a.id}`, `POST /dlqs/${a.id}/retry`],
    );
    const body = server.requests[0].body as { blueprint: string; failer: number };
    assert.deepEqual(JSON.parse(body.blueprint), BLUEPRINT);
    assert.equal(body.failer, 2);
    assert.equal(executions(dir)[0].status, 'resolved');
  });

  test('retry --all --scenario NAME on Make: one POST with {"all": true}; --dry-run prints it instead', async () => {
    const dir = workspace();
    seed(2);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    server.requests.length = 0;
    const dry = await cli(dir, ['retry', '--all', '--scenario', 'Invoice export', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(server.requests, []);
    const plan = json<{ dryRun: boolean; requests: { method: string; url: string; headers: Record<string, string>; body: unknown }[] }>(
      dry,
    );
    assert.deepEqual(
      plan.requests.map((q) => [q.method, q.url, q.body]),
      [['POST', `${api}/dlqs/retry?scenarioId=42`, { all: true }]],
    );
    assert.equal(plan.requests[0].headers.authorization, 'Token <redacted>');
    const r = await cli(dir, ['retry', '--all', '--scenario', 'Invoice export']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      server.requestsTo('POST', /retry/).map((q) => q.body),
      [{ all: true }],
    );
  });

  test('delete of a record from Make: DELETE /dlqs?scenarioId= {"ids"}; --all needs --yes and sends confirmed=true', async () => {
    const dir = workspace();
    const [a, b, c] = seed(3);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    server.requests.length = 0;
    const one = await cli(dir, ['delete', a.id]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, new RegExp(`^${a.id} +deleted on Make`, 'm'));
    assert.deepEqual(
      server.requestsTo('DELETE', /^\/dlqs$/).map((q) => [q.query.scenarioId, q.body]),
      [['42', { ids: [a.id] }]],
    );
    const unconfirmed = await cli(dir, ['delete', '--all', '--scenario', 'Invoice export']);
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.stderr, /needs --yes/);
    const all = await cli(dir, ['delete', '--all', '--scenario', 'Invoice export', '--yes', '--json']);
    assert.equal(all.code, 0, all.stderr);
    const last = server.requestsTo('DELETE', /^\/dlqs$/).at(-1);
    assert.equal(last?.query.confirmed, 'true');
    assert.deepEqual(last?.body, { all: true });
    assert.deepEqual(executions(dir), []);
    assert.equal(server.dlqs.has(b.id) || server.dlqs.has(c.id), false);
  });

  test('a request to Make that fails is exit 1 with the record listed and unchanged', async () => {
    const dir = workspace();
    const [a] = seed(1);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    server.faults.push({ kind: 'server-error', method: 'POST' });
    const r = await cli(dir, ['retry', a.id]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^${a.id} +error +Retry of ${a.id} on Make .* failed: POST /dlqs/${a.id}/retry: 500`, 'm'));
    assert.equal(executions(dir)[0].attempts, 0);
  });
});

describe('cli: a saved list response, imported', () => {
  test('without a zone, a retry says to name one (not "scenario not found") and changes nothing; with --api-url and --scenario-id it goes to Make', async () => {
    const dir = workspace();
    const [a] = seed(1);
    fs.writeFileSync(
      path.join(dir, 'dlqs.json'),
      JSON.stringify({
        dlqs: [{ id: a.id, reason: a.reason, created: a.created, size: a.size, resolved: false, retry: true, attempts: 0 }],
      }),
    );
    assert.equal((await cli(dir, ['import', 'dlqs.json'])).code, 0);
    const [imported] = executions(dir);
    assert.equal(imported.origin, 'make');
    const refused = await cli(dir, ['retry', a.id]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /does not say which zone it belongs to.*Nothing was changed\. Pass --zone HOST or --api-url URL/);
    assert.doesNotMatch(refused.stderr, /was not found/);
    assert.equal(server.requests.length, 0);
    const other = workspace(null);
    fs.writeFileSync(path.join(other, 'dlqs.json'), fs.readFileSync(path.join(dir, 'dlqs.json')));
    assert.equal((await cli(other, ['import', 'dlqs.json', '--api-url', api, '--scenario-id', '42'])).code, 0);
    const r = await cli(other, ['retry', a.id, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(json<{ where: string }[]>(r)[0].where, 'make');
    assert.equal(server.requests[0].path, `/dlqs/${a.id}/retry`);
    const after = executions(other)[0];
    assert.equal(after.scenario, 'Invoice export', 'the pull after the retry named the scenario');
    assert.equal(after.moduleId, 2, 'and found the failing module in the bundle');
  });

  test('list shows a record Make no longer has as gone', async () => {
    const dir = workspace();
    const [a, b] = seed(2);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    server.dlqs.delete(b.id);
    assert.equal((await cli(dir, ['pull', '--api-url', api])).code, 0);
    const list = await cli(dir, ['list']);
    assert.match(list.stdout, new RegExp(`^${b.id} +gone `, 'm'));
    assert.match(list.stdout, new RegExp(`^${a.id} +unresolved `, 'm'));
  });
});

describe('cli: the token stays secret', () => {
  test('--verbose logs every request without the token; no output, log or file of any run holds it', async () => {
    const dir = workspace();
    seed(2);
    server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const r = await cli(dir, ['pull', '--api-url', api, '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/scenarios\/42 → 429 \(\d+ ms\) — rate limited, Retry-After 1 s, again in 1\.0 s$/m,
    );
    assert.match(r.stderr, /^GET .*\/dlqs\?scenarioId=42&pg%5Boffset%5D=0.* → 200/m);
    executions(dir);
    for (const text of outputs) assert.ok(!text.includes(TOKEN), `the token leaked into:\n${text.slice(0, 500)}`);
    assert.ok(outputs.length > 20, 'the check covered the runs of this file');
  });
});
