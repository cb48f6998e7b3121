import type { CompiledProject, CompiledTest } from '../compile/types.js';

/**
 * Aggregates per batched query: beyond a few hundred, DuckDB's memory for one scan grows faster
 * than the scans saved (1 000 tests on 1 M rows: 1.1 GB in one query).
 */
const MAX_TESTS_PER_SCAN = 200;

/** What the scheduler runs: one node, or several tests evaluated in one scan. */
export interface ExecutionUnit {
  id: string;
  kind: 'node' | 'tests' | 'unit_test';
  /** The resource ids whose results this unit produces. */
  members: string[];
  /** Units that must succeed first. */
  parents: string[];
}

export interface PlanOptions {
  /** false: one query per test (for comparison and debugging). */
  batchTests: boolean;
  /** build: a model waits for its unit tests and for the data tests of its parents. */
  gateOnTests: boolean;
}

/**
 * Groups the selected resources into execution units and wires their dependencies:
 * models and seeds after their (non-ephemeral) parents; data tests after what they test;
 * in build, a model also after its own unit tests and the data tests of its parents,
 * so an error-severity failure skips everything downstream.
 */
export function planExecution(project: CompiledProject, selected: Set<string>, options: PlanOptions): ExecutionUnit[] {
  const units: ExecutionUnit[] = [];
  const unitOf = new Map<string, string>();
  const executableParents = throughEphemeral(project, (id) => {
    const node = project.nodes.get(id);
    return node !== undefined && node.materialized !== 'ephemeral';
  });
  const sourcesRead = throughEphemeral(project, (id) => project.sources.has(id));

  for (const id of project.order) {
    const node = project.nodes.get(id);
    if (!selected.has(id) || !node || node.materialized === 'ephemeral') continue;
    units.push({ id, kind: 'node', members: [id], parents: [] });
    unitOf.set(id, id);
  }

  const batches = new Map<string, CompiledTest[]>();
  const batchCount = new Map<string, number>();
  for (const id of project.order) {
    const test = project.tests.get(id);
    if (!selected.has(id) || !test) continue;
    if (options.batchTests && test.batch) {
      // One scan per relation, split so no single query holds too many aggregates at once.
      const count = (batchCount.get(test.batch.relation) ?? 0) + 1;
      batchCount.set(test.batch.relation, count);
      const key = `tests:${test.batch.relation}#${Math.floor((count - 1) / MAX_TESTS_PER_SCAN)}`;
      const batch = batches.get(key);
      if (batch) batch.push(test);
      else {
        batches.set(key, [test]);
        units.push({ id: key, kind: 'tests', members: [], parents: [] });
      }
      unitOf.set(id, key);
    } else {
      units.push({ id, kind: 'tests', members: [id], parents: [] });
      unitOf.set(id, id);
    }
  }
  for (const unit of units) if (unit.kind === 'tests' && unit.members.length === 0) unit.members = batches.get(unit.id)!.map((t) => t.uniqueId);

  for (const id of project.order) {
    const unitTest = project.unitTests.get(id);
    if (!selected.has(id) || !unitTest) continue;
    units.push({ id, kind: 'unit_test', members: [id], parents: [] });
    unitOf.set(id, id);
  }

  // Tests grouped by the node they are attached to, for gating that node's children.
  const testsOn = new Map<string, Set<string>>();
  const unitTestsOf = new Map<string, string[]>();
  for (const unit of units) {
    for (const member of unit.members) {
      const attached = project.tests.get(member)?.attachedNode;
      if (attached) {
        if (!testsOn.has(attached)) testsOn.set(attached, new Set());
        testsOn.get(attached)!.add(unit.id);
      }
      const tested = project.unitTests.get(member)?.model;
      if (tested) unitTestsOf.set(tested, [...(unitTestsOf.get(tested) ?? []), unit.id]);
    }
  }

  for (const unit of units) {
    const parents = new Set<string>();
    for (const member of unit.members) {
      if (unit.kind === 'unit_test') {
        // The fixtures are checked against the real columns of the model's inputs: inputs this run
        // builds come first (otherwise whether they exist yet is a race).
        for (const parent of executableParents(project.unitTests.get(member)!.model)) {
          const parentUnit = unitOf.get(parent);
          if (parentUnit) parents.add(parentUnit);
        }
        continue;
      }
      for (const parent of executableParents(member)) {
        const parentUnit = unitOf.get(parent);
        if (parentUnit && parentUnit !== unit.id) parents.add(parentUnit);
        if (options.gateOnTests && unit.kind === 'node') testsOn.get(parent)?.forEach((t) => parents.add(t));
      }
      // Tests on the sources a model reads gate it too (sources are never built themselves).
      if (options.gateOnTests && unit.kind === 'node') sourcesRead(member).forEach((source) => testsOn.get(source)?.forEach((t) => parents.add(t)));
      if (options.gateOnTests && unit.kind === 'node') unitTestsOf.get(member)?.forEach((t) => parents.add(t));
    }
    unit.parents = [...parents];
  }
  return units;
}

/**
 * Walks up from a node through ephemeral models (which are never built themselves) and returns
 * the ancestors `pick` accepts: built nodes for ordering, sources for source-test gating.
 */
export function throughEphemeral(project: CompiledProject, pick: (id: string) => boolean): (id: string) => string[] {
  const memo = new Map<string, string[]>();
  const resolve = (id: string): string[] => {
    const cached = memo.get(id);
    if (cached) return cached;
    const out = new Set<string>();
    for (const parent of project.dag.parents(id)) {
      if (pick(parent)) out.add(parent);
      else if (project.nodes.get(parent)?.materialized === 'ephemeral') resolve(parent).forEach((p) => out.add(p));
    }
    const list = [...out];
    memo.set(id, list);
    return list;
  };
  return resolve;
}
