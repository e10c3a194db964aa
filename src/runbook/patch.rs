//! Runbook patches: [`Edit`]s applied to a runbook file's text.
//!
//! A drift diagnosis proposes an [`Edit`] of one step's locator; this module
//! writes it into the file the step is written in, touching only the edited
//! scalars and keys (or inserting whole lines), so comments, key order,
//! quoting and flow or block style stay as the author wrote them. Steps are
//! found by the line of their action key (`click:`), which is the line the
//! manifest records as the step's `source.line`; the line of the step's first
//! key (`- doc:`) is accepted too. The result is checked to load, and
//! [`Patch::diff`] shows it as a unified diff.
//!
//! Works on the spanned YAML tree, never on the model; knows nothing of the
//! browser, the diagnosis or the manifest.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::convert::ACTIONS;
use super::edit::Edit;
use super::load::{parse_str, read_source};
use super::model::By;
use super::template;
use super::yaml::{build_tree, get, node_entries, Node, Scalar};

/// Lines of context around each hunk of a diff.
pub const CONTEXT_LINES: usize = 3;

/// The `doc:` of a step a [`Edit::RevealFirst`] inserts ends with this.
pub const ADDED_BY: &str = "(added by clickpath fix)";

/// A runbook file before and after its edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// The runbook file, as the edits named it.
    pub file: PathBuf,
    /// Its text now.
    pub before: String,
    /// Its text with the edits applied.
    pub after: String,
}

impl Patch {
    /// Whether the edits change nothing (they are already in the file).
    pub fn is_empty(&self) -> bool {
        self.before == self.after
    }

    /// The unified diff (`--- a/<file>`, `+++ b/<file>`, [`CONTEXT_LINES`]
    /// lines of context); empty when nothing changes.
    pub fn diff(&self) -> String {
        unified_diff(&self.file, &self.before, &self.after)
    }
}

/// Why an edit could not be applied: where, and what was in the way.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: cannot {edit}: {kind}", .file.display())]
pub struct PatchError {
    /// The runbook file.
    pub file: PathBuf,
    /// The step's line the edit was meant for.
    pub line: usize,
    /// The edit, in words (`use button "Invite user"`).
    pub edit: String,
    /// What was in the way.
    pub kind: PatchErrorKind,
}

/// What kept an edit from being applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatchErrorKind {
    /// The file could not be read as a runbook.
    #[error("cannot read the runbook: {0}")]
    Read(String),
    /// The file is not YAML any more.
    #[error("the runbook is not valid YAML: {0}")]
    NotYaml(String),
    /// No step's action key (nor first key) is on the line.
    #[error("no step is written on this line; the runbook changed since the run")]
    NoStep,
    /// The step's action has no locator mapping.
    #[error("the `{0}` step has no locator mapping to edit")]
    NoLocator(String),
    /// The text to edit is written in a way the patcher does not rewrite.
    #[error("{0}; edit it by hand")]
    Layout(String),
    /// The edit names a locator kind or scope that does not exist.
    #[error("`{0}` is not a locator kind or scope")]
    UnknownKind(String),
    /// The locator already has a `within:` scope.
    #[error("the locator already has `within:`; choose the scope by hand")]
    AlreadyScoped,
    /// [`Edit::Option`] on a step without `option:`.
    #[error("the step has no `option:` to change")]
    NoOption,
    /// Two edits change the same text.
    #[error("another edit changes the same text")]
    Overlap,
    /// The patched text does not load.
    #[error("the patched runbook would not load: {0}")]
    Broken(String),
}

/// Read `file` and apply `edits` (each: the step's source line, the edit).
///
/// This is the one entry point for every source of edits: the failed step's
/// diagnosis after a run, and steps healed interactively. `vars` are the
/// run's vars (secrets redacted): a `{var}` the old words used is kept when
/// the new words still contain its value.
pub fn patch_file(
    file: &Path,
    edits: &[(usize, Edit)],
    vars: &BTreeMap<String, String>,
) -> Result<Patch, PatchError> {
    let before = read_source(file).map_err(|d| PatchError {
        file: file.to_path_buf(),
        line: edits.first().map_or(0, |(l, _)| *l),
        edit: edits
            .first()
            .map(|(_, e)| e.to_string())
            .unwrap_or_default(),
        kind: PatchErrorKind::Read(d.message.clone()),
    })?;
    let after = apply(file, &before, edits, vars)?;
    Ok(Patch {
        file: file.to_path_buf(),
        before,
        after,
    })
}

