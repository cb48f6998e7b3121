/** A macro's (or custom generic test's) declared parameter, with its default when it has one. */
export interface MacroParam {
  name: string;
  default?: unknown;
}

const DECLARATION = /^\s*\{\{!--\s*params:\s*([^}]*?)\s*--\}\}/;

/**
 * The parameters a template declares on its first line: {{!-- params: column, decimals=2 --}}.
 * A default is a number, a quoted string, true, false or null.
 */
export function declaredParams(template: string): MacroParam[] {
  const declared = DECLARATION.exec(template);
  return (declared ? declared[1]!.split(',') : [])
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { name: p } : { name: p.slice(0, eq).trim(), default: parseDefault(p.slice(eq + 1).trim()) };
    });
}

/** The defaults of the declared parameters that `given` does not set. */
export function defaultsFor(params: readonly MacroParam[], given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const param of params) if ('default' in param && !(param.name in given)) out[param.name] = param.default;
  return out;
}

function parseDefault(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(text);
  return quoted ? (quoted[1] ?? quoted[2]) : text;
}

/** A used macro's unique id: `name` is the project's own, `package.name` a package's. */
export function macroUniqueId(projectName: string, used: string): string {
  return used.includes('.') ? `macro.${used}` : `macro.${projectName}.${used}`;
}
