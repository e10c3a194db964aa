// clickpath's in-page resolver: one Execute Async Script per locate attempt.
// Concatenated after page.js and resolver/{dom,names,scopes}.js (locate.rs).
//
// arguments: [spec, purpose, wait, done] (wait optional)
//   spec    = {by, name, contains, ignoreCase, nth, within}
//   within  = null | {kind: "row"|"listitem"|"dialog"|"region"|"element", name, target}
//   purpose = "act" (click: visible, stable, enabled, receives the click)
//           | "input" (fill/select: visible, stable, enabled, not covered)
//           | "type" (fill by inserting text: "input", then the field is
//             focused and its text selected; `prepared` says what it is)
//           | "present" (expect: visible only)
//           | "count" (how many visible matches, nothing chosen)
//           | "describe" ({elements: [{role, name}]} for every element of
//             document.querySelectorAll("*"), in order, and shadow: the same
//             for open shadow trees' elements, in composed order; spec is ignored)
//           | "any" (check/upload: like present, or a hidden match when none is visible)
//   wait    = {ms, until: "found"|"absent"}: answer at once when the
//             attempt settles it (found, ambiguous; or no visible match for
//             "absent"), else try again in the page each time the DOM
//             changes (MutationObserver; at least every 100 ms for what does
//             not mutate the DOM: shadow trees, CSS, layout) until `ms` pass,
//             and answer the last attempt. One round trip instead of a poll.
// done(result) where result.status is one of
//   found | not_found | scope_not_found | not_visible | not_actionable | ambiguous | error
const spec = arguments[0];
const purpose = arguments[1];
const done = arguments[arguments.length - 1];
const wait = arguments.length > 3 && arguments[2] ? arguments[2] : { ms: 0, until: "found" };

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
  const text = norm(visibleText(el) || el.textContent).slice(0, 40);
  return short(el) + (text ? ` "${text}"` : "");
}

// Role and name when it has both, else tag#id.class: for naming containers.
function label(el) {
  const role = roleOf(el);
  const name = role ? nameOf(el) : "";
  return role && name ? `${role} "${name}"` : short(el);
}

