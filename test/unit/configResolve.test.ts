/** The project configuration of each linted file (core/config/resolve.ts): lookup, read, parse, cache; shared by the CLI and the extension. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ConfigResolver, loadProjectConfig } from '../../src/core/config';
import type { ConfigHost, ConfigRead } from '../../src/core/config';

/** A file system of configuration texts (posix paths), counting what the resolver asks. */
function memoryHost(
  texts: Record<string, string | { problem: string }>,
  roots: readonly string[],
): ConfigHost & { reads: string[]; stats: string[] } {
  const reads: string[] = [];
  const stats: string[] = [];
  return {
    reads,
    stats,
    fileExists: (f) => {
      stats.push(f);
      return Object.prototype.hasOwnProperty.call(texts, f);
    },
    isRoot: (d) => roots.includes(d),
    readText: (f): ConfigRead => {
      reads.push(f);
      const t = texts[f];
      if (t === undefined) return { ok: false, problem: 'no such file' };
      return typeof t === 'string' ? { ok: true, text: t } : { ok: false, problem: t.problem };
    },
  };
}

const posix = { pathFlavour: path.posix };

describe('config: resolver', () => {
  test('each file gets its nearest configuration; each configuration is read and parsed once, each folder looked up once', () => {
    const host = memoryHost(
      {
        '/repo/.fusionlintrc.json': '{"rules": {"partial-error-handler": "off"}}',
        '/repo/team-b/.fusionlintrc.json': '{"exempt": {"apps": ["http:*"]}}',
      },
      ['/repo'],
    );
    const r = new ConfigResolver(host, posix);
    const a1 = r.forFile('/repo/team-a/one.scenario.yaml');
    const a2 = r.forFile('/repo/team-a/two.scenario.yaml');
    const b = r.forFile('/repo/team-b/exports/x.json');
    assert.equal(a1?.file, '/repo/.fusionlintrc.json');
    assert.equal(a2, a1, 'the same loaded configuration object, not a second parse');
    assert.deepEqual(a1?.config?.rules, { 'partial-error-handler': 'off' });
    assert.equal(b?.file, '/repo/team-b/.fusionlintrc.json');
    assert.deepEqual(b?.config?.exempt.apps, ['http:*']);
    assert.deepEqual(host.reads, ['/repo/.fusionlintrc.json', '/repo/team-b/.fusionlintrc.json']);
    const statsBefore = host.stats.length;
    r.forFile('/repo/team-a/three.scenario.yaml');
    assert.equal(host.stats.length, statsBefore, 'a folder already looked up is answered from the cache');
    assert.deepEqual(
      r.used.map((c) => c.file),
      ['/repo/.fusionlintrc.json', '/repo/team-b/.fusionlintrc.json'],
      'in first-use order, each once',
    );
  });

  test('the walk stops at the root: a configuration above it is not used', () => {
    const host = memoryHost({ '/.fusionlintrc.json': '{}' }, ['/ws/alpha']);
    const r = new ConfigResolver(host, posix);
    assert.equal(r.forFile('/ws/alpha/scenarios/a.scenario.yaml'), undefined);
    assert.equal(r.forFile('/elsewhere/b.scenario.yaml')?.file, '/.fusionlintrc.json', 'without a root on the way, up to the top');
    assert.deepEqual(
      r.used.map((c) => c.file),
      ['/.fusionlintrc.json'],
    );
  });

  test('two roots (a multi-root workspace, one resolver per folder): each folder gets its own nearest file', () => {
    const texts = {
      '/ws/alpha/.fusionlintrc.json': '{"rules": {"missing-error-handler": "error"}}',
      '/ws/beta/flows/.fusionlintrc.json': '{"rules": {"missing-error-handler": "off"}}',
    };
    const alpha = new ConfigResolver(memoryHost(texts, ['/ws/alpha']), posix);
    const beta = new ConfigResolver(memoryHost(texts, ['/ws/beta']), posix);
    assert.deepEqual(alpha.forFile('/ws/alpha/scenarios/orders.scenario.yaml')?.config?.rules, { 'missing-error-handler': 'error' });
    assert.deepEqual(beta.forFile('/ws/beta/flows/orders.scenario.yaml')?.config?.rules, { 'missing-error-handler': 'off' });
    assert.equal(beta.forFile('/ws/beta/other/x.scenario.yaml'), undefined, "beta's root has no file; alpha's is not beta's");
  });

  test('an explicit configuration (--config FILE) applies to every file, and the lookup is not done', () => {
    const host = memoryHost({ '/repo/.fusionlintrc.json': '{}', '/shared/ci.json': '{"rules": {"unknown-error-type": "off"}}' }, ['/repo']);
    const r = new ConfigResolver(host, { ...posix, explicit: '/shared/ci.json' });
    assert.equal(r.forFile('/repo/a.scenario.yaml')?.file, '/shared/ci.json');
    assert.equal(r.forFile('/other/b.scenario.yaml')?.file, '/shared/ci.json');
    assert.deepEqual(host.stats, [], 'no lookup');
    assert.deepEqual(host.reads, ['/shared/ci.json']);
  });

  test('a configuration with a syntax error: no configuration, invalid-config findings at their line in the configuration file', () => {
    const text = '{\n  "rules": {\n    "missing-error-handler": "off",,\n  }\n}\n';
    const r = new ConfigResolver(memoryHost({ '/repo/.fusionlintrc.json': text }, ['/repo']), posix);
    const loaded = r.forFile('/repo/a.scenario.yaml');
    assert.ok(loaded);
    assert.equal(loaded.config, undefined, 'a broken file is not applied');
    assert.ok(loaded.findings.length > 0);
    assert.ok(loaded.findings.every((f) => f.code === 'invalid-config' && f.severity === 'error'));
    assert.equal(loaded.findings[0].range.start.line, 2, 'on the line of the doubled comma (0-based 2 = line 3)');
    assert.match(loaded.findings[0].message, /JSON syntax error/);
  });

  test('a configuration that cannot be read: one invalid-config finding at its start that says why; not applied', () => {
    const r = new ConfigResolver(
      memoryHost({ '/repo/.fusionlintrc.json': { problem: 'binary file (it contains NUL bytes)' } }, ['/repo']),
      posix,
    );
    const loaded = r.forFile('/repo/x/a.scenario.yaml');
    assert.equal(loaded?.config, undefined);
    assert.equal(loaded?.findings.length, 1);
    const [f] = loaded?.findings ?? [];
    assert.equal(f.code, 'invalid-config');
    assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.equal(f.message, 'The project configuration cannot be read: binary file (it contains NUL bytes). It is not applied.');
  });

  test('loadProjectConfig: a valid file keeps its valid entries and reports the wrong ones', () => {
    const loaded = loadProjectConfig('/repo/.fusionlintrc.json', {
      ok: true,
      text: '{"rules": {"missing-error-handler": "warn", "partial-error-handler": "off"}}',
    });
    assert.deepEqual(loaded.config?.rules, { 'partial-error-handler': 'off' });
    assert.equal(loaded.findings.length, 1);
    assert.match(loaded.findings[0].message, /did you mean "warning"/);
  });
});
