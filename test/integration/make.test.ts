// Make in the real extension host: the fake Make API (test/support/makeApiServer.ts) runs inside
// this process on 127.0.0.1; the token goes into the real SecretStorage through Connect to Make…
// (its programmatic arguments stand in for the QuickPick and the password InputBox); Pull, Retry
// on Make, Retry with the Local Scenario, Delete on Make and the poll run as the commands a person
// runs. It checks what the server received and what the tree shows, and that the token reaches no
// file of the workspace and no log.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/api';
import type { RecordResult } from '../../src/core/executions/actions/result';
import type { FolderPull } from '../../src/extension/make/commands';
import type { ExecutionNode, GroupNode } from '../../src/extension/executions/tree/treeNodes';
import { MakeApiServer, type FakeDlq } from '../support/makeApiServer';
import { executionsApi, FixtureFile, folder, readExecutions, record, workspacePath } from './executionsSupport';

const TOKEN = '7d1e2f3a-4b5c-4d6e-9f70-8192a3b4c5d6';
const BLUEPRINT_FILE = 'scenarios/make-leads.blueprint.json';
const BLUEPRINT = {
  name: 'Lead capture',
  flow: [
    { id: 1, module: 'gateway:CustomWebHook', version: 1, metadata: { designer: { x: 0, y: 0, name: 'New lead' } } },
    {
      id: 4,
      module: 'hubspotcrm:createContact',
      version: 2,
      parameters: { account: 77 },
      metadata: { designer: { x: 300, y: 0, name: 'Create contact' } },
    },
  ],
  metadata: { version: 1, scenario: { dlq: true } },
};

function dlq(n: number, extra: Partial<FakeDlq> = {}): FakeDlq {
  return {
    id: `${n.toString(16).padStart(6, '0')}11112222333344445555aaaa`,
    scenarioId: 42,
    reason: 'Invalid email address',
    created: `2026-11-20T10:0${n}:00.000Z`,
    size: 200 + n,
    resolved: false,
    retry: false,
    attempts: 0,
    bundle: { '1': { value: { email: '' } }, '4': { error: { type: 'DataError', message: 'Invalid email address: ""' } } },
    ...extra,
  };
}

/** Every file under `dir` whose text holds `needle` (skips node_modules and big files). */
function filesHolding(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (e.isFile()) {
        try {
          if (fs.statSync(p).size < 20_000_000 && fs.readFileSync(p, 'utf8').includes(needle)) hits.push(p);
        } catch {
          // unreadable: not ours
        }
      }
    }
  };
  walk(dir);
  return hits;
}

