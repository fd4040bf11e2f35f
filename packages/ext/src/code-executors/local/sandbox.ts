/**
 * The bubblewrap sandbox: each program runs in fresh user, PID, network, IPC and UTS namespaces, sees the
 * system's programs and libraries read-only, sees nothing of the host's home, /tmp or projects, and can
 * write only to its execution folder (plus a private /tmp that vanishes with it). With no network
 * namespace of its own to share, it has no network at all, loopback included.
 */
import { execFile } from "node:child_process";
import { existsSync, lstatSync } from "node:fs";
import { ToolError } from "@autogen-ts/core";

/** Options of the sandboxed mode of `LocalCommandLineCodeExecutor`. */
export interface SandboxOptions {
  /** The bubblewrap binary (default `bwrap`, found on `PATH`). */
  readonly bwrapPath?: string;
  /** More host paths to show read-only inside the sandbox (interpreters, libraries, data). */
  readonly readOnlyPaths?: readonly string[];
}

/** System paths shown read-only when they exist. The rest of /etc (shadow files, host config) stays out. */
const SYSTEM_PATHS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"];
const ETC_PATHS = [
  "/etc/alternatives",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/localtime",
  "/etc/passwd",
  "/etc/group",
  "/etc/nsswitch.conf",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/mime.types",
];

/** The bwrap arguments that run a program with `writableDir` as its only writable host folder. */
export function bwrapArguments(options: {
  readonly writableDir: string;
  readonly cwd: string;
  readonly readOnlyPaths: readonly string[];
  /** More writable binds, host path to sandbox path (the functions socket's folder). */
  readonly binds?: readonly (readonly [string, string])[];
}): string[] {
  const args = ["--die-with-parent", "--new-session", "--unshare-all", "--hostname", "sandbox"];
  const shown = new Set<string>();
  const showReadOnly = (paths: readonly string[]): void => {
    for (const path of paths) {
      if (shown.has(path) || !existsSync(path)) continue;
      shown.add(path);
      // Merged-/usr systems have /bin -> usr/bin: recreate the link rather than bind its target twice.
      const info = lstatSync(path);
      if (info.isSymbolicLink() && SYSTEM_PATHS.includes(path)) {
        args.push("--symlink", `usr${path}`, path);
      } else {
        args.push("--ro-bind", path, path);
      }
    }
  };
  showReadOnly([...SYSTEM_PATHS, ...ETC_PATHS]);
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  // Mounts stack in order: the extra paths (a runner such as tsx, which may live in a checkout under
  // /tmp) come after the private /tmp, or it would hide them.
  showReadOnly(options.readOnlyPaths);
  // Binds nest in order, so the writable folder goes last, over any read-only parent.
  args.push("--bind", options.writableDir, options.writableDir);
  for (const [from, to] of options.binds ?? []) args.push("--bind", from, to);
  args.push("--chdir", options.cwd);
  return args;
}

function run(
  file: string,
  args: readonly string[],
): Promise<{ ok: boolean; message: string; code?: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve({ ok: true, message: "" });
      else {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({
          ok: false,
          message: stderr.trim() || error.message,
          ...(typeof code === "string" ? { code } : {}),
        });
      }
    });
  });
}

/**
 * Checks that bubblewrap exists and can build a sandbox here; throws a `ToolError` (code `invalid_config`)
 * that says what is missing and how to fix it, so that sandboxed code never runs unsandboxed in silence.
 */
export async function checkSandbox(bwrapPath: string): Promise<void> {
  if (process.platform !== "linux") {
    throw new ToolError(
      `The sandboxed code executor needs Linux (bubblewrap); this is ${process.platform}. Use the Docker ` +
        "executor, or pass sandbox: false to run code unsandboxed.",
      { code: "invalid_config" },
    );
  }
  const version = await run(bwrapPath, ["--version"]);
  if (!version.ok) {
    if (version.code === "ENOENT") {
      throw new ToolError(
        `The sandboxed code executor needs bubblewrap, and "${bwrapPath}" was not found. Install it ` +
          "(Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or pass sandbox: false " +
          "to run code unsandboxed.",
        { code: "invalid_config" },
      );
    }
    throw new ToolError(`bubblewrap ("${bwrapPath}") does not run: ${version.message}`, {
      code: "invalid_config",
    });
  }
  const probe = await run(bwrapPath, ["--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]);
  if (!probe.ok) {
    throw new ToolError(
      `bubblewrap is installed but cannot create a sandbox here: ${probe.message}. It needs user namespaces ` +
        "(sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; in a container, a seccomp " +
        "profile that allows them).",
      { code: "invalid_config" },
    );
  }
}
