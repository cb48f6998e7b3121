/**
 * Lineage graphs as SVG, laid out by elkjs (layered, left to right). Two kinds of boxes: a node
 * (label and caption) for the model graph, and a node with its involved columns as rows for
 * column lineage, where edges join column to column through fixed ports on the boxes' sides.
 * elkjs is large, so it is loaded the first time a graph is drawn.
 */
import type { ELK, ElkExtendedEdge, ElkNode, ElkPoint, ElkPort } from 'elkjs/lib/elk-api';
import { s } from './dom.js';
import type { SiteResourceType } from './site-data.js';
import { loadScriptOnce } from './store.js';

export interface GraphNode {
  /** Unique id of the node (what a click reports). */
  id: string;
  label: string;
  caption: string;
  /** `group`: a box standing for parents or children left out of the drawing. */
  type: SiteResourceType | 'unknown' | 'group';
  focus?: boolean;
  /** Column rows (column lineage); absent for a plain node box. */
  columns?: GraphColumn[];
}

export interface GraphColumn {
  name: string;
  role: 'selected' | 'traced' | 'key';
}

export interface GraphEdge {
  from: string;
  to: string;
  /** Column lineage: the columns the edge joins; without `toColumn` it ends at the box's header (a key). */
  fromColumn?: string;
  toColumn?: string;
  kind?: 'passthrough' | 'transformation' | 'filter';
}

export interface GraphHandlers {
  onNode(id: string): void;
  onColumn?(id: string, column: string): void;
}

export interface DrawnGraph {
  svg: SVGSVGElement;
  fit(): void;
  zoom(factor: number): void;
}

const FONT_FAMILY = getComputedFontFamily();
const LABEL_FONT = `600 13px ${FONT_FAMILY}`;
const CAPTION_FONT = `400 11px ${FONT_FAMILY}`;
const COLUMN_FONT = `400 12px ${FONT_FAMILY}`;
const NODE_HEIGHT = 46;
const HEADER_HEIGHT = 44;
const ROW_HEIGHT = 24;
const MAX_LABEL = 260;
const PAD_X = 16;
const MAX_ORTHOGONAL_EDGES = 40;

let elk: Promise<ELK> | undefined;

function getElk(version: string): Promise<ELK> {
  elk ??= loadScriptOnce(`assets/vendor/elk.js?v=${encodeURIComponent(version)}`).then(() => {
    if (!window.ELK) throw new Error('the graph layout library did not load');
    return new window.ELK();
  });
  elk.catch(() => {
    elk = undefined;
  });
  return elk;
}

let graphCount = 0;

