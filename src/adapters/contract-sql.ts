import type { ConstraintSupport, ConstraintType } from '../compile/dialect.js';
import type { ContractConstraint, ModelContract } from '../compile/contract.js';

/** How an engine writes a contracted table's column list. */
export interface ContractDdlEngine {
  quote(name: string): string;
  constraints: Readonly<Record<ConstraintType, ConstraintSupport>>;
  /** Whether a primary key may carry a name (`CONSTRAINT n PRIMARY KEY …`): BigQuery's cannot. */
  namedPrimaryKey: boolean;
}

/** `a, b` at top-level commas only: `DECIMAL(10, 2), STRUCT(x INT, y INT)` is two parts. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '<' || c === '[') depth++;
    else if (c === ')' || c === '>' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter(Boolean);
}

/** The constraints a contracted table is created with: those the engine supports, on a table. */
export function appliedConstraints(contract: ModelContract, engine: Pick<ContractDdlEngine, 'constraints'>): ContractConstraint[] {
  return contract.constraints.filter((c) => engine.constraints[c.type] !== 'not_supported' && !(c.type === 'custom' && c.level === 'model'));
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * `(\n  a BIGINT NOT NULL,\n  …,\n  PRIMARY KEY (a)\n)`: every contract column with its declared type
 * (a column's custom constraint text right after it, then NOT NULL), then the table constraints,
 * recorded-only ones marked NOT ENFORCED.
 */
export function contractColumnList(contract: ModelContract, engine: ContractDdlEngine): string {
  const q = engine.quote;
  const applied = appliedConstraints(contract, engine);
  const columns = contract.columns.map((column) => {
    const custom = applied.filter((c) => c.type === 'custom' && same(c.columns[0]!, column.name)).map((c) => ` ${c.expression}`);
    const notNull = applied.some((c) => c.type === 'not_null' && c.columns.some((name) => same(name, column.name)));
    return `  ${q(column.name)} ${column.type}${custom.join('')}${notNull ? ' NOT NULL' : ''}`;
  });
  const table = applied.flatMap((c) => {
    const list = c.columns.map(q).join(', ');
    const unenforced = engine.constraints[c.type] === 'not_enforced' ? ' NOT ENFORCED' : '';
    const named = c.name && (c.type !== 'primary_key' || engine.namedPrimaryKey) ? `CONSTRAINT ${q(c.name)} ` : '';
    switch (c.type) {
      case 'primary_key':
        return [`  ${named}PRIMARY KEY (${list})${unenforced}`];
      case 'unique':
        return [`  ${named}UNIQUE (${list})`];
      case 'check':
        return [`  ${named}CHECK (${c.expression})`];
      case 'foreign_key': {
        const target = c.toRelation ? `${c.toRelation} (${c.toColumns.map(q).join(', ')})` : c.expression;
        return [`  ${named}FOREIGN KEY (${list}) REFERENCES ${target}${unenforced}`];
      }
      default:
        return [];
    }
  });
  return `(\n${[...columns, ...table].join(',\n')}\n)`;
}

/** The contract's columns, in its order, selected over the model's SQL (head, the SQL, tail). */
export function contractSelect(contract: ModelContract, quote: (name: string) => string): { head: string; tail: string } {
  return { head: `SELECT ${contract.columns.map((c) => quote(c.name)).join(', ')} FROM (`, tail: ') AS tsdbt_contract' };
}
