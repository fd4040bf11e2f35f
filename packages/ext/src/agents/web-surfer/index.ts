/**
 * `MultimodalWebSurfer`: an agent that browses with headless Chromium (Debian's `chromium`, through
 * playwright-core), with set-of-mark screenshots for vision models and a text view for the others.
 *
 * @module
 */
export type { BrowserSessionOptions, PageState } from "./browser.js";
export { BrowserSession, CHROMIUM_ARGS } from "./browser.js";
export type { MarkedElement } from "./set-of-mark.js";
export { describeMarks, MARK_ATTRIBUTE, MARK_COLOR, OVERLAY_ID } from "./set-of-mark.js";
export type { MultimodalWebSurferOptions, MultimodalWebSurferState } from "./web-surfer.js";
export { MultimodalWebSurfer, WEB_SURFER_TOOLS } from "./web-surfer.js";
