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
  Directive,
  ErrorHandlerRoute,
  Fault,
  Finding,
  Profile,
  RouterRoute,
  Scenario,
  ScenarioModule,
  ScenarioSettings,
  SimulationConfig,
  Span,
} from '../model';
import {
  ROUTE_DEFAULTS,
  ScenarioParserBase,
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

const SETTING_KEYS: readonly (keyof ScenarioSettings)[] = [
  'storeIncompleteExecutions',
  'sequentialProcessing',
  'maxConsecutiveErrors',
  'dataLoss',
  'instant',
  'profile',
];
const ROUTE_KEYS: readonly RouteField[] = ['errors', 'modules', 'directive', 'autoComplete', 'attempts', 'intervalMinutes', 'output'];
const FAULT_KEYS: readonly string[] = ['module', 'error', 'message', 'bundles', 'recoverAfter'];
const SIMULATION_KEYS: readonly string[] = ['bundles', 'faults'];

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
        modules = this.modules(modulesPair.value as YAMLSeq, { routerPath: [] });
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

  private modules(seq: YAMLSeq, loc: Location): ScenarioModule[] {
    const out: ScenarioModule[] = [];
    const seqSpan = this.spanOf(seq, { start: 0, end: 0 });
    for (const item of seq.items) {
      const itemSpan = this.spanOf(item, seqSpan);
      if (this.collection(item) !== 'map') {
        this.report('invalid-scenario', itemSpan, `Each module must be a mapping with \`id\` and \`app\`; found ${this.describe(item)}.`);
        continue;
      }
      const m = this.module(item as YAMLMap, loc);
      if (m) out.push(m);
    }
    return out;
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
    const onErrorPair = this.get(map, 'onError');
    const onError = onErrorPair ? this.handlerRoutes(onErrorPair, span, id, loc) : [];

    const routesPair = this.get(map, 'routes');
    let routes: RouterRoute[] = [];
    if (routesPair) {
      const parsedRoutes = this.routerRoutes(routesPair, span, routeLocation(loc, id, isRouter));
      if (isRouter) routes = parsedRoutes;
      else this.report('invalid-scenario', this.spanOf(routesPair.key, span), routesOnNonRouterMessage('app: builtin:router', id, app), id);
    }

    if (id === undefined) return null;
    return buildModule({ id, app, name, isRouter, onError, routes, span, anchor, idSpan, appSpan, nameSpan }, loc);
  }

  private routerRoutes(pair: Pair, parent: Span, loc: Location): RouterRoute[] {
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
      const modules = this.nestedModules(this.get(map, 'modules'), span, loc, 'a router route');
      out.push({ ...(name !== undefined ? { name } : {}), modules, span });
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

  private handlerRoute(map: YAMLMap, parent: Span, loc: Location, ownerId: number | undefined): SourcedErrorHandlerRoute {
    const span = this.spanOf(map, parent);
    const fieldSpans: Partial<Record<RouteField, Span>> = {};
    let errors: string[] | null = null;
    const errorSpans: Span[] = [];
    let modules: ScenarioModule[] = [];
    let directive = ROUTE_DEFAULTS.directive;
    let directiveExplicit = false;
    let directiveSpan: Span | undefined;
    let { autoComplete, attempts, intervalMinutes } = ROUTE_DEFAULTS;
    let output: unknown;
    let hasOutput = false;

    for (const { key, pair } of this.pairs(map)) {
      const keySpan = this.spanOf(pair.key, span);
      const valueSpan = this.valueSpan(pair, keySpan);
      if (key === undefined || !(ROUTE_KEYS as readonly string[]).includes(key)) {
        this.report(
          'invalid-scenario',
          keySpan,
          `Unknown field \`${key ?? '?'}\` in an error-handler route.${didYouMean(key ?? '', ROUTE_KEYS)} Known fields: ${ROUTE_KEYS.join(', ')}.`,
          ownerId,
        );
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
        case 'autoComplete':
          if (typeof v === 'boolean') autoComplete = v;
          else
            this.report(
              'invalid-retry-settings',
              valueSpan,
              `\`autoComplete\` must be true or false; found ${this.describe(pair.value)}.`,
              ownerId,
            );
          break;
        case 'attempts':
          if (typeof v === 'number' && Number.isFinite(v)) attempts = v;
          else
            this.report(
              'invalid-retry-settings',
              valueSpan,
              `\`attempts\` must be a whole number (the number of automatic attempts); found ${this.describe(pair.value)}.`,
              ownerId,
            );
          break;
        case 'intervalMinutes':
          if (typeof v === 'number' && Number.isFinite(v)) intervalMinutes = v;
          else
            this.report(
              'invalid-retry-settings',
              valueSpan,
              `\`intervalMinutes\` must be a whole number of minutes; found ${this.describe(pair.value)}.`,
              ownerId,
            );
          break;
        case 'output':
          hasOutput = true;
          output = this.toJS(pair.value);
          break;
      }
    }

    return buildHandlerRoute({
      errors,
      errorSpans,
      modules,
      directive,
      directiveExplicit,
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
      } else {
        this.report(
          'invalid-scenario',
          keySpan,
          `Unknown field \`${key ?? '?'}\` in \`simulation\`.${didYouMean(key ?? '', SIMULATION_KEYS)} Known fields: bundles, faults.`,
        );
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
    return { bundles, faults, span };
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
