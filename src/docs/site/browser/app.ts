/**
 * The documentation site's page: a top bar, the sidebar tree and a main panel that shows the
 * overview or a node, by hash route. Everything the page shows is in `data/` (see site-data.ts).
 */
import { h, replace } from './dom.js';
import { renderNodePage } from './node-page.js';
import { renderOverview } from './overview-page.js';
import { OVERVIEW_HREF, parseRoute } from './router.js';
import { createSidebarTree } from './sidebar-tree.js';
import { createStore, readIndex } from './store.js';

function start(): void {
  const root = document.getElementById('app')!;
  const index = readIndex();
  if (!index) {
    replace(root, h('p', { class: 'boot' }, 'The documentation data (data/index.js) is missing: run `tsdbt docs generate` again.'));
    return;
  }
  const store = createStore(index);
  const tree = createSidebarTree(store);
  const main = h('main', { class: 'main', id: 'main', tabindex: -1 });
  const topbar = h(
    'header',
    { class: 'topbar' },
    h(
      'a',
      { class: 'brand', href: OVERVIEW_HREF },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
      h('span', { class: 'brand-name' }, index.project.name),
    ),
    h('span', { class: 'brand-sub' }, 'tsdbt docs'),
    h('span', { class: 'topbar-fill' }),
    h('span', { class: 'target-chip', title: 'Target' }, `${index.project.target.name} · ${index.project.target.type}`),
  );
  replace(root, topbar, h('div', { class: 'shell' }, tree.element, main));

  let routeToken = 0;
  const route = () => {
    const mine = ++routeToken;
    const current = parseRoute(location.hash);
    if (current.page === 'node') {
      const position = store.byId.get(current.id);
      if (position === undefined) {
        tree.setActive(undefined);
        replace(
          main,
          h(
            'article',
            { class: 'page' },
            h('h1', { class: 'page-title' }, 'Not found'),
            h('p', null, `No node ${current.id} in this project. `, h('a', { href: OVERVIEW_HREF }, 'Back to the overview')),
          ),
        );
      } else {
        tree.setActive(position);
        renderNodePage(store, position, main, () => mine === routeToken);
        document.title = `${store.nodes[position].l} · ${index.project.name}`;
      }
    } else {
      tree.setActive(undefined);
      renderOverview(store, main);
      document.title = `${index.project.name} · tsdbt docs`;
    }
    main.scrollTop = 0;
  };
  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.key === '/' && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      event.preventDefault();
      tree.focusSearch();
    }
  });
  route();
  document.body.dataset.ready = 'true';
}

start();
