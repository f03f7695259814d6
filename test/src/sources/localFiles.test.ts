// Dropped folders are walked recursively (FileSystemEntry API), in name order, keeping relative paths.
import { describe, expect, it } from 'vitest';
import { filesFromDrop, filesFromInput } from '../../../src/sources/localFiles';

type FakeEntry = { isFile: boolean; isDirectory: boolean; name: string; fullPath: string; file?: (ok: (f: File) => void) => void; createReader?: () => { readEntries: (ok: (e: FakeEntry[]) => void) => void } };

function fileEntry(path: string): FakeEntry {
  const name = path.split('/').pop()!;
  return { isFile: true, isDirectory: false, name, fullPath: `/${path}`, file: (ok) => ok(new File([path], name)) };
}
function dirEntry(path: string, children: FakeEntry[]): FakeEntry {
  // readEntries hands out children in batches of 2, then an empty batch, as Chromium does in batches of 100.
  return {
    isFile: false, isDirectory: true, name: path.split('/').pop()!, fullPath: `/${path}`,
    createReader: () => {
      let i = 0;
      return { readEntries: (ok) => { const batch = children.slice(i, i + 2); i += 2; ok(batch); } };
    },
  };
}

describe('local file sources', () => {
  it('walks dropped folders recursively and in natural name order', async () => {
    const tree = dirEntry('study', [
      fileEntry('study/IM10'), fileEntry('study/IM2'),
      dirEntry('study/series2', [fileEntry('study/series2/a.dcm'), dirEntry('study/series2/deep', [fileEntry('study/series2/deep/b.dcm')])]),
      fileEntry('study/IM1'),
    ]);
    const loose = fileEntry('loose.dcm');
    const dt = { items: [tree, loose].map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })), files: [] } as unknown as DataTransfer;
    const files = await filesFromDrop(dt);
    expect(files.map((f) => f.path)).toEqual(['study/IM1', 'study/IM2', 'study/IM10', 'study/series2/a.dcm', 'study/series2/deep/b.dcm', 'loose.dcm']);
    expect(await files[4]!.file.text()).toBe('study/series2/deep/b.dcm');
  });

  it('falls back to the plain file list and reads picker input', () => {
    const f = new File(['x'], 'x.dcm');
    expect(filesFromInput({ 0: f, length: 1, item: () => f, [Symbol.iterator]: [f][Symbol.iterator].bind([f]) } as unknown as FileList)).toEqual([{ file: f, path: 'x.dcm' }]);
    expect(filesFromInput(null)).toEqual([]);
  });
});
