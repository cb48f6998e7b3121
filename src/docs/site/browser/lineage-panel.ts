/**
 * A node page's lineage section: the model graph of the node's neighbourhood (depth controls
 * and a selector box), and column lineage — pick a column, and the graph turns into the boxes
 * and columns it comes from, with the traced list as text beside it.
 */
import { type ColumnTrace, traceColumn } from './column-trace.js';
import { h, replace } from './dom.js';
import { neighbourhood, neighbourhoodSelector, SelectorError, select } from './graph-select.js';
import { type DrawnGraph, drawGraph, type GraphColumn, type GraphEdge, type GraphNode } from './lineage-graph.js';
import { nodeHref } from './router.js';
import type { SiteNodeDetail } from './site-data.js';
import { type Store, TYPE_LABELS } from './store.js';

export interface LineagePanel {
  element: HTMLElement;
  /** Draws the graph (once the panel is in the page, so its width is known). */
  start(): void;
  traceColumn(column: string): Promise<void>;
}

/** Most nodes a graph draws: beyond it the walk stops, nearest first, and says so. */
const GRAPH_LIMIT = 150;
const DEFAULT_UP = 2;
const DEFAULT_DOWN = 1;

export function createLineagePanel(store: Store, position: number, detail: SiteNodeDetail, onTrace: (column: string | undefined) => void): LineagePanel {
  const node = store.nodes[position];
  const name = node.n ?? node.l;
  let up = DEFAULT_UP;
  let down = DEFAULT_DOWN;
  let selector: string | undefined;
  let trace: ColumnTrace | undefined;
  let drawn: DrawnGraph | undefined;
  let token = 0;
  /** Fan-outs the reader opened (see GROUP_OVER). */
  const opened = new Set<string>();

  const upValue = h('output', { class: 'stepper-value', 'data-testid': 'depth-up' }, up);
  const downValue = h('output', { class: 'stepper-value', 'data-testid': 'depth-down' }, down);
  const stepper = (label: string, value: HTMLElement, testid: string, change: (delta: number) => void) =>
    h(
      'div',
      { class: 'stepper', role: 'group', 'aria-label': label },
      h('span', { class: 'stepper-label' }, label),
      h(
        'button',
        { type: 'button', class: 'btn btn-icon', 'data-testid': `${testid}-minus`, 'aria-label': `${label}: one level less`, onclick: () => change(-1) },
        '−',
      ),
      value,
      h(
        'button',
        { type: 'button', class: 'btn btn-icon', 'data-testid': `${testid}-plus`, 'aria-label': `${label}: one level more`, onclick: () => change(1) },
        '+',
      ),
    );
  const selectorInput = h('input', {
    class: 'selector-input',
    type: 'text',
    'data-testid': 'graph-selector',
    'aria-label': 'Graph selector',
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: '+name+, tag:x, type:source…',
    value: neighbourhoodSelector(name, up, down),
  });
  const form = h('form', { class: 'selector' }, selectorInput, h('button', { type: 'submit', class: 'btn', 'data-testid': 'graph-selector-apply' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = selectorInput.value.trim();
    const parsed = /^(\d+)\+(.+?)\+(\d+)$/.exec(text);
    selector = text && !(parsed && parsed[2] === name) ? text : undefined;
    opened.clear();
    if (parsed && parsed[2] === name) {
      up = Number(parsed[1]);
      down = Number(parsed[3]);
      syncSteppers();
    }
    trace = undefined;
    onTrace(undefined);
    draw();
  });

  const notice = h('div', { class: 'graph-notice', 'data-testid': 'graph-notice', 'aria-live': 'polite' });
  const canvas = h('div', { class: 'graph-canvas', 'data-testid': 'lineage-graph-container' }, h('div', { class: 'graph-loading' }, 'Drawing the graph…'));
  const zoomControls = h(
    'div',
    { class: 'zoom' },
    h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': 'Zoom out', onclick: () => drawn?.zoom(1 / 1.25) }, '−'),
    h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': 'Zoom in', onclick: () => drawn?.zoom(1.25) }, '+'),
    h('button', { type: 'button', class: 'btn', 'aria-label': 'Fit the graph', onclick: () => drawn?.fit() }, 'Fit'),
  );
  const legend = h('div', { class: 'graph-legend' });
  const traceBox = h('div', { class: 'trace', 'data-testid': 'column-lineage' });
  const lineageNote =
    detail.lineage && detail.lineage.status !== 'ok'
      ? h(
          'div',
          { class: 'callout callout-warn', 'data-testid': 'lineage-status' },
          h('strong', null, `Column lineage ${detail.lineage.status}`),
          detail.lineage.reason ? `: ${detail.lineage.reason}` : '',
        )
      : null;

  const element = h(
    'section',
    { class: 'section', id: 'section-lineage', 'data-testid': 'lineage-section' },
    h('h2', { class: 'section-title' }, 'Lineage'),
    lineageNote,
    h(
      'div',
      { class: 'graph-toolbar' },
      stepper('Upstream', upValue, 'depth-up', (delta) => {
        up = Math.max(0, Math.min(9, up + delta));
        resetToNeighbourhood();
      }),
      stepper('Downstream', downValue, 'depth-down', (delta) => {
        down = Math.max(0, Math.min(9, down + delta));
        resetToNeighbourhood();
      }),
      form,
      zoomControls,
    ),
    notice,
    h('div', { class: 'graph-frame' }, canvas, legend),
    traceBox,
  );

  function syncSteppers() {
    upValue.textContent = String(up);
    downValue.textContent = String(down);
    selectorInput.value = neighbourhoodSelector(name, up, down);
  }

  function resetToNeighbourhood() {
    selector = undefined;
    opened.clear();
    trace = undefined;
    onTrace(undefined);
    syncSteppers();
    draw();
  }

  function draw() {
    const mine = ++token;
    let graph: { nodes: GraphNode[]; edges: GraphEdge[] };
    const messages: Array<string | HTMLElement> = [];
    if (trace) {
      graph = columnGraph(store, trace);
      messages.push(
        h(
          'span',
          null,
          'Column lineage of ',
          h('code', null, `${store.nodes[store.byId.get(trace.origin.node) ?? position].l}.${trace.origin.column}`),
          ' · ',
          h('button', { type: 'button', class: 'link-button', 'data-testid': 'graph-back', onclick: () => resetToNeighbourhood() }, 'back to the model graph'),
        ),
      );
      if (trace.truncated) messages.push('The trace stopped at its limit: some upstream columns are not shown.');
    } else {
      let positions: number[];
      try {
        const selection = selector ? select(store, selector, GRAPH_LIMIT) : neighbourhood(store, position, up, down, GRAPH_LIMIT);
        positions = selection.positions;
        if (selection.truncated) messages.push(`Showing the ${GRAPH_LIMIT} nearest nodes: narrow the selection to see the rest.`);
      } catch (error) {
        if (!(error instanceof SelectorError)) throw error;
        messages.push(error.message);
        positions = [];
      }
      if (selector && !positions.length && !messages.length) messages.push('No node matches this selector.');
      graph = modelGraph(store, positions, position, opened);
    }
    replace(notice, ...messages.map((m) => h('p', null, m)));
    legend.replaceChildren(...legendItems(!!trace));
    if (!graph.nodes.length) {
      replace(canvas, h('div', { class: 'graph-empty' }, 'Nothing to draw.'));
      drawn = undefined;
      return;
    }
    const width = canvas.clientWidth || 900;
    drawGraph(graph.nodes, graph.edges, handlers, { version: store.index.version, width }).then(
      (result) => {
        if (mine !== token) return;
        drawn = result;
        replace(canvas, result.svg);
      },
      (error: unknown) => {
        if (mine !== token) return;
        replace(canvas, h('div', { class: 'graph-empty' }, `The graph could not be drawn: ${error instanceof Error ? error.message : String(error)}`));
      },
    );
  }

  const handlers = {
    onNode(id: string) {
      if (id.startsWith(GROUP_PREFIX)) {
        opened.add(id);
        draw();
        return;
      }
      const p = store.byId.get(id);
      if (p === undefined) return;
      if (p === position && !trace) return;
      location.hash = nodeHref(store.nodes[p]);
    },
    onColumn(id: string, column: string) {
      const p = store.byId.get(id);
      if (p === undefined) return;
      void startTrace(p, column);
    },
  };

  async function startTrace(from: number, column: string): Promise<void> {
    const mine = ++token;
    onTrace(from === position ? column : undefined);
    replace(traceBox, h('p', { class: 'muted' }, 'Tracing…'));
    const result = await traceColumn(store, from, column);
    if (mine !== token) return;
    trace = result;
    renderTrace(store, traceBox, result);
    draw();
  }

  renderTraceHint(traceBox, !!detail.lineage);

  const panel: LineagePanel = {
    element,
    start() {
      requestAnimationFrame(() => draw());
    },
    traceColumn: (column) => startTrace(position, column),
  };
  return panel;
}

/**
 * More parents or children of one node than this, that lead nowhere else in the drawing, are
 * drawn as the first GROUP_SHOWN and one "+n more" box (a click on it draws them all).
 */
const GROUP_OVER = 12;
const GROUP_SHOWN = 8;
const GROUP_PREFIX = 'group:';

function modelGraph(store: Store, positions: number[], focus: number, opened: Set<string>): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const included = new Set(positions);
  const drawnParents = (p: number) => store.parents[p].filter((q) => included.has(q));
  const drawnChildren = (p: number) => store.children[p].filter((q) => included.has(q));
  const hidden = new Set<number>();
  const groups: Array<{ id: string; of: number; count: number; side: 'parents' | 'children' }> = [];
  for (const p of positions) {
    for (const side of ['children', 'parents'] as const) {
      const id = `${GROUP_PREFIX}${side}:${store.nodes[p].i}`;
      if (opened.has(id)) continue;
      const leaves = (side === 'children' ? drawnChildren(p) : drawnParents(p)).filter((q) => {
        if (q === focus || hidden.has(q)) return false;
        const ins = drawnParents(q);
        const outs = drawnChildren(q);
        return side === 'children' ? outs.length === 0 && ins.length === 1 : ins.length === 0 && outs.length === 1;
      });
      if (leaves.length <= GROUP_OVER) continue;
      leaves.sort((a, b) => store.nodes[a].l.localeCompare(store.nodes[b].l, 'en', { numeric: true }));
      for (const q of leaves.slice(GROUP_SHOWN)) hidden.add(q);
      groups.push({ id, of: p, count: leaves.length - GROUP_SHOWN, side });
    }
  }
  const ordered = positions.filter((p) => !hidden.has(p)).sort((a, b) => a - b);
  const nodes = ordered.map((p): GraphNode => {
    const n = store.nodes[p];
    return { id: n.i, label: n.l, caption: captionOf(store, p), type: n.t, focus: p === focus };
  });
  const edges: GraphEdge[] = [];
  for (const p of ordered)
    for (const parent of store.parents[p]) if (included.has(parent) && !hidden.has(parent)) edges.push({ from: store.nodes[parent].i, to: store.nodes[p].i });
  for (const group of groups) {
    const of = store.nodes[group.of];
    nodes.push({ id: group.id, label: `+${group.count} more`, caption: `${group.side} of ${of.l} · click to show`, type: 'group' });
    edges.push(group.side === 'children' ? { from: of.i, to: group.id } : { from: group.id, to: of.i });
  }
  return { nodes, edges };
}

