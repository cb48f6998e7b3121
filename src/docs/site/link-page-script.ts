import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * Joins the page's compiled ES modules (`dist/docs/site/browser/*.js`) into one classic script.
 *
 * Browsers refuse `<script type="module">` from file:// (a module load is a CORS request and a
 * file has no origin), and the site must open from a double-click. The page's modules keep to a
 * subset this linker understands, and anything outside it is an error here rather than a page
 * that breaks later:
 *
 * - imports: `import { a, b as c } from './x.js'`, `import * as x from './x.js'`, `import './x.js'`;
 * - exports: `export function|async function|class|const name`, `export { a, b as c }`;
 * - no `export let` (exports are read once, when the module's body has run), no default export,
 *   no import cycle (imports flow one way).
 *
 * Each module becomes a function scope that returns its exports; modules run in dependency order.
 */
export function linkPageScript(dir: string, entry = 'app.js'): string {
  const modules = new Map<string, LinkedModule>();
  const order: string[] = [];
  const visiting = new Set<string>();

  const visit = (file: string, from: string | undefined) => {
    if (modules.has(file)) return;
    if (visiting.has(file)) throw new Error(`page script: import cycle through ${file} (imported from ${from})`);
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`page script: ${file} not found in ${dir}${from ? ` (imported from ${from})` : ''}`);
    visiting.add(file);
    const linked = transformModule(file, readFileSync(path, 'utf8'));
    for (const dep of linked.dependencies) visit(dep, file);
    visiting.delete(file);
    modules.set(file, linked);
    order.push(file);
  };
  visit(entry, undefined);

  const parts = ['(function () {', "'use strict';", 'const __modules = Object.create(null);'];
  for (const file of order) {
    const linked = modules.get(file)!;
    parts.push(`// ${file}`, `__modules[${JSON.stringify(file)}] = (function () {`, linked.body, `return { ${linked.exports.join(', ')} };`, '})();');
  }
  parts.push('})();', '');
  return parts.join('\n');
}

interface LinkedModule {
  body: string;
  exports: string[];
  dependencies: string[];
}

const IDENT = '[A-Za-z_$][\\w$]*';

function transformModule(file: string, source: string): LinkedModule {
  const dependencies: string[] = [];
  const exports: string[] = [];
  const resolve = (spec: string) => {
    if (!spec.startsWith('./') && !spec.startsWith('../')) throw new Error(`page script ${file}: only relative imports can be linked, not '${spec}'`);
    const target = posix.normalize(posix.join(posix.dirname(file), spec));
    if (target.startsWith('..')) throw new Error(`page script ${file}: import '${spec}' leaves the page's folder`);
    dependencies.push(target);
    return JSON.stringify(target);
  };

  let body = source.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
  body = body.replace(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)';?[ \t]*$/gm, (_all, names: string, spec: string) => {
    const bindings = names
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const match = new RegExp(`^(${IDENT})(?:\\s+as\\s+(${IDENT}))?$`).exec(part);
        if (!match) throw new Error(`page script ${file}: cannot link import specifier '${part}'`);
        return match[2] ? `${match[1]}: ${match[2]}` : match[1];
      });
    return `const { ${bindings.join(', ')} } = __modules[${resolve(spec)}];`;
  });
  body = body.replace(new RegExp(`^import\\s*\\*\\s*as\\s+(${IDENT})\\s+from\\s*'([^']+)';?[ \\t]*$`, 'gm'), (_all, name: string, spec: string) => {
    return `const ${name} = __modules[${resolve(spec)}];`;
  });
  body = body.replace(/^import\s*'([^']+)';?[ \t]*$/gm, (_all, spec: string) => {
    resolve(spec);
    return '';
  });
  if (/^import[\s{*'"]/m.test(body)) throw new Error(`page script ${file}: an import form the linker does not know`);

  body = body.replace(/^export\s*\{\s*\};?[ \t]*$/gm, '');
  body = body.replace(/^export\s*\{([^}]*)\};?[ \t]*$/gm, (_all, names: string) => {
    for (const part of names
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const match = new RegExp(`^(${IDENT})(?:\\s+as\\s+(${IDENT}))?$`).exec(part);
      if (!match) throw new Error(`page script ${file}: cannot link export specifier '${part}'`);
      exports.push(match[2] ? `${match[2]}: ${match[1]}` : match[1]);
    }
    return '';
  });
  body = body.replace(new RegExp(`^export\\s+((?:async\\s+)?function\\*?|class|const)\\s+(${IDENT})`, 'gm'), (_all, keyword: string, name: string) => {
    exports.push(name);
    return `${keyword} ${name}`;
  });
  const left = /^export\b.*$/m.exec(body);
  if (left) throw new Error(`page script ${file}: cannot link '${left[0].slice(0, 80)}'`);
  return { body: body.trim(), exports, dependencies };
}
