/**
 * Hooks and grants on BigQuery. Planner goldens (test/golden/bigquery/plans/hooks-*.sql) pin
 * where hooks and GRANT / REVOKE go in the one script job, each statement analysed by ZetaSQL;
 * then the real CLI against the fake GCP server: the exact grants query (OBJECT_PRIVILEGES) and
 * scripts of a first and a second build, and a failing hook reported at its line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExistingRelation, MaterializationPlan } from '../../src/adapters/adapter.js';
import { createBigqueryDialect } from '../../src/adapters/bigquery/dialect.js';
import { currentGrantsQuery } from '../../src/adapters/bigquery/grants.js';
import { createBigqueryPlanner } from '../../src/adapters/bigquery/planner.js';
import { asScript } from '../../src/adapters/statements.js';
import type { CompiledHook, NodeHooks } from '../../src/compile/hook-config.js';
import { expectGolden } from '../helpers/golden.js';
import { startFakeGcp, type FakeGcpServer, type FakeJob } from './fake-gcp-server.js';
import { guardViolations, PROJECT, runAgainst, smallProject } from './helpers.js';
import { codesSeed, plannedModel, SRC, SRC_COLUMNS, TARGET_TABLE } from './planner-fixtures.js';
import { type Analyzer, type CatalogTable, startAnalyzer } from './zetasql-analyzer.js';

const planner = createBigqueryPlanner(createBigqueryDialect({ project: 'p' }), 'p');
const SELECT = 'select id, day, ts, amount\nfrom `p.ds.src`';
const AUDIT: CatalogTable = {
  name: 'p.ds.audit',
  columns: [
    { name: 'relation', type: 'STRING' },
    { name: 'note', type: 'STRING' },
  ],
};

/** A hook as compile renders it: written at `line` of models/target.yml. */
const hook = (label: string, text: string, line: number, transaction = true): CompiledHook => ({
  label,
  sql: { text, lines: text.split('\n').map((_, i) => ({ file: 'models/target.yml', line: line + i })) },
  transaction,
  location: { file: 'models/target.yml', line, column: 11 },
});

const HOOKS: NodeHooks = {
  pre: [
    hook('pre-hook 1', "DELETE FROM `p.ds.audit`\nWHERE relation = '`p.ds.target`'", 5, false),
    hook('pre-hook 2', "INSERT INTO `p.ds.audit` (relation, note) VALUES ('`p.ds.target`', 'pre')", 8),
  ],
  post: [
    hook('post-hook 1', "INSERT INTO `p.ds.audit` (relation, note) VALUES ('`p.ds.target`', 'after commit')", 10, false),
    hook('post-hook 2', "INSERT INTO `p.ds.audit` (relation, note)\nSELECT '`p.ds.target`', CAST(COUNT(*) AS STRING) FROM `p.ds.target`", 12),
  ],
};
const GRANTS = { 'roles/bigquery.dataViewer': ['user:a@x.com', 'group:g@x.com'], 'roles/bigquery.metadataViewer': ['domain:x.com'] };
const CURRENT = { 'roles/bigquery.dataEditor': ['user:old@x.com'], 'roles/bigquery.dataViewer': ['user:a@x.com', 'user:gone@x.com'] };

const model = (raw: Record<string, unknown>) => ({ ...plannedModel({ grants: GRANTS, ...raw }, { select: SELECT }), hooks: HOOKS });
const TABLE: ExistingRelation = { kind: 'table', columns: SRC_COLUMNS, layout: '{"partition":null,"cluster":[]}', rows: 10, grants: CURRENT };

const CASES: Array<[string, () => MaterializationPlan]> = [
  ['hooks-and-grants-view', () => planner.view(model({ materialized: 'view' }), { kind: 'view', grants: CURRENT })],
  ['hooks-and-grants-table', () => planner.table(model({ materialized: 'table' }), TABLE)],
  ['hooks-and-grants-table-replacing-a-view', () => planner.table(model({ materialized: 'table' }), { kind: 'view', grants: CURRENT })],
  [
    'hooks-and-grants-incremental-delete+insert',
    () => planner.incremental(model({ materialized: 'incremental', incremental_strategy: 'delete+insert', unique_key: 'id' }), TABLE, undefined),
  ],
];

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await startAnalyzer();
});
afterAll(() => analyzer?.close());

async function expectValid(plan: MaterializationPlan, catalog: CatalogTable[]): Promise<void> {
  for (const { sql } of plan.statements) {
    if (/^(BEGIN|COMMIT) /.test(sql)) continue;
    const result = await analyzer.analyze(sql, catalog);
    expect(result.ok ? 'ok' : `${result.message}\n${sql}`).toBe('ok');
  }
}

