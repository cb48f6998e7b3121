/**
 * DuckDB-only SQL found in text meant for BigQuery. Some of it is a syntax error there, some of it
 * is valid GoogleSQL with another meaning (a double-quoted "Column" is a string literal on
 * BigQuery), which no parser can flag: this scan can. Pure text work, no dependency.
 */
export interface DuckdbConstruct {
  line: number;
  column: number;
  construct: string;
  text: string;
  hint: string;
}

interface Rule {
  construct: string;
  pattern: RegExp;
  hint: string;
  /** Matched on the text with its string literals (the match must still start in code). */
  literals?: boolean;
}

const RULES: Rule[] = [
  { construct: '::cast', pattern: /::\s*[A-Za-z]/g, hint: 'write {{cast "expr" "type"}} (CAST(expr AS type))' },
  { construct: 'TRY_CAST', pattern: /\btry_cast\s*\(/gi, hint: 'write {{safe_cast "expr" "type"}} (SAFE_CAST on BigQuery)' },
  {
    construct: 'file reader',
    pattern: /\b(read_csv|read_csv_auto|read_parquet|read_json|read_json_auto|read_ndjson|read_text)\s*\(/gi,
    hint: 'read lake files through a source with external: ({{source "name" "table"}})',
  },
  {
    construct: 'strptime/strftime',
    pattern: /\b(strptime|strftime)\s*\(/gi,
    hint: 'write {{parse_timestamp "expr" "format"}} (PARSE_DATETIME / FORMAT_DATETIME on BigQuery)',
  },
  {
    construct: 'quoted date part',
    pattern: /\b(date_trunc|date_diff|datediff|date_part|datepart)\s*\(\s*'/gi,
    hint: 'write {{date_trunc "day" "expr"}} / {{datediff "day" "a" "b"}} / {{dateadd "day" 1 "expr"}}',
  },
  {
    construct: 'INTERVAL string',
    pattern: /\binterval\s+'[^']*[a-z][^']*'/gi,
    hint: 'BigQuery writes INTERVAL 1 DAY: use {{dateadd "day" 1 "expr"}}',
    literals: true,
  },
  {
    construct: 'INTERVAL plural unit',
    pattern: /\binterval\s+\(?-?\d+\)?\s+(years|months|weeks|days|hours|minutes|seconds)\b/gi,
    hint: 'BigQuery units are singular (INTERVAL 2 DAY): use {{dateadd "day" 2 "expr"}}',
  },
  {
    construct: 'LIKE … ESCAPE',
    pattern: /\bescape\s+'/gi,
    hint: "BigQuery's LIKE has no ESCAPE clause: a backslash escapes % and _ ('\\\\_' in a literal)",
    literals: true,
  },
  { construct: 'ILIKE', pattern: /\bilike\b/gi, hint: 'write LOWER(x) LIKE LOWER(pattern)' },
  { construct: 'SELECT * EXCLUDE', pattern: /\*\s*exclude\s*\(/gi, hint: 'BigQuery writes SELECT * EXCEPT (...)' },
  { construct: 'now()/today()', pattern: /\b(now|today)\s*\(\s*\)/gi, hint: 'write {{current_timestamp}}' },
  { construct: 'epoch_ms/epoch', pattern: /\b(epoch_ms|epoch_us|epoch)\s*\(/gi, hint: 'write {{extract "epoch" "expr"}}' },
  {
    construct: 'list/struct function',
    pattern: /\b(list_\w+|struct_pack|regexp_matches|string_split|str_split|array_length)\s*\(/gi,
    hint: 'no BigQuery function of that name: use the GoogleSQL equivalent',
  },
  { construct: 'USING SAMPLE', pattern: /\busing\s+sample\b/gi, hint: 'BigQuery samples with TABLESAMPLE SYSTEM (n PERCENT)' },
];

/**
 * SQL that runs on both engines but computes another result on BigQuery (ENGINE-NOTES
 * "Semantic differences"): the helpers render each the same way on both. The helpers' own
 * renderings (CONCAT(COALESCE(CAST…, TO_HEX(MD5(…) are not matched.
 */
const OTHER_RESULT_RULES: Rule[] = [
  {
    construct: 'GREATEST/LEAST',
    pattern: /\b(greatest|least)\s*\(/gi,
    hint: 'a NULL argument is skipped on DuckDB and makes the result NULL on BigQuery: write {{greatest "a" "b"}} / {{least "a" "b"}} (NULLs skipped on both)',
  },
  {
    construct: 'CONCAT',
    pattern: /\bconcat\s*\((?!COALESCE\(CAST\()/gi,
    hint: 'a NULL argument is skipped on DuckDB and makes the result NULL on BigQuery: write {{concat "a" "b"}}',
  },
  {
    construct: 'EXTRACT(WEEK)',
    pattern: /\bextract\s*\(\s*week\b(?!\s*\()/gi,
    hint: 'ISO weeks on DuckDB, weeks starting on Sunday on BigQuery: write {{extract "week" "x"}} (ISO on both)',
  },
  {
    construct: 'REGEXP_REPLACE',
    pattern: /\bregexp_replace\s*\(/gi,
    hint: "DuckDB replaces the first match unless given 'g', BigQuery every match: anchor the pattern so it matches once",
  },
  { construct: 'MD5', pattern: /(?<!to_hex\(\s*)\bmd5\s*\(/gi, hint: 'hex text on DuckDB, BYTES on BigQuery: write {{hash "a" "b"}}' },
];

/** Code with comments, string literals and backticked names blanked (same length, same lines). */
function scan(sql: string): { code: string; doubleQuoted: Array<{ start: number; text: string }> } {
  let code = '';
  const doubleQuoted: Array<{ start: number; text: string }> = [];
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end = -1;
    if (c === '-' && next === '-') end = sql.indexOf('\n', i) === -1 ? sql.length : sql.indexOf('\n', i);
    else if (c === '#') end = sql.indexOf('\n', i) === -1 ? sql.length : sql.indexOf('\n', i);
    else if (c === '/' && next === '*') end = sql.indexOf('*/', i + 2) === -1 ? sql.length : sql.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '`' || c === '"') {
      const triple = c !== '`' && sql.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < sql.length && !sql.startsWith(close, j)) j += sql[j] === '\\' ? 2 : 1;
      end = Math.min(sql.length, j + close.length);
      if (c === '"') doubleQuoted.push({ start: i, text: sql.slice(i, end) });
    }
    if (end === -1) {
      code += c;
      i++;
    } else {
      code += blank(sql.slice(i, end));
      i = end;
    }
  }
  return { code, doubleQuoted };
}

function position(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Every construct of `sql` that computes another result on BigQuery than on DuckDB, in order. */
export function findOtherResults(sql: string): DuckdbConstruct[] {
  const { code } = scan(sql);
  return OTHER_RESULT_RULES.flatMap((rule) =>
    [...code.matchAll(rule.pattern)].map((match) => ({ ...position(sql, match.index!), construct: rule.construct, text: match[0], hint: rule.hint })),
  ).sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Every DuckDB-only construct of `sql`, in order of appearance. */
export function findDuckdbConstructs(sql: string): DuckdbConstruct[] {
  const { code, doubleQuoted } = scan(sql);
  const found: Array<DuckdbConstruct & { offset: number }> = [];
  for (const { start, text } of doubleQuoted) {
    found.push({
      offset: start,
      ...position(sql, start),
      construct: 'double-quoted identifier',
      text,
      hint: `${text} names a column in DuckDB but is a string literal in BigQuery: write {{quote ${text}}}`,
    });
  }
  for (const rule of RULES) {
    for (const match of (rule.literals ? sql : code).matchAll(rule.pattern)) {
      if (rule.literals && code[match.index!] !== sql[match.index!]) continue;
      found.push({ offset: match.index!, ...position(sql, match.index!), construct: rule.construct, text: match[0], hint: rule.hint });
    }
  }
  return found.sort((a, b) => a.offset - b.offset).map(({ offset: _offset, ...rest }) => rest);
}
