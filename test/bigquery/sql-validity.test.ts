/**
 * Offline validity of the BigQuery SQL of every reference model: the project is compiled for
 * target prod (no credentials, no environment), then every statement tsdbt would send is analysed
 * by ZetaSQL (GoogleSQL's reference analyzer) against a catalog built as the DAG goes: the lake's
 * external tables and the seeds first, then each model's output columns for its children. A syntax
 * error, an unknown column or function, a type error, or a DuckDB-only construct fails the suite.
 *
 * Relations whose columns cannot be known offline (sources that BigQuery will auto-detect, and
 * everything built on them) are checked for syntax only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type OpenedProject } from '../../src/api/open-project.js';
import { tablePlan, viewPlan, incrementalPlan } from '../../src/adapters/bigquery/ddl.js';
import { externalTableStatement } from '../../src/adapters/bigquery/external.js';
import { createBigqueryDialect, externalTableRelation } from '../../src/adapters/bigquery/dialect.js';
import { seedPlan } from '../../src/adapters/bigquery/seeds.js';
import { createBigqueryFiles } from '../../src/adapters/bigquery/files.js';
import { filesConfigOf } from '../../src/compile/file-batches.js';
import { FILES_TABLE } from '../../src/execute/file-batches.js';
import { findDuckdbConstructs } from '../../src/adapters/bigquery/duckdb-constructs.js';
import type { PlannedModel, PlannedSnapshot } from '../../src/adapters/adapter.js';
import { snapshotPlan } from '../../src/adapters/bigquery/snapshot.js';
import { batchedCountSql, failureCountSql } from '../../src/compile/data-tests/test-queries.js';
import type { ResolvedSeedConfig, ResolvedSnapshotConfig } from '../../src/compile/node-config.js';
import type { CompiledNode } from '../../src/compile/types.js';
import { normalizeBigqueryType } from '../../src/adapters/bigquery/contract-types.js';
import { compareContract, mismatchTable } from '../../src/execute/contract-check.js';
import { startAnalyzer, type Analysis, type Analyzer, type CatalogTable, typeKindName } from './zetasql-analyzer.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const PROJECT_ID = 'my-gcp-project';

/**
 * Reference models that still hold DuckDB-only SQL, with the reason. The models are maintained
 * with the project, not with the adapter: an entry here is a known portability bug to fix in the
 * model. Anything not listed fails the test; an entry no longer needed is reported.
 */
const KNOWN_DUCKDB_ONLY: Record<string, { constructs: string[]; reason: string }> = {};

/** Data tests (singular tests in tests/) with DuckDB-only SQL, with the reason. */
const KNOWN_DUCKDB_ONLY_TESTS: Record<string, string> = {};

/** Sources whose freshness expression (loaded_at_field) is DuckDB-only, with the reason. */
const KNOWN_DUCKDB_ONLY_FRESHNESS: Record<string, string> = {};

