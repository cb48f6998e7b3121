import type { ConfigFailure, EngineConfigSpec, Materialization } from '../../compile/node-config.js';
import { LABEL_KEY, LABEL_VALUE } from './identifiers.js';

export interface PartitionBy {
  field: string;
  dataType: 'date' | 'timestamp' | 'datetime' | 'int64';
  granularity: 'hour' | 'day' | 'month' | 'year';
  range?: { start: number; end: number; interval: number };
}

/** BigQuery's model and seed options, read and checked when the project compiles. */
export interface BigqueryModelOptions {
  partitionBy?: PartitionBy;
  clusterBy: string[];
  labels: Record<string, string>;
  requirePartitionFilter: boolean;
  partitionExpirationDays?: number;
  /** insert_overwrite: the partitions to replace, as SQL values (none: those of the new rows). */
  partitions?: string[];
}

const TABLES: readonly Materialization[] = ['table', 'incremental', 'snapshot'];

export const bigqueryConfigSpec: EngineConfigSpec<BigqueryModelOptions> = {
  engine: 'bigquery',
  keys: {
    partition_by: TABLES,
    cluster_by: TABLES,
    labels: ['view', 'table', 'incremental', 'seed', 'snapshot'],
    require_partition_filter: TABLES,
    partition_expiration_days: TABLES,
    partitions: ['incremental'],
  },
  unsupported: {
    kms_key_name: 'customer-managed encryption keys are not supported yet: set the dataset default key in BigQuery',
    hours_to_expiration: 'table expiration is not supported yet: set the dataset default table expiration',
    copy_partitions: 'insert_overwrite replaces partitions with MERGE; copy_partitions is not supported yet',
    grant_access_to: 'authorized views are not supported yet: grant access in BigQuery',
    resource_tags: 'resource tags are not supported yet',
    enable_refresh: 'materialized views are not supported yet',
    refresh_interval_minutes: 'materialized views are not supported yet',
    max_staleness: 'materialized views are not supported yet',
    policy_tags: 'column policy tags are not supported yet',
  },
  parse(config, materialized, fail) {
    const partitionBy = parsePartitionBy(config.partition_by, fail);
    const options: BigqueryModelOptions = {
      partitionBy,
      clusterBy: parseClusterBy(config.cluster_by, fail),
      labels: parseLabels(config.labels, fail),
      requirePartitionFilter: config.require_partition_filter === true,
    };
    if (config.require_partition_filter !== undefined && typeof config.require_partition_filter !== 'boolean') {
      fail(
        'require_partition_filter',
        `require_partition_filter must be true or false, got ${JSON.stringify(config.require_partition_filter)}`,
        'require_partition_filter: true',
      );
    }
    if (options.requirePartitionFilter && !partitionBy && materialized !== 'view') {
      fail('require_partition_filter', 'require_partition_filter needs partition_by', 'add partition_by, or drop require_partition_filter');
    }
    const days = config.partition_expiration_days;
    if (days !== undefined && days !== null) {
      const n = Number(days);
      if (!partitionBy || partitionBy.dataType === 'int64') {
        fail('partition_expiration_days', 'partition_expiration_days needs a time partition_by', 'add partition_by on a date or timestamp column');
      } else if (!Number.isFinite(n) || n <= 0) {
        fail('partition_expiration_days', `partition_expiration_days must be a positive number, got ${String(days)}`, 'partition_expiration_days: 365');
      } else options.partitionExpirationDays = n;
    }
    const partitions = config.partitions;
    if (partitions !== undefined && partitions !== null) {
      if (!Array.isArray(partitions) || partitions.length === 0) {
        fail('partitions', 'partitions must be a list of SQL values', 'partitions: ["DATE \'2024-01-01\'", "DATE \'2024-01-02\'"]');
      } else options.partitions = partitions.map(String);
    }
    if (materialized === 'incremental' && config.incremental_strategy === 'insert_overwrite' && !partitionBy) {
      fail('incremental_strategy', 'incremental_strategy "insert_overwrite" needs partition_by', 'add partition_by, or use merge');
    }
    return options;
  },
};

function parsePartitionBy(raw: unknown, fail: ConfigFailure): PartitionBy | undefined {
  if (raw === undefined || raw === null) return undefined;
  const invalid = (message: string, hint: string) => {
    fail('partition_by', message, hint);
    return undefined;
  };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return invalid(
      'partition_by must be a mapping',
      "write partition_by={field: 'day', data_type: 'date'} (YAML: partition_by: {field: day, data_type: date})",
    );
  }
  const p = raw as Record<string, unknown>;
  if (typeof p.field !== 'string' || p.field === '') return invalid('partition_by needs a field', 'partition_by: {field: the_column, data_type: date}');
  const dataType = String(p.data_type ?? 'date').toLowerCase();
  if (!['date', 'timestamp', 'datetime', 'int64'].includes(dataType)) {
    return invalid(`partition_by data_type "${dataType}" is not supported`, 'use date, timestamp, datetime or int64');
  }
  const granularity = String(p.granularity ?? 'day').toLowerCase();
  if (!['hour', 'day', 'month', 'year'].includes(granularity)) {
    return invalid(`partition_by granularity "${granularity}" is not supported`, 'use hour, day, month or year');
  }
  if (dataType === 'date' && granularity === 'hour') return invalid('a date column cannot be partitioned by hour', 'use granularity day, month or year');
  let range: PartitionBy['range'];
  if (dataType === 'int64') {
    const r = p.range as Record<string, unknown> | undefined;
    const nums = r && [r.start, r.end, r.interval].map(Number);
    if (!nums || nums.some((n) => !Number.isInteger(n)) || nums[2]! <= 0) {
      return invalid(
        'an int64 partition_by needs range: {start, end, interval} (integers)',
        'partition_by: {field: id, data_type: int64, range: {start: 0, end: 100000, interval: 1000}}',
      );
    }
    range = { start: nums[0]!, end: nums[1]!, interval: nums[2]! };
  }
  return { field: p.field, dataType: dataType as PartitionBy['dataType'], granularity: granularity as PartitionBy['granularity'], range };
}

function parseClusterBy(raw: unknown, fail: ConfigFailure): string[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw)
    ? raw.map(String)
    : String(raw)
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
  if (list.length > 4) fail('cluster_by', `cluster_by has ${list.length} columns`, 'BigQuery clusters by at most 4 columns');
  return list;
}

function parseLabels(raw: unknown, fail: ConfigFailure): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    fail('labels', 'labels must be a mapping', 'labels: {domain: energy}');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const value = String(v ?? '');
    if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(value)) {
      fail('labels', `label ${k}: ${value} is not valid for BigQuery`, 'label keys and values use lowercase letters, digits, _ and - (63 characters at most)');
    }
    out[k] = value;
  }
  return out;
}
