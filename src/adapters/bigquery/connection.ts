import type { BigQuery, Job, Query } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import { randomUUID } from 'node:crypto';
import { sqlBody } from '../../compile/sql-text.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { formatBytes } from '../../text/format-bytes.js';
import {
  type AdapterContext,
  type CatalogRelation,
  type Connection,
  type ExistingRelation,
  type JobInfo,
  type MaterializationPlan,
  QueryError,
  type ResolvedTarget,
  type SourcePlan,
  type Statement,
} from '../adapter.js';
import { asScript } from '../statements.js';
import { createBigqueryClient } from './client.js';
import { listLakeFiles } from './lake-files.js';
import { columnsOfSchema, existingTableOf } from './ddl.js';
import { describeFailure, isTransient, toRunError } from './errors.js';
import { currentGrantsQuery, grantsOfRows } from './grants.js';
import { bigqueryLiteral, labelValue, parseBigqueryRelation } from './identifiers.js';
import type { BigquerySettings } from './settings.js';

/** What BigQuery returns for a job (jobs.insert / jobs.get), as far as tsdbt reads it. */
interface JobResource {
  jobReference?: { jobId?: string; location?: string };
  status?: { state?: string; errorResult?: { reason?: string; message?: string }; errors?: Array<{ reason?: string; message?: string }> };
  statistics?: {
    totalBytesProcessed?: string;
    query?: {
      totalBytesProcessed?: string;
      totalBytesBilled?: string;
      numDmlAffectedRows?: string;
      statementType?: string;
      schema?: { fields?: Array<{ name?: string; type?: string; mode?: string }> };
    };
  };
}