/// Apply `edits` to `text`, the content of runbook `file`; returns the new
/// text, which loads whenever `text` did.
pub fn apply(
    file: &Path,
    text: &str,
    edits: &[(usize, Edit)],
    vars: &BTreeMap<String, String>,
) -> Result<String, PatchError> {
    let fail = |line: usize, edit: &Edit, kind| PatchError {
        file: file.to_path_buf(),
        line,
        edit: edit.to_string(),
        kind,
    };
    let Some((first_line, first)) = edits.first() else {
        return Ok(text.to_string());
    };
    let mut diags = Vec::new();
    let Some(root) = build_tree(file, text, &mut diags) else {
        let why = diags.first().map(|d| d.message.clone()).unwrap_or_default();
        return Err(fail(*first_line, first, PatchErrorKind::NotYaml(why)));
    };
    let src = Source::new(text);
    let mut changes: Vec<Change> = Vec::new();
    for (line, edit) in edits {
        let found = src
            .changes(&root, *line, edit, vars)
            .map_err(|k| fail(*line, edit, k))?;
        for c in found {
            if changes.iter().any(|o| o.overlaps(&c)) {
                return Err(fail(*line, edit, PatchErrorKind::Overlap));
            }
            changes.push(c);
        }
    }
    // Back to front, so earlier offsets stay valid; inserts at one place
    // keep their order.
    changes.sort_by_key(|c| (c.start, c.end));
    let mut out = text.to_string();
    for c in changes.iter().rev() {
        out.replace_range(c.start..c.end, &c.text);
    }
    if parse_str(file, text).is_ok() {
        if let Err(d) = parse_str(file, &out) {
            let why = d
                .iter()
                .find(|d| d.is_error())
                .map(|d| d.message.clone())
                .unwrap_or_default();
            return Err(fail(*first_line, first, PatchErrorKind::Broken(why)));
        }
    }
    Ok(out)
}

