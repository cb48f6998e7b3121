import { z } from 'zod';

// dbt `version: 2` properties files. Unknown keys are errors (typos are the commonest mistake),
// but every key dbt documents is accepted so a dbt project's schema.yml loads unchanged.

const anyRecord = z.record(z.string(), z.unknown());
const tagList = z.union([z.string(), z.array(z.string())]);
const testList = z.array(z.unknown());

export const columnSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  data_type: z.string().optional(),
  meta: anyRecord.optional(),
  tags: tagList.optional(),
  quote: z.boolean().optional(),
  tests: testList.optional(),
  data_tests: testList.optional(),
  constraints: z.array(z.unknown()).optional(),
  policy_tags: z.array(z.string()).optional(),
  granularity: z.string().optional(),
  config: z.strictObject({ meta: anyRecord.optional(), tags: tagList.optional() }).optional(),
});

export const modelPropertiesSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  config: anyRecord.optional(),
  columns: z.array(columnSchema).optional(),
  tests: testList.optional(),
  data_tests: testList.optional(),
  meta: anyRecord.optional(),
  docs: anyRecord.optional(),
  tags: tagList.optional(),
  access: z.enum(['private', 'protected', 'public']).optional(),
  group: z.string().optional(),
  latest_version: z.unknown().optional(),
  versions: z.array(z.unknown()).optional(),
  deprecation_date: z.unknown().optional(),
  constraints: z.array(z.unknown()).optional(),
  time_spine: z.unknown().optional(),
});

export const externalSchema = z.strictObject({
  location: z.string(),
  format: z.enum(['csv', 'parquet', 'json']).optional(),
  file_name_column: z.string().optional(),
  options: anyRecord.optional(),
  partitions: z.array(z.unknown()).optional(),
});

const freshnessSchema = z.union([z.null(), anyRecord]);

export const sourceTableSchema = z.strictObject({
  name: z.string(),
  identifier: z.string().optional(),
  description: z.string().optional(),
  external: externalSchema.optional(),
  columns: z.array(columnSchema).optional(),
  tests: testList.optional(),
  data_tests: testList.optional(),
  loaded_at_field: z.string().optional(),
  freshness: freshnessSchema.optional(),
  meta: anyRecord.optional(),
  tags: tagList.optional(),
  config: anyRecord.optional(),
  quoting: anyRecord.optional(),
  docs: anyRecord.optional(),
});

export const sourceSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  schema: z.string().optional(),
  database: z.string().optional(),
  loader: z.string().optional(),
  loaded_at_field: z.string().optional(),
  freshness: freshnessSchema.optional(),
  meta: anyRecord.optional(),
  tags: tagList.optional(),
  config: anyRecord.optional(),
  quoting: anyRecord.optional(),
  overrides: z.string().optional(),
  tables: z.array(sourceTableSchema).optional(),
});

export const seedPropertiesSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  config: anyRecord.optional(),
  columns: z.array(columnSchema).optional(),
  tests: testList.optional(),
  data_tests: testList.optional(),
  docs: anyRecord.optional(),
  meta: anyRecord.optional(),
  tags: tagList.optional(),
});

/**
 * A snapshot's properties; with `relation:` (dbt 1.9) the entry defines the snapshot itself
 * (`select *` of that ref or source), without it it describes a snapshots/*.sql file.
 */
export const snapshotPropertiesSchema = seedPropertiesSchema.extend({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and underscores'),
  relation: z.string().optional(),
});

export const exposureSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and underscores'),
  label: z.string().optional(),
  type: z.enum(['dashboard', 'notebook', 'analysis', 'ml', 'application']),
  owner: z.object({ name: z.string().optional(), email: z.string().optional() }).catchall(z.unknown()),
  depends_on: z.array(z.string()).optional(),
  url: z.string().optional(),
  maturity: z.enum(['high', 'medium', 'low']).optional(),
  description: z.string().optional(),
  tags: tagList.optional(),
  meta: anyRecord.optional(),
  config: z.strictObject({ enabled: z.boolean().optional(), tags: tagList.optional(), meta: anyRecord.optional() }).optional(),
});

export const groupSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and underscores'),
  owner: z.object({ name: z.string().optional(), email: z.string().optional() }).catchall(z.unknown()),
  description: z.string().optional(),
  config: z.strictObject({ meta: anyRecord.optional() }).optional(),
});

const fixtureRows = z.union([z.array(z.record(z.string(), z.unknown())), z.string()]);

export const unitTestSchema = z.strictObject({
  name: z.string(),
  model: z.string(),
  description: z.string().optional(),
  given: z
    .array(
      z.strictObject({
        input: z.string(),
        rows: fixtureRows.optional(),
        format: z.enum(['dict', 'csv']).optional(),
        fixture: z.string().optional(),
      }),
    )
    .optional(),
  expect: z.strictObject({ rows: fixtureRows.optional(), format: z.enum(['dict', 'csv']).optional(), fixture: z.string().optional() }),
  overrides: z
    .strictObject({
      vars: anyRecord.optional(),
      macros: anyRecord.optional(),
      env_vars: anyRecord.optional(),
    })
    .optional(),
  config: z.strictObject({ enabled: z.boolean().optional(), tags: tagList.optional(), meta: anyRecord.optional() }).optional(),
  versions: z.unknown().optional(),
});

export const propertiesFileSchema = z.strictObject({
  version: z.union([z.literal(2), z.literal('2')]).optional(),
  models: z.array(modelPropertiesSchema).optional(),
  sources: z.array(sourceSchema).optional(),
  seeds: z.array(seedPropertiesSchema).optional(),
  exposures: z.array(exposureSchema).optional(),
  unit_tests: z.array(unitTestSchema).optional(),
  snapshots: z.array(snapshotPropertiesSchema).optional(),
  macros: z.array(anyRecord).optional(),
  analyses: z.array(anyRecord).optional(),
  groups: z.array(groupSchema).optional(),
  semantic_models: z.array(anyRecord).optional(),
  metrics: z.array(anyRecord).optional(),
  saved_queries: z.array(anyRecord).optional(),
  data_tests: z.array(anyRecord).optional(),
});

export type PropertiesFile = z.infer<typeof propertiesFileSchema>;
export type ColumnProperties = z.infer<typeof columnSchema>;
export type ExternalLocation = z.infer<typeof externalSchema>;
export type SnapshotProperties = z.infer<typeof snapshotPropertiesSchema>;

/** Every key the schemas know, for "did you mean" on a misspelled one. */
export const KNOWN_PROPERTY_KEYS = new Set<string>([
  ...Object.keys(propertiesFileSchema.shape),
  ...Object.keys(modelPropertiesSchema.shape),
  ...Object.keys(columnSchema.shape),
  ...Object.keys(sourceSchema.shape),
  ...Object.keys(sourceTableSchema.shape),
  ...Object.keys(externalSchema.shape),
  ...Object.keys(seedPropertiesSchema.shape),
  ...Object.keys(snapshotPropertiesSchema.shape),
  ...Object.keys(unitTestSchema.shape),
  ...Object.keys(groupSchema.shape),
  ...Object.keys(exposureSchema.shape),
  'input',
  'rows',
  'format',
  'fixture',
  'vars',
  'macros',
  'env_vars',
]);
