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
use std::path::{Path, PathBuf};

use super::convert::ACTIONS;
use super::edit::Edit;
use super::load::{parse_str, read_source};
use super::model::By;
use super::yaml::{build_tree, get, node_entries, Node, Scalar};
use words::{template_text, yaml_words};

#[cfg(test)]
mod tests;
mod words;

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
    // Applied once already, a step's `RevealFirst` stands on the recorded
    // line: the step's other edits are for the step after it.
    let edits: Vec<(usize, Edit)> = edits
        .iter()
        .map(|(line, edit)| {
            let revealed = edits.iter().any(|(l, e)| match e {
                Edit::RevealFirst { by, name } if l == line => {
                    find_step(&root, *line).is_some_and(|s| s.clicks(Some(s.node), by, name))
                }
                _ => false,
            });
            let line = match edit {
                Edit::RevealFirst { .. } => *line,
                _ if revealed => next_step_line(&root, *line).unwrap_or(*line),
                _ => *line,
            };
            (line, edit.clone())
        })
        .collect();
    for (line, edit) in &edits {
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

/// The words of the locator of the step written on `line` of runbook text
/// (as written, `{var}`s kept: `Invite a user`), when there is such a step
/// with a locator: what a recorded edit checks before it applies again.
pub fn locator_words(file: &Path, text: &str, line: usize) -> Option<String> {
    let root = build_tree(file, text, &mut Vec::new())?;
    let step = find_step(&root, line)?;
    let loc = step.locator().ok()?;
    match step.target(node_entries(loc)).ok()? {
        (_, Node::Scalar(s)) => Some(s.value.clone()),
        _ => None,
    }
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
        if let Edit::RemoveStep = edit {
            return self.remove_step(&step);
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
            Edit::Option { .. } | Edit::RevealFirst { .. } | Edit::RemoveStep => Ok(Vec::new()),
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

    /// Remove `step`: its `- ` line and every line indented under it (blank
    /// lines at its end stay, as the file's rhythm).
    fn remove_step(&self, step: &StepAt<'_>) -> Result<Vec<Change>, PatchErrorKind> {
        let first = &step.entries[0].0;
        let line = first.span.start.line;
        let head = self.line(line);
        let dash = head
            .find('-')
            .filter(|i| head[..*i].trim().is_empty())
            .ok_or_else(|| {
                PatchErrorKind::Layout("the step is not written as `- key: value` lines".into())
            })?;
        let mut last = line;
        let mut at = line + 1;
        while at <= self.starts.len() {
            let text = self.line(at);
            if text.trim().is_empty() {
                at += 1;
                continue;
            }
            let indent = text.len() - text.trim_start().len();
            if indent <= dash {
                break;
            }
            last = at;
            at += 1;
        }
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let end = self.starts.get(last).copied().unwrap_or(self.text.len());
        Ok(vec![Change {
            start,
            end,
            text: String::new(),
        }])
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

/// The line of the action key of the step after the one written on `line`.
fn next_step_line(root: &Node, line: usize) -> Option<usize> {
    let Some(Node::Seq(items, _)) = get(node_entries(root), "steps") else {
        return None;
    };
    let action_line = |item: &Node| {
        node_entries(item)
            .iter()
            .find(|(k, _)| ACTIONS.contains(&k.value.as_str()))
            .map(|(k, _)| k.span.start.line)
    };
    let at = items.iter().position(|item| {
        let first = node_entries(item).first().map(|(k, _)| k.span.start.line);
        action_line(item) == Some(line) || first == Some(line)
    })?;
    items.get(at + 1).and_then(action_line)
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
