import { codeFrame } from '../errors/code-frame.js';
import { type Diagnostics, TsdbtError } from '../errors/tsdbt-error.js';
import type { SourceTable } from '../project/types.js';
import type { Dialect } from './dialect.js';
import type { FilesConfig } from './node-config.js';
import type { PlaceholderOverride, RelationResolver } from './relations.js';
import { locateText } from './template-errors.js';
import type { CompiledNode } from './types.js';

/**
 * What one incremental run of a files model reads: for each lake source and each files parent
 * it reads, the files (their paths, as the file column holds them) of this run. An input that is
 * not listed is read whole (a seed, a lookup table).
 */
export interface FileSelection {
  /** Source unique id → the files to read (empty: none). */
  sources: ReadonlyMap<string, readonly string[]>;
  /** Parent model unique id → the files whose rows to read (empty: none). */
  parents: ReadonlyMap<string, readonly string[]>;
}

/** The files config of a model loaded by lake file, or undefined. */
export function filesConfigOf(node: CompiledNode): FilesConfig | undefined {
  const config = node.resolvedConfig;
  return config.materialized === 'incremental' ? config.incremental.files : undefined;
}

/** A source read file by file: a lake location whose reader names each row's file. */
export const isFileSource = (source: SourceTable | undefined): source is SourceTable & { external: { file_name_column: string } } =>
  typeof source?.external?.file_name_column === 'string' && source.external.file_name_column !== '';

/**
 * Gives every files model its file column: the one it sets, or the single file_name_column of
 * the lake sources and the file column of the files models it reads. A model with no such input,
 * or inputs that disagree, is an error at its config.
 */
export function resolveFileColumns(
  order: readonly string[],
  nodes: ReadonlyMap<string, CompiledNode>,
  sources: ReadonlyMap<string, SourceTable>,
  diagnostics: Diagnostics,
): void {
  for (const id of order) {
    const node = nodes.get(id);
    const files = node && filesConfigOf(node);
    if (!node || !files) continue;
    const columns = new Set<string>();
    for (const parent of node.dependsOn.nodes) {
      const source = sources.get(parent);
      if (isFileSource(source)) columns.add(source.external.file_name_column);
      const model = nodes.get(parent);
      const column = model && filesConfigOf(model)?.fileColumn;
      if (column) columns.add(column);
    }
    const fail = (message: string, hint: string) => {
      const at = locateText(node.rawCode, 'files') ?? { line: 1, column: 1 };
      diagnostics.add(
        new TsdbtError(`model "${node.name}": ${message}`, {
          code: 'E_CONFIG',
          kind: 'project',
          nodeId: node.uniqueId,
          location: { file: node.originalFilePath, line: at.line, column: at.column },
          frame: codeFrame(node.rawCode, at.line, at.column),
          hint,
        }),
      );
    };
    if (columns.size === 0) {
      fail(
        'incremental_strategy "files" needs an input read file by file',
        'read a lake source whose external block sets file_name_column, or ref a model with incremental_strategy files',
      );
    } else if (!files.fileColumn && columns.size > 1) {
      fail(
        `its inputs name their files in different columns (${[...columns].join(', ')})`,
        "set file_column: the column of the model that holds each row's file",
      );
    } else {
      files.fileColumn ??= [...columns][0];
    }
  }
}

/**
 * The placeholder override of a files run: a listed lake source reads only its listed files, a
 * listed files parent only the rows of its listed files.
 */
export function fileSelectionOverride(selection: FileSelection, using: RelationResolver, dialect: Dialect, lakeRoot: string | undefined): PlaceholderOverride {
  return (kind, key) => {
    if (kind === 'src') {
      const source = using.sourcesByKey.get(key)!;
      const files = selection.sources.get(source.uniqueId);
      if (files === undefined) return undefined;
      // No file of this source changed: its reader still gives the columns, and no row.
      if (files.length === 0) return `(select * from ${dialect.sourceRelation(source, lakeRoot)} where false)`;
      return dialect.sourceRelation(source, lakeRoot, files);
    }
    if (kind !== 'ref') return undefined;
    const parent = using.modelsByName.get(key);
    const files = parent && selection.parents.get(parent.uniqueId);
    const column = parent && filesConfigOf(parent)?.fileColumn;
    if (!parent || files === undefined || !column) return undefined;
    const list = files.length === 0 ? 'false' : `${dialect.quoteIdentifier(column)} in (${files.map((f) => dialect.literal(f)).join(', ')})`;
    return `(select * from ${parent.relationName} where ${list})`;
  };
}
