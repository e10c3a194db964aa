// clickpath's in-page resolver: one Execute Async Script per locate attempt.
//
// arguments: [spec, purpose, done]
//   spec    = {by, name, contains, ignoreCase, nth, within}
//   within  = null | {kind: "row"|"listitem"|"dialog"|"region"|"element", name, target}
//   purpose = "act" (click: visible, stable, enabled, receives the click)
//           | "input" (fill/select: visible, stable, enabled, not covered)
//           | "present" (expect: visible only)
//           | "describe" (spec ignored: {elements: [{role, name}]} for every element of
//             document.querySelectorAll("*"), in order; for the oracle test, tests/oracle.rs)
// done(result) where result.status is one of
//   found | not_found | scope_not_found | not_visible | not_actionable | ambiguous | error
const [spec, purpose, done] = arguments;

const norm = (s) => (s || "").replace(/[\s\u00a0]+/g, " ").trim();
const FIELD_ROLES = ["textbox", "searchbox", "combobox", "listbox", "spinbutton",
  "checkbox", "radio", "switch", "slider"];
const ROLES_BY = {
  button: ["button"], link: ["link"], heading: ["heading"], tab: ["tab"],
  menuitem: ["menuitem", "menuitemcheckbox", "menuitemradio"],
  checkbox: ["checkbox", "switch"], radio: ["radio"], label: FIELD_ROLES,
};
const NAME_FROM_CONTENT = ["button", "link", "heading", "tab", "menuitem", "menuitemcheckbox",
  "menuitemradio", "option", "checkbox", "radio", "switch", "cell", "columnheader", "rowheader",
  "row", "listitem", "treeitem", "tooltip"];
const LANDMARKS = ["dialog", "alertdialog", "main", "navigation", "banner", "contentinfo",
  "complementary", "region", "form", "search", "menu", "tabpanel"];
const SKIP_TAGS = ["script", "style", "template", "noscript", "head", "title", "meta", "link"];

function inputType(el) {
  return (el.getAttribute("type") || "text").toLowerCase();
}

function roleOf(el) {
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
      if (t === "hidden") return "";
      if (t === "number") return "spinbutton";
      if (t === "range") return "slider";
      if (t === "search") return "searchbox";
      return "textbox";
    }
    case "textarea": return "textbox";
    case "select": return (el.multiple || el.size > 1) ? "listbox" : "combobox";
    case "option": return "option";
    case "h1": case "h2": case "h3": case "h4": case "h5": case "h6": return "heading";
    case "img": return el.getAttribute("alt") === "" ? "presentation" : "img";
    case "li": return "listitem";
    case "ul": case "ol": return "list";
    case "tr": return "row";
    case "td": return "cell";
    case "th": {
      // Scope first; without one, a header beside data cells heads its row.
      const scope = (el.getAttribute("scope") || "").toLowerCase();
      if (scope === "row" || scope === "rowgroup") return "rowheader";
      if (scope === "col" || scope === "colgroup" || el.closest("thead")) return "columnheader";
      const row = el.parentElement;
      return row && Array.from(row.children).some((c) => c.localName === "td")
        ? "rowheader" : "columnheader";
    }
    case "table": return "table";
    case "dialog": return "dialog";
    case "main": return "main";
    case "nav": return "navigation";
    case "aside": return "complementary";
    case "header": return el.closest("main, article, section, aside, nav") ? "" : "banner";
    case "footer": return el.closest("main, article, section, aside, nav") ? "" : "contentinfo";
    case "form": return "form";
    case "fieldset": case "details": return "group";
    case "svg": return el.closest("[aria-hidden=true]") ? "" : "img";
    case "section":
      return (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) ? "region" : "";
    default: return "";
  }
}

function hiddenForName(el) {
  if (SKIP_TAGS.includes(el.localName)) return true;
  if (el.getAttribute("aria-hidden") === "true") return true;
  const cs = getComputedStyle(el);
  return cs.display === "none" || cs.visibility === "hidden";
}

