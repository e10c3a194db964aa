//! The YAML layer: runbook text -> a small spanned tree.
//!
//! This is the only file that imports `yaml_rust2`. It turns text into a tree
//! of scalars, mappings and lists in which every node keeps its 1-based line
//! and column, reports syntax errors (malformed YAML, duplicate keys, aliases,
//! several documents, an empty file) with their positions, and can show the
//! plain data as JSON. It knows nothing of runbook fields, the model or files.
//!
//! # Why yaml-rust2's event parser and not serde_yaml
//!
//! `serde_yaml` 0.9 (deprecated upstream) reports a position only for syntax
//! errors; a well-formed `clik:` key or a `{custmer}` reference inside a string
//! has no position once deserialized, and the brief asks for file:line:col on
//! every node. `yaml-rust2` is a pure-Rust YAML 1.2 parser whose low-level
//! push API hands every event (scalar, mapping start, ...) to us together with
//! its [`Marker`] (line, column), and whose scan errors carry a marker too. We
//! build our own small spanned tree from those events (about 100 lines), which
//! also lets us see whether a scalar was quoted (`"true"` is text, `true` a
//! bool), reject duplicate keys and aliases, and compute the column of a `{var}`
//! reference inside a string. `marked-yaml` would give a spanned tree too, but
//! sits on the same parser and hides the scalar style. It is built with
//! `default-features = false` (no encoding detection: we insist on UTF-8).

use std::path::Path;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostic::{Diagnostic, Span};

/// A scalar as written, with its position.
#[derive(Debug, Clone)]
pub(super) struct Scalar {
    /// The text after YAML unquoting and unescaping.
    pub(super) value: String,
    /// Written in quotes or as a block: always text, never a bool or number.
    pub(super) quoted: bool,
    /// Where the scalar is written (quotes included).
    pub(super) span: Span,
    /// Column of the value's first character when value and source coincide
    /// character for character (plain or quoted without escapes, one line).
    pub(super) exact_col: Option<usize>,
}

/// A node of the spanned tree.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// A scalar (plain, quoted or block).
    Scalar(Scalar),
    /// A mapping: keys in written order, and where it starts.
    Map(Vec<(Scalar, Node)>, Span),
    /// A list, and where it starts.
    Seq(Vec<Node>, Span),
}

impl Node {
    /// Where the node starts.
    pub(super) fn span(&self) -> Span {
        match self {
            Node::Scalar(s) => s.span,
            Node::Map(_, span) | Node::Seq(_, span) => *span,
        }
    }

    /// What the node is, in words for an error label ("a mapping").
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Node::Scalar(s) if !s.quoted && s.value.is_empty() => "nothing",
            Node::Scalar(_) => "a string",
            Node::Map(..) => "a mapping",
            Node::Seq(..) => "a list",
        }
    }
}

enum Building {
    Map {
        entries: Vec<(Scalar, Node)>,
        key: Option<Scalar>,
        start: Option<Span>,
    },
    Seq {
        items: Vec<Node>,
        start: Option<Span>,
    },
}

/// Deepest nesting of mappings and lists kept; a runbook needs about six.
/// Deeper input is reported once and skipped, so that nothing that walks the
/// tree (conversion, drop) recurses without bound.
const MAX_DEPTH: usize = 32;

struct TreeBuilder<'a> {
    lines: Vec<&'a str>,
    stack: Vec<Building>,
    /// Open mappings and lists below [`MAX_DEPTH`], skipped.
    skipped: usize,
    root: Option<Node>,
    documents: usize,
    /// Where the second document starts (its `---`), if there is one.
    second_document: Option<Span>,
    errors: Vec<(Span, String, String)>,
}

