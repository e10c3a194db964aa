// clickpath resolver, part 1: the composed tree. Every query walks the
// document and each open shadow root it meets (as Playwright does), and
// ancestry (closest, contains, landmarks, hiding containers) crosses shadow
// boundaries through the shadow host. Caches live for one attempt.

let DEEP = null;   // every element, shadow trees included, in composed order
let ORDER = null;  // element -> index in DEEP

function resetCaches() {
  DEEP = null; ORDER = null; ROLE.clear(); NAME.clear(); VTEXT.clear(); SRHIDDEN.clear();
}

// Descendants of `root` (an element, document or shadow root), each shadow
// host's shadow tree right after the host.
function deepOf(root) {
  const out = [];
  const walk = (r) => {
    for (const e of r.querySelectorAll("*")) {
      out.push(e);
      if (e.shadowRoot) walk(e.shadowRoot);
    }
  };
  if (root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return out;
}

function deepAll() {
  if (!DEEP) {
    DEEP = [document.documentElement].concat(deepOf(document));
    ORDER = new Map(DEEP.map((e, i) => [e, i]));
  }
  return DEEP;
}

// The parent in the composed tree: the parent element, else the shadow host.
function parentOf(e) {
  if (e.parentElement) return e.parentElement;
  const p = e.parentNode;
  return p && p.host ? p.host : null;
}

function containsDeep(a, b) {
  for (let e = b; e; e = parentOf(e)) if (e === a) return true;
  return false;
}

// Whether an event at `hit` passes through `el` (slots included).
function inComposedPath(hit, el) {
  for (let e = hit; e; e = e.assignedSlot || parentOf(e)) if (e === el) return true;
  return false;
}

function closestDeep(e, selector) {
  for (let x = e; x; x = parentOf(x)) if (x.matches(selector)) return x;
  return null;
}

// `getElementById` in the element's own tree (document or shadow root).
function byId(el, id) {
  const root = el.getRootNode();
  return (root.getElementById ? root.getElementById(id) : null) || document.getElementById(id);
}

function queryIn(el, selector) {
  const root = el.getRootNode();
  return (root.querySelector ? root.querySelector(selector) : null) || document.querySelector(selector);
}

// Elements in `roots` (each root itself and its descendants, shadow trees
// included) matching `selector`: `{text: X, within: {listitem: X}}` is the
// list item's own text.
function all(roots, selector) {
  const out = [];
  for (const r of roots) {
    const list = r === document.documentElement ? deepAll() : [r].concat(deepOf(r));
    for (const e of list) if (selector === "*" || e.matches(selector)) out.push(e);
  }
  return out;
}

function inOrder(list) {
  deepAll();
  const uniq = Array.from(new Set(list));
  const at = (e) => (ORDER.has(e) ? ORDER.get(e) : Number.MAX_SAFE_INTEGER);
  uniq.sort((a, b) => at(a) - at(b));
  return uniq;
}

// Drop every element that has another listed element inside it.
function innermost(list) {
  const set = new Set(list);
  const outer = new Set();
  for (const e of list) for (let p = parentOf(e); p; p = parentOf(p)) if (set.has(p)) outer.add(p);
  return list.filter((e) => !outer.has(e));
}

// The element at a point, through open shadow roots down to the innermost.
function deepElementFromPoint(x, y) {
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

// The composed children of a node for text: a shadow host's shadow tree, a
// slot's assigned nodes (or its fallback content), else its child nodes.
function composedChildren(node) {
  if (node.shadowRoot) return Array.from(node.shadowRoot.childNodes);
  if (node.localName === "slot" && node.assignedNodes) {
    const a = node.assignedNodes({ flatten: true });
    if (a.length) return a;
  }
  return Array.from(node.childNodes);
}
