/**
 * What tests leave behind: target/junit.xml (and --junit), the console test table,
 * --log-format json events, and the test-history table in the warehouse.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, tableRows, type RunResult, type TmpProject } from '../helpers/tmp-project.js';

// --- a tiny XML reader (elements, attributes, text; enough for JUnit reports) ----------------

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const decode = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) =>
    dec
      ? String.fromCodePoint(Number(dec))
      : hex
        ? String.fromCodePoint(parseInt(hex, 16))
        : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[name]!,
  );

function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (const match of xml.matchAll(token)) {
    const [whole, closing, name, attrText, selfClosing, text] = match;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      top.text += decode(text);
    } else if (name !== undefined) {
      if (closing) {
        expect(top.name, `closing </${name}>`).toBe(name);
        stack.pop();
      } else {
        const attrs: Record<string, string> = {};
        for (const [, key, value] of (attrText ?? '').matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[key!] = decode(value!);
        const element: XmlElement = { name, attrs, children: [], text: '' };
        top.children.push(element);
        if (!selfClosing) stack.push(element);
      }
    } else {
      expect(whole.startsWith('<?') || whole.startsWith('<!--'), `unexpected XML: ${whole}`).toBe(true);
    }
  }
  expect(stack, 'every element closed').toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);

// ----------------------------------------------------------------------------------------------

interface ResultEntry {
  unique_id: string;
  status: string;
  failures: number | null;
  message: string;
}

const invocationId = (project: TmpProject): string => project.json('target/run_results.json').metadata.invocation_id;

function expectExit(result: RunResult, code: number) {
  expect(result.code, `exit code\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(code);
}

/** The console's test table: [test, on, status, failures] per row (seconds dropped). */
function testTable(stdout: string): string[][] {
  const rows = tableRows(stdout);
  const header = rows.findIndex((r) => r[0] === 'test' && r[1] === 'on');
  expect(header, 'the test table is printed').toBeGreaterThanOrEqual(0);
  expect(rows[header]).toEqual(['test', 'on', 'status', 'failures', 'seconds']);
  return rows.slice(header + 1).map((r) => r.slice(0, 4));
}

const PROJECT_FILES: Record<string, string> = {
  'project.yml': 'name: demo\nprofile: demo\ntest-history:\n  enabled: true\n  schema: qa\n  table: test_log\n',
  'models/good.sql': "{{config materialized=\"table\"}}\nselect * from (values (1, 'a'), (2, 'b')) as t(id, code)\n",
  'models/bad.sql': "{{config materialized=\"table\"}}\nselect * from (values (1, 'x'), (null, 'y'), (null, 'z')) as t(id, code)\n",
  'models/bad_child.sql': '{{config materialized="table"}}\nselect id from {{ref "bad"}}\n',
  'models/schema.yml': `version: 2
models:
  - name: good
    data_tests:
      - expression_is_true: {expression: "no_such_col > 0"}
    columns:
      - name: id
        data_tests: [not_null, unique]
      - name: code
        data_tests:
          - accepted_values: {values: [a, b]}
  - name: bad
    columns:
      - name: id
        data_tests: [not_null]
      - name: code
        data_tests:
          - accepted_values: {values: [x], severity: warn}
  - name: bad_child
    columns:
      - name: id
        data_tests: [unique]
unit_tests:
  - name: good_unit
    model: good
    given: []
    expect:
      rows: [{id: 1, code: a}, {id: 2, code: b}]
  - name: bad_unit
    model: bad_child
    given:
      - input: ref('bad')
        rows: [{id: 5}]
    expect:
      rows: [{id: 6}]
`,
};

