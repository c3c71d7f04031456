/** The project configuration (`.fusionlintrc.json`): parsing with positions, lookup, applying it to findings. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CONFIGURABLE_CODES,
  DEFAULT_EXEMPT_APPS,
  applyProjectConfig,
  configForFile,
  configRelativePath,
  findConfigFile,
  findConfigFileAsync,
  isIgnoredByConfig,
  matchesAppPattern,
  matchesFileGlob,
  matchesIgnorePattern,
  parseProjectConfig,
} from '../../src/core/config';
import type { ProjectConfig } from '../../src/core/config';
import { lintScenario } from '../../src/core/lint/lint';
import { LINT_CODES } from '../../src/core/lint/registry';
import type { Finding } from '../../src/core/model';

/** An export as Make writes it: webhook, iterator, set variable, HTTP, a sheet row, text parser. */
const EXPORT = JSON.stringify(
  {
    name: 'Orders sync',
    flow: [
      { id: 1, module: 'gateway:CustomWebHook', version: 1, parameters: {}, mapper: {}, metadata: { designer: { x: 0, y: 0 } } },
      { id: 2, module: 'builtin:BasicFeeder', version: 1, mapper: { array: '{{1.items}}' }, metadata: { designer: { x: 300, y: 0 } } },
      {
        id: 3,
        module: 'util:SetVariable2',
        version: 1,
        mapper: { name: 'sku', value: '{{2.sku}}' },
        metadata: { designer: { x: 600, y: 0 } },
      },
      {
        id: 4,
        module: 'http:ActionSendData',
        version: 3,
        mapper: { url: 'https://erp.example.invalid' },
        metadata: { designer: { x: 900, y: 0 } },
      },
      { id: 5, module: 'google-sheets:addRow', version: 2, mapper: {}, metadata: { designer: { x: 1200, y: 0 } } },
      { id: 6, module: 'regexp:HTMLToText', version: 1, mapper: {}, metadata: { designer: { x: 1500, y: 0 } } },
    ],
    metadata: { instant: true, version: 1, scenario: { dlq: true, maxErrors: 3 } },
  },
  null,
  4,
);

function lintExport(text = EXPORT): { findings: readonly Finding[]; scenario: ReturnType<typeof lintScenario>['scenario'] } {
  const r = lintScenario('/repo/exports/Orders sync.json', text);
  return { findings: r.findings, scenario: r.scenario };
}

function missingIds(findings: readonly Finding[]): number[] {
  return findings.filter((f) => f.code === 'missing-error-handler').map((f) => f.moduleId ?? -1);
}

function parseOk(text: string): ProjectConfig {
  const parsed = parseProjectConfig(text);
  assert.deepEqual(
    parsed.findings.map((f) => f.message),
    [],
  );
  assert.ok(parsed.config);
  return parsed.config;
}

