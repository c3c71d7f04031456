/*
 * The failure map panel: one webview that follows a scenario document. Everything it shows is
 * computed by src/core/map (layout, colours through the classifier, simulation overlay through the
 * simulator, in memory); this class reads documents, debounces edits, posts the results and turns
 * the webview's clicks into editor actions.
 */
import * as vscode from 'vscode';
import { structuralFindings, type ParsedScenario } from '../../core/lint/lint';
import {
  colourMap,
  DEFAULT_SELECTION,
  parseSelection,
  pickerGroups,
  selectionValue,
  type ErrorSelection,
  type MapCategory,
  type MapColouring,
} from '../../core/map/colours';
import { buildMap, nodeAtOffset, type MapBuild } from '../../core/map/layout';
import { simulationOverlay, whatIfScenario, type SimulationOverlay } from '../../core/map/overlay';
import { findModule, type Scenario } from '../../core/model';
import { simulate } from '../../core/simulate/simulator';
import { isScenarioDocument } from '../scenario/documentSelector';
import { parsedDocument } from '../scenario/parsed';
import { defaultProfile } from '../shared/settings';
import { mapHtml, webviewOptions } from './html';
import { parseFromWebview, type FromWebview, type MapStrings, type ToWebview } from './protocol';

export const MAP_VIEW_TYPE = 'fusionExecutions.failureMap';
/** Edits are drawn this long after the last keystroke. */
const DEBOUNCE_MS = 300;
/** The error type a "what if" uses for "a type the catalogue does not know". */
const CUSTOM_TYPE = 'CustomAppError';

/** What the panel last sent, for tests and the state command. */
export interface FailureMapState {
  readonly uri: string;
  readonly version: number;
  readonly nodes: number;
  readonly selection: string;
  readonly colouring: MapColouring | undefined;
  readonly highlighted: string | null;
  readonly highlightedModule: number | null;
  readonly overlay: SimulationOverlay | undefined;
  readonly problem: string | undefined;
  readonly visible: boolean;
}

function strings(): MapStrings {
  const legend: Record<MapCategory, string> = {
    stopped: vscode.l10n.t('stopped'),
    'stored-retry': vscode.l10n.t('stored with retry'),
    stored: vscode.l10n.t('stored without retry'),
    fails: vscode.l10n.t('fails'),
    handled: vscode.l10n.t('handled'),
    depends: vscode.l10n.t('depends'),
    unknown: vscode.l10n.t('unknown directive'),
  };
  return {
    errorLabel: vscode.l10n.t('When a module fails with'),
    familyPrefix: vscode.l10n.t('any {0} error', '{0}'),
    familiesGroup: vscode.l10n.t('Error families'),
    unknownType: vscode.l10n.t('a type the catalogue does not know (custom app)'),
    simulate: vscode.l10n.t('Simulate'),
    simulateTitle: vscode.l10n.t(
      "Run the file's simulation block in memory and draw each bundle's path (nothing is stored; Fusion: Run Simulation stores)",
    ),
    whatIf: vscode.l10n.t('What if it fails here?'),
    whatIfTitle: vscode.l10n.t('Simulate one bundle in which the selected module fails with the chosen error type (in memory)'),
    clear: vscode.l10n.t('Clear'),
    bundleLabel: vscode.l10n.t('Bundle'),
    allBundles: vscode.l10n.t('all bundles'),
    bundle: vscode.l10n.t('bundle {0}', '{0}'),
    zoomIn: vscode.l10n.t('Zoom in'),
    zoomOut: vscode.l10n.t('Zoom out'),
    zoomReset: vscode.l10n.t('Actual size'),
    legend,
    legendTitle: vscode.l10n.t('What happens'),
    inMemory: vscode.l10n.t('in memory: nothing was written to the executions file'),
    stale: vscode.l10n.t('The scenario changed since this simulation: run it again.'),
    mapLabel: vscode.l10n.t('Failure map'),
    help: vscode.l10n.t('Arrow keys move between modules, Enter shows the module in the editor.'),
    noSelection: vscode.l10n.t('Select a module first (click it or move to it with the arrow keys).'),
  };
}

function describeProblem(parsed: ParsedScenario): string | undefined {
  const first = structuralFindings(parsed.findings)[0];
  if (!first) return undefined;
  return `${first.range.start.line + 1}:${first.range.start.character + 1}: ${first.message}`;
}

export class FailureMapPanel implements vscode.Disposable {
  private static current: FailureMapPanel | undefined;

