import { existsSync, rmSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { loadProjectConfig } from '../config/project-config.js';
import { onFile } from '../errors/file-system.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

export interface CleanOutcome {
  /** Folders removed, relative to the project. */
  removed: string[];
  /** Listed folders that did not exist. */
  absent: string[];
}

/**
 * `tsdbt clean`: removes the project's clean-targets (default: the target folder). Every target
 * is checked first, so nothing is removed when one points at the project itself or outside it.
 */
export function cleanProject(projectDir: string): CleanOutcome {
  const config = loadProjectConfig(projectDir);
  config.cleanTargets.forEach((target, i) => {
    const inside = target.startsWith(config.projectDir + sep);
    if (!inside) {
      throw new TsdbtError(
        `clean-targets: "${relative(config.projectDir, target) || '.'}" is ${target === config.projectDir ? 'the project folder itself' : 'outside the project'}: tsdbt clean removes only folders inside it`,
        {
          code: 'E_CLEAN',
          kind: 'config',
          location: config.file.locate(['clean-targets', i], true),
          hint: 'list folders inside the project, e.g. clean-targets: [target, tsdbt_packages]',
        },
      );
    }
  });
  const removed: string[] = [];
  const absent: string[] = [];
  for (const target of config.cleanTargets) {
    const shown = relative(config.projectDir, target);
    if (!existsSync(target)) {
      absent.push(shown);
      continue;
    }
    onFile(target, () => rmSync(target, { recursive: true, force: true }), 'remove');
    removed.push(shown);
  }
  return { removed, absent };
}
