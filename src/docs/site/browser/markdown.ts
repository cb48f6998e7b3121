/**
 * Descriptions are Markdown written in the project: rendered with marked, with raw HTML shown as
 * text, then cleaned against an allow-list (tags, attributes, link schemes) in an inert template
 * before anything reaches the page.
 */
import { h, safeUrl } from './dom.js';

type MarkedInstance = { parse(src: string, options?: { async: false }): string | Promise<string> };

let instance: MarkedInstance | undefined;

function markedInstance(): MarkedInstance | undefined {
  if (instance) return instance;
  const lib = window.marked;
  if (!lib) return undefined;
  instance = new lib.Marked({
    gfm: true,
    breaks: false,
    renderer: {
      // Raw HTML in a description is shown as written, never interpreted.
      html: ({ text }) => escapeText(text),
    },
  });
  return instance;
}

const ALLOWED: Record<string, string[]> = {
  a: ['href', 'title'],
  b: [],
  blockquote: [],
  br: [],
  code: ['class'],
  del: [],
  em: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  hr: [],
  i: [],
  img: ['src', 'alt', 'title'],
  input: ['type', 'checked', 'disabled'],
  li: [],
  ol: ['start'],
  p: [],
  pre: [],
  s: [],
  span: [],
  strong: [],
  sub: [],
  sup: [],
  table: [],
  tbody: [],
  td: ['align'],
  th: ['align'],
  thead: [],
  tr: [],
  ul: [],
};

/** Elements whose content goes with them (never shown as text either). */
const DROPPED = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math', 'form', 'textarea', 'select', 'button']);

/** Markdown as a clean fragment; plain text when marked is missing. */
export function renderMarkdown(markdown: string): DocumentFragment {
  const md = markedInstance();
  const fragment = document.createDocumentFragment();
  if (!markdown.trim()) return fragment;
  if (!md) {
    fragment.append(h('p', null, markdown));
    return fragment;
  }
  const html = md.parse(markdown, { async: false });
  const template = document.createElement('template');
  template.innerHTML = typeof html === 'string' ? html : '';
  clean(template.content);
  fragment.append(template.content);
  return fragment;
}

function clean(parent: ParentNode): void {
  for (const child of Array.from(parent.childNodes)) {
    if (child.nodeType === Node.COMMENT_NODE) {
      child.remove();
      continue;
    }
    if (!(child instanceof Element)) continue;
    const tag = child.localName;
    if (DROPPED.has(tag)) {
      child.remove();
      continue;
    }
    const allowed = ALLOWED[tag];
    if (!allowed) {
      clean(child);
      child.replaceWith(...Array.from(child.childNodes));
      continue;
    }
    for (const attr of Array.from(child.attributes)) {
      if (!allowed.includes(attr.name)) child.removeAttribute(attr.name);
    }
    if (tag === 'a') {
      const href = safeUrl(child.getAttribute('href') ?? undefined);
      if (href) {
        child.setAttribute('href', href);
        if (!href.startsWith('#')) {
          child.setAttribute('target', '_blank');
          child.setAttribute('rel', 'noopener noreferrer');
        }
      } else child.removeAttribute('href');
    }
    if (tag === 'img') {
      const src = safeUrl(child.getAttribute('src') ?? undefined);
      if (src && !src.startsWith('mailto:')) child.setAttribute('src', src);
      else child.removeAttribute('src');
    }
    if (tag === 'input' && child.getAttribute('type') !== 'checkbox') child.remove();
    else if (tag === 'input') child.setAttribute('disabled', '');
    if (tag === 'code') {
      const cls = child.getAttribute('class');
      if (cls && !/^language-[\w-]+$/.test(cls)) child.removeAttribute('class');
    }
    clean(child);
  }
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
