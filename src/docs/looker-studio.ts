import type { Dialect } from '../compile/dialect.js';
import type { CompiledProject } from '../compile/types.js';

const CREATE_REPORT = 'https://lookerstudio.google.com/reporting/create';

/** What an exposure's `meta.looker_studio` may say (all optional). */
export interface LookerStudioMeta {
  /** The template report the link copies; absent: Looker Studio's default report. */
  report_id?: string;
  report_name?: string;
  /** Data source alias of the template → the ref name it reads; absent: ds0, ds1, … in depends_on order. */
  data_sources?: Record<string, string>;
}

/**
 * A Looker Studio Linking API URL that opens a report over the given relations: each relation
 * becomes the data source of one alias (`ds.<alias>.*` parameters), the report is copied from
 * `report_id` when set. Undefined when the engine is not one Looker Studio connects to.
 */
export function lookerStudioUrl(
  dialect: Dialect,
  sources: ReadonlyArray<{ alias: string; relationName: string; name: string }>,
  report: { reportId?: string; reportName: string },
): string | undefined {
  if (!dialect.biDataSource || sources.length === 0) return undefined;
  const params = new URLSearchParams();
  if (report.reportId) params.set('c.reportId', report.reportId);
  params.set('r.reportName', report.reportName);
  for (const { alias, relationName, name } of sources) {
    const parameters = dialect.biDataSource(relationName);
    if (!parameters) return undefined;
    params.set(`ds.${alias}.datasourceName`, name);
    for (const [key, value] of Object.entries(parameters)) params.set(`ds.${alias}.${key}`, value);
  }
  return `${CREATE_REPORT}?${params.toString()}`;
}

/** An exposure's `meta.looker_studio`: each key it may hold, or why a value is not used. */
export function readLookerStudioMeta(meta: Record<string, unknown>): { value: LookerStudioMeta; problems: string[] } {
  const raw = meta.looker_studio;
  const problems: string[] = [];
  if (raw === undefined) return { value: {}, problems };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { value: {}, problems: ['must be a mapping (report_id, report_name, data_sources)'] };
  const value: LookerStudioMeta = {};
  for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'report_id' || key === 'report_name') {
      if (typeof entry === 'string' && entry !== '') value[key] = entry;
      else problems.push(`${key} must be a non-empty string`);
    } else if (key === 'data_sources') {
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && Object.values(entry).every((v) => typeof v === 'string')) {
        value.data_sources = entry as Record<string, string>;
      } else problems.push('data_sources must map each data source alias of the report to a model name');
    } else problems.push(`has no key "${key}" (known: report_id, report_name, data_sources): ignored`);
  }
  return { value, problems };
}

/**
 * "Open in Looker Studio" links of a project: one per model or seed relation (a report over that
 * table), one per dashboard exposure (its upstream relations as the data sources of its template
 * report, or ds0, ds1, … of a new one). Empty on engines Looker Studio does not read.
 */
export function lookerStudioLinks(project: CompiledProject, dialect: Dialect): { links: Map<string, string>; warnings: string[] } {
  const links = new Map<string, string>();
  const warnings: string[] = [];
  if (!dialect.biDataSource) return { links, warnings };
  const relationOf = (id: string) => {
    const node = project.nodes.get(id);
    return node && node.materialized !== 'ephemeral' ? node.relationName : undefined;
  };
  for (const node of project.nodes.values()) {
    const relationName = relationOf(node.uniqueId);
    const url = relationName && lookerStudioUrl(dialect, [{ alias: 'ds0', relationName, name: node.name }], { reportName: node.name });
    if (url) links.set(node.uniqueId, url);
  }
  for (const exposure of project.exposures.values()) {
    const { value, problems } = readLookerStudioMeta(exposure.meta);
    const where = `${exposure.location.file}: exposure ${exposure.name}: meta.looker_studio`;
    for (const problem of problems) warnings.push(`${where} ${problem}`);
    if (exposure.type !== 'dashboard') continue;
    const parents = exposure.dependsOn.nodes.filter((id) => relationOf(id));
    const sources: Array<{ alias: string; relationName: string; name: string }> = [];
    if (value.data_sources) {
      const byName = new Map(parents.map((id) => [project.nodes.get(id)!.name, id]));
      for (const [alias, name] of Object.entries(value.data_sources)) {
        const id = byName.get(name);
        if (id) sources.push({ alias, relationName: relationOf(id)!, name });
        else warnings.push(`${where}.data_sources.${alias} names "${name}", which is not a model the exposure depends on`);
      }
    } else parents.forEach((id, i) => sources.push({ alias: `ds${i}`, relationName: relationOf(id)!, name: project.nodes.get(id)!.name }));
    const url = lookerStudioUrl(dialect, sources, { reportId: value.report_id, reportName: value.report_name ?? exposure.label ?? exposure.name });
    if (url) links.set(exposure.uniqueId, url);
  }
  return { links, warnings };
}