/// A unified diff of `before` and `after` with `a/` and `b/` headers.
pub fn unified_diff(file: &Path, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let name = file.display().to_string();
    let name = name.trim_start_matches("./");
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(CONTEXT_LINES)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// One replacement of bytes `start..end` by `text`.
#[derive(Debug)]
struct Change {
    start: usize,
    end: usize,
    text: String,
}

impl Change {
    fn overlaps(&self, other: &Change) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The runbook text with its line starts, to turn positions into offsets.
struct Source<'a> {
    text: &'a str,
    starts: Vec<usize>,
    newline: &'static str,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Source {
            text,
            starts,
            newline,
        }
    }

    /// Line `line` (1-based) without its line end.
    fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset of 1-based `line`, `column` (in characters).
    fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let l = self.line(line);
        let skip = column.checked_sub(1)?;
        match l.char_indices().nth(skip) {
            Some((i, _)) => Some(start + i),
            None if l.chars().count() == skip => Some(start + l.len()),
            None => None,
        }
    }

    /// The byte range of a one-line scalar as written (quotes included).
    fn scalar_range(&self, s: &Scalar, what: &str) -> Result<(usize, usize), PatchErrorKind> {
        let layout = || PatchErrorKind::Layout(format!("`{what}` is written across lines"));
        let (start, end) = (s.span.start, s.span.end);
        let a = self.offset(start.line, start.column).ok_or_else(layout)?;
        let b = self.offset(end.line, end.column).ok_or_else(layout)?;
        let written = &self.text[a..b];
        let ok = if s.quoted {
            let q = written.chars().next();
            matches!(q, Some('"' | '\''))
                && written.len() >= 2
                && written.ends_with(q.unwrap_or('"'))
        } else {
            s.exact_col == Some(start.column) && written == s.value
        };
        if ok {
            Ok((a, b))
        } else {
            Err(layout())
        }
    }

    /// Whether the mapping whose first key is `first` is written in flow
    /// style (`{button: Save}`): the text before it ends in `{` or `,`.
    fn is_flow(&self, first: &Scalar) -> bool {
        let line = first.span.start.line;
        let before: String = self
            .line(line)
            .chars()
            .take(first.span.start.column.saturating_sub(1))
            .collect();
        let mut last = before.trim_end().chars().last();
        let mut l = line;
        while last.is_none() && l > 1 {
            l -= 1;
            let text = self.line(l);
            let code = match text.find(" #") {
                Some(i) => &text[..i],
                None if text.trim_start().starts_with('#') => "",
                None => text,
            };
            last = code.trim_end().chars().last();
        }
        matches!(last, Some('{' | ','))
    }

    /// The byte offset of the start of the line after `line`.
    fn after_line(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The changes that make `edit` of the step written on `line`.
    fn changes(
        &self,
        root: &Node,
        line: usize,
        edit: &Edit,
        vars: &BTreeMap<String, String>,
    ) -> Result<Vec<Change>, PatchErrorKind> {
        let step = find_step(root, line).ok_or(PatchErrorKind::NoStep)?;
        if let Edit::RevealFirst { by, name } = edit {
            return self.reveal_first(&step, by, name);
        }
        if let Edit::Option { name } = edit {
            let (_, option) = node_entries(step.value)
                .iter()
                .find(|(k, _)| k.value == "option" && step.action.value == "select")
                .ok_or(PatchErrorKind::NoOption)?;
            return Ok(vec![self.replace_words(option, "option", name, vars)?]);
        }
        let loc = step.locator()?;
        let entries = node_entries(loc);
        let (key, value) = step.target(entries)?;
        let flow = self.is_flow(&entries[0].0);
        match edit {
            Edit::Rename { by, name } => {
                if !By::ALL.iter().any(|b| b.keyword() == by) {
                    return Err(PatchErrorKind::UnknownKind(by.clone()));
                }
                let mut out = vec![self.replace_words(value, &key.value, name, vars)?];
                if key.value != *by {
                    let (a, b) = self.scalar_range(key, &key.value)?;
                    out.push(Change {
                        start: a,
                        end: b,
                        text: by.clone(),
                    });
                }
                Ok(out)
            }
            Edit::Nth { nth } => match entries.iter().find(|(k, _)| k.value == "nth") {
                Some((_, Node::Scalar(s))) => {
                    let (a, b) = self.scalar_range(s, "nth")?;
                    Ok(vec![Change {
                        start: a,
                        end: b,
                        text: nth.to_string(),
                    }])
                }
                Some(_) => Err(PatchErrorKind::Layout("`nth:` is not a number".into())),
                None => Ok(vec![self.add_field(
                    key,
                    value,
                    flow,
                    "nth",
                    &nth.to_string(),
                )?]),
            },
            Edit::Within { scope, name } => {
                if get(entries, "within").is_some() {
                    return Err(PatchErrorKind::AlreadyScoped);
                }
                let scopes = ["row", "dialog", "region", "listitem"];
                if !scopes.contains(&scope.as_str())
                    && !By::ALL.iter().any(|b| b.keyword() == scope)
                {
                    return Err(PatchErrorKind::UnknownKind(scope.clone()));
                }
                let words = if scope == "dialog" && name.is_empty() {
                    "true".to_string()
                } else {
                    yaml_words(&template_text(name, None, vars), None, true)
                };
                let scoped = format!("{{{scope}: {words}}}");
                Ok(vec![self.add_field(key, value, flow, "within", &scoped)?])
            }
            Edit::Option { .. } | Edit::RevealFirst { .. } => Ok(Vec::new()),
        }
    }

    /// Replace the words of scalar `node` (the value of `what`) by `name`.
    fn replace_words(
        &self,
        node: &Node,
        what: &str,
        name: &str,
        vars: &BTreeMap<String, String>,
    ) -> Result<Change, PatchErrorKind> {
        let Node::Scalar(s) = node else {
            return Err(PatchErrorKind::Layout(format!("`{what}` is not text")));
        };
        let (a, b) = self.scalar_range(s, what)?;
        let quote = s.quoted.then(|| self.text[a..].chars().next()).flatten();
        let flow = self.is_flow_value(a);
        let new = template_text(name, Some(&s.value), vars);
        Ok(Change {
            start: a,
            end: b,
            text: yaml_words(&new, quote, flow),
        })
    }

    /// Whether the value starting at byte `at` sits inside a flow mapping:
    /// an unclosed `{` precedes it on its line.
    fn is_flow_value(&self, at: usize) -> bool {
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.text[line_start..at];
        before.matches('{').count() > before.matches('}').count()
    }

    /// Add `field: value` to the locator whose kind is `key: value`: after
    /// the value in a flow mapping, on the next line in a block one.
    fn add_field(
        &self,
        key: &Scalar,
        value: &Node,
        flow: bool,
        field: &str,
        text: &str,
    ) -> Result<Change, PatchErrorKind> {
        let Node::Scalar(s) = value else {
            return Err(PatchErrorKind::Layout(format!(
                "`{}` is not text",
                key.value
            )));
        };
        if flow {
            let (_, b) = self.scalar_range(s, &key.value)?;
            return Ok(Change {
                start: b,
                end: b,
                text: format!(", {field}: {text}"),
            });
        }
        let at = self.after_line(s.span.start.line);
        let indent = " ".repeat(key.span.start.column.saturating_sub(1));
        let lead = if at == self.text.len() && !self.text.ends_with('\n') {
            self.newline
        } else {
            ""
        };
        Ok(Change {
            start: at,
            end: at,
            text: format!("{lead}{indent}{field}: {text}{}", self.newline),
        })
    }

    /// Insert `click: {<by>: <name>}` as a new step before `step`, at its
    /// indentation; nothing when the step before already does that.
    fn reveal_first(
        &self,
        step: &StepAt<'_>,
        by: &str,
        name: &str,
    ) -> Result<Vec<Change>, PatchErrorKind> {
        if !By::ALL.iter().any(|b| b.keyword() == by) {
            return Err(PatchErrorKind::UnknownKind(by.to_string()));
        }
        // Applied already: the step before clicks it, or (the recorded line
        // now falls on the inserted step) this step is that click.
        if step.clicks(step.previous, by, name) || step.clicks(Some(step.node), by, name) {
            return Ok(Vec::new());
        }
        let first = &step.entries[0].0;
        let line = first.span.start.line;
        let prefix: String = self
            .line(line)
            .chars()
            .take(first.span.start.column.saturating_sub(1))
            .collect();
        if prefix.trim() != "-" {
            return Err(PatchErrorKind::Layout(
                "the step is not written as `- key: value` lines".into(),
            ));
        }
        let indent = " ".repeat(prefix.chars().count());
        let words = template_text(name, None, &BTreeMap::new());
        let doc = yaml_words(&format!("Click **{words}** {ADDED_BY}"), None, false);
        let click = yaml_words(&words, None, true);
        let nl = self.newline;
        let at = self.starts.get(line - 1).copied().unwrap_or(0);
        Ok(vec![Change {
            start: at,
            end: at,
            text: format!("{prefix}doc: {doc}{nl}{indent}click: {{{by}: {click}}}{nl}"),
        }])
    }
}

