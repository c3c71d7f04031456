/*
 * The failure map's drawing model: the scenario as Make users know it, laid out left to right.
 *
 *   trigger ─► module ─► router ─┬─► route 1 modules …
 *                │               └─► route 2 modules …
 *                ▼ (error-handler route, dashed)
 *             [handler modules …] ─► directive
 *
 * Pure and deterministic: the same scenario gives the same positions. The layout is our own
 * layered "block" layout on a grid instead of a general graph layout (elkjs, dagre): a scenario is
 * a tree (a flow with forks, each module's handler routes hanging below it), so a block per module
 * — its node, its handler routes stacked under it, its forks stacked to its right — composes into
 * a drawing without crossings, in linear time, with no dependency. README "Decisions" says more.
 *
 * Rules of the layout (the unit tests check them):
 *  - a module list runs left to right on one row; the next module sits right of the whole block of
 *    the previous one (its handler routes included), so nothing overlaps;
 *  - a module's error-handler routes sit below it, one row each, in source order; a route's modules
 *    run left to right and end in the directive node;
 *  - a router's routes (and an if-else's branches) start one column right of it, stacked top to
 *    bottom in source order, each below the previous one and below any handler route they would
 *    otherwise cover; modules after a router in the same list continue on the router's row, past
 *    the widest route (the routes then start one row lower, so the flow edge stays free).
 */
import type { Directive, ErrorHandlerRoute, Scenario, ScenarioModule, Span } from '../model';

export type MapNodeKind = 'trigger' | 'module' | 'router' | 'if-else' | 'merge' | 'directive' | 'empty';
/** `handler`: inside an error-handler route (its modules and its directive). */
export type MapLane = 'flow' | 'handler';
export type MapEdgeKind = 'flow' | 'route' | 'handler';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface MapNode {
  /** Unique within one map: `n<index>` in walk order. */
  readonly key: string;
  readonly kind: MapNodeKind;
  readonly lane: MapLane;
  /** The module's id (absent for directive and empty-route nodes). */
  readonly moduleId?: number;
  /** First line as drawn (shortened to fit), e.g. "2 · Fetch invoice PDF" or "Break". */
  readonly title: string;
  /** Second line as drawn (shortened), e.g. the app, or a Break's retry settings. */
  readonly subtitle: string;
  /** The full text of both lines (tooltip, screen readers). */
  readonly label: string;
  readonly directive?: Directive;
  /** Grid cell (column left to right, row top to bottom). */
  readonly column: number;
  readonly row: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** What to reveal in the editor: the module's id (or app) value, a directive's value, a route. */
  readonly reveal: Span;
  /** The whole source node (the module, the handler route): the cursor inside it highlights this node. */
  readonly span: Span;
  /** Keyboard navigation: the node an arrow key moves to, if any. */
  readonly left?: string;
  readonly right?: string;
  readonly up?: string;
  readonly down?: string;
}

export interface MapEdge {
  readonly key: string;
  readonly from: string;
  readonly to: string;
  readonly kind: MapEdgeKind;
  /** Route name, a handler route's filter ("ConnectionError, RateLimitError" / "all errors"). */
  readonly label?: string;
  /** Where the label's text starts (left end of its baseline). */
  readonly labelAt?: Point;
  /** Orthogonal polyline from the source node's border to the target's. */
  readonly points: readonly Point[];
}

export interface ScenarioMap {
  readonly name: string;
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  readonly width: number;
  readonly height: number;
}

/** The map and what the colouring and the simulation overlay need to find nodes again. */
export interface MapBuild {
  readonly map: ScenarioMap;
  /** First node of each module id (ids are unique in a scenario the lint accepts). */
  readonly nodeOfModule: ReadonlyMap<number, string>;
  /** The directive node of each error-handler route (object identity, as the classifier returns it). */
  readonly directiveOfRoute: ReadonlyMap<ErrorHandlerRoute, string>;
}

/** Sizes in CSS pixels (the webview draws at these sizes; scaled by the view's zoom). */
export const GEOMETRY = {
  nodeWidth: 200,
  nodeHeight: 56,
  directiveWidth: 136,
  directiveHeight: 34,
  columnGap: 56,
  rowGap: 44,
  padding: 28,
  /** Characters that fit on a node's line at the view's font size. */
  titleChars: 22,
  subtitleChars: 28,
  labelChars: 26,
} as const;