impl TreeBuilder<'_> {
    /// The text of the line `mark` is on, from its column on.
    fn line_at(&self, mark: Marker) -> String {
        self.lines
            .get(mark.line().max(1) - 1)
            .map(|l| l.chars().skip(mark.col()).collect())
            .unwrap_or_default()
    }

    fn scalar(&self, value: String, style: TScalarStyle, mark: Marker) -> Scalar {
        let line = mark.line().max(1);
        let col = mark.col() + 1;
        let src: Vec<char> = self
            .lines
            .get(line - 1)
            .map(|l| l.chars().collect())
            .unwrap_or_default();
        let (len, exact_col) = match style {
            TScalarStyle::Plain => {
                let n = value.chars().count();
                let exact = src
                    .get(col - 1..col - 1 + n)
                    .is_some_and(|s| s.iter().copied().eq(value.chars()));
                (n, exact.then_some(col))
            }
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                let q = if matches!(style, TScalarStyle::SingleQuoted) {
                    '\''
                } else {
                    '"'
                };
                let mut i = col; // index after the opening quote (0-based)
                let mut end = None;
                while i < src.len() {
                    if q == '"' && src[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if src[i] == q {
                        if q == '\'' && src.get(i + 1) == Some(&'\'') {
                            i += 2;
                            continue;
                        }
                        end = Some(i);
                        break;
                    }
                    i += 1;
                }
                match end {
                    Some(e) => {
                        let raw = &src[col..e];
                        let exact = raw.iter().copied().eq(value.chars());
                        (e + 2 - col, exact.then_some(col + 1))
                    }
                    None => (src.len().saturating_sub(col - 1).max(1), None),
                }
            }
            TScalarStyle::Literal | TScalarStyle::Folded => (1, None),
        };
        Scalar {
            quoted: !matches!(style, TScalarStyle::Plain),
            value,
            span: Span::on_line(line, col, len),
            exact_col,
        }
    }

    fn attach(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Building::Seq { items, start }) => {
                if start.is_none() {
                    *start = Some(node.span());
                }
                items.push(node);
            }
            Some(Building::Map {
                entries,
                key,
                start,
            }) => match key.take() {
                None => match node {
                    Node::Scalar(s) => {
                        if start.is_none() {
                            *start = Some(s.span);
                        }
                        if let Some((first, _)) = entries.iter().find(|(k, _)| k.value == s.value) {
                            let msg = format!("duplicate key `{}`", s.value);
                            let label = format!("already given on line {}", first.span.start.line);
                            self.errors.push((s.span, msg, label));
                        }
                        *key = Some(s);
                    }
                    other => {
                        self.errors.push((
                            other.span(),
                            "a key must be a plain word".into(),
                            "expected a name such as `click` or `doc`".into(),
                        ));
                        *key = Some(Scalar {
                            value: String::new(),
                            quoted: false,
                            span: other.span(),
                            exact_col: None,
                        });
                    }
                },
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

impl MarkedEventReceiver for TreeBuilder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.skipped > 0 || self.stack.len() >= MAX_DEPTH {
            match ev {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if self.skipped == 0 {
                        self.errors.push((
                            Span::on_line(mark.line().max(1), mark.col() + 1, 1),
                            "nested too deeply".into(),
                            format!("runbooks nest mappings and lists at most {MAX_DEPTH} deep"),
                        ));
                    }
                    self.skipped += 1;
                    return;
                }
                Event::MappingEnd | Event::SequenceEnd if self.skipped > 0 => {
                    self.skipped -= 1;
                    return;
                }
                _ if self.skipped > 0 => return,
                _ => {}
            }
        }
        match ev {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents == 2 {
                    let len = if self.line_at(mark).starts_with("---") {
                        3
                    } else {
                        1
                    };
                    self.second_document =
                        Some(Span::on_line(mark.line().max(1), mark.col() + 1, len));
                }
            }
            Event::Scalar(value, style, _, _) => {
                let s = self.scalar(value, style, mark);
                self.attach(Node::Scalar(s));
            }
            Event::MappingStart(..) => self.stack.push(Building::Map {
                entries: Vec::new(),
                key: None,
                start: None,
            }),
            Event::SequenceStart(..) => self.stack.push(Building::Seq {
                items: Vec::new(),
                start: None,
            }),
            Event::MappingEnd | Event::SequenceEnd => {
                let here = Span::on_line(mark.line().max(1), mark.col() + 1, 1);
                let node = match self.stack.pop() {
                    Some(Building::Map { entries, start, .. }) => {
                        Node::Map(entries, start.unwrap_or(here))
                    }
                    Some(Building::Seq { items, start }) => Node::Seq(items, start.unwrap_or(here)),
                    None => return,
                };
                self.attach(node);
            }
            Event::Alias(_) => {
                let span = Span::on_line(mark.line().max(1), mark.col() + 1, 1);
                self.errors.push((
                    span,
                    "YAML aliases are not supported in runbooks".into(),
                    "write the value out, or share steps with `use:`".into(),
                ));
                self.attach(Node::Scalar(Scalar {
                    value: String::new(),
                    quoted: false,
                    span,
                    exact_col: None,
                }));
            }
            _ => {}
        }
    }
}