/** `line:col message` of each finding, 1-based, for readable assertions. */
function where(text: string): string[] {
  return parseProjectConfig(text).findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`);
}

describe('config: parse', () => {
  test('JSONC: comments, trailing commas and a $schema are fine', () => {
    const config = parseOk(`// shared lint settings
{
  "$schema": "./node_modules/fusion-incomplete-executions/schemas/fusionlintrc.schema.json",
  "rules": { "missing-error-handler": "error", "partial-error-handler": "off", },
  "exempt": { "apps": ["util:*"], "modules": { "exports/Orders sync.json": [4, 5] } },
  /* one folder is stricter */
  "overrides": [{ "files": ["critical/**"], "rules": { "missing-error-handler": "error" }, "exempt": { "defaults": false } }],
  "ignorePatterns": ["archive/"],
}`);
    assert.deepEqual(config.rules, { 'missing-error-handler': 'error', 'partial-error-handler': 'off' });
    assert.deepEqual(config.exempt, { apps: ['util:*'], modules: [{ files: 'exports/Orders sync.json', ids: [4, 5] }] });
    assert.equal(config.overrides.length, 1);
    assert.deepEqual(config.overrides[0].files, ['critical/**']);
    assert.equal(config.overrides[0].exempt.defaults, false);
    assert.deepEqual(config.ignorePatterns, ['archive/']);
  });

  test('mistakes are invalid-config findings at their line and column, with a "did you mean"', () => {
    const text = [
      '{',
      '  "rules": {',
      '    "missing-error-handlr": "off",',
      '    "partial-error-handler": "warn",',
      '    "invalid-config": "off"',
      '  },',
      '  "exempts": {},',
      '  "exempt": { "modules": { "a.json": [3, "7", 0] }, "apps": [""] },',
      '  "overrides": [{ "rules": {} }, { "files": "b/*.json", "rules": { "yaml-syntax": "off" } }],',
      '  "ignorePatterns": ["!keep.json"]',
      '}',
    ].join('\n');
    const found = where(text);
    const expect = (prefix: string, re: RegExp): void => {
      assert.ok(
        found.some((f) => f.startsWith(prefix) && re.test(f)),
        `no finding at ${prefix} matching ${re}:\n${found.join('\n')}`,
      );
    };
    expect('3:5 ', /"missing-error-handlr" is not a rule code \(did you mean "missing-error-handler"\?\)/);
    expect('4:30 ', /must be one of .*found "warn" \(did you mean "warning"\?\)/);
    expect('5:5 ', /"invalid-config" cannot be configured/);
    expect('7:3 ', /unknown key "exempts" \(did you mean "exempt"\?\)/);
    expect('8:42 ', /a module id is a positive whole number; found "7"/);
    expect('8:47 ', /found 0/);
    expect('8:62 ', /exempt\.apps: each entry must be/);
    expect('9:17 ', /overrides\[0\] has no "files"/);
    expect('10:22 ', /negated globs/);
    assert.equal(found.length, 9, found.join('\n'));
    for (const f of parseProjectConfig(text).findings) {
      assert.equal(f.code, 'invalid-config');
      assert.equal(f.severity, 'error');
    }
    // the valid entries are kept
    const config = parseProjectConfig(text).config;
    assert.ok(config);
    assert.deepEqual(config.rules, {});
    assert.deepEqual(config.exempt.modules, [{ files: 'a.json', ids: [3] }]);
    assert.deepEqual(config.overrides, [{ files: ['b/*.json'], rules: { 'yaml-syntax': 'off' }, exempt: { apps: [], modules: [] } }]);
  });

  test('a syntax error: no configuration is applied, the finding names the position', () => {
    const parsed = parseProjectConfig('{\n  "rules": {\n    "missing-error-handler": "off"\n  \n');
    assert.equal(parsed.config, undefined);
    assert.ok(parsed.findings.length >= 1);
    assert.match(parsed.findings[0].message, /JSON syntax error \(CloseBraceExpected\); the configuration is not applied/);
    assert.ok(parsed.findings[0].range.start.line >= 3);
  });

  test('not an object, empty, BOM', () => {
    assert.match(where('[]')[0], /^1:1 A project configuration must be a JSON object/);
    assert.equal(parseProjectConfig('[]').config, undefined);
    assert.match(where('')[0], /^1:1 The project configuration is empty/);
    assert.deepEqual(parseOk('\ufeff{"rules":{}}').rules, {});
  });

  test('never throws, whatever the text', () => {
    for (const t of [
      '{',
      '}',
      'null',
      '"x"',
      '{"rules": null}',
      '{"overrides": {}}',
      '{"exempt": []}',
      '{"exempt": {"modules": []}}',
      '\u0000',
      '{"rules": {"a": {"b": 1}}}',
    ]) {
      const parsed = parseProjectConfig(t);
      assert.ok(parsed.findings.length > 0, t);
    }
  });
});

describe('config: globs and app patterns', () => {
  test('a glob without a slash matches at any depth; with one it is anchored at the configuration folder', () => {
    assert.equal(matchesFileGlob('exports/eu/Orders sync.json', '*.json'), true);
    assert.equal(matchesFileGlob('exports/eu/Orders sync.json', 'Orders sync.json'), true);
    assert.equal(matchesFileGlob('exports/eu/Orders sync.json', 'exports/*.json'), false);
    assert.equal(matchesFileGlob('exports/eu/Orders sync.json', 'exports/**/*.json'), true);
    assert.equal(matchesFileGlob('exports/a.json', '/exports/a.json'), true);
    assert.equal(matchesFileGlob('exports/a.json', './exports/a.json'), true);
    assert.equal(matchesFileGlob('other/exports/a.json', '/exports/a.json'), false);
    assert.equal(matchesFileGlob('.hidden/a.json', '**/*.json'), true);
    assert.equal(matchesFileGlob('../outside/a.json', '**/*.json'), false);
  });

  test('ignore patterns match the file or a folder it is in', () => {
    assert.equal(matchesIgnorePattern('archive/2023/old.json', ['archive']), true);
    assert.equal(matchesIgnorePattern('exports/archive/old.json', ['archive']), true);
    assert.equal(
      matchesIgnorePattern('exports/archive/old.json', ['archive/']),
      true,
      'as in .gitignore: a trailing slash alone does not anchor',
    );
    assert.equal(matchesIgnorePattern('exports/archive/old.json', ['/archive/']), false, 'a leading slash anchors');
    assert.equal(matchesIgnorePattern('archive/old.json', ['/archive/']), true);
    assert.equal(matchesIgnorePattern('exports/archive', ['exports/archive/']), true, 'the folder itself (so a walk does not enter it)');
    assert.equal(matchesIgnorePattern('exports/old.json', ['archive']), false);
    assert.equal(matchesIgnorePattern('exports/mock.api.json', ['*.api.json']), true);
    assert.equal(matchesIgnorePattern('../x/a.json', ['**']), false);
  });

  test('app patterns: * and ?, case-insensitive, whole name only', () => {
    assert.equal(matchesAppPattern('builtin:SetVariable2', 'builtin:SetVariable*'), true);
    assert.equal(matchesAppPattern('util:SetVariables', 'util:*'), true);
    assert.equal(matchesAppPattern('gateway:CustomWebhook', 'gateway:CustomWebHook'), true);
    assert.equal(matchesAppPattern('http:ActionSendData', 'http:Action?endData'), true);
    assert.equal(matchesAppPattern('http:ActionSendData', 'http:Action'), false);
    assert.equal(matchesAppPattern('xutil:SetVariable', 'util:*'), false);
    assert.equal(matchesAppPattern('a.b:c', 'a.b:*'), true);
    assert.equal(matchesAppPattern('axb:c', 'a.b:*'), false, 'a dot is a dot');
  });
});

describe('config: apply', () => {
  test('without a configuration the default exemptions apply: iterator, set variable and text parser are not reported', () => {
    const { findings, scenario } = lintExport();
    assert.deepEqual(missingIds(findings), [2, 3, 4, 5, 6]);
    const applied = applyProjectConfig(findings, scenario, 'exports/Orders sync.json', undefined);
    assert.deepEqual(missingIds(applied), [4, 5]);
    for (const app of ['builtin:BasicFeeder', 'util:SetVariable2', 'regexp:HTMLToText']) assert.ok(DEFAULT_EXEMPT_APPS.includes(app), app);
    assert.ok(!DEFAULT_EXEMPT_APPS.includes('json:ParseJSON'), 'ParseJSON fails on bad data: a handler helps');
  });

  test('"exempt": {"defaults": false} brings them back; an override can do it for some files', () => {
    const { findings, scenario } = lintExport();
    const off = parseOk('{"exempt": {"defaults": false}}');
    assert.deepEqual(missingIds(applyProjectConfig(findings, scenario, 'exports/Orders sync.json', off)), [2, 3, 4, 5, 6]);
    const some = parseOk('{"overrides": [{"files": ["critical/**"], "exempt": {"defaults": false}}]}');
    assert.deepEqual(missingIds(applyProjectConfig(findings, scenario, 'critical/Orders sync.json', some)), [2, 3, 4, 5, 6]);
    assert.deepEqual(missingIds(applyProjectConfig(findings, scenario, 'exports/Orders sync.json', some)), [4, 5]);
  });

  test('exempt apps by pattern and modules by id in the files a glob matches', () => {
    const { findings, scenario } = lintExport();
    const config = parseOk('{"exempt": {"apps": ["google-SHEETS:*"], "modules": {"exports/*.json": [4], "other.json": [5]}}}');
    assert.deepEqual(missingIds(applyProjectConfig(findings, scenario, 'exports/Orders sync.json', config)), []);
    assert.deepEqual(missingIds(applyProjectConfig(findings, scenario, 'elsewhere/Orders sync.json', config)), [4]);
  });

  test('an exemption silences only missing-error-handler and partial-error-handler', () => {
    // Module 4's Break handler is invalid (storage is off): that stays reported on an exempt module.
    const broken = JSON.parse(EXPORT) as { flow: Record<string, unknown>[]; metadata: { scenario: Record<string, unknown> } };
    broken.metadata.scenario.dlq = false;
    broken.flow[3].onerror = [{ id: 7, module: 'builtin:Break', version: 1, mapper: { retry: true, count: 3, interval: 15 } }];
    const { findings, scenario } = lintExport(JSON.stringify(broken, null, 2));
    assert.ok(findings.some((f) => f.code === 'break-requires-incomplete-storage' && f.moduleId === 4));
    const config = parseOk('{"exempt": {"modules": {"**": [4]}, "apps": ["http:*"]}}');
    const applied = applyProjectConfig(findings, scenario, 'a.json', config);
    assert.ok(applied.some((f) => f.code === 'break-requires-incomplete-storage' && f.moduleId === 4));
  });

  test('severities: base < rules < overrides (the last matching wins) < command line; off drops', () => {
    const { findings, scenario } = lintExport();
    const config = parseOk(`{
      "rules": {"missing-error-handler": "error"},
      "overrides": [
        {"files": ["exports/**"], "rules": {"missing-error-handler": "information"}},
        {"files": ["*.json"], "rules": {"missing-error-handler": "hint"}},
        {"files": ["nothing/**"], "rules": {"missing-error-handler": "off"}}
      ]}`);
    const sev = (fs: readonly Finding[]): string[] => [
      ...new Set(fs.filter((f) => f.code === 'missing-error-handler').map((f) => f.severity)),
    ];
    assert.deepEqual(sev(applyProjectConfig(findings, scenario, 'exports/a.json', config)), ['hint']);
    assert.deepEqual(sev(applyProjectConfig(findings, scenario, 'other/a.yaml', config)), ['error']);
    assert.deepEqual(
      sev(applyProjectConfig(findings, scenario, 'exports/a.json', config, { cliRules: { 'missing-error-handler': 'warning' } })),
      ['warning'],
    );
    assert.deepEqual(
      applyProjectConfig(findings, scenario, 'exports/a.json', config, { cliRules: { 'missing-error-handler': 'off' } }),
      [],
    );
    const base = { baseRules: { 'missing-error-handler': 'off' as const } };
    assert.deepEqual(
      sev(applyProjectConfig(findings, scenario, 'other/a.yaml', config, base)),
      ['error'],
      'the configuration wins over the base settings',
    );
    assert.deepEqual(applyProjectConfig(findings, scenario, 'other/a.yaml', undefined, base), []);
    assert.deepEqual(configForFile(config, 'exports/a.json').rules, { 'missing-error-handler': 'hint' });
  });

  test('ignorePatterns and paths relative to the configuration folder', () => {
    const config = parseOk('{"ignorePatterns": ["archive/", "*.mock.json"]}');
    assert.equal(isIgnoredByConfig(config, 'archive/a.json'), true);
    assert.equal(isIgnoredByConfig(config, 'exports/x.mock.json'), true);
    assert.equal(isIgnoredByConfig(config, 'exports/x.json'), false);
    assert.equal(isIgnoredByConfig(undefined, 'archive/a.json'), false);
    const cfg = path.join(path.sep, 'repo', '.fusionlintrc.json');
    assert.equal(configRelativePath(cfg, path.join(path.sep, 'repo', 'exports', 'Orders sync.json')), 'exports/Orders sync.json');
    assert.equal(configRelativePath(cfg, path.join(path.sep, 'other', 'a.json')), '../other/a.json');
    assert.equal(configRelativePath('/ws/team/.fusionlintrc.json', '/ws/team/exports/a b.json', path.posix), 'exports/a b.json');
  });
});

describe('config: lookup', () => {
  const files = new Set(['/repo/.fusionlintrc.json', '/repo/team-b/.fusionlintrc.json', '/.fusionlintrc.json']);
  const roots = new Set(['/repo']);
  const host = { fileExists: (f: string) => files.has(f), isRoot: (d: string) => roots.has(d) };

  test('the nearest file wins, walking up from the file folder; the walk stops at the root', () => {
    assert.equal(findConfigFile('/repo/team-b/exports', host, path.posix), '/repo/team-b/.fusionlintrc.json');
    assert.equal(findConfigFile('/repo/team-a/exports', host, path.posix), '/repo/.fusionlintrc.json');
    assert.equal(findConfigFile('/repo', host, path.posix), '/repo/.fusionlintrc.json');
    // /elsewhere has no root marker: the walk reaches the file system root
    assert.equal(findConfigFile('/elsewhere/x', host, path.posix), '/.fusionlintrc.json');
    // a repository without a configuration: nothing above the repository is used
    const noRepoConfig = { fileExists: (f: string) => f === '/.fusionlintrc.json', isRoot: (d: string) => d === '/repo' };
    assert.equal(findConfigFile('/repo/team-a', noRepoConfig, path.posix), undefined);
  });

  test('the asynchronous walk (the extension) gives the same answers', async () => {
    const asyncHost = { fileExists: async (f: string) => files.has(f), isRoot: async (d: string) => roots.has(d) };
    assert.equal(await findConfigFileAsync('/repo/team-b/exports', asyncHost, path.posix), '/repo/team-b/.fusionlintrc.json');
    assert.equal(await findConfigFileAsync('/repo/team-a', asyncHost, path.posix), '/repo/.fusionlintrc.json');
  });
});

describe('config: schema and package', () => {
  const ROOT = path.resolve(__dirname, '../../..');
  const read = (rel: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as unknown;

  test('the schema lists exactly the configurable rule codes and the default exemptions', () => {
    const schema = read('schemas/fusionlintrc.schema.json') as {
      definitions: {
        rules: { properties: Record<string, unknown> };
        exempt: { properties: { defaults: { markdownDescription: string } } };
      };
    };
    assert.deepEqual(Object.keys(schema.definitions.rules.properties).sort(), [...CONFIGURABLE_CODES].sort());
    for (const app of DEFAULT_EXEMPT_APPS)
      assert.ok(schema.definitions.exempt.properties.defaults.markdownDescription.includes(`\`${app}\``), app);
  });

  test('package.json contributes the schema for .fusionlintrc.json; every lint code has its rule page', () => {
    const pkg = read('package.json') as { contributes: { jsonValidation: { fileMatch: string[]; url: string }[] } };
    const entry = pkg.contributes.jsonValidation.find((v) => v.fileMatch.includes('.fusionlintrc.json'));
    assert.equal(entry?.url, './schemas/fusionlintrc.schema.json');
    for (const code of LINT_CODES) assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'rules', `${code}.md`)), `docs/rules/${code}.md`);
  });
});