// Text of a subtree as the accessible-name "name from content" rule sees it.
function textOf(node, exclude) {
  let out = "";
  for (const ch of node.childNodes) {
    if (ch.nodeType === 3) { out += ch.data; continue; }
    if (ch.nodeType !== 1 || ch === exclude || hiddenForName(ch)) continue;
    const tag = ch.localName;
    if (exclude && ["input", "select", "textarea"].includes(tag)) continue;
    const al = ch.getAttribute("aria-label");
    if (al && norm(al)) { out += " " + al + " "; continue; }
    if (tag === "img") { out += " " + (ch.getAttribute("alt") || "") + " "; continue; }
    if (tag === "input" && ["submit", "button", "reset"].includes(inputType(ch))) {
      out += " " + ch.value + " "; continue;
    }
    const d = getComputedStyle(ch).display;
    const block = !d.startsWith("inline");
    out += (block ? " " : "") + textOf(ch, exclude) + (block ? " " : "");
  }
  return out;
}

function byIds(ids) {
  return ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
    .map((e) => textOf(e)).join(" ");
}

// Accessible name, for the cases that matter (a subset of W3C accname 1.2).
function nameOf(el, noPlaceholder) {
  const lb = el.getAttribute("aria-labelledby");
  if (lb) { const t = norm(byIds(lb)); if (t) return t; }
  const al = norm(el.getAttribute("aria-label"));
  if (al) return al;
  const tag = el.localName;
  if (tag === "input" || tag === "select" || tag === "textarea") {
    const t = inputType(el);
    if (tag === "input" && ["submit", "button", "reset"].includes(t)) {
      return norm(el.value || (t === "submit" ? "Submit" : t === "reset" ? "Reset" : ""));
    }
    if (tag === "input" && t === "image") return norm(el.alt || el.value || "Submit");
    const labels = el.labels ? Array.from(el.labels) : [];
    const lt = norm(labels.map((l) => textOf(l, el)).join(" "));
    if (lt) return lt;
    if (el.title) return norm(el.title);
    if (!noPlaceholder && el.placeholder) return norm(el.placeholder);
    return "";
  }
  if (tag === "img") return norm(el.getAttribute("alt") || el.title);
  if (tag === "svg") {
    const t = el.querySelector(":scope > title");
    return t ? norm(t.textContent) : "";
  }
  // A fieldset by its legend, a table by its caption, a figure by its figcaption.
  const own = { fieldset: "legend", table: "caption", figure: "figcaption" }[tag];
  if (own) {
    const c = el.querySelector(`:scope > ${own}`);
    if (c) { const t = norm(textOf(c)); if (t) return t; }
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

function short(el) {
  let s = el.localName;
  if (el.id) s += "#" + el.id;
  else if (typeof el.className === "string" && norm(el.className)) {
    s += "." + norm(el.className).split(" ").slice(0, 2).join(".");
  }
  return s;
}

function describe(el) {
  const role = roleOf(el);
  const name = role ? nameOf(el) : "";
  if (role && name) return `${role} "${name}"`;
  const text = norm(el.textContent).slice(0, 40);
  return short(el) + (text ? ` "${text}"` : "");
}

// Role and name when it has both, else tag#id.class: for naming containers.
function label(el) {
  const role = roleOf(el);
  const name = role ? nameOf(el) : "";
  return role && name ? `${role} "${name}"` : short(el);
}

function whereOf(el) {
  for (let e = el.parentElement; e; e = e.parentElement) {
    const r = roleOf(e);
    if (LANDMARKS.includes(r)) {
      const n = nameOf(e);
      // An unnamed form is no landmark (ARIA): say where the form is instead.
      if (r === "form" && !n) continue;
      return n && r !== "main" ? `${r} "${n}"` : r;
    }
  }
  return null;
}

// The control that probably reveals a hidden container: one that declares
// it controls it (aria-controls: menus, tabs, accordions), or a button just
// before it (a menu toggle). For "which click would reveal it".
function revealer(container) {
  if (container.id) {
    const c = document.querySelector(`[aria-controls~="${CSS.escape(container.id)}"]`);
    if (c) return c;
  }
  const prev = container.previousElementSibling;
  if (prev && ["button", "tab", "menuitem", "link"].includes(roleOf(prev))) return prev;
  return null;
}

function reveal(container) {
  const r = revealer(container);
  if (!r || r.getClientRects().length === 0) return "";
  return ` (click ${label(r)} to reveal it)`;
}

// The ancestor that hides `el` (display:none, visibility:hidden, a closed
// <details>), for "say inside what".
function hidingContainer(el) {
  for (let e = el.parentElement; e; e = e.parentElement) {
    const cs = getComputedStyle(e);
    if (cs.display === "none" || cs.visibility === "hidden" || cs.visibility === "collapse") return e;
    if (e.localName === "details" && !e.open) {
      const summary = e.querySelector(":scope > summary");
      if (!summary || !summary.contains(el)) return e;
    }
  }
  return null;
}

// What the hiding container is, in the words of the UI.
function containerText(c) {
  const r = roleOf(c);
  const l = label(c);
  if (c.localName === "details") return `the collapsed section ${l}`;
  if (["menu", "menubar", "listbox"].includes(r)) return `the closed ${l}`;
  if (r === "tabpanel") return `another tab's panel (${l})`;
  if (r === "dialog" || r === "alertdialog") return `the closed ${l}`;
  return l;
}

// The visible control a click on which would show the container.
function revealerOf(c) {
  let r = c.localName === "details" ? c.querySelector(":scope > summary") : revealer(c);
  if (!r) {
    const lb = (c.getAttribute("aria-labelledby") || "").split(/\s+/)[0];
    const t = lb ? document.getElementById(lb) : null;
    if (t && ["button", "tab", "menuitem", "link"].includes(roleOf(t))) r = t;
  }
  return r && whyHidden(r) === null ? r : null;
}

function whyHidden(el) {
  if (!el.isConnected) return "it is no longer attached to the page";
  for (let e = el; e; e = e.parentElement) {
    const cs = getComputedStyle(e);
    const what = e === el ? "it has" : `it is inside ${label(e)} which has`;
    if (cs.display === "none") return `${what} display:none` + (e === el ? "" : reveal(e));
    if (e.localName === "details" && !e.open && e !== el) {
      const summary = e.querySelector(":scope > summary");
      if (!summary || !summary.contains(el)) {
        return `it is inside a collapsed ${label(e)}` +
          (summary ? ` (click "${norm(summary.textContent)}" to open it)` : "");
      }
    }
    if (cs.visibility === "hidden" || cs.visibility === "collapse") {
      return `${what} visibility:hidden` + (e === el ? "" : reveal(e));
    }
  }
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return "it has no size (0x0 box)";
  // Like Playwright, opacity:0 still counts as visible (styled native inputs);
  // whether it receives the click is the hit test's business.
  if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) {
    return "the browser does not render it";
  }
  return null;
}

function box(el) {
  const r = el.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height };
}