describe('BigQuery plans with hooks and grants', () => {
  it.each(CASES)('%s', async (name, plan) => {
    const planned = plan();
    expectGolden(`bigquery/plans/${name}.sql`, `${asScript(planned.statements).text}\n`);
    await expectValid(planned, [SRC, TARGET_TABLE, AUDIT, { ...SRC, name: 'tsdbt_tmp_target' }]);
  });

  it('puts every hook in the one script, in dbt order, with GRANT after the post-hooks that run in the transaction', () => {
    const plan = planner.table(model({ materialized: 'table' }), TABLE);
    expect(plan.statements.map((s) => s.hook?.label ?? s.sql.split(/\s/).slice(0, 2).join(' '))).toEqual([
      'pre-hook 1 (models/target.yml:5:11)',
      'pre-hook 2 (models/target.yml:8:11)',
      'CREATE OR',
      'post-hook 2 (models/target.yml:12:11)',
      'REVOKE `roles/bigquery.dataEditor`',
      'REVOKE `roles/bigquery.dataViewer`',
      'GRANT `roles/bigquery.dataViewer`',
      'GRANT `roles/bigquery.metadataViewer`',
      'post-hook 1 (models/target.yml:10:11)',
    ]);
    // One script: nothing runs outside it, and a post-hook failing leaves what was built.
    expect(plan.statements.some((s) => s.outsideTransaction)).toBe(false);
    expect(plan.statements.filter((s) => s.hook).map((s) => s.hook!.afterBuild)).toEqual([false, false, true, true]);
    expect(plan.dryRun?.sql.startsWith('CREATE OR REPLACE TABLE')).toBe(true);
  });

  it('grants nothing and revokes nothing without a grants config', () => {
    const plan = planner.table({ ...plannedModel({}, { select: SELECT }) }, TABLE);
    expect(plan.statements.map((s) => s.sql.split(' ')[0])).toEqual(['CREATE']);
  });

  it('opens a seed with its pre-hooks and closes it with its post-hooks and grants', async () => {
    const seed = { ...codesSeed(), hooks: { pre: [HOOKS.pre[1]!], post: [HOOKS.post[1]!] }, config: { ...codesSeed().config, grants: GRANTS } };
    const [plan, ...more] = planner.seed(seed, undefined, 'code,n,day\n01,1,2024-01-01\n');
    expect(more).toEqual([]);
    expectGolden('bigquery/plans/hooks-and-grants-seed.sql', `${asScript(plan!.statements).text}\n`);
    const codes: CatalogTable = {
      name: 'p.ds.codes',
      columns: [
        { name: 'code', type: 'STRING' },
        { name: 'n', type: 'INT64' },
        { name: 'day', type: 'DATE' },
      ],
    };
    await expectValid(plan!, [TARGET_TABLE, AUDIT, codes]);
  });

  it("reads a relation's own bindings from OBJECT_PRIVILEGES of its region (valid GoogleSQL)", async () => {
    const sql = currentGrantsQuery({ project: 'p', dataset: 'ds', table: 'target' }, 'EU');
    expect(sql).toBe(
      [
        'SELECT privilege_type, grantee',
        'FROM `p.region-eu.INFORMATION_SCHEMA.OBJECT_PRIVILEGES`',
        "WHERE object_schema = 'ds' AND object_name = 'target'",
        "  AND grantee NOT IN (CONCAT('user:', SESSION_USER()), CONCAT('serviceAccount:', SESSION_USER()))",
        'ORDER BY privilege_type, grantee',
      ].join('\n'),
    );
    const view: CatalogTable = {
      name: 'p.region-eu.INFORMATION_SCHEMA.OBJECT_PRIVILEGES',
      columns: ['object_catalog', 'object_schema', 'object_name', 'object_type', 'privilege_type', 'grantee'].map((name) => ({ name, type: 'STRING' })),
    };
    const result = await analyzer.analyze(sql, [view]);
    expect(result.ok ? result.columns.map((c) => c.name) : result.message).toEqual(['privilege_type', 'grantee']);
  });
});

// --- The CLI against the fake GCP server ----------------------------------------------------------

const SHARED_PROJECT = `${PROJECT}    shared:
      +schema: marts
      +materialized: table
      +grants:
        roles/bigquery.dataViewer: ["group:analysts@x.com"]
`;

const SHARED_YML = `version: 2
models:
  - name: shared
    config:
      pre-hook:
        - sql: |
            DELETE FROM \`test-project.marts.audit\`
            WHERE relation = '{{this}}'
          transaction: false
      post-hook:
        - "INSERT INTO \`test-project.marts.audit\` (relation) VALUES ('{{this}}')"
      grants:
        "+roles/bigquery.dataViewer": ["user:a@x.com"]
`;

