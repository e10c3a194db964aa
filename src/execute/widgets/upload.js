// clickpath's upload: the <input type=file> behind a target.
//
// arguments: [op, el]
//   op "find":  {input: the file input (or null), role}: the target itself;
//               the input a <label> controls; one inside the target; else the
//               nearest one in the same container (up to the shadow root)
//   op "files": {count, names}: what the input holds now
const [op, el] = arguments;

const isFile = (x) => x && x.localName === "input" && x.type === "file";

function fileInput(e) {
  if (isFile(e)) return e;
  const lab = e.localName === "label" ? e : e.closest("label");
  if (lab && isFile(lab.control)) return lab.control;
  const ctl = (e.getAttribute("aria-controls") || "").split(/\s+/).filter(Boolean)
    .map((id) => byId(e, id)).find(isFile);
  if (ctl) return ctl;
  for (let a = e; a && a !== document.documentElement; a = up(a)) {
    const found = deepAll(a).filter(isFile);
    if (found.length === 1) return found[0];
    if (found.length > 1) return null; // several: which one is not for us to guess
  }
  return null;
}

if (op === "find") return { input: fileInput(el), role: el.getAttribute("role") || el.localName };
const files = Array.from((isFile(el) && el.files) || []);
return { count: files.length, names: files.map((f) => f.name) };