function info(el) {
  const why = whyHidden(el);
  const role = roleOf(el);
  const out = {
    tag: el.localName, role, name: nameOf(el), box: box(el), visible: why === null,
    hidden_why: why, where_: whereOf(el),
  };
  if (role === "checkbox" || role === "radio" || role === "switch") {
    out.checked = el.localName === "input" ? !!el.checked : el.getAttribute("aria-checked") === "true";
  }
  return out;
}

function matches(text, wanted, s) {
  let a = norm(text), b = norm(wanted);
  if (s.ignoreCase) { a = a.toLowerCase(); b = b.toLowerCase(); }
  return s.contains ? a.includes(b) : a === b;
}

function inOrder(list) {
  const uniq = Array.from(new Set(list));
  uniq.sort((a, b) => (a === b ? 0 : (a.compareDocumentPosition(b) & 4 ? -1 : 1)));
  return uniq;
}

function all(roots, selector) {
  const out = [];
  for (const r of roots) out.push(...r.querySelectorAll(selector));
  return out;
}

function innermost(list) {
  return list.filter((e) => !list.some((o) => o !== e && e.contains(o)));
}

// Elements of the scope that carry one of `roles` (fields, buttons...).
function withRoles(roots, roles) {
  return all(roots, "*").filter((e) => roles.includes(roleOf(e)));
}

