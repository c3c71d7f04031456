// @ts-check
// The failure map's webview: draws the SVG model the extension sends (src/core/map computes the
// layout, the colours and the simulation paths) and reports clicks, keys and picks back. No
// framework, no remote resource, no decision of its own: every text and number comes in a message.
/* global document, window, acquireVsCodeApi */
(function () {
  'use strict';
  /** @type {{ postMessage(m: unknown): void, getState(): any, setState(s: unknown): void }} */
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const GLYPH = { stopped: '■', 'stored-retry': '↻', stored: '‖', fails: '✕', handled: '✓', depends: '?', unknown: '!' };
  /** Event kinds of a simulation → the legend category whose colour they take. */
  const EVENT_CATEGORY = {
    'stored-retry': 'stored-retry',
    stored: 'stored',
    failed: 'fails',
    'rolled-back': 'fails',
    stopped: 'stopped',
    dropped: 'handled',
    resumed: 'handled',
    committed: 'handled',
  };

  const saved = vscode.getState() || {};
  const state = {
    uri: typeof saved.uri === 'string' ? saved.uri : undefined,
    selection: typeof saved.selection === 'string' ? saved.selection : undefined,
    bundle: typeof saved.bundle === 'string' ? saved.bundle : 'all',
    focus: typeof saved.focus === 'string' ? saved.focus : undefined,
    zoom: typeof saved.zoom === 'number' ? saved.zoom : 1,
    scrollLeft: typeof saved.scrollLeft === 'number' ? saved.scrollLeft : 0,
    scrollTop: typeof saved.scrollTop === 'number' ? saved.scrollTop : 0,
  };
  function persist() {
    vscode.setState(state);
  }

  /** @type {any} */ let strings;
  /** @type {any} */ let model;
  /** @type {any} */ let colouring;
  /** @type {any} */ let overlay;
  let overlayTitle = '';
  let version = -1;
  let highlighted = /** @type {string | null} */ (null);
  /** @type {Map<string, any>} */ let nodesByKey = new Map();
  /** @type {Map<string, SVGGElement>} */ let nodeEls = new Map();
  /** @type {Map<string, SVGPathElement>} */ let edgeEls = new Map();
  let restoredScroll = false;

  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /** @param {string} tag @param {Record<string, string | number>} [attrs] @param {string} [text] */
  function h(tag, attrs, text) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  }
  /** @param {string} tag @param {Record<string, string | number>} [attrs] @param {string} [text] */
  function s(tag, attrs, text) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  }
  /** @param {string} template @param {string | number} value */
  function fill(template, value) {
    return template.replace('{0}', String(value));
  }

  // ---- page skeleton (built once the strings arrive) ---------------------------------------------

  /** @type {Record<string, any>} */ const ui = {};

  function buildPage() {
    app.textContent = '';
    const bar = h('div', { class: 'toolbar', role: 'toolbar' });
    const pick = h('label', { class: 'pick' });
    pick.append(h('span', {}, strings.errorLabel));
    ui.picker = h('select', { id: 'error-picker' });
    for (const g of strings.pickerGroups) {
      const og = h('optgroup', { label: g.family });
      for (const t of g.types) og.append(h('option', { value: `type:${t}` }, t));
      ui.picker.append(og);
    }
    const fam = h('optgroup', { label: strings.familiesGroup });
    for (const g of strings.pickerGroups) fam.append(h('option', { value: `family:${g.family}` }, fill(strings.familyPrefix, g.family)));
    fam.append(h('option', { value: 'unknown' }, strings.unknownType));
    ui.picker.append(fam);
    ui.picker.addEventListener('change', () => {
      state.selection = ui.picker.value;
      persist();
      vscode.postMessage({ type: 'select', selection: ui.picker.value });
    });
    pick.append(ui.picker);
    bar.append(pick);

    const sim = h('span', { class: 'group' });
    ui.simulate = h('button', { id: 'simulate', title: strings.simulateTitle }, strings.simulate);
    ui.simulate.addEventListener('click', () => vscode.postMessage({ type: 'simulate', mode: 'file' }));
    ui.whatIf = h('button', { id: 'what-if', class: 'secondary', title: strings.whatIfTitle }, strings.whatIf);
    ui.whatIf.addEventListener('click', () => vscode.postMessage({ type: 'simulate', mode: 'what-if', key: state.focus }));
    ui.bundleWrap = h('label', { class: 'bundle', hidden: '' });
    ui.bundleWrap.append(h('span', {}, strings.bundleLabel));
    ui.bundle = h('select', { id: 'bundle-picker' });
    ui.bundle.addEventListener('change', () => {
      state.bundle = ui.bundle.value;
      persist();
      drawOverlay();
    });
    ui.bundleWrap.append(ui.bundle);
    ui.clear = h('button', { id: 'clear', class: 'secondary', hidden: '' }, strings.clear);
    ui.clear.addEventListener('click', () => {
      overlay = undefined;
      vscode.postMessage({ type: 'clearSimulation' });
      drawOverlay();
    });
    sim.append(ui.simulate, ui.whatIf, ui.bundleWrap, ui.clear);
    bar.append(sim);

    const zoom = h('span', { class: 'group zoom' });
    const zb = (/** @type {string} */ label, /** @type {string} */ text, /** @type {() => void} */ fn) => {
      const b = h('button', { class: 'icon', title: label, 'aria-label': label }, text);
      b.addEventListener('click', fn);
      return b;
    };
    zoom.append(
      zb(strings.zoomOut, '−', () => setZoom(state.zoom / 1.25)),
      zb(strings.zoomReset, '1:1', () => setZoom(1)),
      zb(strings.zoomIn, '+', () => setZoom(state.zoom * 1.25)),
    );
    bar.append(zoom);

    ui.legend = h('div', { class: 'legend', role: 'list', 'aria-label': strings.legendTitle });
    ui.banner = h('div', { class: 'banner', role: 'status', hidden: '' });
    ui.simInfo = h('div', { class: 'sim-info', role: 'status', hidden: '' });
    ui.canvas = h('div', { class: 'canvas', id: 'canvas' });
    ui.canvas.addEventListener('scroll', () => {
      state.scrollLeft = ui.canvas.scrollLeft;
      state.scrollTop = ui.canvas.scrollTop;
      persist();
    });
    ui.canvas.addEventListener(
      'wheel',
      (/** @type {WheelEvent} */ e) => {
        if (!e.ctrlKey) return;
        e.preventDefault();
        setZoom(state.zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
      },
      { passive: false },
    );
    ui.details = h('div', { class: 'details', 'aria-live': 'polite' });
    ui.help = h('div', { class: 'help' }, strings.help);
    app.append(bar, ui.legend, ui.banner, ui.simInfo, ui.canvas, ui.details, ui.help);
    app.removeAttribute('aria-busy');
  }

  function setZoom(/** @type {number} */ z) {
    state.zoom = Math.min(3, Math.max(0.2, z));
    persist();
    const svg = ui.canvas.querySelector('svg');
    if (svg && model) {
      svg.setAttribute('width', String(Math.round(model.width * state.zoom)));
      svg.setAttribute('height', String(Math.round(model.height * state.zoom)));
    }
  }

  // ---- drawing -------------------------------------------------------------------------------

  function drawLegend() {
    ui.legend.textContent = '';
    ui.legend.append(h('span', { class: 'legend-title' }, strings.legendTitle));
    for (const cat of strings.categories) {
      const item = h('span', { class: `legend-item cat-${cat}`, role: 'listitem' });
      item.append(h('span', { class: 'swatch', 'aria-hidden': 'true' }, GLYPH[cat]), h('span', {}, strings.legend[cat]));
      const n = colouring && colouring.counts ? colouring.counts[cat] : 0;
      item.append(h('span', { class: 'count' }, String(n)));
      ui.legend.append(item);
    }
  }

  function polyline(/** @type {{x:number,y:number}[]} */ pts) {
    return pts.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`).join(' ');
  }

  function drawMap() {
    const svg = s('svg', {
      viewBox: `0 0 ${model.width} ${model.height}`,
      role: 'group',
      'aria-label': `${strings.mapLabel}: ${model.name}`,
    });
    const defs = s('defs');
    for (const id of ['arrow', 'arrow-handler', 'arrow-visited']) {
      const m = s('marker', {
        id,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerUnits: 'userSpaceOnUse',
        markerWidth: 9,
        markerHeight: 9,
        orient: 'auto-start-reverse',
      });
      m.append(s('path', { d: 'M0 0 L10 5 L0 10 z', class: `marker ${id}` }));
      defs.append(m);
    }
    svg.append(defs);
    const edges = s('g', { class: 'edges' });
    const labels = s('g', { class: 'labels' });
    edgeEls = new Map();
    for (const e of model.edges) {
      const p = s('path', {
        d: polyline(e.points),
        class: `edge kind-${e.kind}`,
        'marker-end': `url(#${e.kind === 'handler' ? 'arrow-handler' : 'arrow'})`,
      });
      edges.append(p);
      edgeEls.set(e.key, /** @type {SVGPathElement} */ (p));
      if (e.label && e.labelAt) labels.append(s('text', { x: e.labelAt.x, y: e.labelAt.y, class: `edge-label kind-${e.kind}` }, e.label));
    }
    svg.append(edges, labels);
    const nodes = s('g', { class: 'nodes' });
    nodeEls = new Map();
    nodesByKey = new Map();
    for (const n of model.nodes) {
      nodesByKey.set(n.key, n);
      const g = /** @type {SVGGElement} */ (
        s('g', {
          class: `node kind-${n.kind} lane-${n.lane}${n.directive ? ` dir-${n.directive}` : ''}`,
          'data-key': n.key,
          tabindex: -1,
          role: 'button',
        })
      );
      const small = n.kind === 'directive' || n.kind === 'empty';
      g.append(s('rect', { class: 'box', x: n.x, y: n.y, width: n.width, height: n.height, rx: small ? n.height / 2 : 8 }));
      if (small) {
        g.append(s('text', { class: 'title', x: n.x + n.width / 2, y: n.y + (n.subtitle ? 15 : 21), 'text-anchor': 'middle' }, n.title));
        if (n.subtitle) g.append(s('text', { class: 'subtitle', x: n.x + n.width / 2, y: n.y + 28, 'text-anchor': 'middle' }, n.subtitle));
      } else {
        g.append(s('rect', { class: 'band', x: n.x, y: n.y, width: 6, height: n.height, rx: 3 }));
        g.append(s('text', { class: 'title', x: n.x + 16, y: n.y + 23 }, (n.kind === 'trigger' ? '▶ ' : '') + n.title));
        g.append(s('text', { class: 'subtitle', x: n.x + 16, y: n.y + 42 }, n.subtitle));
        g.append(s('circle', { class: 'glyph-bg', cx: n.x + n.width - 15, cy: n.y + 15, r: 9 }));
        g.append(s('text', { class: 'glyph', x: n.x + n.width - 15, y: n.y + 19, 'text-anchor': 'middle' }, ''));
      }
      g.append(s('title', {}, n.label));
      g.addEventListener('click', () => {
        focusNode(n.key, true);
        vscode.postMessage({ type: 'reveal', key: n.key });
      });
      g.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => onKey(e, n));
      g.addEventListener('focus', () => select(n.key));
      nodes.append(g);
      nodeEls.set(n.key, g);
    }
    svg.append(nodes);
    svg.append(s('g', { class: 'badges' }));
    ui.canvas.textContent = '';
    ui.canvas.append(svg);
    fitTexts();
    setZoom(state.zoom);
    if (!restoredScroll) {
      restoredScroll = true;
      ui.canvas.scrollLeft = state.scrollLeft;
      ui.canvas.scrollTop = state.scrollTop;
    }
    if (!state.focus || !nodesByKey.has(state.focus)) state.focus = model.nodes[0] ? model.nodes[0].key : undefined;
    roving();
    applyColours();
    applyHighlight();
    drawOverlay();
    drawDetails();
  }

  /**
   * The core shortens names by a character count; a wide font may still overflow a node, so each
   * line is measured once drawn and cut further (with an ellipsis) until it fits.
   */
  function fitTexts() {
    for (const [key, g] of nodeEls) {
      const n = nodesByKey.get(key);
      const small = n.kind === 'directive' || n.kind === 'empty';
      for (const t of g.querySelectorAll('text.title, text.subtitle')) {
        const el = /** @type {SVGTextElement} */ (t);
        const room = small ? n.width - 12 : n.width - (el.classList.contains('title') ? 46 : 22);
        let text = el.textContent || '';
        if (typeof el.getComputedTextLength !== 'function') continue;
        while (text.length > 2 && el.getComputedTextLength() > room) {
          text = text.replace(/…$/, '').slice(0, -1).trimEnd() + '…';
          el.textContent = text;
        }
      }
    }
  }

  function roving() {
    for (const [key, el] of nodeEls) el.setAttribute('tabindex', key === state.focus ? '0' : '-1');
  }

  function applyColours() {
    if (!colouring) return;
    for (const [key, el] of nodeEls) {
      const c = colouring.nodes[key];
      el.classList.forEach((cls) => {
        if (cls.startsWith('cat-')) el.classList.remove(cls);
      });
      const n = nodesByKey.get(key);
      const glyph = el.querySelector('text.glyph');
      if (c) {
        el.classList.add(`cat-${c.category}`);
        if (glyph) glyph.textContent = GLYPH[c.category];
        el.setAttribute('aria-label', `${n.label}. ${strings.legend[c.category]}`);
        const t = el.querySelector('title');
        if (t) t.textContent = `${n.label}\n${c.reason}`;
      } else {
        el.setAttribute('aria-label', n.label);
      }
    }
    ui.picker.value = state.selection || ui.picker.value;
    drawLegend();
    drawDetails();
  }

  function applyHighlight() {
    for (const [key, el] of nodeEls) el.classList.toggle('current', key === highlighted);
    const el = highlighted ? nodeEls.get(highlighted) : undefined;
    if (el) {
      const n = nodesByKey.get(/** @type {string} */ (highlighted));
      const z = state.zoom;
      const c = ui.canvas;
      const left = n.x * z,
        top = n.y * z,
        right = (n.x + n.width) * z,
        bottom = (n.y + n.height) * z;
      if (left < c.scrollLeft || right > c.scrollLeft + c.clientWidth || top < c.scrollTop || bottom > c.scrollTop + c.clientHeight) {
        c.scrollTo({ left: Math.max(0, left - c.clientWidth / 3), top: Math.max(0, top - c.clientHeight / 3) });
      }
    }
  }

  function currentPaths() {
    if (!overlay) return [];
    if (state.bundle === 'all') return overlay.bundles;
    return overlay.bundles.filter((/** @type {any} */ b) => String(b.bundle) === state.bundle);
  }

  function drawOverlay() {
    const svg = ui.canvas.querySelector('svg');
    if (!svg) return;
    const badges = /** @type {SVGGElement} */ (svg.querySelector('g.badges'));
    badges.textContent = '';
    svg.classList.toggle('with-overlay', !!overlay);
    ui.bundleWrap.hidden = !overlay;
    ui.clear.hidden = !overlay;
    ui.simInfo.hidden = !overlay;
    for (const el of nodeEls.values()) el.classList.remove('visited', 'unvisited');
    for (const el of edgeEls.values()) {
      el.classList.remove('visited');
      el.setAttribute('marker-end', el.classList.contains('kind-handler') ? 'url(#arrow-handler)' : 'url(#arrow)');
    }
    if (!overlay) {
      drawDetails();
      return;
    }
    // bundle picker
    const options = [
      ['all', strings.allBundles],
      ...overlay.bundles.map((/** @type {any} */ b) => [String(b.bundle), `${fill(strings.bundle, b.bundle)} · ${b.result}`]),
    ];
    ui.bundle.textContent = '';
    for (const [value, label] of options) ui.bundle.append(h('option', { value }, label));
    if (!options.some(([v]) => v === state.bundle)) state.bundle = 'all';
    ui.bundle.value = state.bundle;
    ui.simInfo.textContent = '';
    ui.simInfo.append(
      h('strong', {}, overlayTitle),
      h('span', {}, ` · ${overlay.runResult} · ${overlay.profile} · `),
      h('em', {}, strings.inMemory),
    );

    const paths = currentPaths();
    const visited = new Set();
    const edges = new Set();
    /** @type {Map<string, any[]>} */ const events = new Map();
    for (const b of paths) {
      for (const k of b.nodes) visited.add(k);
      for (const k of b.edges) edges.add(k);
      for (const ev of b.events) {
        const list = events.get(ev.node) || [];
        list.push(ev);
        events.set(ev.node, list);
      }
    }
    for (const [key, el] of nodeEls) el.classList.add(visited.has(key) ? 'visited' : 'unvisited');
    for (const [key, el] of edgeEls) {
      if (edges.has(key)) {
        el.classList.add('visited');
        el.setAttribute('marker-end', 'url(#arrow-visited)');
      }
    }
    for (const [key, list] of events) {
      const n = nodesByKey.get(key);
      if (!n) continue;
      const shown = list
        .slice(0, 4)
        .map((/** @type {any} */ ev) => ({ ev, text: `B${ev.bundle} ${GLYPH[EVENT_CATEGORY[ev.kind]] || ''}` }));
      // right-aligned above the node, clear of a route label at its top-left
      const widths = shown.map((b) => 14 + b.text.length * 7);
      let x = n.x + n.width - 6 - widths.reduce((a, b) => a + b + 4, 0) - (list.length > 4 ? 22 : 0);
      for (const [i, { ev, text }] of shown.entries()) {
        const w = widths[i];
        const g = s('g', { class: `badge cat-${EVENT_CATEGORY[ev.kind]}` });
        g.append(
          s('rect', { x, y: n.y - 21, width: w, height: 18, rx: 9 }),
          s('text', { x: x + w / 2, y: n.y - 8, 'text-anchor': 'middle' }, text),
          s('title', {}, ev.text),
        );
        badges.append(g);
        x += w + 4;
      }
      if (list.length > 4) badges.append(s('text', { class: 'badge-more', x, y: n.y - 8 }, `+${list.length - 4}`));
    }
    drawDetails();
  }

  function drawDetails() {
    if (!ui.details) return;
    ui.details.textContent = '';
    const n = state.focus ? nodesByKey.get(state.focus) : undefined;
    if (!n) return;
    ui.details.append(h('div', { class: 'details-title' }, n.label));
    const c = colouring && colouring.nodes[n.key];
    if (c) {
      const line = h('div', { class: `details-reason cat-${c.category}` });
      line.append(h('span', { class: 'swatch', 'aria-hidden': 'true' }, GLYPH[c.category]), h('span', {}, c.reason));
      ui.details.append(line);
    }
    for (const b of currentPaths())
      for (const ev of b.events)
        if (ev.node === n.key) ui.details.append(h('div', { class: `details-event cat-${EVENT_CATEGORY[ev.kind]}` }, ev.text));
  }

  function select(/** @type {string} */ key) {
    state.focus = key;
    persist();
    for (const [k, el] of nodeEls) el.classList.toggle('selected', k === key);
    roving();
    drawDetails();
  }

  function focusNode(/** @type {string} */ key, /** @type {boolean} */ fromClick) {
    const el = nodeEls.get(key);
    if (!el) return;
    select(key);
    if (!fromClick) el.focus();
    else el.focus({ preventScroll: true });
  }

  function onKey(/** @type {KeyboardEvent} */ e, /** @type {any} */ n) {
    const dir = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' }[e.key];
    if (dir) {
      e.preventDefault();
      if (n[dir]) focusNode(n[dir], false);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      vscode.postMessage({ type: 'reveal', key: n.key });
      return;
    }
    if (e.key === 'Home' && model.nodes[0]) {
      e.preventDefault();
      focusNode(model.nodes[0].key, false);
    }
  }

  function showBanner(/** @type {string | undefined} */ text) {
    if (!ui.banner) return;
    ui.banner.hidden = !text;
    ui.banner.textContent = text || '';
  }

  // ---- messages ------------------------------------------------------------------------------

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'init':
        strings = { ...m.strings, pickerGroups: m.picker, categories: Object.keys(m.strings.legend) };
        buildPage();
        if (state.selection) ui.picker.value = state.selection;
        break;
      case 'model':
        if (!strings || m.version < version) return; // an older text than what is drawn
        if (state.uri !== m.uri) {
          // another document: its own drawing, nothing of the previous one
          if (state.uri !== undefined) {
            state.focus = undefined;
            state.scrollLeft = 0;
            state.scrollTop = 0;
            restoredScroll = false;
          }
          version = -1;
          overlay = undefined;
        }
        if (m.version !== version) overlay = undefined;
        version = m.version;
        state.uri = m.uri;
        state.selection = m.selection;
        persist();
        model = m.map;
        colouring = m.colouring;
        showBanner(m.problem);
        ui.simulate.disabled = !!m.cannotSimulate;
        ui.whatIf.disabled = !!m.cannotSimulate;
        ui.simulate.title = m.cannotSimulate ? m.cannotSimulate : strings.simulateTitle;
        drawMap();
        break;
      case 'colouring':
        if (m.version !== version) return;
        colouring = m.colouring;
        state.selection = m.selection;
        persist();
        applyColours();
        break;
      case 'overlay':
        if (m.version !== version) return; // simulated on another text
        overlay = m.overlay;
        overlayTitle = m.title;
        drawOverlay();
        break;
      case 'highlight':
        highlighted = m.key;
        applyHighlight();
        break;
      case 'notice':
        showBanner(m.text);
        break;
    }
  });

  vscode.postMessage({ type: 'ready', ...(state.selection ? { selection: state.selection } : {}) });
})();
