/** Which files code created or changed: a snapshot of a directory tree before and after a run. */
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** Path (relative, with `/`) to a fingerprint of size and modification time. */
export type DirectorySnapshot = Map<string, string>;

/** The most entries a snapshot walks, so that code which writes a huge tree cannot stall the executor. */
const MAX_ENTRIES = 20_000;

/** Fingerprints every regular file under `root` (symbolic links are not followed). */
export async function snapshotDirectory(root: string, base: string = root): Promise<DirectorySnapshot> {
  const snapshot: DirectorySnapshot = new Map();
  const pending = [root];
  while (pending.length > 0 && snapshot.size < MAX_ENTRIES) {
    const dir = pending.pop()!;
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // removed while we looked, or unreadable: not ours to report
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) {
        try {
          const info = await stat(path);
          snapshot.set(relative(base, path).split(sep).join("/"), `${info.size}:${info.mtimeMs}`);
        } catch {
          // gone between readdir and stat
        }
      }
    }
  }
  return snapshot;
}

/** Files present in `after` that are new or changed since `before`, sorted, minus `exclude`. */
export function changedFiles(
  before: DirectorySnapshot,
  after: DirectorySnapshot,
  exclude: ReadonlySet<string> = new Set(),
): string[] {
  const changed: string[] = [];
  for (const [path, fingerprint] of after) {
    if (exclude.has(path)) continue;
    if (before.get(path) !== fingerprint) changed.push(path);
  }
  return changed.sort();
}
