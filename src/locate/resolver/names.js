// clickpath resolver, part 2: documentation words, roles and names.
//
// Words are compared with canon() (locate/words.js). Roles follow
// HTML-AAM and names a subset of W3C accname 1.2, shadow trees included.

const ROLE = new Map();
const NAME = new Map();
const VTEXT = new Map();
const SRHIDDEN = new Map();

const norm = (s) => (s || "").replace(/[\s\u00a0]+/g, " ").trim();

const FIELD_ROLES = ["textbox", "searchbox", "combobox", "listbox", "spinbutton",
  "checkbox", "radio", "switch", "slider"];
const CONTROL_ROLES = ["button", "link", "menuitem", "menuitemcheckbox", "menuitemradio", "tab",
  "option", "treeitem", "checkbox", "radio", "switch", "combobox"];
const ROLES_BY = {
  button: ["button"], link: ["link"], heading: ["heading"], tab: ["tab"],
  menuitem: ["menuitem", "menuitemcheckbox", "menuitemradio"],
  checkbox: ["checkbox", "switch"], radio: ["radio"], label: FIELD_ROLES,
  control: CONTROL_ROLES, image: ["img", "image", "graphics-document"], option: ["option"],
  switch: ["switch"], combobox: ["combobox"], cell: ["cell", "gridcell"],
  columnheader: ["columnheader"],
};
const NAME_FROM_CONTENT = ["button", "link", "heading", "tab", "menuitem", "menuitemcheckbox",
  "menuitemradio", "option", "checkbox", "radio", "switch", "cell", "gridcell", "columnheader",
  "rowheader", "row", "listitem", "treeitem", "tooltip"];
const LANDMARKS = ["dialog", "alertdialog", "main", "navigation", "banner", "contentinfo",
  "complementary", "region", "form", "search", "menu", "tabpanel"];
const SKIP_TAGS = ["script", "style", "template", "noscript", "head", "title", "meta", "link"];
const TEXT_INPUTS = ["text", "email", "tel", "url", "password", ""];

function inputType(el) {
  return (el.getAttribute("type") || "text").toLowerCase();
}

function roleOf(el) {
  let r = ROLE.get(el);
  if (r === undefined) { r = computeRole(el); ROLE.set(el, r); }
  return r;
}

// A `th`: its scope, else a header of its column when in thead or in a row
// of headers only, else the header of its row (HTML-AAM).
function thRole(el) {
  const scope = (el.getAttribute("scope") || "").toLowerCase();
  if (scope === "row" || scope === "rowgroup") return "rowheader";
  if (scope === "col" || scope === "colgroup") return "columnheader";
  if (el.closest("thead")) return "columnheader";
  const tr = el.closest("tr");
  if (tr && Array.from(tr.children).some((c) => c.localName === "td")) return "rowheader";
  return "columnheader";
}

function computeRole(el) {
  const explicit = (el.getAttribute("role") || "").trim().split(/\s+/)[0];
  if (explicit) return explicit.toLowerCase();
  const tag = el.localName;
  switch (tag) {
    case "a": case "area": return el.hasAttribute("href") ? "link" : "";
    case "button": case "summary": return "button";
    case "input": {
      const t = inputType(el);
      if (["button", "submit", "reset", "image"].includes(t)) return "button";
      if (t === "checkbox") return "checkbox";
      if (t === "radio") return "radio";
      // Chromium exposes a file input as a button (its "Choose file" part).
      if (t === "file") return "button";
      if (t === "hidden" || t === "color") return "";
      if (t === "number") return "spinbutton";
      if (t === "range") return "slider";
      if (el.hasAttribute("list") && (t === "search" || TEXT_INPUTS.includes(t))) return "combobox";
      if (t === "search") return "searchbox";
      return "textbox";
    }
    case "textarea": return "textbox";
    case "select": return (el.multiple || el.size > 1) ? "listbox" : "combobox";
    case "option": return "option";
    case "optgroup": case "fieldset": case "details": return "group";
    case "h1": case "h2": case "h3": case "h4": case "h5": case "h6": return "heading";
    case "img":
      return el.getAttribute("alt") === "" && !el.getAttribute("aria-label") && !el.title
        ? "presentation" : "img";
    // An inline <svg> is an image to Chromium (the oracle test checks it).
    case "svg": return "img";
    case "li": return "listitem";
    case "ul": case "ol": case "menu": return "list";
    case "tr": return "row";
    case "td": return el.closest("[role=grid], [role=treegrid]") ? "gridcell" : "cell";
    case "th": return thRole(el);
    case "table": return "table";
    case "caption": return "caption";
    case "dialog": return "dialog";
    case "main": return "main";
    case "nav": return "navigation";
    case "aside": return "complementary";
    case "article": return "article";
    case "figure": return "figure";
    case "hr": return "separator";
    case "output": return "status";
    case "progress": return "progressbar";
    case "meter": return "meter";
    case "search": return "search";
    case "header": return el.closest("main, article, section, aside, nav") ? "" : "banner";
    case "footer": return el.closest("main, article, section, aside, nav") ? "" : "contentinfo";
    case "form": return "form";
    case "section":
      return (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.title)
        ? "region" : "";
    default: return "";
  }
}

