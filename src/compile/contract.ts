import { z } from 'zod';
import { didYouMean } from '../errors/suggest.js';
import { formatLocation, type SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { sha256 } from '../project/checksum.js';
import type { KeyOrigin } from '../project/config-merge.js';
import type { ColumnInfo, ParsedNode } from '../project/types.js';
import { CONSTRAINT_TYPES, type ConstraintType, type Dialect, PORTABLE_TYPES, type PortableType } from './dialect.js';
import type { ResolvedNodeConfig } from './node-config.js';
import type { RelationResolver } from './relations.js';
import type { CompiledNode } from './types.js';

// Model contracts (dbt's `contract: {enforced: true}`): the columns a model promises, with their
// types, and the constraints its table is created with. Checked and typed at compile time here;
// compared with the engine's columns of the SELECT before each build (execute/contract-check.ts);
// written into the DDL by the planners (adapters/contract-sql.ts).

/** A contracted column: its type as written and as the target engine creates it. */
export interface ContractColumn {
  name: string;
  /** data_type as written in YAML. */
  dataType: string;
  /** The type of the table's column on the target engine: a portable name mapped, any other as written. */
  type: string;
}

export interface ContractConstraint {
  type: ConstraintType;
  /** Declared on a column (its name in `columns`) or on the model. */
  level: 'column' | 'model';
  columns: string[];
  name?: string;
  /** check: the condition; custom: the text put in the DDL; foreign_key (legacy): `table (columns)`. */
  expression?: string;
  /** foreign_key: the referenced model or source as written (`ref('x')`), and its columns. */
  to?: string;
  toColumns: string[];
  /** foreign_key: the referenced relation, once `to` is resolved. */
  toRelation?: string;
  warnUnenforced: boolean;
  warnUnsupported: boolean;
  /** Where the constraint is written (its properties YAML). */
  location: SourceLocation;
}

/** A model's contract as every later phase reads it (`config.contract`). */
export interface ModelContract {
  enforced: boolean;
  aliasTypes: boolean;
  /** In the order of the properties file; empty unless enforced. */
  columns: ContractColumn[];
  /** Every constraint declared, column- and model-level, checked; planners apply those the engine supports. */
  constraints: ContractConstraint[];
  /** Of the columns' names and data types (dbt's contract checksum): undefined unless enforced. */
  checksum?: string;
}

/** What resolving a model's contract needs of the node and of the target. */
export interface ContractInput {
  nodeId: string;
  name: string;
  materialized: string;
  onSchemaChange?: string;
  /** config.contract as written. */
  raw: unknown;
  columns: Readonly<Record<string, ColumnInfo>>;
  /** The model-level `constraints:` of its properties entry, as written. */
  constraints?: readonly unknown[];
  /** Where a config key was set. */
  locateConfig(key: string): SourceLocation;
  /** A path in the model's properties entry (['columns', 2, 'constraints', 0]). */
  locateProperty(path: Array<string | number>): SourceLocation;
  dialect: Pick<Dialect, 'type' | 'renderings' | 'contracts'>;
}

export interface ContractResult {
  contract?: ModelContract;
  errors: TsdbtError[];
  warnings: string[];
}

const contractSchema = z.strictObject({ enforced: z.boolean().optional(), alias_types: z.boolean().optional() });

const constraintSchema = z.strictObject({
  type: z.string(),
  name: z.string().optional(),
  expression: z.string().optional(),
  columns: z.array(z.string()).optional(),
  to: z.string().optional(),
  to_columns: z.array(z.string()).optional(),
  warn_unenforced: z.boolean().optional(),
  warn_unsupported: z.boolean().optional(),
});

const SCHEMA_CHANGES_WITH_CONTRACT = ['append_new_columns', 'fail'];

/**
 * The type a contracted column is created with: a portable name (`string`, `int`, `float`,
 * `numeric`, `boolean`, `date`, `timestamp`, `timestamp_tz`, any case) becomes the engine's own,
 * unless `alias_types: false`; any other name is the engine's type, passed as written.
 */
export function contractTypeIn(dialect: Pick<Dialect, 'renderings'>, dataType: string, aliasTypes: boolean): string {
  const name = dataType.trim();
  const portable = name.toLowerCase() as PortableType;
  return aliasTypes && PORTABLE_TYPES.includes(portable) ? dialect.renderings.type(portable) : name;
}

/**
 * Checks a model's `contract` config, its columns' `data_type`s and every constraint (model- and
 * column-level): shapes are errors at the YAML line they are written on; constraints the engine
 * only records, or cannot apply, are warnings (dbt's warn_unenforced / warn_unsupported).
 */
export function resolveContract(input: ContractInput): ContractResult {
  const errors: TsdbtError[] = [];
  const warnings: string[] = [];
  const fail = (location: SourceLocation, message: string, hint: string) =>
    errors.push(new TsdbtError(message, { code: 'E_CONTRACT', kind: 'project', nodeId: input.nodeId, location, hint }));
  const warn = (location: SourceLocation, message: string) => warnings.push(`${formatLocation(location)}: ${message}`);

  let enforced = false;
  let aliasTypes = true;
  if (input.raw !== undefined) {
    const parsed = contractSchema.safeParse(input.raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.length > 0 ? `contract.${issue.path.join('.')}` : 'contract';
      const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      fail(
        input.locateConfig('contract'),
        unknown ? `config contract: unknown key "${unknown}"` : `config ${key}: ${issue.message}, got ${JSON.stringify(input.raw)}`,
        `${unknown ? `${didYouMean(unknown, ['enforced', 'alias_types']) ?? ''} `.trimStart() : ''}write contract: {enforced: true} (and alias_types: false to pass data types as written)`,
      );
      return { errors, warnings };
    }
    enforced = parsed.data.enforced ?? false;
    aliasTypes = parsed.data.alias_types ?? true;
  }

  if (enforced && input.materialized === 'ephemeral') {
    fail(
      input.locateConfig('contract'),
      `model "${input.name}" is ephemeral: an ephemeral model cannot have an enforced contract`,
      'materialize it as a table, view or incremental model, or remove contract: {enforced: true}',
    );
  }
  if (enforced && input.materialized === 'incremental' && !SCHEMA_CHANGES_WITH_CONTRACT.includes(input.onSchemaChange ?? 'ignore')) {
    const setHere = input.onSchemaChange !== undefined && input.onSchemaChange !== 'ignore';
    fail(
      setHere ? input.locateConfig('on_schema_change') : input.locateConfig('contract'),
      `model "${input.name}": an incremental model with an enforced contract needs on_schema_change append_new_columns or fail, not ${input.onSchemaChange ?? 'ignore'}`,
      'set on_schema_change: append_new_columns (new contract columns are added to the table) or fail (a column change stops the run)',
    );
  }

  const columns: ContractColumn[] = [];
  const entries = Object.values(input.columns);
  if (enforced) {
    if (entries.length === 0) {
      fail(
        input.locateConfig('contract'),
        `model "${input.name}" has an enforced contract but declares no columns`,
        'list every column of the model under columns: in its properties file, each with a data_type',
      );
    }
    const contracts = input.dialect.contracts;
    entries.forEach((column, index) => {
      if (column.dataType === undefined || column.dataType.trim() === '') {
        fail(
          input.locateProperty(['columns', index]),
          `column ${input.name}.${column.name} has no data_type: an enforced contract needs the type of every column`,
          `add data_type: to the column (a portable name: ${PORTABLE_TYPES.join(', ')}; or a ${input.dialect.type} type)`,
        );
        return;
      }
      const type = contractTypeIn(input.dialect, column.dataType, aliasTypes);
      if (contracts && !contracts.knows(type)) {
        warn(
          input.locateProperty(['columns', index, 'data_type']),
          `data_type "${column.dataType}" of ${input.name}.${column.name} is not a ${input.dialect.type} type: the build will likely fail (portable names: ${PORTABLE_TYPES.join(', ')})`,
        );
      }
      columns.push({ name: column.name, dataType: column.dataType.trim(), type });
    });
  }

  const constraints = [
    ...entries.flatMap((column, index) =>
      (column.constraints ?? []).map((raw, j) => ({ raw, level: 'column' as const, column: column.name, path: ['columns', index, 'constraints', j] })),
    ),
    ...(input.constraints ?? []).map((raw, j) => ({ raw, level: 'model' as const, column: undefined, path: ['constraints', j] })),
  ].flatMap(({ raw, level, column, path }) => {
    const constraint = parseConstraint(raw, level, column, input.locateProperty(path), fail);
    return constraint ? [constraint] : [];
  });

  const known = new Map(entries.map((c) => [c.name.toLowerCase(), c.name]));
  for (const constraint of constraints) {
    if (constraint.level !== 'model' || !enforced) continue;
    for (const name of constraint.columns) {
      if (!known.has(name.toLowerCase())) {
        fail(
          constraint.location,
          `${constraint.type} constraint of model "${input.name}" names column "${name}", which is not in its contract`,
          didYouMean(name, known.values()) ?? 'name columns declared under columns:',
        );
      }
    }
  }
  const primaryKeys = constraints.filter((c) => c.type === 'primary_key');
  if (primaryKeys.length > 1) {
    fail(
      primaryKeys[1]!.location,
      `model "${input.name}" declares ${primaryKeys.length} primary keys (${primaryKeys.map((c) => c.columns.join(', ')).join('; ')})`,
      'declare one composite key at the model level: constraints: [{type: primary_key, columns: [a, b]}]',
    );
  }

  if (constraints.length > 0) {
    const support = input.dialect.contracts?.constraints;
    for (const constraint of constraints) {
      const what = `${constraint.type} constraint${constraint.columns.length > 0 ? ` on ${constraint.columns.join(', ')}` : ''} of ${input.name}`;
      if (!enforced) {
        warn(constraint.location, `${what} has no effect: constraints apply only with contract: {enforced: true}`);
      } else if (input.materialized === 'view') {
        if (constraint.warnUnsupported)
          warn(constraint.location, `${what} is not applied: a view has no constraints (its columns and types are still checked)`);
      } else if (constraint.type === 'custom' && constraint.level === 'model') {
        if (constraint.warnUnsupported)
          warn(constraint.location, `${what} is not applied: custom constraints go on a column (their expression follows its type)`);
      } else if (!support || support[constraint.type] === 'not_supported') {
        const note = input.dialect.contracts?.notes?.[constraint.type];
        if (constraint.warnUnsupported) warn(constraint.location, `${what} is not applied: ${note ?? `${input.dialect.type} does not support it`}`);
      } else if (support[constraint.type] === 'not_enforced') {
        if (constraint.warnUnenforced) warn(constraint.location, `${what} is not enforced by ${input.dialect.type}: declared only (NOT ENFORCED)`);
      }
    }
  }

  if (input.raw === undefined && constraints.length === 0) return { errors, warnings };
  const checksum = enforced ? sha256(JSON.stringify(columns.map((c) => [c.name, c.dataType]).sort())) : undefined;
  return { contract: { enforced, aliasTypes, columns, constraints, checksum }, errors, warnings };
}

function parseConstraint(
  raw: unknown,
  level: 'column' | 'model',
  column: string | undefined,
  location: SourceLocation,
  fail: (location: SourceLocation, message: string, hint: string) => void,
): ContractConstraint | undefined {
  const where = column ? `column ${column}` : 'the model';
  const parsed = constraintSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    fail(
      location,
      unknown
        ? `constraint of ${where}: unknown key "${unknown}"`
        : `constraint of ${where}: ${issue.path.length > 0 ? `${issue.path.join('.')} ` : ''}${issue.message}, got ${JSON.stringify(raw)}`,
      `${unknown ? `${didYouMean(unknown, Object.keys(constraintSchema.shape)) ?? ''} `.trimStart() : ''}a constraint is {type: not_null | unique | primary_key | foreign_key | check | custom, ...}`,
    );
    return undefined;
  }
  const c = parsed.data;
  const type = c.type.toLowerCase();
  if (!(CONSTRAINT_TYPES as readonly string[]).includes(type)) {
    fail(location, `constraint of ${where}: unknown type "${c.type}"`, didYouMean(type, CONSTRAINT_TYPES) ?? `use one of: ${CONSTRAINT_TYPES.join(', ')}`);
    return undefined;
  }
  const problem = (message: string, hint: string) => {
    fail(location, `${type} constraint of ${where}: ${message}`, hint);
    return undefined;
  };
  if (level === 'column' && c.columns !== undefined) {
    return problem('columns: applies to a model-level constraint', 'remove columns: (the constraint is on this column), or move it under the model');
  }
  const columns = column ? [column] : (c.columns ?? []);
  if (level === 'model' && columns.length === 0 && type !== 'check' && type !== 'custom') {
    return problem('a model-level constraint needs columns:', `write {type: ${type}, columns: [a, b]}`);
  }
  if ((type === 'check' || type === 'custom') && !c.expression?.trim()) {
    return problem('needs an expression', type === 'check' ? 'write expression: "amount >= 0"' : 'write expression: the text to put after the column type');
  }
  if (type === 'foreign_key') {
    if (c.to !== undefined && c.expression !== undefined) return problem('has both to: and expression:', "keep to: ref('model') with to_columns: [id]");
    if (c.to === undefined && !c.expression?.trim()) return problem('needs to: (and to_columns:)', "write to: ref('model'), to_columns: [id]");
    if (c.to !== undefined && (c.to_columns ?? []).length === 0) return problem('needs to_columns: with to:', 'write to_columns: [the referenced columns]');
    if (c.to !== undefined && (c.to_columns ?? []).length !== columns.length) {
      return problem(`has ${columns.length} column(s) and ${c.to_columns!.length} to_columns`, 'give one referenced column per column');
    }
  } else if (c.to !== undefined || c.to_columns !== undefined) {
    return problem('to: and to_columns: apply to a foreign_key', 'remove them, or use type: foreign_key');
  } else if (c.expression !== undefined && type !== 'check' && type !== 'custom') {
    return problem('expression: applies to check, custom and foreign_key constraints', 'remove expression:');
  }
  return {
    type: type as ConstraintType,
    level,
    columns,
    name: c.name,
    expression: c.expression?.trim(),
    to: c.to,
    toColumns: c.to_columns ?? [],
    warnUnenforced: c.warn_unenforced ?? true,
    warnUnsupported: c.warn_unsupported ?? true,
    location,
  };
}

