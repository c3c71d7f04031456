import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IncompleteExecution } from '../../src/core/executions/model';
import {
  createFsScenarioResolver,
  createScenarioResolver,
  filterScenarioFiles,
  findScenarioFilesSync,
  isScenarioPath,
  toPosixPath,
  toWorkspaceRelative,
} from '../../src/core/scenario/workspace';

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function scenarioYaml(name: string, ids: number[] = [1, 2]): string {
  return `name: ${name}\nmodules:\n${ids.map((id) => `  - id: ${id}\n    app: http:makeRequest\n`).join('')}`;
}

function execution(fields: Partial<IncompleteExecution>): IncompleteExecution {
  return {
    id: 'ie-1',
    scenario: 'Invoice export',
    moduleId: 2,
    error: { type: 'ConnectionError', message: 'reset' },
    status: 'pending',
    autoRetry: true,
    attempts: 1,
    maxAttempts: 8,
    nextRetryAt: null,
    created: '2026-11-20T10:00:00.000Z',
    updated: '2026-11-20T10:00:00.000Z',
    history: [],
    ...fields,
  };
}

describe('workspace: scenario globs', () => {
  test('default globs match YAML and blueprint scenario files at any depth, including dot folders', () => {
    assert.equal(isScenarioPath('invoices.scenario.yaml'), true);
    assert.equal(isScenarioPath('a/b/invoices.scenario.yml'), true);
    assert.equal(isScenarioPath('exports/x.blueprint.json'), true);
    assert.equal(isScenarioPath('.github/fusion/x.scenario.yaml'), true);
    assert.equal(isScenarioPath('invoices.yaml'), false);
    assert.equal(isScenarioPath('package.json'), false);
    assert.equal(isScenarioPath('scenario.yaml.bak'), false);
  });

  test('node_modules and .git are never scenario folders; backslashes are accepted', () => {
    assert.equal(isScenarioPath('node_modules/pkg/x.scenario.yaml'), false);
    assert.equal(isScenarioPath('a/node_modules/x.blueprint.json'), false);
    assert.equal(isScenarioPath('.git/x.scenario.yaml'), false);
    assert.equal(isScenarioPath('scenarios\\win\\x.scenario.yaml'), true);
  });

  test('names match whatever their case (Foo.Blueprint.JSON), with the default and custom globs', () => {
    assert.equal(isScenarioPath('exports/Invoices.Blueprint.JSON'), true);
    assert.equal(isScenarioPath('Scenarios/Payroll.Scenario.YML'), true);
    assert.equal(isScenarioPath('Flows/X.YAML', ['flows/*.yaml']), true);
    assert.deepEqual(filterScenarioFiles(['b/Z.SCENARIO.YAML', 'a/y.Blueprint.Json', 'README.md']), [
      'b/Z.SCENARIO.YAML',
      'a/y.Blueprint.Json',
    ]);
  });

  test('custom globs replace the defaults', () => {
    assert.equal(isScenarioPath('flows/x.yaml', ['flows/*.yaml']), true);
    assert.equal(isScenarioPath('x.scenario.yaml', ['flows/*.yaml']), false);
  });

  test('filterScenarioFiles normalises, deduplicates and puts YAML before blueprints', () => {
    assert.deepEqual(filterScenarioFiles(['./b.blueprint.json', 'z.scenario.yaml', 'a.txt', 'z.scenario.yaml', 'a\\c.scenario.yml']), [
      'a/c.scenario.yml',
      'z.scenario.yaml',
      'b.blueprint.json',
    ]);
  });

  test('path helpers', () => {
    assert.equal(toPosixPath('./a\\b/../c.scenario.yaml'), 'a/c.scenario.yaml');
    const root = path.join(os.tmpdir(), 'ws');
    assert.equal(toWorkspaceRelative(root, path.join(root, 'x', 'y.scenario.yaml')), 'x/y.scenario.yaml');
    assert.equal(toWorkspaceRelative(root, path.join(os.tmpdir(), 'other.scenario.yaml')), '../other.scenario.yaml');
  });
});

