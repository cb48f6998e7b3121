import type { ResolvedTarget } from '../adapters/adapter.js';
import { configCheckOf, loadDialect, resolveTarget } from '../adapters/registry.js';
import { compileProject } from '../compile/compile-project.js';
import type { Dialect } from '../compile/dialect.js';
import type { CompiledProject } from '../compile/types.js';
import { loadProfileOutput } from '../config/profiles.js';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { resolveVars } from '../config/vars.js';
import { loadProject } from '../project/load-project.js';

export interface OpenProjectOptions {
  /** Default: the current folder. */
  projectDir?: string;
  /** Default: $TSDBT_PROFILES_DIR, the project folder, then ~/.tsdbt. */
  profilesDir?: string;
  /** An output of the profile; default: the profile's `target`. */
  target?: string;
  threads?: number;
  /** Over project.yml vars: an object, or YAML/JSON text as --vars takes it. */
  vars?: string | Record<string, unknown>;
  /** Environment for `{{env}}` in profiles.yml and templates; default: process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface OpenedProject {
  config: ProjectConfig;
  target: ResolvedTarget;
  vars: Record<string, unknown>;
  /** The target engine's SQL dialect (what compile used). */
  dialect: Dialect;
  project: CompiledProject;
}

/** load → compile: everything a command needs before it touches a warehouse. */
export async function openProject(options: OpenProjectOptions): Promise<OpenedProject> {
  const env = options.env ?? process.env;
  const config = loadProjectConfig(options.projectDir ?? process.cwd());
  const output = loadProfileOutput({
    projectDir: config.projectDir,
    profileName: config.profile,
    profilesDir: options.profilesDir,
    target: options.target,
    threads: options.threads,
    env,
  });
  const target = await resolveTarget(output, config.projectDir, env);
  const vars = resolveVars(config.vars, options.vars);
  const dialect = await loadDialect(target);
  const loaded = loadProject(config);
  const targetPath = config.targetPath.slice(config.projectDir.length + 1) || 'target';
  const project = await compileProject(loaded, {
    dialect,
    defaultSchema: target.schema,
    lakeRoot: target.lakeRoot,
    targetPath,
    ...(await configCheckOf(target)),
    context: {
      env,
      vars,
      target: { name: target.name, type: target.type, schema: target.schema, threads: target.threads, profile_name: target.profileName },
    },
  });
  if (dialect.lint) {
    for (const node of project.nodes.values()) {
      if (node.resourceType === 'seed') continue;
      for (const finding of dialect.lint(node.compiledCode)) {
        project.warnings.push(`${node.originalFilePath} (compiled ${node.compiledPath}:${finding.line}:${finding.column}): ${finding.message}`);
      }
    }
  }
  return { config, target, vars, dialect, project };
}
