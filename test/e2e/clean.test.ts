/** `tsdbt clean`: the project's clean-targets removed, and never anything outside the project. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt } from '../helpers/tmp-project.js';

describe('tsdbt clean', () => {
  it('removes target/ by default, and says when there is nothing to clean', async () => {
    const project = createTmpProject({ 'models/m.sql': 'select 1 as x\n' });
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
    expect(project.exists('target/manifest.json')).toBe(true);
    const cleaned = await runTsdbt(project.dir, ['clean']);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toBe('Removed target/\n');
    expect(project.exists('target')).toBe(false);
    expect(project.exists('models/m.sql')).toBe(true);
    const again = await runTsdbt(project.dir, ['clean']);
    expect(again.stdout).toBe('Nothing to clean: target/ does not exist\n');
  });

  it('removes every listed folder', async () => {
    const project = createTmpProject({
      'project.yml': 'name: demo\nprofile: demo\nclean-targets: [target, tsdbt_packages, logs]\n',
      'models/m.sql': 'select 1 as x\n',
      'tsdbt_packages/p/x.sql': 'select 1\n',
      'target/x.txt': 'x\n',
    });
    const cleaned = await runTsdbt(project.dir, ['clean']);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toBe('Removed target/\nRemoved tsdbt_packages/\n');
    expect(project.exists('tsdbt_packages')).toBe(false);
  });

  it('refuses a target outside the project (or the project itself) before removing anything', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'tsdbt-outside-'));
    writeFileSync(join(outside, 'keep.txt'), 'precious\n');
    for (const [target, what] of [
      [outside, 'outside the project'],
      ['.', 'the project folder itself'],
      ['../', 'outside the project'],
    ]) {
      const project = createTmpProject({
        'project.yml': `name: demo\nprofile: demo\nclean-targets:\n  - target\n  - ${JSON.stringify(target)}\n`,
        'models/m.sql': 'select 1 as x\n',
      });
      mkdirSync(project.path('target'));
      const result = await runTsdbt(project.dir, ['clean']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`project.yml:5:5: clean-targets:`);
      expect(result.stderr).toContain(`is ${what}: tsdbt clean removes only folders inside it`);
      expect(project.exists('target')).toBe(true);
    }
    expect(existsSync(join(outside, 'keep.txt'))).toBe(true);
  });
});

describe('asset-paths', () => {
  it("are copied into the docs site; a folder named like the site's own is refused", async () => {
    const project = createTmpProject({
      'project.yml': 'name: demo\nprofile: demo\nasset-paths: [images]\n',
      'models/m.sql': 'select 1 as x\n',
      'images/diagram.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    });
    expect((await runTsdbt(project.dir, ['docs', 'generate', '--no-catalog'])).code).toBe(0);
    expect(project.read('target/docs/images/diagram.svg')).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    project.write('project.yml', 'name: demo\nprofile: demo\nasset-paths: [data]\n');
    const refused = await runTsdbt(project.dir, ['docs', 'generate', '--no-catalog']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('project.yml:3:15: asset-paths: "data" would overwrite the site\'s own files');
  });
});
