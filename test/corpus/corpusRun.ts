/**
 * What the corpus suite measures on one real export: lint, classification of every module, the
 * blueprint → YAML → blueprint round trip, and an independent count of the module objects in the
 * raw JSON. Pure measurement; the assertions live in corpus.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { classify } from '../../src/core/classify/classifier';
import { applyProjectConfig } from '../../src/core/config';
import { lintScenario } from '../../src/core/lint/lint';
import { walkModules } from '../../src/core/model';
import type { Profile, Scenario } from '../../src/core/model';
import { blueprintToYaml, yamlToBlueprint } from '../../src/core/scenario/convert';
import { sniffScenarioJson } from '../../src/core/scenario/workspace';
import type { ScenarioJsonKind } from '../../src/core/scenario/workspace';

export const ERROR_TYPES = ['ConnectionError', 'DataError', 'RateLimitError'] as const;
const PROFILES: readonly Profile[] = ['fusion', 'make'];

/** How the round trip went. */
export type ConvertOutcome =
  | { readonly kind: 'stable' }
  /** The converter refused, naming a position (`file:line:col: …`): acceptable. */
  | { readonly kind: 'refused'; readonly message: string }
  /** A second conversion gave a different YAML than the first. */
  | { readonly kind: 'unstable'; readonly detail: string }
  /** It threw without a position, or threw something that is not a refusal. */
  | { readonly kind: 'crash'; readonly message: string };

export interface RawCount {
  /** Module objects in flow / routes[].flow / branches[].flow / onerror arrays (directive modules included). */
  readonly total: number;
  /** Their ids (numbers; null ids are counted but have no entry here). */
  readonly ids: readonly number[];
  /** Directive modules (builtin:Break|Resume|Ignore|Commit|Rollback) ending an onerror array. */
  readonly directives: number;
  /** Module-like objects anywhere else (AI agent `tools[].flow`, designer orphans, ...), for information. */
  readonly elsewhere: number;
}

export interface FileResult {
  /** `corpus/<owner+repo>/<path>` or `fixtures/<name>`. */
  readonly id: string;
  readonly abs: string;
  readonly bytes: number;
  /** Strict JSON (after a byte-order mark). */
  readonly jsonValid: boolean;
  readonly kind: ScenarioJsonKind | undefined;
  /** Undefined when the text is not valid JSON. */
  readonly raw: RawCount | undefined;
  /** Modules of the model (walkModules) plus explicit directives of its handler routes. */
  readonly modelModules: number;
  /** Raw ids (not directives) that the model does not have. */
  readonly unknownIds: readonly number[];
  readonly findings: Readonly<Record<string, number>>;
  /** Findings whose message reports an internal error or carries a stack trace. */
  readonly internal: readonly string[];
  /** Missing-error-handler findings per app of the module they are on. */
  readonly missingByApp: Readonly<Record<string, number>>;
  /** Missing-error-handler findings left once the default exemptions apply (no configuration file). */
  readonly missingAfterDefaults: number;
  readonly classified: number;
  readonly classifyErrors: readonly string[];
  readonly convert: ConvertOutcome;
  readonly lintMs: number;
  readonly totalMs: number;
  /** Something threw out of a function that must never throw. */
  readonly crash?: string;
}

const DIRECTIVE_APPS = new Set(['builtin:Break', 'builtin:Resume', 'builtin:Ignore', 'builtin:Commit', 'builtin:Rollback']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isModuleObject(v: unknown): v is Record<string, unknown> {
  return isObject(v) && typeof v.module === 'string' && (typeof v.id === 'number' || v.id === null);
}

/** The blueprint object of a parsed export (unwrapping the API response and template wrappers). */
export function unwrapBlueprint(value: unknown): unknown {
  if (!isObject(value)) return value;
  if ('flow' in value && 'metadata' in value) return value;
  if (isObject(value.response) && isObject(value.response.blueprint)) return value.response.blueprint;
  if (isObject(value.blueprint)) return value.blueprint;
  return value;
}

/** Counts module objects in the raw JSON, without the project's parser. */
export function countRawModules(blueprint: unknown): RawCount {
  const ids: number[] = [];
  let total = 0;
  let directives = 0;
  const counted = new Set<object>();
  const list = (items: unknown, inOnError: boolean): void => {
    if (!Array.isArray(items)) return;
    items.forEach((item, i) => {
      if (!isModuleObject(item)) return;
      counted.add(item);
      total++;
      const isDirective = inOnError && i === items.length - 1 && DIRECTIVE_APPS.has(item.module as string);
      if (isDirective) directives++;
      else if (typeof item.id === 'number') ids.push(item.id);
      list(item.onerror, true);
      for (const key of ['routes', 'branches']) {
        const branches = item[key];
        if (Array.isArray(branches)) for (const b of branches) if (isObject(b)) list(b.flow, false);
      }
    });
  };
  if (isObject(blueprint)) list(blueprint.flow, false);
  let all = 0;
  const any = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(any);
    else if (isObject(v)) {
      if (isModuleObject(v)) all++;
      Object.values(v).forEach(any);
    }
  };
  any(blueprint);
  return { total, ids, directives, elsewhere: all - counted.size };
}