describe('test outputs', () => {
  let project: TmpProject;
  let build: RunResult;
  let buildJunit: string;
  let buildInvocation: string;
  let buildResults: ResultEntry[];
  let test: RunResult;
  let testInvocation: string;
  let junitAfterTest: string;
  let json: RunResult;
  let jsonInvocation: string;

  beforeAll(async () => {
    project = createTmpProject(PROJECT_FILES);
    build = await runTsdbt(project.dir, ['build', '--show-all']);
    buildJunit = project.read('target/junit.xml');
    buildInvocation = invocationId(project);
    buildResults = project.json('target/run_results.json').results;
    test = await runTsdbt(project.dir, ['test', '--exclude', 'bad_child', '--junit', 'reports/ci.xml', '--no-reuse', '--show-all']);
    testInvocation = invocationId(project);
    junitAfterTest = project.read('target/junit.xml');
    json = await runTsdbt(project.dir, ['test', '--exclude', 'bad_child', '--log-format', 'json', '--no-reuse']);
    jsonInvocation = invocationId(project);
  });

  it('build and test exit 1 (a test fails)', () => {
    expectExit(build, 1);
    expectExit(test, 1);
    expectExit(json, 1);
    expect(new Set([buildInvocation, testInvocation, jsonInvocation]).size).toBe(3);
  });

  describe('target/junit.xml from build', () => {
    let suites: XmlElement;
    beforeAll(() => {
      suites = parseXml(buildJunit);
    });

    it('counts every test, failure, error and skip', () => {
      expect(buildJunit.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
      expect(suites.name).toBe('testsuites');
      expect(suites.attrs).toMatchObject({ name: 'tsdbt', tests: '9', failures: '2', errors: '1', skipped: '1' });
      expect(Number(suites.attrs.time)).toBeGreaterThan(0);
    });

    it('has one suite per tested model and one testcase per test (models are not testcases)', () => {
      const layout = Object.fromEntries(
        suites.children.map((suite) => {
          expect(suite.name).toBe('testsuite');
          return [suite.attrs.name, suite.children.map((testcase) => testcase.attrs.name).sort()];
        }),
      );
      expect(layout).toEqual({
        'model.demo.good': ['accepted_values_good_code__a__b', 'expression_is_true_good_no_such_col_0', 'good_unit', 'not_null_good_id', 'unique_good_id'],
        'model.demo.bad': ['accepted_values_bad_code__x', 'not_null_bad_id'],
        'model.demo.bad_child': ['bad_unit', 'unique_bad_child_id'],
      });
      const counts = Object.fromEntries(
        suites.children.map((s) => [s.attrs.name, [s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped].join('/')]),
      );
      expect(counts).toEqual({ 'model.demo.good': '5/0/1/0', 'model.demo.bad': '2/1/0/0', 'model.demo.bad_child': '2/1/0/1' });
      for (const suite of suites.children) for (const testcase of suite.children) expect(testcase.attrs.classname).toBe(suite.attrs.name);
    });

    const testcase = (name: string) => {
      const found = suites.children.flatMap((s) => s.children).filter((t) => t.attrs.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };

    it('a failing data test carries the count and a sample of the failing rows', () => {
      const failure = child(testcase('not_null_bad_id'), 'failure')!;
      expect(failure.attrs).toEqual({ message: '2 failing rows (error_if !=0)', type: 'data_test' });
      expect(failure.text).toBe(
        [
          '2 failing rows (error_if !=0)',
          'sample of failing rows:',
          '  {"id":null,"code":"y"}',
          '  {"id":null,"code":"z"}',
          'SQL: target/compiled/demo/models/schema.yml/not_null_bad_id.sql',
        ].join('\n'),
      );
    });

    it('a failing unit test carries the row diff', () => {
      const failure = child(testcase('bad_unit'), 'failure')!;
      expect(failure.attrs).toEqual({ message: 'actual rows differ from expected: 1 missing, 1 unexpected', type: 'unit_test' });
      expect(failure.text).toContain('  - missing    id=6\n  + unexpected id=5');
    });

    it('an erroring test carries the engine message', () => {
      const error = child(testcase('expression_is_true_good_no_such_col_0'), 'error')!;
      expect(error.attrs.message).toMatch(/^Binder Error: Referenced column "no_such_col" not found/);
      expect(error.attrs.type).toBe('error');
    });

    it('a skipped test is <skipped> with the reason; a warning passes with its message in system-out', () => {
      const skipped = child(testcase('unique_bad_child_id'), 'skipped')!;
      expect(skipped.attrs.message).toMatch(/^skipped: upstream (test not_null_bad_id|unit test bad_unit|bad_child) failed$/);
      const warned = testcase('accepted_values_bad_code__x');
      expect(warned.children.map((c) => c.name)).toEqual(['system-out']);
      expect(child(warned, 'system-out')!.text).toMatch(/^WARN: 2 failing rows \(warn_if !=0, severity warn\)\nsample of failing rows:\n/);
      for (const name of ['not_null_good_id', 'unique_good_id', 'good_unit']) expect(testcase(name).children, name).toEqual([]);
    });
  });

  it('--junit <path> writes the report there instead of target/junit.xml', () => {
    expect(project.exists('reports/ci.xml')).toBe(true);
    // target/junit.xml was left as build wrote it.
    expect(junitAfterTest).toBe(buildJunit);
    const suites = parseXml(project.read('reports/ci.xml'));
    expect(suites.attrs).toMatchObject({ tests: '7', failures: '1', errors: '1', skipped: '0' });
    const names = suites.children.flatMap((s) => s.children.map((t) => t.attrs.name)).sort();
    expect(names).toEqual([
      'accepted_values_bad_code__x',
      'accepted_values_good_code__a__b',
      'expression_is_true_good_no_such_col_0',
      'good_unit',
      'not_null_bad_id',
      'not_null_good_id',
      'unique_good_id',
    ]);
  });

  it('test writes target/junit.xml by default', () => {
    // The last invocation (test --log-format json, no --junit) replaced build's report.
    const suites = parseXml(project.read('target/junit.xml'));
    expect(suites.attrs).toMatchObject({ tests: '7', failures: '1', errors: '1', skipped: '0' });
    expect(suites.children.map((s) => s.attrs.name).sort()).toEqual(['model.demo.bad', 'model.demo.good']);
  });

  it('the console lists every test with its model.column, status and failures', () => {
    const byName = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
    expect(testTable(test.stdout).sort(byName)).toEqual(
      [
        ['expression_is_true_good_no_such_col_0', 'good', 'ERROR', ''],
        ['not_null_good_id', 'good.id', 'PASS', '0'],
        ['unique_good_id', 'good.id', 'PASS', '0'],
        ['accepted_values_good_code__a__b', 'good.code', 'PASS', '0'],
        ['not_null_bad_id', 'bad.id', 'FAIL', '2'],
        ['accepted_values_bad_code__x', 'bad.code', 'WARN', '2'],
        ['good_unit', 'good', 'PASS', '0'],
      ].sort(byName),
    );
  });

  it('the console table of build shows skipped tests on their model.column too', () => {
    const rows = testTable(build.stdout);
    expect(rows).toHaveLength(9);
    expect(rows).toContainEqual(['unique_bad_child_id', 'bad_child.id', 'SKIP', '']);
    expect(rows).toContainEqual(['bad_unit', 'bad_child', 'FAIL', '2']);
  });

  it('--log-format json emits a node_finished event per test', () => {
    const events = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const finished = events.filter((e) => e.event === 'node_finished');
    const byId = Object.fromEntries(finished.map((e) => [e.unique_id, e]));
    expect(finished).toHaveLength(7);
    expect(
      Object.values(byId)
        .map((e: any) => `${e.name} ${e.resource_type} ${e.status}`)
        .sort(),
    ).toEqual([
      'accepted_values_bad_code__x test warn',
      'accepted_values_good_code__a__b test pass',
      'expression_is_true_good_no_such_col_0 test error',
      'good_unit unit_test pass',
      'not_null_bad_id test fail',
      'not_null_good_id test pass',
      'unique_good_id test pass',
    ]);
    const notNull = finished.find((e) => e.name === 'not_null_bad_id');
    expect(notNull).toMatchObject({ message: '2 failing rows (error_if !=0)', total: 7 });
    expect(notNull.unique_id).toMatch(/^test\.demo\.not_null_bad_id\.[0-9a-f]{10}$/);
    const errored = finished.find((e) => e.name === 'expression_is_true_good_no_such_col_0');
    expect(errored.location).toBe('models/schema.yml:5:9, compiled target/compiled/demo/models/schema.yml/expression_is_true_good_no_such_col_0.sql:1');
    expect(errored.source).toEqual({ file: 'models/schema.yml', line: 5, column: 9 });
    expect(events.find((e) => e.event === 'run_finished').counts).toEqual({ pass: 4, fail: 1, warn: 1, error: 1 });
    expect(events.some((e) => e.event === 'info' && e.message === 'test history: 7 rows appended to qa.test_log')).toBe(true);
    // Nothing but JSON lines on stdout.
    expect(json.stdout).not.toContain('┌');
  });

  it('test-history keeps one row per test and invocation, across invocations', async () => {
    expect(build.stdout).toContain('test history: 9 rows appended to qa.test_log');
    expect(test.stdout).toContain('test history: 7 rows appended to qa.test_log');
    const rows = await queryDuckdb<{ invocation_id: string; command: string; status: string; n: number }>(
      project.dbPath,
      'select invocation_id, command, status, count(*)::int as n from qa.test_log group by all order by command, status',
    );
    const by = (id: string) => Object.fromEntries(rows.filter((r) => r.invocation_id === id).map((r) => [r.status, r.n]));
    expect(new Set(rows.map((r) => r.invocation_id))).toEqual(new Set([buildInvocation, testInvocation, jsonInvocation]));
    expect(by(buildInvocation)).toEqual({ pass: 4, fail: 2, warn: 1, error: 1, skipped: 1 });
    expect(by(testInvocation)).toEqual({ pass: 4, fail: 1, warn: 1, error: 1 });
    expect(rows.filter((r) => r.invocation_id === buildInvocation).every((r) => r.command === 'build')).toBe(true);
    expect(rows.filter((r) => r.invocation_id === testInvocation).every((r) => r.command === 'test')).toBe(true);

    const detail = await queryDuckdb(
      project.dbPath,
      `select test_name, test_type, attached_node, column_name, status, failures::int as failures, message
       from qa.test_log where invocation_id = '${testInvocation}' and test_name in ('not_null_bad_id', 'good_unit') order by test_name`,
    );
    expect(detail).toEqual([
      {
        test_name: 'good_unit',
        test_type: 'unit',
        attached_node: 'model.demo.good',
        column_name: null,
        status: 'pass',
        failures: 0,
        message: '2 expected rows matched',
      },
      {
        test_name: 'not_null_bad_id',
        test_type: 'data',
        attached_node: 'model.demo.bad',
        column_name: 'id',
        status: 'fail',
        failures: 2,
        message: '2 failing rows (error_if !=0)',
      },
    ]);
    // The history of build holds exactly the test results of build's run_results.
    const history = await queryDuckdb<{ unique_id: string; status: string }>(
      project.dbPath,
      `select unique_id, status from qa.test_log where invocation_id = '${buildInvocation}' order by unique_id`,
    );
    const fromRunResults = buildResults
      .filter((r) => r.unique_id.startsWith('test.') || r.unique_id.startsWith('unit_test.'))
      .map((r) => ({ unique_id: r.unique_id, status: r.status }))
      .sort((a, b) => (a.unique_id < b.unique_id ? -1 : 1));
    expect(history).toEqual(fromRunResults);
  });

  it('without --show-all the summary lists only the tests that did not pass, and counts the others', async () => {
    const plain = await runTsdbt(project.dir, ['test', '--exclude', 'bad_child', '--no-reuse']);
    expect(testTable(plain.stdout).map((row) => row[2])).toEqual(expect.arrayContaining(['ERROR', 'FAIL', 'WARN']));
    expect(testTable(plain.stdout)).toHaveLength(3);
    expect(plain.stdout).toContain('4 passing tests not listed (--show-all lists them)');
  });
});
