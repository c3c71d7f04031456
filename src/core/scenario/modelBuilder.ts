/*
 * What the two scenario parsers (scenario YAML in yamlScenario.ts, blueprint JSON in blueprint.ts)
 * share once a value has been read from the source: reporting findings, the module-id registry and
 * its duplicate check, where nested modules sit (router path, handler owner), and the assembly of the
 * model objects (optional fields are left out, not set to undefined). Each parser keeps its own
 * source access and its own messages about the source syntax.
 */
import { DEFAULT_SEVERITIES } from '../lint/registry';
import { DEFAULT_SETTINGS } from '../model';
import type {
  Directive,
  ErrorHandlerRoute,
  Finding,
  LintCode,
  Scenario,
  ScenarioFormat,
  ScenarioModule,
  ScenarioSettings,
  Span,
} from '../model';
import type { LineIndex } from '../text/lineIndex';

/** Fields of an error-handler route whose source position lint needs (retry settings on the wrong directive, ...). */
export type RouteField = 'errors' | 'modules' | 'directive' | 'autoComplete' | 'attempts' | 'intervalMinutes' | 'output';

/**
 * An error-handler route as the parsers build it: the shared model plus the spans of the fields
 * written in the source (absent key = field not written). Lint reads it through `routeFieldSpans`.
 */
export interface SourcedErrorHandlerRoute extends ErrorHandlerRoute {
  readonly fieldSpans: Readonly<Partial<Record<RouteField, Span>>>;
}

/** The spans of the fields written in the source for this route (empty when the parser did not record them). */
export function routeFieldSpans(route: ErrorHandlerRoute): Readonly<Partial<Record<RouteField, Span>>> {
  const candidate: unknown = (route as unknown as Record<string, unknown>).fieldSpans;
  if (typeof candidate === 'object' && candidate !== null) return candidate;
  return {};
}

/** Where a module sits: the routers around it and the module whose handler route holds it. */
export interface Location {
  /** Enclosing router ids, outermost first. */
  readonly routerPath: readonly number[];
  /** The module whose handler route contains this one. */
  readonly handlerOf?: number;
}

/** Where the modules of `ownerId`'s error-handler route sit (an enclosing handler route wins). */
export function handlerLocation(loc: Location, ownerId: number | undefined): Location {
  return {
    routerPath: loc.routerPath,
    ...(loc.handlerOf !== undefined ? { handlerOf: loc.handlerOf } : ownerId !== undefined ? { handlerOf: ownerId } : {}),
  };
}

/** Where the modules of a route or branch of module `id` sit (inside it when it is a router or an if-else). */
export function routeLocation(loc: Location, id: number | undefined, isRouter: boolean): Location {
  return {
    routerPath: id !== undefined && isRouter ? [...loc.routerPath, id] : loc.routerPath,
    ...(loc.handlerOf !== undefined ? { handlerOf: loc.handlerOf } : {}),
  };
}

/** `module 3` / `this module` (capitalised with `capital`), for messages about a module whose id may be unknown. */
export function moduleRef(id: number | undefined, capital = false): string {
  if (id !== undefined) return `${capital ? 'Module' : 'module'} ${id}`;
  return capital ? 'This module' : 'this module';
}

/** The message for `routes` on a module that is not a router (`router` says how to write one). */
export function routesOnNonRouterMessage(router: string, id: number | undefined, app: string): string {
  return `Only a router (${router}) has \`routes\`; ${moduleRef(id)} is ${app ? `"${app}"` : 'not a router'}.`;
}

/** A text value quoted for a message, cut after 40 characters. */
export function quoteShort(v: string): string {
  return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
}

export type MutableSettings = { -readonly [K in keyof ScenarioSettings]: ScenarioSettings[K] };
export type SettingSpans = Partial<Record<keyof ScenarioSettings, Span>>;

/** The default settings and no setting spans, to be filled in by a parser. */
export function defaultSettings(): { settings: MutableSettings; settingSpans: SettingSpans } {
  return { settings: { ...DEFAULT_SETTINGS }, settingSpans: {} };
}

/** A scenario's fields as a parser has them: optional ones may be undefined. */
export type ScenarioParts = Omit<Scenario, 'format' | 'nameSpan'> & { readonly nameSpan: Span | undefined };

export function buildScenario(format: ScenarioFormat, p: ScenarioParts): Scenario {
  return {
    format,
    name: p.name,
    ...(p.nameSpan ? { nameSpan: p.nameSpan } : {}),
    settings: p.settings,
    settingSpans: p.settingSpans,
    modules: p.modules,
    simulation: p.simulation,
  };
}

/** The id the model gives the unset trigger (Make exports it with `"id": null`; real ids are positive). */
export const UNSET_TRIGGER_ID = 0;

