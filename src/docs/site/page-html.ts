/**
 * The site's `index.html`: the page skeleton and its scripts, in order (libraries, the data
 * index, the page). The content security policy lets only the site's own files run and style
 * the page: no inline script, handler or style attribute, no network, images from the site or
 * data: URLs (the preview charts).
 */
export function pageHtml(projectName: string, version: string): string {
  const v = encodeURIComponent(version);
  const csp = [
    "default-src 'self' file:",
    "script-src 'self' file:",
    "style-src 'self' file:",
    "img-src 'self' file: data:",
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="tsdbt docs">
<title>${escapeHtml(projectName)} · tsdbt docs</title>
<link rel="icon" type="image/svg+xml" href="assets/favicon.svg?v=${v}">
<link rel="stylesheet" href="assets/vendor/prism.css?v=${v}">
<link rel="stylesheet" href="assets/site.css?v=${v}">
</head>
<body>
<div id="app" class="app"><p class="boot">Loading documentation…</p></div>
<noscript><p class="boot">This documentation site needs JavaScript.</p></noscript>
<script src="assets/vendor/marked.js?v=${v}"></script>
<script src="assets/vendor/prism.js?v=${v}" data-manual></script>
<script src="data/index.js?v=${v}"></script>
<script src="assets/app.js?v=${v}"></script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The tab icon: the brand's square, as in the top bar. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#5b7cfa"/><stop offset="0.55" stop-color="#3457d5"/><stop offset="1" stop-color="#14966a"/></linearGradient></defs>
<rect x="2" y="2" width="28" height="28" rx="7" fill="url(#g)"/>
<path d="M9 11h14M16 11v12" stroke="#fff" stroke-width="3" stroke-linecap="round"/>
</svg>
`;
