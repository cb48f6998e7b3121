import { describe, expect, it } from 'vitest';
import type { LoadedFile } from '../adapters/adapter.js';
import { type FileInput, type OfferedFile, planFiles } from './file-batches.js';

const offered = (file: string, size: number, modifiedMs: number, checksum: string): OfferedFile & { hashed: () => number } => {
  let hashed = 0;
  return {
    file,
    path: `/lake/${file}`,
    size,
    modifiedMs,
    checksum: async () => {
      hashed++;
      return checksum;
    },
    hashed: () => hashed,
  };
};
const record = (inputId: string, file: string, size: number, modifiedMs: number, checksum: string): LoadedFile & { sqlChecksum: string } => ({
  inputId,
  file,
  path: `/lake/${file}`,
  size,
  modifiedMs,
  checksum,
  sqlChecksum: 'sql1',
});
const options = { sqlChecksum: 'sql1', refresh: false, removedFiles: 'keep' as const };

describe('planFiles', () => {
  it('reads new and changed files only; an unchanged file is not even hashed', async () => {
    const same = offered('a.csv', 10, 1, 'ha');
    const grown = offered('b.csv', 20, 5, 'hb2');
    const fresh = offered('c.csv', 5, 6, 'hc');
    const inputs: FileInput[] = [{ id: 'source.x', kind: 'source', files: [same, grown, fresh] }];
    const plan = await planFiles(inputs, [record('source.x', 'a.csv', 10, 1, 'ha'), record('source.x', 'b.csv', 12, 2, 'hb')], options);
    expect(plan.rebuild).toBe(false);
    expect(plan.read.get('source.x')).toEqual(['/lake/b.csv', '/lake/c.csv']);
    expect(plan.change.deletePaths).toEqual(['/lake/b.csv']);
    expect(plan.change.loaded.map((f) => [f.file, f.checksum])).toEqual([
      ['b.csv', 'hb2'],
      ['c.csv', 'hc'],
    ]);
    expect([plan.added, plan.changed, plan.unchanged, plan.removed]).toEqual([1, 1, 1, 0]);
    expect(same.hashed()).toBe(0);
  });

  it('a touched file with the same content is not read again', async () => {
    const touched = offered('a.csv', 10, 99, 'ha');
    const plan = await planFiles([{ id: 's', kind: 'source', files: [touched] }], [record('s', 'a.csv', 10, 1, 'ha')], options);
    expect(plan.read.get('s')).toEqual([]);
    expect(plan.change.loaded).toEqual([]);
    expect(touched.hashed()).toBe(1);
  });

  it('a lake file gone keeps its rows unless removed_files is delete; a parent file gone always takes its rows', async () => {
    const recorded = [record('s', 'gone.csv', 1, 1, 'h'), record('model.p', 'old.csv', 1, 1, 'h')];
    const inputs: FileInput[] = [
      { id: 's', kind: 'source', files: [] },
      { id: 'model.p', kind: 'parent', files: [] },
    ];
    const kept = await planFiles(inputs, recorded, options);
    expect(kept.kept).toEqual(['gone.csv']);
    expect(kept.change.deletePaths).toEqual(['/lake/old.csv']);
    expect(kept.change.forget).toEqual([{ inputId: 'model.p', file: 'old.csv' }]);
    const deleted = await planFiles(inputs, recorded, { ...options, removedFiles: 'delete' });
    expect(deleted.kept).toEqual([]);
    expect(deleted.change.deletePaths).toEqual(['/lake/gone.csv', '/lake/old.csv']);
    expect(deleted.removed).toBe(2);
  });

  it('a table without any record (built before it loaded by file) is rebuilt from every file, not appended to', async () => {
    const plan = await planFiles([{ id: 's', kind: 'source', files: [offered('a.csv', 10, 1, 'ha')] }], [], options);
    expect(plan.rebuild).toBe(true);
    expect(plan.read.get('s')).toEqual(['/lake/a.csv']);
  });

  it('another compiled SQL, or a refresh, reads every file', async () => {
    const file = offered('a.csv', 10, 1, 'ha');
    const recorded = [record('s', 'a.csv', 10, 1, 'ha')];
    for (const plan of [
      await planFiles([{ id: 's', kind: 'source', files: [file] }], recorded, { ...options, sqlChecksum: 'sql2' }),
      await planFiles([{ id: 's', kind: 'source', files: [file] }], recorded, { ...options, refresh: true }),
    ]) {
      expect(plan.rebuild).toBe(true);
      expect(plan.read.get('s')).toEqual(['/lake/a.csv']);
      expect(plan.change.deletePaths).toEqual([]);
    }
  });
});