function captionOf(store: Store, position: number): string {
  const n = store.nodes[position];
  return [TYPE_LABELS[n.t].one.toLowerCase(), n.m].filter(Boolean).join(' · ');
}

/** The boxes of a column trace: each node with the columns the trace went through. */
function columnGraph(store: Store, trace: ColumnTrace): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const columns = new Map<string, GraphColumn[]>();
  const add = (node: string, name: string, role: GraphColumn['role']) => {
    let list = columns.get(node);
    if (!list) {
      list = [];
      columns.set(node, list);
    }
    const found = list.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!found) list.push({ name, role });
    else if (role === 'selected' || (role === 'traced' && found.role === 'key')) found.role = role;
  };
  add(trace.origin.node, trace.origin.column, 'selected');
  for (const entry of trace.upstream) add(entry.node, entry.column, 'traced');
  for (const key of trace.keys) {
    add(key.node, key.column, 'key');
    if (!columns.has(key.shapes)) columns.set(key.shapes, []);
  }
  const nodes: GraphNode[] = [...columns.entries()].map(([id, list]) => {
    const p = store.byId.get(id);
    if (p === undefined) return { id, label: id, caption: 'not in the project', type: 'unknown', columns: list };
    return { id, label: store.nodes[p].l, caption: captionOf(store, p), type: store.nodes[p].t, focus: id === trace.origin.node, columns: list };
  });
  const edges: GraphEdge[] = trace.edges.map((edge) => ({
    from: edge.from.node,
    to: edge.to.node,
    fromColumn: edge.from.column,
    toColumn: edge.to.column,
    kind: edge.kind,
  }));
  for (const key of trace.keys) edges.push({ from: key.node, to: key.shapes, fromColumn: key.column, kind: 'filter' });
  return { nodes, edges };
}

