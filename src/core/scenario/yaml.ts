/*
 * Scenario YAML (spec 2) → the shared model, with a source span for everything a diagnostic, a
 * hover or a quick fix points at. Built on the `yaml` package's document API (node ranges are
 * UTF-16 offsets into the text, the model's unit).
 *
 * Lenient by design: a wrong field is reported (`invalid-scenario`, `unknown-directive`, ...) at its
 * node and the parser carries on with a sensible default, so one lint pass reports every problem.
 * A module without a usable id is reported and left out of the model (its nested modules are still
 * checked). Only a YAML syntax error or a document that is not a mapping yields `scenario: null`.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { DIRECTIVES, PROFILES } from '../model';
import type {
  BranchChoice,
  Directive,
  ErrorHandlerRoute,
  Fault,
  FilterCondition,
  Finding,
  IfElseBranch,
  ModuleKind,
  Profile,
  RouteFilter,
  RouterRoute,
  RunTimeSetting,
  Scenario,
  ScenarioModule,
  ScenarioSettings,
  SimulationConfig,
  Span,
} from '../model';
import {
  ROUTE_DEFAULTS,
  ScenarioParserBase,
  UNSET_TRIGGER_ID,
  buildHandlerRoute,
  buildModule,
  buildScenario,
  defaultSettings,
  handlerLocation,
  moduleRef,
  quoteShort,
  routeLocation,
  routesOnNonRouterMessage,
} from './modelBuilder';
import { constantOf, isExpression } from './filter';
import type { Location, MutableSettings, RouteField, SettingSpans, SourcedErrorHandlerRoute } from './modelBuilder';
import { nearest } from '../text/spelling';
import type { LineIndex } from '../text/lineIndex';
import { MAX_SIMULATION_BUNDLES } from '../simulate/limits';

export { routeFieldSpans } from './modelBuilder';
export type { RouteField, SourcedErrorHandlerRoute } from './modelBuilder';

/** App names that make a module a router (YAML spelling first, the blueprint's accepted too). */
export const ROUTER_APPS: readonly string[] = ['builtin:router', 'builtin:BasicRouter'];

export function isRouterApp(app: string): boolean {
  return ROUTER_APPS.includes(app);
}

/** App names of an if-else module and of the Merge that may follow it (YAML spelling first, the blueprint's accepted too). */
export const IF_ELSE_APPS: readonly string[] = ['builtin:if-else', 'builtin:BasicIfElse'];
export const MERGE_APPS: readonly string[] = ['builtin:merge', 'builtin:BasicMerge'];
/** The app of an unset trigger (a first module with no id). */
export const UNSET_TRIGGER_APP = 'placeholder:Placeholder';

const SETTING_KEYS: readonly (keyof ScenarioSettings)[] = [
  'storeIncompleteExecutions',
  'sequentialProcessing',
  'maxConsecutiveErrors',
  'dataLoss',
  'instant',
  'profile',
];
const ROUTE_KEYS: readonly string[] = [
  'errors',
  'condition',
  'modules',
  'directive',
  'autoComplete',
  'attempts',
  'intervalMinutes',
  'output',
];
/** Keys of a router route / if-else branch inside an error-handler route that end it with a directive. */
const ENDING_KEYS: readonly RouteField[] = ['directive', 'autoComplete', 'attempts', 'intervalMinutes', 'output'];
const FAULT_KEYS: readonly string[] = ['module', 'error', 'message', 'bundles', 'recoverAfter'];
const SIMULATION_KEYS: readonly string[] = ['bundles', 'faults', 'branches'];

function didYouMean(name: string, candidates: readonly string[]): string {
  const n = nearest(name, candidates);
  return n ? ` Did you mean "${n}"?` : '';
}

class Parser extends ScenarioParserBase {
  constructor(
    text: string,
    lineIndex: LineIndex,
    private readonly doc: Document.Parsed,
  ) {
    super(text, lineIndex);
  }

  // ---- spans -----------------------------------------------------------------------------------

  /** The node's source span without trailing whitespace (block collections end after their newline). */
  spanOf(node: unknown, fallback: Span): Span {
    const range = rangeOf(node);
    if (!range) return fallback;
    let end = range[1];
    while (end > range[0] && /\s/.test(this.text[end - 1] ?? '')) end--;
    return this.clamp({ start: range[0], end });
  }

  /** From the key to the end of the value (or the key alone when the value is empty). */
  pairSpan(pair: Pair, fallback: Span): Span {
    const key = this.spanOf(pair.key, fallback);
    const value = this.valueSpan(pair, key);
    return { start: key.start, end: Math.max(key.end, value.end) };
  }

  /** The value's span; the key's when the value is empty (`key:` with nothing after it). */
  valueSpan(pair: Pair, fallback: Span): Span {
    const keySpan = this.spanOf(pair.key, fallback);
    const span = this.spanOf(pair.value, keySpan);
    return span.end > span.start ? span : keySpan;
  }

  // ---- values ----------------------------------------------------------------------------------

  /** A scalar's value (through an alias to a scalar); `NOT_SCALAR` for collections and unresolved aliases. */
  scalar(node: unknown): unknown {
    const target = isAlias(node) ? node.resolve(this.doc) : node;
    if (isScalar(target)) return target.value;
    return NOT_SCALAR;
  }

