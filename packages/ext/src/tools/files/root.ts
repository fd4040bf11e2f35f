/**
 * Paths confined to a root directory. A path that leaves the root, through `..`, an absolute path
 * elsewhere, or a symbolic link pointing outside (resolved with `realpath`), is refused with a readable
 * error. Files are then opened once, from a handle on the root, following no link on the way (see
 * support/beneath.ts), and the open file is what gets read or written: a link swapped in after the check
 * makes the open fail instead of redirecting it.
 */
import { lstat, readlink, realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { ToolError } from "@autogen-ts/core";
import { DirectoryHandle, type OpenBeneathOptions, type OpenedFile } from "../../support/beneath.js";

/** True when `child` is `parent` or inside it (both absolute and normalized). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function escapeError(path: string, how: string): ToolError {
  return new ToolError(
    `Refused: "${path}" ${how}, outside the root directory the file tools are limited to`,
    {
      code: "invalid_argument",
      details: { path, reason: "outside_root" },
    },
  );
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (for new files). */
async function realpathOrParent(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    // A dangling link: where it points decides (a write would follow it).
    const link = await lstat(path).catch(() => undefined);
    if (link?.isSymbolicLink()) return realpathOrParent(resolve(dirname(path), await readlink(path)));
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(await realpathOrParent(parent), relative(parent, path));
  }
}

/** A root directory and the checks that keep paths inside it. */
export class FileRoot {
  /** The root as given, made absolute. */
  readonly root: string;
  #real: Promise<string> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The root with its symbolic links resolved. */
  realRoot(): Promise<string> {
    this.#real ??= realpath(this.root).catch((cause: unknown) => {
      this.#real = undefined;
      throw new ToolError(`The root directory ${this.root} does not exist`, { cause });
    });
    return this.#real;
  }

  /**
   * Resolves a path given by a model (relative to the root, or absolute inside it) to a real path
   * inside the root. Missing files are fine (a write creates them); their existing ancestors are checked.
   *
   * @throws {@link ToolError} when the path leaves the root.
   */
  async resolve(path: string): Promise<string> {
    if (typeof path !== "string" || path.includes("\0"))
      throw new ToolError("The path must be a string without NUL bytes");
    const root = await this.realRoot();
    const candidate = isAbsolute(path) ? resolve(path) : resolve(root, path);
    const lexicalBase = isAbsolute(path) ? [this.root, root] : [root];
    if (!lexicalBase.some((base) => isInside(base, candidate))) {
      throw escapeError(path, isAbsolute(path) ? "is an absolute path" : "climbs out with '..'");
    }
    const real = await realpathOrParent(
      isInside(root, candidate) ? candidate : resolve(root, relative(this.root, candidate)),
    );
    if (!isInside(root, real)) throw escapeError(path, "goes through a symbolic link that points");
    return real;
  }

  /**
   * Opens the file at `path` (checked by {@link resolve}) once, walking from a handle on the root with no
   * link followed; the caller reads or writes the handle and closes it. A hard-linked file is refused.
   */
  async open(path: string, options: OpenBeneathOptions = {}): Promise<OpenedFile & { real: string }> {
    const real = await this.resolve(path);
    const root = await this.realRoot();
    const dir = await DirectoryHandle.open(root);
    try {
      const opened = await dir.openFile(relative(root, real) || ".", options);
      return { ...opened, real };
    } finally {
      await dir.close();
    }
  }

  /** A path relative to the root, for messages (`.` for the root itself). */
  async display(real: string): Promise<string> {
    const rel = relative(await this.realRoot(), real);
    return rel === "" ? "." : rel.split(sep).join("/");
  }
}