function modelCount(scenario: Scenario | null): { modules: number; ids: Set<number> } {
  const ids = new Set<number>();
  let modules = 0;
  if (!scenario) return { modules, ids };
  for (const m of walkModules(scenario.modules)) {
    modules++;
    ids.add(m.id);
    for (const r of m.onError) if (r.directiveExplicit) modules++;
  }
  return { modules, ids };
}

const POSITIONED = /^[^\n]*?:\d+:\d+: \S/;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function roundTrip(text: string, abs: string): ConvertOutcome {
  let yaml1: string;
  try {
    yaml1 = blueprintToYaml(text, abs);
  } catch (e) {
    const message = messageOf(e);
    if (
      e instanceof Error &&
      !(e instanceof TypeError) &&
      !(e instanceof RangeError) &&
      POSITIONED.test(message) &&
      !message.includes('\n')
    ) {
      return { kind: 'refused', message };
    }
    return { kind: 'crash', message: e instanceof Error && e.stack ? e.stack : message };
  }
  try {
    const yamlName = abs.replace(/\.json$/i, '.scenario.yaml');
    const back = yamlToBlueprint(yaml1, yamlName);
    const yaml2 = blueprintToYaml(back, abs);
    if (yaml2 === yaml1) return { kind: 'stable' };
    const a = yaml1.split('\n');
    const b = yaml2.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return { kind: 'unstable', detail: `line ${i + 1}: ${JSON.stringify(a[i] ?? '')} became ${JSON.stringify(b[i] ?? '')}` };
  } catch (e) {
    return { kind: 'unstable', detail: `converting the YAML back failed: ${messageOf(e)}` };
  }
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Lints, classifies and converts one file; never throws (a throw is recorded as `crash`). */
export function runFile(id: string, abs: string): FileResult {
  const started = performance.now();
  const bytes = fs.readFileSync(abs);
  const text = new TextDecoder('utf-8').decode(bytes); // drops a byte-order mark, as an editor does
  let value: unknown;
  let jsonValid = true;
  try {
    value = JSON.parse(text);
  } catch {
    jsonValid = false;
  }
  const kind = sniffScenarioJson(text).kind;
  const raw = jsonValid ? countRawModules(unwrapBlueprint(value)) : undefined;

  const base = { id, abs, bytes: bytes.length, jsonValid, kind, raw };
  const findings: Record<string, number> = {};
  const internal: string[] = [];
  const missingByApp: Record<string, number> = {};
  let linted: ReturnType<typeof lintScenario>;
  let lintMs: number;
  try {
    const t0 = performance.now();
    linted = lintScenario(abs, text);
    lintMs = performance.now() - t0;
  } catch (e) {
    return crashed(base, `lintScenario threw: ${messageOf(e)}`, started);
  }
  const scenario: Scenario | null = linted.scenario;
  const apps = new Map<number, string>();
  if (scenario) for (const m of walkModules(scenario.modules)) if (!apps.has(m.id)) apps.set(m.id, m.app);
  for (const f of linted.findings) {
    findings[f.code] = (findings[f.code] ?? 0) + 1;
    if (/internal error/i.test(f.message) || /\n\s+at /.test(f.message)) internal.push(`${f.code}: ${f.message}`);
    if (f.code === 'missing-error-handler' && f.moduleId !== undefined) {
      const app = apps.get(f.moduleId) ?? '?';
      missingByApp[app] = (missingByApp[app] ?? 0) + 1;
    }
  }
  let missingAfterDefaults: number;
  try {
    missingAfterDefaults = applyProjectConfig(linted.findings, scenario, id, undefined).filter(
      (f) => f.code === 'missing-error-handler',
    ).length;
  } catch (e) {
    return crashed(base, `applyProjectConfig threw: ${messageOf(e)}`, started);
  }

  const model = modelCount(scenario);
  const unknownIds = raw ? raw.ids.filter((i) => !model.ids.has(i)) : [];

  let classified = 0;
  const classifyErrors: string[] = [];
  if (scenario) {
    for (const m of walkModules(scenario.modules)) {
      for (const profile of PROFILES) {
        for (const type of ERROR_TYPES) {
          try {
            const c = classify(scenario, m.id, type, profile);
            if (typeof c.outcome !== 'string' || typeof c.reason !== 'string' || c.reason === '') throw new Error('empty classification');
            classified++;
          } catch (e) {
            classifyErrors.push(`module ${m.id} ${type} (${profile}): ${messageOf(e)}`);
          }
        }
      }
    }
  }

  const convert = roundTrip(text, abs);
  return {
    ...base,
    modelModules: model.modules,
    unknownIds,
    findings,
    internal,
    missingByApp,
    missingAfterDefaults,
    classified,
    classifyErrors,
    convert,
    lintMs,
    totalMs: performance.now() - started,
  };
}

function crashed(
  base: Pick<FileResult, 'id' | 'abs' | 'bytes' | 'jsonValid' | 'kind' | 'raw'>,
  crash: string,
  started: number,
): FileResult {
  return {
    ...base,
    modelModules: 0,
    unknownIds: [],
    findings: {},
    internal: [],
    missingByApp: {},
    missingAfterDefaults: 0,
    classified: 0,
    classifyErrors: [],
    convert: { kind: 'crash', message: crash },
    lintMs: 0,
    totalMs: performance.now() - started,
    crash,
  };
}

/** Every file under `dir` (sorted, forward-slash relative paths). */
export function listFiles(dir: string, filter: (rel: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) walk(path.join(abs, d.name), r);
      else if (d.isFile() && filter(r)) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** The summary table the suite prints. */
export function summaryTable(results: readonly FileResult[]): string {
  const findings: Record<string, number> = {};
  const missingByApp: Record<string, number> = {};
  for (const r of results) {
    for (const [code, n] of Object.entries(r.findings)) findings[code] = (findings[code] ?? 0) + n;
    for (const [app, n] of Object.entries(r.missingByApp)) missingByApp[app] = (missingByApp[app] ?? 0) + n;
  }
  const sum = (f: (r: FileResult) => number): number => results.reduce((s, r) => s + f(r), 0);
  const count = (k: ConvertOutcome['kind']): number => results.filter((r) => r.convert.kind === k).length;
  const lint = results.map((r) => r.lintMs);
  const total = results.map((r) => r.totalMs);
  const ms = (n: number): string => n.toFixed(1);
  const rows: [string, string][] = [
    ['files', String(results.length)],
    ['  valid JSON / not valid JSON', `${results.filter((r) => r.jsonValid).length} / ${results.filter((r) => !r.jsonValid).length}`],
    [
      '  blueprint / API response / template / not a scenario',
      (['blueprint', 'api-response', 'template', undefined] as const).map((k) => results.filter((r) => r.kind === k).length).join(' / '),
    ],
    ['modules in the raw JSON (flow, routes, branches, onerror)', String(sum((r) => r.raw?.total ?? 0))],
    ['  of which directive modules', String(sum((r) => r.raw?.directives ?? 0))],
    ['  module-like objects elsewhere (tools, orphans, ...)', String(sum((r) => r.raw?.elsewhere ?? 0))],
    ['modules in the model (incl. directives)', String(sum((r) => r.modelModules))],
    ['raw module ids the model does not know', String(sum((r) => r.unknownIds.length))],
    ['classifications (3 error types × 2 profiles)', `${sum((r) => r.classified)} (${sum((r) => r.classifyErrors.length)} threw)`],
    ...Object.entries(findings)
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]): [string, string] => [`findings: ${code}`, String(n)]),
    [
      'missing-error-handler left after the default exemptions',
      `${sum((r) => r.missingAfterDefaults)} (${(100 - (100 * sum((r) => r.missingAfterDefaults)) / Math.max(1, findings['missing-error-handler'] ?? 0)).toFixed(1)}% exempt)`,
    ],
    [
      'round trip stable / refused / unstable / crash',
      `${count('stable')} / ${count('refused')} / ${count('unstable')} / ${count('crash')}`,
    ],
    ['lint ms per file: median / max', `${ms(median(lint))} / ${ms(Math.max(0, ...lint))}`],
    ['all checks ms per file: median / max', `${ms(median(total))} / ${ms(Math.max(0, ...total))}`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  const apps = Object.entries(missingByApp).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const totalMissing = apps.reduce((s, [, n]) => s + n, 0);
  lines.push('', `  missing-error-handler by app (top 25 of ${apps.length}; ${totalMissing} in all):`);
  for (const [app, n] of apps.slice(0, 25))
    lines.push(`    ${String(n).padStart(4)}  ${((100 * n) / Math.max(1, totalMissing)).toFixed(1).padStart(5)}%  ${app}`);
  return lines.join('\n');
}
