/**
 * `@autogen-ts/studio`: build, run and watch teams in the browser, and export JSON that runs in code.
 * The server's API (threads, runs, resumable streams, human input) over a gallery of components that
 * starts with AutoGen Studio's, the studio's endpoints under `/studio/api`, and the built web app.
 *
 * @packageDocumentation
 */
export type { TestInput, TestOutcome } from "./component-test.js";
export { testComponent } from "./component-test.js";
export type { ImportOutcome, ImportSource } from "./gallery/import.js";
export { importComponents } from "./gallery/import.js";
export { pathToPointer } from "./gallery/pointer.js";
export { stripSecrets } from "./gallery/secrets.js";
export type { GalleryItem } from "./gallery/store.js";
export { GalleryStore } from "./gallery/store.js";
export type { ComponentIssue } from "./gallery/validate.js";
export { checkComponent } from "./gallery/validate.js";
export type { StudioApiOptions } from "./http/api.js";
export { studioApi } from "./http/api.js";
export { WEB_ROOT, webApp } from "./http/static.js";
export type { JsonChange } from "./inspect/diff.js";
export { diffJson } from "./inspect/diff.js";
export type { CheckpointView } from "./inspect/index.js";
export { RunInspector } from "./inspect/index.js";
export type { RunningStudio, StudioOptions } from "./studio.js";
export { createStudio, startStudio } from "./studio.js";
export { loadRunner, teamDirectory } from "./teams.js";
