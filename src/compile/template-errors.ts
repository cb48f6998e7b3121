import { TsdbtError } from '../errors/tsdbt-error.js';
import { codeFrame } from '../errors/code-frame.js';

interface HandlebarsLikeError {
  message: string;
  lineNumber?: number;
  column?: number;
  hash?: { loc?: { first_line: number; first_column: number } };
}

/** Turns whatever Handlebars threw while parsing or rendering into an error that points at the template. */
export function templateError(error: unknown, file: string, source: string, nodeId: string | undefined): TsdbtError {
  if (error instanceof TsdbtError) {
    if (error.location) return error;
    return new TsdbtError(error.message, { code: error.code, kind: error.kind, location: { file }, nodeId, hint: error.hint, cause: error });
  }
  const err = error as HandlebarsLikeError;
  const message = String(err.message ?? error);
  let line = err.lineNumber ?? err.hash?.loc?.first_line;
  let column = err.column !== undefined ? err.column + 1 : err.hash?.loc ? err.hash.loc.first_column + 1 : undefined;
  const parse = /Parse error on line (\d+)/.exec(message);
  if (parse && line === undefined) line = Number(parse[1]);
  const strictMiss = /"([^"]+)" not defined in .* - (\d+):(\d+)/.exec(message);
  if (strictMiss) {
    line = Number(strictMiss[2]);
    column = Number(strictMiss[3]) + 1;
    return build(
      `unknown name "${strictMiss[1]}" in template`,
      'E_TEMPLATE_UNKNOWN_NAME',
      `{{${strictMiss[1]}}} is neither a helper nor a variable: check the spelling, or use {{var "${strictMiss[1]}"}} for a project variable`,
    );
  }
  const missingHelper = /Missing helper: "?([^"\s]+)"?/.exec(message);
  if (missingHelper) {
    const at = locateText(source, `{{${missingHelper[1]}`) ?? locateText(source, missingHelper[1]!);
    line = at?.line;
    column = at?.column;
    return build(
      `unknown helper "${missingHelper[1]}"`,
      'E_TEMPLATE_UNKNOWN_HELPER',
      'check the spelling; project macros live in macros/ (file name = helper name)',
    );
  }
  const missingPartial = /The partial (\S+) could not be found/.exec(message);
  if (missingPartial) {
    const at = locateText(source, `{{> ${missingPartial[1]}`) ?? locateText(source, `{{>${missingPartial[1]}`);
    line = at?.line;
    column = at?.column;
    return build(
      `unknown partial "${missingPartial[1]}"`,
      'E_TEMPLATE_UNKNOWN_PARTIAL',
      'partials are the SQL macros of macros/ (file name = partial name): check the spelling',
    );
  }
  if (parse || /Expecting|Parse error/.test(message)) {
    const firstLine = message.split('\n').find((l) => /Expecting|got/.test(l)) ?? message.split('\n')[0]!;
    if (/got 'EOF'/.test(firstLine)) {
      // Handlebars reports the end of the file; the block left open is what the user must fix.
      const open = unclosedBlock(source);
      if (open) {
        line = open.line;
        column = open.column;
        return build(`template syntax error: {{#${open.name}}} is never closed`, 'E_TEMPLATE_SYNTAX', `add {{/${open.name}}} where the block ends`);
      }
    }
    return build(
      `template syntax error: ${firstLine.trim()}`,
      'E_TEMPLATE_SYNTAX',
      'check that every {{ has a matching }} and every {{#block}} is closed with {{/block}}',
    );
  }
  return build(`template error: ${message.split('\n')[0]}`, 'E_TEMPLATE', 'fix the template at the marked position');

  function build(text: string, code: string, hint: string): TsdbtError {
    return new TsdbtError(text, {
      code,
      kind: 'project',
      nodeId,
      location: { file, line, column },
      frame: line ? codeFrame(source, line, column) : undefined,
      hint,
    });
  }
}

export function locateText(source: string, needle: string): { line: number; column: number } | undefined {
  const index = source.indexOf(needle);
  if (index < 0) return undefined;
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** The innermost `{{#block}}` without its `{{/block}}`, found by pairing openers and closers. */
function unclosedBlock(source: string): { name: string; line: number; column: number } | undefined {
  const stack: Array<{ name: string; index: number }> = [];
  for (const match of source.matchAll(/\{\{~?\s*([#/])\s*(?:\*|>)?\s*([\w.-]+)/g)) {
    if (match[1] === '#') stack.push({ name: match[2]!, index: match.index! });
    else if (stack.length > 0 && stack[stack.length - 1]!.name === match[2]) stack.pop();
  }
  const open = stack.pop();
  if (!open) return undefined;
  const before = source.slice(0, open.index);
  return { name: open.name, line: before.split('\n').length, column: open.index - before.lastIndexOf('\n') };
}
