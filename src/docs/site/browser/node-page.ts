/**
 * A node's page: what the index knows at once (title, type, place in the tree), then its detail
 * file — description, exposure, stats, columns and their tests, node tests, lineage, SQL, config
 * and direct neighbours.
 */
import { formatBytes, formatNumber, h, replace, safeUrl } from './dom.js';
import { sqlBlock } from './highlight.js';
import { createLineagePanel } from './lineage-panel.js';
import { renderMarkdown } from './markdown.js';
import { nodeHref } from './router.js';
import type { SiteColumn, SiteNode, SiteNodeDetail, SiteTest } from './site-data.js';
import { type Store, TYPE_LABELS, treeFolder } from './store.js';
import { testBadge, testSummary } from './test-badge.js';

export function renderNodePage(store: Store, position: number, main: HTMLElement, isCurrent: () => boolean): void {
  const node = store.nodes[position];
  const header = pageHeader(store, position);
  const body = h('div', { class: 'node-body' }, h('p', { class: 'muted loading' }, 'Loading details…'));
  replace(main, h('article', { class: 'page node-page', 'data-testid': 'node-page', 'data-id': node.i }, header, body));
  store.detail(position).then(
    (detail) => {
      if (!isCurrent()) return;
      fillHeader(header, detail.node);
      const lineage = createLineagePanel(store, position, detail, (column) => markColumn(body, column));
      replace(body, ...nodeSections(store, detail, lineage.element, (column) => void lineage.traceColumn(column)));
      lineage.start();
    },
    (error: unknown) => {
      if (!isCurrent()) return;
      replace(
        body,
        h('div', { class: 'callout callout-error' }, `The details of this node could not be loaded: ${error instanceof Error ? error.message : String(error)}`),
      );
    },
  );
}

function pageHeader(store: Store, position: number): HTMLElement {
  const node = store.nodes[position];
  return h(
    'header',
    { class: 'page-header' },
    h('div', { class: 'breadcrumb' }, [TYPE_LABELS[node.t].many, ...treeFolder(store, node)].join(' / ')),
    h(
      'div',
      { class: 'title-row' },
      h('h1', { class: 'page-title', 'data-testid': 'node-title' }, node.l),
      h('span', { class: `pill type-pill type-${node.t}`, 'data-testid': 'node-type' }, TYPE_LABELS[node.t].one),
      node.m ? h('span', { class: 'pill', 'data-testid': 'node-materialized' }, node.m) : null,
      node.x && node.x !== 'ok' ? h('span', { class: 'pill pill-warn', title: 'Column lineage' }, `lineage ${node.x}`) : null,
    ),
    h('div', { class: 'node-id' }, node.i),
    h('div', { class: 'header-extra' }),
  );
}

function fillHeader(header: HTMLElement, node: SiteNode): void {
  const extra = header.querySelector('.header-extra')!;
  const looker = safeUrl(node.lookerStudioUrl);
  replace(
    extra,
    node.relation ? h('code', { class: 'relation', 'data-testid': 'node-relation', title: 'Relation in the warehouse' }, node.relation) : null,
    node.tags.length
      ? h(
          'span',
          { class: 'tags' },
          node.tags.map((tag) => h('span', { class: 'tag', 'data-testid': 'node-tag' }, tag)),
        )
      : null,
    looker && /^https?:/i.test(looker)
      ? h(
          'a',
          { class: 'btn btn-primary looker', href: looker, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'looker-studio-link' },
          h('span', { class: 'looker-icon', 'aria-hidden': 'true' }),
          'Open in Looker Studio',
        )
      : null,
  );
}

