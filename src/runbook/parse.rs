//! Reading runbook files: YAML text -> spanned tree -> [`Runbook`] model.
//!
//! This is the only file that knows the runbook syntax is YAML. It reads a file
//! (refusing binary, non-UTF-8 and oversized files), builds a tree in which
//! every node keeps its 1-based line and column, converts that raw tree into
//! the model (ripgrep's LowArgs -> HiArgs), expands `use` includes and reports
//! every problem as a [`Diagnostic`]. It knows nothing of the browser.
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

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::model::*;
use super::validate;
use crate::diagnostic::{Diagnostic, Span};
use crate::secret::Secret;
use crate::suggest::{self, expected_one_of};

/// Largest runbook file accepted, in bytes (1 MiB); larger files are refused
/// without being read further.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The actions a step may perform, in documentation order.
pub const ACTIONS: [&str; 12] = [
    "goto",
    "click",
    "fill",
    "select",
    "check",
    "uncheck",
    "press",
    "expect",
    "totp",
    "pause",
    "screenshot",
    "use",
];

const STEP_FIELDS: [&str; 4] = ["doc", "id", "timeout", "destructive"];
const HEADER_FIELDS: [&str; 9] = [
    "name", "provider", "source", "base_url", "partial", "vars", "secrets", "viewport", "steps",
];
const LOCATOR_MODIFIERS: [&str; 4] = ["contains", "ignore_case", "nth", "within"];

// ---------------------------------------------------------------------------
// Spanned tree
// ---------------------------------------------------------------------------

/// A scalar as written, with its position.
#[derive(Debug, Clone)]
struct Scalar {
    value: String,
    /// Written in quotes or as a block: always text, never a bool or number.
    quoted: bool,
    span: Span,
    /// Column of the value's first character when value and source coincide
    /// character for character (plain or quoted without escapes, one line).
    exact_col: Option<usize>,
}

#[derive(Debug, Clone)]
enum Node {
    Scalar(Scalar),
    Map(Vec<(Scalar, Node)>, Span),
    Seq(Vec<Node>, Span),
}

impl Node {
    fn span(&self) -> Span {
        match self {
            Node::Scalar(s) => s.span,
            Node::Map(_, span) | Node::Seq(_, span) => *span,
        }
    }

    fn kind(&self) -> &'static str {
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

struct TreeBuilder<'a> {
    lines: Vec<&'a str>,
    stack: Vec<Building>,
    root: Option<Node>,
    documents: usize,
    errors: Vec<(Span, String, String)>,
}

impl TreeBuilder<'_> {
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
        match ev {
            Event::DocumentStart => self.documents += 1,
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

// ---------------------------------------------------------------------------
// Reading files
// ---------------------------------------------------------------------------

/// Read a runbook file as UTF-8 text, refusing what is not a runbook.
///
/// Never reads more than [`MAX_FILE_BYTES`] + 1 bytes.
pub fn read_source(path: &Path) -> Result<String, Box<Diagnostic>> {
    let file = File::open(path).map_err(|e| {
        Diagnostic::error(
            path,
            None,
            format!("cannot read runbook: {}", io_reason(&e)),
        )
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Diagnostic::error(
                path,
                None,
                format!("cannot read runbook: {}", io_reason(&e)),
            )
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(
            Diagnostic::error(path, None, "file too large for a runbook")
                .with_label(format!(
                    "runbooks are at most {} KiB; this file is larger",
                    MAX_FILE_BYTES / 1024
                ))
                .into(),
        );
    }
    decode(path, bytes)
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
        Ok(text) => Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text)),
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

/// Build the spanned tree of `text`; `None` when nothing could be built.
fn build_tree(file: &Path, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let mut builder = TreeBuilder {
        lines: text.lines().collect(),
        stack: Vec::new(),
        root: None,
        documents: 0,
        errors: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, true) {
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
            Diagnostic::error(file, None, "more than one YAML document")
                .with_label("a runbook file holds exactly one flow; drop the extra `---`"),
        );
    }
    match builder.root {
        None => {
            diags.push(
                Diagnostic::error(file, None, "empty runbook")
                    .with_label("expected a mapping with `name:` and `steps:`"),
            );
            None
        }
        Some(Node::Scalar(s)) if !s.quoted && s.value.is_empty() => {
            diags.push(
                Diagnostic::error(file, None, "empty runbook")
                    .with_label("expected a mapping with `name:` and `steps:`"),
            );
            None
        }
        Some(root) => Some(root),
    }
}

// ---------------------------------------------------------------------------
// Raw tree -> model
// ---------------------------------------------------------------------------

/// One file parsed on its own, before `use` expansion.
#[derive(Debug)]
struct Parsed {
    name: String,
    provider: String,
    source: Option<String>,
    base_url: String,
    partial: bool,
    vars: Vec<VarDecl>,
    secrets: Vec<SecretDecl>,
    viewport: Option<Viewport>,
    items: Vec<Item>,
    /// `{name}` references written in this file.
    refs: Vec<VarRef>,
    /// Origin spans of steps that write `destructive:`.
    destructive_written: Vec<Span>,
}

#[derive(Debug)]
enum Item {
    Step(Box<Step>),
    Use(UseStep),
}

#[derive(Debug)]
struct UseStep {
    path: String,
    path_span: Span,
    vars: Vec<(Scalar, Template)>,
    span: Span,
}

struct Conv<'a> {
    file: &'a Path,
    diags: Vec<Diagnostic>,
    refs: Vec<VarRef>,
    destructive_written: Vec<Span>,
}