// Every element in `roots` the spec names, visible or not, in document order.
function candidates(s, roots) {
  switch (s.by) {
    case "css": return inOrder(all(roots, s.name));
    case "xpath": {
      const out = [];
      for (const r of roots) {
        const res = document.evaluate(s.name, r, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
        for (let i = 0; i < res.snapshotLength; i++) {
          const n = res.snapshotItem(i);
          if (n.nodeType === 1) out.push(n);
        }
      }
      return inOrder(out);
    }
    case "placeholder":
      return inOrder(all(roots, "input[placeholder], textarea[placeholder]")
        .filter((e) => matches(e.getAttribute("placeholder"), s.name, s)));
    case "text": {
      const hits = all(roots, "*").filter((e) => !SKIP_TAGS.includes(e.localName) &&
        e.localName !== "html" && e.localName !== "body" && matches(e.textContent, s.name, s));
      return inOrder(innermost(hits));
    }
    case "label":
      return inOrder(withRoles(roots, FIELD_ROLES).filter((e) => matches(nameOf(e, true), s.name, s)));
    default: {
      const roles = ROLES_BY[s.by] || [s.by];
      return inOrder(withRoles(roots, roles).filter((e) => matches(nameOf(e), s.name, s)));
    }
  }
}

function scopeText(w) {
  switch (w.kind) {
    case "row": return `row containing "${w.name}"`;
    case "listitem": return `list item containing "${w.name}"`;
    case "dialog": return w.name ? `dialog "${w.name}"` : "the open dialog";
    case "region": return `region "${w.name}"`;
    default: return "the element it is within";
  }
}

// The visible elements a `within` scope names.
function scopeRoots(w) {
  const visible = (e) => whyHidden(e) === null;
  const loose = { contains: true, ignoreCase: false };
  switch (w.kind) {
    case "row":
      return innermost(Array.from(document.querySelectorAll("tr, [role=row]"))
        .filter((e) => visible(e) && matches(e.textContent, w.name, loose)));
    case "listitem":
      return innermost(Array.from(document.querySelectorAll("li, [role=listitem]"))
        .filter((e) => visible(e) && matches(e.textContent, w.name, loose)));
    case "dialog": {
      const ds = Array.from(document.querySelectorAll(
        "dialog, [role=dialog], [role=alertdialog], [aria-modal=true]")).filter(visible);
      if (!w.name) return ds;
      return ds.filter((d) => matches(nameOf(d), w.name, { contains: false, ignoreCase: true }) ||
        Array.from(d.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]"))
          .some((h) => matches(h.textContent, w.name, { contains: false, ignoreCase: true })));
    }
    case "region": {
      const want = norm(w.name).toLowerCase();
      const all = Array.from(document.querySelectorAll("*")).filter(visible);
      // A landmark role word ("main", "navigation") means that landmark, not a
      // region that happens to be labelled "Main" (a nav aria-label="Main").
      if (LANDMARKS.includes(want)) {
        const byRole = all.filter((e) => roleOf(e) === want);
        if (byRole.length > 0) return innermost(byRole);
      }
      return innermost(all.filter((e) => {
        const r = roleOf(e);
        if (LANDMARKS.includes(r) && norm(nameOf(e)).toLowerCase() === want) return true;
        if (!["section", "div", "article", "fieldset", "aside"].includes(e.localName)) return false;
        const h = e.querySelector("h1, h2, h3, h4, h5, h6, [role=heading], legend");
        return h && norm(h.textContent).toLowerCase() === want &&
          (h.parentElement === e || h.parentElement.parentElement === e);
      }));
    }
    case "element": {
      const r = resolve(w.target);
      if (r.error) return r;
      return r.matches.filter(visible);
    }
    default: return [];
  }
}

// Resolve a spec to {roots, matches} or {error: {status, scope}}.
function resolve(s) {
  let roots = [document.documentElement];
  if (s.within) {
    const r = scopeRoots(s.within);
    if (r.error) return r;
    if (r.length === 0) return { error: { status: "scope_not_found", scope: scopeText(s.within) } };
    roots = r;
  }
  return { roots, matches: candidates(s, roots), scope: s.within ? scopeText(s.within) : null };
}

const ACTION_ROLES = ["button", "link", "menuitem", "menuitemcheckbox", "menuitemradio", "tab",
  "option", "treeitem"].concat(FIELD_ROLES);

// Controls of any role whose name is the wanted one (case-insensitive) and
// that are not the visible matches: a control that changed role, or a match
// hidden in a menu, a collapsed section or another tab (with what reveals it).
function related(s, roots, visible) {
  if (["css", "xpath", "text", "placeholder"].includes(s.by)) return [];
  const loose = { contains: s.contains, ignoreCase: true };
  const hits = withRoles(roots, ACTION_ROLES.concat(ROLES_BY[s.by] || [s.by]))
    .filter((e) => !visible.includes(e) && matches(nameOf(e, s.by === "label"), s.name, loose));
  return inOrder(hits).slice(0, 10).map((e) => {
    const out = info(e);
    if (!out.visible) {
      const c = hidingContainer(e);
      if (c) {
        out.hidden_in = containerText(c);
        const r = revealerOf(c);
        if (r) out.reveal = info(r);
      }
    }
    return out;
  });
}

// What the page offers instead: same-role controls in scope, for "did you mean".
function offers(s, roots) {
  let pool;
  if (s.by === "css" || s.by === "xpath") return [];
  if (s.by === "text" || s.by === "placeholder") {
    pool = withRoles(roots, ["button", "link", "heading", "tab", "menuitem", "textbox"]);
  } else {
    pool = withRoles(roots, ROLES_BY[s.by] || [s.by]);
  }
  return inOrder(pool).slice(0, 80).map(info);
}

const frame = () => new Promise((r) => { requestAnimationFrame(() => r()); setTimeout(r, 50); });

function enabled(el) {
  if (el.disabled) return false;
  const fs = el.closest("fieldset[disabled]");
  if (fs && !(fs.querySelector(":scope > legend") || { contains: () => false }).contains(el)) return false;
  return el.closest("[aria-disabled=true]") === null;
}

function receivesEvents(el, b) {
  const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
  const hit = document.elementFromPoint(cx, cy);
  if (!hit) return { ok: false, by: "nothing (the centre is outside the window)" };
  if (hit === el || el.contains(hit)) return { ok: true };
  const labels = el.labels ? Array.from(el.labels) : [];
  if (labels.some((l) => l === hit || l.contains(hit))) return { ok: true };
  let by = describe(hit);
  const d = hit.closest("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]");
  if (d && d !== hit) by += ` (in ${describe(d)})`;
  return { ok: false, by };
}

async function main() {
  if (purpose === "describe") {
    return { status: "found", elements: Array.from(document.querySelectorAll("*"))
      .map((e) => ({ role: roleOf(e), name: nameOf(e) })) };
  }
  const page = clickpathPage();
  const r = resolve(spec);
  if (r.error) return Object.assign(page, r.error, { matches: [], hidden: [], offers: [] });
  const visible = r.matches.filter((e) => whyHidden(e) === null);
  const hidden = r.matches.filter((e) => whyHidden(e) !== null);
  const base = Object.assign(page, {
    scope: r.scope, matches: visible.slice(0, 10).map(info), hidden: hidden.slice(0, 10).map(info),
    match_count: visible.length,
  });
  const fail = (status, extra) =>
    Object.assign(base, { status, offers: offers(spec, r.roots), related: related(spec, r.roots, visible) },
      extra || {});
  if (purpose === "count") return Object.assign(base, { status: visible.length ? "found" : "not_found", offers: [] });
  if (visible.length === 0) return fail(hidden.length ? "not_visible" : "not_found");
  let el;
  if (spec.nth) {
    if (spec.nth > visible.length) return fail("not_found", { nth_out_of_range: true });
    el = visible[spec.nth - 1];
  } else if (visible.length > 1) {
    return fail("ambiguous");
  } else {
    el = visible[0];
  }
  if (purpose !== "present") {
    let b = el.getBoundingClientRect();
    if (b.top < 0 || b.left < 0 || b.bottom > innerHeight || b.right > innerWidth) {
      el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    }
    const b1 = box(el);
    await frame();
    await frame();
    const b2 = box(el);
    if (!el.isConnected) return fail("not_found", { detached: true });
    if (b1.x !== b2.x || b1.y !== b2.y || b1.width !== b2.width || b1.height !== b2.height) {
      return fail("not_actionable", { reason: { kind: "unstable" } });
    }
    if (!enabled(el)) return fail("not_actionable", { reason: { kind: "disabled" } });
    const hit = receivesEvents(el, b2);
    if (!hit.ok) return fail("not_actionable", { reason: { kind: "covered", by: hit.by } });
  }
  return Object.assign(base, { status: "found", element: el, found: info(el), offers: [] });
}

main().then(done, (e) => done({ status: "error", message: String((e && e.stack) || e) }));