/** Where a foreign key's `to:` points, as the resolver of the compile phase finds it. */
export type ReferenceResolver = (expression: string) => { id: string; relation: string; ephemeral: boolean } | { error: string; hint: string };

/**
 * Resolves each foreign key's `to:` to the referenced relation; the referenced node becomes a
 * parent of the model (it must exist before a table can reference it). Returns the new parents.
 */
export function linkForeignKeys(
  contract: ModelContract | undefined,
  resolve: ReferenceResolver,
  model: { uniqueId: string; name: string },
): { parents: string[]; errors: TsdbtError[] } {
  const parents: string[] = [];
  const errors: TsdbtError[] = [];
  if (!contract?.enforced) return { parents, errors };
  for (const constraint of contract.constraints) {
    if (constraint.type !== 'foreign_key' || constraint.to === undefined) continue;
    const target = resolve(constraint.to);
    const fail = (message: string, hint: string) =>
      errors.push(new TsdbtError(message, { code: 'E_CONTRACT', kind: 'project', nodeId: model.uniqueId, location: constraint.location, hint }));
    if ('error' in target) fail(`foreign_key constraint of ${model.name} references ${target.error}`, target.hint);
    else if (target.ephemeral) fail(`foreign_key constraint of ${model.name} references an ephemeral model (${constraint.to})`, 'reference a table');
    else {
      constraint.toRelation = target.relation;
      if (target.id !== model.uniqueId) parents.push(target.id);
    }
  }
  return { parents, errors };
}

