/*
 * What the failure map colours each module with: the classifier's outcome when that module fails
 * with the chosen error type (or with every type of a chosen family). No rule is decided here;
 * this only asks src/core/classify and names the answer's category for the legend.
 */
import { ERROR_TYPES, lookupErrorType } from '../catalogue/catalogue';
import { classifyIn, classifyOutcome, effectiveProfile, unknownTypeOutcomeIn, type ModuleContext } from '../classify/classifier';
import { walkModules } from '../model';
import type { ClassifiedOutcome, Profile, Scenario, ScenarioModule } from '../model';
import type { ScenarioMap } from './layout';

/** The legend, in the order it is drawn. */
export const MAP_CATEGORIES = ['stopped', 'stored-retry', 'stored', 'fails', 'handled', 'depends', 'unknown'] as const;
export type MapCategory = (typeof MAP_CATEGORIES)[number];

/** What the map's picker can choose. */
export type ErrorSelection =
  | { readonly kind: 'type'; readonly name: string }
  | { readonly kind: 'family'; readonly family: string }
  /** An error type the catalogue does not know (a custom app's). */
  | { readonly kind: 'unknown' };

export const DEFAULT_SELECTION: ErrorSelection = { kind: 'type', name: 'ConnectionError' };

/**
 * An outcome's legend category. `depends` is for an outcome that turns on something the map is not
 * given (the error message, a bundle's data, or — for a family — which of its types it is).
 * `unknown` is for a module whose error is caught by a route ending with a directive Fusion does
 * not know (`directive: brake`): the map claims no outcome for it.
 */
export function categoryOf(outcome: ClassifiedOutcome): MapCategory {
  switch (outcome) {
    case 'stopped':
      return 'stopped';
    case 'incomplete-with-retry':
      return 'stored-retry';
    case 'incomplete-without-retry':
      return 'stored';
    case 'failed':
      return 'fails';
    case 'succeeded':
      return 'handled';
    case 'depends':
      return 'depends';
    case 'unknown':
      return 'unknown';
  }
}

export interface NodeColour {
  readonly category: MapCategory;
  /** Why, in the classifier's words (one reason per type for a family). */
  readonly reason: string;
}

export interface MapColouring {
  readonly selection: ErrorSelection;
  readonly profile: Profile;
  /** Keyed by node key; module nodes only (directives and empty routes are not failing modules). */
  readonly nodes: Readonly<Record<string, NodeColour>>;
  /** How many module nodes fall in each category. */
  readonly counts: Readonly<Record<MapCategory, number>>;
}

export interface PickerGroup {
  readonly family: string;
  readonly types: readonly string[];
}

/** The picker's choices: catalogue families, each with its types, in catalogue order. */
export function pickerGroups(): PickerGroup[] {
  const groups = new Map<string, string[]>();
  for (const info of ERROR_TYPES) {
    const list = groups.get(info.family);
    if (list) list.push(info.name);
    else groups.set(info.family, [info.name]);
  }
  return [...groups].map(([family, types]) => ({ family, types }));
}

/** Parses a picker value (`type:X`, `family:Y`, `unknown`) back into a selection; undefined if not one. */
export function parseSelection(value: unknown): ErrorSelection | undefined {
  if (typeof value !== 'string') return undefined;
  if (value === 'unknown') return { kind: 'unknown' };
  const [kind, name] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  if (kind === 'type' && lookupErrorType(name)) return { kind: 'type', name };
  if (kind === 'family' && ERROR_TYPES.some((e) => e.family === name)) return { kind: 'family', family: name };
  return undefined;
}

export function selectionValue(s: ErrorSelection): string {
  return s.kind === 'type' ? `type:${s.name}` : s.kind === 'family' ? `family:${s.family}` : 'unknown';
}

const CATEGORY_WORDS: Readonly<Record<MapCategory, string>> = {
  stopped: 'stops the run',
  'stored-retry': 'stored, retried automatically',
  stored: 'stored without retry',
  fails: 'fails the run',
  handled: 'handled',
  depends: 'depends',
  unknown: 'unknown (a directive Fusion does not know)',
};

/** Colours every module node of `map` for `selection`. */
export function colourMap(scenario: Scenario, map: ScenarioMap, selection: ErrorSelection, fallbackProfile?: Profile): MapColouring {
  const profile = effectiveProfile(scenario, fallbackProfile);
  const nodes: Record<string, NodeColour> = {};
  const counts = Object.fromEntries(MAP_CATEGORIES.map((c) => [c, 0])) as Record<MapCategory, number>;
  const types = selection.kind === 'family' ? ERROR_TYPES.filter((e) => e.family === selection.family).map((e) => e.name) : [];
  // One index of the modules instead of a tree walk per node (what `moduleContext` does): the
  // first module with an id, as the classifier resolves it.
  const byId = new Map<number, ScenarioModule>();
  for (const m of walkModules(scenario.modules)) if (!byId.has(m.id)) byId.set(m.id, m);
  const triggerId = scenario.modules[0]?.id;
  const router = (id: number): ScenarioModule | undefined => byId.get(id);
  for (const node of map.nodes) {
    if (node.moduleId === undefined) continue;
    const module = byId.get(node.moduleId);
    if (!module) continue;
    const ctx: ModuleContext = { module, isFirst: node.moduleId === triggerId, router };
    let colour: NodeColour;
    if (selection.kind === 'type') {
      const c = classifyIn(scenario, ctx, selection.name, profile);
      colour = { category: categoryOf(c.outcome), reason: c.reason };
    } else if (selection.kind === 'unknown') {
      const outcome = unknownTypeOutcomeIn(scenario, ctx, profile);
      colour = {
        category: categoryOf(outcome),
        reason: `An error type the catalogue does not know (a custom app's): ${CATEGORY_WORDS[categoryOf(outcome)]}.`,
      };
    } else {
      const per = types.map((t) => ({ type: t, category: categoryOf(classifyOutcome(scenario, ctx, t, profile)) }));
      const distinct = new Set(per.map((p) => p.category));
      const category: MapCategory = distinct.size === 1 ? per[0].category : 'depends';
      const lines = per.map((p) => `${p.type}: ${CATEGORY_WORDS[p.category]}`);
      colour = {
        category,
        reason:
          distinct.size === 1
            ? `Every ${selection.family} error (${types.join(', ')}): ${CATEGORY_WORDS[category]}.`
            : `Depends on the ${selection.family} error type — ${lines.join('; ')}.`,
      };
    }
    nodes[node.key] = colour;
    counts[colour.category] += 1;
  }
  return { selection, profile, nodes, counts };
}
