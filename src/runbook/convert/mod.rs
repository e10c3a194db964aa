//! Conversion: the spanned YAML tree -> the runbook model (raw -> checked).
//!
//! Like ripgrep's LowArgs -> HiArgs: every field of one file is read from the
//! tree, checked for its type and shape, and turned into model values, with a
//! positioned [`Diagnostic`] for each problem (all of them, not the first).
//! `use` steps are recorded, not followed: the loader expands them. Step and
//! action fields live in `step.rs`, locators in `locator.rs`. Knows nothing of
//! files, YAML syntax (only the tree) or validation across steps.

mod locator;
mod step;

use std::path::Path;

use super::model::*;
use super::template::{self, is_ident};
use super::yaml::{Node, Scalar};
use crate::diagnostic::{Diagnostic, Span};
use crate::secret::Secret;
use crate::suggest::expected_one_of;

/// The actions a step may perform, in documentation order.
pub const ACTIONS: [&str; 17] = [
    "goto",
    "click",
    "fill",
    "select",
    "check",
    "uncheck",
    "hover",
    "upload",
    "press",
    "expect",
    "totp",
    "pause",
    "screenshot",
    "dialog",
    "switch_window",
    "close_window",
    "use",
];

/// What a plain name is, for labels (see [`is_plain_name`]).
pub(super) const PLAIN_NAME: &str =
    "use letters, digits, `-`, `_` and `.` only: it names a directory of evidence";

const STEP_FIELDS: [&str; 6] = ["doc", "id", "timeout", "destructive", "note", "mask"];
const HEADER_FIELDS: [&str; 10] = [
    "name", "provider", "source", "base_url", "partial", "vars", "secrets", "viewport", "mask",
    "steps",
];
const LOCATOR_MODIFIERS: [&str; 4] = ["contains", "ignore_case", "nth", "within"];

/// One file converted on its own, before `use` expansion.
#[derive(Debug)]
pub(super) struct Parsed {
    /// `name:`.
    pub(super) name: String,
    /// `provider:`; empty when not written (the loader derives it).
    pub(super) provider: String,
    /// `source:`.
    pub(super) source: Option<String>,
    /// `base_url:`; empty when not written.
    pub(super) base_url: String,
    /// `partial:`.
    pub(super) partial: bool,
    /// `vars:`, in declaration order.
    pub(super) vars: Vec<VarDecl>,
    /// `secrets:`, in declaration order.
    pub(super) secrets: Vec<SecretDecl>,
    /// `viewport:`.
    pub(super) viewport: Option<Viewport>,
    /// `mask:`.
    pub(super) mask: Vec<Target>,
    /// The steps and `use` steps, in order.
    pub(super) items: Vec<Item>,
    /// `{name}` references written in this file.
    pub(super) refs: Vec<VarRef>,
    /// Origin spans of steps that write `destructive:`.
    pub(super) destructive_written: Vec<Span>,
}

/// A step as written: a model step, or a `use` of another runbook.
#[derive(Debug)]
pub(super) enum Item {
    /// A step with its action.
    Step(Box<Step>),
    /// A `use` step, expanded by the loader.
    Use(UseStep),
}

/// A `use` step: which runbook to include and the values of its vars.
#[derive(Debug)]
pub(super) struct UseStep {
    /// The included file, as written (relative to the including file).
    pub(super) path: String,
    /// Where the path is written.
    pub(super) path_span: Span,
    /// `vars:` given to the included runbook: name as written, value.
    pub(super) vars: Vec<(Scalar, Template)>,
    /// Where the `use` key is written.
    pub(super) span: Span,
}

/// Convert the tree of one file; `None` when it is not a runbook mapping.
/// Every problem found is in the returned diagnostics.
pub(super) fn convert(file: &Path, root: &Node) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut conv = Conv {
        file,
        diags: Vec::new(),
        refs: Vec::new(),
        destructive_written: Vec::new(),
    };
    let parsed = conv.file(root).map(|mut p| {
        p.refs = std::mem::take(&mut conv.refs);
        p.destructive_written = std::mem::take(&mut conv.destructive_written);
        p
    });
    (parsed, conv.diags)
}

/// The state of converting one file.
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

    /// Parse `{name}` references, recording them and reporting stray braces.
    fn template(&mut self, s: &Scalar) -> Template {
        let parsed = template::parse(&s.value, s.span, s.exact_col);
        self.refs.extend(parsed.refs);
        for span in parsed.stray_braces {
            self.err(
                span,
                "`{` does not start a var reference",
                "expected `{name}`; write `{{` for a literal brace",
            );
        }
        parsed.template
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
            mask: Vec::new(),
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
                        if is_plain_name(&s.value) {
                            p.provider = s.value.clone();
                        } else {
                            self.err(
                                s.span,
                                format!("provider `{}` is not a plain name", s.value),
                                PLAIN_NAME,
                            );
                        }
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
                "mask" => p.mask = self.masks(v),
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
                "width" => vp.width = self.side(v, "width").unwrap_or(vp.width),
                "height" => vp.height = self.side(v, "height").unwrap_or(vp.height),
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

    /// A viewport width or height within [`Viewport::MIN_SIDE`]..=[`Viewport::MAX_SIDE`].
    fn side(&mut self, node: &Node, what: &str) -> Option<u32> {
        let n = self.uint(node, what)?;
        match u32::try_from(n) {
            Ok(n) if (Viewport::MIN_SIDE..=Viewport::MAX_SIDE).contains(&n) => Some(n),
            _ => {
                self.err(
                    node.span(),
                    format!("viewport {what} `{n}` is out of range"),
                    format!(
                        "expected {} to {} CSS pixels",
                        Viewport::MIN_SIDE,
                        Viewport::MAX_SIDE
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use crate::diagnostic::{Diagnostic, Pos};
    use crate::runbook::load::parse_str;
    use crate::runbook::model::*;
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
    fn press_takes_a_named_key_with_a_did_you_mean() {
        let text = format!(
            "{HEAD}  - doc: x\n    press: Return\n  - doc: y\n    press: {{key: Entr, label: Email}}\n"
        );
        let d = parse(&text).err().unwrap_or_default();
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].message, "unknown key `Entr`");
        assert_eq!(
            d[0].span.map(|s| s.start),
            Some(Pos {
                line: 11,
                column: 18
            })
        );
        assert!(
            d[0].label.ends_with(". Did you mean `Enter`?"),
            "{}",
            d[0].label
        );
        let text = format!("{HEAD}  - doc: x\n    press: return\n");
        let rb = parse(&text).unwrap_or_else(|d| panic!("{d:#?}"));
        assert!(matches!(
            rb.steps[0].action,
            Action::Press {
                key: Key::Enter,
                target: None
            }
        ));
    }

    #[test]
    fn viewport_sides_must_be_sensible() {
        let ok = "name: T\nbase_url: https://x\nviewport: {width: 1, height: 10000}\nsteps:\n  - doc: x\n    goto: /\n";
        let rb = parse(ok).unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(
            rb.viewport,
            Some(Viewport {
                width: 1,
                height: 10000
            })
        );
        let bad = "name: T\nbase_url: https://x\nviewport: {width: 0, height: 4294967296}\nsteps:\n  - doc: x\n    goto: /\n";
        let d: Vec<String> = parse(bad)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|d| format!("{:?} {}", d.span.map(|s| s.start.column), d.message))
            .collect();
        assert_eq!(
            d,
            vec![
                "Some(19) viewport width `0` is out of range",
                "Some(30) viewport height `4294967296` is out of range",
            ]
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
}