impl Conv<'_> {
    fn err(&mut self, span: Span, msg: impl Into<String>, label: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, Some(span), msg).with_label(label));
    }

    fn string<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Scalar> {
        match node {
            Node::Scalar(s) if s.quoted || !s.value.is_empty() => Some(s),
            other => {
                self.err(
                    other.span(),
                    format!("`{what}` must be text"),
                    format!("found {}", other.kind()),
                );
                None
            }
        }
    }

    fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node {
            Node::Scalar(s) if !s.quoted && s.value == "true" => Some(true),
            Node::Scalar(s) if !s.quoted && s.value == "false" => Some(false),
            other => {
                self.err(
                    other.span(),
                    format!("`{what}` must be true or false"),
                    format!("found {}", other.kind()),
                );
                None
            }
        }
    }

    fn uint(&mut self, node: &Node, what: &str) -> Option<u64> {
        match node {
            Node::Scalar(s) if !s.quoted => match s.value.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    self.err(
                        s.span,
                        format!("`{what}` must be a whole number"),
                        format!("found `{}`", s.value),
                    );
                    None
                }
            },
            other => {
                self.err(
                    other.span(),
                    format!("`{what}` must be a whole number"),
                    format!("found {}", other.kind()),
                );
                None
            }
        }
    }

    fn map<'n>(&mut self, node: &'n Node, what: &str, hint: &str) -> Option<&'n [(Scalar, Node)]> {
        match node {
            Node::Map(entries, _) => Some(entries),
            other => {
                self.err(
                    other.span(),
                    format!("`{what}` must be a mapping"),
                    format!("found {}; {hint}", other.kind()),
                );
                None
            }
        }
    }

    /// Parse `{name}` references; `{{` and `}}` are literal braces.
    fn template(&mut self, s: &Scalar) -> Template {
        let chars: Vec<char> = s.value.chars().collect();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '{' && chars.get(i + 1) == Some(&'{') {
                lit.push('{');
                i += 2;
                continue;
            }
            if c == '}' && chars.get(i + 1) == Some(&'}') {
                lit.push('}');
                i += 2;
                continue;
            }
            if c == '{' {
                let close = chars[i + 1..].iter().position(|c| *c == '}');
                let name: Option<String> = close.map(|n| chars[i + 1..i + 1 + n].iter().collect());
                let col = s.exact_col.map(|c0| c0 + i);
                match name {
                    Some(name) if is_ident(&name) => {
                        let len = name.chars().count() + 2;
                        let span = match col {
                            Some(c) => Span::on_line(s.span.start.line, c, len),
                            None => s.span,
                        };
                        self.refs.push(VarRef {
                            name: name.clone(),
                            span,
                        });
                        if !lit.is_empty() {
                            parts.push(Part::Lit(std::mem::take(&mut lit)));
                        }
                        parts.push(Part::Var(name));
                        i += len;
                        continue;
                    }
                    _ => {
                        let span = match col {
                            Some(c) => Span::on_line(s.span.start.line, c, 1),
                            None => s.span,
                        };
                        self.err(
                            span,
                            "`{` does not start a var reference",
                            "expected `{name}`; write `{{` for a literal brace",
                        );
                        lit.push('{');
                        i += 1;
                        continue;
                    }
                }
            }
            lit.push(c);
            i += 1;
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Template { parts }
    }

    fn text(&mut self, node: &Node, what: &str) -> Option<Template> {
        let s = self.string(node, what)?;
        Some(self.template(s))
    }

    fn file(&mut self, root: &Node) -> Option<Parsed> {
        let entries = self.map(
            root,
            "runbook",
            "expected `name:`, `steps:` and the other header fields",
        )?;
        let mut p = Parsed {
            name: String::new(),
            provider: String::new(),
            source: None,
            base_url: String::new(),
            partial: false,
            vars: Vec::new(),
            secrets: Vec::new(),
            viewport: None,
            items: Vec::new(),
            refs: Vec::new(),
            destructive_written: Vec::new(),
        };
        let mut have_name = false;
        let mut have_steps = false;
        let mut have_base = false;
        let mut steps_node = None;
        for (k, v) in entries {
            match k.value.as_str() {
                "name" => {
                    if let Some(s) = self.string(v, "name") {
                        p.name = s.value.clone();
                        have_name = true;
                    }
                }
                "provider" => {
                    if let Some(s) = self.string(v, "provider") {
                        p.provider = s.value.clone();
                    }
                }
                "source" => p.source = self.string(v, "source").map(|s| s.value.clone()),
                "base_url" => {
                    if let Some(s) = self.string(v, "base_url") {
                        p.base_url = s.value.clone();
                        have_base = true;
                    }
                }
                "partial" => p.partial = self.bool(v, "partial").unwrap_or(false),
                "vars" => p.vars = self.vars(v),
                "secrets" => p.secrets = self.secrets(v),
                "viewport" => p.viewport = self.viewport(v),
                "steps" => {
                    have_steps = true;
                    steps_node = Some(v);
                }
                other => {
                    let label = expected_one_of(other, &HEADER_FIELDS);
                    self.err(k.span, format!("unknown field `{other}`"), label);
                }
            }
        }
        let top = root.span();
        if !have_name {
            self.err(
                top,
                "runbook has no `name:`",
                "add `name:` with the flow's title",
            );
        }
        if !have_base && !p.partial {
            self.err(
                top,
                "runbook has no `base_url:`",
                "add the vendor's address, e.g. `base_url: https://go.xero.com`",
            );
        }
        if !have_steps {
            self.err(
                top,
                "runbook has no `steps:`",
                "add `steps:` with at least one step",
            );
        }
        if let Some(steps) = steps_node {
            match steps {
                Node::Seq(items, _) => {
                    if items.is_empty() {
                        self.err(steps.span(), "`steps` is empty", "add at least one step");
                    }
                    for item in items {
                        if let Some(it) = self.step(item) {
                            p.items.push(it);
                        }
                    }
                }
                other => self.err(
                    other.span(),
                    "`steps` must be a list",
                    format!("found {}; write each step as `- doc: ...`", other.kind()),
                ),
            }
        }
        Some(p)
    }

    fn vars(&mut self, node: &Node) -> Vec<VarDecl> {
        let mut out = Vec::new();
        let Some(entries) = self.map(node, "vars", "expected `name: {required: true}` entries")
        else {
            return out;
        };
        for (k, v) in entries {
            if !is_ident(&k.value) {
                self.err(
                    k.span,
                    format!("invalid var name `{}`", k.value),
                    "use letters, digits and `_`",
                );
                continue;
            }
            if BUILTINS.contains(&k.value.as_str()) {
                self.err(
                    k.span,
                    format!("`{}` is a built-in var", k.value),
                    "choose another name",
                );
            }
            let mut d = VarDecl {
                name: k.value.clone(),
                required: false,
                default: None,
                example: None,
                description: None,
                span: k.span,
            };
            match v {
                Node::Scalar(s) if !s.quoted && s.value.is_empty() => {} // `name:` alone: declared, no default
                Node::Scalar(s) => d.default = Some(s.value.clone()),
                Node::Map(fields, _) => {
                    for (fk, fv) in fields {
                        match fk.value.as_str() {
                            "required" => d.required = self.bool(fv, "required").unwrap_or(false),
                            "default" => {
                                d.default = self.string(fv, "default").map(|s| s.value.clone())
                            }
                            "example" => {
                                d.example = self.string(fv, "example").map(|s| s.value.clone())
                            }
                            "description" => {
                                d.description =
                                    self.string(fv, "description").map(|s| s.value.clone())
                            }
                            other => {
                                let label = expected_one_of(
                                    other,
                                    &["required", "default", "example", "description"],
                                );
                                self.err(
                                    fk.span,
                                    format!("unknown field `{other}` of var `{}`", k.value),
                                    label,
                                );
                            }
                        }
                    }
                }
                Node::Seq(..) => self.err(
                    v.span(),
                    format!("var `{}` must be a default value or a mapping", k.value),
                    "found a list",
                ),
            }
            out.push(d);
        }
        out
    }

    fn secrets(&mut self, node: &Node) -> Vec<SecretDecl> {
        let mut out = Vec::new();
        let Some(entries) = self.map(node, "secrets", "expected `name: {env: VAR}` entries") else {
            return out;
        };
        for (k, v) in entries {
            if !is_ident(&k.value) {
                self.err(
                    k.span,
                    format!("invalid secret name `{}`", k.value),
                    "use letters, digits and `_`",
                );
                continue;
            }
            let fields = match v {
                Node::Map(fields, _) => fields,
                Node::Scalar(s) => {
                    let mut d = Diagnostic::error(
                        self.file,
                        Some(k.span),
                        format!("secret `{}` is given as a literal value", k.value),
                    )
                    .with_label(
                        "secrets are read at run time: write `{env: NAME}` or `{file: PATH}`",
                    )
                    .with_help("never commit a password or seed to a runbook");
                    if !s.value.is_empty() {
                        d.redact.push(Secret::new(s.value.clone()));
                    }
                    self.diags.push(d);
                    // Declared (wrongly): keep it so uses do not cascade into more errors.
                    out.push(SecretDecl {
                        name: k.value.clone(),
                        from: SecretSource::Env(String::new()),
                        description: None,
                        span: k.span,
                    });
                    continue;
                }
                Node::Seq(..) => {
                    self.err(
                        v.span(),
                        format!("secret `{}` must say where its value comes from", k.value),
                        "expected `{env: NAME}` or `{file: PATH}`",
                    );
                    continue;
                }
            };
            let mut from = None;
            let mut description = None;
            for (fk, fv) in fields {
                match fk.value.as_str() {
                    "env" | "file" => {
                        if from.is_some() {
                            self.err(
                                fk.span,
                                format!("secret `{}` has two sources", k.value),
                                "give either `env` or `file`",
                            );
                        }
                        if let Some(s) = self.string(fv, &fk.value) {
                            from = Some(if fk.value == "env" {
                                SecretSource::Env(s.value.clone())
                            } else {
                                // Relative to the declaring runbook, not the working directory.
                                let dir = self.file.parent().unwrap_or(Path::new(""));
                                SecretSource::File(dir.join(&s.value))
                            });
                        }
                    }
                    "description" => {
                        description = self.string(fv, "description").map(|s| s.value.clone())
                    }
                    "value" => {
                        let mut d = Diagnostic::error(
                            self.file,
                            Some(fk.span),
                            format!("secret `{}` is given as a literal value", k.value),
                        )
                        .with_label(
                            "secrets are read at run time: write `{env: NAME}` or `{file: PATH}`",
                        )
                        .with_help("never commit a password or seed to a runbook");
                        if let Node::Scalar(s) = fv {
                            if !s.value.is_empty() {
                                d.redact.push(Secret::new(s.value.clone()));
                            }
                        }
                        self.diags.push(d);
                        from = Some(SecretSource::Env(String::new()));
                    }
                    other => {
                        let label = expected_one_of(other, &["env", "file", "description"]);
                        self.err(
                            fk.span,
                            format!("unknown field `{other}` of secret `{}`", k.value),
                            label,
                        );
                    }
                }
            }
            match from {
                Some(from) => out.push(SecretDecl {
                    name: k.value.clone(),
                    from,
                    description,
                    span: k.span,
                }),
                None => self.err(
                    k.span,
                    format!(
                        "secret `{}` does not say where its value comes from",
                        k.value
                    ),
                    "expected `{env: NAME}` or `{file: PATH}`",
                ),
            }
        }
        out
    }

    fn viewport(&mut self, node: &Node) -> Option<Viewport> {
        let entries = self.map(node, "viewport", "expected `{width: 1280, height: 800}`")?;
        let mut vp = Viewport::default();
        for (k, v) in entries {
            match k.value.as_str() {
                "width" => vp.width = self.uint(v, "width").map_or(vp.width, |n| n as u32),
                "height" => vp.height = self.uint(v, "height").map_or(vp.height, |n| n as u32),
                other => {
                    let label = expected_one_of(other, &["width", "height"]);
                    self.err(
                        k.span,
                        format!("unknown field `{other}` of viewport"),
                        label,
                    );
                }
            }
        }
        Some(vp)
    }

    fn step(&mut self, node: &Node) -> Option<Item> {
        let entries = self.map(
            node,
            "step",
            "expected `doc:` and one action such as `click:`",
        )?;
        let mut doc = None;
        let mut id = None;
        let mut timeout = None;
        let mut destructive = false;
        let mut action: Option<(&Scalar, &Node)> = None;
        for (k, v) in entries {
            match k.value.as_str() {
                "doc" => doc = self.text(v, "doc"),
                "id" => {
                    if let Some(s) = self.string(v, "id") {
                        id = Some(s.value.clone());
                    }
                }
                "timeout" => timeout = self.duration(v),
                "destructive" => destructive = self.bool(v, "destructive").unwrap_or(false),
                a if ACTIONS.contains(&a) => {
                    if let Some((first, _)) = action {
                        self.err(
                            k.span,
                            format!("step has two actions: `{}` and `{a}`", first.value),
                            "a step does exactly one thing; split it into two steps",
                        );
                    } else {
                        action = Some((k, v));
                    }
                }
                other => {
                    let mut all: Vec<&str> = ACTIONS.to_vec();
                    let label = match suggest::closest(
                        other,
                        ACTIONS.iter().chain(STEP_FIELDS.iter()).copied(),
                    ) {
                        Some(m) => format!(
                            "expected one of {}. Did you mean `{m}`?",
                            ACTIONS.join(", ")
                        ),
                        None => {
                            all.extend(STEP_FIELDS);
                            format!("expected one of {}", all.join(", "))
                        }
                    };
                    self.err(k.span, format!("unknown action `{other}`"), label);
                }
            }
        }
        let step_span = entries.first().map_or(node.span(), |(k, _)| k.span);
        let unknown = entries.iter().any(|(k, _)| {
            !ACTIONS.contains(&k.value.as_str()) && !STEP_FIELDS.contains(&k.value.as_str())
        });
        let Some((key, value)) = action else {
            if unknown {
                return None; // the unknown key already says what is wrong
            }
            self.err(
                step_span,
                "step has no action",
                format!("expected one of {}", ACTIONS.join(", ")),
            );
            return None;
        };
        let doc = match doc {
            Some(d) => d,
            None => {
                if !entries.iter().any(|(k, _)| k.value == "doc") {
                    self.err(
                        key.span,
                        format!("`{}` step has no `doc:`", key.value),
                        "quote the article's words for this step in `doc:`",
                    );
                }
                return None;
            }
        };
        let origin = Origin {
            file: self.file.to_path_buf(),
            span: key.span,
            via: Vec::new(),
        };
        if key.value == "use" {
            return self.use_step(value, key.span).map(Item::Use);
        }
        let action = self.action(&key.value, key.span, value)?;
        let step = Step {
            id,
            doc,
            action,
            timeout,
            destructive,
            origin,
        };
        if entries.iter().any(|(k, _)| k.value == "destructive") {
            self.destructive_written.push(step.origin.span);
        }
        Some(Item::Step(Box::new(step)))
    }

    fn duration(&mut self, node: &Node) -> Option<Duration> {
        let s = self.string(node, "timeout")?;
        let v = s.value.trim();
        let parsed = if let Some(n) = v.strip_suffix("ms") {
            n.trim().parse::<u64>().ok().map(Duration::from_millis)
        } else if let Some(n) = v.strip_suffix('s') {
            n.trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(Duration::from_secs_f64)
        } else if let Some(n) = v.strip_suffix('m') {
            n.trim()
                .parse::<u64>()
                .ok()
                .map(|m| Duration::from_secs(m * 60))
        } else {
            None
        };
        if parsed.is_none() {
            self.err(
                s.span,
                format!("invalid timeout `{v}`"),
                "expected a duration such as `500ms`, `5s` or `2m`",
            );
        }
        parsed
    }

    fn use_step(&mut self, node: &Node, span: Span) -> Option<UseStep> {
        match node {
            Node::Scalar(s) if !s.value.is_empty() => Some(UseStep {
                path: s.value.clone(),
                path_span: s.span,
                vars: Vec::new(),
                span,
            }),
            Node::Map(entries, mspan) => {
                let mut path = None;
                let mut vars = Vec::new();
                for (k, v) in entries {
                    match k.value.as_str() {
                        "runbook" => {
                            path = self.string(v, "runbook").map(|s| (s.value.clone(), s.span))
                        }
                        "vars" => {
                            if let Some(fields) =
                                self.map(v, "vars", "expected `name: value` entries")
                            {
                                for (vk, vv) in fields {
                                    if let Some(t) = self.text(vv, &vk.value) {
                                        vars.push((vk.clone(), t));
                                    }
                                }
                            }
                        }
                        other => {
                            let label = expected_one_of(other, &["runbook", "vars"]);
                            self.err(k.span, format!("unknown field `{other}` of `use`"), label);
                        }
                    }
                }
                match path {
                    Some((path, path_span)) => Some(UseStep {
                        path,
                        path_span,
                        vars,
                        span,
                    }),
                    None => {
                        self.err(
                            *mspan,
                            "`use` does not name a runbook",
                            "add `runbook: login.yaml`",
                        );
                        None
                    }
                }
            }
            other => {
                self.err(
                    other.span(),
                    "`use` must name a runbook",
                    format!("found {}; write `use: login.yaml` or `use: {{runbook: login.yaml, vars: {{...}}}}`", other.kind()),
                );
                None
            }
        }
    }

    fn action(&mut self, keyword: &str, key_span: Span, node: &Node) -> Option<Action> {
        Some(match keyword {
            "goto" => Action::Goto {
                url: self.text(node, "goto")?,
            },
            "click" => Action::Click {
                target: self.locator(node, keyword, &[])?,
            },
            "check" => Action::Check {
                target: self.locator(node, keyword, &[])?,
            },
            "uncheck" => Action::Uncheck {
                target: self.locator(node, keyword, &[])?,
            },
            "fill" => {
                let target = self.locator(node, keyword, &["value", "secret"])?;
                let entries = node_entries(node);
                let value = get(entries, "value");
                let secret = get(entries, "secret");
                let value = match (value, secret) {
                    (Some(v), None) => Value::Text(self.text(v, "value")?),
                    (None, Some(s)) => Value::Secret(self.string(s, "secret")?.value.clone()),
                    (Some(_), Some(_)) => {
                        self.err(
                            key_span,
                            "`fill` has both `value` and `secret`",
                            "give exactly one of them",
                        );
                        return None;
                    }
                    (None, None) => {
                        self.err(
                            key_span,
                            "`fill` has nothing to type",
                            "add `value: \"...\"` or `secret: name`",
                        );
                        return None;
                    }
                };
                Action::Fill { target, value }
            }
            "select" => {
                let target = self.locator(node, keyword, &["option"])?;
                let Some(option) = get(node_entries(node), "option") else {
                    self.err(
                        key_span,
                        "`select` has no `option`",
                        "add `option:` with the option's visible text",
                    );
                    return None;
                };
                Action::Select {
                    target,
                    option: self.text(option, "option")?,
                }
            }
            "totp" => {
                let target = self.locator(node, keyword, &["secret"])?;
                let Some(secret) = get(node_entries(node), "secret") else {
                    self.err(
                        key_span,
                        "`totp` has no `secret`",
                        "add `secret:` naming the TOTP seed secret",
                    );
                    return None;
                };
                Action::Totp {
                    target,
                    secret: self.string(secret, "secret")?.value.clone(),
                }
            }
            "press" => match node {
                Node::Scalar(s) if !s.value.is_empty() => Action::Press {
                    key: s.value.clone(),
                    target: None,
                },
                Node::Map(entries, _) => {
                    let Some(key) = get(entries, "key") else {
                        self.err(key_span, "`press` has no `key`", "add `key: Enter`");
                        return None;
                    };
                    let key = self.string(key, "key")?.value.clone();
                    let has_target = entries.iter().any(|(k, _)| {
                        k.value != "key" && !LOCATOR_MODIFIERS.contains(&k.value.as_str())
                    });
                    let target = if has_target {
                        Some(self.locator(node, keyword, &["key"])?)
                    } else {
                        None
                    };
                    Action::Press { key, target }
                }
                other => {
                    self.err(
                        other.span(),
                        "`press` must name a key",
                        "expected `press: Enter` or `press: {key: Enter, label: ...}`",
                    );
                    return None;
                }
            },
            "expect" => Action::Expect(self.expectation(node)?),
            "pause" => Action::Pause {
                message: self.text(node, "pause")?,
            },
            "screenshot" => {
                let s = self.string(node, "screenshot")?;
                if !s
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
                {
                    self.err(
                        s.span,
                        "screenshot name is not file-name safe",
                        "use letters, digits, `-`, `_` and `.`",
                    );
                    return None;
                }
                Action::Screenshot {
                    name: s.value.clone(),
                }
            }
            _ => return None,
        })
    }

    fn expectation(&mut self, node: &Node) -> Option<Expectation> {
        let entries = self.map(
            node,
            "expect",
            "expected e.g. `{heading: Users}`, `{url: /users}` or `{absent: {button: X}}`",
        )?;
        if let Some(v) = get(entries, "url") {
            return Some(Expectation::Url(self.text(v, "url")?));
        }
        if let Some(v) = get(entries, "title") {
            return Some(Expectation::Title(self.text(v, "title")?));
        }
        if let Some(v) = get(entries, "absent") {
            return Some(Expectation::Absent(self.locator(v, "absent", &[])?));
        }
        Some(Expectation::Visible(self.locator(
            node,
            "expect",
            &["url", "title", "absent"],
        )?))
    }

    /// A locator: a mapping with exactly one kind and optional modifiers.
    /// `extra` are the action's own fields (`value`, `option`, ...).
    fn locator(&mut self, node: &Node, what: &str, extra: &[&str]) -> Option<Target> {
        let kinds: Vec<&str> = By::ALL.iter().map(|b| b.keyword()).collect();
        let entries = match node {
            Node::Map(entries, _) => entries,
            Node::Scalar(s) if !s.value.is_empty() => {
                self.diags.push(
                    Diagnostic::error(self.file, Some(s.span), format!("`{what}` needs a locator naming the element's role"))
                        .with_label(format!("write `{{button: {v}}}` or `{{link: {v}}}`", v = s.value))
                        .with_help("a plain string is ambiguous: say whether the article means a button, link, label, text, ..."),
                );
                return None;
            }
            other => {
                self.err(
                    other.span(),
                    format!("`{what}` needs a locator"),
                    format!(
                        "found {}; expected e.g. `{{button: Invite a user}}`",
                        other.kind()
                    ),
                );
                return None;
            }
        };
        let mut by: Option<(By, &Scalar, &Node)> = None;
        let mut t = Target::new(By::Text, Template::default(), node.span());
        let mut ok = true;
        for (k, v) in entries {
            let key = k.value.as_str();
            if let Some(b) = By::ALL.iter().copied().find(|b| b.keyword() == key) {
                if let Some((_, first, _)) = by {
                    self.err(
                        k.span,
                        format!("locator has two targets: `{}` and `{key}`", first.value),
                        "a locator names one element; use `within:` to scope it",
                    );
                    ok = false;
                } else {
                    by = Some((b, k, v));
                }
                continue;
            }
            match key {
                "contains" => t.contains = self.bool(v, "contains").unwrap_or(false),
                "ignore_case" => t.ignore_case = self.bool(v, "ignore_case").unwrap_or(false),
                "nth" => t.nth = self.uint(v, "nth").map(|n| n as usize),
                "within" => t.within = self.scope(v).map(Box::new),
                k2 if extra.contains(&k2) => {}
                other => {
                    let mut all = kinds.clone();
                    all.extend(LOCATOR_MODIFIERS);
                    all.extend(extra);
                    let label = expected_one_of(other, &all);
                    self.err(k.span, format!("unknown locator field `{other}`"), label);
                    ok = false;
                }
            }
        }
        let Some((b, k, v)) = by else {
            if !ok {
                return None; // an unknown field (a misspelt kind) was already reported
            }
            self.err(
                node.span(),
                format!("`{what}` locator has no target"),
                format!("expected one of {}", kinds.join(", ")),
            );
            return None;
        };
        t.by = b;
        t.span = k.span;
        t.name = self.text(v, b.keyword())?;
        ok.then_some(t)
    }

    fn scope(&mut self, node: &Node) -> Option<Scope> {
        let entries = self.map(
            node,
            "within",
            "expected `{row: ...}`, `{dialog: true}` or a locator",
        )?;
        if entries.len() == 1 {
            let (k, v) = &entries[0];
            match k.value.as_str() {
                "row" => return Some(Scope::Row(self.text(v, "row")?)),
                "listitem" => return Some(Scope::ListItem(self.text(v, "listitem")?)),
                "region" => return Some(Scope::Region(self.text(v, "region")?)),
                "dialog" => {
                    return match v {
                        Node::Scalar(s) if !s.quoted && s.value == "true" => {
                            Some(Scope::Dialog(None))
                        }
                        _ => Some(Scope::Dialog(Some(self.text(v, "dialog")?))),
                    };
                }
                _ => {}
            }
        }
        self.locator(node, "within", &[]).map(Scope::Element)
    }
}