const CELL_W = GEOMETRY.nodeWidth + GEOMETRY.columnGap;
const CELL_H = GEOMETRY.nodeHeight + GEOMETRY.rowGap;

/** One fork of a module: a router route or an if-else branch. */
interface Fork {
  readonly label: string;
  readonly modules: readonly ScenarioModule[];
  readonly span: Span;
  /** If-else: the branch continues into the module after the if-else (a Merge). */
  readonly merges: boolean;
}

/**
 * An if-else branch as the model will carry it (`ScenarioModule.branches`). Read structurally, so
 * this walk handles branches the day the parsers fill them, with no other change.
 */
interface BranchLike {
  readonly name?: string;
  readonly isElse?: boolean;
  readonly merge?: boolean;
  readonly modules: readonly ScenarioModule[];
  readonly span: Span;
}
interface ModuleExtras {
  readonly branches?: readonly BranchLike[];
  readonly kind?: string;
}

function extras(m: ScenarioModule): ModuleExtras {
  // every property of ModuleExtras is optional: a module is one, its extras absent until the model has them
  const loose: object = m;
  return loose;
}

/** The forks of a module, in source order: its router routes, or its if-else branches. */
export function forksOf(m: ScenarioModule): Fork[] {
  const branches = extras(m).branches;
  if (branches && branches.length > 0) {
    return branches.map((b, i) => ({
      label: b.isElse ? (b.name ? `else · ${b.name}` : 'else') : (b.name ?? `branch ${i + 1}`),
      modules: b.modules,
      span: b.span,
      merges: b.merge === true,
    }));
  }
  return m.routes.map((r, i) => ({ label: r.name ?? `route ${i + 1}`, modules: r.modules, span: r.span, merges: false }));
}

function nodeKindOf(m: ScenarioModule, isTrigger: boolean): MapNodeKind {
  if (isTrigger) return 'trigger';
  const kind = extras(m).kind;
  if (kind === 'if-else') return 'if-else';
  if (kind === 'merge') return 'merge';
  return m.isRouter ? 'router' : 'module';
}

/** `text` cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

const DIRECTIVE_TITLE: Readonly<Record<Directive, string>> = {
  break: 'Break',
  resume: 'Resume',
  ignore: 'Ignore',
  commit: 'Commit',
  rollback: 'Rollback',
};

function directiveSubtitle(route: ErrorHandlerRoute): string {
  if (route.unknownDirective !== undefined) return 'unknown directive';
  if (route.directive !== 'break') return route.directiveExplicit ? '' : 'default';
  return route.autoComplete ? `retry ${route.attempts}× / ${route.intervalMinutes} min` : 'no auto-retry';
}

function filterLabel(route: ErrorHandlerRoute): string {
  const filter = (route as ErrorHandlerRoute & { readonly filter?: { readonly name?: string } }).filter;
  if (route.errors !== null) return route.errors.join(', ');
  if (filter) return filter.name ? `filter: ${filter.name}` : 'filtered';
  return 'all errors';
}

// ---- grid fragments ------------------------------------------------------------------------------

interface GridNode {
  readonly key: string;
  readonly kind: MapNodeKind;
  readonly lane: MapLane;
  readonly moduleId?: number;
  readonly titleText: string;
  readonly subtitleText: string;
  readonly directive?: Directive;
  col: number;
  row: number;
  readonly reveal: Span;
  readonly span: Span;
}

interface GridEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: MapEdgeKind;
  readonly label?: string;
  /** Handler routes after the first under one module run along the left gutter. */
  readonly gutter?: boolean;
}

/** A laid-out piece: nodes in cells relative to its own top-left, `entry` its first node. */
interface Frag {
  readonly nodes: GridNode[];
  readonly edges: GridEdge[];
  width: number;
  height: number;
  entry?: string;
  /** Nodes whose outgoing flow continues with what follows the piece (the last module; merging branches' last modules). */
  tails: string[];
}

function emptyFrag(): Frag {
  return { nodes: [], edges: [], width: 0, height: 0, tails: [] };
}

/** Copies `part` into `into` with its cells moved by (col, row). */
function place(into: Frag, part: Frag, col: number, row: number): void {
  for (const n of part.nodes) {
    n.col += col;
    n.row += row;
    into.nodes.push(n);
  }
  into.edges.push(...part.edges);
  into.width = Math.max(into.width, col + part.width);
  into.height = Math.max(into.height, row + part.height);
}

class Builder {
  private next = 0;
  readonly nodeOfModule = new Map<number, string>();
  readonly directiveOfRoute = new Map<ErrorHandlerRoute, string>();

