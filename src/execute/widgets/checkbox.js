// clickpath's check/uncheck on native checkboxes, role=switch, aria-checked
// controls and styled checkboxes whose native input is hidden or covered.
//
// arguments: [op, el]
//   op "state":  {checked, page} after one animation frame and one task (so
//                a navigation the click scheduled has begun: page.leaving),
//                page as clickpathPage() reads it; a promise (async script)
//   op "target": {checked, click (what a person would click, or null),
//                 covered (what receives the click instead, when nothing does)}
const [op, el] = arguments;

// What a person would click to toggle `e`: the control itself when a click
// at its centre reaches it; else its label; else a visible wrapper
// (a <label> or role=checkbox/switch around it, or the element it sits in).
function clickTarget(e) {
  if (pointable(e) && receives(e)) return { click: e };
  const tries = [];
  if (e.labels) tries.push(...Array.from(e.labels));
  const lb = (e.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
  tries.push(...lb.map((id) => byId(e, id)).filter(Boolean));
  let a = up(e);
  for (let i = 0; a && i < 3 && a !== document.body; i++, a = up(a)) tries.push(a);
  for (const t of tries) {
    if (t.localName === "form" || t.localName === "fieldset") break;
    if (pointable(t) && receives(t)) return { click: t };
  }
  const first = [e].concat(tries).find(pointable) || e;
  return { click: null, covered: shown(first) ? coveredBy(first) : "nothing (it is not rendered)" };
}

// The control itself: `el`, or the one checkbox-like control inside it (a
// web component's host, a wrapper the locator named).
function controlOf(e) {
  const is = (x) => (x.localName === "input" && (x.type === "checkbox" || x.type === "radio")) ||
    ["checkbox", "switch", "radio", "menuitemcheckbox", "menuitemradio"].includes(x.getAttribute("role")) ||
    x.hasAttribute("aria-checked");
  if (is(e)) return e;
  return deepAll(e).find(is) || e;
}

const c = controlOf(el);
if (op === "state") {
  return new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))
    .then(() => ({ checked: checkedOf(c), page: clickpathPage() }));
}
return Object.assign({ checked: checkedOf(c) }, clickTarget(c));
