/*
 * Language features of scenario files, computed from the text and the model's spans: completion
 * (YAML), the outline (document symbols, both formats), module-id definition / references and
 * rename (both formats). The editor adapter turns these into VS Code objects; nothing here knows
 * VS Code.
 *
 * Module references are: the module's own `id`, every `simulation.faults[].module` naming it, and
 * every IML reference `N.` inside `{{ … }}` (`{{2.body}}`, `{{formatDate(2.date; "YYYY")}}`,
 * a filter's `{{18.error.type}}`) in any string of the file.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Pair } from 'yaml';
import { ERROR_TYPES } from '../catalogue/catalogue';
import type { ParsedScenario } from '../lint/lint';
import { DIRECTIVES, PROFILES, walkModules } from '../model';
import type { Directive, ErrorHandlerRoute, ScenarioModule, ScenarioSettings, Span } from '../model';
import type { TextEdit } from '../text/edits';

// ---------------------------------------------------------------------------------------------
// Where the cursor is in a YAML document
// ---------------------------------------------------------------------------------------------

/** A key path from the document root: map keys and list indexes (-1: a new item of the list). */
export type YamlPath = readonly (string | number)[];

export interface YamlValueContext {
  readonly path: YamlPath;
  /** The scalar being typed (to replace), or an empty span at the cursor. */
  readonly replace: Span;
  /** Text of the scalar before the cursor (what the user typed so far). */
  readonly typed: string;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function keyName(pair: Pair): string | undefined {
  const k = isScalar(pair.key) ? pair.key.value : undefined;
  return typeof k === 'string' ? k : typeof k === 'number' ? String(k) : undefined;
}

/**
 * The value position the cursor is in: the path of keys down to it and the scalar to replace.
 * Undefined in a key position, in a comment, or outside any value. Works on incomplete documents
 * (`directive: ` with nothing typed yet, `errors: [Conn, ]`).
 */
export function yamlValueContextAt(text: string, offset: number): YamlValueContext | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  const lineOf = (o: number): number => text.lastIndexOf('\n', o - 1);
  const visit = (node: unknown, path: (string | number)[]): YamlValueContext | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyName(pair);
        const kr = rangeOf(pair.key);
        if (key === undefined || !kr) continue;
        if (kr[0] <= offset && offset <= kr[1]) return undefined; // on the key itself
        const vr = rangeOf(pair.value);
        const value: unknown = pair.value;
        const empty = value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === ''));
        if (vr && vr[0] <= offset && offset <= vr[1] && !empty) return visit(value, [...path, key]);
        // `key:` or `key: ` with nothing yet: the cursor after the colon on the same line.
        if (empty && offset > kr[1] && lineOf(offset) === lineOf(kr[1] + 1) && /^\s*:?\s*$/.test(text.slice(kr[1], offset))) {
          return { path: [...path, key], replace: { start: offset, end: offset }, typed: '' };
        }
      }
      return undefined;
    }
    if (isSeq(node)) {
      let index = 0;
      for (const item of node.items) {
        const r = rangeOf(item);
        const empty = item === null || (isScalar(item) && item.value === null);
        if (r && r[0] <= offset && offset <= r[1] && !(empty && r[0] !== offset)) {
          return empty ? { path: [...path, index], replace: { start: offset, end: offset }, typed: '' } : visit(item, [...path, index]);
        }
        index++;
      }
      const r = rangeOf(node);
      const flow = node.flow === true;
      // Between the items of a flow list (`[A, |]`), or on a fresh `- ` line of a block list.
      if (r && r[0] < offset && offset <= r[1] && (flow || /^\s*-\s*$/.test(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset)))) {
        if (flow && offset === r[1] && text[r[1] - 1] === ']') return undefined;
        return { path: [...path, -1], replace: { start: offset, end: offset }, typed: '' };
      }
      return undefined;
    }
    if (isScalar(node)) {
      const r = rangeOf(node);
      if (!r) return undefined;
      return { path, replace: { start: r[0], end: r[1] }, typed: text.slice(r[0], offset).replace(/^["']/, '') };
    }
    return undefined;
  };
  return visit(doc.contents, []);
}

export interface YamlKeyContext {
  /** The key of the mapping the new key goes into (`settings`, `onError`, `faults`), if any. */
  readonly parent: string | undefined;
  /** Indentation column of the parent key (0 = top level). */
  readonly parentColumn: number;
  /** The mapping is an item of a list (`- key:` lines). */
  readonly inListItem: boolean;
  /** Keys already present in that mapping. */
  readonly siblings: readonly string[];
  readonly replace: Span;
}

const KEY_LINE = /^(\s*)(?:(-)\s+)?([A-Za-z_][\w-]*)?\s*(:.*)?$/;

/**
 * A key position: the cursor on a line holding only a (partial) key, with the parent mapping's
 * key found by indentation. Read line by line so a half-typed key that breaks the YAML still works.
 */
export function yamlKeyContextAt(text: string, offset: number): YamlKeyContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const lineEnd = nl < 0 ? text.length : nl;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const before = text.slice(lineStart, offset);
  const m = /^(\s*)(-\s+)?([A-Za-z_][\w-]*)?$/.exec(before);
  if (!m) return undefined;
  const after = line.slice(before.length);
  if (!/^[\w-]*\s*(:.*)?$/.test(after)) return undefined;
  const column = m[1].length + (m[2]?.length ?? 0);
  const wordStart = lineStart + column;
  const wordEnd = offset + (/^[\w-]*/.exec(after)?.[0].length ?? 0);
  const inListItem = m[2] !== undefined;
  const siblings: string[] = [];
  const lines = text.slice(0, lineStart).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].replace(/\r$/, '');
    if (/^\s*(#.*)?$/.test(l)) continue;
    const k = KEY_LINE.exec(l);
    if (!k) continue;
    const dash = k[2] !== undefined;
    const keyCol = k[1].length + (dash ? l.slice(k[1].length).indexOf(k[3] ?? '\u0000') : 0);
    if (k[3] === undefined || k[4] === undefined) continue; // a list scalar, not a key
    if (keyCol > column) continue; // deeper content
    if (keyCol === column) {
      siblings.push(k[3]);
      if (dash) {
        // the item starts here: its parent is the list's key, further up
        return finish(i - 1, k[1].length);
      }
      continue;
    }
    return { parent: k[3], parentColumn: keyCol, inListItem, siblings, replace: { start: wordStart, end: wordEnd } };
  }
  return { parent: undefined, parentColumn: -1, inListItem, siblings, replace: { start: wordStart, end: wordEnd } };

  function finish(from: number, dashCol: number): YamlKeyContext {
    for (let i = from; i >= 0; i--) {
      const l = lines[i].replace(/\r$/, '');
      if (/^\s*(#.*)?$/.test(l)) continue;
      const k = KEY_LINE.exec(l);
      if (!k || k[3] === undefined || k[4] === undefined) continue;
      const keyCol = k[1].length + (k[2] !== undefined ? l.slice(k[1].length).indexOf(k[3]) : 0);
      if (keyCol < dashCol || (keyCol === dashCol && k[2] === undefined)) {
        return { parent: k[3], parentColumn: keyCol, inListItem: true, siblings, replace: { start: wordStart, end: wordEnd } };
      }
    }
    return { parent: undefined, parentColumn: -1, inListItem: true, siblings, replace: { start: wordStart, end: wordEnd } };
  }
}

// ---------------------------------------------------------------------------------------------
// Completion
// ---------------------------------------------------------------------------------------------

export type CompletionKind = 'directive' | 'errorType' | 'settingKey' | 'routeKey' | 'faultKey' | 'moduleId' | 'value';

export interface CompletionData {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Short text beside the label. */
  readonly detail?: string;
  /** Longer domain text (English, from the catalogue). */
  readonly documentation?: string;
  /** Text inserted (default: the label). */
  readonly insertText?: string;
  /** Keeps the order given here. */
  readonly sortText: string;
}

export interface CompletionResult {
  readonly context: 'directive' | 'errorType' | 'settingKey' | 'routeKey' | 'faultKey' | 'moduleId' | 'profile' | 'boolean';
  readonly replace: Span;
  readonly items: readonly CompletionData[];
}

export const SETTING_KEYS: readonly (keyof ScenarioSettings)[] = [
  'storeIncompleteExecutions',
  'sequentialProcessing',
  'maxConsecutiveErrors',
  'dataLoss',
  'instant',
  'profile',
];
const ROUTE_KEYS = ['errors', 'modules', 'directive', 'autoComplete', 'attempts', 'intervalMinutes', 'output'] as const;
const FAULT_KEYS = ['module', 'error', 'message', 'bundles', 'recoverAfter'] as const;
const BOOLEAN_SETTINGS: ReadonlySet<string> = new Set(['storeIncompleteExecutions', 'sequentialProcessing', 'dataLoss', 'instant']);

const SETTING_DEFAULTS: Readonly<Record<keyof ScenarioSettings, string>> = {
  storeIncompleteExecutions: 'true',
  sequentialProcessing: 'false',
  maxConsecutiveErrors: '3',
  dataLoss: 'false',
  instant: 'false',
  profile: 'fusion',
};

const order = (i: number): string => String(i).padStart(4, '0');

/** Whether the path ends inside an error-handler route (`…onError.<key>` or `…onError[i].<key>`). */
function inHandlerRoute(path: YamlPath, key: string): boolean {
  const n = path.length;
  if (path[n - 1] !== key) return false;
  return path[n - 2] === 'onError' || (typeof path[n - 2] === 'number' && path[n - 3] === 'onError');
}

function errorTypeItems(exclude: ReadonlySet<string>): CompletionData[] {
  return ERROR_TYPES.filter((e) => !exclude.has(e.name)).map((e, i) => ({
    label: e.name,
    kind: 'errorType' as const,
    detail: e.family,
    documentation: e.meaning,
    sortText: order(i),
  }));
}

function moduleLabelText(m: ScenarioModule): string {
  return m.name ? `${m.name} · ${m.app}` : m.app;
}

/** Completions at `offset` of a YAML scenario; undefined where we have nothing to offer. */
export function completionsAt(parsed: ParsedScenario, offset: number): CompletionResult | undefined {
  if (parsed.format !== 'yaml') return undefined;
  const text = parsed.lineIndex.text;
  if (isInComment(text, offset)) return undefined;
  const value = yamlValueContextAt(text, offset);
  if (value) return valueCompletions(parsed, value);
  const key = yamlKeyContextAt(text, offset);
  if (key) return keyCompletions(key);
  return undefined;
}

function isInComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  // a `#` that starts a comment: at the line start or after whitespace, outside quotes
  let quote: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(before[i - 1]))) return true;
  }
  return false;
}

