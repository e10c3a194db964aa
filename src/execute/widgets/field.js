// clickpath's fill on text fields (framework-controlled ones included) and
// contenteditable rich-text boxes. Execute Async Script.
//
// arguments: [op, el, text, mask, done]
//   op "kind": {kind: "input"|"editable"|"other", type, value (before typing)}
//   op "read": blur the field (a person moves on), wait a frame for the
//              framework to re-render, read the value back, mask a secret
//              if asked, focus the field again: {value, page} (page: the
//              page state, as clickpathPage() reads it)
//   op "set":  the fallback when typing did not stick: the native value
//              setter and an input event (React's value tracker sees a
//              change), or insertText on a contenteditable: {value}
const [op, el, text, mask] = arguments;
const done = arguments[arguments.length - 1];

function kind(e) {
  if (e.localName === "input" || e.localName === "textarea") return "input";
  if (e.isContentEditable) return "editable";
  // A wrapper (role=textbox) around the editable element.
  return deepAll(e).some((x) => x.isContentEditable) ? "editable" : "other";
}

function target(e) {
  if (kind(e) !== "editable" || e.isContentEditable) return e;
  return deepAll(e).find((x) => x.isContentEditable) || e;
}

function valueOf(e) {
  if (kind(e) === "input") return e.value;
  const t = target(e);
  // innerText keeps the line breaks a person typed; a trailing <br> adds one more.
  return (t.innerText || "").replace(/\n$/, "");
}

function hide(e) {
  if (e.type === "password") return;
  e.style.setProperty("-webkit-text-security", "disc", "important");
  if (getComputedStyle(e).webkitTextSecurity !== "disc") {
    e.style.setProperty("color", "transparent", "important");
    e.style.setProperty("text-shadow", "none", "important");
  }
  e.setAttribute("data-clickpath-masked", "");
}

const later = (f) => requestAnimationFrame(() => setTimeout(f, 0));

if (op === "kind") {
  done({ kind: kind(el), type: el.localName === "input" ? (el.type || "text") : el.localName,
    value: kind(el) === "other" ? "" : valueOf(el) });
} else if (op === "read") {
  const t = target(el);
  const had = t === document.activeElement || t.contains(document.activeElement) ||
    (t.getRootNode().activeElement === t);
  t.blur();
  later(() => {
    // Read before masking: innerText of a masked box is its discs.
    const value = valueOf(el);
    if (mask) hide(t);
    if (had && t.isConnected) t.focus({ preventScroll: true });
    done({ value, page: clickpathPage() });
  });
} else {
  const t = target(el);
  t.focus({ preventScroll: true });
  if (kind(el) === "input") {
    const proto = t.localName === "textarea" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(t, text);
    t.dispatchEvent(new Event("input", { bubbles: true }));
    t.dispatchEvent(new Event("change", { bubbles: true }));
  } else {
    const sel = getSelection();
    sel.selectAllChildren(t);
    if (!document.execCommand("insertText", false, text)) t.textContent = text;
  }
  later(() => done({ value: valueOf(el) }));
}