function hiddenForName(el) {
  if (SKIP_TAGS.includes(el.localName)) return true;
  if (el.getAttribute("aria-hidden") === "true") return true;
  const cs = getComputedStyle(el);
  return cs.display === "none" || cs.visibility === "hidden";
}

// CSS generated text (`::before`/`::after` with a quoted `content`).
function pseudoText(el, which) {
  const c = getComputedStyle(el, which).content;
  const m = /^"(.*)"$/.exec(c || "");
  return m ? m[1] : "";
}

// Roles whose value, not their label, is their part of a name from content.
const EMBEDDED = ["textbox", "searchbox", "combobox", "listbox", "slider", "spinbutton",
  "scrollbar", "progressbar", "meter"];
const RANGES = ["slider", "spinbutton", "scrollbar", "progressbar", "meter"];

// An embedded control's value (accname's "embedded control" rule, as
// Chromium applies it): a table cell holding MUI's Select (aria-label
// "Role", showing "Admin") is named "Admin", the words a person sees there.
// null when `el` is no such control.
function embeddedValue(el) {
  const role = roleOf(el);
  if (!EMBEDDED.includes(role)) return null;
  const tag = el.localName;
  if (tag === "select") return Array.from(el.selectedOptions).map((o) => textOf(o)).join(" ");
  if (RANGES.includes(role)) {
    const t = el.getAttribute("aria-valuetext") || el.getAttribute("aria-valuenow");
    if (t) return t;
  }
  if (tag === "input" || tag === "textarea") return el.value;
  if (role === "listbox") {
    return Array.from(el.querySelectorAll("[aria-selected=true]")).map((o) => textOf(o)).join(" ");
  }
  return textOf(el);
}

// Text of a subtree as the accessible-name "name from content" rule sees it
// (shadow trees and slotted content included).
function textOf(node, exclude) {
  let out = node.nodeType === 1 ? pseudoText(node, "::before") : "";
  for (const ch of composedChildren(node)) {
    if (ch.nodeType === 3) { out += ch.data; continue; }
    if (ch.nodeType !== 1 || ch === exclude || hiddenForName(ch)) continue;
    const tag = ch.localName;
    if (exclude && ["input", "select", "textarea"].includes(tag)) continue;
    const v = embeddedValue(ch);
    if (v !== null) { out += " " + v + " "; continue; }
    const al = ch.getAttribute("aria-label");
    if (al && norm(al)) { out += " " + al + " "; continue; }
    if (tag === "img") { out += " " + (ch.getAttribute("alt") || "") + " "; continue; }
    if (tag === "input" && ["submit", "button", "reset"].includes(inputType(ch))) {
      out += " " + ch.value + " "; continue;
    }
    const d = getComputedStyle(ch).display;
    const block = !d.startsWith("inline") && d !== "contents";
    out += (block ? " " : "") + textOf(ch, exclude) + (block ? " " : "");
  }
  if (node.nodeType === 1) out += pseudoText(node, "::after");
  return out;
}

function byIds(el, ids) {
  return ids.split(/\s+/).map((id) => byId(el, id)).filter(Boolean)
    .map((e) => norm(e.getAttribute("aria-label")) || textOf(e)).join(" ");
}

function nameOf(el, noPlaceholder) {
  const key = noPlaceholder ? 1 : 0;
  let c = NAME.get(el);
  if (!c) { c = []; NAME.set(el, c); }
  if (c[key] === undefined) c[key] = computeName(el, noPlaceholder);
  return c[key];
}