function valueCompletions(parsed: ParsedScenario, ctx: YamlValueContext): CompletionResult | undefined {
  const { path, replace } = ctx;
  const n = path.length;
  if (inHandlerRoute(path, 'directive')) {
    return {
      context: 'directive',
      replace,
      items: DIRECTIVES.map((d, i) => ({ label: d, kind: 'directive' as const, sortText: order(i) })),
    };
  }
  // errors: [A, B] / errors:\n  - A / errors: A
  const errorsList = typeof path[n - 1] === 'number' && inHandlerRoute(path.slice(0, n - 1), 'errors');
  if (errorsList || inHandlerRoute(path, 'errors')) {
    const present = new Set(errorsListed(parsed, replace));
    return { context: 'errorType', replace, items: errorTypeItems(present) };
  }
  if (n === 4 && path[0] === 'simulation' && path[1] === 'faults' && typeof path[2] === 'number') {
    if (path[3] === 'error') return { context: 'errorType', replace, items: errorTypeItems(new Set()) };
    if (path[3] === 'module') {
      const modules = parsed.scenario ? [...walkModules(parsed.scenario.modules)] : [];
      const seen = new Set<number>();
      return {
        context: 'moduleId',
        replace,
        items: modules
          .filter((m) => !seen.has(m.id) && seen.add(m.id))
          .map((m, i) => ({ label: String(m.id), kind: 'moduleId' as const, detail: moduleLabelText(m), sortText: order(i) })),
      };
    }
  }
  if (n === 2 && path[0] === 'settings' && typeof path[1] === 'string') {
    if (path[1] === 'profile') {
      return { context: 'profile', replace, items: PROFILES.map((p, i) => ({ label: p, kind: 'value' as const, sortText: order(i) })) };
    }
    if (BOOLEAN_SETTINGS.has(path[1])) {
      return {
        context: 'boolean',
        replace,
        items: ['true', 'false'].map((b, i) => ({ label: b, kind: 'value' as const, sortText: order(i) })),
      };
    }
  }
  return undefined;
}