function legendItems(columns: boolean): HTMLElement[] {
  const item = (cls: string, text: string) => h('span', { class: 'legend-item' }, h('span', { class: `legend-swatch ${cls}` }), text);
  if (columns)
    return [
      item('edge-passthrough', 'passthrough'),
      item('edge-transformation', 'transformation'),
      item('edge-filter', 'filter / join key'),
      h('span', { class: 'legend-hint' }, 'Click a column to trace it · drag to pan · ctrl + wheel to zoom'),
    ];
  return [
    ...(['model', 'source', 'seed', 'snapshot', 'exposure'] as const).map((t) => item(`type-${t}`, TYPE_LABELS[t].one)),
    h('span', { class: 'legend-hint' }, 'Click a node to open it · drag to pan · ctrl + wheel to zoom'),
  ];
}

function renderTraceHint(box: HTMLElement, hasLineage: boolean): void {
  replace(
    box,
    h('h3', { class: 'subsection-title' }, 'Column lineage'),
    h('p', { class: 'muted' }, hasLineage ? 'Click a column in the columns table to trace where it comes from.' : 'No column lineage for this node.'),
  );
}

function renderTrace(store: Store, box: HTMLElement, trace: ColumnTrace): void {
  const labelOf = (id: string) => {
    const p = store.byId.get(id);
    return p === undefined ? id : store.nodes[p].l;
  };
  const ref = (id: string, column: string) => {
    const p = store.byId.get(id);
    const nodePart = p === undefined ? h('span', { class: 'unknown-node' }, id) : h('a', { href: nodeHref(store.nodes[p]) }, store.nodes[p].l);
    return h(
      'span',
      { class: 'col-ref' },
      h('span', { class: `type-dot type-${p === undefined ? 'unknown' : store.nodes[p].t}`, 'aria-hidden': 'true' }),
      nodePart,
      '.',
      h('span', { class: 'col-name' }, column),
    );
  };
  const kinds = (list: string[]) => list.map((k) => h('span', { class: `kind kind-${k}` }, k));
  const upstream = [...trace.upstream].sort((a, b) => a.depth - b.depth || labelOf(a.node).localeCompare(labelOf(b.node)) || a.column.localeCompare(b.column));
  const nodesCount = new Set(upstream.map((e) => e.node)).size;

  replace(
    box,
    h('h3', { class: 'subsection-title' }, 'Column lineage'),
    h(
      'p',
      { class: 'trace-head', 'data-testid': 'column-lineage-origin' },
      'Upstream of ',
      h('code', null, `${labelOf(trace.origin.node)}.${trace.origin.column}`),
      upstream.length
        ? ` — ${upstream.length} column${upstream.length === 1 ? '' : 's'} in ${nodesCount} node${nodesCount === 1 ? '' : 's'}`
        : ' — no upstream column',
    ),
    h(
      'ol',
      { class: 'trace-list', 'data-testid': 'column-lineage-list' },
      upstream.map((entry) =>
        h(
          'li',
          {
            class: 'trace-item',
            'data-testid': 'column-lineage-item',
            'data-node': entry.node,
            'data-column': entry.column,
            'data-kind': entry.kinds.join(' '),
            'data-depth': entry.depth,
            style: `--depth:${entry.depth - 1}`,
          },
          ref(entry.node, entry.column),
          ' ',
          kinds(entry.kinds),
          h('span', { class: 'trace-depth' }, `${entry.depth} step${entry.depth === 1 ? '' : 's'} up`),
        ),
      ),
    ),
    trace.keys.length
      ? [
          h('h4', { class: 'trace-subtitle' }, 'Filter and join keys (they shape the rows)'),
          h(
            'ul',
            { class: 'trace-list trace-keys', 'data-testid': 'column-lineage-keys' },
            trace.keys.map((key) =>
              h(
                'li',
                { class: 'trace-item', 'data-testid': 'column-lineage-key', 'data-node': key.node, 'data-column': key.column, 'data-kind': key.kind },
                ref(key.node, key.column),
                ' ',
                kinds([key.kind]),
                h('span', { class: 'trace-depth' }, `in ${labelOf(key.shapes)}`),
              ),
            ),
          ),
        ]
      : null,
    trace.notes.length
      ? h(
          'ul',
          { class: 'trace-notes', 'data-testid': 'column-lineage-notes' },
          trace.notes.map((note) =>
            h('li', null, h('strong', null, note.column ? `${labelOf(note.node)}.${note.column}` : labelOf(note.node)), ` ${note.text}`),
          ),
        )
      : null,
  );
}