/// A step found in the tree: its entries, its action and the step before.
struct StepAt<'n> {
    node: &'n Node,
    entries: &'n [(Scalar, Node)],
    action: &'n Scalar,
    value: &'n Node,
    previous: Option<&'n Node>,
}

impl<'n> StepAt<'n> {
    /// The mapping that names the element: the action's value, or for
    /// `expect` its `absent:`, `checked:` or `unchecked:`.
    fn locator(&self) -> Result<&'n Node, PatchErrorKind> {
        let mut node = self.value;
        if self.action.value == "expect" {
            let inner = ["absent", "checked", "unchecked"]
                .iter()
                .find_map(|k| get(node_entries(node), k));
            if let Some(inner) = inner {
                node = inner;
            }
        }
        match node {
            Node::Map(entries, _) if !entries.is_empty() => Ok(node),
            _ => Err(PatchErrorKind::NoLocator(self.action.value.clone())),
        }
    }

    /// The locator kind's key and value (`button: Invite a user`), skipping
    /// the action's own fields (`select`'s `option`, `fill`'s `value`).
    fn target<'m>(
        &self,
        entries: &'m [(Scalar, Node)],
    ) -> Result<(&'m Scalar, &'m Node), PatchErrorKind> {
        let own: &[&str] = match self.action.value.as_str() {
            "fill" => &["value", "secret"],
            "select" => &["option"],
            "totp" => &["secret"],
            "upload" => &["file"],
            "press" => &["key"],
            "expect" => &["url", "title", "absent", "checked", "unchecked"],
            _ => &[],
        };
        entries
            .iter()
            .find(|(k, _)| {
                !own.contains(&k.value.as_str()) && By::ALL.iter().any(|b| b.keyword() == k.value)
            })
            .map(|(k, v)| (k, v))
            .ok_or_else(|| PatchErrorKind::NoLocator(self.action.value.clone()))
    }

    /// Whether `step` clicks `{by: name}`.
    fn clicks(&self, step: Option<&Node>, by: &str, name: &str) -> bool {
        let Some(step) = step else {
            return false;
        };
        let click = get(node_entries(step), "click").map(node_entries);
        matches!(click.and_then(|c| get(c, by)), Some(Node::Scalar(s)) if s.value == name)
    }
}