/** The error type names already in the `errors:` list being edited (so they are not offered twice). */
function errorsListed(parsed: ParsedScenario, at: Span): string[] {
  const scenario = parsed.scenario;
  if (!scenario) return [];
  // the innermost handler route around the cursor is the one whose list is being edited
  let best: ErrorHandlerRoute | undefined;
  for (const m of walkModules(scenario.modules)) {
    for (const route of m.onError) {
      if (
        route.span.start <= at.start &&
        at.end <= route.span.end &&
        (!best || route.span.end - route.span.start < best.span.end - best.span.start)
      )
        best = route;
    }
  }
  if (!best || best.errors === null) return [];
  const route = best;
  return (route.errors ?? []).filter((_, i) => {
    const s = route.errorSpans[i];
    return !(s && s.start === at.start && s.end === at.end);
  });
}

function keyCompletions(ctx: YamlKeyContext): CompletionResult | undefined {
  const fresh = <K extends string>(keys: readonly K[]): K[] => keys.filter((k) => !ctx.siblings.includes(k));
  if (ctx.parent === 'settings' && ctx.parentColumn === 0 && !ctx.inListItem) {
    return {
      context: 'settingKey',
      replace: ctx.replace,
      items: fresh(SETTING_KEYS).map((k, i) => ({
        label: k,
        kind: 'settingKey' as const,
        detail: `default ${SETTING_DEFAULTS[k]}`,
        insertText: `${k}: ${SETTING_DEFAULTS[k]}`,
        sortText: order(i),
      })),
    };
  }
  if (ctx.parent === 'onError') {
    return {
      context: 'routeKey',
      replace: ctx.replace,
      items: fresh(ROUTE_KEYS).map((k, i) => ({ label: k, kind: 'routeKey' as const, insertText: `${k}: `, sortText: order(i) })),
    };
  }
  if (ctx.parent === 'faults' && ctx.inListItem) {
    return {
      context: 'faultKey',
      replace: ctx.replace,
      items: fresh(FAULT_KEYS).map((k, i) => ({ label: k, kind: 'faultKey' as const, insertText: `${k}: `, sortText: order(i) })),
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Document symbols (Outline, breadcrumbs)
// ---------------------------------------------------------------------------------------------

export type OutlineKind = 'trigger' | 'module' | 'router' | 'route' | 'handler' | 'simulation' | 'fault';

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: OutlineKind;
  /** The whole node. */
  readonly span: Span;
  /** What to select when the symbol is picked (inside `span`). */
  readonly selection: Span;
  readonly children: readonly OutlineSymbol[];
}

function within(inner: Span | undefined, outer: Span): Span {
  return inner && inner.start >= outer.start && inner.end <= outer.end ? inner : { start: outer.start, end: outer.start };
}

function union(a: Span, children: readonly OutlineSymbol[]): Span {
  let { start, end } = a;
  for (const c of children) {
    start = Math.min(start, c.span.start);
    end = Math.max(end, c.span.end);
  }
  return { start, end };
}

function handlerSymbol(route: ErrorHandlerRoute, index: number, count: number): OutlineSymbol {
  const children = route.modules.map((m) => moduleSymbol(m, false));
  const span = union(route.span, children);
  const filter = route.errors === null ? 'all errors' : route.errors.join(', ');
  return {
    // A directive Fusion does not know is shown as written, not as the default it stands in for.
    name: `On error${count > 1 ? ` ${index + 1}` : ''}: ${route.unknownDirective !== undefined ? `${route.unknownDirective} (unknown directive)` : directiveTitle(route.directive)}`,
    detail: filter,
    kind: 'handler',
    span,
    selection: within(route.directiveSpan, span),
    children,
  };
}

function directiveTitle(d: Directive): string {
  return d.charAt(0).toUpperCase() + d.slice(1);
}

function moduleSymbol(m: ScenarioModule, isTrigger: boolean): OutlineSymbol {
  const children: OutlineSymbol[] = [];
  m.onError.forEach((route, i) => children.push(handlerSymbol(route, i, m.onError.length)));
  m.routes.forEach((r, i) => {
    const mods = r.modules.map((x) => moduleSymbol(x, false));
    const span = union(r.span, mods);
    children.push({
      name: r.name ?? `Route ${i + 1}`,
      detail: `${r.modules.length} module${r.modules.length === 1 ? '' : 's'}`,
      kind: 'route',
      span,
      selection: { start: span.start, end: span.start },
      children: mods,
    });
  });
  const span = union(m.span, children);
  return {
    name: m.name ? `${m.id} · ${m.name}` : `${m.id} · ${m.app}`,
    detail: m.name ? m.app : isTrigger ? 'trigger' : '',
    kind: isTrigger ? 'trigger' : m.isRouter ? 'router' : 'module',
    span,
    selection: within(m.idSpan.end > m.idSpan.start ? m.idSpan : m.anchor, span),
    children,
  };
}

/** The outline: the modules in flow order (routes and handler routes nested), then the simulation's faults. */
export function documentSymbols(parsed: ParsedScenario): OutlineSymbol[] {
  const scenario = parsed.scenario;
  if (!scenario) return [];
  const out = scenario.modules.map((m, i) => moduleSymbol(m, i === 0));
  const sim = scenario.simulation;
  if (sim && sim.span && sim.span.end > sim.span.start) {
    const faults = sim.faults.map((f, i): OutlineSymbol => ({
      name: `Fault ${i + 1}: module ${f.module}`,
      detail: f.error,
      kind: 'fault',
      span: f.span,
      selection: within(f.moduleSpan, f.span),
      children: [],
    }));
    const span = union(sim.span, faults);
    out.push({
      name: 'Simulation',
      detail: `${sim.bundles} bundle${sim.bundles === 1 ? '' : 's'}`,
      kind: 'simulation',
      span,
      selection: { start: span.start, end: span.start },
      children: faults,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Module ids: definition, references, rename
// ---------------------------------------------------------------------------------------------

export interface ModuleReference {
  readonly span: Span;
  readonly kind: 'declaration' | 'fault' | 'iml';
}

/** Every `N.` IML reference inside `{{ … }}` in the text, with the span of N. */
export function imlReferences(text: string): { id: number; span: Span }[] {
  const out: { id: number; span: Span }[] = [];
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', open + 2)) {
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    const body = text.slice(open + 2, close);
    const re = /(^|[^\w.$])(\d+)\.(?=[A-Za-z_$`[])/g;
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const start = open + 2 + m.index + m[1].length;
      out.push({ id: Number(m[2]), span: { start, end: start + m[2].length } });
    }
    open = close;
  }
  return out;
}

function containsOffset(span: Span | undefined, offset: number): span is Span {
  return span !== undefined && span.start <= offset && offset <= span.end && span.end > span.start;
}

/** The module id at `offset`: on a module's id, a fault's module, or an IML reference. */
export function moduleIdAt(parsed: ParsedScenario, offset: number): { id: number; span: Span } | undefined {
  const scenario = parsed.scenario;
  if (!scenario) return undefined;
  for (const m of walkModules(scenario.modules)) if (containsOffset(m.idSpan, offset)) return { id: m.id, span: m.idSpan };
  for (const f of scenario.simulation?.faults ?? []) if (containsOffset(f.moduleSpan, offset)) return { id: f.module, span: f.moduleSpan };
  for (const r of imlReferences(parsed.lineIndex.text)) if (containsOffset(r.span, offset)) return r;
  return undefined;
}

/** The module an id at `offset` refers to (go to definition). */
export function definitionAt(parsed: ParsedScenario, offset: number): ScenarioModule | undefined {
  const at = moduleIdAt(parsed, offset);
  if (!at || !parsed.scenario) return undefined;
  for (const m of walkModules(parsed.scenario.modules)) if (m.id === at.id) return m;
  return undefined;
}

/** Every place that names module `id`, in file order. */
export function moduleReferences(parsed: ParsedScenario, id: number, includeDeclaration = true): ModuleReference[] {
  const scenario = parsed.scenario;
  if (!scenario) return [];
  const out: ModuleReference[] = [];
  if (includeDeclaration) {
    for (const m of walkModules(scenario.modules))
      if (m.id === id && m.idSpan.end > m.idSpan.start) out.push({ span: m.idSpan, kind: 'declaration' });
  }
  for (const f of scenario.simulation?.faults ?? []) if (f.module === id && f.moduleSpan) out.push({ span: f.moduleSpan, kind: 'fault' });
  for (const r of imlReferences(parsed.lineIndex.text)) if (r.id === id) out.push({ span: r.span, kind: 'iml' });
  return out.sort((a, b) => a.span.start - b.span.start);
}

export type RenameCheck =
  { readonly ok: true; readonly span: Span; readonly id: number } | { readonly ok: false; readonly message: string };

/** Whether a rename can start at `offset` (on a module id, a fault's module or an IML reference). */
export function prepareModuleRename(parsed: ParsedScenario, offset: number): RenameCheck {
  const at = moduleIdAt(parsed, offset);
  if (!at)
    return {
      ok: false,
      message: "Only a module id can be renamed here (its `id`, a fault's `module`, or an IML reference such as {{2.body}}).",
    };
  if (!definitionAt(parsed, offset)) return { ok: false, message: `No module has the id ${at.id}.` };
  return { ok: true, span: at.span, id: at.id };
}

export type RenameResult = { readonly ok: true; readonly edits: readonly TextEdit[] } | { readonly ok: false; readonly message: string };

/**
 * Renames the module id at `offset` to `newName`: its `id`, the faults naming it and its IML
 * references. Refused when the new id is not a positive whole number or another module has it.
 */
export function renameModule(parsed: ParsedScenario, offset: number, newName: string): RenameResult {
  const check = prepareModuleRename(parsed, offset);
  if (!check.ok) return check;
  const wanted = newName.trim();
  if (!/^\d+$/.test(wanted) || Number(wanted) < 1 || !Number.isSafeInteger(Number(wanted))) {
    return { ok: false, message: `A module id is a positive whole number; "${newName}" is not one.` };
  }
  const next = Number(wanted);
  if (next === check.id) return { ok: true, edits: [] };
  const scenario = parsed.scenario;
  const clash = scenario ? [...walkModules(scenario.modules)].find((m) => m.id === next) : undefined;
  if (clash) {
    return { ok: false, message: `Module ${next} already exists${clash.name ? ` (${clash.name})` : ''}: pick an id no module has.` };
  }
  const edits = moduleReferences(parsed, check.id).map((r) => ({ start: r.span.start, end: r.span.end, newText: String(next) }));
  return { ok: true, edits };
}