function nodeSections(store: Store, detail: SiteNodeDetail, lineage: HTMLElement, trace: (column: string) => void): Array<HTMLElement | null> {
  const { node } = detail;
  const sections: Array<HTMLElement | null> = [];
  const description = node.description.trim()
    ? h('div', { class: 'markdown description', 'data-testid': 'node-description' }, renderMarkdown(node.description))
    : h('p', { class: 'muted', 'data-testid': 'node-description' }, 'No description.');
  sections.push(h('section', { class: 'section section-first' }, description));
  if (node.exposure) sections.push(exposureSection(node));
  sections.push(detailsSection(node));
  if (node.previewSvg) {
    sections.push(
      section(
        'Preview',
        'section-preview',
        h(
          'figure',
          { class: 'preview' },
          h('img', {
            src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(node.previewSvg)}`,
            alt: `Chart of ${node.label}`,
            'data-testid': 'preview-chart',
          }),
        ),
      ),
    );
  }
  if (node.columns.length) sections.push(columnsSection(detail, trace));
  if (node.tests.length) sections.push(testsSection(node.tests));
  sections.push(lineage);
  const code = codeSection(node);
  if (code) sections.push(code);
  if (Object.keys(node.config).length) sections.push(configSection(node.config));
  sections.push(neighboursSection(store, node));
  return sections;
}

function section(title: string, id: string, ...content: Array<HTMLElement | null>): HTMLElement {
  return h('section', { class: 'section', id, 'data-testid': id }, h('h2', { class: 'section-title' }, title), ...content);
}

function detailsSection(node: SiteNode): HTMLElement {
  const allTests = [...node.tests, ...node.columns.flatMap((c) => c.tests)];
  const counts = [0, 0, 0, 0, 0, 0];
  const slot: Record<string, number> = { pass: 0, fail: 1, warn: 2, error: 3, skipped: 4 };
  for (const test of allTests) counts[test.status ? slot[test.status] : 5]++;
  const items: Array<[string, HTMLElement | string, string]> = [];
  if (node.relation) items.push(['Relation', h('code', null, node.relation), 'relation']);
  if (node.materialized) items.push(['Materialization', node.materialized, 'materialized']);
  items.push(['Package', node.packageName, 'package']);
  if (node.originalFilePath) items.push(['File', h('code', null, node.originalFilePath), 'file']);
  if (node.stats?.rowCount !== undefined) items.push(['Rows', formatNumber(node.stats.rowCount), 'rows']);
  if (node.stats?.bytes !== undefined) items.push(['Size', formatBytes(node.stats.bytes), 'bytes']);
  if (allTests.length) items.push(['Tests', testSummary(counts), 'tests']);
  return h(
    'section',
    { class: 'section' },
    h(
      'dl',
      { class: 'facts', 'data-testid': 'node-facts' },
      items.map(([label, value, key]) => h('div', { class: 'fact', 'data-fact': key }, h('dt', null, label), h('dd', null, value))),
    ),
  );
}

function exposureSection(node: SiteNode): HTMLElement {
  const exposure = node.exposure!;
  const url = safeUrl(exposure.url);
  const owner = Object.entries(exposure.owner ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return section(
    'Exposure',
    'section-exposure',
    h(
      'dl',
      { class: 'facts', 'data-testid': 'exposure-info' },
      h('div', { class: 'fact' }, h('dt', null, 'Type'), h('dd', { 'data-testid': 'exposure-type' }, exposure.type)),
      exposure.maturity ? h('div', { class: 'fact' }, h('dt', null, 'Maturity'), h('dd', { 'data-testid': 'exposure-maturity' }, exposure.maturity)) : null,
      owner.length
        ? h(
            'div',
            { class: 'fact' },
            h('dt', null, 'Owner'),
            h(
              'dd',
              { 'data-testid': 'exposure-owner' },
              owner.map(([key, value]) => {
                const text = typeof value === 'string' ? value : JSON.stringify(value);
                if (key === 'name') return h('span', { class: 'owner-name' }, text);
                if (key === 'email' && /^[^\s@]+@[^\s@]+$/.test(text)) return h('a', { class: 'owner-extra', href: `mailto:${text}` }, text);
                return h('span', { class: 'owner-extra' }, h('span', { class: 'muted' }, `${key}: `), text);
              }),
            ),
          )
        : null,
      url
        ? h(
            'div',
            { class: 'fact' },
            h('dt', null, 'URL'),
            h('dd', null, h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'exposure-url' }, exposure.url ?? '')),
          )
        : null,
    ),
  );
}

function columnsSection(detail: SiteNodeDetail, trace: (column: string) => void): HTMLElement {
  const { node, lineage } = detail;
  const columns = [...node.columns].sort((a, b) => a.index - b.index);
  const traceable = !!lineage;
  const rows = columns.map((column) => columnRow(column, traceable, lineage?.columns[column.name]?.unresolved, trace));
  return section(
    `Columns (${columns.length})`,
    'section-columns',
    traceable ? h('p', { class: 'section-hint' }, 'Click a column to trace its lineage.') : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: `table columns-table${traceable ? ' is-traceable' : ''}`, 'data-testid': 'columns-table' },
        h(
          'thead',
          null,
          h('tr', null, h('th', { class: 'num' }, '#'), h('th', null, 'Column'), h('th', null, 'Type'), h('th', null, 'Description'), h('th', null, 'Tests')),
        ),
        h('tbody', null, rows),
      ),
    ),
  );
}

function columnRow(column: SiteColumn, traceable: boolean, unresolved: string | undefined, trace: (column: string) => void): HTMLElement {
  const name = traceable
    ? h('button', { type: 'button', class: 'col-button', 'data-testid': 'column-trace', title: 'Trace the lineage of this column' }, column.name)
    : h('span', { class: 'col-plain' }, column.name);
  const row = h(
    'tr',
    { 'data-testid': 'column-row', 'data-column': column.name },
    h('td', { class: 'num muted' }, column.index),
    h(
      'td',
      { class: 'col-name-cell' },
      name,
      unresolved ? h('span', { class: 'untraced', title: unresolved, 'data-testid': 'column-unresolved' }, 'untraced') : null,
    ),
    h('td', null, column.type ? h('code', { class: 'col-type', 'data-testid': 'column-type' }, column.type) : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'col-description' }, column.description ? h('div', { class: 'markdown compact' }, renderMarkdown(column.description)) : null),
    h(
      'td',
      { class: 'col-tests' },
      column.tests.map((test) => testBadge(test)),
    ),
  );
  if (traceable) {
    row.addEventListener('click', (event) => {
      if ((event.target as Element).closest('a')) return;
      trace(column.name);
    });
  }
  return row;
}

function markColumn(body: HTMLElement, column: string | undefined): void {
  for (const row of body.querySelectorAll<HTMLElement>('[data-testid="column-row"]')) row.classList.toggle('is-selected', row.dataset.column === column);
  if (column) body.querySelector('#section-lineage')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function testsSection(tests: SiteTest[]): HTMLElement {
  return section(
    `Tests (${tests.length})`,
    'section-tests',
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', 'data-testid': 'node-tests' },
        h('thead', null, h('tr', null, h('th', null, 'Test'), h('th', null, 'Severity'), h('th', null, 'Last result'), h('th', null, 'Message'))),
        h(
          'tbody',
          null,
          tests.map((test) =>
            h(
              'tr',
              { 'data-testid': 'node-test-row', 'data-test': test.name },
              h('td', null, h('code', null, test.name)),
              h('td', null, test.severity),
              h('td', null, testBadge(test)),
              h('td', { class: 'muted' }, test.message ?? ''),
            ),
          ),
        ),
      ),
    ),
  );
}

function codeSection(node: SiteNode): HTMLElement | null {
  const tabs: Array<{ key: string; label: string; sql: string }> = [];
  if (node.compiledSql) tabs.push({ key: 'compiled', label: 'Compiled SQL', sql: node.compiledSql });
  if (node.rawSql) tabs.push({ key: 'raw', label: 'Source', sql: node.rawSql });
  if (!tabs.length) return null;
  const panel = h('div', { class: 'code-panel' });
  const buttons = tabs.map((tab) =>
    h(
      'button',
      { type: 'button', class: 'tab', role: 'tab', 'data-testid': `code-tab-${tab.key}`, 'data-key': tab.key, onclick: () => show(tab.key) },
      tab.label,
    ),
  );
  const copy = h('button', { type: 'button', class: 'btn btn-small copy', 'data-testid': 'code-copy' }, 'Copy');
  let current = tabs[0];
  copy.addEventListener('click', () => {
    void copyText(current.sql).then((ok) => {
      copy.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(() => {
        copy.textContent = 'Copy';
      }, 1500);
    });
  });
  const show = (key: string) => {
    current = tabs.find((t) => t.key === key) ?? tabs[0];
    for (const button of buttons) button.setAttribute('aria-selected', String(button.dataset.key === current.key));
    replace(panel, sqlBlock(current.sql));
  };
  show(current.key);
  return section(
    'Code',
    'section-code',
    h('div', { class: 'code' }, h('div', { class: 'tabs', role: 'tablist' }, buttons, h('span', { class: 'tabs-fill' }), copy), panel),
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function configSection(config: Record<string, unknown>): HTMLElement {
  const entries = Object.entries(config).sort(([a], [b]) => a.localeCompare(b));
  return section(
    'Config',
    'section-config',
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table config-table', 'data-testid': 'config-table' },
        h(
          'tbody',
          null,
          entries.map(([key, value]) => h('tr', { 'data-key': key }, h('th', { scope: 'row' }, h('code', null, key)), h('td', null, configValue(value)))),
        ),
      ),
    ),
  );
}

/** A config value as JSON: on one line when short, indented when not. */
function configValue(value: unknown): HTMLElement {
  const line = JSON.stringify(value) ?? String(value);
  if (line.length <= 72) return h('code', null, line);
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

function neighboursSection(store: Store, node: SiteNode): HTMLElement {
  const list = (ids: string[], testid: string, empty: string) => {
    if (!ids.length) return h('p', { class: 'muted' }, empty);
    return h(
      'ul',
      { class: 'link-list', 'data-testid': testid },
      ids.map((id) => {
        const p = store.byId.get(id);
        if (p === undefined) return h('li', null, h('span', { class: 'type-dot type-unknown' }), h('span', { class: 'muted' }, id));
        const n = store.nodes[p];
        return h('li', null, h('a', { href: nodeHref(n), 'data-id': n.i }, h('span', { class: `type-dot type-${n.t}`, 'aria-hidden': 'true' }), n.l));
      }),
    );
  };
  return h(
    'section',
    { class: 'section neighbours', id: 'section-neighbours' },
    h('div', null, h('h2', { class: 'section-title' }, `Depends on (${node.parents.length})`), list(node.parents, 'parents-list', 'Nothing upstream.')),
    h('div', null, h('h2', { class: 'section-title' }, `Referenced by (${node.children.length})`), list(node.children, 'children-list', 'Nothing downstream.')),
  );
}
