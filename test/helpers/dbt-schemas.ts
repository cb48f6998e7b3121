/**
 * Validation of tsdbt's artifacts against dbt's published JSON schemas (../shared/dbt-schemas,
 * reference data never copied into the repository). A node is validated against the branch of
 * its resource_type, so a violation names the field, not "matches none of 9 shapes".
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const SCHEMAS_DIR = fileURLToPath(new URL('../../../shared/dbt-schemas/', import.meta.url));
export const schemasPresent = existsSync(`${SCHEMAS_DIR}manifest_v12.json`);
if (!schemasPresent) console.warn(`dbt JSON schemas not found in ${SCHEMAS_DIR}: artifact schema tests are skipped`);

type Schema = Record<string, unknown> & {
  properties: Record<string, { additionalProperties?: { anyOf?: Array<Record<string, unknown>> } & Record<string, unknown> }>;
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();
const compile = (key: string, schema: object) => {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
};

const load = (file: string): Schema => JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8')) as Schema;

/** One violation: where in the artifact, and what the schema says. */
const describe = (prefix: string, errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map(
    (e) => `${prefix}${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
  );

/** Violations of a manifest, each node checked against the branch of its resource_type. */
export function manifestViolations(manifest: Record<string, unknown>): string[] {
  const schema = load('manifest_v12.json');
  const branches = schema.properties.nodes!.additionalProperties!.anyOf!;
  const branch = (node: Record<string, unknown>) => {
    const type = node.resource_type;
    const title = type === 'test' ? (node.test_metadata ? 'GenericTest' : 'SingularTest') : String(type).charAt(0).toUpperCase() + String(type).slice(1);
    return branches.find((b) => b.title === title);
  };
  // The top level with nodes unconstrained; then every node on its own.
  const top = { ...schema, properties: { ...schema.properties, nodes: { type: 'object' } } };
  const validateTop = compile('manifest', top);
  validateTop(manifest);
  const violations = describe('', validateTop.errors);
  for (const [id, node] of Object.entries(manifest.nodes as Record<string, Record<string, unknown>>)) {
    const shape = branch(node);
    if (!shape) {
      violations.push(`/nodes/${id} has no schema branch for resource_type ${String(node.resource_type)}`);
      continue;
    }
    const validate = compile(`node:${String(shape.title)}`, shape);
    validate(node);
    violations.push(...describe(`/nodes/${id}`, validate.errors));
  }
  return violations;
}

/** Violations of run_results.json, sources.json or catalog.json. */
export function artifactViolations(file: 'run-results_v6.json' | 'sources_v3.json' | 'catalog_v1.json', artifact: unknown): string[] {
  const validate = compile(file, load(file));
  validate(artifact);
  return describe('', validate.errors);
}
