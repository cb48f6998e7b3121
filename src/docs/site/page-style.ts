/** The site's stylesheet (`assets/site.css`): a top bar, a sidebar tree, a main panel; quiet colours. */
export const PAGE_CSS = `
:root {
  --font-sans: Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif;
  --font-mono: "JetBrains Mono", "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
  --bg: #ffffff;
  --bg-soft: #f7f8fa;
  --bg-sunken: #f1f3f6;
  --border: #e3e6eb;
  --border-strong: #cfd4dc;
  --text: #1c2230;
  --text-soft: #3d4657;
  --muted: #6b7383;
  --accent: #3457d5;
  --accent-soft: #edf1fd;
  --topbar: #141a28;
  --model: #3f66d9;
  --source: #14966a;
  --seed: #c07d14;
  --snapshot: #7b5bd0;
  --exposure: #cf4379;
  --unknown: #98a1b0;
  --pass: #177245;
  --pass-bg: #e5f5ec;
  --fail: #b42318;
  --fail-bg: #fdecea;
  --warn: #925c00;
  --warn-bg: #fff3d6;
  --error: #8a1c12;
  --error-bg: #f9e0dc;
  --none: #5f6878;
  --none-bg: #eef0f3;
  --radius: 8px;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.05);
}

* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body {
  font-family: var(--font-sans);
  font-size: 14px;
  line-height: 1.55;
  color: var(--text);
  background: var(--bg);
  -webkit-font-smoothing: antialiased;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: var(--font-mono); font-size: 12.5px; }
button { font: inherit; color: inherit; }
.boot { padding: 48px; color: var(--muted); }
.muted { color: var(--muted); }

/* Shell */
.app { display: flex; flex-direction: column; height: 100vh; }
.topbar {
  flex: none; display: flex; align-items: center; gap: 12px; height: 52px; padding: 0 20px;
  background: var(--topbar); color: #e8ebf2;
}
.brand { display: flex; align-items: center; gap: 10px; color: #fff; font-weight: 650; font-size: 15px; letter-spacing: 0.01em; }
.brand:hover { text-decoration: none; }
.brand-mark {
  width: 22px; height: 22px; border-radius: 6px;
  background: linear-gradient(135deg, #5b7cfa 0%, #3457d5 55%, #14966a 100%);
  box-shadow: inset 0 0 0 1px rgba(255,255,255,0.15);
}
.brand-sub { color: #8e97aa; font-size: 13px; padding-left: 12px; border-left: 1px solid #2c3447; }
.topbar-fill { flex: 1; }
.target-chip { font-size: 12px; color: #c5cbd8; background: #222a3c; border: 1px solid #2f3850; padding: 3px 10px; border-radius: 999px; }
.shell { flex: 1; display: flex; min-height: 0; }

/* Sidebar */
.sidebar {
  flex: none; width: 300px; display: flex; flex-direction: column; min-height: 0;
  background: var(--bg-soft); border-right: 1px solid var(--border);
}
.search { padding: 14px 14px 8px; border-bottom: 1px solid var(--border); }
.search-input {
  width: 100%; height: 34px; padding: 0 12px; border: 1px solid var(--border-strong); border-radius: 7px;
  background: #fff; font: inherit; font-size: 13.5px; color: var(--text); outline: none;
}
.search-input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(52, 87, 213, 0.15); }
.search-status { min-height: 18px; padding-top: 5px; font-size: 12px; color: var(--muted); }
.tree { flex: 1; overflow: auto; padding: 8px 6px 24px; font-size: 13.5px; }
.tree-folder, .tree-node, .tree-more {
  display: flex; align-items: center; gap: 7px; width: 100%; min-height: 28px;
  padding: 3px 8px 3px calc(8px + var(--depth, 0) * 14px);
  border: 0; border-radius: 6px; background: none; text-align: left; cursor: pointer; color: var(--text-soft);
}
.tree-folder:hover, .tree-node:hover, .tree-more:hover { background: #e9ecf1; text-decoration: none; }
.tree-group { margin-top: 6px; font-weight: 650; color: var(--text); font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; }
.tree-folder-name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tree-count { font-size: 11px; color: var(--muted); font-weight: 500; letter-spacing: 0; }
.caret { width: 10px; height: 10px; flex: none; position: relative; }
.caret::before {
  content: ""; position: absolute; left: 2px; top: 1px; width: 5px; height: 5px;
  border-right: 1.5px solid var(--muted); border-bottom: 1.5px solid var(--muted); transform: rotate(-45deg); transition: transform 0.12s;
}
.tree-folder[aria-expanded="true"] .caret::before { transform: rotate(45deg); top: 0; }
.tree-node { color: var(--text); }
.tree-node[aria-current="page"] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.tree-label { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tree-hint { flex: none; max-width: 45%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 11.5px; color: var(--muted); font-family: var(--font-mono); }
.tree-label mark { background: #ffe9a8; color: inherit; border-radius: 2px; }
.tree-more { color: var(--accent); font-size: 12.5px; }
.health { width: 7px; height: 7px; border-radius: 50%; flex: none; }
.health-failing { background: var(--fail); }
.health-warning { background: #e0a100; }

.type-dot { display: inline-block; width: 8px; height: 8px; border-radius: 2px; flex: none; background: var(--unknown); }
.type-dot.type-model { background: var(--model); }
.type-dot.type-source { background: var(--source); border-radius: 50%; }
.type-dot.type-seed { background: var(--seed); }
.type-dot.type-snapshot { background: var(--snapshot); }
.type-dot.type-exposure { background: var(--exposure); transform: rotate(45deg) scale(0.85); }

/* Main panel */
.main { flex: 1; overflow: auto; min-width: 0; outline: none; }
.page { max-width: 1160px; padding: 28px 40px 64px; }
.page-header { padding-bottom: 18px; border-bottom: 1px solid var(--border); }
.breadcrumb { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; margin-bottom: 6px; }
.title-row { display: flex; align-items: center; flex-wrap: wrap; gap: 10px; }
.page-title { margin: 0; font-size: 26px; line-height: 1.25; font-weight: 700; letter-spacing: -0.01em; word-break: break-word; }
.node-id { margin-top: 4px; font-family: var(--font-mono); font-size: 12px; color: var(--muted); word-break: break-all; }
.header-extra { display: flex; align-items: center; flex-wrap: wrap; gap: 10px; margin-top: 12px; }
.header-extra:empty { display: none; }
.meta-line { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 8px; color: var(--muted); font-size: 13px; }
.relation { padding: 3px 8px; background: var(--bg-sunken); border: 1px solid var(--border); border-radius: 6px; color: var(--text-soft); }
.pill {
  display: inline-flex; align-items: center; height: 22px; padding: 0 9px; border-radius: 999px;
  font-size: 12px; font-weight: 600; background: var(--bg-sunken); color: var(--text-soft); border: 1px solid var(--border);
}
.type-pill { border: 0; color: #fff; }
.type-pill.type-model { background: var(--model); }
.type-pill.type-source { background: var(--source); }
.type-pill.type-seed { background: var(--seed); }
.type-pill.type-snapshot { background: var(--snapshot); }
.type-pill.type-exposure { background: var(--exposure); }
.pill-warn { background: var(--warn-bg); color: var(--warn); border-color: #f3dca0; }
.tags { display: inline-flex; flex-wrap: wrap; gap: 6px; }
.tag { font-size: 12px; padding: 1px 8px; border-radius: 999px; background: var(--accent-soft); color: var(--accent); }
.tag::before { content: "#"; opacity: 0.6; }

.btn {
  display: inline-flex; align-items: center; justify-content: center; gap: 6px; height: 30px; padding: 0 12px;
  border: 1px solid var(--border-strong); border-radius: 7px; background: #fff; color: var(--text-soft);
  font-size: 13px; font-weight: 550; cursor: pointer; white-space: nowrap;
}
.btn:hover { background: var(--bg-soft); text-decoration: none; }
.btn-icon { width: 28px; height: 28px; padding: 0; font-size: 16px; line-height: 1; }
.btn-small { height: 26px; padding: 0 10px; font-size: 12px; }
.btn-primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.btn-primary:hover { background: #2947b8; }
.looker-icon { width: 14px; height: 14px; border-radius: 3px; background: conic-gradient(#fbbc04 0 25%, #34a853 0 50%, #4285f4 0 75%, #ea4335 0); }
.link-button { border: 0; background: none; padding: 0; color: var(--accent); cursor: pointer; }
.link-button:hover { text-decoration: underline; }

.section { padding-top: 26px; }
.section-first { padding-top: 20px; }
.section-title { margin: 0 0 12px; font-size: 16px; font-weight: 650; }
.subsection-title { margin: 18px 0 8px; font-size: 14px; font-weight: 650; }
.section-hint { margin: -6px 0 10px; font-size: 12.5px; color: var(--muted); }
.callout { padding: 10px 14px; border-radius: var(--radius); border: 1px solid var(--border); background: var(--bg-soft); margin-bottom: 12px; }
.callout-warn { background: var(--warn-bg); border-color: #f3dca0; color: #6b4500; }
.callout-error { background: var(--fail-bg); border-color: #f5c2bd; color: var(--fail); }
.loading { padding: 20px 0; }

/* Markdown */
.markdown { color: var(--text-soft); max-width: 820px; overflow-wrap: anywhere; }
.markdown > :first-child { margin-top: 0; }
.markdown > :last-child { margin-bottom: 0; }
.markdown h1, .markdown h2, .markdown h3, .markdown h4 { color: var(--text); margin: 1.2em 0 0.5em; line-height: 1.3; }
.markdown h1 { font-size: 22px; } .markdown h2 { font-size: 18px; } .markdown h3 { font-size: 15px; }
.markdown p, .markdown ul, .markdown ol, .markdown blockquote, .markdown pre, .markdown table { margin: 0 0 0.8em; }
.markdown code { background: var(--bg-sunken); padding: 1px 5px; border-radius: 4px; }
.markdown pre { background: var(--bg-sunken); padding: 12px 14px; border-radius: var(--radius); overflow: auto; }
.markdown pre code { background: none; padding: 0; }
.markdown blockquote { border-left: 3px solid var(--border-strong); padding: 2px 0 2px 14px; color: var(--muted); }
.markdown table { border-collapse: collapse; }
.markdown th, .markdown td { border: 1px solid var(--border); padding: 5px 10px; }
.markdown img { max-width: 100%; }
.markdown.compact p { margin: 0; }

/* Facts */
.facts {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 14px 28px; margin: 0;
  padding: 14px 18px; background: var(--bg-soft); border: 1px solid var(--border); border-radius: var(--radius);
}
.fact { min-width: 0; }
.fact dt { font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin-bottom: 2px; }
.fact dd { margin: 0; font-weight: 550; overflow-wrap: break-word; }
.owner-name { display: block; }
.owner-extra { display: block; font-weight: 400; color: var(--text-soft); }
.fact dd code { font-weight: 400; }

/* Cards */
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--border); border-radius: 10px; padding: 14px 16px; box-shadow: var(--shadow); }
.stat-value { font-size: 26px; font-weight: 700; letter-spacing: -0.02em; }
.stat-label { display: flex; align-items: center; gap: 7px; color: var(--muted); font-size: 13px; }
.stat .test-summary { margin-top: 8px; }

/* Tables */
.table-wrap { overflow-x: auto; border: 1px solid var(--border); border-radius: var(--radius); }
.table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
.table th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); font-weight: 600; background: var(--bg-soft); }
.table th, .table td { padding: 9px 12px; border-bottom: 1px solid var(--border); vertical-align: top; }
.columns-table td { padding-top: 8px; padding-bottom: 8px; }
.columns-table .num, .columns-table .col-name-cell, .columns-table td:nth-child(3) { padding-top: 10px; }
.table tbody tr:last-child > * { border-bottom: 0; }
.table .num { width: 36px; text-align: right; }
.columns-table.is-traceable tbody tr { cursor: pointer; }
.columns-table tbody tr:hover { background: #fafbfd; }
.columns-table tbody tr.is-selected { background: var(--accent-soft); box-shadow: inset 3px 0 0 var(--accent); }
.col-button { border: 0; background: none; padding: 0; font-family: var(--font-mono); font-size: 13px; font-weight: 600; color: var(--text); cursor: pointer; text-align: left; }
.col-button:hover { color: var(--accent); text-decoration: underline; }
.col-plain { font-family: var(--font-mono); font-size: 13px; font-weight: 600; }
.col-name-cell { white-space: nowrap; }
.col-type { color: #7a3e9d; font-size: 12px; }
.col-description { color: var(--text-soft); min-width: 220px; }
.col-tests { min-width: 160px; }
.untraced { margin-left: 8px; font-size: 11px; color: var(--warn); background: var(--warn-bg); padding: 1px 6px; border-radius: 4px; }
.config-table th { width: 30%; text-transform: none; letter-spacing: 0; font-size: 13px; background: var(--bg-soft); }
.config-table pre.json { margin: 0; white-space: pre-wrap; }

/* Test badges */
.badge { display: inline-flex; align-items: stretch; margin: 1px 6px 1px 0; border-radius: 6px; overflow: hidden; font-size: 11.5px; line-height: 20px; border: 1px solid transparent; white-space: nowrap; }
.badge-name { padding: 0 7px; background: rgba(255,255,255,0.65); font-family: var(--font-mono); font-size: 11px; }
.badge-status { padding: 0 7px; font-weight: 650; }
.badge-pass { background: var(--pass-bg); color: var(--pass); border-color: #bfe5cf; }
.badge-fail { background: var(--fail-bg); color: var(--fail); border-color: #f5c2bd; }
.badge-warn { background: var(--warn-bg); color: var(--warn); border-color: #f3dca0; }
.badge-error { background: var(--error-bg); color: var(--error); border-color: #efb9b1; }
.badge-skipped, .badge-none { background: var(--none-bg); color: var(--none); border-color: #dde1e7; }
.test-summary { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.summary-item { font-size: 11.5px; font-weight: 600; padding: 0 7px; border-radius: 5px; line-height: 20px; }

/* Code */
.code { border: 1px solid var(--border); border-radius: var(--radius); overflow: hidden; }
.tabs { display: flex; align-items: center; gap: 2px; padding: 6px 8px 0; background: var(--bg-soft); border-bottom: 1px solid var(--border); }
.tab { border: 0; background: none; padding: 7px 12px 8px; font-size: 13px; font-weight: 550; color: var(--muted); cursor: pointer; border-bottom: 2px solid transparent; margin-bottom: -1px; }
.tab[aria-selected="true"] { color: var(--accent); border-bottom-color: var(--accent); }
.tabs-fill { flex: 1; }
.copy { margin-bottom: 6px; }
pre.code-block[class*="language-"] { margin: 0; padding: 14px 16px; background: #fbfbfd; border-radius: 0; font-size: 12.5px; line-height: 1.6; max-height: 560px; overflow: auto; text-shadow: none; }
pre.code-block code[class*="language-"] { text-shadow: none; font-size: 12.5px; }

/* Lineage graph */
.graph-toolbar { display: flex; align-items: center; flex-wrap: wrap; gap: 10px 16px; margin-bottom: 10px; }
.stepper { display: inline-flex; align-items: center; gap: 6px; }
.stepper-label { font-size: 12.5px; color: var(--muted); margin-right: 2px; }
.stepper-value { min-width: 18px; text-align: center; font-weight: 650; font-variant-numeric: tabular-nums; }
.selector { display: inline-flex; gap: 6px; flex: 1; min-width: 240px; }
.selector-input { flex: 1; height: 30px; padding: 0 10px; border: 1px solid var(--border-strong); border-radius: 7px; font-family: var(--font-mono); font-size: 12.5px; outline: none; }
.selector-input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(52, 87, 213, 0.15); }
.zoom { display: inline-flex; gap: 4px; }
.graph-notice:empty { display: none; }
.graph-notice p { margin: 0 0 8px; font-size: 13px; color: var(--text-soft); }
.graph-frame { border: 1px solid var(--border); border-radius: var(--radius); overflow: hidden; background: #fff; }
.graph-canvas {
  min-height: 200px; position: relative;
  background-color: #fbfcfd;
  background-image: radial-gradient(#e3e7ee 1px, transparent 1px);
  background-size: 18px 18px;
}
.graph-loading, .graph-empty { padding: 80px 20px; text-align: center; color: var(--muted); }
.graph-svg { display: block; cursor: grab; user-select: none; font-family: var(--font-sans); }
.graph-svg.is-panning { cursor: grabbing; }
.graph-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; padding: 8px 12px; border-top: 1px solid var(--border); font-size: 12px; color: var(--muted); background: #fff; }
.legend-item { display: inline-flex; align-items: center; gap: 6px; }
.legend-swatch { width: 12px; height: 12px; border-radius: 3px; background: var(--unknown); }
.legend-swatch.type-model { background: var(--model); } .legend-swatch.type-source { background: var(--source); }
.legend-swatch.type-seed { background: var(--seed); } .legend-swatch.type-snapshot { background: var(--snapshot); }
.legend-swatch.type-exposure { background: var(--exposure); }
.legend-swatch.edge-passthrough { height: 2px; background: #8d98aa; }
.legend-swatch.edge-transformation { height: 2px; background: #e07a1f; }
.legend-swatch.edge-filter { height: 0; border-top: 2px dashed #8a5cd1; background: none; }
.legend-hint { margin-left: auto; }

.graph-node { cursor: pointer; outline: none; }
.graph-node-box { fill: #fff; stroke: #d3d8e0; stroke-width: 1; filter: drop-shadow(0 1px 1.5px rgba(16,24,40,0.08)); }
.graph-node:hover .graph-node-box, .graph-node:focus-visible .graph-node-box { stroke: #9aa6b8; }
.graph-node.is-focus .graph-node-box { stroke: var(--accent); stroke-width: 2; }
.graph-node-hit { fill: transparent; }
.graph-node-stripe { fill: var(--unknown); }
.graph-node.type-model .graph-node-stripe { fill: var(--model); }
.graph-node.type-source .graph-node-stripe { fill: var(--source); }
.graph-node.type-seed .graph-node-stripe { fill: var(--seed); }
.graph-node.type-snapshot .graph-node-stripe { fill: var(--snapshot); }
.graph-node.type-exposure .graph-node-stripe { fill: var(--exposure); }
.graph-node.type-group .graph-node-box { fill: #f6f7f9; stroke-dasharray: 4 3; stroke: #aab3c0; }
.graph-node.type-group .graph-node-stripe { fill: transparent; }
.graph-node.type-group .graph-node-label { fill: var(--accent); }
.graph-node-label { font-size: 13px; font-weight: 600; fill: var(--text); }
.graph-node-caption { font-size: 11px; fill: var(--muted); }
.graph-node.is-focus .graph-node-label { fill: var(--accent); }
.graph-node-rule { stroke: #e6e9ee; }
.graph-column { cursor: pointer; }
.graph-column-box { fill: transparent; }
.graph-column:hover .graph-column-box { fill: #f1f4f9; }
.graph-column-name { font-family: var(--font-mono); font-size: 12px; fill: var(--text-soft); }
.graph-column.role-selected .graph-column-box { fill: var(--accent-soft); }
.graph-column.role-selected .graph-column-name { fill: var(--accent); font-weight: 700; }
.graph-column.role-key .graph-column-name { fill: #6d46b8; }
.graph-column-tag { font-size: 10px; fill: #8a5cd1; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; }
.graph-edge { fill: none; stroke: #a3adbd; stroke-width: 1.4; }
.graph-edge.kind-transformation { stroke: #e07a1f; stroke-width: 1.6; }
.graph-edge.kind-filter { stroke: #8a5cd1; stroke-dasharray: 5 4; }
.graph-arrow { fill: #a3adbd; }
.graph-arrow.kind-transformation { fill: #e07a1f; }
.graph-arrow.kind-filter { fill: #8a5cd1; }

/* Column trace */
.trace { margin-top: 4px; }
.trace-head { margin: 0 0 8px; color: var(--text-soft); }
.trace-list { list-style: none; margin: 0; padding: 0; border: 1px solid var(--border); border-radius: var(--radius); overflow: hidden; }
.trace-list:empty { display: none; }
.trace-item { display: flex; align-items: center; gap: 8px; padding: 7px 12px 7px calc(12px + var(--depth, 0) * 18px); border-bottom: 1px solid var(--border); font-size: 13px; }
.trace-item:last-child { border-bottom: 0; }
.col-ref { display: inline-flex; align-items: center; font-family: var(--font-mono); font-size: 12.5px; white-space: nowrap; }
.col-ref .type-dot { margin-right: 8px; }
.col-name { font-weight: 650; }
.kind { font-size: 11px; font-weight: 600; padding: 0 7px; border-radius: 5px; line-height: 18px; }
.kind-passthrough { background: #eef1f5; color: #4b5567; }
.kind-transformation { background: #fdf0e3; color: #a4520c; }
.kind-filter { background: #f2ecfb; color: #6d46b8; }
.trace-depth { margin-left: auto; font-size: 12px; color: var(--muted); }
.trace-subtitle { margin: 16px 0 8px; font-size: 13px; font-weight: 650; color: var(--text-soft); }
.trace-notes { margin: 12px 0 0; padding: 10px 14px 10px 30px; background: var(--warn-bg); border: 1px solid #f3dca0; border-radius: var(--radius); color: #6b4500; font-size: 13px; }
.unknown-node { color: var(--muted); }

/* Neighbours, preview */
.neighbours { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.link-list { list-style: none; margin: 0; padding: 0; }
.link-list li { padding: 3px 0; }
.link-list a { display: inline-flex; align-items: center; gap: 8px; }
.failing .link-list { columns: 2; }
.preview { margin: 0; padding: 12px; border: 1px solid var(--border); border-radius: var(--radius); background: #fff; }
.preview img { display: block; max-width: 100%; height: auto; }

@media (max-width: 860px) {
  .sidebar { width: 240px; }
  .page { padding: 20px; }
  .neighbours { grid-template-columns: 1fr; }
}
`;
