// Files from a drop (files and whole folders, recursively), a file picker or a folder picker.
// UI thread only. Nothing is read here: File objects go to the decode worker, which reads them.

export interface PickedFile { file: File; path: string }

/** Cap on files taken from one drop, so a dropped home folder cannot exhaust memory. */
export const MAX_FILES_PER_DROP = 20000;

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) resolve(all);
      else { all.push(...batch); next(); }
    }, reject);
    next();
  });
}

async function walkEntry(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (out.length >= MAX_FILES_PER_DROP) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const child of children) await walkEntry(child, out);
  }
}

/** Everything dropped: plain files and the contents of dropped folders, recursively. */
export async function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const entries = Array.from(dt.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length && entries.every((e) => e !== null)) {
    for (const entry of entries) await walkEntry(entry!, out);
    return out;
  }
  return Array.from(dt.files).map((file) => ({ file, path: file.name }));
}

/** Files from <input type=file multiple> or <input webkitdirectory>. */
export function filesFromInput(list: FileList | null): PickedFile[] {
  return Array.from(list ?? []).slice(0, MAX_FILES_PER_DROP).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** The bundled synthetic sample study, served by the app itself (public/sample). */
export async function sampleStudyFiles(base = import.meta.env.BASE_URL): Promise<PickedFile[]> {
  const res = await fetch(`${base}sample/index.json`);
  if (!res.ok) throw new Error(`Sample study index: HTTP ${res.status}`);
  const index = (await res.json()) as { files: string[] };
  return Promise.all(index.files.map(async (name) => {
    const r = await fetch(`${base}sample/${name}`);
    if (!r.ok) throw new Error(`Sample file ${name}: HTTP ${r.status}`);
    return { file: new File([await r.blob()], name), path: `sample/${name}` };
  }));
}