describe('workspace: scenario resolver', () => {
  test('by scenarioFile first, even when another file has the same name', () => {
    const r = createScenarioResolver([
      { path: 'a/invoices.scenario.yaml', text: scenarioYaml('Invoice export', [1, 2]) },
      { path: 'b/invoices.scenario.yaml', text: scenarioYaml('Invoice export', [1, 2, 3]) },
    ]);
    const res = r.explain(execution({ scenarioFile: 'b/invoices.scenario.yaml' }));
    assert.equal(res.kind, 'by-file');
    assert.equal(res.path, 'b/invoices.scenario.yaml');
    assert.equal(res.scenario?.modules.length, 3);
    assert.equal(r.resolve(execution({ scenarioFile: '.\\b\\invoices.scenario.yaml' }))?.modules.length, 3);
  });

  test('by name when scenarioFile is absent or names no known file; YAML preferred over its blueprint twin', () => {
    const r = createScenarioResolver([
      {
        path: 'exports/invoices.blueprint.json',
        text: '{"name":"Invoice export","flow":[{"id":1,"module":"http:ActionSendData"}],"metadata":{}}',
      },
      { path: 'z/invoices.scenario.yaml', text: scenarioYaml('Invoice export') },
      { path: 'other.scenario.yaml', text: scenarioYaml('Payroll') },
    ]);
    const byName = r.explain(execution({}));
    assert.equal(byName.kind, 'by-name');
    assert.equal(byName.path, 'z/invoices.scenario.yaml');
    assert.equal(r.explain(execution({ scenarioFile: 'moved/away.scenario.yaml' })).path, 'z/invoices.scenario.yaml');
    assert.equal(r.explain(execution({ scenario: 'Payroll' })).path, 'other.scenario.yaml');
    assert.equal(r.explain(execution({ scenario: 'Nobody' })).kind, 'not-found');
    assert.equal(r.resolve(execution({ scenario: 'Nobody' })), undefined);
  });

  test('a file with a structural problem is not used; an unreadable one neither', () => {
    const r = createScenarioResolver([
      { path: 'dup.scenario.yaml', text: scenarioYaml('Invoice export', [1, 2, 2]) },
      { path: 'gone.scenario.yaml', text: () => undefined },
    ]);
    const res = r.explain(execution({ scenarioFile: 'dup.scenario.yaml' }));
    assert.equal(res.kind, 'file-unusable');
    assert.equal(res.scenario, undefined);
    assert.equal(r.explain(execution({ scenarioFile: 'gone.scenario.yaml' })).kind, 'file-unusable');
  });

  test('texts are read lazily and at most once', () => {
    let reads = 0;
    const r = createScenarioResolver([
      { path: 'a.scenario.yaml', text: () => (reads++, scenarioYaml('A')) },
      { path: 'b.scenario.yaml', text: () => (reads++, scenarioYaml('B')) },
    ]);
    assert.equal(reads, 0);
    r.resolve(execution({ scenarioFile: 'a.scenario.yaml', scenario: 'A' }));
    assert.equal(reads, 1);
    r.resolve(execution({ scenario: 'B' }));
    r.resolve(execution({ scenario: 'B' }));
    assert.equal(reads, 2);
  });

  test('readFile option finds a scenarioFile outside the globs, never outside the workspace', () => {
    const asked: string[] = [];
    const r = createScenarioResolver([], {
      readFile: (rel) => {
        asked.push(rel);
        return rel === 'flows/invoices.yaml' ? scenarioYaml('Invoice export') : undefined;
      },
    });
    assert.equal(r.explain(execution({ scenarioFile: 'flows/invoices.yaml' })).kind, 'by-file');
    assert.equal(r.explain(execution({ scenarioFile: '../secret.yaml' })).kind, 'not-found');
    assert.deepEqual(asked, ['flows/invoices.yaml']);
  });
});

describe('workspace: file system', () => {
  test('findScenarioFilesSync walks the tree, skips node_modules/.git; the fs resolver reads from it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-ws-'));
    tempDirs.push(root);
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('scenarios/invoices.scenario.yaml', '\uFEFF' + scenarioYaml('Invoice export'));
    write('scenarios/deep/er/payroll.scenario.yml', scenarioYaml('Payroll'));
    write('node_modules/pkg/x.scenario.yaml', scenarioYaml('Invoice export'));
    write('.git/y.scenario.yaml', scenarioYaml('Invoice export'));
    write('README.md', '# hi');
    assert.deepEqual(findScenarioFilesSync(root), ['scenarios/deep/er/payroll.scenario.yml', 'scenarios/invoices.scenario.yaml']);
    const r = createFsScenarioResolver(root);
    assert.equal(r.explain(execution({})).path, 'scenarios/invoices.scenario.yaml');
    assert.equal(r.resolve(execution({ scenario: 'Payroll' }))?.name, 'Payroll');
    assert.deepEqual(findScenarioFilesSync(path.join(root, 'does-not-exist')), []);
  });
});
