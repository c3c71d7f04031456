/*
 * Exported blueprints (spec 7, `*.blueprint.json`) → the shared model, with exact source spans.
 *
 * Built on `jsonc-parser`'s `parseTree` (node offsets are UTF-16 offsets, the model's unit). A
 * leading UTF-8 byte-order mark is allowed: it is replaced by a space of the same length before
 * parsing, so every offset stays an offset into the text we were given (with or without the BOM).
 * Blueprints are strict JSON: comments and trailing commas are `json-syntax` errors.
 *
 * Mapping: `flow` = the module list; `builtin:BasicRouter` has `routes[].flow` (a route's name is
 * the label of the filter on its first module, as Make shows it); a module's `onerror` array is ONE
 * error-handler route: handler modules, then a directive module `builtin:Break|Resume|Ignore|
 * Commit|Rollback` (none = ignore, not explicit). Break's mapper `retry` / `count` / `interval`
 * (numbers, booleans or their string forms) are autoComplete / attempts / intervalMinutes; Resume's
 * mapper is the substitute output. `metadata.scenario` (dlq, sequential, maxErrors, dataloss) and
 * `metadata.instant` are the settings. Never throws.
 */
import { describeJsonNode } from '../text/json';
import { getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { JSONPath, Node, ParseError } from 'jsonc-parser';
import type {
  Directive,
  ErrorHandlerRoute,
  FilterCondition,
  Finding,
  IfElseBranch,
  ModuleKind,
  RouteFilter,
  RouterRoute,
  RunTimeSetting,
  Scenario,
  ScenarioModule,
  Span,
  UncheckedModules,
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
  UNSET_TRIGGER_ID,
} from './modelBuilder';
import type { Location, MutableSettings, RouteField, SettingSpans } from './modelBuilder';
import { constantOf, isExpression, plainTypeList } from './filter';
import { blankBom } from '../text/bom';
import type { LineIndex } from '../text/lineIndex';

/** The blueprint's router module. */
export const BLUEPRINT_ROUTER = 'builtin:BasicRouter';
/** The blueprint's if-else module (its `branches[].flow` hold the modules) and the Merge that may follow it. */
export const BLUEPRINT_IF_ELSE = 'builtin:BasicIfElse';
export const BLUEPRINT_MERGE = 'builtin:BasicMerge';
/** What Make exports for a trigger not chosen yet (with `"id": null`). */
export const PLACEHOLDER_MODULE = 'placeholder:Placeholder';

/** Keys of a module object that never hold nested modules the model should know about. */
const NON_FLOW_KEYS: ReadonlySet<string> = new Set([
  'id',
  'module',
  'version',
  'parameters',
  'mapper',
  'metadata',
  'filter',
  'onerror',
  'routes',
  'branches',
]);

/** Directive modules that may end an `onerror` array, and the directive each stands for. */
export const BLUEPRINT_DIRECTIVES: Readonly<Record<string, Directive>> = {
  'builtin:Break': 'break',
  'builtin:Resume': 'resume',
  'builtin:Ignore': 'ignore',
  'builtin:Commit': 'commit',
  'builtin:Rollback': 'rollback',
};

/** The directive module name for a directive (`break` → `builtin:Break`). */
export function directiveModuleName(directive: Directive): string {
  return `builtin:${directive.charAt(0).toUpperCase()}${directive.slice(1)}`;
}

/** Strict JSON parse of a blueprint text (BOM allowed). */
export function parseBlueprintTree(text: string): { root: Node | undefined; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const root = parseTree(blankBom(text), errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return { root, errors };
}

/** A module object in the blueprint's tree, with its JSON path (for edits). */
export interface BlueprintModuleNode {
  readonly node: Node;
  readonly path: JSONPath;
  /** The numeric `id`, when it is one. */
  readonly id: number | undefined;
  /** The `module` value, when it is a string. */
  readonly app: string | undefined;
  /** Where it sits: the main flow / a router route / an if-else branch, or inside an `onerror` array. */
  readonly role: 'flow' | 'onerror';
}

/**
 * The blueprint object of a parsed file, and how it was wrapped: Make's API answers
 * `{"code": "OK", "response": {"blueprint": {…}}}`, a template is `{"blueprint": {…}, "controller": …}`.
 * An object with its own `flow` is not wrapped. `path` is the JSON path of the blueprint object.
 */
export function unwrapBlueprint(root: Node | undefined): { node: Node | undefined; path: JSONPath; wrapper?: { key: Node; form: string } } {
  if (!root || root.type !== 'object' || prop(root, 'flow')) return { node: root, path: [] };
  const isBlueprintObject = (n: Node | undefined): n is Node => n !== undefined && n.type === 'object' && prop(n, 'flow') !== undefined;
  const response = prop(root, 'response');
  const inResponse = prop(response, 'blueprint');
  if (isBlueprintObject(inResponse)) {
    const key = propertyNode(root, 'response')?.children?.[0];
    if (key)
      return { node: inResponse, path: ['response', 'blueprint'], wrapper: { key, form: 'a Make API response (`response.blueprint`)' } };
  }
  const inner = prop(root, 'blueprint');
  if (isBlueprintObject(inner)) {
    const key = propertyNode(root, 'blueprint')?.children?.[0];
    if (key) return { node: inner, path: ['blueprint'], wrapper: { key, form: 'a template or export wrapper (`blueprint`)' } };
  }
  return { node: root, path: [] };
}

/** Every module object of a parsed blueprint (flow, router routes, if-else branches, onerror arrays), depth first in source order. */
export function blueprintModuleNodes(fileRoot: Node | undefined): BlueprintModuleNode[] {
  const out: BlueprintModuleNode[] = [];
  const { node: root, path: rootPath } = unwrapBlueprint(fileRoot);
  if (!root || root.type !== 'object') return out;
  const visitList = (list: Node | undefined, path: JSONPath, role: 'flow' | 'onerror', depth: number): void => {
    if (!list || list.type !== 'array' || depth > 100) return;
    (list.children ?? []).forEach((item, i) => {
      if (item.type !== 'object') return;
      const itemPath = [...path, i];
      const idNode = prop(item, 'id');
      const appNode = prop(item, 'module');
      out.push({
        node: item,
        path: itemPath,
        id: idNode && idNode.type === 'number' && typeof idNode.value === 'number' ? idNode.value : undefined,
        app: appNode && appNode.type === 'string' && typeof appNode.value === 'string' ? appNode.value : undefined,
        role,
      });
      visitList(prop(item, 'onerror'), [...itemPath, 'onerror'], 'onerror', depth + 1);
      for (const key of ['routes', 'branches']) {
        const routes = prop(item, key);
        if (routes && routes.type === 'array') {
          (routes.children ?? []).forEach((route, r) => {
            if (route.type === 'object')
              visitList(prop(route, 'flow'), [...itemPath, key, r, 'flow'], role === 'onerror' ? 'onerror' : 'flow', depth + 1);
          });
        }
      }
    });
  };
  visitList(prop(root, 'flow'), [...rootPath, 'flow'], 'flow', 0);
  return out;
}

/** The value node of `key` in an object node (the last one when a key repeats, as JSON.parse does). */
export function prop(node: Node | undefined, key: string): Node | undefined {
  return propertyNode(node, key)?.children?.[1];
}

/** The property node (`"key": value`) of `key` in an object node. */
export function propertyNode(node: Node | undefined, key: string): Node | undefined {
  if (!node || node.type !== 'object') return undefined;
  let found: Node | undefined;
  for (const p of node.children ?? []) {
    if (p.type === 'property' && p.children?.[0]?.value === key) found = p;
  }
  return found;
}

function spanOf(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

const SYNTAX_HINTS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected text here',
  InvalidNumberFormat: 'this is not a valid number',
  PropertyNameExpected: 'a property name in double quotes is expected here (a trailing comma?)',
  ValueExpected: 'a value is expected here (a trailing comma?)',
  ColonExpected: 'a colon is expected after the property name',
  CommaExpected: 'a comma is expected between the items',
  CloseBraceExpected: 'a closing brace } is expected',
  CloseBracketExpected: 'a closing bracket ] is expected',
  EndOfFileExpected: 'nothing may follow the top-level value',
  InvalidCommentToken: 'comments are not allowed in a blueprint (strict JSON)',
  UnexpectedEndOfComment: 'unterminated comment (and comments are not allowed in a blueprint)',
  UnexpectedEndOfString: 'the string is not closed',
  UnexpectedEndOfNumber: 'the number is cut off',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape after a backslash',
  InvalidCharacter: 'a control character (e.g. a raw line break or tab) is not allowed inside a string',
};

/** At most this many syntax errors are reported: later ones are mostly the first one's echo. */
const MAX_SYNTAX_FINDINGS = 20;

class BlueprintParser extends ScenarioParserBase {
  syntax(errors: readonly ParseError[]): void {
    const seen = new Set<number>();
    for (const e of errors) {
      if (seen.has(e.offset)) continue;
      seen.add(e.offset);
      if (seen.size > MAX_SYNTAX_FINDINGS) break;
      const name = printParseErrorCode(e.error);
      let end = e.offset + e.length;
      if (end === e.offset && end < this.text.length && !/[\r\n]/.test(this.text[end])) end++;
      const found = this.text.slice(e.offset, Math.min(end, e.offset + 30)).trim();
      const shown = name === 'InvalidSymbol' && found ? ` ("${found}")` : '';
      this.report('json-syntax', { start: e.offset, end }, `JSON syntax error (${name}): ${SYNTAX_HINTS[name] ?? 'invalid JSON'}${shown}.`);
    }
  }

  // ---- document --------------------------------------------------------------------------------

  scenario(fileRoot: Node): Scenario | null {
    const unwrapped = unwrapBlueprint(fileRoot);
    const root = unwrapped.node ?? fileRoot;
    if (unwrapped.wrapper) {
      this.report(
        'wrapped-export',
        spanOf(unwrapped.wrapper.key),
        `This file is ${unwrapped.wrapper.form}: the blueprint inside it is checked (positions are in this file). An export from Make's scenario editor has \`name\`, \`flow\` and \`metadata\` at the top.`,
      );
    }
    const rootSpan = spanOf(root);
    if (root.type !== 'object') {
      this.report(
        'invalid-scenario',
        rootSpan,
        `A blueprint must be a JSON object with \`name\`, \`flow\` and \`metadata\`; found ${describeJsonNode(root)}.`,
      );
      return null;
    }
    const firstKey = root.children?.[0]?.children?.[0];
    const headSpan = firstKey ? spanOf(firstKey) : { start: rootSpan.start, end: rootSpan.start + 1 };

    let name = '';
    let nameSpan: Span | undefined;
    const nameNode = prop(root, 'name');
    if (nameNode) {
      nameSpan = spanOf(nameNode);
      if (nameNode.type === 'string' && String(nameNode.value).trim() !== '') name = String(nameNode.value);
      else
        this.report('invalid-scenario', nameSpan, `The blueprint \`name\` must be a non-empty text; found ${describeJsonNode(nameNode)}.`);
    }

    const { settings, settingSpans } = this.settings(prop(root, 'metadata'));

    let modules: ScenarioModule[] = [];
    const flow = prop(root, 'flow');
    if (!flow) {
      this.report(
        'invalid-scenario',
        headSpan,
        'The blueprint has no `flow` array (the list of modules; its first module is the trigger).',
      );
    } else if (flow.type !== 'array') {
      this.report('invalid-scenario', spanOf(flow), `\`flow\` must be an array of modules; found ${describeJsonNode(flow)}.`);
    } else {
      modules = this.modules(flow, { routerPath: [] }, false, true);
      if ((flow.children ?? []).length === 0) {
        this.report('invalid-scenario', spanOf(flow), 'The `flow` array is empty: a scenario needs at least its trigger module.');
      }
    }
    this.reportDuplicateIds('blueprint');

    return buildScenario('blueprint', { name, nameSpan, settings, settingSpans, modules, simulation: null });
  }

  private settings(metadata: Node | undefined): { settings: MutableSettings; settingSpans: SettingSpans } {
    const result = defaultSettings();
    const { settings: out, settingSpans: spans } = result;
    const dlqNode = prop(prop(metadata, 'scenario'), 'dlq');
    if (!dlqNode && (!metadata || metadata.type === 'object')) {
      // Make's scenario settings: "Allow storing of incomplete executions" is off by default, and
      // an export of a scenario that never had it on may leave `dlq` out (Integromat-era files do).
      // No setting span is recorded: messages and hovers say the value is Make's default.
      out.storeIncompleteExecutions = false;
    }
    if (!metadata) return result;
    if (metadata.type !== 'object') {
      this.report(
        'invalid-scenario',
        spanOf(metadata),
        `\`metadata\` must be an object (with \`instant\` and \`scenario\` settings); found ${describeJsonNode(metadata)}.`,
      );
      return result;
    }
    const flag = (
      parent: Node,
      key: string,
      setting: 'storeIncompleteExecutions' | 'sequentialProcessing' | 'dataLoss' | 'instant',
      where: string,
    ): void => {
      const p = propertyNode(parent, key);
      const v = p?.children?.[1];
      const k = p?.children?.[0];
      if (!p || !k || !v) return;
      spans[setting] = spanOf(k);
      const b = booleanOf(v);
      if (b !== undefined) out[setting] = b;
      else this.report('invalid-scenario', spanOf(v), `\`${where}.${key}\` must be true or false; found ${describeJsonNode(v)}.`);
    };
    flag(metadata, 'instant', 'instant', 'metadata');
    const sc = prop(metadata, 'scenario');
    if (sc && sc.type !== 'object') {
      this.report(
        'invalid-scenario',
        spanOf(sc),
        `\`metadata.scenario\` must be an object of scenario settings; found ${describeJsonNode(sc)}.`,
      );
    } else if (sc) {
      flag(sc, 'dlq', 'storeIncompleteExecutions', 'metadata.scenario');
      flag(sc, 'sequential', 'sequentialProcessing', 'metadata.scenario');
      flag(sc, 'dataloss', 'dataLoss', 'metadata.scenario');
      const p = propertyNode(sc, 'maxErrors');
      const k = p?.children?.[0];
      const v = p?.children?.[1];
      if (k && v) {
        spans.maxConsecutiveErrors = spanOf(k);
        const n = numberOf(v);
        if (n !== undefined && Number.isSafeInteger(n) && n >= 1) out.maxConsecutiveErrors = n;
        else
          this.report(
            'invalid-scenario',
            spanOf(v),
            `\`metadata.scenario.maxErrors\` must be a whole number ≥ 1; found ${describeJsonNode(v)}.`,
          );
      }
    }
    return result;
  }

  // ---- modules ---------------------------------------------------------------------------------

  /**
   * The modules of a flow. `inHandler`: the list sits inside an error-handler route (its modules'
   * routes and branches may end in a directive module). `top`: the scenario's own flow, whose
   * first item may be the unset trigger.
   */
  private modules(list: Node, loc: Location, inHandler: boolean, top = false): ScenarioModule[] {
    const out: ScenarioModule[] = [];
    (list.children ?? []).forEach((item, i) => {
      if (item.type !== 'object') {
        this.report(
          'invalid-scenario',
          spanOf(item),
          `Each module must be an object with \`id\` and \`module\`; found ${describeJsonNode(item)}.`,
        );
        return;
      }
      if (top && i === 0) {
        const unset = this.unsetTrigger(item);
        if (unset) {
          out.push(unset);
          return;
        }
      }
      const m = this.module(item, loc, inHandler);
      if (m) out.push(m);
    });
    return out;
  }

  /** Make's export of a trigger not chosen yet: `{"id": null, "module": "placeholder:Placeholder"}`. */
  private unsetTrigger(obj: Node): ScenarioModule | null {
    const appNode = prop(obj, 'module');
    const idNode = prop(obj, 'id');
    if (!appNode || appNode.type !== 'string' || appNode.value !== PLACEHOLDER_MODULE) return null;
    if (idNode && idNode.type !== 'null') return null;
    const appSpan = spanOf(appNode);
    this.report(
      'unset-trigger',
      appSpan,
      'The trigger is not set (Make exports an empty first module as placeholder:Placeholder): choose it in Make before the scenario can run. The other modules are checked as if it were there.',
    );
    return buildModule(
      {
        id: UNSET_TRIGGER_ID,
        app: PLACEHOLDER_MODULE,
        name: undefined,
        isRouter: false,
        onError: [],
        routes: [],
        kind: 'unset-trigger',
        span: spanOf(obj),
        anchor: appSpan,
        idSpan: idNode ? spanOf(idNode) : appSpan,
        appSpan,
        nameSpan: undefined,
      },
      { routerPath: [] },
    );
  }

  /** The parts every module object has (also the directive module of an `onerror` array). */
  private head(obj: Node): { id: number | undefined; idSpan: Span; app: string; appSpan: Span; anchor: Span } {
    const span = spanOf(obj);
    const idProp = propertyNode(obj, 'id');
    const appNode = prop(obj, 'module');
    const objStart = { start: span.start, end: span.start + 1 };
    const anchor = appNode ? spanOf(appNode) : idProp ? spanOf(idProp) : objStart;

    let id: number | undefined;
    const idNode = idProp?.children?.[1];
    const idSpan = idNode ? spanOf(idNode) : anchor;
    if (!idNode) {
      this.report('invalid-scenario', anchor, 'This module has no `id` (a positive whole number, unique in the blueprint).');
    } else if (idNode.type === 'number' && typeof idNode.value === 'number' && Number.isSafeInteger(idNode.value) && idNode.value > 0) {
      id = idNode.value;
      this.registerId(id, idSpan);
    } else {
      this.report('invalid-scenario', idSpan, `A module \`id\` must be a positive whole number; found ${describeJsonNode(idNode)}.`);
    }

    let app = '';
    const appSpan = appNode ? spanOf(appNode) : anchor;
    if (!appNode) {
      this.report('invalid-scenario', anchor, `${moduleRef(id, true)} has no \`module\` ("<app>:<action>", e.g. http:ActionSendData).`, id);
    } else if (appNode.type === 'string' && String(appNode.value).trim() !== '') {
      app = String(appNode.value);
      if (!/^[^:\s]+:[^:\s]+$/.test(app.trim())) {
        this.report(
          'invalid-scenario',
          appSpan,
          `\`module\` must be "<app>:<action>" (e.g. http:ActionSendData, builtin:BasicRouter); found "${app}".`,
          id,
        );
      }
    } else {
      this.report(
        'invalid-scenario',
        appSpan,
        `\`module\` must be "<app>:<action>" (e.g. http:ActionSendData); found ${describeJsonNode(appNode)}.`,
        id,
      );
    }
    return { id, idSpan, app, appSpan, anchor };
  }

  private module(obj: Node, loc: Location, inHandler: boolean): ScenarioModule | null {
    const span = spanOf(obj);
    const { id, idSpan, app, appSpan, anchor } = this.head(obj);

    let name: string | undefined;
    let nameSpan: Span | undefined;
    const designer = prop(prop(obj, 'metadata'), 'designer');
    const nameNode = prop(designer, 'name');
    if (nameNode && nameNode.type === 'string' && String(nameNode.value).trim() !== '') {
      name = String(nameNode.value);
      nameSpan = spanOf(nameNode);
    }

    const trimmed = app.trim();
    const isRouter = trimmed === BLUEPRINT_ROUTER;
    const isIfElse = trimmed === BLUEPRINT_IF_ELSE;
    const kind: ModuleKind | undefined = isIfElse ? 'if-else' : trimmed === BLUEPRINT_MERGE ? 'merge' : undefined;
    const onErrorNode = prop(obj, 'onerror');
    let onError: ErrorHandlerRoute[] = [];
    if (onErrorNode) onError = this.handlerRoute(onErrorNode, handlerLocation(loc, id), id);

    let routes: RouterRoute[] = [];
    const routesNode = prop(obj, 'routes');
    if (routesNode) {
      const parsed = this.routerRoutes(routesNode, routeLocation(loc, id, isRouter), inHandler, id);
      if (isRouter) routes = parsed;
      else {
        const key = propertyNode(obj, 'routes')?.children?.[0];
        this.report('invalid-scenario', key ? spanOf(key) : spanOf(routesNode), routesOnNonRouterMessage(BLUEPRINT_ROUTER, id, app), id);
      }
    }

    let branches: IfElseBranch[] | undefined;
    const unchecked: UncheckedModules[] = [];
    const branchesNode = prop(obj, 'branches');
    if (isIfElse) {
      branches = branchesNode ? this.ifElseBranches(branchesNode, routeLocation(loc, id, true), inHandler, id) : [];
      if (!branchesNode)
        this.report('invalid-scenario', anchor, `${moduleRef(id, true)} is an if-else (${BLUEPRINT_IF_ELSE}) without \`branches\`.`, id);
    } else if (branchesNode) {
      const key = propertyNode(obj, 'branches')?.children?.[0];
      if (key) this.unchecked(unchecked, 'branches', key, branchesNode, id, app);
    }
    for (const p of obj.children ?? []) {
      const key = p.children?.[0];
      const value = p.children?.[1];
      if (!key || !value || NON_FLOW_KEYS.has(String(key.value))) continue;
      this.unchecked(unchecked, String(key.value), key, value, id, app);
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
        ...(unchecked.length ? { unchecked } : {}),
      },
      loc,
    );
  }

  /** Reports the modules nested under a key the model does not understand (an AI agent's `tools`, …). */
  private unchecked(out: UncheckedModules[], key: string, keyNode: Node, value: Node, id: number | undefined, app: string): void {
    if (value.type !== 'array' && value.type !== 'object') return;
    const count = countModuleObjects(value);
    if (count === 0) return;
    const span = spanOf(keyNode);
    out.push({ key, count, span });
    this.report(
      'unchecked-modules',
      span,
      `${count} module${count === 1 ? '' : 's'} inside \`${key}\` of ${moduleRef(id)}${app ? ` (${app})` : ''} ${count === 1 ? 'is' : 'are'} not checked: the tool does not know how ${app || 'this module'} runs them, so their error handling is not looked at and they cannot be converted.`,
      id,
    );
  }

  /** A filter node (`{name, conditions: [[{a, o, b}]]}`) as the model's filter; undefined when absent or without conditions. */
  private filterOf(node: Node | undefined): RouteFilter | undefined {
    if (!node || node.type !== 'object') return undefined;
    const conditions = prop(node, 'conditions');
    if (!conditions || conditions.type !== 'array') return undefined;
    const groups: FilterCondition[][] = [];
    for (const g of conditions.children ?? []) {
      if (g.type !== 'array') continue;
      const group: FilterCondition[] = [];
      for (const c of g.children ?? []) {
        if (c.type !== 'object') continue;
        const a = scalarText(prop(c, 'a'));
        const o = scalarText(prop(c, 'o'));
        const b = scalarText(prop(c, 'b'));
        if (a === undefined || o === undefined) continue;
        group.push(b !== undefined ? { a, o, b } : { a, o });
      }
      if (group.length > 0) groups.push(group);
    }
    if (groups.length === 0) return undefined;
    const label = prop(node, 'name');
    const name = label && label.type === 'string' && String(label.value).trim() !== '' ? String(label.value) : undefined;
    return { ...(name !== undefined ? { name } : {}), conditions: groups, span: spanOf(node) };
  }

  /**
   * A route's or branch's flow. Inside an error-handler route a trailing directive module ends it
   * (`ending`); elsewhere a directive module is an ordinary module.
   */
  private routeFlow(
    flow: Node,
    loc: Location,
    inHandler: boolean,
    ownerId: number | undefined,
    span: Span,
  ): { modules: ScenarioModule[]; ending?: ErrorHandlerRoute } {
    const items = flow.children ?? [];
    const last = items[items.length - 1];
    const lastApp = prop(last, 'module');
    const directive = inHandler && lastApp && lastApp.type === 'string' ? BLUEPRINT_DIRECTIVES[String(lastApp.value)] : undefined;
    if (!inHandler || directive === undefined || !last) return { modules: this.modules(flow, loc, inHandler) };
    const modules: ScenarioModule[] = [];
    for (const item of items.slice(0, -1)) {
      if (item.type !== 'object') continue;
      const m = this.module(item, loc, true);
      if (m) modules.push(m);
    }
    const e = this.ending(last, directive, ownerId);
    return {
      modules,
      ending: buildHandlerRoute({ errors: null, errorSpans: [], modules: [], directiveExplicit: true, span, ...e }),
    };
  }

  private routerRoutes(node: Node, loc: Location, inHandler: boolean, ownerId: number | undefined): RouterRoute[] {
    if (node.type !== 'array') {
      this.report(
        'invalid-scenario',
        spanOf(node),
        `\`routes\` must be an array of routes (each with a \`flow\` array); found ${describeJsonNode(node)}.`,
      );
      return [];
    }
    const out: RouterRoute[] = [];
    for (const route of node.children ?? []) {
      const span = spanOf(route);
      if (route.type !== 'object') {
        this.report(
          'invalid-scenario',
          span,
          `Each router route must be an object with a \`flow\` array; found ${describeJsonNode(route)}.`,
        );
        continue;
      }
      const flow = prop(route, 'flow');
      let modules: ScenarioModule[] = [];
      let ending: ErrorHandlerRoute | undefined;
      let name: string | undefined;
      let filter: RouteFilter | undefined;
      if (!flow) {
        this.report(
          'invalid-scenario',
          { start: span.start, end: span.start + 1 },
          'This router route has no `flow` array (the modules of the route).',
        );
      } else if (flow.type !== 'array') {
        this.report(
          'invalid-scenario',
          spanOf(flow),
          `A router route's \`flow\` must be an array of modules; found ${describeJsonNode(flow)}.`,
        );
      } else {
        ({ modules, ending } = this.routeFlow(flow, loc, inHandler, ownerId, span));
        // Make shows a route under the label of the filter on its first module; that filter is the route's.
        const filterNode = prop(flow.children?.[0], 'filter');
        const label = prop(filterNode, 'name');
        if (label && label.type === 'string' && String(label.value).trim() !== '') name = String(label.value);
        filter = this.filterOf(filterNode);
      }
      out.push({ ...(name !== undefined ? { name } : {}), modules, span, ...(filter ? { filter } : {}), ...(ending ? { ending } : {}) });
    }
    return out;
  }

  private ifElseBranches(node: Node, loc: Location, inHandler: boolean, ownerId: number | undefined): IfElseBranch[] {
    if (node.type !== 'array') {
      this.report(
        'invalid-scenario',
        spanOf(node),
        `An if-else's \`branches\` must be an array (each with \`type\`, \`label\` and a \`flow\` array); found ${describeJsonNode(node)}.`,
        ownerId,
      );
      return [];
    }
    const out: IfElseBranch[] = [];
    for (const branch of node.children ?? []) {
      const span = spanOf(branch);
      if (branch.type !== 'object') {
        this.report(
          'invalid-scenario',
          span,
          `Each if-else branch must be an object with \`type\` and a \`flow\` array; found ${describeJsonNode(branch)}.`,
          ownerId,
        );
        continue;
      }
      const typeNode = prop(branch, 'type');
      const type = typeNode && typeNode.type === 'string' ? String(typeNode.value) : undefined;
      if (type !== 'condition' && type !== 'else') {
        this.report(
          'invalid-scenario',
          typeNode ? spanOf(typeNode) : { start: span.start, end: span.start + 1 },
          `An if-else branch's \`type\` must be "condition" or "else"; found ${typeNode ? describeJsonNode(typeNode) : 'nothing'}.`,
          ownerId,
        );
      }
      const isElse = type === 'else';
      const label = prop(branch, 'label');
      const name = label && label.type === 'string' && String(label.value).trim() !== '' ? String(label.value) : undefined;
      const flag = (key: string): boolean => {
        const v = prop(branch, key);
        return v !== undefined && booleanOf(v) === true;
      };
      const merge = flag('merge');
      const disabled = flag('disabled');
      const condition = isElse ? undefined : this.filterOf(branch);
      const flow = prop(branch, 'flow');
      let modules: ScenarioModule[] = [];
      let ending: ErrorHandlerRoute | undefined;
      if (flow && flow.type === 'array') ({ modules, ending } = this.routeFlow(flow, loc, inHandler, ownerId, span));
      else if (flow)
        this.report(
          'invalid-scenario',
          spanOf(flow),
          `An if-else branch's \`flow\` must be an array of modules; found ${describeJsonNode(flow)}.`,
          ownerId,
        );
      out.push({
        ...(name !== undefined ? { name } : {}),
        isElse,
        ...(condition ? { condition } : {}),
        merge,
        disabled,
        modules,
        span,
        ...(ending ? { ending } : {}),
      });
    }
    return out;
  }

  // ---- error-handler route ---------------------------------------------------------------------

  private handlerRoute(node: Node, loc: Location, ownerId: number | undefined): ErrorHandlerRoute[] {
    if (node.type !== 'array') {
      this.report(
        'invalid-scenario',
        spanOf(node),
        `\`onerror\` must be an array: the handler modules, then a directive module (builtin:Break, builtin:Resume, builtin:Ignore, builtin:Commit or builtin:Rollback); found ${describeJsonNode(node)}.`,
        ownerId,
      );
      return [];
    }
    const items = node.children ?? [];
    if (items.length === 0) return [];
    const last = items[items.length - 1];
    const lastApp = prop(last, 'module');
    const lastDirective = lastApp && lastApp.type === 'string' ? BLUEPRINT_DIRECTIVES[String(lastApp.value)] : undefined;
    const handlerItems = lastDirective !== undefined ? items.slice(0, -1) : items;

    const modules: ScenarioModule[] = [];
    for (const item of handlerItems) {
      if (item.type !== 'object') {
        this.report(
          'invalid-scenario',
          spanOf(item),
          `Each module of an \`onerror\` array must be an object with \`id\` and \`module\`; found ${describeJsonNode(item)}.`,
          ownerId,
        );
        continue;
      }
      const a = prop(item, 'module');
      if (a && a.type === 'string' && BLUEPRINT_DIRECTIVES[String(a.value)] !== undefined) {
        this.report(
          'invalid-scenario',
          spanOf(a),
          `The directive module ${String(a.value)} must be the last module of the \`onerror\` array; the modules after it would never run.`,
          ownerId,
        );
      }
      const m = this.module(item, loc, true);
      if (m) modules.push(m);
    }

    // The filter on the route's first module decides which errors the route handles.
    const filterNode = prop(items[0], 'filter');
    const filter = this.filterOf(filterNode);
    const ownerIds = ownerId !== undefined ? [ownerId] : [];
    const types = filter ? plainTypeList(filter, ownerIds) : undefined;
    const fieldSpans: Partial<Record<RouteField, Span>> = {};
    let errorSpans: Span[] = [];
    if (filter && types) {
      fieldSpans.errors = filter.span;
      errorSpans = types.map(() => filter.span);
      // Each type's own `b` value, when the conditions are written one per group (hover on a name).
      const groups = prop(filterNode, 'conditions')?.children ?? [];
      const spans: Span[] = [];
      for (const g of groups) {
        const b = prop(g.children?.[0], 'b');
        if (b) spans.push(spanOf(b));
      }
      if (spans.length === types.length) errorSpans = spans;
    }

    const e =
      lastDirective !== undefined && last
        ? this.ending(last, lastDirective, ownerId)
        : {
            directive: ROUTE_DEFAULTS.directive,
            autoComplete: ROUTE_DEFAULTS.autoComplete,
            attempts: ROUTE_DEFAULTS.attempts,
            intervalMinutes: ROUTE_DEFAULTS.intervalMinutes,
            hasOutput: false,
            output: undefined,
            directiveSpan: undefined,
            fieldSpans: {},
          };

    return [
      buildHandlerRoute({
        errors: types ?? null,
        errorSpans,
        ...(filter && !types ? { filter } : {}),
        modules,
        directiveExplicit: lastDirective !== undefined,
        span: spanOf(node),
        ...e,
        fieldSpans: { ...fieldSpans, ...e.fieldSpans },
      }),
    ];
  }

  /** The directive module that ends a route: its directive and (Break) retry settings or (Resume) output. */
  private ending(
    last: Node,
    directive: Directive,
    ownerId: number | undefined,
  ): {
    directive: Directive;
    autoComplete: boolean;
    attempts: number;
    intervalMinutes: number;
    hasOutput: boolean;
    output: unknown;
    directiveSpan: Span | undefined;
    fieldSpans: Partial<Record<RouteField, Span>>;
    runTime?: Partial<Record<RunTimeSetting, string>>;
  } {
    let { autoComplete, attempts, intervalMinutes } = ROUTE_DEFAULTS;
    let output: unknown;
    let hasOutput = false;
    const fieldSpans: Partial<Record<RouteField, Span>> = {};
    const runTime: Partial<Record<RunTimeSetting, string>> = {};
    const lastApp = prop(last, 'module');
    this.head(last); // registers the directive module's id (duplicates, missing id)
    const directiveSpan = lastApp ? spanOf(lastApp) : spanOf(last);
    fieldSpans.directive = directiveSpan;
    const mapperProp = propertyNode(last, 'mapper');
    const mapper = mapperProp?.children?.[1];
    /** A Break setting written as an IML expression: a constant one is its value, any other is decided at run time. */
    const expression = (node: Node, setting: RunTimeSetting, what: string): boolean | number | undefined | 'run-time' => {
      if (node.type !== 'string' || !isExpression(String(node.value))) return undefined;
      const constant = constantOf(String(node.value));
      if (constant !== undefined) return constant;
      runTime[setting] = String(node.value);
      this.report(
        'decided-at-run-time',
        spanOf(node),
        `Break's \`${what}\` is the expression ${quoteShort(String(node.value))}: its value is decided when the scenario runs, so the tool ${setting === 'autoComplete' ? 'shows both outcomes (completed automatically or not)' : `assumes the default (${setting === 'attempts' ? ROUTE_DEFAULTS.attempts : ROUTE_DEFAULTS.intervalMinutes})`}.`,
        ownerId,
      );
      return 'run-time';
    };
    if (directive === 'break' && mapper && mapper.type === 'object') {
      const retry = propertyNode(mapper, 'retry');
      const retryValue = retry?.children?.[1];
      if (retry && retryValue) {
        fieldSpans.autoComplete = spanOf(retry);
        const x = expression(retryValue, 'autoComplete', 'retry');
        const b = typeof x === 'boolean' ? x : x === undefined ? booleanOf(retryValue) : undefined;
        if (b !== undefined) autoComplete = b;
        else if (x !== 'run-time')
          this.report(
            'invalid-retry-settings',
            spanOf(retryValue),
            `Break's \`retry\` ("Automatically complete execution") must be true or false; found ${describeJsonNode(retryValue)}.`,
            ownerId,
          );
      }
      const count = propertyNode(mapper, 'count');
      const countValue = count?.children?.[1];
      if (count && countValue) {
        fieldSpans.attempts = spanOf(count);
        const x = expression(countValue, 'attempts', 'count');
        const n = typeof x === 'number' ? x : x === undefined ? numberOf(countValue) : undefined;
        if (n !== undefined) attempts = n;
        else if (x !== 'run-time')
          this.report(
            'invalid-retry-settings',
            spanOf(countValue),
            `Break's \`count\` (number of attempts) must be a whole number; found ${describeJsonNode(countValue)}.`,
            ownerId,
          );
      }
      const interval = propertyNode(mapper, 'interval');
      const intervalValue = interval?.children?.[1];
      if (interval && intervalValue) {
        fieldSpans.intervalMinutes = spanOf(interval);
        const x = expression(intervalValue, 'intervalMinutes', 'interval');
        const n = typeof x === 'number' ? x : x === undefined ? numberOf(intervalValue) : undefined;
        if (n !== undefined) intervalMinutes = n;
        else if (x !== 'run-time')
          this.report(
            'invalid-retry-settings',
            spanOf(intervalValue),
            `Break's \`interval\` (minutes between attempts) must be a whole number; found ${describeJsonNode(intervalValue)}.`,
            ownerId,
          );
      }
    } else if (directive === 'break' && mapper && mapper.type !== 'null') {
      this.report(
        'invalid-retry-settings',
        spanOf(mapper),
        `Break's \`mapper\` must be an object with \`retry\`, \`count\` and \`interval\`; found ${describeJsonNode(mapper)}.`,
        ownerId,
      );
    } else if (directive === 'resume' && mapper && mapperProp?.children?.[0]) {
      hasOutput = true;
      // JSON.parse of the node's own text: plain objects (jsonc-parser's getNodeValue builds null-prototype ones).
      output = jsonValue(this.text, mapper);
      fieldSpans.output = spanOf(mapperProp.children[0]);
    }
    return {
      directive,
      autoComplete,
      attempts,
      intervalMinutes,
      hasOutput,
      output,
      directiveSpan,
      fieldSpans,
      ...(Object.keys(runTime).length ? { runTime } : {}),
    };
  }
}

/** How many module objects (objects with a `module` text) sit in a node, at any depth. */
function countModuleObjects(node: Node): number {
  let n = 0;
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const x = stack.pop();
    if (!x) continue;
    if (x.type === 'object') {
      const app = prop(x, 'module');
      if (app && app.type === 'string') n++;
      for (const p of x.children ?? []) if (p.children?.[1]) stack.push(p.children[1]);
    } else if (x.type === 'array') {
      for (const c of x.children ?? []) stack.push(c);
    }
  }
  return n;
}