/// The step whose action key (or first key) is written on `line`.
fn find_step(root: &Node, line: usize) -> Option<StepAt<'_>> {
    let Some(Node::Seq(items, _)) = get(node_entries(root), "steps") else {
        return None;
    };
    let mut previous = None;
    for item in items {
        let entries = node_entries(item);
        let action = entries
            .iter()
            .find(|(k, _)| ACTIONS.contains(&k.value.as_str()));
        let first = entries.first().map(|(k, _)| k.span.start.line);
        if let Some((k, v)) = action {
            if k.span.start.line == line || first == Some(line) {
                return Some(StepAt {
                    node: item,
                    entries,
                    action: k,
                    value: v,
                    previous,
                });
            }
        }
        previous = Some(item);
    }
    None
}

/// `name` as template text: literal braces doubled, and the value of a var
/// the old template (`old`) referenced put back as `{var}` when `name`
/// contains it.
fn template_text(name: &str, old: Option<&str>, vars: &BTreeMap<String, String>) -> String {
    let escape = |s: &str| s.replace('{', "{{").replace('}', "}}");
    let mut out = escape(name);
    let Some(old) = old else { return out };
    let parsed = template::parse(old, crate::diagnostic::Span::default(), None);
    for var in parsed.template.references() {
        let Some(value) = vars.get(var).filter(|v| !v.is_empty() && *v != "***") else {
            continue;
        };
        let value = escape(value);
        if let Some(i) = out.find(&value) {
            out.replace_range(i..i + value.len(), &format!("{{{var}}}"));
        }
    }
    out
}

/// `words` as a YAML scalar: in the quotes the old scalar used (`quote`),
/// else plain when that reads back as the same text, else double-quoted.
/// `flow`: the scalar sits inside `{...}`, where `,[]{}` end a plain scalar.
fn yaml_words(words: &str, quote: Option<char>, flow: bool) -> String {
    let controls = words.chars().any(char::is_control);
    match quote {
        Some('\'') if !controls => format!("'{}'", words.replace('\'', "''")),
        Some(_) => double_quoted(words),
        None if plain_is_safe(words, flow) => words.to_string(),
        None => double_quoted(words),
    }
}

