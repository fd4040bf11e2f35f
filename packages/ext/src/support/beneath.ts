/**
 * Opening files below a directory without ever following a symbolic link, so that whoever else writes in
 * that directory (sandboxed code, a model's tool calls, a second process) cannot redirect the host's
 * reads and writes elsewhere by planting or swapping in a link.
 *
 * Node has no `openat`. On Linux, `/proc/self/fd/<dirfd>/<name>` resolves `<name>` inside the directory
 * that `dirfd` holds open (the magic link is the directory itself, wherever it has since moved), so each
 * path component is opened relative to the handle of its parent with `O_NOFOLLOW`: the walk is `openat`'s,
 * one component at a time, and no rename or link swap between two steps can change where it lands. Where
 * `/proc` is missing (macOS, a chroot), each step is an `lstat` then an `O_NOFOLLOW` open, checked to be
 * the same inode with `fstat`: a link at any step is still refused, and the window left is between the two
 * calls of one step.
 */
import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, mkdir, open } from "node:fs/promises";
import { isAbsolute, normalize, sep } from "node:path";
import { ToolError } from "@autogen-ts/core";

const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK, O_NOCTTY } = constants;

/** How a file below the directory is opened. */
export interface OpenBeneathOptions {
  /** `read` (default), `write` (created when missing, emptied), or `update` (read and write, kept). */
  readonly mode?: "read" | "write" | "update";
  /** Create missing parent folders (no-follow too). */
  readonly makeParents?: boolean;
  /**
   * Accept a file with more than one hard link. Default false: a hard link planted inside the directory
   * reaches a file outside it that no path check can see, so reads and writes through one are refused.
   */
  readonly allowHardLinks?: boolean;
}

/** An open file and what `fstat` said about it once it was open. */
export interface OpenedFile {
  readonly handle: FileHandle;
  readonly stats: Stats;
}

let procUsable: boolean | undefined;

async function hasProcFd(): Promise<boolean> {
  if (procUsable === undefined) {
    procUsable = false;
    if (process.platform === "linux") {
      const probe = await open("/", O_RDONLY | O_DIRECTORY).catch(() => undefined);
      if (probe !== undefined) {
        const through = await lstat(`/proc/self/fd/${probe.fd}/.`).catch(() => undefined);
        procUsable = through?.isDirectory() === true;
        await probe.close();
      }
    }
  }
  return procUsable;
}

/** The error for a path that a link (or another file type) would have redirected. */
export function linkRefused(shown: string, how: string): ToolError {
  return new ToolError(`Refused: "${shown}" ${how}; files here are never reached through a link`, {
    code: "invalid_argument",
    details: { path: shown, reason: "link" },
  });
}

/**
 * Splits a path relative to the directory into its components; refuses absolute paths, `..` and NUL.
 * `.` parts vanish, so `a/./b` is `["a", "b"]`.
 */
export function pathComponents(relative: string): string[] {
  if (relative.includes("\0")) throw linkRefused(relative, "contains a NUL byte");
  const clean = normalize(relative);
  if (isAbsolute(clean)) throw linkRefused(relative, "is an absolute path");
  const parts = clean.split(sep).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw linkRefused(relative, "climbs out with '..'");
  return parts;
}

function isLinkError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  // ELOOP: the last component is a link (O_NOFOLLOW); ENOTDIR: a link or file where a folder should be.
  return code === "ELOOP" || code === "ENOTDIR" || code === "EMLINK";
}

/**
 * A directory held open by a handle; every file below it is opened by walking from that handle.
 * Close it when done.
 */
export class DirectoryHandle {
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #proc: boolean;

  private constructor(path: string, handle: FileHandle, proc: boolean) {
    this.path = path;
    this.#handle = handle;
    this.#proc = proc;
  }

  /** Opens `path` (links in the path itself are the caller's choice and are followed). */
  static async open(path: string): Promise<DirectoryHandle> {
    const handle = await open(path, O_RDONLY | O_DIRECTORY);
    return new DirectoryHandle(path, handle, await hasProcFd());
  }

  /** Closes the directory's handle. */
  close(): Promise<void> {
    return this.#handle.close();
  }