  /** A collection node: aliases to collections are refused (they could point at an ancestor). */
  collection(node: unknown): 'map' | 'seq' | 'alias' | 'empty' | 'scalar' {
    if (isMap(node)) return 'map';
    if (isSeq(node)) return 'seq';
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return isScalar(target) ? 'scalar' : 'alias';
    }
    if (node === null || node === undefined) return 'empty';
    if (isScalar(node) && (node.value === null || node.value === undefined)) return 'empty';
    return 'scalar';
  }

  pairs(map: YAMLMap): { key: string | undefined; pair: Pair }[] {
    return map.items.map((pair) => {
      const k = this.scalar(pair.key);
      return { key: typeof k === 'string' ? k : typeof k === 'number' || typeof k === 'boolean' ? String(k) : undefined, pair };
    });
  }

  get(map: YAMLMap, key: string): Pair | undefined {
    return this.pairs(map).find((p) => p.key === key)?.pair;
  }

  describe(node: unknown): string {
    const kind = this.collection(node);
    if (kind === 'map') return 'a mapping';
    if (kind === 'seq') return 'a list';
    if (kind === 'alias') return 'an alias';
    if (kind === 'empty') return 'nothing';
    const v = this.scalar(node);
    if (typeof v === 'string') return quoteShort(v);
    return String(v);
  }

  // ---- document --------------------------------------------------------------------------------

  scenario(): Scenario | null {
    const root = this.doc.contents;
    const whole: Span = { start: 0, end: this.lineIndex.lineEnd(0) };
    if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
      this.report('invalid-scenario', whole, 'The scenario file is empty: it needs at least `name` and a non-empty `modules` list.');
      return null;
    }
    if (!isMap(root)) {
      this.report(
        'invalid-scenario',
        this.spanOf(root, whole),
        `A scenario must be a mapping with \`name\` and \`modules\`; found ${this.describe(root)}.`,
      );
      return null;
    }
    const rootSpan = this.spanOf(root, whole);
    const firstKey = root.items[0] ? this.spanOf(root.items[0].key, rootSpan) : rootSpan;

    // name
    let name = '';
    let nameSpan: Span | undefined;
    const namePair = this.get(root, 'name');
    if (!namePair) {
      this.report('invalid-scenario', firstKey, 'The scenario has no `name` (required, e.g. `name: Invoice export`).');
    } else {
      nameSpan = this.valueSpan(namePair, rootSpan);
      const v = this.scalar(namePair.value);
      if (typeof v === 'string' && v.trim() !== '') name = v;
      else if (typeof v === 'number' || typeof v === 'boolean') name = String(v);
      else
        this.report(
          'invalid-scenario',
          nameSpan,
          `The scenario \`name\` must be a non-empty text; found ${this.describe(namePair.value)}.`,
        );
    }

    // settings
    const { settings, settingSpans } = this.settings(this.get(root, 'settings'), rootSpan);

    // modules
    let modules: ScenarioModule[] = [];
    const modulesPair = this.get(root, 'modules');
    if (!modulesPair) {
      this.report('invalid-scenario', firstKey, 'The scenario has no `modules` list (required; its first module is the trigger).');
    } else {
      const valueSpan = this.valueSpan(modulesPair, rootSpan);
      const kind = this.collection(modulesPair.value);
      if (kind === 'seq') {
        modules = this.modules(modulesPair.value as YAMLSeq, { routerPath: [] }, true);
        if ((modulesPair.value as YAMLSeq).items.length === 0) {
          this.report('invalid-scenario', valueSpan, 'The `modules` list is empty: a scenario needs at least its trigger module.');
        }
      } else if (kind === 'empty') {
        this.report('invalid-scenario', valueSpan, 'The `modules` list is empty: a scenario needs at least its trigger module.');
      } else {
        this.report('invalid-scenario', valueSpan, `\`modules\` must be a list of modules; found ${this.describe(modulesPair.value)}.`);
      }
    }

    const simulation = this.simulation(this.get(root, 'simulation'), rootSpan);
    this.reportDuplicateIds('file');

    return buildScenario('yaml', { name, nameSpan, settings, settingSpans, modules, simulation });
  }

  private settings(pair: Pair | undefined, parent: Span): { settings: MutableSettings; settingSpans: SettingSpans } {
    const result = defaultSettings();
    const { settings: out, settingSpans: spans } = result;
    if (!pair) return result;
    const kind = this.collection(pair.value);
    if (kind === 'empty') return result;
    if (kind !== 'map') {
      this.report('invalid-scenario', this.valueSpan(pair, parent), `\`settings\` must be a mapping; found ${this.describe(pair.value)}.`);
      return result;
    }
    for (const { key, pair: p } of this.pairs(pair.value as YAMLMap)) {
      const keySpan = this.spanOf(p.key, parent);
      const valueSpan = this.valueSpan(p, keySpan);
      if (key === undefined || !(SETTING_KEYS as readonly string[]).includes(key)) {
        this.report(
          'invalid-scenario',
          keySpan,
          `Unknown setting \`${key ?? '?'}\`.${didYouMean(key ?? '', SETTING_KEYS)} Known settings: ${SETTING_KEYS.join(', ')}.`,
        );
        continue;
      }
      const k = key as keyof ScenarioSettings;
      spans[k] = keySpan;
      const v = this.scalar(p.value);
      switch (k) {
        case 'storeIncompleteExecutions':
        case 'sequentialProcessing':
        case 'dataLoss':
        case 'instant':
          if (typeof v === 'boolean') out[k] = v;
          else this.report('invalid-scenario', valueSpan, `Setting \`${k}\` must be true or false; found ${this.describe(p.value)}.`);
          break;
        case 'maxConsecutiveErrors':
          if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) out.maxConsecutiveErrors = v;
          else
            this.report(
              'invalid-scenario',
              valueSpan,
              `Setting \`maxConsecutiveErrors\` must be a whole number ≥ 1; found ${this.describe(p.value)}.`,
            );
          break;
        case 'profile':
          if (typeof v === 'string' && (PROFILES as readonly string[]).includes(v)) out.profile = v as Profile;
          else this.report('invalid-scenario', valueSpan, `Setting \`profile\` must be fusion or make; found ${this.describe(p.value)}.`);
          break;
      }
    }
    return result;
  }

  // ---- modules ---------------------------------------------------------------------------------

  private modules(seq: YAMLSeq, loc: Location, top = false): ScenarioModule[] {
    const out: ScenarioModule[] = [];
    const seqSpan = this.spanOf(seq, { start: 0, end: 0 });
    seq.items.forEach((item, i) => {
      const itemSpan = this.spanOf(item, seqSpan);
      if (this.collection(item) !== 'map') {
        this.report('invalid-scenario', itemSpan, `Each module must be a mapping with \`id\` and \`app\`; found ${this.describe(item)}.`);
        return;
      }
      const unset = top && i === 0 ? this.unsetTrigger(item as YAMLMap) : null;
      const m = unset ?? this.module(item as YAMLMap, loc);
      if (m) out.push(m);
    });
    return out;
  }

  /** `- app: placeholder:Placeholder` (no id, or `id: null`) as the first module: the unset trigger. */
  private unsetTrigger(map: YAMLMap): ScenarioModule | null {
    const appPair = this.get(map, 'app');
    const idPair = this.get(map, 'id');
    if (!appPair || this.scalar(appPair.value) !== UNSET_TRIGGER_APP) return null;
    if (idPair && this.collection(idPair.value) !== 'empty') return null;
    const span = this.spanOf(map, { start: 0, end: 0 });
    const appSpan = this.valueSpan(appPair, span);
    this.report(
      'unset-trigger',
      appSpan,
      'The trigger is not set (placeholder:Placeholder): choose it before the scenario can run. The other modules are checked as if it were there.',
    );
    return buildModule(
      {
        id: UNSET_TRIGGER_ID,
        app: UNSET_TRIGGER_APP,
        name: undefined,
        isRouter: false,
        onError: [],
        routes: [],
        kind: 'unset-trigger',
        span,
        anchor: appSpan,
        idSpan: idPair ? this.valueSpan(idPair, span) : appSpan,
        appSpan,
        nameSpan: undefined,
      },
      { routerPath: [] },
    );
  }

  /** A filter condition in YAML: a list of AND-groups (each a list of {a, o, b}), or one group (a list of {a, o, b}). */
  private conditionOf(pair: Pair, parent: Span, ownerId: number | undefined): RouteFilter | undefined {
    const span = this.valueSpan(pair, parent);
    const bad = (): undefined => {
      this.report(
        'invalid-scenario',
        span,
        '`condition` must be a list of groups, each a list of conditions {a, o, b} (e.g. [[{a: "{{2.error.message}}", o: "text:contain", b: timeout}]]); the route applies when any group holds, a group holds when all its conditions do.',
        ownerId,
      );
      return undefined;
    };
    if (this.collection(pair.value) !== 'seq') return bad();
    const items = (pair.value as YAMLSeq).items;
    const grouped = items.every((g) => this.collection(g) === 'seq');
    const single = items.every((g) => this.collection(g) === 'map');
    if (items.length === 0 || (!grouped && !single)) return bad();
    const groupsNodes: unknown[][] = grouped ? items.map((g) => (g as YAMLSeq).items) : [items];
    const groups: FilterCondition[][] = [];
    for (const g of groupsNodes) {
      const group: FilterCondition[] = [];
      for (const c of g) {
        if (this.collection(c) !== 'map') return bad();
        const text = (key: string): string | undefined => {
          const p = this.get(c as YAMLMap, key);
          const v = p ? this.scalar(p.value) : undefined;
          return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
        };
        const a = text('a');
        const o = text('o');
        const b = text('b');
        if (a === undefined || o === undefined) return bad();
        group.push(b !== undefined ? { a, o, b } : { a, o });
      }
      if (group.length === 0) return bad();
      groups.push(group);
    }
    return { conditions: groups, span };
  }

  /** Modules of a route (`modules:` value): a list, or nothing. */
  private nestedModules(pair: Pair | undefined, parent: Span, loc: Location, what: string): ScenarioModule[] {
    if (!pair) return [];
    const kind = this.collection(pair.value);
    if (kind === 'empty') return [];
    if (kind !== 'seq') {
      this.report(
        'invalid-scenario',
        this.valueSpan(pair, parent),
        `The \`modules\` of ${what} must be a list of modules; found ${this.describe(pair.value)}.`,
      );
      return [];
    }
    return this.modules(pair.value as YAMLSeq, loc);
  }

  private module(map: YAMLMap, loc: Location): ScenarioModule | null {
    const span = this.spanOf(map, { start: 0, end: 0 });
    const idPair = this.get(map, 'id');
    const first = map.items[0];
    const anchor = idPair ? this.pairSpan(idPair, span) : first ? this.pairSpan(first, span) : span;

    let id: number | undefined;
    let idSpan = anchor;
    if (!idPair) {
      this.report('invalid-scenario', anchor, 'This module has no `id` (a positive whole number, unique in the file).');
    } else {
      idSpan = this.valueSpan(idPair, span);
      const v = this.scalar(idPair.value);
      if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) {
        id = v;
        this.registerId(id, idSpan);
      } else {
        this.report('invalid-scenario', idSpan, `A module \`id\` must be a positive whole number; found ${this.describe(idPair.value)}.`);
      }
    }

    let app = '';
    let appSpan = anchor;
    const appPair = this.get(map, 'app');
    if (!appPair) {
      this.report('invalid-scenario', anchor, `${moduleRef(id, true)} has no \`app\` ("<app>:<action>", e.g. http:makeRequest).`, id);
    } else {
      appSpan = this.valueSpan(appPair, span);
      const v = this.scalar(appPair.value);
      if (typeof v === 'string' && v.trim() !== '') {
        app = v;
        if (!/^[^:\s]+:[^:\s]+$/.test(v.trim())) {
          this.report(
            'invalid-scenario',
            appSpan,
            `\`app\` must be "<app>:<action>" (e.g. http:makeRequest, builtin:router); found "${v}".`,
            id,
          );
        }
      } else {
        this.report(
          'invalid-scenario',
          appSpan,
          `\`app\` must be "<app>:<action>" (e.g. http:makeRequest); found ${this.describe(appPair.value)}.`,
          id,
        );
      }
    }

    let name: string | undefined;
    let nameSpan: Span | undefined;
    const namePair = this.get(map, 'name');
    if (namePair) {
      const v = this.scalar(namePair.value);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        name = String(v);
        nameSpan = this.valueSpan(namePair, span);
      } else if (v !== null) {
        this.report(
          'invalid-scenario',
          this.valueSpan(namePair, span),
          `A module \`name\` must be a text; found ${this.describe(namePair.value)}.`,
          id,
        );
      }
    }

    const isRouter = isRouterApp(app.trim());
    const isIfElse = IF_ELSE_APPS.includes(app.trim());
    const kind: ModuleKind | undefined = isIfElse ? 'if-else' : MERGE_APPS.includes(app.trim()) ? 'merge' : undefined;
    const onErrorPair = this.get(map, 'onError');
    const onError = onErrorPair ? this.handlerRoutes(onErrorPair, span, id, loc) : [];

    const routesPair = this.get(map, 'routes');
    let routes: RouterRoute[] = [];
    if (routesPair) {
      const parsedRoutes = this.routerRoutes(routesPair, span, routeLocation(loc, id, isRouter), id);
      if (isRouter) routes = parsedRoutes;
      else this.report('invalid-scenario', this.spanOf(routesPair.key, span), routesOnNonRouterMessage('app: builtin:router', id, app), id);
    }

    const branchesPair = this.get(map, 'branches');
    let branches: IfElseBranch[] | undefined;
    if (branchesPair) {
      const parsed = this.ifElseBranches(branchesPair, span, routeLocation(loc, id, true), id);
      if (isIfElse) branches = parsed;
      else
        this.report(
          'invalid-scenario',
          this.spanOf(branchesPair.key, span),
          `Only an if-else (app: builtin:if-else) has \`branches\`; ${moduleRef(id)} is ${app ? `"${app}"` : 'not an if-else'}.`,
          id,
        );
    } else if (isIfElse) {
      branches = [];
      this.report(
        'invalid-scenario',
        anchor,
        `${moduleRef(id, true)} is an if-else without \`branches\` (a list of {name, condition, modules}, the last one may be {else: true}).`,
        id,
      );
    }

    if (id === undefined) return null;
    return buildModule(
      {
        id,
        app,
        name,
        isRouter,
        onError,
        routes,
        span,
        anchor,
        idSpan,
        appSpan,
        nameSpan,
        ...(kind ? { kind } : {}),
        ...(branches ? { branches } : {}),
      },
      loc,
    );
  }

  /** Inside an error-handler route: the directive a router route / if-else branch ends with (`directive:` and its settings on the route itself). */
  private endingOf(map: YAMLMap, span: Span, loc: Location, ownerId: number | undefined): ErrorHandlerRoute | undefined {
    if (loc.handlerOf === undefined) return undefined;
    if (!map.items.some((p) => (ENDING_KEYS as readonly string[]).includes(String(this.scalar(p.key))))) return undefined;
    const route = this.handlerRoute(map, span, loc, ownerId, ENDING_KEYS);
    return { ...route, modules: [] };
  }

  private ifElseBranches(pair: Pair, parent: Span, loc: Location, ownerId: number | undefined): IfElseBranch[] {
    const kind = this.collection(pair.value);
    if (kind === 'empty') return [];
    if (kind !== 'seq') {
      this.report(
        'invalid-scenario',
        this.valueSpan(pair, parent),
        `\`branches\` must be a list of branches (each with \`name\`, \`condition\` or \`else: true\`, and \`modules\`); found ${this.describe(pair.value)}.`,
        ownerId,
      );
      return [];
    }
    const known = ['name', 'condition', 'else', 'merge', 'disabled', 'modules', ...(loc.handlerOf !== undefined ? ENDING_KEYS : [])];
    const out: IfElseBranch[] = [];
    for (const item of (pair.value as YAMLSeq).items) {
      const span = this.spanOf(item, parent);
      if (this.collection(item) !== 'map') {
        this.report(
          'invalid-scenario',
          span,
          `Each if-else branch must be a mapping (name, condition or else: true, modules); found ${this.describe(item)}.`,
          ownerId,
        );
        continue;
      }
      const map = item as YAMLMap;
      let name: string | undefined;
      let isElse = false;
      let merge = false;
      let disabled = false;
      let condition: RouteFilter | undefined;
      for (const { key, pair: p } of this.pairs(map)) {
        const keySpan = this.spanOf(p.key, span);
        const v = this.scalar(p.value);
        if (key === undefined || !known.includes(key)) {
          this.report(
            'invalid-scenario',
            keySpan,
            `Unknown field \`${key ?? '?'}\` in an if-else branch.${didYouMean(key ?? '', known)} Known fields: ${known.join(', ')}.`,
            ownerId,
          );
        } else if (key === 'name') {
          if (typeof v === 'string' || typeof v === 'number') name = String(v);
        } else if (key === 'else' || key === 'merge' || key === 'disabled') {
          if (typeof v !== 'boolean')
            this.report(
              'invalid-scenario',
              this.valueSpan(p, keySpan),
              `\`${key}\` must be true or false; found ${this.describe(p.value)}.`,
              ownerId,
            );
          else if (key === 'else') isElse = v;
          else if (key === 'merge') merge = v;
          else disabled = v;
        } else if (key === 'condition') {
          condition = this.conditionOf(p, span, ownerId);
        }
      }
      if (isElse && condition)
        this.report('invalid-scenario', condition.span, 'The else branch has no condition: it runs when no other branch does.', ownerId);
      const modules = this.nestedModules(this.get(map, 'modules'), span, loc, 'an if-else branch');
      const ending = this.endingOf(map, span, loc, ownerId);
      out.push({
        ...(name !== undefined ? { name } : {}),
        isElse,
        ...(condition && !isElse ? { condition } : {}),
        merge,
        disabled,
        modules,
        span,
        ...(ending ? { ending } : {}),
      });
    }
    const elses = out.filter((b) => b.isElse);
    if (elses.length > 1 || (elses.length === 1 && out[out.length - 1] !== elses[0])) {
      this.report('invalid-scenario', elses[elses.length - 1].span, 'An if-else has at most one else branch, and it comes last.', ownerId);
    }
    return out;
  }

  private routerRoutes(pair: Pair, parent: Span, loc: Location, ownerId: number | undefined): RouterRoute[] {
    const kind = this.collection(pair.value);
    if (kind === 'empty') return [];
    if (kind !== 'seq') {
      this.report(
        'invalid-scenario',
        this.valueSpan(pair, parent),
        `\`routes\` must be a list of routes (each with optional \`name\` and \`modules\`); found ${this.describe(pair.value)}.`,
      );
      return [];
    }
    const out: RouterRoute[] = [];
    for (const item of (pair.value as YAMLSeq).items) {
      const span = this.spanOf(item, parent);
      if (this.collection(item) !== 'map') {
        this.report(
          'invalid-scenario',
          span,
          `Each router route must be a mapping with optional \`name\` and \`modules\`; found ${this.describe(item)}.`,
        );
        continue;
      }
      const map = item as YAMLMap;
      let name: string | undefined;
      const namePair = this.get(map, 'name');
      if (namePair) {
        const v = this.scalar(namePair.value);
        if (typeof v === 'string' || typeof v === 'number') name = String(v);
        else if (v !== null)
          this.report(
            'invalid-scenario',
            this.valueSpan(namePair, span),
            `A route \`name\` must be a text; found ${this.describe(namePair.value)}.`,
          );
      }
      const known = ['name', 'condition', 'modules', ...(loc.handlerOf !== undefined ? ENDING_KEYS : [])];
      for (const { key, pair: p } of this.pairs(map)) {
        if (key === undefined || !known.includes(key)) {
          this.report(
            'invalid-scenario',
            this.spanOf(p.key, span),
            `Unknown field \`${key ?? '?'}\` in a router route.${didYouMean(key ?? '', known)} Known fields: ${known.join(', ')}.`,
            ownerId,
          );
        }
      }
      const conditionPair = this.get(map, 'condition');
      const condition = conditionPair ? this.conditionOf(conditionPair, span, ownerId) : undefined;
      // The route's name is its filter's label (Make shows a route under it).
      const filter = condition && name !== undefined ? { ...condition, name } : condition;
      const modules = this.nestedModules(this.get(map, 'modules'), span, loc, 'a router route');
      const ending = this.endingOf(map, span, loc, ownerId);
      out.push({ ...(name !== undefined ? { name } : {}), modules, span, ...(filter ? { filter } : {}), ...(ending ? { ending } : {}) });
    }
    return out;
  }

  // ---- error-handler routes --------------------------------------------------------------------

  private handlerRoutes(pair: Pair, parent: Span, ownerId: number | undefined, loc: Location): ErrorHandlerRoute[] {
    const kind = this.collection(pair.value);
    const handlerLoc = handlerLocation(loc, ownerId);
    if (kind === 'map') return [this.handlerRoute(pair.value as YAMLMap, parent, handlerLoc, ownerId)];
    if (kind === 'seq') {
      const out: ErrorHandlerRoute[] = [];
      for (const item of (pair.value as YAMLSeq).items) {
        if (this.collection(item) !== 'map') {
          this.report(
            'invalid-scenario',
            this.spanOf(item, parent),
            `Each error-handler route must be a mapping (e.g. {directive: break}); found ${this.describe(item)}.`,
            ownerId,
          );
          continue;
        }
        out.push(this.handlerRoute(item as YAMLMap, parent, handlerLoc, ownerId));
      }
      return out;
    }
    this.report(
      'invalid-scenario',
      this.valueSpan(pair, parent),
      `\`onError\` must be an error-handler route (a mapping such as {directive: ignore}) or a list of them; found ${this.describe(pair.value)}.`,
      ownerId,
    );
    return [];
  }

  private handlerRoute(
    map: YAMLMap,
    parent: Span,
    loc: Location,
    ownerId: number | undefined,
    only?: readonly string[],
  ): SourcedErrorHandlerRoute {
    const span = this.spanOf(map, parent);
    const fieldSpans: Partial<Record<RouteField, Span>> = {};
    let errors: string[] | null = null;
    const errorSpans: Span[] = [];
    let modules: ScenarioModule[] = [];
    let directive = ROUTE_DEFAULTS.directive;
    let directiveExplicit = false;
    let directiveSpan: Span | undefined;
    /** A directive value that is none of DIRECTIVES, as written: the route's outcome is then unknown, not the default. */
    let unknownDirective: string | undefined;
    let { autoComplete, attempts, intervalMinutes } = ROUTE_DEFAULTS;
    let output: unknown;
    let hasOutput = false;
    let filter: RouteFilter | undefined;
    const runTime: Partial<Record<RunTimeSetting, string>> = {};
    /** A retry setting written as an IML expression (`"{{1.maxAttempts}}"`): a constant is its value, anything else is decided at run time. */
    const expression = (v: unknown, setting: RunTimeSetting, valueSpan: Span): boolean | number | 'run-time' | undefined => {
      if (typeof v !== 'string' || !isExpression(v)) return undefined;
      const constant = constantOf(v);
      if (constant !== undefined) return constant;
      runTime[setting] = v;
      this.report(
        'decided-at-run-time',
        valueSpan,
        `\`${setting}\` is the expression ${quoteShort(v)}: its value is decided when the scenario runs, so the tool ${setting === 'autoComplete' ? 'shows both outcomes (completed automatically or not)' : `assumes the default (${setting === 'attempts' ? ROUTE_DEFAULTS.attempts : ROUTE_DEFAULTS.intervalMinutes})`}.`,
        ownerId,
      );
      return 'run-time';
    };

    for (const { key, pair } of this.pairs(map)) {
      const keySpan = this.spanOf(pair.key, span);
      const valueSpan = this.valueSpan(pair, keySpan);
      if (only && (key === undefined || !only.includes(key))) continue;
      if (key === undefined || !ROUTE_KEYS.includes(key)) {
        this.report(
          'invalid-scenario',
          keySpan,
          `Unknown field \`${key ?? '?'}\` in an error-handler route.${didYouMean(key ?? '', ROUTE_KEYS)} Known fields: ${ROUTE_KEYS.join(', ')}.`,
          ownerId,
        );
        continue;
      }
      if (key === 'condition') {
        filter = this.conditionOf(pair, span, ownerId);
        continue;
      }
      const field = key as RouteField;
      fieldSpans[field] = field === 'errors' || field === 'modules' || field === 'output' ? keySpan : this.pairSpan(pair, span);
      const v = this.scalar(pair.value);
      switch (field) {
        case 'errors': {
          const kind = this.collection(pair.value);
          if (kind === 'seq') {
            errors = [];
            for (const item of (pair.value as YAMLSeq).items) {
              const n = this.scalar(item);
              const s = this.spanOf(item, valueSpan);
              if (typeof n === 'string' && n.trim() !== '') {
                errors.push(n.trim());
                errorSpans.push(s);
              } else {
                this.report(
                  'invalid-scenario',
                  s,
                  `An \`errors\` entry must be an error type name (e.g. ConnectionError); found ${this.describe(item)}.`,
                  ownerId,
                );
              }
            }
            if ((pair.value as YAMLSeq).items.length === 0) {
              this.report(
                'invalid-scenario',
                valueSpan,
                '`errors: []` catches nothing; list the error types this route catches, or omit `errors` to catch every type.',
                ownerId,
              );
            }
          } else if (typeof v === 'string' && v.trim() !== '') {
            errors = [v.trim()];
            errorSpans.push(valueSpan);
          } else {
            this.report(
              'invalid-scenario',
              valueSpan,
              `\`errors\` must be a list of error type names (e.g. [ConnectionError, RateLimitError]); found ${this.describe(pair.value)}.`,
              ownerId,
            );
          }
          break;
        }
        case 'modules':
          modules = this.nestedModules(pair, span, loc, 'an error-handler route');
          break;
        case 'directive': {
          directiveSpan = valueSpan;
          const d = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
          if (d !== undefined && (DIRECTIVES as readonly string[]).includes(d)) {
            directive = d as Directive;
            directiveExplicit = true;
          } else {
            // Kept as written (a non-string value in YAML form), so no consumer takes the route for
            // the default Ignore: the classifier answers `unknown` for what it catches.
            // (`directiveExplicit` stays false: `directive` holds the default, not what was written.)
            unknownDirective = typeof v === 'string' ? v.trim() : this.describe(pair.value);
            const shown = typeof v === 'string' ? `"${v}"` : this.describe(pair.value);
            this.report(
              'unknown-directive',
              valueSpan,
              `Unknown directive ${shown}: use one of ${DIRECTIVES.join(', ')}.${typeof v === 'string' ? didYouMean(v, DIRECTIVES) : ''}`,
              ownerId,
            );
          }
          break;
        }
        case 'autoComplete': {
          const x = expression(v, 'autoComplete', valueSpan);
          const b = typeof x === 'boolean' ? x : typeof v === 'boolean' ? v : undefined;
          if (b !== undefined) autoComplete = b;
          else if (x !== 'run-time')
            this.report(
              'invalid-retry-settings',
              valueSpan,
              `\`autoComplete\` must be true or false; found ${this.describe(pair.value)}.`,
              ownerId,
            );
          break;
        }
        case 'attempts': {
          const x = expression(v, 'attempts', valueSpan);
          const n = typeof x === 'number' ? x : typeof v === 'number' && Number.isFinite(v) ? v : undefined;
          if (n !== undefined) attempts = n;
          else if (x !== 'run-time')
            this.report(
              'invalid-retry-settings',
              valueSpan,
              `\`attempts\` must be a whole number (the number of automatic attempts); found ${this.describe(pair.value)}.`,
              ownerId,
            );
          break;
        }
        case 'intervalMinutes': {
          const x = expression(v, 'intervalMinutes', valueSpan);
          const n = typeof x === 'number' ? x : typeof v === 'number' && Number.isFinite(v) ? v : undefined;
          if (n !== undefined) intervalMinutes = n;
          else if (x !== 'run-time')
            this.report(
              'invalid-retry-settings',
              valueSpan,
              `\`intervalMinutes\` must be a whole number of minutes; found ${this.describe(pair.value)}.`,
              ownerId,
            );
          break;
        }
        case 'output':
          hasOutput = true;
          output = this.toJS(pair.value);
          break;
      }
    }

    return buildHandlerRoute({
      errors,
      errorSpans,
      ...(filter ? { filter } : {}),
      ...(Object.keys(runTime).length ? { runTime } : {}),
      modules,
      directive,
      directiveExplicit,
      ...(unknownDirective !== undefined ? { unknownDirective } : {}),
      autoComplete,
      attempts,
      intervalMinutes,
      hasOutput,
      output,
      span,
      directiveSpan,
      fieldSpans,
    });
  }

  private toJS(node: unknown): unknown {
    if (node && typeof node === 'object' && 'toJS' in node && typeof node.toJS === 'function') {
      try {
        return (node as { toJS(doc: Document): unknown }).toJS(this.doc);
      } catch {
        return null;
      }
    }
    return null;
  }

  // ---- simulation ------------------------------------------------------------------------------

  private simulation(pair: Pair | undefined, parent: Span): SimulationConfig | null {
    if (!pair) return null;
    const kind = this.collection(pair.value);
    const valueSpan = this.valueSpan(pair, parent);
    if (kind === 'empty') return { bundles: 1, faults: [], span: valueSpan };
    if (kind !== 'map') {
      this.report(
        'invalid-scenario',
        valueSpan,
        `\`simulation\` must be a mapping with \`bundles\` and \`faults\`; found ${this.describe(pair.value)}.`,
      );
      return null;
    }
    const map = pair.value as YAMLMap;
    const span = this.spanOf(map, valueSpan);
    let bundles = 1;
    let faultsPair: Pair | undefined;
    let branchesPair: Pair | undefined;
    for (const { key, pair: p } of this.pairs(map)) {
      const keySpan = this.spanOf(p.key, span);
      if (key === 'bundles') {
        const v = this.scalar(p.value);
        if (typeof v === 'number' && Number.isSafeInteger(v) && v > MAX_SIMULATION_BUNDLES) {
          this.report(
            'invalid-scenario',
            this.valueSpan(p, keySpan),
            `\`simulation.bundles\` is at most ${MAX_SIMULATION_BUNDLES} (a simulation runs all of them at once); found ${v}.`,
          );
          bundles = MAX_SIMULATION_BUNDLES;
        } else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) bundles = v;
        else
          this.report(
            'invalid-scenario',
            this.valueSpan(p, keySpan),
            `\`simulation.bundles\` must be a whole number ≥ 1 (how many bundles the trigger emits); found ${this.describe(p.value)}.`,
          );
      } else if (key === 'faults') {
        faultsPair = p;
      } else if (key === 'branches') {
        branchesPair = p;
      } else {
        this.report(
          'invalid-scenario',
          keySpan,
          `Unknown field \`${key ?? '?'}\` in \`simulation\`.${didYouMean(key ?? '', SIMULATION_KEYS)} Known fields: ${SIMULATION_KEYS.join(', ')}.`,
        );
      }
    }
    const branches: BranchChoice[] = [];
    if (branchesPair) {
      if (this.collection(branchesPair.value) !== 'seq') {
        this.report(
          'invalid-scenario',
          this.valueSpan(branchesPair, span),
          `\`simulation.branches\` must be a list of {module, branch, bundles}; found ${this.describe(branchesPair.value)}.`,
        );
      } else {
        for (const item of (branchesPair.value as YAMLSeq).items) {
          const itemSpan = this.spanOf(item, span);
          const map = this.collection(item) === 'map' ? (item as YAMLMap) : undefined;
          const moduleValue = map ? this.scalar(this.get(map, 'module')?.value) : undefined;
          const branchValue = map ? this.scalar(this.get(map, 'branch')?.value) : undefined;
          const bundlesPair = map ? this.get(map, 'bundles') : undefined;
          let chosen: number[] | null = null;
          if (bundlesPair && this.collection(bundlesPair.value) === 'seq') {
            chosen = (bundlesPair.value as YAMLSeq).items
              .map((b) => this.scalar(b))
              .filter((n): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1);
          }
          if (
            typeof moduleValue !== 'number' ||
            !(typeof branchValue === 'string' || (typeof branchValue === 'number' && Number.isSafeInteger(branchValue) && branchValue >= 1))
          ) {
            this.report(
              'invalid-scenario',
              itemSpan,
              'Each `simulation.branches` entry needs `module` (an if-else id) and `branch` (a branch name, its 1-based number, or else); `bundles` (default all) says which bundles take it.',
            );
            continue;
          }
          branches.push({ module: moduleValue, branch: branchValue, bundles: chosen, span: itemSpan });
        }
      }
    }
    const faults: Fault[] = [];
    if (faultsPair) {
      const fk = this.collection(faultsPair.value);
      if (fk === 'seq') {
        for (const item of (faultsPair.value as YAMLSeq).items) {
          const f = this.fault(item, span, bundles);
          if (f) faults.push(f);
        }
      } else if (fk !== 'empty') {
        this.report(
          'invalid-scenario',
          this.valueSpan(faultsPair, span),
          `\`simulation.faults\` must be a list of faults (module, error, ...); found ${this.describe(faultsPair.value)}.`,
        );
      }
    }
    return { bundles, faults, span, ...(branches.length ? { branches } : {}) };
  }

  private fault(item: unknown, parent: Span, bundleCount: number): Fault | null {
    const span = this.spanOf(item, parent);
    if (this.collection(item) !== 'map') {
      this.report('invalid-scenario', span, `Each fault must be a mapping with \`module\` and \`error\`; found ${this.describe(item)}.`);
      return null;
    }
    const map = item as YAMLMap;
    let module: number | undefined;
    let moduleSpan: Span | undefined;
    let error: string | undefined;
    let errorSpan: Span | undefined;
    let message: string | undefined;
    let bundles: number[] | null = null;
    let recoverAfter: number | null = null;
    let ok = true;
    for (const { key, pair } of this.pairs(map)) {
      const keySpan = this.spanOf(pair.key, span);
      const valueSpan = this.valueSpan(pair, keySpan);
      const v = this.scalar(pair.value);
      switch (key) {
        case 'module':
          moduleSpan = valueSpan;
          if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) module = v;
          else {
            ok = false;
            this.report(
              'invalid-scenario',
              valueSpan,
              `A fault's \`module\` must be a module id (a positive whole number); found ${this.describe(pair.value)}.`,
            );
          }
          break;
        case 'error':
          errorSpan = valueSpan;
          if (typeof v === 'string' && v.trim() !== '') error = v.trim();
          else {
            ok = false;
            this.report(
              'invalid-scenario',
              valueSpan,
              `A fault's \`error\` must be an error type name (e.g. ConnectionError); found ${this.describe(pair.value)}.`,
            );
          }
          break;
        case 'message':
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') message = String(v);
          else if (v !== null)
            this.report('invalid-scenario', valueSpan, `A fault's \`message\` must be a text; found ${this.describe(pair.value)}.`);
          break;
        case 'bundles': {
          const kind = this.collection(pair.value);
          const items: unknown[] = kind === 'seq' ? (pair.value as YAMLSeq).items : kind === 'empty' ? [] : [pair.value];
          if (kind === 'empty') break;
          if (kind === 'map' || kind === 'alias') {
            this.report(
              'invalid-scenario',
              valueSpan,
              `A fault's \`bundles\` must be a list of bundle numbers (1-based); found ${this.describe(pair.value)}.`,
            );
            break;
          }
          bundles = [];
          for (const b of items) {
            const n = this.scalar(b);
            const s = this.spanOf(b, valueSpan);
            if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) {
              if (n > bundleCount)
                this.report(
                  'invalid-scenario',
                  s,
                  `Bundle ${n} does not exist: the simulation feeds ${bundleCount} bundle${bundleCount === 1 ? '' : 's'} (simulation.bundles).`,
                );
              else bundles.push(n);
            } else {
              this.report('invalid-scenario', s, `A bundle number must be a whole number ≥ 1; found ${this.describe(b)}.`);
            }
          }
          break;
        }
        case 'recoverAfter':
          if (v === null) break;
          if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) recoverAfter = v;
          else
            this.report(
              'invalid-scenario',
              valueSpan,
              `\`recoverAfter\` must be the retry number that succeeds (a whole number ≥ 1); found ${this.describe(pair.value)}.`,
            );
          break;
        default:
          this.report(
            'invalid-scenario',
            keySpan,
            `Unknown field \`${key ?? '?'}\` in a fault.${didYouMean(key ?? '', FAULT_KEYS)} Known fields: ${FAULT_KEYS.join(', ')}.`,
          );
      }
    }
    if (module === undefined && moduleSpan === undefined) {
      ok = false;
      this.report('invalid-scenario', span, 'This fault has no `module` (the id of the module that fails).');
    }
    if (error === undefined && errorSpan === undefined) {
      ok = false;
      this.report('invalid-scenario', span, 'This fault has no `error` (the error type the module raises, e.g. ConnectionError).');
    }
    if (!ok || module === undefined || error === undefined) return null;
    return {
      module,
      error,
      ...(message !== undefined ? { message } : {}),
      bundles,
      recoverAfter,
      span,
      ...(moduleSpan ? { moduleSpan } : {}),
      ...(errorSpan ? { errorSpan } : {}),
    };
  }
}

const NOT_SCALAR: unique symbol = Symbol('not a scalar');

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: unknown }).range;
    if (Array.isArray(r) && r.length >= 2 && typeof r[0] === 'number' && typeof r[1] === 'number') {
      return [r[0], r[1], typeof r[2] === 'number' ? r[2] : r[1]];
    }
  }
  return undefined;
}

/** Parses scenario YAML into the model (best effort) plus the parser-level findings (default severities). */
export function parseYamlScenario(text: string, lineIndex: LineIndex): { scenario: Scenario | null; findings: Finding[] } {
  const doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const parser = new Parser(text, lineIndex, doc);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const [start, end] = e.pos;
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      parser.report('yaml-syntax', { start, end: Math.max(start, end) }, `YAML syntax error: ${message}`);
    }
    return { scenario: null, findings: parser.findings };
  }
  const scenario = parser.scenario();
  return { scenario, findings: parser.findings };
}