suite('make: connect, pull, retry on Make (real extension host, fake Make API)', () => {
  let api: ExtensionApi;
  let fixture: FixtureFile;
  const server = new MakeApiServer({ token: TOKEN });
  let apiUrl = '';
  const configFile = (): string => workspacePath('.fusionlintrc.json');

  suiteSetup(async () => {
    fixture = new FixtureFile();
    api = await executionsApi();
    apiUrl = await server.start();
    server.addScenario({ id: 42, name: 'Lead capture', teamId: 7, isPaused: true });
    fs.writeFileSync(workspacePath(BLUEPRINT_FILE), `${JSON.stringify(BLUEPRINT, null, 2)}\n`);
    fs.writeFileSync(configFile(), JSON.stringify({ make: { apiUrl, teamId: 7, scenarios: { [BLUEPRINT_FILE]: 42 } } }, null, 2));
  });

  setup(() => {
    server.requests.length = 0;
    server.faults.length = 0;
    server.dlqs.clear();
    server.onRetry = undefined;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('fusionExecutions.disconnectMake', { apiUrl });
    await server.stop();
    fs.rmSync(configFile(), { force: true });
    fs.rmSync(workspacePath(BLUEPRINT_FILE), { force: true });
    await fixture.restore(api);
  });

  test('Connect to Make… keeps the token in SecretStorage; Pull brings the records with their origin into the tree', async () => {
    assert.equal(await vscode.commands.executeCommand('fusionExecutions.connectMake', { apiUrl, token: TOKEN }), true);
    assert.ok(api.make.connections().some((c) => c.baseUrl === apiUrl));
    const [a, b] = [dlq(1), dlq(2, { retry: true, attempts: 2 })];
    server.addDlq(a);
    server.addDlq(b);
    const pulls = await vscode.commands.executeCommand<FolderPull[]>('fusionExecutions.pullFromMake');
    assert.equal(pulls?.[0]?.result?.scenarios[0]?.added.length, 2, JSON.stringify(pulls?.map((p) => p.skipped ?? p.result?.problems)));
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`).sort(),
      [
        'GET /scenarios/42',
        'GET /dlqs',
        `GET /dlqs/${a.id}`,
        `GET /dlqs/${a.id}/bundle`,
        `GET /dlqs/${b.id}`,
        `GET /dlqs/${b.id}/bundle`,
      ].sort(),
    );
    assert.equal(server.requests.length, 6);
    for (const r of server.requests) assert.equal(r.authorization, `Token ${TOKEN}`);
    const rec = record(readExecutions(), a.id);
    assert.equal(rec.origin, 'make');
    assert.equal(rec.scenarioFile, BLUEPRINT_FILE);
    assert.equal(rec.moduleName, 'Create contact');

    const group = api.provider.getChildren(undefined).find((n): n is GroupNode => n.kind === 'group' && n.key === 'Lead capture');
    assert.ok(group, 'a group for the scenario pulled from Make');
    const groupItem = api.provider.getTreeItem(group);
    assert.match(String(groupItem.description), /paused on Make · synced just now/);
    const node = api.provider.getChildren(group).find((n): n is ExecutionNode => n.kind === 'execution' && n.id === b.id);
    assert.ok(node);
    const item = api.provider.getTreeItem(node);
    assert.equal(item.description, 'DataError · pending · 2 attempts · Make');
    assert.match(String(item.contextValue), /\bmake\b/);
    assert.doesNotMatch(String(item.contextValue), /\bresolvable\b/, "Make's API cannot mark it resolved");
    const tip = api.provider.resolveTreeItem?.(item, node);
    // appendText escapes markdown and turns spaces into &nbsp;: compare the plain text
    const text = (tip.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(text, /From Make \(http:\/\/127\.0\.0\.1:\d+\/api\/v2, scenario 42\): Retry and Delete act on Make\./);
    assert.match(text, /Make retries it automatically; its API does not say when\./);
  });

  test('Retry with the Local Scenario: the server receives PATCH (the workspace blueprint) then the retry; the row updates after the re-pull', async () => {
    await vscode.commands.executeCommand('fusionExecutions.connectMake', { apiUrl, token: TOKEN });
    const d = dlq(3);
    server.addDlq(d);
    await vscode.commands.executeCommand('fusionExecutions.pullFromMake');
    server.requests.length = 0;
    const results = await vscode.commands.executeCommand<RecordResult[]>('fusionExecutions.retryWithLocalScenario', { ids: [d.id] });
    assert.deepEqual(
      results?.map((r) => [r.id, r.result, r.where]),
      [[d.id, 'resolved', 'make']],
      JSON.stringify(results),
    );
    assert.deepEqual(
      server.requests.slice(0, 2).map((r) => `${r.method} ${r.path}`),
      [`PATCH /dlqs/${d.id}`, `POST /dlqs/${d.id}/retry`],
    );
    const body = server.requests[0].body as { blueprint: string; failer: number };
    assert.deepEqual(JSON.parse(body.blueprint), BLUEPRINT);
    assert.equal(body.failer, 4);
    assert.ok(
      server.requests.slice(2).some((r) => r.method === 'GET' && r.path === '/dlqs'),
      'pulled again',
    );
    assert.equal(api.model.folders()[0]?.records.get(d.id)?.status, 'resolved', 'the model shows what Make says now');
  });

  test('Retry of a record from Make without the fix: POST …/retry, and the result is what Make says (failed again), not a local success', async () => {
    await vscode.commands.executeCommand('fusionExecutions.connectMake', { apiUrl, token: TOKEN });
    const d = dlq(4);
    server.addDlq(d);
    await vscode.commands.executeCommand('fusionExecutions.pullFromMake');
    server.requests.length = 0;
    const results = await vscode.commands.executeCommand<RecordResult[]>('fusionExecutions.retry', { ids: [d.id] });
    assert.equal(results?.[0]?.result, 'failed');
    assert.equal(results?.[0]?.where, 'make');
    assert.match(String(results?.[0]?.message), /on Make .*it failed again \(attempt 1 on Make/);
    assert.equal(server.requests[0].path, `/dlqs/${d.id}/retry`);
    assert.equal(record(readExecutions(), d.id).attempts, 1);
  });

  test('the poll brings new records and counts them; Delete on Make sends DELETE and removes the row', async () => {
    await vscode.commands.executeCommand('fusionExecutions.connectMake', { apiUrl, token: TOKEN });
    await vscode.commands.executeCommand('fusionExecutions.pullFromMake');
    const before = api.makeWatcher.openCount();
    const d = dlq(5);
    server.addDlq(d);
    const fresh = await api.makeWatcher.poll();
    assert.deepEqual([...fresh], [['Lead capture', [d.id]]]);
    assert.equal(api.makeWatcher.openCount(), before + 1);
    server.requests.length = 0;
    const del = await vscode.commands.executeCommand<RecordResult[]>('fusionExecutions.delete', { ids: [d.id], confirmed: true });
    assert.deepEqual(
      del?.map((r) => [r.result, r.where]),
      [['deleted', 'make']],
    );
    assert.deepEqual(
      server.requestsTo('DELETE', /^\/dlqs$/).map((r) => r.body),
      [{ ids: [d.id] }],
    );
    assert.equal(api.model.folders()[0]?.records.has(d.id), false);
  });

  test('Disconnect: a retry of a record from Make changes nothing and sends nothing; no file or log holds the token', async () => {
    await vscode.commands.executeCommand('fusionExecutions.connectMake', { apiUrl, token: TOKEN });
    const d = dlq(6);
    server.addDlq(d);
    await vscode.commands.executeCommand('fusionExecutions.pullFromMake');
    assert.equal(await vscode.commands.executeCommand('fusionExecutions.disconnectMake', { apiUrl }), true);
    const file = path.join(folder().uri.fsPath, '.fusion', 'incomplete-executions.json');
    const bytes = fs.readFileSync(file);
    server.requests.length = 0;
    const results = await vscode.commands.executeCommand<RecordResult[] | undefined>('fusionExecutions.retry', { ids: [d.id] });
    assert.equal(results, undefined, 'refused with a message saying how to connect');
    assert.deepEqual(server.requests, []);
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.deepEqual(
      filesHolding(folder().uri.fsPath, TOKEN),
      [],
      'the workspace (settings, executions file, config) never holds the token',
    );
    const logs = path.dirname(api.logUri.fsPath);
    assert.deepEqual(filesHolding(logs, TOKEN), [], `no log under ${logs} holds the token`);
  });
});