/**
 * A model's contract into its typed config (`config.contract`): errors and warnings at the
 * YAML lines. Seeds and snapshots have none.
 */
export function applyContract(
  node: ParsedNode,
  config: ResolvedNodeConfig,
  raw: Readonly<Record<string, unknown>>,
  origin: (key: string) => KeyOrigin,
  dialect: ContractInput['dialect'],
): { errors: TsdbtError[]; warnings: string[] } {
  if (config.materialized === 'seed' || config.materialized === 'snapshot') {
    // Their columns share the properties schema: a constraint there is said to do nothing.
    const warnings = Object.values(node.columns).flatMap((column, index) =>
      column.constraints?.length
        ? [
            `${formatLocation(node.locateProperty?.(['columns', index, 'constraints']) ?? { file: node.originalFilePath })}: constraints of ${node.name}.${column.name} have no effect: a ${config.materialized} has no contract`,
          ]
        : [],
    );
    return { errors: [], warnings };
  }
  const result = resolveContract({
    nodeId: node.uniqueId,
    name: node.name,
    materialized: config.materialized,
    onSchemaChange: config.materialized === 'incremental' ? (raw.on_schema_change === undefined ? undefined : config.incremental.onSchemaChange) : undefined,
    raw: raw.contract,
    columns: node.columns,
    constraints: node.constraints,
    locateConfig: (key) => origin(key).location,
    locateProperty: (path) => node.locateProperty?.(path) ?? { file: node.originalFilePath },
    dialect,
  });
  if (result.contract) config.contract = result.contract;
  return result;
}

/** The foreign keys' `to:` of a compiled model, resolved; the referenced nodes become its parents. */
export function linkContractReferences(node: CompiledNode, resolver: RelationResolver): TsdbtError[] {
  const config = node.resolvedConfig;
  if (config.materialized === 'seed' || config.materialized === 'snapshot') return [];
  const { parents, errors } = linkForeignKeys(
    config.contract,
    (expression) => {
      const target = resolver.relationOfExpression(expression);
      if ('error' in target) return target;
      const referenced = [...resolver.modelsByName.values()].find((n) => n.uniqueId === target.id);
      return { id: target.id, relation: target.relation, ephemeral: referenced?.materialized === 'ephemeral' };
    },
    node,
  );
  for (const parent of parents) if (!node.dependsOn.nodes.includes(parent)) node.dependsOn.nodes.push(parent);
  return errors;
}