/// Build the spanned tree of `text`; `None` when nothing could be built.
pub(super) fn build_tree(file: &Path, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let mut builder = TreeBuilder {
        lines: text.lines().collect(),
        stack: Vec::new(),
        skipped: 0,
        root: None,
        documents: 0,
        second_document: None,
        errors: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    // Pull events one by one: `Parser::load` recurses once per nesting level
    // and overflows the stack on deeply nested input (found by fuzzing).
    let pulled = loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break Ok(()),
            Ok((ev, mark)) => builder.on_event(ev, mark),
            Err(e) => break Err(e),
        }
    };
    if let Err(e) = pulled {
        let m = e.marker();
        let span = Span::on_line(m.line().max(1), m.col() + 1, 1);
        diags.push(
            Diagnostic::error(file, Some(span), "malformed YAML").with_label(e.info().to_string()),
        );
        return None;
    }
    for (span, msg, label) in builder.errors {
        diags.push(Diagnostic::error(file, Some(span), msg).with_label(label));
    }
    if builder.documents > 1 {
        diags.push(
            Diagnostic::error(file, builder.second_document, "more than one YAML document")
                .with_label(
                    "a runbook file holds exactly one flow; drop this `---` and what follows",
                ),
        );
    }
    let empty = || {
        Diagnostic::error(file, Some(Span::on_line(1, 1, 1)), "empty runbook")
            .with_label("expected a mapping with `name:` and `steps:`")
    };
    match builder.root {
        None => {
            diags.push(empty());
            None
        }
        Some(Node::Scalar(s)) if !s.quoted && s.value.is_empty() => {
            diags.push(empty());
            None
        }
        Some(root) => Some(root),
    }
}

/// The entries of a mapping node; none for any other node.
pub(super) fn node_entries(node: &Node) -> &[(Scalar, Node)] {
    match node {
        Node::Map(entries, _) => entries,
        _ => &[],
    }
}

/// The value of `key` in mapping entries.
pub(super) fn get<'n>(entries: &'n [(Scalar, Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
}

/// The plain data of runbook text as JSON (plain `true`/`false` as booleans,
/// plain digits as numbers, everything else as strings), for checking files
/// against the [`schema`](super::schema) types; `None` when the text is not YAML.
pub fn to_json(text: &str) -> Option<serde_json::Value> {
    fn conv(n: &Node) -> serde_json::Value {
        match n {
            Node::Scalar(s) if !s.quoted && (s.value == "true" || s.value == "false") => {
                serde_json::Value::Bool(s.value == "true")
            }
            Node::Scalar(s)
                if !s.quoted
                    && !s.value.is_empty()
                    && s.value.chars().all(|c| c.is_ascii_digit()) =>
            {
                s.value.parse::<u64>().map_or_else(
                    |_| serde_json::Value::String(s.value.clone()),
                    serde_json::Value::from,
                )
            }
            Node::Scalar(s) if !s.quoted && s.value.is_empty() => serde_json::Value::Null,
            Node::Scalar(s) => serde_json::Value::String(s.value.clone()),
            Node::Seq(items, _) => serde_json::Value::Array(items.iter().map(conv).collect()),
            Node::Map(entries, _) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.value.clone(), conv(v)))
                    .collect(),
            ),
        }
    }
    let mut diags = Vec::new();
    build_tree(Path::new(""), text, &mut diags).map(|n| conv(&n))
}