  constructor(private readonly trigger: ScenarioModule | undefined) {}

  private key(): string {
    return `n${this.next++}`;
  }

  chain(modules: readonly ScenarioModule[], lane: MapLane): Frag {
    const frag = emptyFrag();
    let col = 0;
    let tails: string[] = [];
    modules.forEach((m, i) => {
      const continues = i < modules.length - 1;
      const step = this.step(m, lane, continues);
      place(frag, step, col, 0);
      if (step.entry) {
        for (const t of tails) frag.edges.push({ from: t, to: step.entry, kind: lane === 'handler' ? 'handler' : 'flow' });
        frag.entry ??= step.entry;
      }
      tails = step.tails;
      col += step.width;
    });
    frag.tails = tails;
    return frag;
  }

  /** One module's block: its node, its handler routes below, its forks to the right. */
  private step(m: ScenarioModule, lane: MapLane, continues: boolean): Frag {
    const frag = emptyFrag();
    const key = this.key();
    if (!this.nodeOfModule.has(m.id)) this.nodeOfModule.set(m.id, key);
    const isTrigger = m === this.trigger;
    const kind = nodeKindOf(m, isTrigger);
    frag.nodes.push({
      key,
      kind,
      lane,
      moduleId: m.id,
      titleText: m.name ? `${m.id} · ${m.name}` : `${m.id}`,
      subtitleText: m.app,
      col: 0,
      row: 0,
      reveal: m.idSpan.end > m.idSpan.start ? m.idSpan : m.anchor,
      span: m.span,
    });
    frag.width = 1;
    frag.height = 1;
    frag.entry = key;

    // Error-handler routes, one below the other under the node.
    let row = 1;
    let handlerWidth = 0;
    m.onError.forEach((route, i) => {
      const h = this.handler(route);
      place(frag, h, 0, row);
      if (h.entry) frag.edges.push({ from: key, to: h.entry, kind: 'handler', label: filterLabel(route), gutter: i > 0 });
      row += h.height;
      handlerWidth = Math.max(handlerWidth, h.width);
    });
    const handlerBottom = row;

    // Forks to the right; a module after the router keeps row 0 for its flow edge.
    const forks = forksOf(m);
    let forkRow = continues && forks.length > 0 ? 1 : 0;
    const tails: string[] = [];
    let anyMerges = false;
    for (const fork of forks) {
      const f = fork.modules.length > 0 ? this.chain(fork.modules, lane) : this.emptyRoute(fork, lane);
      // A fork wider than one column would run over the handler routes' cells: go below them.
      if (handlerWidth > 1 && forkRow < handlerBottom && forkRow + f.height > 1) forkRow = Math.max(forkRow, handlerBottom);
      place(frag, f, 1, forkRow);
      if (f.entry) frag.edges.push({ from: key, to: f.entry, kind: 'route', label: fork.label });
      if (fork.merges) {
        anyMerges = true;
        tails.push(...f.tails);
      }
      forkRow += Math.max(1, f.height);
    }
    // What follows continues from the router itself, or from the branches that merge.
    frag.tails = anyMerges ? tails : [key];
    return frag;
  }

  private handler(route: ErrorHandlerRoute): Frag {
    const frag = route.modules.length > 0 ? this.chain(route.modules, 'handler') : emptyFrag();
    const key = this.key();
    this.directiveOfRoute.set(route, key);
    const directive: GridNode = {
      key,
      kind: 'directive',
      lane: 'handler',
      // A directive Fusion does not know is drawn as written, with no directive of its own (not the default Ignore).
      titleText: route.unknownDirective ?? DIRECTIVE_TITLE[route.directive],
      subtitleText: directiveSubtitle(route),
      ...(route.unknownDirective === undefined ? { directive: route.directive } : {}),
      col: frag.width,
      row: 0,
      reveal: route.directiveSpan ?? route.span,
      span: route.directiveSpan ?? route.span,
    };
    frag.nodes.push(directive);
    for (const t of frag.tails) frag.edges.push({ from: t, to: key, kind: 'handler' });
    frag.entry ??= key;
    frag.width += 1;
    frag.height = Math.max(frag.height, 1);
    frag.tails = [key];
    return frag;
  }

