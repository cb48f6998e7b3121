import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import Handlebars from 'handlebars';
import { codeFrame } from '../errors/code-frame.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { MacroFile } from '../project/types.js';
import { findJinja, jinjaError } from './jinja/detect.js';
import { templateError } from './template-errors.js';

/** Parses a SQL macro file's template: syntax errors and Jinja are reported at load, used or not. */
export function checkSqlMacro(macro: MacroFile): TsdbtError | undefined {
  const jinja = findJinja(macro.rawCode);
  if (jinja) return jinjaError(macro.originalFilePath, macro.rawCode, jinja);
  try {
    Handlebars.parse(macro.rawCode);
    return undefined;
  } catch (error) {
    return templateError(error, macro.originalFilePath, macro.rawCode, undefined);
  }
}

/** A JS macro module that failed to import, with the file's line where Node can tell it. */
export function jsModuleError(macro: MacroFile, cause: unknown): TsdbtError {
  const message = (cause as Error).message ?? String(cause);
  const location = cause instanceof SyntaxError ? syntaxErrorLocation(macro) : stackLocation(cause, macro);
  return new TsdbtError(`cannot load JS macro module: ${(cause as Error).name ?? 'Error'}: ${message}`, {
    code: 'E_MACRO_MODULE',
    kind: 'project',
    location: location ?? { file: macro.originalFilePath },
    frame: location?.line ? codeFrame(macro.rawCode, location.line, location.column) : undefined,
    hint: 'the module must be valid ESM (export function name(…) {…}) exporting helper functions',
    cause,
  });
}

/**
 * Where a module's syntax error is. Node's import() does not say, `node --check` does
 * (`file:LINE` then the line and a caret); it only runs when a module failed to load.
 */
function syntaxErrorLocation(macro: MacroFile): SourceLocation | undefined {
  const check = spawnSync(process.execPath, ['--check', macro.absolutePath], { encoding: 'utf8' });
  const lines = check.stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith(macro.absolutePath) || l.startsWith(pathToFileURL(macro.absolutePath).href));
  const line = at >= 0 ? Number(/:(\d+)$/.exec(lines[at]!)?.[1]) : Number.NaN;
  if (!Number.isInteger(line)) return undefined;
  const caret = lines[at + 2]?.indexOf('^') ?? -1;
  return { file: macro.originalFilePath, line, column: caret >= 0 ? caret + 1 : undefined };
}

/** The macro file's own line in an error's stack (a helper that threw), when it is there. */
export function stackLocation(cause: unknown, macro: Pick<MacroFile, 'absolutePath' | 'originalFilePath'>): SourceLocation | undefined {
  const stack = (cause as Error)?.stack ?? '';
  const url = pathToFileURL(macro.absolutePath).href;
  for (const prefix of [url, macro.absolutePath]) {
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
    if (match) return { file: macro.originalFilePath, line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}

/**
 * A helper's result as it goes into SQL. Text, numbers and booleans go in as they are; an object,
 * an array or a function would render as "[object Object]", "a,b" or its source code, so it is
 * returned behind a proxy that works everywhere (an argument of another helper, {{#each}}) but
 * throws `error()` the moment it is turned into text.
 */
export function guardHelperOutput<T>(value: T, error: (kind: string) => TsdbtError): T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || value instanceof Handlebars.SafeString) return value;
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'function' ? 'a function' : 'an object';
  return new Proxy(value as object, {
    get(target, property) {
      if (property === Symbol.toPrimitive || property === 'toString' || property === 'valueOf') {
        return () => {
          throw error(kind);
        };
      }
      return Reflect.get(target, property, target);
    },
  }) as T;
}