function whereOf(el) {
  for (let e = parentOf(el); e; e = parentOf(e)) {
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

const REVEALERS = ["button", "tab", "menuitem", "link"];

// The control that probably reveals a hidden container: one that declares
// it controls it (aria-controls: menus, tabs, accordions), or a button just
// before it (a menu toggle). For "which click would reveal it".
function revealer(container) {
  if (container.id) {
    const c = queryIn(container, `[aria-controls~="${CSS.escape(container.id)}"]`);
    if (c) return c;
  }
  const prev = container.previousElementSibling;
  if (prev && REVEALERS.includes(roleOf(prev))) return prev;
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
  for (let e = parentOf(el); e; e = parentOf(e)) {
    const cs = getComputedStyle(e);
    if (cs.display === "none" || cs.visibility === "hidden" || cs.visibility === "collapse") return e;
    if (e.localName === "details" && !e.open) {
      const summary = e.querySelector(":scope > summary");
      if (!summary || !containsDeep(summary, el)) return e;
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
    const t = lb ? byId(c, lb) : null;
    if (t && REVEALERS.includes(roleOf(t))) r = t;
  }
  return r && whyHidden(r) === null ? r : null;
}

// Role-based locators skip what assistive technology skips: a subtree marked
// aria-hidden="true" or inert, e.g. the page behind an open modal dialog (MUI
// and most dialog libraries mark it so). `text` is what a person sees, and
// css/xpath are the page's own structure, so those keep it.
const AT_HIDDEN_HIDES = !!spec && !["text", "css", "xpath"].includes(spec.by);

function whyHidden(el) {
  if (!el.isConnected) return "it is no longer attached to the page";
  for (let e = el; e; e = parentOf(e)) {
    const cs = getComputedStyle(e);
    const what = e === el ? "it has" : `it is inside ${label(e)} which has`;
    if (AT_HIDDEN_HIDES && (e.getAttribute("aria-hidden") === "true" || e.inert)) {
      return `${what} ${e.inert ? "inert" : "aria-hidden=true"} (hidden from assistive technology, ` +
        "as behind an open modal dialog)";
    }
    if (cs.display === "none") return `${what} display:none` + (e === el ? "" : reveal(e));
    if (e.localName === "details" && !e.open && e !== el) {
      const summary = e.querySelector(":scope > summary");
      if (!summary || !containsDeep(summary, el)) {
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

function checkedOf(el) {
  if (el.localName === "input") return !!el.checked;
  return el.getAttribute("aria-checked") === "true";
}

// The page words each matched element was matched by (for the manifest).
const MATCHED = new Map();

function info(el) {
  const why = whyHidden(el);
  const role = roleOf(el);
  const out = {
    tag: el.localName, role, name: nameOf(el), box: box(el), visible: why === null,
    hidden_why: why, where_: whereOf(el),
  };
  if (role === "checkbox" || role === "radio" || role === "switch") out.checked = checkedOf(el);
  if (MATCHED.has(el)) out.matched = MATCHED.get(el);
  const col = columnOf(el);
  if (col) out.column = col;
  return out;
}

// The header of the table column `el` is in (`column N` when it has none).
function columnOf(el) {
  const cell = closestDeep(el, "td, th, [role=cell], [role=gridcell], [role=rowheader]");
  if (!cell || !cell.parentElement) return null;
  const row = cell.parentElement;
  const table = closestDeep(row, "table, [role=table], [role=grid], [role=treegrid]");
  if (!table) return null;
  const idx = Array.prototype.indexOf.call(row.children, cell);
  const head = (table.tHead && table.tHead.rows[0]) || table.querySelector("[role=row]") ||
    (table.rows && table.rows[0]) || null;
  const hc = head && head !== row ? head.children[idx] : null;
  const t = hc ? norm(visibleText(hc) || hc.textContent) : "";
  return t || `column ${idx + 1}`;
}

// The roles a locator's offers and neighbours are drawn from (null: none).
function poolRoles(s) {
  if (s.by === "css" || s.by === "xpath") return null;
  if (s.by === "text" || s.by === "placeholder") {
    return ["button", "link", "heading", "tab", "menuitem", "textbox"];
  }
  return ROLES_BY[s.by] || [s.by];
}

// The names of the nearest visible, named elements of the pool's roles
// before and after `el`, in page order, inside the step's scope: what a
// later run compares to tell a renamed target from its unchanged neighbours.
function nearOf(s, roots, el) {
  // Text and placeholder locators mix kinds: their neighbours say little.
  const roles = s.by === "text" || s.by === "placeholder" ? null : poolRoles(s);
  if (!roles) return null;
  const whole = roots.length === 1 && roots[0] === document.documentElement;
  // The scope's elements in page order (the whole page's are cached).
  const list = whole ? deepAll() : all(roots, "*");
  const at = whole ? ORDER.get(el) : list.indexOf(el);
  if (at === undefined || at < 0) return null;
  const up = new Set();
  for (let e = el; e; e = parentOf(e)) up.add(e);
  const take = (step) => {
    const out = [];
    for (let i = at + step, n = 0; i >= 0 && i < list.length && out.length < 2 && n < 1500;
      i += step, n++) {
      const e = list[i];
      if (up.has(e) || !roles.includes(roleOf(e))) continue;
      if (step > 0 && containsDeep(el, e)) continue;
      if (whyHidden(e) !== null) continue;
      const name = norm(nameOf(e));
      if (name) out.push(name);
    }
    return out;
  };
  return { before: take(-1), after: take(1) };
}

// `info` of the element a step acts on, with its neighbours.
function foundInfo(s, roots, el) {
  const out = info(el);
  const near = nearOf(s, roots, el);
  if (near) out.near = near;
  return out;
}

// Elements of the scope that carry one of `roles` (fields, buttons...).
function withRoles(roots, roles) {
  return all(roots, "*").filter((e) => roles.includes(roleOf(e)));
}

// Keep the elements whose words (`wordsOf`) are the wanted ones, noting them.
function named(list, s, wordsOf) {
  return list.filter((e) => {
    const w = wordsOf(e);
    if (!matches(w, s.name, s)) return false;
    MATCHED.set(e, norm(w));
    return true;
  });
}

function placeholderOf(e) {
  return e.getAttribute("placeholder") || e.getAttribute("aria-placeholder") || "";
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
      return inOrder(named(all(roots, "input, textarea, [aria-placeholder]")
        .filter((e) => placeholderOf(e)), s, placeholderOf));
    case "text": {
      const hits = named(all(roots, "*").filter((e) => !SKIP_TAGS.includes(e.localName) &&
        e.localName !== "html" && e.localName !== "body" && !srHidden(e)), s, visibleText);
      return inOrder(innermost(hits));
    }
    case "label":
      // A file input has no field role (Chromium calls it a button) but is
      // named by its label like any field: `upload: {label: Logo}`.
      return inOrder(named(withRoles(roots, FIELD_ROLES).concat(all(roots, "input[type=file i]")),
        s, (e) => nameOf(e, true)));
    case "control":
      // A native control's inner parts are not controls of their own.
      return inOrder(named(withRoles(roots, CONTROL_ROLES), s, nameOf)
        .filter((e) => !(e.localName === "option" && closestDeep(e, "select, datalist"))));
    default:
      return inOrder(named(withRoles(roots, ROLES_BY[s.by] || [s.by]), s, nameOf));
  }
}

const frame = () => new Promise((r) => { requestAnimationFrame(() => r()); setTimeout(r, 50); });

// Resolves on the next DOM change, after 100 ms, or at `until` (ms since the
// epoch), whichever comes first.
function changed(until) {
  return new Promise((resolve) => {
    let timer = null;
    const obs = new MutationObserver(() => finish());
    function finish() {
      obs.disconnect();
      clearTimeout(timer);
      resolve();
    }
    obs.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    timer = setTimeout(finish, Math.max(0, Math.min(100, until - Date.now())));
  });
}

function enabled(el) {
  if (el.disabled) return false;
  const fs = closestDeep(el, "fieldset[disabled]");
  if (fs) {
    const legend = fs.querySelector(":scope > legend");
    if (!legend || !containsDeep(legend, el)) return false;
  }
  return closestDeep(el, "[aria-disabled=true]") === null;
}

// When the element on top is a visual stand-in for the target (the styled
// box of a checkbox whose native input is invisible, a label-like proxy), the
// control a person would click instead.
function standIn(el, hit) {
  const near = (a, b) => {
    for (let p = parentOf(a), i = 0; p && i < 3; p = parentOf(p), i++) if (containsDeep(p, b)) return p;
    return null;
  };
  if (!near(el, hit)) return null;
  const hr = hit.getBoundingClientRect(), er = el.getBoundingClientRect();
  const overlap = Math.max(0, Math.min(hr.right, er.right) - Math.max(hr.left, er.left)) *
    Math.max(0, Math.min(hr.bottom, er.bottom) - Math.max(hr.top, er.top));
  if (overlap < 0.5 * er.width * er.height) return null;
  const control = closestDeep(hit, "label, [role], button, a[href]");
  return control && !containsDeep(control, el) ? control : hit;
}

function receivesEvents(el, b) {
  const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
  const hit = deepElementFromPoint(cx, cy);
  if (!hit) return { ok: false, by: "nothing (the centre is outside the window)" };
  if (containsDeep(el, hit) || inComposedPath(hit, el)) return { ok: true };
  // The host's own (slotted) text, drawn inside `el` in its shadow tree: a
  // click there goes through the slot to `el`, but WebDriver's hit test only
  // sees the host, so the host is what WebDriver is asked to click.
  if (hit.shadowRoot && containsDeep(hit, el)) return { ok: true, via: hit };
  if (labelsOf(el).some((l) => containsDeep(l, hit))) return { ok: true };
  let by = describe(hit);
  const d = closestDeep(hit, "dialog, [role=dialog], [role=alertdialog], [aria-modal=true]");
  if (d && d !== hit) by += ` (in ${describe(d)})`;
  const proxy = standIn(el, hit);
  if (proxy) {
    by += `, which stands in for it on screen: click ${describe(proxy)} instead`;
    if (roleOf(el) === "checkbox" || roleOf(el) === "radio" || roleOf(el) === "switch") {
      by += ` (or use \`check\`/\`uncheck\`)`;
    }
  }
  return { ok: false, by };
}

// Every element's role and name (the oracle test's view of the resolver):
// `elements` for document.querySelectorAll("*"), `shadow` for the elements
// inside open shadow roots, in composed order (each shadow tree right after
// its host, as the resolver searches them).
function describeAll() {
  const one = (e) => ({ role: roleOf(e), name: nameOf(e) });
  return {
    status: "found",
    elements: Array.from(document.querySelectorAll("*")).map(one),
    shadow: deepOf(document).filter((e) => e.getRootNode() !== document).map(one),
  };
}

// Whether an attempt's answer is final for the wait's goal.
function settled(r) {
  if (wait.until === "absent") return r.status === "error" || r.match_count === 0;
  return !["not_found", "scope_not_found", "not_visible", "not_actionable"].includes(r.status);
}

async function main() {
  if (purpose === "describe") {
    resetCaches();
    return describeAll();
  }
  const until = Date.now() + Math.max(0, wait.ms || 0);
  for (;;) {
    resetCaches();
    const r = await attempt();
    if (settled(r) || Date.now() >= until) return r;
    await changed(until);
  }
}

// fill's preparation (purpose "type"): what kind of field it is and its
// text before typing; a text field or editable box is then focused and its
// text selected, so the text inserted next replaces it (what Ctrl+A does).
// Pickers (date, time, colour, range) take typed text only after a clear:
// they are left alone.
const PICKERS = ["date", "time", "datetime-local", "month", "week", "color", "range"];
function prepareField(el) {
  const isInput = el.localName === "input" || el.localName === "textarea";
  const t = isInput || el.isContentEditable ? el : deepOf(el).find((x) => x.isContentEditable);
  const type = el.localName === "input" ? (el.type || "text") : el.localName;
  if (!t) return { kind: "other", type, value: "" };
  const value = isInput ? el.value : (t.innerText || "").replace(/\n$/, "");
  if (!PICKERS.includes(type)) {
    t.focus({ preventScroll: true });
    if (!isInput) getSelection().selectAllChildren(t);
    else try { t.setSelectionRange(0, t.value.length); } catch (_) { t.select(); }
  }
  return { kind: isInput ? "input" : "editable", type, value };
}

async function attempt() {
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
    Object.assign(base, { status }, hints(spec, r.roots, visible), extra || {});
  if (purpose === "count") return Object.assign(base, { status: visible.length ? "found" : "not_found", offers: [] });
  // "any": a hidden match will do when nothing visible matches (a styled
  // checkbox's native input, a file input behind its button).
  const pool = purpose === "any" && visible.length === 0 ? hidden : visible;
  if (pool.length === 0) return fail(hidden.length ? "not_visible" : "not_found");
  let el;
  if (spec.nth) {
    if (spec.nth > pool.length) return fail("not_found", { nth_out_of_range: true });
    el = pool[spec.nth - 1];
  } else if (pool.length > 1) {
    return fail("ambiguous");
  } else {
    el = pool[0];
  }
  if (purpose !== "present" && purpose !== "any") {
    const b = el.getBoundingClientRect();
    if (b.top < 0 || b.left < 0 || b.bottom > innerHeight || b.right > innerWidth) {
      el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    }
    // Stable: the same box across an animation frame.
    const b1 = box(el);
    await frame();
    const b2 = box(el);
    if (!el.isConnected) return fail("not_found", { detached: true });
    if (b1.x !== b2.x || b1.y !== b2.y || b1.width !== b2.width || b1.height !== b2.height) {
      return fail("not_actionable", { reason: { kind: "unstable" } });
    }
    if (!enabled(el)) return fail("not_actionable", { reason: { kind: "disabled" } });
    const hit = receivesEvents(el, b2);
    if (!hit.ok) return fail("not_actionable", { reason: { kind: "covered", by: hit.by } });
    if (hit.via && purpose === "act") {
      return Object.assign(base, { status: "found", element: hit.via, found: foundInfo(spec, r.roots, el), offers: [] });
    }
  }
  const prepared = purpose === "type" ? prepareField(el) : undefined;
  return Object.assign(base, { status: "found", element: el, found: foundInfo(spec, r.roots, el), offers: [], prepared });
}

main().then(done, (e) => done({ status: "error", message: String((e && e.stack) || e) }));