  /** A name for `name` inside the directory `dir` holds open (see the module comment). */
  #inside(dir: FileHandle, lexicalDir: string, name: string): string {
    return this.#proc ? `/proc/self/fd/${dir.fd}/${name}` : `${lexicalDir}${sep}${name}`;
  }

  async #openStep(dir: FileHandle, lexicalDir: string, name: string, flags: number): Promise<FileHandle> {
    const target = this.#inside(dir, lexicalDir, name);
    if (this.#proc) return open(target, flags | O_NOFOLLOW, 0o644);
    // Without /proc: refuse a link seen by lstat, then check the opened file is what lstat saw.
    const seen = await lstat(target).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    });
    if (seen?.isSymbolicLink()) throw Object.assign(new Error(`${name} is a link`), { code: "ELOOP" });
    const handle = await open(target, flags | O_NOFOLLOW, 0o644);
    if (seen !== undefined) {
      const now = await handle.stat();
      if (now.ino !== seen.ino || now.dev !== seen.dev) {
        await handle.close();
        throw Object.assign(new Error(`${name} changed while it was opened`), { code: "ELOOP" });
      }
    }
    return handle;
  }

  /**
   * Opens the folder at `relative` (walking from this handle, no links followed), creating missing ones
   * when `create` is set.
   */
  async openDirectory(relative: string, create = false): Promise<DirectoryHandle> {
    const parts = pathComponents(relative);
    const { dir, lexical } = await this.#walk(parts, create, relative);
    if (dir === this.#handle)
      return new DirectoryHandle(
        this.path,
        await open(this.#inside(dir, lexical, "."), O_RDONLY | O_DIRECTORY),
        this.#proc,
      );
    return new DirectoryHandle(lexical, dir, this.#proc);
  }

  async #walk(
    parts: readonly string[],
    create: boolean,
    shown: string,
  ): Promise<{ dir: FileHandle; lexical: string }> {
    let dir = this.#handle;
    let lexical = this.path;
    for (const part of parts) {
      let next: FileHandle;
      try {
        next = await this.#openStep(dir, lexical, part, O_RDONLY | O_DIRECTORY);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" && create) {
          // mkdir never follows a link in its last component: a link planted here makes it fail (EEXIST).
          await mkdir(this.#inside(dir, lexical, part), 0o755).catch((e: unknown) => {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
          });
          next = await this.#openStep(dir, lexical, part, O_RDONLY | O_DIRECTORY).catch((e: unknown) => {
            if (dir !== this.#handle) void dir.close();
            throw isLinkError(e) ? linkRefused(shown, "goes through a symbolic link") : e;
          });
        } else {
          if (dir !== this.#handle) await dir.close();
          throw isLinkError(error) ? linkRefused(shown, "goes through a symbolic link") : error;
        }
      }
      if (dir !== this.#handle) await dir.close();
      dir = next;
      lexical = `${lexical}${sep}${part}`;
    }
    return { dir, lexical };
  }

  /**
   * Opens the regular file at `relative` below this directory, following no link on the way, and checks
   * what was opened with `fstat`: a regular file, with one hard link unless `allowHardLinks`. A write
   * empties the file only after those checks.
   *
   * @throws {@link ToolError} (`invalid_argument`, details.reason `link`) for a link, a hard-linked file or
   *   something that is not a regular file; the underlying error (ENOENT, ...) otherwise.
   */
  async openFile(relative: string, options: OpenBeneathOptions = {}): Promise<OpenedFile> {
    const parts = pathComponents(relative);
    const name = parts.pop();
    if (name === undefined) throw linkRefused(relative, "names the folder itself, not a file");
    const mode = options.mode ?? "read";
    const { dir, lexical } = await this.#walk(parts, options.makeParents === true, relative);
    // O_NONBLOCK: a FIFO planted under the name must not hang the open (it is refused below).
    const flags =
      (mode === "read" ? O_RDONLY : mode === "write" ? O_WRONLY | O_CREAT : O_RDWR) | O_NONBLOCK | O_NOCTTY;
    let handle: FileHandle;
    try {
      handle = await this.#openStep(dir, lexical, name, flags);
    } catch (error) {
      throw isLinkError(error) ? linkRefused(relative, "is a symbolic link") : error;
    } finally {
      if (dir !== this.#handle) await dir.close();
    }
    const stats = await handle.stat();
    const problem = !stats.isFile()
      ? stats.isDirectory()
        ? "is a directory"
        : "is not a regular file"
      : stats.nlink > 1 && options.allowHardLinks !== true
        ? "is a hard link to a file that may be outside"
        : undefined;
    if (problem !== undefined) {
      await handle.close();
      if (stats.isDirectory()) {
        throw Object.assign(new Error(`${relative} is a directory`), { code: "EISDIR" });
      }
      throw linkRefused(relative, problem);
    }
    if (mode === "write") await handle.truncate(0);
    return { handle, stats };
  }

  /** Writes `data` to `relative` (parents created), through {@link openFile}'s checks. */
  async writeFile(relative: string, data: string | Uint8Array): Promise<void> {
    const { handle } = await this.openFile(relative, { mode: "write", makeParents: true });
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  }
}
