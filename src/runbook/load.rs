//! Loading runbooks from disk: files -> [`Runbook`]s, `use` expanded, validated.
//!
//! Reads files (refusing binary, non-UTF-8 and oversized ones), hands their
//! text to the YAML layer and the conversion, expands `use` includes (refusing
//! missing files and cycles), then runs validation once per loaded runbook.
//! Walks directories for `check`. Knows nothing of YAML syntax or the browser.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::convert::{self, Item, Parsed, UseStep, PLAIN_NAME};
use super::model::*;
use super::template::{substitute, substitute_step};
use super::validate;
use super::yaml::build_tree;
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest;

/// Largest runbook file accepted, in bytes (1 MiB); larger files are refused
/// without being read further.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Read a runbook file as UTF-8 text, refusing what is not a runbook.
///
/// Never reads more than [`MAX_FILE_BYTES`] + 1 bytes.
pub fn read_source(path: &Path) -> Result<String, Box<Diagnostic>> {
    let cannot = |e: &std::io::Error| {
        Diagnostic::error(path, None, format!("cannot read runbook: {}", io_reason(e)))
    };
    let file = File::open(path).map_err(|e| cannot(&e))?;
    let size = file.metadata().map(|m| m.len()).ok();
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&e))?;
    check_size(
        path,
        size.unwrap_or(bytes.len() as u64).max(bytes.len() as u64),
    )?;
    decode(path, bytes)
}

