/**
 * The studio's team directory: every team and agent of the gallery as a server team, named by its
 * gallery id. The server reads the map at each run (it is live), and each run loads the component as
 * the gallery holds it then, so a team saved in the builder runs as saved.
 */
import type { TaskRunner } from "@autogen-ts/agentchat";
import type { LoadComponentOptions } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import { loadComponent } from "@autogen-ts/ext/components";
import type { ServerTeam } from "@autogen-ts/server";
import type { GalleryItem, GalleryStore } from "./gallery/store.js";

/** Component types a run can start. */
export const RUNNABLE_TYPES = new Set(["team", "agent"]);

/** Loads a gallery item as a runner with the studio's load options and the run's input function. */
export async function loadRunner(
  item: GalleryItem,
  options: LoadComponentOptions,
  settings: Record<string, unknown> = {},
): Promise<TaskRunner> {
  const runner = await loadComponent<TaskRunner>(item.component, {
    ...options,
    settings: { ...options.settings, ...settings },
  });
  if (typeof (runner as Partial<TaskRunner>)?.runStream !== "function") {
    throw new ValidationError(`${item.label}: a ${item.type} cannot run a task; pick a team or an agent`, {
      code: "invalid_config",
    });
  }
  return runner;
}

/** A live map of the gallery's runnable components, kept in step with the gallery. */
export function teamDirectory(gallery: GalleryStore, options: LoadComponentOptions): Map<string, ServerTeam> {
  const teams = new Map<string, ServerTeam>();
  const sync = () => {
    teams.clear();
    for (const item of gallery.list()) {
      if (!RUNNABLE_TYPES.has(item.type)) continue;
      const id = item.id;
      teams.set(id, {
        name: id,
        description: item.label,
        create: (context) => {
          // Looked up at run time: the item may have been saved again since the directory was built.
          const current = gallery.get(id);
          if (current === undefined) {
            throw new ValidationError(`${id} is no longer in the gallery`, { code: "invalid_config" });
          }
          return loadRunner(current, options, { inputFunc: context.inputFunc });
        },
      });
    }
  };
  sync();
  gallery.onChange(sync);
  return teams;
}