fn double_quoted(words: &str) -> String {
    let mut out = String::from("\"");
    for c in words.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `words` written plain read back as the same text (not a bool,
/// a number, null, a comment, a mapping or an alias).
fn plain_is_safe(words: &str, flow: bool) -> bool {
    let Some(first) = words.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    let lower = words.to_lowercase();
    let numeric = words.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with(".inf")
        || lower == ".nan";
    let bad = |c: char| {
        matches!(c, ':' | '#' | '"' | '\\') || c.is_control() || (flow && "{}[],".contains(c))
    };
    first.is_alphanumeric()
        && !words.ends_with(char::is_whitespace)
        && !words.chars().any(bad)
        && !reserved.contains(&lower.as_str())
        && !numeric
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "name: T\nbase_url: https://x\nvars:\n  customer: {default: acme}\nsteps:\n";

    fn vars() -> BTreeMap<String, String> {
        BTreeMap::from([("customer".to_string(), "acme".to_string())])
    }

    /// Apply `edits` to `HEAD + steps`; the result must load and validate.
    fn patched(steps: &str, edits: &[(usize, Edit)]) -> Result<String, PatchError> {
        let text = format!("{HEAD}{steps}");
        let file = Path::new("t/x/flow.yaml");
        parse_str(file, &text).unwrap_or_else(|d| panic!("the input loads: {d:#?}"));
        let out = apply(file, &text, edits, &vars())?;
        parse_str(file, &out).unwrap_or_else(|d| panic!("the output loads: {d:#?}\n{out}"));
        Ok(out.strip_prefix(HEAD).unwrap_or(&out).to_string())
    }

    fn rename(by: &str, name: &str) -> Edit {
        Edit::Rename {
            by: by.into(),
            name: name.into(),
        }
    }

    #[test]
    fn rename_changes_the_words_in_a_flow_locator_and_keeps_comments() {
        let steps = "  # open the form\n  - doc: Click **Invite a User**.\n    click: {button: Invite a user} # the blue one\n    destructive: false\n";
        let out = patched(steps, &[(7, rename("button", "Invite user"))]);
        assert_eq!(
            out.ok().as_deref(),
            Some("  # open the form\n  - doc: Click **Invite a User**.\n    click: {button: Invite user} # the blue one\n    destructive: false\n")
        );
    }

    #[test]
    fn the_doc_line_finds_the_step_too() {
        let steps = "  - doc: Click **Save**\n    click: {button: Save}\n";
        let out = patched(steps, &[(6, rename("button", "Save changes"))]);
        assert_eq!(
            out.ok().as_deref(),
            Some("  - doc: Click **Save**\n    click: {button: Save changes}\n")
        );
    }

    #[test]
    fn rename_changes_the_kind_and_words_in_a_block_locator() {
        let steps = "  - doc: Open **Users**\n    click:\n      button: Users\n      within: {region: Users}\n";
        let out = patched(steps, &[(7, rename("link", "All users"))]);
        assert_eq!(
            out.ok().as_deref(),
            Some("  - doc: Open **Users**\n    click:\n      link: All users\n      within: {region: Users}\n")
        );
    }

    #[test]
    fn rename_quotes_words_yaml_would_misread_and_keeps_quotes() {
        let steps = "  - doc: Save\n    click: {button: Save}\n  - doc: Go\n    click: {link: \"Go\"}\n  - doc: Back\n    click: {link: 'Back'}\n";
        let out = patched(
            steps,
            &[
                (7, rename("button", "Save: all, now #1")),
                (9, rename("link", "Go \"there\"")),
                (11, rename("link", "It's back")),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.contains("click: {button: \"Save: all, now #1\"}"),
            "{out}"
        );
        assert!(out.contains("click: {link: \"Go \\\"there\\\"\"}"), "{out}");
        assert!(out.contains("click: {link: 'It''s back'}"), "{out}");
        for words in ["*All", "{x}", "true", "12", "a, b"] {
            let out =
                patched(steps, &[(7, rename("button", words))]).unwrap_or_else(|e| panic!("{e}"));
            let rb = parse_str(Path::new("t/x/flow.yaml"), &format!("{HEAD}{out}"))
                .unwrap_or_else(|d| panic!("{d:#?}"));
            let t = rb.steps[0].action.target().map(|t| t.name.source_text());
            assert_eq!(t.as_deref(), Some(words), "{out}");
        }
    }

    #[test]
    fn fill_and_select_keep_their_own_fields_and_option_changes_option() {
        let steps = "  - doc: Email\n    fill: {label: Email, value: \"dp-{customer}@x.ai\"}\n  - doc: Role\n    select: {label: Projects, option: Admin}\n";
        let out = patched(
            steps,
            &[
                (7, rename("label", "Email address")),
                (
                    9,
                    Edit::Option {
                        name: "Administrator".into(),
                    },
                ),
            ],
        );
        assert_eq!(
            out.ok().as_deref(),
            Some("  - doc: Email\n    fill: {label: Email address, value: \"dp-{customer}@x.ai\"}\n  - doc: Role\n    select: {label: Projects, option: Administrator}\n")
        );
        let e = patched(steps, &[(7, Edit::Option { name: "X".into() })]).err();
        assert_eq!(e.map(|e| e.kind), Some(PatchErrorKind::NoOption));
    }

    #[test]
    fn a_var_in_the_old_words_is_kept_when_the_new_words_have_its_value() {
        let steps = "  - doc: Row\n    expect: {text: \"dp-{customer}@x.ai\"}\n";
        let out = patched(steps, &[(7, rename("text", "Invited dp-acme@x.ai"))]);
        assert_eq!(
            out.ok().as_deref(),
            Some("  - doc: Row\n    expect: {text: \"Invited dp-{customer}@x.ai\"}\n")
        );
        let out = patched(steps, &[(7, rename("text", "dp-other@x.ai {x}"))]);
        assert_eq!(
            out.ok().as_deref(),
            Some("  - doc: Row\n    expect: {text: \"dp-other@x.ai {{x}}\"}\n")
        );
    }

    #[test]
    fn nth_is_added_in_flow_and_block_style_and_changed_when_there() {
        let flow = "  - doc: Send\n    click: {button: Send, within: {region: Form}}\n";
        assert_eq!(
            patched(flow, &[(7, Edit::Nth { nth: 2 })]).ok().as_deref(),
            Some("  - doc: Send\n    click: {button: Send, nth: 2, within: {region: Form}}\n")
        );
        let block =
            "  - doc: Send\n    click:\n      button: Send # blue\n  - doc: Go\n    goto: /\n";
        assert_eq!(
            patched(block, &[(7, Edit::Nth { nth: 2 })]).ok().as_deref(),
            Some("  - doc: Send\n    click:\n      button: Send # blue\n      nth: 2\n  - doc: Go\n    goto: /\n")
        );
        let has = "  - doc: Send\n    click: {button: Send, nth: 1}\n";
        assert_eq!(
            patched(has, &[(7, Edit::Nth { nth: 3 })]).ok().as_deref(),
            Some("  - doc: Send\n    click: {button: Send, nth: 3}\n")
        );
    }

    #[test]
    fn within_adds_a_scope_unless_there_is_one() {
        let steps = "  - doc: Remove\n    click: {button: Remove}\n";
        let out = patched(
            steps,
            &[(
                7,
                Edit::Within {
                    scope: "row".into(),
                    name: "Ann: admin".into(),
                },
            )],
        );
        assert_eq!(
            out.ok().as_deref(),
            Some("  - doc: Remove\n    click: {button: Remove, within: {row: \"Ann: admin\"}}\n")
        );
        let scoped = "  - doc: Remove\n    click: {button: Remove, within: {row: Bob}}\n";
        let e = patched(
            scoped,
            &[(
                7,
                Edit::Within {
                    scope: "row".into(),
                    name: "Ann".into(),
                },
            )],
        )
        .err();
        assert_eq!(e.map(|e| e.kind), Some(PatchErrorKind::AlreadyScoped));
    }

    #[test]
    fn reveal_first_inserts_a_step_at_the_same_indentation_once() {
        let steps = "  - doc: Open\n    goto: /\n  # the invite button\n  - doc: Click **Invite**\n    click: {button: Invite a user}\n";
        let edit = Edit::RevealFirst {
            by: "button".into(),
            name: "More".into(),
        };
        let out = patched(steps, &[(10, edit.clone())]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out,
            "  - doc: Open\n    goto: /\n  # the invite button\n  - doc: Click **More** (added by clickpath fix)\n    click: {button: More}\n  - doc: Click **Invite**\n    click: {button: Invite a user}\n"
        );
        // Applied again to the patched file (the step moved two lines down):
        // nothing more to add.
        let file = Path::new("t/x/flow.yaml");
        let text = format!("{HEAD}{out}");
        let again =
            apply(file, &text, &[(12, edit.clone())], &vars()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, text);
        // At the recorded line, which now holds the inserted click: nothing either.
        let again = apply(file, &text, &[(10, edit)], &vars()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, text);
    }

    #[test]
    fn expect_absent_edits_the_inner_locator() {
        let steps = "  - doc: Gone\n    expect: {absent: {button: Delete}}\n";
        assert_eq!(
            patched(steps, &[(7, rename("button", "Remove"))])
                .ok()
                .as_deref(),
            Some("  - doc: Gone\n    expect: {absent: {button: Remove}}\n")
        );
    }

    #[test]
    fn edits_that_cannot_apply_name_the_file_line_and_why() {
        let steps = "  - doc: Open\n    goto: /\n  - doc: Save\n    click: {button: Save}\n";
        let e = patched(steps, &[(3, rename("button", "X"))]).err();
        let e = e.unwrap_or_else(|| panic!("applied"));
        assert_eq!(e.kind, PatchErrorKind::NoStep);
        assert_eq!(
            e.to_string(),
            "t/x/flow.yaml:3: cannot use button \"X\": no step is written on this line; the runbook changed since the run"
        );
        let e = patched(steps, &[(7, rename("button", "X"))]).err();
        assert_eq!(
            e.map(|e| e.kind),
            Some(PatchErrorKind::NoLocator("goto".into()))
        );
        let e = patched(steps, &[(9, rename("buton", "X"))]).err();
        assert_eq!(
            e.map(|e| e.kind),
            Some(PatchErrorKind::UnknownKind("buton".into()))
        );
        let e = patched(
            steps,
            &[(9, rename("button", "X")), (9, rename("button", "Y"))],
        )
        .err();
        assert_eq!(e.map(|e| e.kind), Some(PatchErrorKind::Overlap));
        let folded = "  - doc: Save\n    click: {button: \"Save\n      all\"}\n";
        let e = patched(folded, &[(7, rename("button", "X"))]).err();
        assert!(
            matches!(e.map(|e| e.kind), Some(PatchErrorKind::Layout(_))),
            "a scalar across lines is not rewritten"
        );
    }

    #[test]
    fn the_diff_is_unified_with_headers_and_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let d = unified_diff(Path::new("./r/x.yaml"), before, after);
        assert_eq!(
            d,
            "--- a/r/x.yaml\n+++ b/r/x.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
        assert_eq!(unified_diff(Path::new("x"), "a\n", "a\n"), "");
    }

    #[test]
    fn the_xero_runbook_patches_for_each_sandbox_drift() {
        let file = Path::new("runbooks/xero/10-invite_user.yaml");
        let text = include_str!("../../runbooks/xero/10-invite_user.yaml");
        let line = |needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .map_or(0, |i| i + 1)
        };
        let invite = line("click: {button: Invite a user}");
        let email = line("fill: {label: Email,");
        for (l, edit) in [
            (invite, rename("button", "Invite user")),
            (
                invite,
                Edit::RevealFirst {
                    by: "button".into(),
                    name: "More".into(),
                },
            ),
            (email, rename("label", "Email address")),
        ] {
            let out = apply(file, text, &[(l, edit.clone())], &vars())
                .unwrap_or_else(|e| panic!("{edit}: {e}"));
            parse_str(file, &out).unwrap_or_else(|d| panic!("{edit}: {d:#?}"));
            let diff = unified_diff(file, text, &out);
            assert!(diff.starts_with("--- a/runbooks/xero/10-invite_user.yaml\n+++ b/runbooks/xero/10-invite_user.yaml\n@@ "), "{diff}");
            assert_eq!(
                diff.lines().filter(|l| l.starts_with('-')).count(),
                1 + usize::from(!matches!(edit, Edit::RevealFirst { .. })),
                "{diff}"
            );
        }
    }
}
