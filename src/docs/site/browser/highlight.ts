/** SQL with Prism's highlighting (Prism escapes the text it wraps in its token spans). */
import { h } from './dom.js';

export function sqlBlock(sql: string): HTMLPreElement {
  const code = h('code', { class: 'language-sql' });
  const prism = window.Prism;
  const grammar = prism?.languages.sql;
  if (prism && grammar) code.innerHTML = prism.highlight(sql, grammar, 'sql');
  else code.textContent = sql;
  return h('pre', { class: 'code-block language-sql', 'data-testid': 'code-block' }, code);
}