  private doc: vscode.TextDocument;
  private selection: ErrorSelection = DEFAULT_SELECTION;
  private build: MapBuild | undefined;
  private scenario: Scenario | undefined;
  private builtVersion = -1;
  private colouring: MapColouring | undefined;
  private overlay: SimulationOverlay | undefined;
  private overlayTitle = '';
  private problem: string | undefined;
  private highlighted: string | null = null;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens the map of `doc` (or moves the open map to it) beside the editor. */
  static show(
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
    doc: vscode.TextDocument,
    selection?: ErrorSelection,
  ): FailureMapPanel {
    const existing = FailureMapPanel.current;
    if (existing) {
      existing.retarget(doc);
      if (selection) existing.setSelection(selection);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      MAP_VIEW_TYPE,
      vscode.l10n.t('Failure map'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    FailureMapPanel.current = new FailureMapPanel(panel, extensionUri, log, doc, selection);
    return FailureMapPanel.current;
  }

  /** A panel VS Code restored after a reload (its webview state names the document). */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
    doc: vscode.TextDocument,
    selection?: ErrorSelection,
  ): FailureMapPanel {
    FailureMapPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    FailureMapPanel.current = new FailureMapPanel(panel, extensionUri, log, doc, selection);
    return FailureMapPanel.current;
  }

  static get active(): FailureMapPanel | undefined {
    return FailureMapPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    doc: vscode.TextDocument,
    selection: ErrorSelection | undefined,
  ) {
    this.doc = doc;
    if (selection) this.selection = selection;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'fusion.svg');
    panel.webview.html = mapHtml(panel.webview, extensionUri, vscode.l10n.t('Failure map'));
    this.setTitle();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState(() => {
        // a webview shown again is a new page: it asks for the model with 'ready'
        if (!panel.visible) this.ready = false;
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.doc && e.contentChanges.length > 0) this.schedule();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document === this.doc) this.highlightCursor(e.textEditor);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document !== this.doc && isScenarioDocument(editor.document)) this.retarget(editor.document);
      }),
      // closed and opened again: a new document object for the same file
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d !== this.doc && d.uri.toString() === this.doc.uri.toString()) {
          this.doc = d;
          this.schedule();
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fusionExecutions.profile')) this.refresh();
      }),
    );
    this.refresh();
  }

  get state(): FailureMapState {
    const node = this.highlighted ? this.build?.map.nodes.find((n) => n.key === this.highlighted) : undefined;
    return {
      uri: this.doc.uri.toString(),
      version: this.builtVersion,
      nodes: this.build?.map.nodes.length ?? 0,
      selection: selectionValue(this.selection),
      colouring: this.colouring,
      highlighted: this.highlighted,
      highlightedModule: node?.moduleId ?? null,
      overlay: this.overlay,
      problem: this.problem,
      visible: this.panel.visible,
    };
  }

  get document(): vscode.TextDocument {
    return this.doc;
  }

  /** Runs a simulation as the view's buttons do (also used by tests). */
  simulateNow(mode: 'file' | 'what-if', key?: string): SimulationOverlay | undefined {
    this.flush();
    return this.runSimulation(mode, key);
  }

  /** The node of a module id in the current drawing. */
  keyOfModule(id: number): string | undefined {
    this.flush();
    return this.build?.nodeOfModule.get(id);
  }

  setSelection(selection: ErrorSelection): void {
    this.selection = selection;
    this.recolour();
  }

  private setTitle(): void {
    // the file's name without its scenario extension: short, and not the editor tab's own title
    const name = this.doc.uri.path.replace(/^.*\//, '').replace(/\.(scenario\.ya?ml|blueprint\.json|ya?ml|json)$/i, '');
    this.panel.title = vscode.l10n.t('Failure map: {0}', name);
  }

  private retarget(doc: vscode.TextDocument): void {
    if (doc === this.doc) return;
    this.doc = doc;
    this.build = undefined;
    this.scenario = undefined;
    this.overlay = undefined;
    this.highlighted = null;
    this.builtVersion = -1;
    this.setTitle();
    this.refresh();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, DEBOUNCE_MS);
  }

  /** Draws a pending edit now. */
  private flush(): void {
    if (this.timer || this.builtVersion !== this.doc.version) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.refresh();
    }
  }

  private profile(): ReturnType<typeof defaultProfile> {
    return defaultProfile(this.doc.uri);
  }

  /** Rebuilds the map from the document's current text (a failed parse keeps the last good map). */
  private refresh(): void {
    const version = this.doc.version;
    try {
      const parsed = parsedDocument(this.doc);
      if (parsed.scenario) {
        this.scenario = parsed.scenario;
        this.build = buildMap(parsed.scenario);
        this.problem = describeProblem(parsed);
      } else {
        this.problem = describeProblem(parsed) ?? vscode.l10n.t('The file is not a scenario.');
      }
      if (this.scenario && this.build) this.colouring = colourMap(this.scenario, this.build.map, this.selection, this.profile());
      // a simulation of an older text no longer matches the drawing
      if (this.builtVersion !== version) this.overlay = undefined;
      this.builtVersion = version;
      this.postModel();
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.doc);
      if (editor) this.highlightCursor(editor);
    } catch (e) {
      this.log.error(`Failure map of ${this.doc.uri.toString()}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  private recolour(): void {
    if (!this.scenario || !this.build) return;
    this.colouring = colourMap(this.scenario, this.build.map, this.selection, this.profile());
    this.post({ type: 'colouring', version: this.builtVersion, colouring: this.colouring, selection: selectionValue(this.selection) });
  }

  private postModel(): void {
    if (!this.build || !this.colouring) {
      if (this.problem) this.post({ type: 'notice', text: this.problem });
      return;
    }
    const parsed = parsedDocument(this.doc);
    const structural = parsed.scenario ? describeProblem(parsed) : undefined;
    this.post({
      type: 'model',
      version: this.builtVersion,
      uri: this.doc.uri.toString(),
      file: vscode.workspace.asRelativePath(this.doc.uri),
      map: this.build.map,
      colouring: this.colouring,
      selection: selectionValue(this.selection),
      ...(this.problem ? { problem: this.problem } : {}),
      ...(structural ? { cannotSimulate: structural } : {}),
    });
    if (this.overlay) this.post({ type: 'overlay', version: this.builtVersion, overlay: this.overlay, title: this.overlayTitle });
  }

  private highlightCursor(editor: vscode.TextEditor): void {
    if (!this.build || this.builtVersion !== this.doc.version) return; // offsets of an older text
    const node = nodeAtOffset(this.build.map, this.doc.offsetAt(editor.selection.active));
    const key = node?.key ?? null;
    if (key === this.highlighted) return;
    this.highlighted = key;
    this.post({ type: 'highlight', key });
  }

  private post(message: ToWebview): void {
    if (!this.ready && message.type !== 'init') return;
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const message: FromWebview | undefined = parseFromWebview(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const saved = message.selection !== undefined ? parseSelection(message.selection) : undefined;
        if (saved) this.selection = saved;
        void this.panel.webview.postMessage({ type: 'init', strings: strings(), picker: pickerGroups() } satisfies ToWebview);
        this.flush();
        if (this.scenario && this.build) this.colouring = colourMap(this.scenario, this.build.map, this.selection, this.profile());
        this.postModel();
        if (this.highlighted) this.post({ type: 'highlight', key: this.highlighted });
        return;
      }
      case 'select': {
        const selection = parseSelection(message.selection);
        if (selection) this.setSelection(selection);
        return;
      }
      case 'reveal':
        void this.reveal(message.key);
        return;
      case 'simulate':
        this.runSimulation(message.mode, message.key);
        return;
      case 'clearSimulation':
        this.overlay = undefined;
        return;
    }
  }

  private async reveal(key: string): Promise<void> {
    const node = this.build?.map.nodes.find((n) => n.key === key);
    if (!node || this.builtVersion !== this.doc.version) return;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === this.doc);
    const editor = await vscode.window.showTextDocument(this.doc, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
      preview: false,
    });
    const range = new vscode.Range(this.doc.positionAt(node.reveal.start), this.doc.positionAt(node.reveal.end));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private runSimulation(mode: 'file' | 'what-if', key?: string): SimulationOverlay | undefined {
    const parsed = parsedDocument(this.doc);
    const structural = describeProblem(parsed);
    if (!parsed.scenario || structural || !this.build) {
      this.post({
        type: 'notice',
        text: vscode.l10n.t('Cannot simulate: {0}', structural ?? vscode.l10n.t('the scenario cannot be read')),
      });
      return undefined;
    }
    let scenario = parsed.scenario;
    let title: string;
    if (mode === 'what-if') {
      const node = key ? this.build.map.nodes.find((n) => n.key === key) : undefined;
      const module = node?.moduleId !== undefined ? findModule(scenario, node.moduleId) : undefined;
      if (!module) {
        this.post({ type: 'notice', text: strings().noSelection });
        return undefined;
      }
      const s = this.selection;
      if (s.kind === 'family') {
        this.post({ type: 'notice', text: vscode.l10n.t('Choose one error type (not a family) for "what if".') });
        return undefined;
      }
      const type = s.kind === 'type' ? s.name : CUSTOM_TYPE;
      scenario = whatIfScenario(scenario, module.id, type);
      title = vscode.l10n.t('What if module {0} fails with {1}', module.id, type);
    } else {
      const bundles = scenario.simulation?.bundles ?? 1;
      title = scenario.simulation
        ? vscode.l10n.t("The file's simulation: {0} bundle(s), {1} fault(s)", bundles, scenario.simulation.faults.length)
        : vscode.l10n.t('The file has no simulation block: one bundle, no faults');
    }
    let n = 0;
    const report = simulate(scenario, { profile: this.profile(), newId: () => `map-${++n}` });
    this.overlay = simulationOverlay(this.build, report);
    this.overlayTitle = title;
    this.post({ type: 'overlay', version: this.builtVersion, overlay: this.overlay, title });
    return this.overlay;
  }

  dispose(): void {
    if (FailureMapPanel.current === this) FailureMapPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
