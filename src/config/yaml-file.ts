import { readTextFile } from './text-file.js';
import * as jsYaml from 'js-yaml';
import { createRequire } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';
import type { z } from 'zod';
import { TsdbtError, type ErrorKind, type SourceLocation } from '../errors/tsdbt-error.js';
import { codeFrame } from '../errors/code-frame.js';
import { didYouMean } from '../errors/suggest.js';

export type YamlPath = ReadonlyArray<string | number>;

/** A parsed YAML file that can point back at the line of any value in it. */
export interface YamlFile {
  path: string;
  text: string;
  data: unknown;
  locate(path: YamlPath, onKey?: boolean): SourceLocation;
}

export function readYamlFile(path: string, kind: ErrorKind, displayPath = path): YamlFile {
  return parseYamlText(readTextFile(path, displayPath, kind), displayPath, kind);
}

/**
 * Parses with js-yaml (several times faster on big properties files); the position-aware
 * `yaml` parser only runs when an error has to point at a line.
 */
export function parseYamlText(text: string, displayPath: string, kind: ErrorKind): YamlFile {
  let data: unknown;
  try {
    data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: displayPath });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message.split('\n')[0];
    const line = mark ? mark.line + 1 : undefined;
    const column = mark ? mark.column + 1 : undefined;
    throw new TsdbtError(`invalid YAML: ${reason}`, {
      code: 'E_YAML_SYNTAX',
      kind,
      location: { file: displayPath, line, column },
      frame: line ? codeFrame(text, line, column) : undefined,
      hint: 'fix the YAML syntax (indentation, quotes, colons, duplicate keys) at the marked position',
    });
  }
  let located: { doc: Document; lineCounter: LineCounter } | undefined;
  const locate = (path: YamlPath, onKey = false): SourceLocation => {
    if (!located) {
      const { LineCounter, parseDocument } = positionalYaml();
      const lineCounter = new LineCounter();
      located = { doc: parseDocument(text, { lineCounter, uniqueKeys: false }), lineCounter };
    }
    return locateInDocument(located.doc, located.lineCounter, displayPath, path, onKey);
  };
  return { path: displayPath, text, data: data ?? {}, locate };
}

// The position-aware parser costs ~150 ms to import: load it only when an error needs a line.
let yamlModule: typeof import('yaml') | undefined;
function positionalYaml(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
}

function locateInDocument(doc: Document, lineCounter: LineCounter, file: string, path: YamlPath, onKey: boolean): SourceLocation {
  // Walk as deep as the path exists so a missing key still points at its parent.
  const { isMap, isScalar } = positionalYaml();
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      const item = (node as { items: unknown[] }).items[Number(segment)];
      if (item === undefined) break;
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
  }
  const target = (onKey && keyNode ? keyNode : (node ?? keyNode)) as Node | undefined;
  const offset = target?.range?.[0];
  if (offset === undefined) return { file };
  const pos = lineCounter.linePos(offset);
  return { file, line: pos.line, column: pos.col };
}

/**
 * Validates parsed YAML against a zod schema and reports every problem with its line,
 * suggesting the closest known key for a misspelled one.
 */
export function validateYaml<T>(
  file: YamlFile,
  schema: z.ZodType<T>,
  kind: ErrorKind,
  knownKeys: Iterable<string>,
  data: unknown = file.data,
  basePath: YamlPath = [],
): { value?: T; errors: TsdbtError[] } {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data, errors: [] };
  const errors: TsdbtError[] = [];
  for (const issue of result.error.issues) {
    const path = [...basePath, ...(issue.path as Array<string | number>)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const location = file.locate([...path, key], true);
        const parent = path.length > 0 ? ` under ${describePath(data, path.slice(basePath.length), basePath)}` : '';
        const suggestion = didYouMean(key, knownKeys);
        errors.push(
          new TsdbtError(`unknown key "${key}"${parent}`, {
            code: 'E_UNKNOWN_KEY',
            kind,
            location,
            frame: location.line ? codeFrame(file.text, location.line, location.column) : undefined,
            hint: suggestion ?? 'remove it or check the spelling against the documentation',
          }),
        );
      }
      continue;
    }
    const location = file.locate(path);
    const where = path.length > 0 ? `${describePath(data, path.slice(basePath.length), basePath)}: ` : '';
    errors.push(
      new TsdbtError(`${where}${issue.message}`, {
        code: 'E_INVALID_VALUE',
        kind,
        location,
        frame: location.line ? codeFrame(file.text, location.line, location.column) : undefined,
        hint: 'correct the value at the marked position',
      }),
    );
  }
  return { errors };
}

/** `models › stg_orders › columns › id` reads better than `models.0.columns.3`. */
function describePath(data: unknown, path: YamlPath, basePath: YamlPath): string {
  const parts: string[] = basePath.map(String);
  let value: unknown = data;
  for (const segment of path) {
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
    const name = typeof segment === 'number' && value && typeof value === 'object' ? (value as { name?: unknown }).name : undefined;
    parts.push(typeof segment === 'number' ? (typeof name === 'string' ? name : `[${segment}]`) : segment);
  }
  return parts.join(' › ');
}
