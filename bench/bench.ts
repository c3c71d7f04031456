// `npm run bench`: each figure is a ratio of our operation against a floor measured in the same run
// on the same input (median of several runs each, floor and subject interleaved so machine noise
// hits both). Prints a table and exits 0 whatever the figures. Not part of the tests.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { lintScenario, parseScenario } from '../src/core/lint/lint';
import type { Scenario } from '../src/core/model';
import type { ExecutionsFile } from '../src/core/executions/model';
import { resolveExecutions, retryExecutions } from '../src/core/executions/operations';
import { loadExecutions, serializeExecutions, updateExecutions } from '../src/core/executions/store';
import { parseExecutionsText } from '../src/core/executions/validate';
import { generateExecutions, generateNestedBlueprint, generateScenarioYaml, generateUnhandledScenarioYaml } from './generate';
import { buildMap } from '../src/core/map/layout';
import { colourMap } from '../src/core/map/colours';

const ROOT = path.resolve(__dirname, '..', '..');

interface Row {
  readonly name: string;
  readonly subject: string;
  readonly floor: string;
  readonly subjectMs?: number;
  readonly floorMs?: number;
  /** Absent: a figure to report, with no target (the issue asks for it, sets none). */
  readonly target?: number;
  readonly note?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * Runs floor and subject alternately `runs` times after one warm-up each; returns medians. A
 * subject whose warm-up takes longer than `budgetMs` is not run again: that single run is its figure
 * (far off target anyway, and the bench must finish).
 */
async function compare(
  runs: number,
  floor: () => unknown,
  subject: () => unknown,
  budgetMs = 10_000,
): Promise<{ floorMs: number; subjectMs: number; runs: number }> {
  await floor();
  const warm = await time(subject);
  if (warm > budgetMs) return { floorMs: await time(floor), subjectMs: warm, runs: 1 };
  const f: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < runs; i++) {
    f.push(await time(floor));
    s.push(await time(subject));
  }
  return { floorMs: median(f), subjectMs: median(s), runs };
}

function failed(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0];
}

async function benchLint(): Promise<Row> {
  const base = { name: 'lint 10,000-module scenario', subject: 'lintScenario', floor: 'yaml.parseDocument', target: 1.5 };
  const text = generateScenarioYaml(10_000);
  try {
    const r = await compare(
      5,
      () => parseDocument(text),
      () => lintScenario('generated.scenario.yaml', text),
    );
    return { ...base, ...r, note: `${(text.length / 1e6).toFixed(1)} MB${r.runs === 1 ? '; slow: 1 run only' : ''}` };
  } catch (e) {
    return { ...base, note: `not measured: ${failed(e)}` };
  }
}

/** Lint where findings dominate (a missing handler on 19 of 20 modules), and a nested export (if-else, filtered handlers, a router in a handler). */
async function benchLintShapes(): Promise<Row[]> {
  const rows: Row[] = [];
  const yaml = generateUnhandledScenarioYaml(10_000);
  const a = { name: 'lint 10,000 modules, 95 % unhandled', subject: 'lintScenario', floor: 'yaml.parseDocument', target: 1.1 };
  try {
    const r = await compare(
      5,
      () => parseDocument(yaml),
      () => lintScenario('unhandled.scenario.yaml', yaml),
    );
    const n = lintScenario('unhandled.scenario.yaml', yaml).findings.length;
    rows.push({ ...a, ...r, note: `${(yaml.length / 1e6).toFixed(1)} MB, ${n} findings` });
  } catch (e) {
    rows.push({ ...a, note: `not measured: ${failed(e)}` });
  }
  const json = generateNestedBlueprint(10_000);
  const b = { name: 'lint nested export (if-else, filtered handlers)', subject: 'lintScenario', floor: 'jsonc parseTree', target: 1.1 };
  try {
    const r = await compare(
      5,
      () => parseTree(json),
      () => lintScenario('nested.blueprint.json', json),
    );
    const n = lintScenario('nested.blueprint.json', json).findings.length;
    rows.push({ ...b, ...r, note: `${(json.length / 1e6).toFixed(1)} MB, ~10,000 module objects, ${n} findings` });
  } catch (e) {
    rows.push({ ...b, note: `not measured: ${failed(e)}` });
  }
  return rows;
}

