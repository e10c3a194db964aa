// clickpath's select on native <select>, ARIA comboboxes and listboxes
// (WAI-ARIA APG: select-only combobox, editable combobox with list
// autocomplete, listbox; MUI Select/Autocomplete; Shoelace sl-select).
//
// arguments: [op, el, want]
//   op "inspect": {kind: "native"|"combobox"|"listbox"|"none", control,
//                  type_in (the editable text box, if any), expanded, role}
//   op "find":    {option (element or null), box, stable (the option's
//                 box stayed put across an animation frame), offered: [names], open}
// A promise for "find"; the caller runs it as an async script.
//   op "value":   {ok, shown, page}: whether the control now shows `want`
//                 (a listbox: the selected options' names), read after one
//                 animation frame and one task (a navigation the choice
//                 scheduled has begun by then), and the page state
const [op, el, want] = arguments;

function controlOf(e) {
  const is = (x) => x.localName === "select" ||
    ["combobox", "listbox"].includes(x.getAttribute("role")) ||
    x.getAttribute("aria-haspopup") === "listbox";
  if (is(e)) return e;
  // A host whose shadow root holds the combobox (sl-select), or a wrapper.
  return deepAll(e).find(is) || null;
}

function kindOf(c) {
  if (!c) return "none";
  if (c.localName === "select") return "native";
  return c.getAttribute("role") === "listbox" ? "listbox" : "combobox";
}

// The text box a person types into to filter, if the combobox is editable.
function typeIn(c) {
  const editable = (x) => x.localName === "input" && !x.readOnly && !x.disabled &&
    !["checkbox", "radio", "hidden", "button", "submit"].includes(x.type) &&
    x.getAttribute("aria-hidden") !== "true" && pointable(x);
  if (editable(c)) return c;
  // ARIA 1.1: role=combobox on a wrapper that contains the text box.
  if (c.localName !== "input") return deepAll(c).find(editable) || null;
  return null;
}

// The popups the combobox names (aria-controls / aria-owns), else the last
// shown listbox of the page (a portal at the end of <body>).
function popups(c) {
  if (kindOf(c) === "listbox") return [c];
  const ids = [];
  const carriers = [c, typeIn(c)].filter(Boolean);
  for (let a = up(c); a; a = up(a)) if (a.getAttribute && a.getAttribute("role") === "combobox") carriers.push(a);
  for (const x of carriers) {
    for (const attr of ["aria-controls", "aria-owns"]) {
      ids.push(...(x.getAttribute(attr) || "").split(/\s+/).filter(Boolean));
    }
  }
  const named = ids.map((id) => byId(c, id)).filter((p) => p && shown(p) && p !== c);
  if (named.length) return named;
  const boxes = deepAll(document.documentElement)
    .filter((p) => p.getAttribute("role") === "listbox" && shown(p) && !deepContains(p, c) && !deepContains(c, p));
  return boxes.length ? [boxes[boxes.length - 1]] : [];
}

function optionsOf(c) {
  if (kindOf(c) === "native") return Array.from(c.options);
  const out = [];
  for (const p of popups(c)) {
    for (const o of deepAll(p)) {
      if ((o.getAttribute("role") === "option" || o.localName === "option") && shown(o)) out.push(o);
    }
  }
  return out;
}

function box(e) {
  const r = e.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height };
}

// What the control shows as its value now.
function shownValue(c) {
  if (c.localName === "select") {
    const o = c.options[c.selectedIndex];
    return o ? flat(o.label || o.textContent) : "";
  }
  if (kindOf(c) === "listbox") {
    return deepAll(c).filter((o) => o.getAttribute("role") === "option" &&
      o.getAttribute("aria-selected") === "true").map(optionName).join(", ");
  }
  const t = typeIn(c) || (c.localName === "input" ? c : null);
  if (t) return flat(t.value);
  return flat(c.innerText !== undefined ? c.innerText : c.textContent);
}

function main() {
  const c = controlOf(el);
  if (op === "inspect") {
    return {
      kind: kindOf(c), control: c, type_in: c ? typeIn(c) : null,
      expanded: !!c && c.getAttribute("aria-expanded") === "true",
      role: el.getAttribute("role") || el.localName,
    };
  }
  if (!c) return { option: null, offered: [], open: false, ok: false, shown: "" };
  // A finite animation or transition still running on the option or a
  // box around it (a menu that grows in): the option will still move.
  const growing = (o) => {
    for (let e = o, n = 0; e && n < 12; n++) {
      for (const a of (e.getAnimations ? e.getAnimations() : [])) {
        const t = a.effect && a.effect.getComputedTiming && a.effect.getComputedTiming();
        if (a.playState === "running" && t && Number.isFinite(t.endTime)) return true;
      }
      e = e.parentElement || (e.getRootNode && e.getRootNode().host) || null;
    }
    return false;
  };
  if (op === "find") {
    const opts = optionsOf(c);
    const hit = opts.find((o) => canon(optionName(o)) === canon(want)) || null;
    const answer = {
      option: hit, box: hit ? box(hit) : null, stable: false, open: opts.length > 0,
      offered: opts.map((o) => ({ name: optionName(o), box: box(o), visible: shown(o), tag: o.localName })),
    };
    if (!hit) return answer;
    // Popups animate in: the option is clicked once it stands still.
    return new Promise((r) => { requestAnimationFrame(() => r()); setTimeout(r, 50); }).then(() => {
      const now = box(hit);
      const b = answer.box;
      answer.stable = hit.isConnected && now.x === b.x && now.y === b.y &&
        now.width === b.width && now.height === b.height && !growing(hit);
      answer.box = now;
      return answer;
    });
  }
  // op === "value"
  return new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))).then(() => {
    const now = shownValue(c);
    const w = canon(want), s = canon(now);
    const padded = ` ${s} `.includes(` ${w} `);
    const selected = kindOf(c) === "listbox" && now.split(", ").some((n) => canon(n) === w);
    return { ok: s === w || (w !== "" && padded) || selected, shown: now, page: clickpathPage() };
  });
}

return main();