const SCRIPT_HEAD = `DELETE FROM \`test-project.marts.audit\`
WHERE relation = '\`test-project.marts.shared\`';
CREATE OR REPLACE TABLE \`test-project.marts.shared\`
AS (
select event_id from \`test-project.staging.stg_events\`
);
INSERT INTO \`test-project.marts.audit\` (relation) VALUES ('\`test-project.marts.shared\`');`;

const GRANT = 'GRANT `roles/bigquery.dataViewer` ON TABLE `test-project.marts.shared` TO "group:analysts@x.com", "user:a@x.com";';

const GRANTS_QUERY = `SELECT privilege_type, grantee
FROM \`test-project.region-eu.INFORMATION_SCHEMA.OBJECT_PRIVILEGES\`
WHERE object_schema = 'marts' AND object_name = 'shared'
  AND grantee NOT IN (CONCAT('user:', SESSION_USER()), CONCAT('serviceAccount:', SESSION_USER()))
ORDER BY privilege_type, grantee`;

describe('tsdbt run --target prod: hooks and grants against the local BigQuery', () => {
  let fake: FakeGcpServer;
  const project = smallProject({
    'project.yml': SHARED_PROJECT,
    'models/shared/shared.sql': 'select event_id from {{ref "stg_events"}}\n',
    'models/shared/shared.yml': SHARED_YML,
  });
  const shared = () => fake.realJobs().filter((j) => j.labels.tsdbt_model === 'shared');
  const grantQueries = () => fake.realJobs().filter((j: FakeJob) => j.query.includes('OBJECT_PRIVILEGES'));
  beforeAll(async () => {
    fake = await startFakeGcp();
  });
  afterAll(() => fake.close());

  it('first build: the hooks and one GRANT per role in the model’s script, no grants read (the table is new)', async () => {
    const result = await runAgainst(fake, project.dir, ['run']);
    expect(guardViolations(result)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(grantQueries()).toEqual([]);
    expect(shared().map((j) => j.query)).toEqual([`${SCRIPT_HEAD}\n${GRANT}`]);
    expect(project.read('target/run/demo/models/shared/shared.sql')).toBe(`${`${SCRIPT_HEAD}\n${GRANT}`.replaceAll(';\n', ';\n\n')}\n`);
  });

  it('second build: reads the current grants, revokes what the config does not list, grants the rest', async () => {
    fake.reset();
    fake.jobHandler = (job) =>
      job.query.includes('OBJECT_PRIVILEGES')
        ? {
            schema: [
              { name: 'privilege_type', type: 'STRING' },
              { name: 'grantee', type: 'STRING' },
            ],
            rows: [
              ['roles/bigquery.dataEditor', 'group:editors@x.com'],
              ['roles/bigquery.dataViewer', 'user:a@x.com'],
              ['roles/bigquery.dataViewer', 'user:old@x.com'],
            ],
          }
        : undefined;
    const result = await runAgainst(fake, project.dir, ['run', '--select', 'shared']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(grantQueries().map((j) => [j.query, j.location])).toEqual([[GRANTS_QUERY, 'EU']]);
    expect(shared().map((j) => j.query)).toEqual([
      [
        SCRIPT_HEAD,
        'REVOKE `roles/bigquery.dataEditor` ON TABLE `test-project.marts.shared` FROM "group:editors@x.com";',
        'REVOKE `roles/bigquery.dataViewer` ON TABLE `test-project.marts.shared` FROM "user:old@x.com";',
        GRANT,
      ].join('\n'),
    ]);
  });

  it('a failing hook: the model fails at the line of the hook that BigQuery names', async () => {
    fake.reset();
    fake.jobHandler = (job) =>
      job.labels.tsdbt_model === 'shared' ? { error: { reason: 'invalidQuery', message: 'Unrecognized name: relation at [2:7]' } } : undefined;
    const result = await runAgainst(fake, project.dir, ['run', '--select', 'shared']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERROR in model shared (models/shared/shared.yml:8)');
    expect(result.stderr).toContain(
      'pre-hook 1 (models/shared/shared.yml:7:13) failed: BigQuery invalidQuery: Unrecognized name: relation at [2:7] (line 2, column 7 of the hook)',
    );
    expect(result.stderr).toContain(">  8 |             WHERE relation = '{{this}}'");
    expect(result.stderr).toContain('hint: fix the hook and run again; the previous relation was left untouched');
  });
});