/** A string, number or boolean node as text (filter operands); undefined for anything else. */
function scalarText(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string' || node.type === 'number' || node.type === 'boolean') return String(node.value);
  return undefined;
}

/** The plain JS value of a node of a text that parsed without errors. */
function jsonValue(text: string, node: Node): unknown {
  try {
    return JSON.parse(text.slice(node.offset, node.offset + node.length)) as unknown;
  } catch {
    return getNodeValue(node) as unknown;
  }
}

/** true/false, or their string forms (Make's mapper keeps many values as text). */
function booleanOf(node: Node): boolean | undefined {
  if (node.type === 'boolean' && typeof node.value === 'boolean') return node.value;
  if (node.type === 'string') {
    const s = String(node.value).trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/** A finite number, or its string form ("3"). */
function numberOf(node: Node): number | undefined {
  if (node.type === 'number' && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
  if (node.type === 'string') {
    const s = String(node.value).trim();
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  }
  return undefined;
}

/** Parses blueprint JSON (BOM allowed) into the shared model with exact spans. Never throws. */
export function parseBlueprintScenario(text: string, lineIndex: LineIndex): { scenario: Scenario | null; findings: Finding[] } {
  const parser = new BlueprintParser(text, lineIndex);
  try {
    const { root, errors } = parseBlueprintTree(text);
    if (errors.length > 0) {
      parser.syntax(errors);
      return { scenario: null, findings: parser.findings };
    }
    if (!root) {
      parser.report(
        'invalid-scenario',
        { start: 0, end: lineIndex.lineEnd(0) },
        'The blueprint file is empty: it needs a JSON object with `name`, `flow` and `metadata`.',
      );
      return { scenario: null, findings: parser.findings };
    }
    const scenario = parser.scenario(root);
    return { scenario, findings: parser.findings };
  } catch (e) {
    parser.report(
      'invalid-scenario',
      { start: 0, end: lineIndex.lineEnd(0) },
      `The blueprint could not be read (internal error: ${e instanceof Error ? e.message : String(e)}).`,
    );
    return { scenario: null, findings: parser.findings };
  }
}

/** The module object with this id in a parsed blueprint (not a directive module), or undefined. */
export function findBlueprintModule(root: Node | undefined, id: number): BlueprintModuleNode | undefined {
  return blueprintModuleNodes(root).find(
    (m) => m.id === id && !(m.role === 'onerror' && m.app !== undefined && BLUEPRINT_DIRECTIVES[m.app] !== undefined),
  );
}
