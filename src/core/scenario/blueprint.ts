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
import type { Directive, ErrorHandlerRoute, Finding, RouterRoute, Scenario, ScenarioModule, Span } from '../model';
import {
  ROUTE_DEFAULTS,
  ScenarioParserBase,
  buildHandlerRoute,
  buildModule,
  buildScenario,
  defaultSettings,
  handlerLocation,
  moduleRef,
  routeLocation,
  routesOnNonRouterMessage,
} from './modelBuilder';
import type { Location, MutableSettings, RouteField, SettingSpans } from './modelBuilder';
import { blankBom } from '../text/bom';
import type { LineIndex } from '../text/lineIndex';

/** The blueprint's router module. */
export const BLUEPRINT_ROUTER = 'builtin:BasicRouter';

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
  /** Where it sits: the main flow / a router route, or an `onerror` array. */
  readonly role: 'flow' | 'onerror';
}

/** Every module object of a parsed blueprint (flow, router routes, onerror arrays), depth first in source order. */
export function blueprintModuleNodes(root: Node | undefined): BlueprintModuleNode[] {
  const out: BlueprintModuleNode[] = [];
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
      const routes = prop(item, 'routes');
      if (routes && routes.type === 'array') {
        (routes.children ?? []).forEach((route, r) => {
          if (route.type === 'object') visitList(prop(route, 'flow'), [...itemPath, 'routes', r, 'flow'], 'flow', depth + 1);
        });
      }
    });
  };
  visitList(prop(root, 'flow'), ['flow'], 'flow', 0);
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

  scenario(root: Node): Scenario | null {
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
      modules = this.modules(flow, { routerPath: [] });
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

  private modules(list: Node, loc: Location): ScenarioModule[] {
    const out: ScenarioModule[] = [];
    for (const item of list.children ?? []) {
      if (item.type !== 'object') {
        this.report(
          'invalid-scenario',
          spanOf(item),
          `Each module must be an object with \`id\` and \`module\`; found ${describeJsonNode(item)}.`,
        );
        continue;
      }
      const m = this.module(item, loc);
      if (m) out.push(m);
    }
    return out;
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

  private module(obj: Node, loc: Location): ScenarioModule | null {
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

    const isRouter = app.trim() === BLUEPRINT_ROUTER;
    const onErrorNode = prop(obj, 'onerror');
    let onError: ErrorHandlerRoute[] = [];
    if (onErrorNode) onError = this.handlerRoute(onErrorNode, handlerLocation(loc, id), id);

    let routes: RouterRoute[] = [];
    const routesNode = prop(obj, 'routes');
    if (routesNode) {
      const parsed = this.routerRoutes(routesNode, routeLocation(loc, id, isRouter));
      if (isRouter) routes = parsed;
      else {
        const key = propertyNode(obj, 'routes')?.children?.[0];
        this.report('invalid-scenario', key ? spanOf(key) : spanOf(routesNode), routesOnNonRouterMessage(BLUEPRINT_ROUTER, id, app), id);
      }
    }

    if (id === undefined) return null;
    return buildModule({ id, app, name, isRouter, onError, routes, span, anchor, idSpan, appSpan, nameSpan }, loc);
  }

  private routerRoutes(node: Node, loc: Location): RouterRoute[] {
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
      let name: string | undefined;
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
        modules = this.modules(flow, loc);
        // Make shows a route under the label of the filter on its first module.
        const label = prop(prop(flow.children?.[0], 'filter'), 'name');
        if (label && label.type === 'string' && String(label.value).trim() !== '') name = String(label.value);
      }
      out.push({ ...(name !== undefined ? { name } : {}), modules, span });
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
      const m = this.module(item, loc);
      if (m) modules.push(m);
    }

    let directive = ROUTE_DEFAULTS.directive;
    let directiveSpan: Span | undefined;
    let { autoComplete, attempts, intervalMinutes } = ROUTE_DEFAULTS;
    let output: unknown;
    let hasOutput = false;
    const fieldSpans: Partial<Record<RouteField, Span>> = {};
    if (lastDirective !== undefined && lastApp) {
      this.head(last); // registers the directive module's id (duplicates, missing id)
      directive = lastDirective;
      directiveSpan = spanOf(lastApp);
      fieldSpans.directive = directiveSpan;
      const mapperProp = propertyNode(last, 'mapper');
      const mapper = mapperProp?.children?.[1];
      if (directive === 'break' && mapper && mapper.type === 'object') {
        const retry = propertyNode(mapper, 'retry');
        if (retry?.children?.[1]) {
          fieldSpans.autoComplete = spanOf(retry);
          const b = booleanOf(retry.children[1]);
          if (b !== undefined) autoComplete = b;
          else
            this.report(
              'invalid-retry-settings',
              spanOf(retry.children[1]),
              `Break's \`retry\` ("Automatically complete execution") must be true or false; found ${describeJsonNode(retry.children[1])}.`,
              ownerId,
            );
        }
        const count = propertyNode(mapper, 'count');
        if (count?.children?.[1]) {
          fieldSpans.attempts = spanOf(count);
          const n = numberOf(count.children[1]);
          if (n !== undefined) attempts = n;
          else
            this.report(
              'invalid-retry-settings',
              spanOf(count.children[1]),
              `Break's \`count\` (number of attempts) must be a whole number; found ${describeJsonNode(count.children[1])}.`,
              ownerId,
            );
        }
        const interval = propertyNode(mapper, 'interval');
        if (interval?.children?.[1]) {
          fieldSpans.intervalMinutes = spanOf(interval);
          const n = numberOf(interval.children[1]);
          if (n !== undefined) intervalMinutes = n;
          else
            this.report(
              'invalid-retry-settings',
              spanOf(interval.children[1]),
              `Break's \`interval\` (minutes between attempts) must be a whole number; found ${describeJsonNode(interval.children[1])}.`,
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
    }

    return [
      buildHandlerRoute({
        errors: null,
        errorSpans: [],
        modules,
        directive,
        directiveExplicit: lastDirective !== undefined,
        autoComplete,
        attempts,
        intervalMinutes,
        hasOutput,
        output,
        span: spanOf(node),
        directiveSpan,
        fieldSpans,
      }),
    ];
  }
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