export async function drawGraph(
  nodes: GraphNode[],
  edges: GraphEdge[],
  handlers: GraphHandlers,
  options: { version: string; width: number },
): Promise<DrawnGraph> {
  const layoutEngine = await getElk(options.version);
  const keyOf = new Map(nodes.map((node, i) => [node.id, `n${i}`]));
  const sizes = nodes.map((node) => measureNode(node));

  const elkNodes: ElkNode[] = nodes.map((node, i) => {
    const size = sizes[i];
    const elkNode: ElkNode = { id: keyOf.get(node.id)!, width: size.width, height: size.height };
    if (node.columns) {
      const ports: ElkPort[] = [{ id: `${elkNode.id}:h`, x: 0, y: HEADER_HEIGHT / 2, width: 0, height: 0 }];
      node.columns.forEach((_column, row) => {
        const y = HEADER_HEIGHT + row * ROW_HEIGHT + ROW_HEIGHT / 2;
        ports.push({ id: `${elkNode.id}:i${row}`, x: 0, y, width: 0, height: 0 });
        ports.push({ id: `${elkNode.id}:o${row}`, x: size.width, y, width: 0, height: 0 });
      });
      elkNode.ports = ports;
      elkNode.layoutOptions = { 'elk.portConstraints': 'FIXED_POS' };
    }
    return elkNode;
  });
  const columnRow = (node: GraphNode | undefined, name: string | undefined) =>
    node?.columns && name !== undefined ? node.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase()) : -1;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const elkEdges: ElkExtendedEdge[] = [];
  const drawnEdges: GraphEdge[] = [];
  edges.forEach((edge, i) => {
    const from = keyOf.get(edge.from);
    const to = keyOf.get(edge.to);
    if (!from || !to || from === to) return;
    let source = from;
    let target = to;
    const fromRow = columnRow(byId.get(edge.from), edge.fromColumn);
    if (fromRow >= 0) source = `${from}:o${fromRow}`;
    if (byId.get(edge.to)?.columns) {
      const toRow = columnRow(byId.get(edge.to), edge.toColumn);
      target = toRow >= 0 ? `${to}:i${toRow}` : `${to}:h`;
    }
    elkEdges.push({ id: `e${i}`, sources: [source], targets: [target] });
    drawnEdges.push(edge);
  });

  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      // Orthogonal edges read best, but each needs its own channel between layers: a wide fan
      // would push the next layer far away, so many edges are drawn straight.
      'elk.edgeRouting': elkEdges.length > MAX_ORTHOGONAL_EDGES ? 'POLYLINE' : 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '72',
      'elk.spacing.nodeNode': '22',
      'elk.spacing.edgeNode': '18',
      'elk.spacing.edgeEdge': '10',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': '[top=24,left=24,bottom=24,right=24]',
    },
    children: elkNodes,
    edges: elkEdges,
  };
  const laid: ElkNode = await layoutEngine.layout(graph);

  const id = `g${++graphCount}`;
  const svg = s('svg', {
    class: 'graph-svg',
    'data-testid': 'lineage-graph',
    role: 'img',
    'aria-label': `Lineage graph of ${nodes.length} nodes`,
    'data-node-count': nodes.length,
    'data-edge-count': drawnEdges.length,
  });
  svg.append(
    s(
      'defs',
      null,
      ['default', 'passthrough', 'transformation', 'filter'].map((kind) =>
        s(
          'marker',
          { id: `${id}-arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
          s('path', { d: 'M0,1 L9,5 L0,9 z', class: `graph-arrow kind-${kind}` }),
        ),
      ),
    ),
  );
  const edgeLayer = s('g', { class: 'graph-edges' });
  const nodeLayer = s('g', { class: 'graph-nodes' });
  svg.append(edgeLayer, nodeLayer);

  (laid.edges ?? []).forEach((elkEdge, i) => {
    const edge = drawnEdges[i];
    const kind = edge.kind ?? 'default';
    for (const section of elkEdge.sections ?? []) {
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      edgeLayer.append(
        s('path', {
          class: `graph-edge kind-${kind}`,
          d: roundedPath(points, 8),
          'marker-end': `url(#${id}-arrow-${kind})`,
          'data-from': edge.from,
          'data-to': edge.to,
        }),
      );
    }
  });

  (laid.children ?? []).forEach((elkNode, i) => {
    nodeLayer.append(drawNode(nodes[i], sizes[i], elkNode.x ?? 0, elkNode.y ?? 0, handlers));
  });

  const width = laid.width ?? 400;
  const height = laid.height ?? 200;
  const focusAt = (laid.children ?? []).findIndex((_, i) => nodes[i].focus);
  const focusNode = focusAt >= 0 ? laid.children![focusAt] : undefined;
  const focus = focusNode ? { x: (focusNode.x ?? 0) + (focusNode.width ?? 0) / 2, y: (focusNode.y ?? 0) + (focusNode.height ?? 0) / 2 } : undefined;
  return attachViewport(svg, width, height, options.width, focus);
}

interface NodeSize {
  width: number;
  height: number;
  label: string;
  columns: string[];
}

function measureNode(node: GraphNode): NodeSize {
  const label = fitText(node.label, LABEL_FONT, MAX_LABEL);
  let width = Math.max(textWidth(label, LABEL_FONT), textWidth(node.caption, CAPTION_FONT));
  const columns = (node.columns ?? []).map((column) => fitText(column.name, COLUMN_FONT, MAX_LABEL));
  for (const column of columns) width = Math.max(width, textWidth(column, COLUMN_FONT) + 16);
  width = Math.ceil(Math.max(node.columns ? 170 : 130, width + PAD_X * 2 + 4));
  const height = node.columns ? HEADER_HEIGHT + columns.length * ROW_HEIGHT + 6 : NODE_HEIGHT;
  return { width, height, label, columns };
}