fn node_entries(node: &Node) -> &[(Scalar, Node)] {
    match node {
        Node::Map(entries, _) => entries,
        _ => &[],
    }
}

fn get<'n>(entries: &'n [(Scalar, Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
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

// ---------------------------------------------------------------------------
// Loading: files, `use` expansion
// ---------------------------------------------------------------------------

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
                    let mut conv = Conv {
                        file: path,
                        diags: Vec::new(),
                        refs: Vec::new(),
                        destructive_written: Vec::new(),
                    };
                    let p = conv.file(&root);
                    diags.append(&mut conv.diags);
                    p.map(|mut p| {
                        p.refs = conv.refs;
                        p.destructive_written = conv.destructive_written;
                        p
                    })
                });
                for d in diags {
                    self.push(d);
                }
                parsed.map(|mut p| {
                    if p.provider.is_empty() {
                        p.provider = path
                            .parent()
                            .and_then(Path::file_name)
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default();
                    }
                    Rc::new(p)
                })
            }
        };
        self.cache.insert(path.to_path_buf(), parsed.clone());
        parsed
    }

    /// Load one runbook with `use` expanded and validated; `None` on any error.
    fn load(&mut self, path: &Path) -> Option<Runbook> {
        let before = self.diags.iter().filter(|d| d.is_error()).count();
        let parsed = self.parse(path)?;
        let mut rb = Runbook {
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
            steps: Vec::new(),
        };
        let mut stack = vec![canonical(path)];
        let mut steps = Vec::new();
        let mut files = vec![facts(path, &parsed)];
        self.expand(
            &parsed,
            path,
            &mut stack,
            &[],
            &HashMap::new(),
            &mut rb,
            &mut steps,
            &mut files,
        );
        rb.steps = steps;
        let loaded = Loaded { runbook: rb, files };
        // Validation runs once, on the whole loaded runbook.
        for d in validate::validate_loaded(&loaded) {
            self.push(d);
        }
        let after = self.diags.iter().filter(|d| d.is_error()).count();
        let broken = loaded.files.iter().any(|f| self.errored.contains(&f.file));
        (after == before && !broken).then_some(loaded.runbook)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand(
        &mut self,
        parsed: &Parsed,
        path: &Path,
        stack: &mut Vec<PathBuf>,
        via: &[(PathBuf, Span)],
        subst: &HashMap<String, Template>,
        rb: &mut Runbook,
        out: &mut Vec<Step>,
        files: &mut Vec<FileFacts>,
    ) {
        for item in &parsed.items {
            match item {
                Item::Step(step) => {
                    let mut step = (**step).clone();
                    if !subst.is_empty() {
                        substitute_step(&mut step, subst);
                    }
                    step.origin.via = via.to_vec();
                    out.push(step);
                }
                Item::Use(u) => self.expand_use(u, path, stack, via, subst, rb, out, files),
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_use(
        &mut self,
        u: &UseStep,
        path: &Path,
        stack: &mut Vec<PathBuf>,
        via: &[(PathBuf, Span)],
        subst: &HashMap<String, Template>,
        rb: &mut Runbook,
        out: &mut Vec<Step>,
        files: &mut Vec<FileFacts>,
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
        if let Some(at) = stack.iter().position(|p| *p == canon) {
            let mut chain: Vec<String> = stack[at..].iter().map(|p| short(p)).collect();
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
        if !files.iter().any(|f| f.file == target) {
            files.push(facts(&target, &inc));
        }
        stack.push(canon);
        self.expand(&inc, &target, stack, &via2, &child, rb, out, files);
        stack.pop();
    }
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

fn substitute(t: &mut Template, subst: &HashMap<String, Template>) {
    if !t.references().any(|r| subst.contains_key(r)) {
        return;
    }
    let mut parts = Vec::new();
    for p in std::mem::take(&mut t.parts) {
        match p {
            Part::Var(v) if subst.contains_key(&v) => {
                if let Some(with) = subst.get(&v) {
                    parts.extend(with.parts.iter().cloned());
                }
            }
            other => parts.push(other),
        }
    }
    t.parts = parts;
}

fn substitute_target(t: &mut Target, subst: &HashMap<String, Template>) {
    substitute(&mut t.name, subst);
    if let Some(scope) = t.within.as_deref_mut() {
        match scope {
            Scope::Row(x) | Scope::ListItem(x) | Scope::Region(x) | Scope::Dialog(Some(x)) => {
                substitute(x, subst)
            }
            Scope::Dialog(None) => {}
            Scope::Element(inner) => substitute_target(inner, subst),
        }
    }
}

fn substitute_step(step: &mut Step, subst: &HashMap<String, Template>) {
    substitute(&mut step.doc, subst);
    match &mut step.action {
        Action::Goto { url } => substitute(url, subst),
        Action::Fill { target, value } => {
            substitute_target(target, subst);
            if let Value::Text(t) = value {
                substitute(t, subst);
            }
        }
        Action::Select { target, option } => {
            substitute_target(target, subst);
            substitute(option, subst);
        }
        Action::Click { target }
        | Action::Check { target }
        | Action::Uncheck { target }
        | Action::Totp { target, .. } => substitute_target(target, subst),
        Action::Press { target, .. } => {
            if let Some(t) = target {
                substitute_target(t, subst);
            }
        }
        Action::Expect(e) => match e {
            Expectation::Visible(t) | Expectation::Absent(t) => substitute_target(t, subst),
            Expectation::Url(t) | Expectation::Title(t) => substitute(t, subst),
        },
        Action::Pause { message } => substitute(message, subst),
        Action::Screenshot { .. } => {}
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    fn parse(text: &str) -> Result<Runbook, Vec<Diagnostic>> {
        parse_str(Path::new("t/x/10-flow.yaml"), text)
    }

    fn errors(text: &str) -> Vec<String> {
        match parse(text) {
            Ok(_) => Vec::new(),
            Err(d) => d
                .iter()
                .map(|d| {
                    let s = d
                        .span
                        .map(|s| format!("{}:{}", s.start.line, s.start.column))
                        .unwrap_or_default();
                    format!("{s} {}", d.message)
                })
                .collect(),
        }
    }

    const HEAD: &str = "name: T\nbase_url: https://x\nvars:\n  customer: {required: true}\nsecrets:\n  password: {env: P}\nsteps:\n";

    #[test]
    fn parses_every_action_with_positions() {
        let text = format!(
            "{HEAD}  - doc: Go\n    goto: /\n  - doc: Click **Invite**\n    id: inv\n    timeout: 500ms\n    click: {{button: Invite a user, within: {{row: Drivetrain AI}}}}\n  - doc: Email\n    fill: {{label: Email, value: \"dp-{{customer}}@x\"}}\n  - doc: Pw\n    fill: {{label: Password, secret: password}}\n  - doc: Role\n    select: {{label: Projects, option: Admin}}\n  - doc: Box\n    uncheck: {{checkbox: Payroll Admin}}\n  - doc: Key\n    press: Enter\n  - doc: Gone\n    expect: {{absent: {{text: x, contains: true, nth: 2}}}}\n  - doc: U\n    expect: {{url: /users}}\n  - doc: Shot\n    screenshot: after\n  - doc: Wait\n    pause: Do it\n    destructive: true\n"
        );
        let rb = parse(&text).unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(rb.steps.len(), 11);
        assert_eq!(rb.flow, "flow");
        assert_eq!(rb.provider, "x");
        let s = &rb.steps[1];
        assert_eq!(s.id.as_deref(), Some("inv"));
        assert_eq!(s.timeout, Some(Duration::from_millis(500)));
        assert_eq!(
            s.origin.span.start,
            Pos {
                line: 13,
                column: 5
            }
        );
        let t = s.action.target().unwrap_or_else(|| panic!("target"));
        assert_eq!(t.by, By::Button);
        assert_eq!(
            t.within.as_deref(),
            Some(&Scope::Row(Template::literal("Drivetrain AI")))
        );
        match &rb.steps[2].action {
            Action::Fill {
                value: Value::Text(t),
                ..
            } => {
                assert_eq!(t.references().collect::<Vec<_>>(), vec!["customer"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&rb.steps[3].action, Action::Fill { value: Value::Secret(s), .. } if s == "password")
        );
        assert!(rb.steps[10].destructive);
    }

    #[test]
    fn var_reference_error_points_at_its_own_column() {
        let text = format!("{HEAD}  - doc: \"Email dp-{{custmer}}@x\"\n    goto: /\n");
        assert_eq!(errors(&text), vec!["8:20 unknown var `custmer`"]);
    }

    #[test]
    fn braces_escape_and_bad_braces_are_errors() {
        let text = format!("{HEAD}  - doc: \"a {{{{customername}}}} b\"\n    goto: /\n");
        let rb = parse(&text).unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(rb.steps[0].doc.source_text(), "a {customername} b");
        let text = format!("{HEAD}  - doc: \"a {{ b\"\n    goto: /\n");
        assert_eq!(
            errors(&text),
            vec!["8:13 `{` does not start a var reference"]
        );
    }

    #[test]
    fn plain_string_locator_is_refused() {
        let text = format!("{HEAD}  - doc: x\n    click: Invite a user\n");
        assert_eq!(
            errors(&text),
            vec!["9:12 `click` needs a locator naming the element's role"]
        );
    }

    #[test]
    fn two_actions_unknown_action_and_missing_doc() {
        let text = format!("{HEAD}  - doc: x\n    click: {{button: A}}\n    fill: {{label: B, value: c}}\n  - doc: y\n    clik: {{button: A}}\n  - goto: /\n");
        assert_eq!(
            errors(&text),
            vec![
                "10:5 step has two actions: `click` and `fill`",
                "12:5 unknown action `clik`",
                "13:5 `goto` step has no `doc:`",
            ]
        );
    }

    #[test]
    fn literal_secret_is_an_error_and_is_not_echoed() {
        let text = "name: T\nbase_url: https://x\nsecrets:\n  password: \"hunter2\"\nsteps:\n  - doc: x\n    goto: /\n";
        let d = parse(text).err().unwrap_or_default();
        assert_eq!(d.len(), 1);
        let shown = d[0].render(Some(text));
        assert!(
            shown.contains("secret `password` is given as a literal value"),
            "{shown}"
        );
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn wrong_types_and_locator_without_target() {
        let text = format!("{HEAD}  - doc: x\n    destructive: yes\n    click: {{nth: 2}}\n");
        assert_eq!(
            errors(&text),
            vec![
                "9:18 `destructive` must be true or false",
                "10:13 `click` locator has no target"
            ]
        );
    }

    #[test]
    fn use_expands_with_vars_secrets_and_origin() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let login = tmp.path().join("login.yaml");
        std::fs::write(
            &login,
            "name: Login\npartial: true\nvars:\n  login_email: {required: true}\n  greeting: {required: true}\nsecrets:\n  password: {env: PW}\nsteps:\n  - doc: \"Say {greeting}\"\n    fill: {label: Email, value: \"{login_email}\"}\n  - doc: Pw\n    fill: {label: Password, secret: password}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let flow = tmp.path().join("10-flow.yaml");
        std::fs::write(
            &flow,
            "name: Flow\nbase_url: https://x\nvars:\n  customer: {required: true}\nsteps:\n  - doc: Log in\n    use: {runbook: login.yaml, vars: {greeting: \"hi {customer}\"}}\n  - doc: Go\n    goto: /\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
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
        std::fs::write(
            tmp.path().join("inc.yaml"),
            "name: I\npartial: true\nvars:\n  who: x\nsteps:\n  - doc: Go\n    goto: /\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
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
        let inc = tmp.path().join("inc.yaml");
        std::fs::write(
            &inc,
            "name: I\npartial: true\nsteps:\n  - doc: \"Hi {who}\"\n    goto: /\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let flow = tmp.path().join("f.yaml");
        std::fs::write(
            &flow,
            "name: F\nbase_url: https://x\nsteps:\n  - doc: Inc\n    use: inc.yaml\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
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
    fn flow_key_strips_numeric_prefix() {
        assert_eq!(flow_key(Path::new("a/10-invite_user.yaml")), "invite_user");
        assert_eq!(flow_key(Path::new("a/login.yaml")), "login");
        assert_eq!(flow_key(Path::new("a/x-y.yaml")), "x-y");
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
