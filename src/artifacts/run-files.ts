import { join } from 'node:path';
import type { CompiledProject } from '../compile/types.js';
import type { RunListener } from '../execute/events.js';
import { writeArtifactFile } from './write-file.js';

/**
 * target/run/<project>/<path>: exactly the statements that ran for each node; and
 * target/compiled/…: the SELECT that ran, when a run executed another than the compiled one
 * (an incremental run).
 */
export function createRunFilesWriter(project: CompiledProject): RunListener {
  return {
    onNodeFinish(result) {
      const node = project.nodes.get(result.uniqueId);
      if (!node) return;
      if (result.statements && result.statements.length > 0) {
        writeArtifactFile(join(project.projectDir, project.targetPath, 'run', project.name, node.sqlPath), `${result.statements.join(';\n\n')};\n`);
      }
      if (node.resourceType === 'model' && result.compiledCode !== undefined && result.compiledCode !== node.compiledCode) {
        writeArtifactFile(join(project.projectDir, node.compiledPath), result.compiledCode);
      }
    },
  };
}