function labelsOf(el) {
  const ls = el.labels ? Array.from(el.labels) : [];
  if (ls.length === 0 && el.id) {
    const l = queryIn(el, `label[for="${CSS.escape(el.id)}"]`);
    if (l) ls.push(l);
  }
  return ls;
}

// The first child of `el` with tag `tag`.
function childTag(el, tag) {
  return Array.from(el.children).find((c) => c.localName === tag) || null;
}

// Accessible name, for the cases that matter (a subset of W3C accname 1.2).
function computeName(el, noPlaceholder) {
  const lb = el.getAttribute("aria-labelledby");
  if (lb) { const t = norm(byIds(el, lb)); if (t) return t; }
  const al = norm(el.getAttribute("aria-label"));
  if (al) return al;
  const tag = el.localName;
  if (tag === "input" || tag === "select" || tag === "textarea") {
    const t = inputType(el);
    if (tag === "input" && ["submit", "button", "reset"].includes(t)) {
      return norm(el.value || (t === "submit" ? "Submit" : t === "reset" ? "Reset" : ""));
    }
    if (tag === "input" && t === "image") return norm(el.alt || el.value || "Submit");
    const lt = norm(labelsOf(el).map((l) => textOf(l, el)).join(" "));
    if (lt) return lt;
    if (el.title) return norm(el.title);
    if (!noPlaceholder && el.placeholder) return norm(el.placeholder);
    return "";
  }
  if (tag === "img") return norm(el.getAttribute("alt") || el.title);
  if (tag === "svg") {
    const t = childTag(el, "title");
    return t ? norm(t.textContent) : "";
  }
  const caption = { fieldset: "legend", table: "caption", figure: "figcaption" }[tag];
  if (caption) {
    const c = childTag(el, caption);
    if (c && norm(textOf(c))) return norm(textOf(c));
  }
  const role = roleOf(el);
  if (NAME_FROM_CONTENT.includes(role)) { const t = norm(textOf(el)); if (t) return t; }
  if (el.title) return norm(el.title);
  if (LANDMARKS.includes(role) || tag === "section") {
    const h = el.querySelector("h1, h2, h3, h4, h5, h6, [role=heading]");
    if (h) return norm(textOf(h));
  }
  return "";
}

// Hidden by a visual trick while still "rendered": the sr-only patterns
// (clip, clip-path, a 1px box with overflow hidden, off-screen, opacity 0).
function visuallyHidden(el, cs) {
  if (parseFloat(cs.opacity) === 0) return true;
  const abs = cs.position === "absolute" || cs.position === "fixed";
  if (abs && /^rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)$/.test(cs.clip)) return true;
  if (/^inset\((50|100)%\)$|^circle\(0(px)?/.test(cs.clipPath)) return true;
  if ((abs || cs.overflow === "hidden" || cs.overflowX === "hidden") && el.getClientRects().length) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1 && cs.overflow !== "visible") return true;
    if (abs && (r.right + scrollX <= 0 || r.bottom + scrollY <= 0)) return true;
  }
  return false;
}

// Whether `el` or an ancestor hides its text by such a trick.
function srHidden(el) {
  if (!el) return false;
  let h = SRHIDDEN.get(el);
  if (h === undefined) {
    h = visuallyHidden(el, getComputedStyle(el)) || srHidden(parentOf(el));
    SRHIDDEN.set(el, h);
  }
  return h;
}

// The text a person sees in `el`: rendered text without visually hidden
// (sr-only) parts; display:none parts are left to the visibility check.
function visibleText(el) {
  let out = VTEXT.get(el);
  if (out !== undefined) return out;
  out = "";
  for (const ch of composedChildren(el)) {
    if (ch.nodeType === 3) { out += ch.data; continue; }
    if (ch.nodeType !== 1 || SKIP_TAGS.includes(ch.localName)) continue;
    const cs = getComputedStyle(ch);
    if (cs.display === "none" || visuallyHidden(ch, cs)) continue;
    let t = visibleText(ch);
    if (ch.localName === "input" && ["submit", "button", "reset"].includes(inputType(ch))) t = ch.value;
    if (ch.localName === "img") t = "";
    const block = !cs.display.startsWith("inline") && cs.display !== "contents";
    out += block ? " " + t + " " : t;
  }
  VTEXT.set(el, out);
  return out;
}
