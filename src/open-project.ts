import { resolve } from 'node:path';
import { loadDialect, lakeRoot } from './adapters/registry.js';
import { compileProject } from './compile/compile-project.js';
import type { CompiledProject } from './compile/types.js';
import { loadProjectConfig, type ProjectConfig } from './config/project-config.js';
import { loadTarget, type TargetConfig } from './config/profiles.js';
import { resolveVars } from './config/vars.js';
import { loadProject } from './project/load-project.js';

export interface OpenProjectOptions {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  threads?: number;
  vars?: string;
  env?: NodeJS.ProcessEnv;
  relationOverrides?: ReadonlyMap<string, string>;
  /** Compile with this target's dialect instead (unit tests compile for their scratch engine). */
  dialectTarget?: TargetConfig;
}

export interface OpenedProject {
  config: ProjectConfig;
  target: TargetConfig;
  vars: Record<string, unknown>;
  project: CompiledProject;
  /** The target's warehouse location, recorded in artifacts for --defer. */
  database?: string;
}

/** load → compile: everything a command needs before it touches a warehouse. */
export async function openProject(options: OpenProjectOptions): Promise<OpenedProject> {
  const env = options.env ?? process.env;
  const config = loadProjectConfig(options.projectDir ?? process.cwd());
  const target = loadTarget({
    projectDir: config.projectDir,
    profileName: config.profile,
    profilesDir: options.profilesDir,
    target: options.target,
    threads: options.threads,
    env,
  });
  const vars = resolveVars(config.vars, options.vars);
  const dialect = await loadDialect(options.dialectTarget ?? target);
  const loaded = loadProject(config);
  const targetPath = config.targetPath.slice(config.projectDir.length + 1) || 'target';
  const project = await compileProject(loaded, {
    dialect,
    defaultSchema: target.schema,
    lakeRoot: lakeRoot(target, config.projectDir, resolve),
    targetPath,
    relationOverrides: options.relationOverrides,
    context: {
      env,
      vars,
      target: { name: target.name, type: target.type, schema: target.schema, threads: target.threads, profile_name: target.profileName },
    },
  });
  if (dialect.lint) {
    for (const node of project.nodes.values()) {
      if (node.resourceType !== 'model') continue;
      for (const finding of dialect.lint(node.compiledCode)) {
        project.warnings.push(`${node.originalFilePath} (compiled ${node.compiledPath}:${finding.line}:${finding.column}): ${finding.message}`);
      }
    }
  }
  return { config, target, vars, project, database: dialect.databaseLocation(target.settings, config.projectDir) };
}