interface JobContext {
  /** Extra job labels (model or source name). */
  labels: Record<string, string>;
  /** Readable job id prefix. */
  name: string;
  dryRun?: boolean;
  /** The statements of the job, for mapping BigQuery's [line:column] back. */
  statements?: readonly Statement[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * BigQuery through @google-cloud/bigquery: one query job per plan (a script when it has several
 * statements), labelled and located; datasets and the lake's external tables are created on the
 * first write, so that --dry-run changes nothing.
 */
export function createBigqueryConnection(target: ResolvedTarget<BigquerySettings>, context: AdapterContext = {}): Connection {
  const { settings } = target;
  const invocationId = context.invocationId ?? randomUUID();
  let client: BigQuery | undefined;
  const running = new Set<Job>();
  let cancelled = false;
  /** dataset → exists (checked with datasets.get during prepare*). */
  const datasets = new Map<string, boolean>();
  let sourcePlans: SourcePlan[] = [];
  let written: Promise<void> | undefined;
  let sourcesChecked: Promise<void> | undefined;
  /** Set by prepareSources({dryRun: true}): nothing may run for real in this invocation. */
  let dryRunInvocation = false;

  const guard = () => {
    if (cancelled) throw new QueryError('cancelled (interrupted)', { reason: 'stopped', cancelled: true });
  };
  const connect = async (): Promise<BigQuery> => {
    client ??= await createBigqueryClient(settings);
    return client;
  };
  const profileLocation = (key: string) => target.locate(key);
  const labelsOf = (job: JobInfo): Record<string, string> =>
    job.kind === 'source' ? { tsdbt_source: labelValue(job.name) } : job.kind === 'query' ? {} : { tsdbt_model: labelValue(job.name) };

  async function checkDatasets(names: readonly string[]): Promise<void> {
    const bq = await connect();
    for (const name of [...new Set(names)]) {
      if (datasets.has(name)) continue;
      try {
        const [exists] = await bq.dataset(name).exists();
        datasets.set(name, exists);
      } catch (error) {
        throw connectionError(error, `cannot read dataset ${settings.project}.${name}`);
      }
    }
  }

  function connectionError(error: unknown, what: string): TsdbtError {
    const failure = describeFailure(error);
    return new TsdbtError(`${what}: BigQuery ${failure.reason ?? failure.code ?? 'error'}: ${failure.message}`, {
      code: 'E_CONNECT',
      kind: 'runtime',
      location: target.locate(),
      hint:
        failure.reason === 'accessDenied' || failure.code === 401 || failure.code === 403
          ? 'the service account needs BigQuery Data Editor and BigQuery Job User on the project'
          : 'check project, location and credentials in profiles.yml (tsdbt debug tests the connection)',
    });
  }

  /** Missing datasets and the external tables, created once, before the first job that writes. */
  function prepareWrites(): Promise<void> {
    written ??= (async () => {
      const bq = await connect();
      for (const [name, exists] of datasets) {
        if (exists) continue;
        guard();
        try {
          await bq.createDataset(name, settings.location ? { location: settings.location } : {});
        } catch (error) {
          // Another run created it meanwhile: fine.
          if ((error as { code?: number }).code !== 409) throw connectionError(error, `cannot create dataset ${settings.project}.${name}`);
        }
        datasets.set(name, true);
      }
      for (const { source, plan, relation } of sourcePlans) {
        try {
          await runPlan(plan, { labels: { tsdbt_source: labelValue(`${source.sourceName}_${source.name}`) }, name: `${source.sourceName}_${source.name}` });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new TsdbtError(`cannot create the external table ${relation} of source ${source.sourceName}.${source.name}: ${message}`, {
            code: 'E_EXTERNAL_TABLE',
            kind: 'runtime',
            location: source.location,
            nodeId: source.uniqueId,
            hint: 'check the lake location and reader options of the source (and that tsdbt lake push uploaded the files)',
          });
        }
      }
    })();
    return written;
  }

  /** --dry-run: the external tables' DDL is validated (not run) once. */
  function dryRunSources(): Promise<void> {
    sourcesChecked ??= (async () => {
      for (const { source, plan } of sourcePlans) {
        await runPlan(plan, { labels: {}, name: `${source.sourceName}_${source.name}`, dryRun: true });
      }
    })();
    return sourcesChecked;
  }

  const runPlan = (plan: MaterializationPlan, job: JobContext) => runJob(asScript(plan.statements).text, { ...job, statements: plan.statements });

  async function runJob(sql: string, job: JobContext): Promise<JobResource> {
    const bq = await connect();
    const labels = { ...settings.jobLabels, tsdbt_invocation_id: invocationId, ...job.labels };
    const options: Query & { jobPrefix: string } = {
      query: sql,
      useLegacySql: false,
      location: settings.location,
      labels,
      priority: settings.priority,
      jobPrefix: `tsdbt_${labelValue(job.name)}_`,
      ...(settings.maximumBytesBilled ? { maximumBytesBilled: String(settings.maximumBytesBilled) } : {}),
      ...(settings.jobTimeoutSeconds ? { jobTimeoutMs: Math.round(settings.jobTimeoutSeconds * 1000) } : {}),
      ...(job.dryRun ? { dryRun: true } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      guard();
      let created: Job | undefined;
      try {
        const [createdJob, response] = (await bq.createQueryJob({ ...options, labels: { ...labels } })) as unknown as [Job, JobResource];
        if (job.dryRun) return response;
        created = createdJob;
        running.add(created);
        let resource = response;
        let wait = 50;
        while (resource.status?.state !== 'DONE') {
          await sleep(wait);
          wait = Math.min(wait * 2, 2000);
          guard();
          [resource] = (await created.getMetadata()) as unknown as [JobResource];
        }
        const failed = resource.status?.errorResult;
        if (failed) {
          throw Object.assign(new Error(failed.message ?? 'job failed'), { errors: [failed, ...(resource.status?.errors ?? [])], response: resource });
        }
        return resource;
      } catch (error) {
        if (error instanceof QueryError || error instanceof TsdbtError) throw error;
        const failure = describeFailure(error);
        if (!cancelled && isTransient(failure) && attempt < settings.retries) {
          await sleep(Math.min(500 * 2 ** attempt, settings.retryMaxDelaySeconds * 1000));
          continue;
        }
        throw toRunError(error, {
          statements: job.statements,
          dryRun: job.dryRun,
          cancelled,
          maximumBytesBilled: settings.maximumBytesBilled,
          profileLocation,
        });
      } finally {
        if (created) running.delete(created);
      }
    }
  }

  /** dataset → its location (OBJECT_PRIVILEGES needs a region when the profile names none). */
  const locations = new Map<string, Promise<string>>();
  function datasetLocation(project: string, dataset: string): Promise<string> {
    const key = `${project}.${dataset}`;
    let found = locations.get(key);
    if (!found) {
      found = connect().then(async (bq) => {
        try {
          const [metadata] = await bq.dataset(dataset, { projectId: project }).getMetadata();
          return String((metadata as { location?: string }).location ?? 'US');
        } catch (error) {
          throw connectionError(error, `cannot read dataset ${key}`);
        }
      });
      locations.set(key, found);
    }
    return found;
  }

  // The lake's Cloud Storage client, created when a files model or a state-aware run lists the lake.
  let storage: Promise<Storage> | undefined;
  const bytesOf = (resource: JobResource) => Number(resource.statistics?.query?.totalBytesProcessed ?? resource.statistics?.totalBytesProcessed ?? 0);

  return {
    async open() {
      await connect();
    },

    describe: () =>
      `bigquery project ${settings.project}, dataset ${settings.dataset}${settings.location ? `, location ${settings.location}` : ''}, ${target.threads} thread${target.threads === 1 ? '' : 's'}${settings.apiEndpoint ? `, endpoint ${settings.apiEndpoint}` : ''}`,

    async prepareSchemas(schemas) {
      await checkDatasets(schemas);
    },

    async prepareSources(plans, options) {
      dryRunInvocation = options.dryRun;
      await checkDatasets(plans.map((p) => p.schema));
      const known = new Set(sourcePlans.map((p) => p.source.uniqueId));
      sourcePlans = [...sourcePlans, ...plans.filter((p) => !known.has(p.source.uniqueId))];
    },

    async lakeFiles(source, lakeRoot) {
      storage ??= (await import('./storage-client.js')).createStorageClient(settings);
      return listLakeFiles(await storage, source, lakeRoot);
    },

    async describeRelation(relation, want) {
      const parts = parseBigqueryRelation(relation.relationName);
      if (!parts) return undefined;
      // A model's work starts here: its dataset and the external tables it reads exist first
      // (or, in a dry run, their DDL is validated first).
      await (dryRunInvocation ? dryRunSources() : prepareWrites());
      const bq = await connect();
      guard();
      let existing: ExistingRelation;
      try {
        const [metadata] = await bq
          .dataset(parts.dataset, { projectId: parts.project ?? settings.project })
          .table(parts.table)
          .getMetadata();
        // tables.get answers columns, layout and rows at once.
        existing = existingTableOf(metadata);
      } catch (error) {
        if (describeFailure(error).reason === 'notFound' || (error as { code?: number }).code === 404) return undefined;
        throw toRunError(error, { maximumBytesBilled: settings.maximumBytesBilled, profileLocation });
      }
      // The relation's own IAM bindings are not in its metadata: one query reads them (none in a dry run).
      if (want.grants && !dryRunInvocation && existing.kind !== 'other') {
        const project = parts.project ?? settings.project;
        const location = settings.location ?? (await datasetLocation(project, parts.dataset));
        try {
          existing.grants = grantsOfRows((await this.query(currentGrantsQuery({ project, dataset: parts.dataset, table: parts.table }, location))).rows);
        } catch (error) {
          if (error instanceof QueryError && error.cancelled) throw error;
          throw new TsdbtError(`cannot read the grants of ${relation.relationName}: ${(error as Error).message}`, {
            code: 'E_GRANTS',
            kind: 'runtime',
            location: target.locate(),
            hint: "managing grants reads the relation's IAM policy (bigquery.tables.getIamPolicy) and sets it (bigquery.tables.setIamPolicy): BigQuery Data Owner on the dataset has both",
          });
        }
      }
      return existing;
    },

    // One query per dataset: INFORMATION_SCHEMA for kinds and columns, __TABLES__ for rows and
    // bytes (the stats BigQuery keeps per table, read without scanning it).
    async catalog(relations) {
      const byDataset = new Map<string, Map<string, string>>();
      for (const relation of relations) {
        const parts = parseBigqueryRelation(relation.relationName);
        if (!parts) continue;
        const dataset = `${parts.project ?? settings.project}.${parts.dataset}`;
        if (!byDataset.has(dataset)) byDataset.set(dataset, new Map());
        byDataset.get(dataset)!.set(parts.table, relation.relationName);
      }
      const found = new Map<string, CatalogRelation>();
      for (const [dataset, tables] of [...byDataset].sort(([a], [b]) => a.localeCompare(b))) {
        const names = [...tables.keys()].sort();
        const result = await this.query(catalogQuery(dataset, names));
        for (const row of result.rows) {
          const relationName = tables.get(String(row.table_name))!;
          let entry = found.get(relationName);
          if (!entry) {
            entry = { kind: relationKind(String(row.table_type)), columns: [] };
            if (row.row_count !== null && row.row_count !== undefined) entry.rows = Number(row.row_count);
            if (row.size_bytes !== null && row.size_bytes !== undefined) entry.bytes = Number(row.size_bytes);
            found.set(relationName, entry);
          }
          entry.columns.push({ name: String(row.column_name), type: String(row.data_type) });
        }
      }
      return found;
    },

    // The columns of a SELECT, from a dry run (free).
    async queryColumns(statement, job) {
      const resource = await runJob(statement.sql, { labels: labelsOf(job), name: job.name, dryRun: true, statements: [statement] });
      return columnsOfSchema(resource.statistics?.query?.schema);
    },

    async execute(plan, job) {
      await prepareWrites();
      const resource = await runPlan(plan, { labels: labelsOf(job), name: job.name });
      const affected = resource.statistics?.query?.numDmlAffectedRows;
      return { rowsAffected: affected === undefined ? undefined : Number(affected), bytesProcessed: bytesOf(resource) };
    },

    async dryRun(plan, job) {
      await dryRunSources();
      const statement = plan.dryRun;
      const resource = statement
        ? await runJob(statement.sql, { labels: labelsOf(job), name: job.name, dryRun: true, statements: [statement] })
        : await runPlan(plan, { labels: labelsOf(job), name: job.name, dryRun: true });
      const bytes = bytesOf(resource);
      const limit = settings.maximumBytesBilled;
      if (limit !== undefined && bytes > limit) {
        throw new TsdbtError(
          `${plan.verb} would process ${formatBytes(bytes)}, more than maximum_bytes_billed = ${formatBytes(limit)}: the real run would be refused`,
          {
            code: 'E_BYTES_LIMIT',
            kind: 'runtime',
            location: profileLocation('maximum_bytes_billed'),
            hint: 'make the model read less (a partition filter, fewer columns) or raise maximum_bytes_billed in profiles.yml',
          },
        );
      }
      return { bytesProcessed: bytes };
    },

    async query(sql, limit) {
      const bq = await connect();
      guard();
      const body = sqlBody(sql);
      const text = limit === undefined ? body : `SELECT * FROM (\n${body}\n) LIMIT ${limit}`;
      const statement: Statement = { sql: text, embeds: { line: limit === undefined ? 1 : 2, sql: { text: body, lines: [] }, file: '' } };
      if (dryRunInvocation) {
        // --dry-run: data test queries are validated and priced by BigQuery, not run (no rows).
        await runJob(text, { labels: {}, name: 'query', dryRun: true, statements: [statement] });
        return { columns: [], rows: [] };
      }
      try {
        const [job] = await bq.createQueryJob({
          query: text,
          useLegacySql: false,
          location: settings.location,
          labels: { ...settings.jobLabels, tsdbt_invocation_id: invocationId },
          priority: settings.priority,
          jobPrefix: 'tsdbt_query_',
          ...(settings.maximumBytesBilled ? { maximumBytesBilled: String(settings.maximumBytesBilled) } : {}),
          ...(settings.jobTimeoutSeconds ? { jobTimeoutMs: Math.round(settings.jobTimeoutSeconds * 1000) } : {}),
        } as Query);
        running.add(job);
        try {
          const [rows, , response] = (await job.getQueryResults({ autoPaginate: false, maxResults: limit ?? 100_000 })) as unknown as [
            Array<Record<string, unknown>>,
            unknown,
            { schema?: { fields?: Array<{ name?: string }> } },
          ];
          const columns = (response?.schema?.fields ?? []).map((f) => String(f.name));
          return { columns: columns.length > 0 ? columns : Object.keys(rows[0] ?? {}), rows: rows.map((row) => plain(row) as Record<string, unknown>) };
        } finally {
          running.delete(job);
        }
      } catch (error) {
        throw toRunError(error, { statements: [statement], cancelled, maximumBytesBilled: settings.maximumBytesBilled, profileLocation });
      }
    },

    // Relations are fully qualified (project.dataset.table): the state's are readable as they are.
    async attachForDeferral() {
      return '';
    },

    async cancelAll() {
      cancelled = true;
      await Promise.all([...running].map((job) => job.cancel().catch(() => undefined)));
    },

    async close() {
      running.clear();
      client = undefined;
    },
  };
}

/** The catalog of some tables of one dataset (`project.dataset`), one row per column in order. */
export function catalogQuery(dataset: string, tables: readonly string[]): string {
  const from = (view: string) => `\`${dataset}\`.${view}`;
  return [
    'SELECT c.table_name, c.column_name, c.ordinal_position, c.data_type, t.table_type, s.row_count, s.size_bytes',
    `FROM ${from('INFORMATION_SCHEMA.COLUMNS')} AS c`,
    `JOIN ${from('INFORMATION_SCHEMA.TABLES')} AS t ON t.table_name = c.table_name`,
    `LEFT JOIN ${from('__TABLES__')} AS s ON s.table_id = c.table_name`,
    `WHERE c.table_name IN (${tables.map(bigqueryLiteral).join(', ')})`,
    'ORDER BY c.table_name, c.ordinal_position',
  ].join('\n');
}

function relationKind(tableType: string): CatalogRelation['kind'] {
  if (tableType === 'BASE TABLE') return 'table';
  if (tableType === 'VIEW' || tableType === 'MATERIALIZED VIEW') return 'view';
  if (tableType === 'EXTERNAL') return 'external';
  return 'other';
}

/** Client values (BigQueryDate, Big, Buffer, …) → JSON-friendly values. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown> & { constructor?: { name?: string } };
    if (typeof v.value === 'string' && Object.keys(v).length === 1) return v.value;
    if (v.constructor?.name === 'Big') return Number(String(value));
    if (value instanceof Date) return value.toISOString();
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return value;
}
