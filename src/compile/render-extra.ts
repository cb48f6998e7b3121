import type { TsdbtError } from '../errors/tsdbt-error.js';
import { findJinja, jinjaError } from './jinja/detect.js';
import type { RelationResolver } from './relations.js';
import type { CompiledSql, RenderedText } from './line-map.js';
import { newRenderState, type RenderState, type TemplateEnvironment } from './template-environment.js';
import { templateError } from './template-errors.js';

export interface ExtraTemplate {
  source: string;
  file: string;
  /** For messages: `test "x"`, `query "--inline"`. */
  kind: string;
  name: string;
  nodeId?: string;
  locals?: Record<string, unknown>;
}

export interface RenderedExtra {
  sql: string;
  /** Where each line of `sql` was written. */
  lines: CompiledSql['lines'];
  /** The rendered text before relations are resolved (placeholders), to resolve again for --defer. */
  unresolved: string;
  parents: string[];
  config: Record<string, unknown>;
  configLocations: RenderState['configLocations'];
  macros: string[];
  errors: TsdbtError[];
}

/** Renders a template that is not a model (tests, hooks, --inline) with the models' helpers. */
export function renderExtraTemplate(environment: TemplateEnvironment, resolver: RelationResolver, template: ExtraTemplate): RenderedExtra {
  const state = newRenderState(template.nodeId ?? template.name, template.file, template.source);
  const failed = (error: TsdbtError): RenderedExtra => ({
    sql: '',
    lines: [],
    unresolved: '',
    parents: [],
    config: {},
    configLocations: {},
    macros: [],
    errors: [error],
  });
  const jinja = findJinja(template.source);
  if (jinja) return failed(jinjaError(template.file, template.source, jinja, template.nodeId));
  let output: RenderedText;
  try {
    output = environment.render(environment.compile(template.source), state, template.locals);
  } catch (error) {
    return failed(templateError(error, template.file, template.source, template.nodeId));
  }
  const { parents, errors } = resolver.parentsOf(state, {
    kind: template.kind,
    name: template.name,
    file: template.file,
    source: template.source,
    nodeId: template.nodeId,
  });
  const compiled = errors.length > 0 ? { text: '', lines: [] } : resolver.finalize(output);
  return {
    sql: compiled.text,
    lines: compiled.lines,
    unresolved: output.text,
    parents,
    config: state.config,
    configLocations: state.configLocations,
    macros: [...state.macros],
    errors,
  };
}
