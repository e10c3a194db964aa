// Shared by clickpath's widget scripts (execute/widgets.rs): prepended to
// each of them. Plain functions, no state kept between calls.

const flat = (s) => String(s == null ? "" : s).replace(/[\s\u00a0]+/g, " ").trim();

// An element by id in the element's own tree (shadow root) first, then the document.
function byId(near, id) {
  const root = near.getRootNode();
  return (root && root.getElementById && root.getElementById(id)) || document.getElementById(id);
}

// Every element under `root`, through open shadow roots and slots' assigned elements.
function deepAll(root, out) {
  out = out || [];
  const kids = root.localName === "slot" ? root.assignedElements({ flatten: true }) : [];
  for (const e of kids.concat(Array.from(root.children || []))) {
    out.push(e);
    deepAll(e, out);
  }
  if (root.shadowRoot) deepAll(root.shadowRoot, out);
  return out;
}

// The parent across a shadow boundary.
function up(e) {
  return e.parentElement || (e.parentNode && e.parentNode.host) || null;
}

function deepContains(a, b) {
  for (let e = b; e; e = e.assignedSlot || up(e)) if (e === a) return true;
  return false;
}

// Rendered and not hidden; opacity does not count (styled native inputs).
function shown(e) {
  if (!e || !e.isConnected) return false;
  const r = e.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return false;
  if (e.checkVisibility && !e.checkVisibility({ visibilityProperty: true })) return false;
  return true;
}

// Big enough to point at (a 1px clipped input is not); opacity does not
// matter: a transparent input laid over its picture still takes the click.
function pointable(e) {
  if (!shown(e)) return false;
  const r = e.getBoundingClientRect();
  return r.width >= 4 && r.height >= 4 && getComputedStyle(e).pointerEvents !== "none";
}

// The innermost element at a point, through open shadow roots.
function deepAt(x, y) {
  let h = document.elementFromPoint(x, y);
  while (h && h.shadowRoot) {
    const inner = h.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === h) break;
    h = inner;
  }
  return h;
}

function centre(e) {
  let r = e.getBoundingClientRect();
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
    e.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    r = e.getBoundingClientRect();
  }
  return [r.x + r.width / 2, r.y + r.height / 2];
}

// Whether a click at the centre of `e` reaches it (or something inside it).
function receives(e) {
  const [x, y] = centre(e);
  const hit = deepAt(x, y);
  if (!hit) return false;
  if (hit === e || deepContains(e, hit)) return true;
  // Over slotted light-DOM text the hit test stops at the shadow host: the
  // point is still e's when the host holds e and e's box holds the point.
  if (hit.shadowRoot && deepContains(hit, e)) {
    const r = e.getBoundingClientRect();
    return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
  }
  return false;
}

// What a click at the centre of `e` would reach instead, described.
function coveredBy(e) {
  const [x, y] = centre(e);
  const hit = deepAt(x, y);
  if (!hit) return "nothing (it is outside the window)";
  const role = hit.getAttribute("role");
  const text = flat(hit.getAttribute("aria-label") || hit.textContent).slice(0, 40);
  let s = hit.localName + (hit.id ? "#" + hit.id : "") + (role ? `[role=${role}]` : "");
  return text ? `${s} "${text}"` : s;
}

// An option's name: aria-label, aria-labelledby, else its visible text.
function optionName(o) {
  const al = o.getAttribute("aria-label");
  if (al && flat(al)) return flat(al);
  const lb = o.getAttribute("aria-labelledby");
  if (lb) {
    const t = lb.split(/\s+/).map((id) => byId(o, id)).filter(Boolean).map((x) => x.textContent).join(" ");
    if (flat(t)) return flat(t);
  }
  if (o.localName === "option") return flat(o.label || o.textContent);
  return flat(o.innerText !== undefined && o.shadowRoot === null ? o.innerText : o.textContent);
}

// The checked state as a person reads it: native inputs, aria-checked,
// a custom element's `checked` property, or the one native box inside.
function checkedOf(e) {
  if (e.localName === "input" && (e.type === "checkbox" || e.type === "radio")) return e.checked;
  const a = e.getAttribute("aria-checked") || e.getAttribute("aria-pressed");
  if (a === "true" || a === "mixed") return a === "true";
  if (a === "false") return false;
  if (typeof e.checked === "boolean") return e.checked;
  const inner = deepAll(e).find((x) => x.localName === "input" && (x.type === "checkbox" || x.type === "radio"));
  return inner ? inner.checked : false;
}
