import { QueryError, type QueryResult } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/registry.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { selectForCommand } from '../graph/select-project.js';
import type { OpenedProject } from './open-project.js';

export interface Preview extends QueryResult {
  /** The model's name, or "inline query". */
  label: string;
}

/** `tsdbt show`: the first rows of one model or seed (`select`), or of templated SQL (`inline`). */
export async function preview(opened: OpenedProject, options: { select?: string[]; inline?: string; limit: number }): Promise<Preview> {
  const { project } = opened;
  if ((options.inline === undefined) === (options.select === undefined)) {
    throw new TsdbtError('show needs exactly one of --select <model> or --inline "<sql>"', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'e.g. tsdbt show --select my_model --limit 20',
    });
  }
  let sql: string;
  let label = 'inline query';
  let file = '--inline';
  if (options.inline !== undefined) sql = project.renderAdHoc(options.inline, '--inline');
  else {
    const ids = [...selectForCommand(project, options.select, undefined, new Set(['model', 'seed', 'snapshot']))];
    if (ids.length !== 1) {
      throw new TsdbtError(`show --select must match exactly one model, seed or snapshot, matched ${ids.length}`, {
        code: 'E_USAGE',
        kind: 'usage',
        hint: 'name a single model, e.g. --select my_model',
      });
    }
    const node = project.nodes.get(ids[0]!)!;
    // A seed's and a snapshot's rows are their table's (a snapshot's query is not its history).
    sql = node.resourceType === 'model' ? node.compiledCode : `SELECT * FROM ${node.relationName}`;
    label = node.name;
    file = node.originalFilePath;
  }
  const { connection } = await createAdapter(opened.target);
  await connection.open();
  try {
    return { label, ...(await connection.query(sql, options.limit)) };
  } catch (error) {
    if (error instanceof QueryError)
      throw new TsdbtError(error.message, { code: 'E_QUERY', kind: 'runtime', location: { file }, hint: 'fix the SQL and try again' });
    throw error;
  } finally {
    await connection.close();
  }
}
