// Documentation words as clickpath compares them, shared by the resolver
// (locate.rs) and the widget scripts (execute/widgets.rs) so both sides of
// every comparison go through one normalisation (README "Matching
// documentation words"): Unicode NFKC; typographic quotes, apostrophes and
// dashes to ASCII; zero-width characters, icon-font glyphs (private use
// area) and pictographs (☑ ✓ ★: Unicode symbols, which styled checkboxes and
// icon buttons draw) dropped; whitespace collapsed; a trailing ':' and
// required markers ('*', '(required)') stripped; case folded.

function canon(s) {
  let t = (s || "").normalize("NFKC")
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, "\"")
    .replace(/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, "-")
    .replace(/[\u200b\u200c\u200d\u2060\ufeff\ue000-\uf8ff]/g, "")
    .replace(/\p{So}/gu, " ")
    .replace(/\s+/g, " ").trim();
  for (;;) {
    const u = t.replace(/\s*(?::|\*|\(\s*required\s*\))$/i, "");
    if (u === t) break;
    t = u;
  }
  return t.toLowerCase();
}

// Whether the page's words `text` are the wanted words (or contain them).
function matches(text, wanted, s) {
  const a = canon(text), b = canon(wanted);
  if (!b) return false;
  return s.contains ? a.includes(b) : a === b;
}

