/*
 * Messages between the failure map panel (extension host) and its webview (media/map/map.js).
 * The webview only draws what it is sent and reports what the person did.
 */
import type { MapCategory, MapColouring, PickerGroup } from '../../core/map/colours';
import type { ScenarioMap } from '../../core/map/layout';
import type { SimulationOverlay } from '../../core/map/overlay';

/** Words of the view, translated in the extension (the webview has no l10n of its own). */
export interface MapStrings {
  readonly errorLabel: string;
  readonly familyPrefix: string;
  readonly familiesGroup: string;
  readonly unknownType: string;
  readonly simulate: string;
  readonly simulateTitle: string;
  readonly whatIf: string;
  readonly whatIfTitle: string;
  readonly clear: string;
  readonly bundleLabel: string;
  readonly allBundles: string;
  readonly bundle: string;
  readonly zoomIn: string;
  readonly zoomOut: string;
  readonly zoomReset: string;
  readonly legend: Readonly<Record<MapCategory, string>>;
  readonly legendTitle: string;
  readonly inMemory: string;
  readonly stale: string;
  readonly mapLabel: string;
  readonly help: string;
  readonly noSelection: string;
}

export type ToWebview =
  | { readonly type: 'init'; readonly strings: MapStrings; readonly picker: readonly PickerGroup[] }
  | {
      readonly type: 'model';
      readonly version: number;
      /** The document's URI (kept in the webview's state, so a restored panel finds its file). */
      readonly uri: string;
      readonly file: string;
      readonly map: ScenarioMap;
      readonly colouring: MapColouring;
      readonly selection: string;
      /** Shown above the map: a parse problem (the map is the last one that parsed), … */
      readonly problem?: string;
      /** Simulation is refused (structural findings): why. */
      readonly cannotSimulate?: string;
    }
  | { readonly type: 'colouring'; readonly version: number; readonly colouring: MapColouring; readonly selection: string }
  | { readonly type: 'overlay'; readonly version: number; readonly overlay: SimulationOverlay; readonly title: string }
  | { readonly type: 'highlight'; readonly key: string | null }
  | { readonly type: 'notice'; readonly text: string };

export type FromWebview =
  | { readonly type: 'ready'; readonly selection?: string }
  | { readonly type: 'select'; readonly selection: string }
  | { readonly type: 'reveal'; readonly key: string }
  | { readonly type: 'simulate'; readonly mode: 'file' | 'what-if'; readonly key?: string }
  | { readonly type: 'clearSimulation' };

/** Checks a message from the webview (it is untrusted input, like any other). */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof m[k] === 'string' ? m[k] : undefined);
  switch (m.type) {
    case 'ready': {
      const selection = str('selection');
      return selection !== undefined ? { type: 'ready', selection } : { type: 'ready' };
    }
    case 'select': {
      const selection = str('selection');
      return selection !== undefined ? { type: 'select', selection } : undefined;
    }
    case 'reveal': {
      const key = str('key');
      return key !== undefined ? { type: 'reveal', key } : undefined;
    }
    case 'simulate': {
      const mode = m.mode === 'what-if' ? 'what-if' : m.mode === 'file' ? 'file' : undefined;
      const key = str('key');
      if (!mode) return undefined;
      return key !== undefined ? { type: 'simulate', mode, key } : { type: 'simulate', mode };
    }
    case 'clearSimulation':
      return { type: 'clearSimulation' };
    default:
      return undefined;
  }
}