/// Refuse a runbook of more than [`MAX_FILE_BYTES`], pointing at its start.
fn check_size(path: &Path, size: u64) -> Result<(), Box<Diagnostic>> {
    if size <= MAX_FILE_BYTES {
        return Ok(());
    }
    Err(Diagnostic::error(
        path,
        Some(Span::on_line(1, 1, 1)),
        "file too large for a runbook",
    )
    .with_label(format!(
        "this file is {size} bytes; runbooks are at most {MAX_FILE_BYTES} bytes (1 MiB)"
    ))
    .into())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Box<Diagnostic>> {
    let pos_of = |bytes: &[u8], at: usize| {
        let before = &bytes[..at];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Span::on_line(line, column, 1)
    };
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(Diagnostic::error(
            path,
            Some(pos_of(&bytes, at)),
            "binary file, not a runbook",
        )
        .with_label("found a NUL byte; runbooks are UTF-8 YAML text")
        .into());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(lone_cr_as_newline(
            text.strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text),
        )),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let span = pos_of(e.as_bytes(), at);
            Err(
                Diagnostic::error(path, Some(span), "file is not valid UTF-8")
                    .with_label("runbooks are UTF-8 YAML text")
                    .into(),
            )
        }
    }
}
/// YAML ends a line at a lone `\r` too, `str::lines` does not: make them
/// agree, so a diagnostic's line is the line the renderer shows (found by
/// fuzzing: an error on "line 20" of a file `lines()` counts 18 lines in).
fn lone_cr_as_newline(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// The flow key of a runbook path: the file stem without an `NN-` prefix.
pub fn flow_key(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.split_once('-') {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => stem,
    }
}

/// Loads runbook files, caching parsed includes and reporting each problem once.
struct Loader {
    cache: HashMap<PathBuf, Option<Rc<Parsed>>>,
    texts: HashMap<PathBuf, String>,
    diags: Vec<Diagnostic>,
    seen: HashSet<(PathBuf, Option<Span>, String)>,
    errored: HashSet<PathBuf>,
}

impl Loader {
    fn new() -> Self {
        Loader {
            cache: HashMap::new(),
            texts: HashMap::new(),
            diags: Vec::new(),
            seen: HashSet::new(),
            errored: HashSet::new(),
        }
    }

    fn push(&mut self, d: Diagnostic) {
        if d.is_error() {
            self.errored.insert(d.file.clone());
        }
        if self
            .seen
            .insert((d.file.clone(), d.span, d.message.clone()))
        {
            self.diags.push(d);
        }
    }

    fn parse(&mut self, path: &Path) -> Option<Rc<Parsed>> {
        if let Some(p) = self.cache.get(path) {
            return p.clone();
        }
        let text = match self.texts.get(path) {
            Some(t) => Ok(t.clone()),
            None => read_source(path),
        };
        let parsed = match text {
            Err(d) => {
                self.push(*d);
                None
            }
            Ok(text) => {
                let mut diags = Vec::new();
                let parsed = build_tree(path, &text, &mut diags).and_then(|root| {
                    let (p, mut found) = convert::convert(path, &root);
                    diags.append(&mut found);
                    p
                });
                for d in diags {
                    self.push(d);
                }
                let mut parsed = parsed;
                if let Some(p) = parsed.as_mut().filter(|p| p.provider.is_empty()) {
                    // Not written: the directory's name, which must be a plain name too.
                    p.provider = path
                        .parent()
                        .and_then(Path::file_name)
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if !p.provider.is_empty() && !is_plain_name(&p.provider) {
                        self.push(
                            Diagnostic::error(
                                path,
                                None,
                                format!(
                                    "provider `{}` (the directory's name) is not a plain name",
                                    p.provider
                                ),
                            )
                            .with_label(format!("write `provider:`; {PLAIN_NAME}")),
                        );
                    }
                }
                parsed.map(Rc::new)
            }
        };
        self.cache.insert(path.to_path_buf(), parsed.clone());
        parsed
    }

    /// Load one runbook with `use` expanded and validated; `None` on any error.
    fn load(&mut self, path: &Path) -> Option<Runbook> {
        let before = self.diags.iter().filter(|d| d.is_error()).count();
        let parsed = self.parse(path)?;
        let rb = Runbook {
            path: path.to_path_buf(),
            name: parsed.name.clone(),
            provider: parsed.provider.clone(),
            flow: flow_key(path),
            source: parsed.source.clone(),
            base_url: parsed.base_url.clone(),
            partial: parsed.partial,
            vars: parsed.vars.clone(),
            secrets: parsed.secrets.clone(),
            viewport: parsed.viewport,
            mask: parsed.mask.clone(),
            steps: Vec::new(),
        };
        if !is_plain_name(&rb.flow) {
            self.push(
                Diagnostic::error(
                    path,
                    None,
                    format!("flow `{}` (the file's name) is not a plain name", rb.flow),
                )
                .with_label(format!("rename the file; {PLAIN_NAME}")),
            );
        }
        let mut x = Expansion {
            stack: vec![canonical(path)],
            files: vec![facts(path, &parsed)],
            runbook: rb,
        };
        self.expand(&mut x, &parsed, path, &[], &HashMap::new());
        let loaded = Loaded {
            runbook: x.runbook,
            files: x.files,
        };
        // Validation runs once, on the whole loaded runbook.
        for d in validate::validate_loaded(&loaded) {
            self.push(d);
        }
        let after = self.diags.iter().filter(|d| d.is_error()).count();
        let broken = loaded.files.iter().any(|f| self.errored.contains(&f.file));
        (after == before && !broken).then_some(loaded.runbook)
    }

    /// Append `parsed`'s steps (written in `path`, included through `via`,
    /// with `subst` for its vars) to the runbook being loaded, expanding
    /// each `use` in place.
    fn expand(
        &mut self,
        x: &mut Expansion,
        parsed: &Parsed,
        path: &Path,
        via: &[(PathBuf, Span)],
        subst: &HashMap<String, Template>,
    ) {
        for item in &parsed.items {
            match item {
                Item::Step(step) => {
                    let mut step = (**step).clone();
                    if !subst.is_empty() {
                        substitute_step(&mut step, subst);
                    }
                    step.origin.via = via.to_vec();
                    x.runbook.steps.push(step);
                }
                Item::Use(u) => self.expand_use(x, u, path, via, subst),
            }
        }
    }

    /// Expand one `use` step of `path`: check the included file, carry its
    /// vars and secrets over, then expand its steps.
    fn expand_use(
        &mut self,
        x: &mut Expansion,
        u: &UseStep,
        path: &Path,
        via: &[(PathBuf, Span)],
        subst: &HashMap<String, Template>,
    ) {
        let target = path.parent().unwrap_or(Path::new("")).join(&u.path);
        if !target.is_file() {
            self.push(
                Diagnostic::error(
                    path,
                    Some(u.path_span),
                    format!("`use` of a missing runbook `{}`", u.path),
                )
                .with_label(format!("no such file: {}", target.display())),
            );
            return;
        }
        let canon = canonical(&target);
        if let Some(at) = x.stack.iter().position(|p| *p == canon) {
            let mut chain: Vec<String> = x.stack[at..].iter().map(|p| short(p)).collect();
            chain.push(short(&canon));
            self.push(
                Diagnostic::error(
                    path,
                    Some(u.path_span),
                    format!("circular `use` of `{}`", u.path),
                )
                .with_label(format!("the chain is {}", chain.join(" -> "))),
            );
            return;
        }
        let inc = self
            .parse(&target)
            .filter(|_| !self.errored.contains(&target));
        let Some(inc) = inc else {
            self.push(
                Diagnostic::error(
                    path,
                    Some(u.path_span),
                    format!("`use` of a broken runbook `{}`", u.path),
                )
                .with_label("fix the errors reported for that file"),
            );
            return;
        };
        let mut child = HashMap::new();
        for (k, t) in &u.vars {
            if !inc.vars.iter().any(|d| d.name == k.value) {
                let names: Vec<&str> = inc.vars.iter().map(|d| d.name.as_str()).collect();
                let mut label = format!(
                    "`{}` declares {}",
                    u.path,
                    if names.is_empty() {
                        "no vars".to_string()
                    } else {
                        names.join(", ")
                    }
                );
                label.push_str(&suggest::hint(&k.value, names.iter().copied()));
                self.push(
                    Diagnostic::error(
                        path,
                        Some(k.span),
                        format!("unknown var `{}` for `{}`", k.value, u.path),
                    )
                    .with_label(label),
                );
                continue;
            }
            let mut t = t.clone();
            substitute(&mut t, subst);
            child.insert(k.value.clone(), t);
        }
        let rb = &mut x.runbook;
        for d in &inc.vars {
            if !child.contains_key(&d.name) && !rb.vars.iter().any(|v| v.name == d.name) {
                rb.vars.push(d.clone());
            }
        }
        for s in &inc.secrets {
            if !rb.secrets.iter().any(|v| v.name == s.name) {
                rb.secrets.push(s.clone());
            }
        }
        let mut via2 = via.to_vec();
        via2.push((path.to_path_buf(), u.span));
        if !x.files.iter().any(|f| f.file == target) {
            x.files.push(facts(&target, &inc));
        }
        x.stack.push(canon);
        self.expand(x, &inc, &target, &via2, &child);
        x.stack.pop();
    }
}

/// A runbook being loaded: its steps so far (`use` expanded in place), the
/// files it read, and the chain of files being expanded (for cycles).
struct Expansion {
    runbook: Runbook,
    files: Vec<FileFacts>,
    stack: Vec<PathBuf>,
}

/// What validation needs to know of a parsed file beyond the model.
fn facts(path: &Path, parsed: &Parsed) -> FileFacts {
    FileFacts {
        file: path.to_path_buf(),
        vars: parsed.vars.clone(),
        secrets: parsed.secrets.clone(),
        refs: parsed.refs.clone(),
        destructive_written: parsed.destructive_written.clone(),
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn short(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Load one runbook file: parse, expand `use`, validate.
///
/// Returns the runbook (warnings dropped) or every diagnostic, errors and
/// warnings, when there is at least one error.
pub fn load(path: &Path) -> Result<Runbook, Vec<Diagnostic>> {
    let mut loader = Loader::new();
    let rb = loader.load(path);
    match rb {
        Some(rb) if !loader.diags.iter().any(Diagnostic::is_error) => Ok(rb),
        _ => Err(loader.diags),
    }
}

/// Parse runbook text as if it were the file `path` (for tests and tools).
///
/// `use` steps are resolved on disk relative to `path`.
pub fn parse_str(path: &Path, text: &str) -> Result<Runbook, Vec<Diagnostic>> {
    let mut loader = Loader::new();
    loader.texts.insert(path.to_path_buf(), text.to_string());
    let rb = loader.load(path);
    match rb {
        Some(rb) if !loader.diags.iter().any(Diagnostic::is_error) => Ok(rb),
        _ => Err(loader.diags),
    }
}

/// Parse runbook bytes as if they were the file `path`, with every check
/// [`read_source`] makes (size, NUL bytes, UTF-8) before the YAML is read.
///
/// `use` steps are resolved on disk relative to `path`. This is the entry
/// point of the fuzz target and the property tests: everything a file on
/// disk can contain goes through here.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Runbook, Vec<Diagnostic>> {
    let text = check_size(path, bytes.len() as u64)
        .and_then(|()| decode(path, bytes.to_vec()))
        .map_err(|d| vec![*d])?;
    parse_str(path, &text)
}

/// The runbook files under `paths` (files as given, directories walked in
/// sorted order), with diagnostics for missing paths and skipped non-YAML files.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut diags);
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            diags.push(Diagnostic::error(p, None, "no such file or directory"));
        }
    }
    (files, diags)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, diags: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                dir,
                None,
                format!("cannot read directory: {}", io_reason(&e)),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out, diags);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        } else {
            diags.push(
                Diagnostic::warning(&path, None, "not a runbook, skipped")
                    .with_label("runbook files end in `.yaml`"),
            );
        }
    }
}