  private emptyRoute(fork: Fork, lane: MapLane): Frag {
    const key = this.key();
    return {
      nodes: [
        {
          key,
          kind: 'empty',
          lane,
          titleText: 'empty route',
          subtitleText: 'no modules',
          col: 0,
          row: 0,
          reveal: fork.span,
          span: fork.span,
        },
      ],
      edges: [],
      width: 1,
      height: 1,
      entry: key,
      tails: fork.merges ? [key] : [],
    };
  }
}

// ---- geometry ------------------------------------------------------------------------------------

function cellBox(n: GridNode): { x: number; y: number; width: number; height: number } {
  const small = n.kind === 'directive' || n.kind === 'empty';
  const width = small ? GEOMETRY.directiveWidth : GEOMETRY.nodeWidth;
  const height = small ? GEOMETRY.directiveHeight : GEOMETRY.nodeHeight;
  const x = GEOMETRY.padding + n.col * CELL_W + (GEOMETRY.nodeWidth - width) / 2;
  const y = GEOMETRY.padding + n.row * CELL_H + (GEOMETRY.nodeHeight - height) / 2;
  return { x, y, width, height };
}

type Box = { x: number; y: number; width: number; height: number };

function edgeGeometry(e: GridEdge, a: Box, b: Box): { points: Point[]; labelAt?: Point } {
  const r = (p: Point): Point => ({ x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 });
  const acy = a.y + a.height / 2;
  const bcy = b.y + b.height / 2;
  if (e.kind === 'handler' && b.y > a.y + a.height - 1) {
    // Down from the module to its handler route.
    if (!e.gutter) {
      const x = a.x + a.width / 2;
      const labelAt = { x: x + 8, y: a.y + a.height + GEOMETRY.rowGap / 2 + 4 };
      return {
        points: [
          { x, y: a.y + a.height },
          { x, y: b.y },
        ].map(r),
        labelAt: r(labelAt),
      };
    }
    const gx = GEOMETRY.padding + Math.floor((a.x - GEOMETRY.padding) / CELL_W) * CELL_W - GEOMETRY.columnGap / 2;
    const xs = Math.max(gx, 4);
    return {
      points: [
        { x: a.x, y: acy },
        { x: xs, y: acy },
        { x: xs, y: bcy },
        { x: b.x, y: bcy },
      ].map(r),
      labelAt: r({ x: b.x, y: b.y - 6 }),
    };
  }
  if (Math.abs(acy - bcy) < 0.5) {
    // Same row: straight across.
    return {
      points: [
        { x: a.x + a.width, y: acy },
        { x: b.x, y: bcy },
      ].map(r),
      ...(e.label ? { labelAt: r({ x: b.x, y: b.y - 6 }) } : {}),
    };
  }
  // Right, then down (or up) in the gap before the target, then right into it.
  const mid = b.x - GEOMETRY.columnGap / 2;
  return {
    points: [
      { x: a.x + a.width, y: acy },
      { x: mid, y: acy },
      { x: mid, y: bcy },
      { x: b.x, y: bcy },
    ].map(r),
    ...(e.label ? { labelAt: r({ x: b.x, y: b.y - 6 }) } : {}),
  };
}

type Nav = { left?: string; right?: string; up?: string; down?: string };

function groupBy(nodes: readonly GridNode[], line: (n: GridNode) => number): Map<number, GridNode[]> {
  const out = new Map<number, GridNode[]>();
  for (const n of nodes) {
    const list = out.get(line(n));
    if (list) list.push(n);
    else out.set(line(n), [n]);
  }
  return out;
}

/**
 * Arrow-key neighbours: the closest node in that direction, distance along the arrow plus twice
 * the distance across it (grid cells); ties go to the upper, then the left node. Rows (columns)
 * are visited nearest first and the search stops once no further line can win, so a large map
 * stays fast.
 */
