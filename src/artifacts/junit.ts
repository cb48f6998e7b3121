import { createRequire } from 'node:module';
import type { RunListener } from '../execute/events.js';
import type { NodeResult } from '../execute/types.js';
import { writeArtifactFile } from './write-file.js';

// Loaded when a report is written, not by every command that imports the runner (~80 ms).
const xml = () => createRequire(import.meta.url)('xmlbuilder2') as typeof import('xmlbuilder2');

const TEST_TYPES = new Set(['test', 'unit_test']);

/**
 * JUnit XML for CI systems: one testcase per data or unit test, grouped in a suite per tested
 * resource; failures carry the count and a sample of failing rows, errors the engine message.
 */
export function junitXml(results: NodeResult[], elapsed: number): string {
  const tests = results.filter((r) => TEST_TYPES.has(r.resourceType));
  const suites = new Map<string, NodeResult[]>();
  for (const result of tests) {
    const suite = result.attachedNode ?? 'singular';
    suites.set(suite, [...(suites.get(suite) ?? []), result]);
  }
  const count = (list: NodeResult[], status: string) => list.filter((r) => r.status === status).length;
  const root = xml()
    .create({ version: '1.0', encoding: 'UTF-8' })
    .ele('testsuites', {
      name: 'tsdbt',
      tests: tests.length,
      failures: count(tests, 'fail'),
      errors: count(tests, 'error'),
      skipped: count(tests, 'skipped'),
      time: elapsed.toFixed(3),
    });
  for (const [name, members] of suites) {
    const suite = root.ele('testsuite', {
      name,
      tests: members.length,
      failures: count(members, 'fail'),
      errors: count(members, 'error'),
      skipped: count(members, 'skipped'),
      time: members.reduce((t, r) => t + r.executionTime, 0).toFixed(3),
    });
    for (const result of members) {
      const testcase = suite.ele('testcase', { classname: name, name: result.name, time: result.executionTime.toFixed(3) });
      if (result.status === 'fail') {
        testcase
          .ele('failure', { message: result.message.split('\n')[0], type: result.resourceType === 'unit_test' ? 'unit_test' : 'data_test' })
          .txt(failureBody(result));
      } else if (result.status === 'error') {
        testcase.ele('error', { message: result.message.split('\n')[0], type: 'error' }).txt(result.message);
      } else if (result.status === 'skipped') {
        testcase.ele('skipped', { message: result.message });
      } else if (result.status === 'warn') {
        testcase.ele('system-out').txt(`WARN: ${result.message}\n${sampleText(result)}`);
      }
    }
  }
  return `${root.end({ prettyPrint: true })}\n`;
}

function failureBody(result: NodeResult): string {
  const lines = [result.message];
  if (result.storedFailures) lines.push(`failing rows stored in ${result.storedFailures}`);
  const sample = sampleText(result);
  if (sample) lines.push(sample);
  if (result.compiledPath) lines.push(`SQL: ${result.compiledPath}`);
  return lines.join('\n');
}

function sampleText(result: NodeResult): string {
  if (!result.sampleRows || result.sampleRows.length === 0) return '';
  return ['sample of failing rows:', ...result.sampleRows.map((row) => `  ${JSON.stringify(row)}`)].join('\n');
}

export function writeJunit(path: string, results: NodeResult[], elapsed: number): void {
  writeArtifactFile(path, junitXml(results, elapsed));
}

/** Writes the JUnit XML report when the run ends. */
export function createJunitWriter(path: string): RunListener {
  return { onRunEnd: ({ results, elapsed }) => writeJunit(path, results, elapsed) };
}
