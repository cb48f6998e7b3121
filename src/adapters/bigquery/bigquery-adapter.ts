import type { BigQuery, Job, Query } from '@google-cloud/bigquery';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { SourceTable } from '../../project/types.js';
import {
  QueryError,
  type Adapter,
  type DryRunResult,
  type MaterializeResult,
  type ModelToMaterialize,
  type QueryResult,
  type SeedToLoad,
  type AdapterContext,
  type ResolvedTarget,
  type AdapterCapabilities,
} from '../adapter.js';
import { createBigqueryClient } from './client.js';
import { columnsOfSchema, existingTableOf, incrementalPlan, tablePlan, viewPlan, type ExistingTable, type JobPlan } from './ddl.js';
import { createBigqueryDialect } from './dialect.js';
import { describeFailure, isTransient, toRunError, type FailureContext } from './errors.js';
import { externalTableStatement, type ExternalTablePlan } from './external.js';
import { labelValue, parseBigqueryRelation } from './identifiers.js';
import { seedPlan } from './seeds.js';
import { formatBytes } from '../../text/format-bytes.js';
import type { BigquerySettings } from './settings.js';
import { sqlBody } from '../../compile/sql-text.js';
import { fullRefreshOf } from '../../compile/node-config.js';

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

interface JobContext extends FailureContext {
  /** Extra job labels (model or source name). */
  labels: Record<string, string>;
  /** Readable job id prefix. */
  name: string;
  dryRun?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * BigQuery through @google-cloud/bigquery: one query job per model (a script when the
 * materialization needs several statements), labelled and located; datasets and the lake's
 * external tables are created on the first write, so that --dry-run changes nothing.
 */
export function createBigqueryAdapter(target: ResolvedTarget<BigquerySettings>, capabilities: AdapterCapabilities, context: AdapterContext = {}): Adapter {
  const { settings } = target;
  const dialect = createBigqueryDialect({ project: settings.project });
  const invocationId = context.invocationId ?? randomUUID();
  let client: BigQuery | undefined;
  const running = new Set<Job>();
  let cancelled = false;
  /** dataset → exists (checked with datasets.get during prepare*). */
  const datasets = new Map<string, boolean>();
  let externalTables: Array<{ source: SourceTable; plan: ExternalTablePlan }> = [];
  let written: Promise<void> | undefined;
  /** Set by the first dryRun(): the invocation is a --dry-run, nothing may run for real. */
  let dryRunInvocation = false;
  let sourcesChecked: Promise<void> | undefined;

  const guard = () => {
    if (cancelled) throw new QueryError('cancelled (interrupted)', undefined, 'stopped', true);
  };
  const connect = async (): Promise<BigQuery> => (client ??= await createBigqueryClient(settings));
  const profileLocation = (key: string) => target.locate(key);

  async function checkDatasets(names: string[]): Promise<void> {
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
      for (const { source, plan } of externalTables) {
        try {
          await runJob(plan.statement, {
            labels: { tsdbt_source: labelValue(`${source.sourceName}_${source.name}`) },
            name: `${source.sourceName}_${source.name}`,
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new TsdbtError(`cannot create the external table ${plan.relation} of source ${source.sourceName}.${source.name}: ${message}`, {
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
      for (const { source, plan } of externalTables) {
        await runJob(plan.statement, { labels: {}, name: `${source.sourceName}_${source.name}`, dryRun: true });
      }
    })();
    return sourcesChecked;
  }

  async function runJob(sql: string, context: JobContext): Promise<JobResource> {
    const bq = await connect();
    const labels = { ...settings.jobLabels, tsdbt_invocation_id: invocationId, ...context.labels };
    const options: Query & { jobPrefix: string } = {
      query: sql,
      useLegacySql: false,
      location: settings.location,
      labels,
      priority: settings.priority,
      jobPrefix: `tsdbt_${labelValue(context.name)}_`,
      ...(settings.maximumBytesBilled ? { maximumBytesBilled: String(settings.maximumBytesBilled) } : {}),
      ...(settings.jobTimeoutSeconds ? { jobTimeoutMs: Math.round(settings.jobTimeoutSeconds * 1000) } : {}),
      ...(context.dryRun ? { dryRun: true } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      guard();
      let job: Job | undefined;
      try {
        const [created, response] = (await bq.createQueryJob({ ...options, labels: { ...labels } })) as unknown as [Job, JobResource];
        if (context.dryRun) return response;
        job = created;
        running.add(job);
        let resource = response;
        let wait = 50;
        while (resource.status?.state !== 'DONE') {
          await sleep(wait);
          wait = Math.min(wait * 2, 2000);
          guard();
          [resource] = (await job.getMetadata()) as unknown as [JobResource];
        }
        const failed = resource.status?.errorResult;
        if (failed)
          throw Object.assign(new Error(failed.message ?? 'job failed'), { errors: [failed, ...(resource.status?.errors ?? [])], response: resource });
        return resource;
      } catch (error) {
        if (error instanceof QueryError || error instanceof TsdbtError) throw error;
        const failure = describeFailure(error);
        if (!cancelled && isTransient(failure) && attempt < settings.retries) {
          await sleep(Math.min(500 * 2 ** attempt, settings.retryMaxDelaySeconds * 1000));
          continue;
        }
        throw toRunError(error, { ...context, cancelled, maximumBytesBilled: settings.maximumBytesBilled, profileLocation });
      } finally {
        if (job) running.delete(job);
      }
    }
  }

  async function existingTable(relation: string): Promise<ExistingTable | undefined> {
    const parts = parseBigqueryRelation(relation);
    if (!parts) return undefined;
    const bq = await connect();
    guard();
    try {
      const [metadata] = await bq
        .dataset(parts.dataset, { projectId: parts.project ?? settings.project })
        .table(parts.table)
        .getMetadata();
      return existingTableOf(metadata);
    } catch (error) {
      if (describeFailure(error).reason === 'notFound' || (error as { code?: number }).code === 404) return undefined;
      throw toRunError(error, { maximumBytesBilled: settings.maximumBytesBilled, profileLocation });
    }
  }

  /** The columns a SELECT returns, from a dry run (free). */
  async function selectColumns(model: ModelToMaterialize, sql: string): Promise<Array<{ name: string; type: string }>> {
    const resource = await runJob(sql, { labels: modelLabels(model), name: model.name, dryRun: true, modelLine: 1 });
    return columnsOfSchema(resource.statistics?.query?.schema);
  }

  const modelLabels = (model: { name: string }) => ({ tsdbt_model: labelValue(model.name) });
  const isIncrementalRun = (model: ModelToMaterialize, existing: ExistingTable | undefined, fullRefresh: boolean) =>
    model.materialized === 'incremental' && existing?.type === 'TABLE' && !fullRefreshOf(model.config, fullRefresh);

  async function planFor(
    model: ModelToMaterialize,
    fullRefresh: boolean,
    priceOnly: boolean,
  ): Promise<{ plan: JobPlan; executedSql: string; existing?: ExistingTable }> {
    const existing = await existingTable(model.relationName);
    if (model.materialized === 'view') return { plan: viewPlan(model, existing), executedSql: model.compiledSql, existing };
    if (isIncrementalRun(model, existing, fullRefresh)) {
      const executedSql = model.renderIncremental().text;
      const onSchemaChange = model.config.materialized === 'incremental' ? model.config.incremental.onSchemaChange : 'ignore';
      const sourceColumns = onSchemaChange === 'ignore' || priceOnly ? undefined : await selectColumns(model, executedSql);
      return { plan: incrementalPlan({ model, sql: executedSql, existing: existing!, sourceColumns }), executedSql, existing };
    }
    return { plan: tablePlan(model, existing), executedSql: model.compiledSql, existing };
  }

  const bytesOf = (resource: JobResource) => Number(resource.statistics?.query?.totalBytesProcessed ?? resource.statistics?.totalBytesProcessed ?? 0);

  return {
    type: 'bigquery',
    dialect,
    capabilities,

    async open() {
      await connect();
    },

    describe: () =>
      `bigquery project ${settings.project}, dataset ${settings.dataset}${settings.location ? `, location ${settings.location}` : ''}, ${target.threads} thread${target.threads === 1 ? '' : 's'}${settings.apiEndpoint ? `, endpoint ${settings.apiEndpoint}` : ''}`,

    async prepareSchemas(schemas: string[]) {
      await checkDatasets(schemas);
    },

    async prepareSources(sources: SourceTable[], lakeRoot: string | undefined) {
      const lake = settings.lake ?? lakeRoot;
      const plans = sources.filter((s) => s.external).map((source) => ({ source, plan: externalTableStatement(source, lake, settings.project) }));
      await checkDatasets(plans.map((p) => p.plan.dataset));
      const known = new Set(externalTables.map((e) => e.source.uniqueId));
      externalTables = [...externalTables, ...plans.filter((p) => !known.has(p.source.uniqueId))];
    },

    async materialize(model: ModelToMaterialize, options): Promise<MaterializeResult> {
      if (model.materialized === 'ephemeral') return { message: 'EPHEMERAL', statements: [] };
      await prepareWrites();
      const { plan, executedSql, existing } = await planFor(model, options.fullRefresh, false);
      const resource = await runJob(plan.script, { labels: modelLabels(model), name: model.name, modelLine: plan.modelLine, modelLines: plan.modelLines });
      const processed = bytesOf(resource);
      const bytes = processed > 0 ? `, ${formatBytes(processed)} processed` : '';
      if (model.materialized === 'view') return { message: `${plan.verb}${bytes ? ` (${bytes.slice(2)})` : ''}`, statements: plan.statements, executedSql };
      const after = await existingTable(model.relationName);
      const rows = after?.numRows;
      if (plan.incremental) {
        const affected = resource.statistics?.query?.numDmlAffectedRows;
        const net = rows !== undefined && existing?.numRows !== undefined ? rows - existing.numRows : undefined;
        const parts = [
          affected !== undefined ? `${Number(affected).toLocaleString('en-US')} rows affected` : '',
          net !== undefined ? `${net >= 0 ? '+' : ''}${net} net` : '',
        ].filter(Boolean);
        return {
          rowsAffected: affected !== undefined ? Number(affected) : net,
          message: `${plan.verb} (${[...parts, bytes.slice(2)].filter(Boolean).join(', ')})`,
          statements: plan.statements,
          executedSql,
        };
      }
      return {
        rowsAffected: rows,
        message: `${plan.verb} (${rows !== undefined ? `${rows.toLocaleString('en-US')} rows` : 'done'}${bytes})`,
        statements: plan.statements,
        executedSql,
      };
    },

    async dryRun(model: ModelToMaterialize, options): Promise<DryRunResult> {
      dryRunInvocation = true;
      if (model.materialized === 'ephemeral') return { bytesProcessed: 0, message: 'ephemeral: inlined into its children' };
      await dryRunSources();
      const { plan } = await planFor(model, options.fullRefresh, true);
      const resource = await runJob(plan.dryRunSql, {
        labels: modelLabels(model),
        name: model.name,
        dryRun: true,
        modelLine: plan.dryRunModelLine,
        modelLines: plan.modelLines,
      });
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
      return { bytesProcessed: bytes, message: `${plan.verb}: would process ${formatBytes(bytes)}` };
    },

    async loadSeed(seed: SeedToLoad): Promise<MaterializeResult> {
      await prepareWrites();
      const plan = seedPlan(seed, readFileSync(seed.csvPath, 'utf8'));
      for (const job of plan.jobs) await runJob(job, { labels: modelLabels(seed), name: seed.name });
      return { rowsAffected: plan.rows, message: `INSERT ${plan.rows}`, statements: plan.jobs };
    },

    async query(sql: string, limit?: number): Promise<QueryResult> {
      const bq = await connect();
      guard();
      const text = limit === undefined ? sqlBody(sql) : `SELECT * FROM (\n${sqlBody(sql)}\n) LIMIT ${limit}`;
      const headerLines = limit === undefined ? 0 : 1;
      if (dryRunInvocation) {
        // --dry-run: data test queries are validated and priced by BigQuery, not run (no rows).
        await runJob(text, { labels: {}, name: 'query', dryRun: true, modelLine: headerLines + 1 });
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
        throw toRunError(error, { modelLine: headerLines + 1, cancelled, maximumBytesBilled: settings.maximumBytesBilled, profileLocation });
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
