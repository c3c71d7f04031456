#!/usr/bin/env node
// Dev tool (not a test): lints and classifies every export under ../shared/corpus/blueprints and
// ../shared/fixtures/blueprints with the compiled core (run `npm run -s compile-tests` first: it
// loads out/src/...), and reports crashes, invalid-scenario on files that are valid JSON
// blueprints, and module objects of the raw JSON the model does not know and does not report.
// Usage: node scripts/dev/corpus-check.mjs [SHARED_DIR]   (default ../shared)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { lintScenario } = require(path.join(root, 'out/src/core/lint/lint.js'));
const { classify } = require(path.join(root, 'out/src/core/classify/classifier.js'));
const { walkModules } = require(path.join(root, 'out/src/core/model.js'));
const shared = path.resolve(process.argv[2] ?? path.join(root, '../shared'));

const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.json')) files.push(p);
  }
};
for (const d of ['corpus/blueprints', 'fixtures/blueprints']) if (fs.existsSync(path.join(shared, d))) walk(path.join(shared, d));

const NEST = new Set(['flow', 'routes', 'branches', 'onerror']);

const stats = {
  files: files.length,
  crashes: 0,
  notJson: 0,
  validJson: 0,
  falseInvalid: 0,
  unknownModules: 0,
  uncheckedReported: 0,
  classified: 0,
  depends: 0,
};
const problems = [];
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const rel = path.relative(shared, f);
  let json;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
    stats.validJson++;
  } catch {
    stats.notJson++;
  }
  try {
    const r = lintScenario(f, text);
    const invalid = r.findings.filter((x) => x.code === 'invalid-scenario');
    const isBlueprint =
      json && (Array.isArray(json.flow) || Array.isArray(json?.response?.blueprint?.flow) || Array.isArray(json?.blueprint?.flow));
    if (isBlueprint && invalid.length) {
      stats.falseInvalid++;
      problems.push(`${rel}: invalid-scenario on a valid export: ${invalid[0].message}`);
    }
    stats.uncheckedReported += r.findings.filter((x) => x.code === 'unchecked-modules').length;
    if (json && r.scenario) {
      const known = new Set();
      for (const m of walkModules(r.scenario.modules)) {
        known.add(m.id);
      }
      // Directive modules (builtin:Break, …) end routes: the model keeps them as the routes' directives.
      const unknown = [];
      const visit = (v, inFlow) => {
        if (Array.isArray(v)) return v.forEach((x) => visit(x, inFlow));
        if (!v || typeof v !== 'object') return;
        if (
          inFlow &&
          typeof v.module === 'string' &&
          !/^builtin:(Break|Resume|Ignore|Commit|Rollback)$/.test(v.module) &&
          !known.has(v.module === 'placeholder:Placeholder' ? 0 : v.id)
        )
          unknown.push(v.id);
        for (const [k, x] of Object.entries(v)) if (k !== 'mapper' && k !== 'parameters' && k !== 'metadata') visit(x, NEST.has(k));
      };
      visit(json?.response?.blueprint ?? (json && !json.flow && json.blueprint) ?? json, false);
      const reported =
        r.scenario && [...walkModules(r.scenario.modules)].reduce((n, m) => n + (m.unchecked ?? []).reduce((a, u) => a + u.count, 0), 0);
      if (unknown.length > reported) {
        stats.unknownModules += unknown.length - reported;
        problems.push(
          `${rel}: ${unknown.length - reported} module(s) not in the model and not reported: ${unknown.slice(0, 8).join(', ')}`,
        );
      }
      for (const m of walkModules(r.scenario.modules)) {
        if (m.kind === 'unset-trigger') continue;
        for (const t of ['ConnectionError', 'DataError', 'RuntimeError']) {
          const c = classify(r.scenario, m.id, t);
          stats.classified++;
          if (c.outcome === 'depends') stats.depends++;
        }
      }
    }
  } catch (e) {
    stats.crashes++;
    problems.push(`${rel}: CRASH ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
  }
}
console.log(JSON.stringify(stats, null, 2));
for (const p of problems) console.log(p);