let analyzer: Analyzer;
let opened: OpenedProject;
const catalog = new Map<string, CatalogTable>();
/** Relations (unique ids) whose columns are unknown offline: their readers get a syntax check only. */
const unknown = new Set<string>();
const tableName = (relation: string) => relation.replace(/`/g, '');

function toModel(node: CompiledNode, sql = { text: node.compiledCode, lines: node.compiledLines }): PlannedModel {
  const config = node.resolvedConfig;
  if (config.materialized === 'seed' || config.materialized === 'snapshot') throw new Error(`${node.uniqueId} is a ${config.materialized}`);
  return {
    uniqueId: node.uniqueId,
    name: node.name,
    file: node.originalFilePath,
    schema: node.schema,
    identifier: node.identifier,
    relationName: node.relationName!,
    config,
    engineOptions: node.engineOptions,
    sql,
    description: node.description,
    columns: node.columns,
  };
}

beforeAll(async () => {
  // No environment at all: the prod target's placeholders must be enough to compile.
  opened = await openProject({ projectDir: repo, target: 'prod', env: {} });
  analyzer = await startAnalyzer();
});
afterAll(() => analyzer?.close());

const check = (sql: string, parents: string[]): Promise<Analysis> =>
  parents.some((p) => unknown.has(p)) ? analyzer.parse(sql) : analyzer.analyze(sql, [...catalog.values()]);

describe('BigQuery SQL of the reference project (ZetaSQL, offline)', () => {
  it('compiles for target prod with no credentials and no environment variables', () => {
    expect(opened.target.type).toBe('bigquery');
    const models = [...opened.project.nodes.values()].filter((n) => n.resourceType === 'model');
    expect(models.length).toBeGreaterThan(0);
    for (const model of models) {
      if (model.materialized !== 'ephemeral') expect(model.relationName).toMatch(/^`my-gcp-project\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+`$/);
    }
  });

  it('creates every lake source as a valid external table', async () => {
    const problems: string[] = [];
    for (const source of opened.project.sources.values()) {
      if (!source.external) {
        unknown.add(source.uniqueId);
        continue;
      }
      const plan = externalTableStatement(source, 'gs://my-bucket/eco2mix', PROJECT_ID);
      const result = await analyzer.analyze(plan.statement, []);
      if (!result.ok) problems.push(`${source.uniqueId}: ${result.message}\n${plan.statement}`);
      // Only an explicit schema (all_varchar / columns) is known before BigQuery auto-detects one.
      const declared = /^\(\n/m.test(plan.statement.split('\n').slice(1).join('\n'));
      if (!declared) {
        unknown.add(source.uniqueId);
        continue;
      }
      const columns = [...plan.statement.matchAll(/^ {2}(`?)(\w+)\1 (\w+)/gm)].map((m) => ({ name: m[2]!, type: m[3]! }));
      const name = tableName(externalTableRelation(source, PROJECT_ID));
      catalog.set(name, { name, columns: [...columns, { name: '_FILE_NAME', type: 'STRING', pseudo: true }] });
    }
    expect(problems, problems.join('\n\n')).toEqual([]);
  });

  it('loads every seed with valid statements', async () => {
    const problems: string[] = [];
    for (const node of opened.project.nodes.values()) {
      if (node.resourceType !== 'seed') continue;
      const plan = seedPlan(
        {
          ...node,
          relationName: node.relationName!,
          file: node.originalFilePath,
          csvPath: node.absolutePath,
          config: node.resolvedConfig as ResolvedSeedConfig,
        },
        readFileSync(node.absolutePath, 'utf8'),
      );
      const name = tableName(node.relationName!);
      const table = { name, columns: plan.columns };
      for (const statement of plan.plans[0]!.statements.slice(0, 1).map((s) => s.sql)) {
        const result = await analyzer.analyze(statement.replace(/;$/, ''), [...catalog.values()]);
        if (!result.ok) problems.push(`${node.originalFilePath}: ${result.message}`);
      }
      catalog.set(name, table);
    }
    expect(problems, problems.join('\n\n')).toEqual([]);
  });

  it('analyses every model and every statement of its materialization, in DAG order', async () => {
    const problems: string[] = [];
    const known: string[] = [];
    const stillKnown = new Set<string>();
    for (const id of opened.project.order) {
      const node = opened.project.nodes.get(id);
      if (node?.resourceType !== 'model' || node.materialized === 'ephemeral') continue;
      const where = `${node.originalFilePath} (compiled ${node.compiledPath})`;
      const allowed = KNOWN_DUCKDB_ONLY[node.name];
      const report = (text: string) => (allowed ? known : problems).push(text);
      for (const finding of findDuckdbConstructs(node.compiledCode)) {
        if (allowed?.constructs.includes(finding.construct)) stillKnown.add(node.name);
        else problems.push(`${where}:${finding.line}:${finding.column}: DuckDB-only ${finding.construct} ${finding.text} (${finding.hint})`);
      }
      const parents = node.dependsOn.nodes;
      const select = await check(node.compiledCode, parents);
      if (!select.ok) {
        report(`${where}:${select.line ?? '?'}:${select.column ?? '?'}: ${select.message.split('\n')[0]}`);
        unknown.add(id);
        continue;
      }
      if (select.statementKind === 'parsed') unknown.add(id);
      // An enforced contract holds on BigQuery too: ZetaSQL's types of the SELECT against it.
      const contract = 'contract' in node.resolvedConfig ? node.resolvedConfig.contract : undefined;
      if (contract?.enforced && select.statementKind !== 'parsed') {
        const typeOf = (type: unknown) =>
          typeKindName(type)
            .replace('TYPE_', '')
            .replace(/^DOUBLE$/, 'FLOAT64');
        const types = select.columns.map((c) => ({ name: c.name, type: typeOf(c.type) }));
        const mismatches = compareContract(contract, types, normalizeBigqueryType);
        if (mismatches.length > 0) problems.push(`${where}: the contract does not hold on BigQuery:\n${mismatchTable(mismatches)}`);
      }
      const name = tableName(node.relationName!);
      const output: CatalogTable = { name, columns: select.columns };
      const model = toModel(node);
      const plans = [node.materialized === 'view' ? viewPlan(model, undefined) : tablePlan(model, undefined)];
      const files = filesConfigOf(node);
      if (files && select.statementKind !== 'parsed') {
        // A files model: its first load, then a run that reads one new file of each input and replaces one.
        const existing = { kind: 'table' as const, columns: select.columns.map((c) => ({ name: c.name, type: 'STRING' })), layout: '' };
        const inputs = node.dependsOn.nodes.filter(
          (p) => opened.project.sources.get(p)?.external || (opened.project.nodes.get(p) && filesConfigOf(opened.project.nodes.get(p)!)),
        );
        const path = 'gs://my-bucket/eco2mix/new.csv';
        const sql = opened.project.renderFiles(
          node.uniqueId,
          { sources: new Map(inputs.map((p) => [p, [path]])), parents: new Map(inputs.map((p) => [p, [path]])) },
          { incremental: true },
        );
        const loaded = inputs.map((inputId) => ({ inputId, file: 'new.csv', path, size: 10, modifiedMs: 1, checksum: 'abc' }));
        const change = {
          table: FILES_TABLE,
          uniqueId: node.uniqueId,
          sqlChecksum: 'c',
          invocationId: 'i',
          fileColumn: files.fileColumn!,
          deletePaths: [path],
          forget: [],
          loaded,
        };
        const planner = createBigqueryFiles(createBigqueryDialect({ project: PROJECT_ID }), PROJECT_ID);
        catalog.set(tableName('`my-gcp-project.tsdbt_state.files`'), {
          name: tableName('`my-gcp-project.tsdbt_state.files`'),
          columns: ['unique_id', 'input_id', 'file', 'path', 'checksum', 'sql_checksum', 'invocation_id']
            .map((name) => ({ name, type: 'STRING' }))
            .concat(
              ['size', 'modified_ms', 'row_count'].map((name) => ({ name, type: 'INT64' })),
              [{ name: 'loaded_at', type: 'TIMESTAMP' }],
            ),
        });
        plans.splice(0, 1, planner.load(model, undefined, change, { replace: true }), planner.load(toModel(node, sql), existing, change, { replace: false }));
      } else if (node.materialized === 'incremental' && select.statementKind !== 'parsed') {
        const existing = { kind: 'table' as const, columns: select.columns.map((c) => ({ name: c.name, type: 'STRING' })), layout: '' };
        // The is_incremental() branch of the model, over the table it builds.
        const incremental = opened.project.renderIncremental(node.uniqueId);
        for (const finding of findDuckdbConstructs(incremental.text)) {
          if (!allowed?.constructs.includes(finding.construct)) problems.push(`${where} (incremental run): DuckDB-only ${finding.construct} ${finding.text}`);
        }
        plans.push(incrementalPlan({ model: toModel(node, incremental), existing }));
      }
      for (const plan of plans) {
        for (const [i, statement] of plan.statements.map((s) => s.sql).entries()) {
          // Script statements (variables, transactions) are not analysable one by one.
          if (/^(DECLARE|SET|BEGIN|COMMIT) /.test(statement)) continue;
          if (/\btsdbt_tmp_/.test(statement) && !statement.startsWith('CREATE TEMP TABLE')) continue;
          // Statements after the CREATE find the relation created.
          const result = unknown.has(id)
            ? await analyzer.parse(statement)
            : await analyzer.analyze(statement, i === 0 && plan.verb.startsWith('CREATE') ? [...catalog.values()] : [...catalog.values(), output]);
          if (!result.ok) report(`${where}: ${plan.verb} statement ${i + 1}: ${result.message.split('\n')[0]}`);
        }
      }
      catalog.set(name, output);
    }
    for (const [name, entry] of Object.entries(KNOWN_DUCKDB_ONLY)) {
      if (stillKnown.has(name)) console.warn(`[bigquery] ${name} is not portable to BigQuery yet: ${entry.reason}`);
      else if (opened.project.nodes.has(`model.${opened.project.name}.${name}`))
        console.warn(`[bigquery] ${name} is portable now: remove it from KNOWN_DUCKDB_ONLY`);
    }
    if (known.length > 0) console.warn(`[bigquery] follow-on errors in the models above:\n${known.join('\n')}`);
    const models = [...opened.project.nodes.values()].filter((n) => n.resourceType === 'model' && n.materialized !== 'ephemeral');
    const syntaxOnly = models.filter((n) => unknown.has(n.uniqueId)).map((n) => n.name);
    console.info(
      `[bigquery] ${models.length - syntaxOnly.length} of ${models.length} models analysed against the catalog; syntax only (columns auto-detected by BigQuery upstream): ${syntaxOnly.join(', ') || 'none'}`,
    );
    expect(problems, problems.join('\n\n')).toEqual([]);
  });

  it('analyses the --empty rendering of every model: each ref and source read as zero rows', async () => {
    const emptied = opened.project.emptied();
    const problems: string[] = [];
    let checked = 0;
    for (const id of emptied.order) {
      const node = emptied.nodes.get(id);
      if (node?.resourceType !== 'model' || node.materialized === 'ephemeral') continue;
      const parents = node.dependsOn.nodes;
      if (parents.length > 0) expect(node.compiledCode).toMatch(/\(select \* from .+ where false\)/);
      const result = await check(node.compiledCode, parents);
      if (!result.ok) problems.push(`${node.originalFilePath}:${result.line ?? '?'}: ${result.message.split('\n')[0]}`);
      checked++;
    }
    expect(checked).toBe(43);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('analyses every snapshot: its first run, and a later run over the table it built', async () => {
    const problems: string[] = [];
    const dialect = createBigqueryDialect({ project: PROJECT_ID });
    const snapshots = [...opened.project.nodes.values()].filter((n) => n.resourceType === 'snapshot');
    expect(snapshots.map((n) => n.name)).toEqual(['regions_historique']);
    for (const node of snapshots) {
      const where = `${node.originalFilePath} (${node.name})`;
      const snapshot: PlannedSnapshot = {
        uniqueId: node.uniqueId,
        name: node.name,
        file: node.originalFilePath,
        schema: node.schema,
        identifier: node.identifier,
        relationName: node.relationName!,
        config: node.resolvedConfig as ResolvedSnapshotConfig,
        engineOptions: node.engineOptions,
        sql: { text: node.compiledCode, lines: node.compiledLines },
        description: node.description,
        columns: node.columns,
      };
      const select = await check(node.compiledCode, node.dependsOn.nodes);
      if (!select.ok || select.statementKind === 'parsed') {
        problems.push(`${where}: its query cannot be analysed: ${select.ok ? 'columns unknown offline' : select.message}`);
        continue;
      }
      const name = tableName(node.relationName!);
      const first = snapshotPlan(dialect, snapshot, undefined, undefined);
      const created = await analyzer.analyze(first.dryRun!.sql, [...catalog.values()]);
      if (!created.ok) problems.push(`${where}: first run: ${created.message.split('\n')[0]}`);
      // A later run, over the table the first one made (its columns: the query's and the meta columns).
      const meta = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'].map((column) => ({
        name: column,
        type: column === 'dbt_scd_id' ? 'STRING' : 'TIMESTAMP',
      }));
      const sourceColumns = select.columns.map((c) => ({ name: c.name, type: typeKindName(c.type).replace('TYPE_', '') }));
      const table: CatalogTable = { name, columns: [...select.columns, ...meta] };
      const later = snapshotPlan(dialect, snapshot, { kind: 'table', columns: [...sourceColumns, ...meta] }, sourceColumns);
      const staged = await analyzer.analyze(later.dryRun!.sql, [...catalog.values(), table]);
      if (!staged.ok) {
        problems.push(`${where}: later run, staged changes: ${staged.message.split('\n')[0]}`);
        continue;
      }
      const temp: CatalogTable = { name: `tsdbt_tmp_${node.identifier}`, columns: staged.columns };
      for (const [i, statement] of later.statements.map((s) => s.sql).entries()) {
        const result = await analyzer.analyze(statement, [...catalog.values(), table, temp]);
        if (!result.ok) problems.push(`${where}: later run, statement ${i + 1}: ${result.message.split('\n')[0]}`);
      }
      // Its data tests read the table.
      catalog.set(name, table);
    }
    expect(problems, problems.join('\n\n')).toEqual([]);
  });

  it('analyses the queries of every data test (batched count and failing rows)', async () => {
    const problems: string[] = [];
    for (const test of opened.project.tests.values()) {
      // The queries that run: the count of failing rows, and the batched scan.
      const queries = [failureCountSql(test)];
      if (test.batch) queries.push(batchedCountSql([test]));
      const parents = test.dependsOn.nodes;
      const onKnownIssue = KNOWN_DUCKDB_ONLY_TESTS[test.name] !== undefined || parents.some((p) => KNOWN_DUCKDB_ONLY[opened.project.nodes.get(p)?.name ?? '']);
      if (KNOWN_DUCKDB_ONLY_TESTS[test.name])
        console.warn(`[bigquery] test ${test.name} is not portable to BigQuery yet: ${KNOWN_DUCKDB_ONLY_TESTS[test.name]}`);
      for (const sql of queries) {
        for (const finding of findDuckdbConstructs(sql)) {
          if (!onKnownIssue) problems.push(`${test.name} (${test.location.file}): DuckDB-only ${finding.construct} ${finding.text}`);
        }
        const result = await check(sql, parents);
        if (!result.ok && !onKnownIssue) problems.push(`${test.name} (${test.location.file}): ${result.message.split('\n')[0]}\n${sql}`);
      }
    }
    expect(problems, problems.join('\n\n')).toEqual([]);
  });

  it('analyses the source freshness queries (loaded_at_field)', async () => {
    const problems: string[] = [];
    const d = createBigqueryDialect(opened.target.settings as { project: string });
    for (const source of opened.project.sources.values()) {
      if (!source.loadedAtField) continue;
      const key = `${source.sourceName}.${source.name}`;
      const field = source.loadedAtField;
      const sql = [
        `select ${d.renderings.cast(`max(${field})`, 'string')} as max_loaded_at,`,
        `  ${d.renderings.cast(d.renderings.current_timestamp(), 'string')} as snapshotted_at,`,
        `  ${d.renderings.datediff('second', `max(${field})`, d.renderings.current_timestamp())} as age_seconds`,
        `from ${d.sourceRelation(source, 'gs://my-bucket/eco2mix')}`,
      ].join('\n');
      const findings = findDuckdbConstructs(sql);
      const result = await check(sql, [source.uniqueId]);
      if (KNOWN_DUCKDB_ONLY_FRESHNESS[key]) {
        if (findings.length > 0 || !result.ok)
          console.warn(`[bigquery] freshness of ${key} is not portable to BigQuery yet: ${KNOWN_DUCKDB_ONLY_FRESHNESS[key]}`);
        else console.warn(`[bigquery] freshness of ${key} is portable now: remove it from KNOWN_DUCKDB_ONLY_FRESHNESS`);
        continue;
      }
      for (const f of findings) problems.push(`${key} (${source.originalFilePath}): DuckDB-only ${f.construct} ${f.text} in loaded_at_field`);
      if (!result.ok) problems.push(`${key} (${source.originalFilePath}): ${result.message.split('\n')[0]}\n${sql}`);
    }
    expect(problems, problems.join('\n\n')).toEqual([]);
  });
});