function drawNode(node: GraphNode, size: NodeSize, x: number, y: number, handlers: GraphHandlers): SVGGElement {
  const group = s('g', {
    class: `graph-node type-${node.type}${node.focus ? ' is-focus' : ''}${node.columns ? ' has-columns' : ''}`,
    transform: `translate(${x},${y})`,
    'data-testid': 'graph-node',
    'data-id': node.id,
    tabindex: 0,
    role: 'link',
    'aria-label': `${node.label} (${node.caption})`,
  });
  group.append(
    s('title', null, node.id),
    s('rect', { class: 'graph-node-box', width: size.width, height: size.height, rx: 8 }),
    s('rect', { class: 'graph-node-stripe', x: 0, y: 0, width: 4, height: size.height, rx: 2 }),
  );
  const header = s('g', { class: 'graph-node-header' });
  header.append(
    s('rect', { class: 'graph-node-hit', width: size.width, height: node.columns ? HEADER_HEIGHT : size.height, rx: 8 }),
    s('text', { class: 'graph-node-label', x: PAD_X, y: 20 }, size.label),
    s('text', { class: 'graph-node-caption', x: PAD_X, y: 35 }, node.caption),
  );
  header.addEventListener('click', () => handlers.onNode(node.id));
  group.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') handlers.onNode(node.id);
  });
  group.append(header);
  (node.columns ?? []).forEach((column, row) => {
    const top = HEADER_HEIGHT + row * ROW_HEIGHT;
    const item = s(
      'g',
      { class: `graph-column role-${column.role}`, 'data-testid': 'graph-column', 'data-column': column.name, transform: `translate(0,${top})` },
      s('rect', { class: 'graph-column-box', x: 4, y: 1, width: size.width - 8, height: ROW_HEIGHT - 2, rx: 4 }),
      s('text', { class: 'graph-column-name', x: PAD_X, y: ROW_HEIGHT / 2 + 4 }, size.columns[row]),
    );
    if (column.role === 'key') item.append(s('text', { class: 'graph-column-tag', x: size.width - PAD_X, y: ROW_HEIGHT / 2 + 4, 'text-anchor': 'end' }, 'key'));
    item.addEventListener('click', (event) => {
      event.stopPropagation();
      handlers.onColumn?.(node.id, column.name);
    });
    group.append(item);
  });
  if (node.columns) group.append(s('line', { class: 'graph-node-rule', x1: 0, x2: size.width, y1: HEADER_HEIGHT - 2, y2: HEADER_HEIGHT - 2 }));
  return group;
}

/** Orthogonal segments with rounded corners. */
function roundedPath(points: ElkPoint[], radius: number): string {
  if (points.length < 2) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const prev = points[i - 1];
    const at = points[i];
    const next = points[i + 1];
    const inLength = Math.hypot(at.x - prev.x, at.y - prev.y);
    const outLength = Math.hypot(next.x - at.x, next.y - at.y);
    const r = Math.min(radius, inLength / 2, outLength / 2);
    if (r < 0.5) {
      d += ` L${at.x},${at.y}`;
      continue;
    }
    const inX = at.x - ((at.x - prev.x) / inLength) * r;
    const inY = at.y - ((at.y - prev.y) / inLength) * r;
    const outX = at.x + ((next.x - at.x) / outLength) * r;
    const outY = at.y + ((next.y - at.y) / outLength) * r;
    d += ` L${round(inX)},${round(inY)} Q${at.x},${at.y} ${round(outX)},${round(outY)}`;
  }
  const last = points[points.length - 1];
  return `${d} L${last.x},${last.y}`;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Smallest scale a graph opens at: below it labels are unreadable, so the view pans instead. */
const MIN_SCALE = 0.6;
const MAX_HEIGHT = 560;

/**
 * Fits the drawing in the panel (never enlarged past 1:1; a graph too large to read whole opens
 * at a readable scale around the focus node), with drag to pan, ctrl/⌘ + wheel (or a pinch) to
 * zoom, and a drag that never counts as a click on a node.
 */