async function benchBlueprint(): Promise<Row[]> {
  const base = { name: 'lint largest blueprint fixture', subject: 'lintScenario', floor: 'JSON.parse' };
  // The real exports (hundreds of KB) beside the clone when present; else the small hand-written ones.
  const real = path.resolve(ROOT, '..', 'shared', 'fixtures', 'blueprints');
  const dir = existsSync(real) ? real : path.join(ROOT, 'test', 'fixtures', 'blueprints');
  const candidates = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.blueprint.json'))
        .map((n) => path.join(dir, n))
        .filter((f) => {
          try {
            JSON.parse(readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
            return true;
          } catch {
            return false;
          }
        })
        .sort((a, b) => statSync(b).size - statSync(a).size)
    : [];
  if (candidates.length === 0) return [{ ...base, note: `not measured: no valid blueprint in ${dir}` }];
  const file = candidates[0];
  const text = readFileSync(file, 'utf8');
  const json = text.replace(/^\uFEFF/, '');
  const note = `${path.basename(file)}, ${(text.length / 1024).toFixed(0)} KB`;
  // A small input: many repetitions per sample so the timer resolution does not matter.
  const reps = 200;
  const lint = (): void => {
    for (let i = 0; i < reps; i++) lintScenario(path.basename(file), text);
  };
  const rows: Row[] = [];
  try {
    const r = await compare(
      7,
      () => {
        for (let i = 0; i < reps; i++) JSON.parse(json);
      },
      lint,
    );
    rows.push({ ...base, ...r, note });
  } catch (e) {
    rows.push({ ...base, note: `not measured: ${failed(e)}` });
  }
  // Informative: the same lint against a positions-keeping parse (what a linter needs at least).
  const tree = { ...base, floor: 'jsonc parseTree', target: 1.5 };
  try {
    const r = await compare(
      7,
      () => {
        for (let i = 0; i < reps; i++) parseTree(json, [], { allowTrailingComma: true });
      },
      lint,
    );
    rows.push({ ...tree, ...r, note });
  } catch (e) {
    rows.push({ ...tree, note: `not measured: ${failed(e)}` });
  }
  return rows;
}

async function benchStore(dir: string): Promise<Row[]> {
  const file = path.join(dir, 'incomplete-executions.json');
  const doc = generateExecutions(100_000);
  const text = serializeExecutions(doc);
  await fsp.writeFile(file, text);
  const mb = `${(Buffer.byteLength(text) / 1e6).toFixed(0)} MB`;
  const rows: Row[] = [];

  const parseOnly = await compare(
    5,
    () => JSON.parse(text),
    () => parseExecutionsText(text, file),
  );
  rows.push({
    name: 'parse 100,000 records',
    subject: 'parseExecutionsText',
    floor: 'JSON.parse',
    target: 1.5,
    ...parseOnly,
    note: `${mb} string in memory on both sides`,
  });
  const readParse = await compare(
    5,
    async () => JSON.parse(await fsp.readFile(file, 'utf8')),
    () => loadExecutions(file),
  );
  rows.push({
    name: 'load 100,000 records',
    subject: 'loadExecutions',
    floor: 'readFile + JSON.parse',
    target: 1.5,
    ...readParse,
    note: 'from disk on both sides (sha256 version: lazy)',
  });
  const withHash = await compare(
    5,
    async () => JSON.parse(await fsp.readFile(file, 'utf8')),
    async () => (await loadExecutions(file)).version,
  );
  rows.push({
    name: 'load 100,000 records',
    subject: 'loadExecutions + version',
    floor: 'readFile + JSON.parse',
    ...withHash,
    note: 'figure: as above plus the sha256 version, which only saveIfUnchanged needs',
  });

  // One retry written to that file.
  const scenarioFile = path.join(ROOT, 'samples', 'scenarios', 'invoice-export.scenario.yaml');
  let scenario: Scenario | null = null;
  try {
    scenario = parseScenario(scenarioFile, readFileSync(scenarioFile, 'utf8')).scenario;
  } catch {
    scenario = null;
  }
  const clock = (): Date => new Date('2026-11-20T12:00:00.000Z');
  // Every run retries a different pending record of module 2, so every run really writes.
  let run = 0;
  const ops = new Set<string>();
  const mutate = (d: ExecutionsFile): { doc: ExecutionsFile; result: undefined } => {
    const target = d.executions[4 * run++].id;
    if (scenario) {
      const s = scenario;
      try {
        const out = retryExecutions(d, [target], () => s, { clock });
        if (out.results[0]?.result === 'resolved' || out.results[0]?.result === 'failed') {
          ops.add('retryExecutions');
          return { doc: out.doc, result: undefined };
        }
      } catch {
        // fall through to resolve
      }
    }
    ops.add('resolveExecutions');
    return { doc: resolveExecutions(d, [target], 'bench', clock).doc, result: undefined };
  };
  const floorFile = path.join(dir, 'floor.json');
  try {
    const r = await compare(
      5,
      async () => fsp.writeFile(floorFile, JSON.stringify(doc, null, 2)),
      () => updateExecutions(file, mutate),
    );
    rows.push({
      name: 'one retry written to that file',
      subject: `updateExecutions + ${[...ops].join('/')}`,
      floor: 'JSON.stringify + writeFile',
      target: 2.0,
      ...r,
      note: 'lock, fsync, rename; the re-read is skipped while the file is as this process left it (a new process reads once)',
    });
  } catch (e) {
    rows.push({
      name: 'one retry written to that file',
      subject: 'updateExecutions',
      floor: 'JSON.stringify + writeFile',
      target: 2.0,
      note: `not measured: ${failed(e)}`,
    });
  }
  return rows;
}

/**
 * A scenario shaped like a real one, `count` modules: a flow where every 10th module is a router
 * with three routes of three modules, every third module has a Break handler route, every 7th a
 * handler route with an alert module before its Rollback.
 */
function generateRoutedScenarioYaml(count: number): string {
  const lines = ['name: Generated routed scenario', 'modules:', '  - id: 1', '    app: webhook:customWebhook'];
  let id = 2;
  const mod = (indent: string): void => {
    const n = id++;
    lines.push(`${indent}- id: ${n}`, `${indent}  app: http:makeRequest`, `${indent}  name: Step ${n}`);
    if (n % 7 === 0) {
      lines.push(
        `${indent}  onError:`,
        `${indent}    modules:`,
        `${indent}      - id: ${id}`,
        `${indent}        app: slack:createMessage`,
        `${indent}    directive: rollback`,
      );
      id++;
    } else if (n % 3 === 0)
      lines.push(
        `${indent}  onError:`,
        `${indent}    errors: [ConnectionError, RateLimitError]`,
        `${indent}    directive: break`,
        `${indent}    autoComplete: true`,
      );
  };
  while (id <= count) {
    if (id % 10 === 0 && id + 10 <= count) {
      lines.push(`  - id: ${id}`, '    app: builtin:router', '    routes:');
      id++;
      for (let r = 0; r < 3; r++) {
        lines.push(`      - name: Route ${r + 1}`, '        modules:');
        for (let k = 0; k < 3 && id <= count; k++) mod('          ');
      }
    } else mod('  ');
  }
  return `${lines.join('\n')}\n`;
}

async function benchMap(): Promise<Row> {
  const base = { name: 'map layout 500 modules', subject: 'buildMap + colourMap', floor: 'parseScenario', target: 1.0 };
  const text = generateRoutedScenarioYaml(500);
  try {
    const parsed = parseScenario('generated.scenario.yaml', text);
    const scenario = parsed.scenario;
    if (!scenario) return { ...base, note: 'not measured: the generated scenario does not parse' };
    const layout = (): unknown => colourMap(scenario, buildMap(scenario).map, { kind: 'type', name: 'ConnectionError' });
    const nodes = buildMap(scenario).map.nodes.length;
    const r = await compare(15, () => parseScenario('generated.scenario.yaml', text), layout);
    return { ...base, ...r, note: `${nodes} nodes; ${r.subjectMs.toFixed(1)} ms (limit 300 ms)` };
  } catch (e) {
    return { ...base, note: `not measured: ${failed(e)}` };
  }
}

async function benchCli(): Promise<Row> {
  const base = { name: 'CLI start', subject: 'node dist/cli.js --version', floor: 'node -e 0', target: 2.0 };
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return { ...base, note: 'not measured: dist/cli.js missing (npm run build)' };
  const probe = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return { ...base, note: `not measured: --version exited ${probe.status}: ${(probe.stderr || '').split('\n')[0]}` };
  const r = await compare(
    9,
    () => spawnSync(process.execPath, ['-e', '0']),
    () => spawnSync(process.execPath, [cli, '--version']),
  );
  return { ...base, ...r, note: `prints ${probe.stdout.trim()}` };
}

/** Wall time (ms) and peak RSS (KB, via /usr/bin/time when present) of one process run. */
function runTimed(args: readonly string[], cwd: string): { ms: number; rssKb?: number; status: number | null; stderr: string } {
  const gnuTime = '/usr/bin/time';
  const useTime = existsSync(gnuTime);
  const t = performance.now();
  const r = useTime
    ? spawnSync(gnuTime, ['-f', '%M', process.execPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
    : spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t;
  const lines = (r.stderr ?? '').trimEnd().split('\n');
  const rssKb = useTime ? Number(lines[lines.length - 1]) : undefined;
  return {
    ms,
    ...(rssKb !== undefined && Number.isFinite(rssKb) ? { rssKb } : {}),
    status: r.status,
    stderr: useTime ? lines.slice(0, -1).join('\n') : (r.stderr ?? ''),
  };
}

/**
 * The CLI on a 100,000-record executions file, one process per run (start-up included on both
 * sides), against a process that reads the same file, JSON.parse-s and JSON.stringify-s it. Each
 * run starts from the same file. Peak memory is the process's maximum RSS as a multiple of the
 * file size.
 */
async function benchCliStore(dir: string): Promise<Row[]> {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const names = ['list', 'resolve one id', 'retry --all', 'run-due'];
  if (!existsSync(cli))
    return names.map((n) => ({
      name: `CLI ${n}, 100,000 records`,
      subject: 'node dist/cli.js',
      floor: '-',
      note: 'not measured: dist/cli.js missing (npm run build)',
    }));
  const ws = path.join(dir, 'cli-ws');
  await fsp.mkdir(path.join(ws, '.fusion'), { recursive: true });
  await fsp.mkdir(path.join(ws, 'scenarios'), { recursive: true });
  for (const f of ['invoice-export.scenario.yaml', 'lead-sync.scenario.yaml']) {
    await fsp.copyFile(path.join(ROOT, 'samples', 'scenarios', f), path.join(ws, 'scenarios', f));
  }
  const original = path.join(dir, 'cli-original.json');
  const file = path.join(ws, '.fusion', 'incomplete-executions.json');
  const text = serializeExecutions(generateExecutions(100_000));
  await fsp.writeFile(original, text);
  const bytes = Buffer.byteLength(text);
  const floorScript = `const fs=require('fs');const d=JSON.parse(fs.readFileSync(${JSON.stringify(file)},'utf8'));JSON.stringify(d,null,2);`;
  const subjects: [string, string[], number][] = [
    ['list', ['list'], 3.0],
    ['resolve one id', ['resolve', 'ie-00000001'], 3.0],
    ['retry --all', ['retry', '--all'], 5.0],
    ['run-due', ['run-due', '--now', '2030-01-01T00:00:00Z'], 5.0],
  ];
  const rows: Row[] = [];
  const runs = 3;
  for (const [name, args, target] of subjects) {
    const f: number[] = [];
    const s: number[] = [];
    let rss = 0;
    let floorRss = 0;
    let problem: string | undefined;
    for (let i = 0; i < runs; i++) {
      await fsp.copyFile(original, file);
      const fl = runTimed(['-e', floorScript], ws);
      f.push(fl.ms);
      floorRss = Math.max(floorRss, fl.rssKb ?? 0);
      await fsp.copyFile(original, file);
      const r = runTimed([cli, ...args], ws);
      if (r.status !== 0 && r.status !== 1) problem = `exit ${r.status}: ${r.stderr.split('\n')[0]}`;
      s.push(r.ms);
      rss = Math.max(rss, r.rssKb ?? 0);
    }
    const mem =
      rss > 0
        ? `peak RSS ${(rss / 1024).toFixed(0)} MB = ${((rss * 1024) / bytes).toFixed(2)}× the ${(bytes / 1e6).toFixed(0)} MB file (target ≤ 4; floor ${(floorRss / 1024).toFixed(0)} MB)`
        : 'peak RSS not measured (no /usr/bin/time)';
    rows.push({
      name: `CLI ${name}, 100,000 records`,
      subject: `node dist/cli.js ${args.join(' ')}`,
      floor: 'node: readFile + JSON.parse + JSON.stringify',
      subjectMs: median(s),
      floorMs: median(f),
      target,
      note: problem ? `not usable: ${problem}` : mem,
    });
  }
  return rows;
}

function printTable(rows: readonly Row[]): void {
  const lines: string[][] = [['figure', 'ours', 'floor', 'ours ms', 'floor ms', 'ratio', 'target', 'result', 'note']];
  for (const r of rows) {
    const measured = r.subjectMs !== undefined && r.floorMs !== undefined && r.floorMs > 0;
    const ratio = measured ? r.subjectMs / r.floorMs : undefined;
    lines.push([
      r.name,
      r.subject,
      r.floor,
      measured ? r.subjectMs.toFixed(1) : '-',
      measured ? r.floorMs.toFixed(1) : '-',
      ratio !== undefined ? ratio.toFixed(2) : '-',
      r.target === undefined ? '-' : `≤ ${r.target.toFixed(1)}`,
      ratio === undefined ? 'N/A' : r.target === undefined ? 'figure' : ratio <= r.target ? 'PASS' : 'OVER',
      r.note ?? '',
    ]);
  }
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  for (const [i, l] of lines.entries()) {
    console.log(
      l
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${os.cpus().length} CPU(s), ${os.cpus()[0]?.model ?? ''}; medians, floor and subject interleaved\n`,
  );
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fie-bench-'));
  const rows: Row[] = [];
  // BENCH_ONLY=lint: just the lint rows (10,000-module YAML, the two lint shapes and the largest
  // blueprint); =map: the map row; =store-cli: just the CLI rows on a 100,000-record executions file.
  const only = process.env.BENCH_ONLY;
  try {
    if (only === undefined || only === 'lint') {
      rows.push(await benchLint());
      rows.push(...(await benchLintShapes()));
    }
    if (only === undefined || only === 'map') rows.push(await benchMap());
    if (only === undefined) {
      rows.push(...(await benchStore(dir)));
      rows.push(await benchCli());
    }
    if (only === undefined || only === 'store-cli') rows.push(...(await benchCliStore(dir)));
    if (only === undefined || only === 'lint') rows.push(...(await benchBlueprint()));
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench failed: ${failed(e)}`);
    process.exit(0);
  },
);
