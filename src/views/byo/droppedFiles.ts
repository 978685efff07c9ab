/**
 * The files of a drop, folders walked: each keeps its path inside the drop ("layers.6/cfg.json"),
 * because sparsify and Gemma Scope folders name the hook their SAE reads.
 */
export interface DroppedFile {
  path: string;
  file: File;
}

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries answers in batches until it answers an empty one.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), file });
  } else if (entry.isDirectory) {
    for (const child of await readEntries(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

/** Must be called inside the drop handler: the DataTransfer is emptied once it returns. */
export function droppedFiles(data: DataTransfer): Promise<DroppedFile[]> {
  const entries = [...data.items].map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
  if (entries.length > 0 && entries.every((e) => e !== null)) {
    const out: DroppedFile[] = [];
    return entries.reduce((p, e) => p.then(() => walk(e!, out)), Promise.resolve()).then(() => out);
  }
  return Promise.resolve([...data.files].map((file) => ({ path: file.webkitRelativePath || file.name, file })));
}

/** Files from an <input type=file>, with their folder when a folder was picked. */
export function pickedFiles(list: FileList): DroppedFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

export function hasFiles(data: DataTransfer | null): boolean {
  return data !== null && [...data.types].includes('Files');
}