function attachViewport(
  svg: SVGSVGElement,
  contentWidth: number,
  contentHeight: number,
  panelWidth: number,
  focus: { x: number; y: number } | undefined,
): DrawnGraph {
  const widthScale = Math.min(1, panelWidth / contentWidth);
  const viewHeight = Math.round(Math.min(MAX_HEIGHT, Math.max(200, contentHeight * Math.max(widthScale, MIN_SCALE))));
  svg.setAttribute('height', String(viewHeight));
  svg.setAttribute('width', '100%');
  let box = { x: 0, y: 0, w: panelWidth, h: viewHeight };
  const apply = () => svg.setAttribute('viewBox', `${round(box.x)} ${round(box.y)} ${round(box.w)} ${round(box.h)}`);
  const showAll = () => {
    const scale = Math.min(1, panelWidth / contentWidth, viewHeight / contentHeight);
    const w = panelWidth / scale;
    const h = viewHeight / scale;
    box = { x: (contentWidth - w) / 2, y: (contentHeight - h) / 2, w, h };
    apply();
  };
  const zoomAt = (factor: number, cx: number, cy: number) => {
    const w = Math.min(Math.max(box.w / factor, 80), Math.max(contentWidth, panelWidth) * 4);
    const k = w / box.w;
    box = { x: cx - (cx - box.x) * k, y: cy - (cy - box.y) * k, w, h: box.h * k };
    apply();
  };
  const zoom = (factor: number) => zoomAt(factor, box.x + box.w / 2, box.y + box.h / 2);
  const toView = (clientX: number, clientY: number) => {
    const rect = svg.getBoundingClientRect();
    return { x: box.x + ((clientX - rect.left) / rect.width) * box.w, y: box.y + ((clientY - rect.top) / rect.height) * box.h };
  };

  let drag: { x: number; y: number; box: typeof box; moved: boolean } | undefined;
  let suppressClick = false;
  svg.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, box: { ...box }, moved: false };
  });
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) svg.setPointerCapture(event.pointerId);
    drag.moved = true;
    svg.classList.add('is-panning');
    const rect = svg.getBoundingClientRect();
    box = { ...drag.box, x: drag.box.x - (dx / rect.width) * drag.box.w, y: drag.box.y - (dy / rect.height) * drag.box.h };
    apply();
  });
  const end = () => {
    if (drag?.moved) suppressClick = true;
    drag = undefined;
    svg.classList.remove('is-panning');
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
  svg.addEventListener(
    'click',
    (event) => {
      if (suppressClick) {
        event.stopPropagation();
        event.preventDefault();
        suppressClick = false;
      }
    },
    true,
  );
  svg.addEventListener(
    'wheel',
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const at = toView(event.clientX, event.clientY);
      zoomAt(Math.exp(-event.deltaY * 0.002), at.x, at.y);
    },
    { passive: false },
  );
  const openScale = Math.min(1, panelWidth / contentWidth, viewHeight / contentHeight);
  if (openScale >= MIN_SCALE || !focus) showAll();
  else {
    const w = panelWidth / MIN_SCALE;
    const h = viewHeight / MIN_SCALE;
    const clamp = (value: number, size: number, content: number) => (content <= size ? (content - size) / 2 : Math.min(Math.max(value, 0), content - size));
    box = { x: clamp(focus.x - w / 2, w, contentWidth), y: clamp(focus.y - h / 2, h, contentHeight), w, h };
    apply();
  }
  return { svg, fit: showAll, zoom };
}

let canvas: CanvasRenderingContext2D | null | undefined;

function textWidth(text: string, font: string): number {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return text.length * 7.5;
  canvas.font = font;
  return canvas.measureText(text).width;
}

function fitText(text: string, font: string, max: number): string {
  if (textWidth(text, font) <= max) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (textWidth(`${text.slice(0, mid)}…`, font) <= max) low = mid;
    else high = mid - 1;
  }
  return `${text.slice(0, low)}…`;
}

function getComputedFontFamily(): string {
  const family = getComputedStyle(document.documentElement).getPropertyValue('--font-sans').trim();
  return family || 'system-ui, sans-serif';
}