/** A module's own fields as a parser has them (optional ones may be undefined); its location comes apart. */
export type ModuleParts = Omit<ScenarioModule, 'name' | 'nameSpan' | 'routerPath' | 'handlerOf'> & {
  readonly name: string | undefined;
  readonly nameSpan: Span | undefined;
};

export function buildModule(p: ModuleParts, loc: Location): ScenarioModule {
  return {
    id: p.id,
    app: p.app,
    ...(p.name !== undefined ? { name: p.name } : {}),
    isRouter: p.isRouter,
    onError: p.onError,
    routes: p.routes,
    ...(p.branches !== undefined ? { branches: p.branches } : {}),
    ...(p.kind !== undefined ? { kind: p.kind } : {}),
    ...(p.unchecked !== undefined && p.unchecked.length > 0 ? { unchecked: p.unchecked } : {}),
    routerPath: loc.routerPath,
    ...(loc.handlerOf !== undefined ? { handlerOf: loc.handlerOf } : {}),
    span: p.span,
    anchor: p.anchor,
    idSpan: p.idSpan,
    appSpan: p.appSpan,
    ...(p.nameSpan ? { nameSpan: p.nameSpan } : {}),
  };
}

/** What an error-handler route does where its source does not say (spec: no directive = ignore; Break retries 3 times, 15 minutes apart). */
export const ROUTE_DEFAULTS: {
  readonly directive: Directive;
  readonly autoComplete: boolean;
  readonly attempts: number;
  readonly intervalMinutes: number;
} = {
  directive: 'ignore',
  autoComplete: false,
  attempts: 3,
  intervalMinutes: 15,
};

/** A route's fields as a parser has them (optional ones may be undefined). */
export type HandlerRouteParts = Omit<SourcedErrorHandlerRoute, 'output' | 'directiveSpan'> & {
  /** Whether the source gives a substitute output (`output` is then kept, even when null). */
  readonly hasOutput: boolean;
  readonly output: unknown;
  readonly directiveSpan: Span | undefined;
};

export function buildHandlerRoute(p: HandlerRouteParts): SourcedErrorHandlerRoute {
  return {
    errors: p.errors,
    errorSpans: p.errorSpans,
    ...(p.filter !== undefined ? { filter: p.filter } : {}),
    ...(p.runTime !== undefined && Object.keys(p.runTime).length > 0 ? { runTime: p.runTime } : {}),
    modules: p.modules,
    directive: p.directive,
    directiveExplicit: p.directiveExplicit,
    ...(p.unknownDirective !== undefined ? { unknownDirective: p.unknownDirective } : {}),
    autoComplete: p.autoComplete,
    attempts: p.attempts,
    intervalMinutes: p.intervalMinutes,
    ...(p.hasOutput ? { output: p.output } : {}),
    span: p.span,
    ...(p.directiveSpan ? { directiveSpan: p.directiveSpan } : {}),
    fieldSpans: p.fieldSpans,
  };
}

/** Findings with clamped spans and default severities, and the registry of module ids for the duplicate check. */
export abstract class ScenarioParserBase {
  readonly findings: Finding[] = [];
  private readonly ids: { id: number; span: Span }[] = [];

  constructor(
    protected readonly text: string,
    protected readonly lineIndex: LineIndex,
  ) {}

  report(code: LintCode, span: Span, message: string, moduleId?: number): void {
    const s = this.clamp(span);
    this.findings.push({
      code,
      severity: DEFAULT_SEVERITIES[code],
      message,
      span: s,
      range: this.lineIndex.rangeOf(s),
      ...(moduleId !== undefined ? { moduleId } : {}),
    });
  }

  protected clamp(span: Span): Span {
    const start = Math.max(0, Math.min(span.start, this.text.length));
    const end = Math.max(start, Math.min(span.end, this.text.length));
    return { start, end };
  }

  /** 1-based line of the span's start. */
  protected line(span: Span): number {
    return this.lineIndex.positionAt(span.start).line + 1;
  }

  /** Records a module id for `reportDuplicateIds`. */
  protected registerId(id: number, span: Span): void {
    this.ids.push({ id, span });
  }

  /** Reports every id used again after its first place in the source (`scope`: "file", "blueprint"). */
  protected reportDuplicateIds(scope: string): void {
    const sorted = [...this.ids].sort((a, b) => a.span.start - b.span.start);
    const seen = new Map<number, Span>();
    for (const { id, span } of sorted) {
      const first = seen.get(id);
      if (first) {
        this.report(
          'duplicate-module-id',
          span,
          `Module id ${id} is already used on line ${this.line(first)}; ids must be unique in the whole ${scope} (handler and route modules included).`,
          id,
        );
      } else {
        seen.set(id, span);
      }
    }
  }
}
