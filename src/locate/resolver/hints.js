// clickpath resolver, part 4: what a failed attempt reports besides its
// matches, for the diagnosis (locate/diagnosis.rs): same-named controls of
// other roles, same-role offers, the same words under another locator kind
// (a placeholder, an image's alt text), closed menus the target may be in,
// and error messages the page shows.

const ACTION_ROLES = ["button", "link", "menuitem", "menuitemcheckbox", "menuitemradio", "tab",
  "option", "treeitem"].concat(FIELD_ROLES);

// Controls of any role whose name is the wanted one and that are not the
// visible matches: a control that changed role, or a match hidden in a menu,
// a collapsed section or another tab (with what reveals it).
function related(s, roots, visible) {
  if (["css", "xpath", "text", "placeholder"].includes(s.by)) return [];
  const seen = new Set(visible);
  const hits = named(withRoles(roots, ACTION_ROLES.concat(ROLES_BY[s.by] || [s.by]))
    .filter((e) => !seen.has(e)), s, (e) => nameOf(e, s.by === "label"));
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
  const roles = poolRoles(s);
  if (!roles) return [];
  return inOrder(withRoles(roots, roles)).slice(0, 80).map(info);
}

// The same words under another kind of locator: a field by its placeholder,
// an image by its alt text, a control of any role, or plain visible text.
function alternatives(s, roots) {
  if (["css", "xpath"].includes(s.by)) return [];
  const out = [];
  const tryKind = (by) => {
    if (by === s.by || out.length >= 3) return;
    const found = candidates(Object.assign({}, s, { by }), roots).filter((e) => whyHidden(e) === null);
    if (found.length > 0) out.push({ by, words: MATCHED.get(found[0]) || s.name, element: info(found[0]) });
  };
  ["placeholder", "image", "label"].forEach(tryKind);
  return out;
}

// Closed menus, dropdowns and flyouts: visible triggers that declare a popup
// or a collapsed state; their items often exist in the page only while open.
function closedMenus() {
  return inOrder(all([document.documentElement],
    "[aria-haspopup]:not([aria-haspopup=false]), [aria-expanded=false]"))
    .filter((e) => e.getAttribute("aria-expanded") !== "true" && whyHidden(e) === null &&
      nameOf(e))
    .slice(0, 8).map(info);
}

const ERRORISH = /error|invalid|fail|already exists|required|not allowed|could not|cannot|denied/i;
const CALM = /success|(^|[-_\s])info/i;

// Error messages the page shows: alerts, form error lists and notes, the
// description of an invalid field, an error-like status line.
function pageErrors() {
  const texts = [];
  const add = (e) => {
    if (!e || whyHidden(e) !== null) return;
    const t = norm(visibleText(e));
    if (t && !texts.includes(t)) texts.push(t.length > 200 ? t.slice(0, 199) + "…" : t);
  };
  // role=alert is also how component libraries announce success (MUI's Alert
  // and Snackbar, Bootstrap's .alert-success): an alert styled as success or
  // info is no error unless its words say so.
  const calm = (e) => {
    for (let a = e, i = 0; a && i < 3; a = parentOf(a), i++) {
      if (typeof a.className === "string" && CALM.test(a.className)) return true;
    }
    return false;
  };
  all([document.documentElement], "[role=alert]")
    .filter((e) => !calm(e) || ERRORISH.test(visibleText(e))).forEach(add);
  all([document.documentElement], ".errorlist, .errornote").forEach(add);
  for (const f of all([document.documentElement], "[aria-invalid=true]")) {
    for (const id of (f.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)) {
      add(byId(f, id));
    }
  }
  all([document.documentElement], "[role=status]")
    .filter((e) => ERRORISH.test(visibleText(e))).forEach(add);
  return texts.slice(0, 5);
}

// The word-level facts of a failed attempt.
function hints(s, roots, visible) {
  return {
    offers: offers(s, roots), related: related(s, roots, visible),
    alternatives: alternatives(s, roots), menus: closedMenus(), errors: pageErrors(),
  };
}