function neighbours(nodes: readonly GridNode[]): Map<string, Nav> {
  const byRow = groupBy(nodes, (n) => n.row);
  const byCol = groupBy(nodes, (n) => n.col);
  const rows = [...byRow.keys()].sort((a, b) => a - b);
  const cols = [...byCol.keys()].sort((a, b) => a - b);
  const better = (a: GridNode, sa: number, b: GridNode | undefined, sb: number): boolean =>
    b === undefined || sa < sb || (sa === sb && (a.row < b.row || (a.row === b.row && a.col < b.col)));

  const search = (from: GridNode, horizontal: boolean, sign: 1 | -1): GridNode | undefined => {
    const lines = horizontal ? rows : cols;
    const index = horizontal ? byRow : byCol;
    const own = horizontal ? from.row : from.col;
    // Lines in order of distance from the node's own line: two pointers walking outwards.
    let lo = lines.indexOf(own);
    let hi = lo + 1;
    let found: GridNode | undefined;
    let bestScore = Infinity;
    while (lo >= 0 || hi < lines.length) {
      const takeLo = hi >= lines.length || (lo >= 0 && own - lines[lo] <= lines[hi] - own);
      const line = takeLo ? lines[lo--] : lines[hi++];
      const across = Math.abs(line - own);
      if (2 * across + 1 > bestScore) break;
      for (const n of index.get(line) ?? []) {
        const along = horizontal ? sign * (n.col - from.col) : sign * (n.row - from.row);
        if (along <= 0) continue;
        const score = along + 2 * across;
        if (better(n, score, found, bestScore)) {
          found = n;
          bestScore = score;
        }
      }
    }
    return found;
  };

  const out = new Map<string, Nav>();
  for (const n of nodes) {
    const left = search(n, true, -1);
    const right = search(n, true, 1);
    const up = search(n, false, -1);
    const down = search(n, false, 1);
    out.set(n.key, {
      ...(left ? { left: left.key } : {}),
      ...(right ? { right: right.key } : {}),
      ...(up ? { up: up.key } : {}),
      ...(down ? { down: down.key } : {}),
    });
  }
  return out;
}

/** The scenario's map: every module, route, handler route and directive, laid out. */
export function buildMap(scenario: Scenario): MapBuild {
  const builder = new Builder(scenario.modules[0]);
  const frag = builder.chain(scenario.modules, 'flow');
  const boxes = new Map<string, Box>();
  for (const n of frag.nodes) boxes.set(n.key, cellBox(n));
  const nav = neighbours(frag.nodes);
  const nodes: MapNode[] = frag.nodes.map((n) => {
    const box = boxes.get(n.key) as Box;
    const label = n.subtitleText ? `${n.titleText} — ${n.subtitleText}` : n.titleText;
    const small = n.kind === 'directive' || n.kind === 'empty';
    return {
      key: n.key,
      kind: n.kind,
      lane: n.lane,
      ...(n.moduleId !== undefined ? { moduleId: n.moduleId } : {}),
      title: shorten(n.titleText, small ? 16 : GEOMETRY.titleChars),
      subtitle: shorten(n.subtitleText, small ? 19 : GEOMETRY.subtitleChars),
      label,
      ...(n.directive ? { directive: n.directive } : {}),
      column: n.col,
      row: n.row,
      ...box,
      reveal: n.reveal,
      span: n.span,
      ...nav.get(n.key),
    };
  });
  const edges: MapEdge[] = frag.edges.map((e, i) => {
    const a = boxes.get(e.from) as Box;
    const b = boxes.get(e.to) as Box;
    const g = edgeGeometry(e, a, b);
    return {
      key: `e${i}`,
      from: e.from,
      to: e.to,
      kind: e.kind,
      ...(e.label !== undefined ? { label: shorten(e.label, GEOMETRY.labelChars) } : {}),
      ...(e.label !== undefined && g.labelAt ? { labelAt: g.labelAt } : {}),
      points: g.points,
    };
  });
  const width = GEOMETRY.padding * 2 + Math.max(1, frag.width) * CELL_W - GEOMETRY.columnGap;
  const height = GEOMETRY.padding * 2 + Math.max(1, frag.height) * CELL_H - GEOMETRY.rowGap;
  return {
    map: { name: scenario.name, nodes, edges, width, height },
    nodeOfModule: builder.nodeOfModule,
    directiveOfRoute: builder.directiveOfRoute,
  };
}

/**
 * The node the editor's cursor is in: the innermost node whose source span holds `offset` (a
 * handler route's directive, a handler module, a routed module, …), or undefined.
 */
export function nodeAtOffset(map: ScenarioMap, offset: number): MapNode | undefined {
  let best: MapNode | undefined;
  for (const n of map.nodes) {
    const inReveal = n.reveal.start <= offset && offset <= n.reveal.end;
    const inSpan = n.span.start <= offset && offset <= n.span.end;
    if (!inReveal && !inSpan) continue;
    const size = inReveal ? -1 : n.span.end - n.span.start;
    const bestSize = best ? (best.reveal.start <= offset && offset <= best.reveal.end ? -1 : best.span.end - best.span.start) : Infinity;
    if (size < bestSize) best = n;
  }
  return best;
}
