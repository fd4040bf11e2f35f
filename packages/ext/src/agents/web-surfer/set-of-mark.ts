/**
 * Set-of-mark: numbers every visible interactive element of the page, draws a numbered box on each one
 * inside the viewport (an overlay in the page, removed after the screenshot), and describes them as text
 * for models without vision. The in-page code is a string so that no build step can change it.
 */

/** The attribute that carries an element's mark number; clicks and typing find elements by it. */
export const MARK_ATTRIBUTE = "data-autogen-mark";
/** The id of the overlay element drawn over the page. */
export const OVERLAY_ID = "__autogen_set_of_mark__";
/** The colour of the boxes and labels (a saturated magenta that pages rarely use). */
export const MARK_COLOR = { r: 255, g: 0, b: 200 };

/** One marked element. */
export interface MarkedElement {
  readonly id: number;
  /** Lowercase tag name. */
  readonly tag: string;
  /** ARIA role, or one implied by the tag (`link`, `button`, `textbox`, ...). */
  readonly role: string;
  /** Its accessible text: aria-label, text, value, placeholder, title or alt. */
  readonly name: string;
  /** Whether it can take text (input, textarea, contenteditable). */
  readonly editable: boolean;
  /** Where it is relative to the viewport. */
  readonly position: "visible" | "above" | "below";
  /** Its box in viewport pixels. */
  readonly rect: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** A link's target. */
  readonly href?: string;
}

const SELECTOR = [
  "a[href]",
  "button",
  "input:not([type=hidden])",
  "select",
  "textarea",
  "summary",
  "[role=button]",
  "[role=link]",
  "[role=checkbox]",
  "[role=radio]",
  "[role=tab]",
  "[role=menuitem]",
  "[role=option]",
  "[role=searchbox]",
  "[role=textbox]",
  "[onclick]",
  "[contenteditable=''],[contenteditable=true]",
].join(",");

const { r, g, b } = MARK_COLOR;

/** In-page script: marks elements, draws the overlay, returns the {@link MarkedElement} list. */
export const MARK_SCRIPT = `(() => {
  const ATTR = ${JSON.stringify(MARK_ATTRIBUTE)};
  const old = document.getElementById(${JSON.stringify(OVERLAY_ID)});
  if (old) old.remove();
  for (const el of document.querySelectorAll("[" + ATTR + "]")) el.removeAttribute(ATTR);
  const overlay = document.createElement("div");
  overlay.id = ${JSON.stringify(OVERLAY_ID)};
  overlay.setAttribute("aria-hidden", "true");
  overlay.style.cssText = "position:fixed;left:0;top:0;width:100vw;height:100vh;pointer-events:none;z-index:2147483647;";
  const color = "rgb(${r}, ${g}, ${b})";
  const roleOf = (el) => {
    const explicit = el.getAttribute("role");
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === "a") return "link";
    if (tag === "button" || tag === "summary") return "button";
    if (tag === "select") return "combobox";
    if (tag === "textarea") return "textbox";
    if (tag === "input") {
      const type = (el.getAttribute("type") || "text").toLowerCase();
      if (["button", "submit", "reset", "image"].includes(type)) return "button";
      if (type === "checkbox" || type === "radio") return type;
      if (type === "search") return "searchbox";
      return "textbox";
    }
    if (el.isContentEditable) return "textbox";
    return "button";
  };
  const nameOf = (el) => {
    const labelled = el.getAttribute("aria-labelledby");
    const byId = labelled ? document.getElementById(labelled) : null;
    const label = el.id ? document.querySelector("label[for='" + CSS.escape(el.id) + "']") : null;
    const text = el.getAttribute("aria-label") || (byId && byId.innerText) || (label && label.innerText) ||
      (el.tagName === "INPUT" && ["button", "submit", "reset"].includes(el.type) ? el.value : "") ||
      el.innerText || el.getAttribute("placeholder") || el.getAttribute("title") || el.getAttribute("alt") ||
      (el.querySelector && el.querySelector("img[alt]") ? el.querySelector("img[alt]").getAttribute("alt") : "") ||
      el.getAttribute("name") || "";
    return String(text).replace(/\\s+/g, " ").trim().slice(0, 100);
  };
  const items = [];
  let n = 0;
  for (const el of document.querySelectorAll(${JSON.stringify(SELECTOR)})) {
    if (el.closest("#" + ${JSON.stringify(OVERLAY_ID)})) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || Number(style.opacity) === 0) continue;
    if (el.disabled) continue;
    const position = rect.bottom <= 0 ? "above" : rect.top >= innerHeight ? "below" : "visible";
    if (position === "visible" && rect.right > 0 && rect.left < innerWidth) {
      // Skip elements covered by something else (a modal, a sticky header).
      const cx = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
      const cy = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
      const top = document.elementFromPoint(cx, cy);
      if (top && top !== el && !el.contains(top) && !top.contains(el)) continue;
    }
    n += 1;
    el.setAttribute(ATTR, String(n));
    const tag = el.tagName.toLowerCase();
    const editable = tag === "textarea" || el.isContentEditable ||
      (tag === "input" && !["button", "submit", "reset", "image", "checkbox", "radio", "file", "range", "color"].includes((el.getAttribute("type") || "text").toLowerCase()));
    const item = { id: n, tag, role: roleOf(el), name: nameOf(el), editable, position,
      rect: { x: Math.round(rect.left), y: Math.round(rect.top), width: Math.round(rect.width), height: Math.round(rect.height) } };
    if (tag === "a" && el.href) item.href = el.href;
    items.push(item);
    if (position !== "visible") continue;
    const box = document.createElement("div");
    box.style.cssText = "position:fixed;box-sizing:border-box;border:2px solid " + color + ";left:" + rect.left + "px;top:" + rect.top +
      "px;width:" + rect.width + "px;height:" + rect.height + "px;";
    const label = document.createElement("div");
    label.textContent = String(n);
    label.style.cssText = "position:fixed;background:" + color + ";color:#fff;font:bold 12px/14px monospace;padding:0 3px;left:" +
      Math.max(rect.left - 2, 0) + "px;top:" + Math.max(rect.top - 14, 0) + "px;";
    overlay.appendChild(box);
    overlay.appendChild(label);
  }
  document.documentElement.appendChild(overlay);
  return items;
})()`;

/** In-page script: removes the overlay (the mark attributes stay, for clicks). */
export const UNMARK_SCRIPT = `(() => { const o = document.getElementById(${JSON.stringify(OVERLAY_ID)}); if (o) o.remove(); })()`;

/** The marked elements as lines for a model: `[3] link "About us"`. */
export function describeMarks(marks: readonly MarkedElement[]): string {
  const line = (m: MarkedElement) =>
    `[${m.id}] ${m.role}${m.name ? ` "${m.name}"` : ""}${m.editable ? " (editable)" : ""}${m.href ? ` -> ${m.href}` : ""}`;
  const visible = marks.filter((m) => m.position === "visible").map(line);
  const offscreen = marks
    .filter((m) => m.position !== "visible")
    .map((m) => `${line(m)} (${m.position} the viewport)`);
  const parts = [
    visible.length > 0 ? `Elements in view:\n${visible.join("\n")}` : "No interactive elements in view.",
  ];
  if (offscreen.length > 0)
    parts.push(
      `Elements outside the view (scroll to see them, or use their number):\n${offscreen.join("\n")}`,
    );
  return parts.join("\n\n");
}