/// Load every runbook under `paths` (files, or directories walked in sorted
/// order), returning the runbooks without errors and every diagnostic.
///
/// `partial: true` runbooks are loaded and checked like the others and come
/// back with [`Runbook::partial`] set; runners skip them.
pub fn load_all(paths: &[PathBuf]) -> (Vec<Runbook>, Vec<Diagnostic>) {
    let (files, mut first) = collect_files(paths);
    let mut loader = Loader::new();
    let mut out = Vec::new();
    for f in &files {
        if let Some(rb) = loader.load(f) {
            out.push(rb);
        }
    }
    first.append(&mut loader.diags);
    // Group by file (in the order files were first reported), then by position.
    let mut order: HashMap<PathBuf, usize> = HashMap::new();
    for d in &first {
        let n = order.len();
        order.entry(d.file.clone()).or_insert(n);
    }
    first.sort_by_key(|d| (order.get(&d.file).copied(), d.span.map(|s| s.start)));
    (out, first)
}

/// Count the runbook files [`load_all`] would read under `paths`.
pub fn count_files(paths: &[PathBuf]) -> usize {
    collect_files(paths).0.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    /// Write `text` to `name` in `dir` and return its path.
    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    #[test]
    fn use_expands_with_vars_secrets_and_origin() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let login = write(tmp.path(), "login.yaml", "name: Login\npartial: true\nvars:\n  login_email: {required: true}\n  greeting: {required: true}\nsecrets:\n  password: {env: PW}\nsteps:\n  - doc: \"Say {greeting}\"\n    fill: {label: Email, value: \"{login_email}\"}\n  - doc: Pw\n    fill: {label: Password, secret: password}\n");
        let flow = write(tmp.path(), "10-flow.yaml", "name: Flow\nbase_url: https://x\nvars:\n  customer: {required: true}\nsteps:\n  - doc: Log in\n    use: {runbook: login.yaml, vars: {greeting: \"hi {customer}\"}}\n  - doc: Go\n    goto: /\n");
        let rb = load(&flow).unwrap_or_else(|d| panic!("{d:#?}"));
        assert!(!rb.partial);
        assert_eq!(rb.steps.len(), 3);
        assert_eq!(rb.steps[0].doc.source_text(), "Say hi {customer}");
        assert_eq!(rb.steps[0].origin.file, login);
        assert_eq!(
            rb.steps[0].origin.span.start,
            Pos {
                line: 10,
                column: 5
            }
        );
        assert_eq!(
            rb.steps[0].origin.via,
            vec![(flow.clone(), Span::on_line(7, 5, 3))]
        );
        assert!(rb.steps[2].origin.via.is_empty());
        let vars: Vec<&str> = rb.vars.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(vars, vec!["customer", "login_email"]);
        assert_eq!(rb.secrets.len(), 1);
        let part = load(&login).unwrap_or_else(|d| panic!("{d:#?}"));
        assert!(part.partial);
        let (all, diags) = load_all(&[tmp.path().to_path_buf()]);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn use_with_an_undeclared_var_is_an_error() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(
            tmp.path(),
            "inc.yaml",
            "name: I\npartial: true\nvars:\n  who: x\nsteps:\n  - doc: Go\n    goto: /\n",
        );
        let flow = tmp.path().join("f.yaml");
        let text = "name: F\nbase_url: https://x\nsteps:\n  - doc: Inc\n    use: {runbook: inc.yaml, vars: {woh: y}}\n";
        let d = parse_str(&flow, text).err().unwrap_or_default();
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].message, "unknown var `woh` for `inc.yaml`");
        assert_eq!(d[0].label, "`inc.yaml` declares who. Did you mean `who`?");
    }

    #[test]
    fn an_include_with_an_unknown_var_fails_its_includer_too() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let inc = write(
            tmp.path(),
            "inc.yaml",
            "name: I\npartial: true\nsteps:\n  - doc: \"Hi {who}\"\n    goto: /\n",
        );
        let flow = write(
            tmp.path(),
            "f.yaml",
            "name: F\nbase_url: https://x\nsteps:\n  - doc: Inc\n    use: inc.yaml\n",
        );
        // Whichever file is loaded first, the broken include fails both.
        for order in [[&inc, &flow], [&flow, &inc]] {
            let (all, diags) = load_all(&order.map(|p| p.to_path_buf()));
            assert!(all.is_empty(), "{all:#?}");
            assert_eq!(diags[0].message, "unknown var `who`");
            assert_eq!(diags[0].file, inc);
        }
        let d = load(&flow).err().unwrap_or_default();
        assert_eq!(d.len(), 1, "{d:#?}");
    }

    #[test]
    fn mutated_runbooks_never_panic() {
        // Deterministic mutations of a real runbook: every outcome must be a
        // runbook or diagnostics, never a panic.
        let text = include_str!("../../runbooks/xero/10-invite_user.yaml");
        let chars: Vec<char> = text.chars().collect();
        let inserts = [
            '{', '}', ':', '"', '\'', '[', '-', '\n', ' ', '\t', '#', '&', '*', 'é',
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let path = Path::new("runbooks/xero/10-invite_user.yaml");
        for _ in 0..1500 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % chars.len() as u64) as usize;
            let mut m = chars.clone();
            match seed % 3 {
                0 => {
                    m.remove(at);
                }
                1 => m.insert(at, inserts[(seed >> 8) as usize % inserts.len()]),
                _ => m.truncate(at),
            }
            let text: String = m.into_iter().collect();
            if let Err(diags) = parse_str(path, &text) {
                for d in diags {
                    let _ = d.render(Some(&text));
                }
            }
        }
    }

    #[test]
    fn provider_and_flow_must_be_plain_names() {
        let d = parse_str(
            Path::new("t/x/f.yaml"),
            "name: T\nprovider: ../../../tmp/x\nbase_url: https://x\nsteps:\n  - doc: x\n    goto: /\n",
        )
        .err()
        .unwrap_or_default();
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            d[0].message,
            "provider `../../../tmp/x` is not a plain name"
        );
        assert_eq!(d[0].span, Some(Span::on_line(2, 11, 14)));
        let ok = "name: T\nbase_url: https://x\nsteps:\n  - doc: x\n    goto: /\n";
        let d = parse_str(Path::new("t/my dir/f.yaml"), ok)
            .err()
            .unwrap_or_default();
        assert_eq!(
            d.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
            vec!["provider `my dir` (the directory's name) is not a plain name"]
        );
        let d = parse_str(Path::new("t/x/a b.yaml"), ok)
            .err()
            .unwrap_or_default();
        assert_eq!(
            d.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
            vec!["flow `a b` (the file's name) is not a plain name"]
        );
        let with =
            "name: T\nprovider: xero\nbase_url: https://x\nsteps:\n  - doc: x\n    goto: /\n";
        let rb = parse_str(Path::new("t/my dir/f.yaml"), with).unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(rb.provider, "xero");
        assert!(parse_str(Path::new("f.yaml"), ok).is_ok());
    }

    #[test]
    fn flow_key_strips_numeric_prefix() {
        assert_eq!(flow_key(Path::new("a/10-invite_user.yaml")), "invite_user");
        assert_eq!(flow_key(Path::new("a/login.yaml")), "login");
        assert_eq!(flow_key(Path::new("a/x-y.yaml")), "x-y");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_yaml_says() {
        let text = decode(Path::new("b"), b"a: 1\rb: 2\r\nc: 3".to_vec()).ok();
        assert_eq!(text.as_deref(), Some("a: 1\nb: 2\r\nc: 3"));
        let Err(d) = parse_str(Path::new("b.yaml"), "name: x\rbase_url: y\r  z: : :\r") else {
            panic!("accepted");
        };
        assert!(d.iter().all(|d| d.span.is_some()), "{d:#?}");
    }

    #[test]
    fn non_utf8_and_binary_are_refused() {
        let d = decode(Path::new("b"), b"name: \xff\n".to_vec()).err();
        assert_eq!(
            d.map(|d| (d.message, d.span)),
            Some((
                "file is not valid UTF-8".to_string(),
                Some(Span::on_line(1, 7, 1))
            ))
        );
        let d = decode(Path::new("b"), b"ab\0".to_vec()).err();
        assert_eq!(
            d.map(|d| d.message),
            Some("binary file, not a runbook".to_string())
        );
    }
}
