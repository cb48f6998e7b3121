/** The project's front page: its overview text, what it holds per resource type, test results, the last run. */
import { formatDate, h, replace } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { nodeHref } from './router.js';
import { type Store, TYPE_LABELS, TYPE_ORDER } from './store.js';
import { testSummary } from './test-badge.js';

/** Failing nodes listed on the overview at most. */
const FAILING_LIMIT = 25;

export function renderOverview(store: Store, main: HTMLElement): void {
  const { project } = store.index;
  const counts = new Map<string, number>();
  const tests = [0, 0, 0, 0, 0, 0];
  const failing: number[] = [];
  store.nodes.forEach((node, i) => {
    counts.set(node.t, (counts.get(node.t) ?? 0) + 1);
    if (node.r) {
      node.r.forEach((n, k) => {
        tests[k] += n;
      });
      if (node.r[1] + node.r[3] > 0) failing.push(i);
    }
  });
  const totalTests = tests.reduce((a, b) => a + b, 0);

  replace(
    main,
    h(
      'article',
      { class: 'page overview', 'data-testid': 'overview' },
      h(
        'header',
        { class: 'page-header' },
        h('div', { class: 'breadcrumb' }, 'Project'),
        h('div', { class: 'title-row' }, h('h1', { class: 'page-title', 'data-testid': 'overview-title' }, project.name)),
        h(
          'div',
          { class: 'meta-line' },
          h('span', null, `Target ${project.target.name} (${project.target.type})`),
          h('span', null, `Generated ${formatDate(project.generatedAt)}`),
          h('span', null, `tsdbt ${project.tsdbtVersion}`),
        ),
      ),
      h(
        'section',
        { class: 'section section-first' },
        h(
          'div',
          { class: 'cards' },
          TYPE_ORDER.filter((t) => counts.get(t)).map((t) =>
            h(
              'div',
              { class: `card stat type-${t}`, 'data-testid': `count-${t}` },
              h('div', { class: 'stat-value' }, (counts.get(t) ?? 0).toLocaleString('en-US')),
              h(
                'div',
                { class: 'stat-label' },
                h('span', { class: `type-dot type-${t}`, 'aria-hidden': 'true' }),
                (counts.get(t) ?? 0) === 1 ? TYPE_LABELS[t].one : TYPE_LABELS[t].many,
              ),
            ),
          ),
          h(
            'div',
            { class: 'card stat', 'data-testid': 'count-tests' },
            h('div', { class: 'stat-value' }, totalTests.toLocaleString('en-US')),
            h('div', { class: 'stat-label' }, totalTests === 1 ? 'Test' : 'Tests'),
          ),
        ),
      ),
      h(
        'section',
        { class: 'section' },
        h('h2', { class: 'section-title' }, 'Last run'),
        project.lastRun
          ? h(
              'p',
              { 'data-testid': 'last-run' },
              h('code', null, `tsdbt ${project.lastRun.command}`),
              h('span', { class: 'muted' }, ` · ${formatDate(project.lastRun.generatedAt)}`),
            )
          : h('p', { class: 'muted', 'data-testid': 'last-run' }, 'No run results: test results appear here after `tsdbt build` or `tsdbt test`.'),
        totalTests ? h('p', { class: 'test-results' }, h('span', { class: 'muted' }, 'Test results: '), testSummary(tests)) : null,
        failing.length
          ? h(
              'div',
              { class: 'failing' },
              h('h3', { class: 'subsection-title' }, `Nodes with failing tests (${failing.length})`),
              h(
                'ul',
                { class: 'link-list', 'data-testid': 'failing-list' },
                failing.slice(0, FAILING_LIMIT).map((p) => {
                  const node = store.nodes[p];
                  return h('li', null, h('a', { href: nodeHref(node) }, h('span', { class: `type-dot type-${node.t}`, 'aria-hidden': 'true' }), node.l));
                }),
              ),
            )
          : null,
      ),
      h(
        'section',
        { class: 'section' },
        h('div', { class: 'markdown overview-text', 'data-testid': 'overview-markdown' }, renderMarkdown(project.overviewMarkdown)),
      ),
    ),
  );
}
