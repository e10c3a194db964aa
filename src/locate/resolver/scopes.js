// clickpath resolver, part 3: `within:` scopes, as users name a part of the
// page: a table row or list item by its text, a dialog, a region (landmark,
// section by its heading, table by its caption, fieldset by its legend,
// group by its name), or another locator. When a scope is not found the
// resolver lists the scopes the page has.

function scopeText(w) {
  switch (w.kind) {
    case "row": return `row containing "${w.name}"`;
    case "listitem": return `list item containing "${w.name}"`;
    case "dialog": return w.name ? `dialog "${w.name}"` : "the open dialog";
    case "region": return `region "${w.name}"`;
    default: return "the element it is within";
  }
}

const SECTION_TAGS = ["section", "div", "article", "fieldset", "aside", "form"];

// A section's own heading: a heading or legend that is its child or grandchild.
function sectionHeading(e) {
  if (!SECTION_TAGS.includes(e.localName)) return null;
  const h = e.querySelector("h1, h2, h3, h4, h5, h6, [role=heading], legend");
  return h && (h.parentElement === e || h.parentElement.parentElement === e) ? h : null;
}

// Every visible part of the page a `region:` can name, as [element, name,
// role]: landmarks, groups (fieldset legend), tables (caption), sections by
// their heading. Unnamed landmarks have an empty name.
function regions() {
  const out = [];
  for (const e of deepAll()) {
    const r = roleOf(e);
    const named = LANDMARKS.includes(r) || r === "group" || r === "table" || r === "grid";
    let n = named ? nameOf(e) : "";
    if (!n) { const h = sectionHeading(e); if (h) n = norm(textOf(h)); }
    if ((named && (n || LANDMARKS.includes(r))) || n) {
      if (whyHidden(e) === null) out.push([e, n, r]);
    }
  }
  return out;
}

function dialogs() {
  return all([document.documentElement],
    "dialog, [role=dialog], [role=alertdialog], [aria-modal=true]")
    .filter((e) => whyHidden(e) === null && (e.localName !== "dialog" || e.open));
}

// The visible elements a `within` scope names.
function scopeRoots(w) {
  const visible = (e) => whyHidden(e) === null;
  const loose = { contains: true };
  const exact = { contains: false };
  switch (w.kind) {
    case "row":
      return innermost(all([document.documentElement], "tr, [role=row]")
        .filter((e) => visible(e) && matches(visibleText(e), w.name, loose)));
    case "listitem":
      return innermost(all([document.documentElement], "li, [role=listitem]")
        .filter((e) => visible(e) && matches(visibleText(e), w.name, loose)));
    case "dialog": {
      const ds = dialogs();
      if (!w.name) return ds;
      return ds.filter((d) => matches(nameOf(d), w.name, exact) ||
        all([d], "h1, h2, h3, h4, h5, h6, [role=heading]")
          .some((h) => matches(textOf(h), w.name, exact)));
    }
    case "region": {
      const want = canon(w.name);
      const rs = regions();
      // A landmark role word ("main", "navigation") means that landmark, not a
      // region that happens to be labelled "Main" (a nav aria-label="Main").
      if (LANDMARKS.includes(want)) {
        const byRole = rs.filter(([, , r]) => r === want).map(([e]) => e);
        if (byRole.length > 0) return innermost(byRole);
      }
      return innermost(rs.filter(([, n]) => n && canon(n) === want).map(([e]) => e));
    }
    case "element": {
      const r = resolve(w.target);
      if (r.error) return r;
      return r.matches.filter(visible);
    }
    default: return [];
  }
}

// What the page offers for a scope of this kind, for "no such scope".
function scopesThere(w) {
  const cut = (s) => { const t = norm(s); return t.length > 40 ? t.slice(0, 39) + "…" : t; };
  switch (w.kind) {
    case "region":
      return regions().map(([, n, r]) => (n ? `${r || "region"} "${n}"` : r));
    case "dialog":
      return dialogs().map((d) => label(d));
    case "row":
      return all([document.documentElement], "tr, [role=row]")
        .filter((e) => whyHidden(e) === null && norm(visibleText(e)))
        .map((e) => `row "${cut(visibleText(e))}"`);
    case "listitem":
      return all([document.documentElement], "li, [role=listitem]")
        .filter((e) => whyHidden(e) === null && norm(visibleText(e)))
        .map((e) => `list item "${cut(visibleText(e))}"`);
    default: return [];
  }
}

// Resolve a spec to {roots, matches} or {error: {status, scope, scopes}}.
function resolve(s) {
  let roots = [document.documentElement];
  if (s.within) {
    const r = scopeRoots(s.within);
    if (r.error) return r;
    if (r.length === 0) {
      const there = Array.from(new Set(scopesThere(s.within))).slice(0, 15);
      return { error: { status: "scope_not_found", scope: scopeText(s.within), scopes: there } };
    }
    roots = r;
  }
  return { roots, matches: candidates(s, roots), scope: s.within ? scopeText(s.within) : null };
}
