//! Conversion of one step: its fields, its action, `use`, durations.
//!
//! Knows nothing of files or validation across steps; locators are in
//! `locator.rs`.

use std::time::Duration;

use super::{Conv, Item, UseStep, ACTIONS, LOCATOR_MODIFIERS, STEP_FIELDS};
use crate::diagnostic::{Diagnostic, Span};
use crate::runbook::model::*;
use crate::runbook::yaml::{get, node_entries, Node, Scalar};

/// The `within:` kinds `screenshot: {of: …}` takes as a whole.
const SCOPE_KINDS: [&str; 4] = ["region", "dialog", "row", "listitem"];

/// The most CSS pixels `screenshot: {padding}` keeps around an element.
const MAX_PADDING: u32 = 500;
use crate::suggest::{self, expected_one_of};

impl Conv<'_> {
    pub(super) fn step(&mut self, node: &Node) -> Option<Item> {
        let entries = self.map(
            node,
            "step",
            "expected `doc:` and one action such as `click:`",
        )?;
        let mut doc = None;
        let mut id = None;
        let mut timeout = None;
        let mut destructive = false;
        let mut note = None;
        let mut mask = Vec::new();
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
                "note" => note = self.text(v, "note"),
                "mask" => mask = self.masks(v),
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
            note,
            mask,
            origin,
        };
        if entries.iter().any(|(k, _)| k.value == "destructive") {
            self.destructive_written.push(step.origin.span);
        }
        Some(Item::Step(Box::new(step)))
    }

    pub(super) fn duration(&mut self, node: &Node) -> Option<Duration> {
        let s = self.string(node, "timeout")?;
        let v = s.value.trim();
        match parse_duration(v) {
            Ok(d) if d <= Step::MAX_TIMEOUT => Some(d),
            Ok(_) | Err(TooLong) => {
                self.err(
                    s.span,
                    format!("timeout `{v}` is too long"),
                    "a step waits at most 1 hour (`60m`)",
                );
                None
            }
            Err(Invalid) => {
                self.err(
                    s.span,
                    format!("invalid timeout `{v}`"),
                    "expected a duration such as `500ms`, `5s` or `2m`",
                );
                None
            }
        }
    }

    pub(super) fn use_step(&mut self, node: &Node, span: Span) -> Option<UseStep> {
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

    pub(super) fn action(&mut self, keyword: &str, key_span: Span, node: &Node) -> Option<Action> {
        Some(match keyword {
            "goto" => match node {
                Node::Map(entries, _) => {
                    let mut url = None;
                    let mut status = None;
                    for (k, v) in entries {
                        match k.value.as_str() {
                            "url" => url = Some(self.text(v, "url")?),
                            "status" => {
                                let n = self.uint(v, "status")?;
                                match u16::try_from(n).ok().filter(|n| (100..=599).contains(n)) {
                                    Some(n) => status = Some(n),
                                    None => {
                                        self.err(
                                            v.span(),
                                            format!("`status` {n} is not an HTTP status"),
                                            "expected a number from 100 to 599",
                                        );
                                        return None;
                                    }
                                }
                            }
                            other => {
                                let label = expected_one_of(other, &["url", "status"]);
                                self.err(k.span, format!("unknown `goto` field `{other}`"), label);
                                return None;
                            }
                        }
                    }
                    let Some(url) = url else {
                        self.err(key_span, "`goto` has no `url`", "add `url: /path`");
                        return None;
                    };
                    Action::Goto { url, status }
                }
                _ => Action::Goto {
                    url: self.text(node, "goto")?,
                    status: None,
                },
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
            "hover" => Action::Hover {
                target: self.locator(node, keyword, &[])?,
            },
            "upload" => self.upload(node, key_span)?,
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
                    key: self.key(s)?,
                    target: None,
                },
                Node::Map(entries, _) => {
                    let Some(key) = get(entries, "key") else {
                        self.err(key_span, "`press` has no `key`", "add `key: Enter`");
                        return None;
                    };
                    let key = self.string(key, "key")?;
                    let key = self.key(key)?;
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
            "dialog" => {
                let entries = self.map(
                    node,
                    "dialog",
                    "expected `{accept: true, text: \"Remove this user?\"}`",
                )?;
                let mut accept = None;
                let mut text = None;
                for (k, v) in entries {
                    match k.value.as_str() {
                        "accept" => accept = Some(self.bool(v, "accept")?),
                        "text" => text = Some(self.text(v, "text")?),
                        other => {
                            let label = expected_one_of(other, &["accept", "text"]);
                            self.err(k.span, format!("unknown `dialog` field `{other}`"), label);
                            return None;
                        }
                    }
                }
                let Some(accept) = accept else {
                    self.err(
                        key_span,
                        "`dialog` does not say how to answer",
                        "add `accept: true` (OK) or `accept: false` (Cancel)",
                    );
                    return None;
                };
                Action::Dialog { accept, text }
            }
            "switch_window" => Action::SwitchWindow(self.window_ref(node)?),
            "close_window" => match node {
                Node::Scalar(s) if !s.quoted && s.value == "true" => Action::CloseWindow,
                other => {
                    self.err(
                        other.span(),
                        "`close_window` takes `true`",
                        "write `close_window: true` to close the current window",
                    );
                    return None;
                }
            },
            "pause" => Action::Pause {
                message: self.text(node, "pause")?,
            },
            "screenshot" => self.screenshot(node)?,
            _ => return None,
        })
    }

    /// `screenshot: name` or `screenshot: {name, of: <locator>, padding}`.
    fn screenshot(&mut self, node: &Node) -> Option<Action> {
        let Node::Map(entries, _) = node else {
            let s = self.string(node, "screenshot")?;
            return Some(Action::Screenshot {
                name: Some(self.capture_name(s)?),
                of: None,
                padding: 0,
            });
        };
        let (mut name, mut of, mut padding, mut ok) = (None, None, 0, true);
        for (k, v) in entries {
            match k.value.as_str() {
                "name" => match self.string(v, "name") {
                    Some(s) => name = Some(self.capture_name(s)?),
                    None => ok = false,
                },
                "of" => match self.capture_target(v) {
                    Some(t) => of = Some(t),
                    None => ok = false,
                },
                "padding" => {
                    match self.string(v, "padding") {
                        Some(s) => match s.value.trim().parse::<u32>() {
                            Ok(n) if n <= MAX_PADDING => padding = n,
                            _ => {
                                self.err(
                                s.span,
                                format!("invalid padding `{}`", s.value),
                                format!("expected CSS pixels, a whole number from 0 to {MAX_PADDING}"),
                            );
                                ok = false;
                            }
                        },
                        None => ok = false,
                    }
                }
                other => {
                    let label = expected_one_of(other, &["name", "of", "padding"]);
                    self.err(
                        k.span,
                        format!("unknown field `{other}` of screenshot"),
                        label,
                    );
                    ok = false;
                }
            }
        }
        if of.is_none() && name.is_none() && ok {
            self.err(
                node.span(),
                "`screenshot` needs a `name:` or an `of:`",
                "write `screenshot: invite-dialog` or `screenshot: {of: {css: \"[role=dialog]\"}, padding: 16}`",
            );
            return None;
        }
        ok.then_some(Action::Screenshot { name, of, padding })
    }

    /// `of:` an element (a locator) or a whole part of the page (`{region:
    /// …}`, `{dialog: …}`, `{row: …}`, `{listitem: …}`, as in `within:`).
    fn capture_target(&mut self, node: &Node) -> Option<Target> {
        let scope_kind = match node {
            Node::Map(entries, _) => entries
                .iter()
                .any(|(k, _)| SCOPE_KINDS.contains(&k.value.as_str())),
            _ => false,
        };
        if !scope_kind {
            return self.locator(node, "of", &[]);
        }
        let scope = self.scope(node)?;
        Some(Target::whole(scope, node.span()))
    }

    /// A capture's file-name-safe name.
    fn capture_name(&mut self, s: &Scalar) -> Option<String> {
        if s.value.is_empty()
            || !s
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
        Some(s.value.clone())
    }

    /// `mask:` one locator or a list of them.
    pub(super) fn masks(&mut self, node: &Node) -> Vec<Target> {
        match node {
            Node::Seq(items, _) => items
                .iter()
                .filter_map(|n| self.locator(n, "mask", &[]))
                .collect(),
            n => self.locator(n, "mask", &[]).into_iter().collect(),
        }
    }

    /// A named key for `press`, with a did-you-mean when misspelt.
    fn key(&mut self, s: &Scalar) -> Option<Key> {
        if let Some(key) = Key::from_name(&s.value) {
            return Some(key);
        }
        let names = Key::ALL.map(Key::name);
        let mut d = Diagnostic::error(
            self.file,
            Some(s.span),
            format!("unknown key `{}`", s.value),
        )
        .with_label(expected_one_of(&s.value, &names));
        if s.value.chars().count() == 1 {
            d = d.with_help("`press` takes a named key; type text with `fill`");
        }
        self.diags.push(d);
        None
    }

    /// `main`, `{title: Help centre}` or `{url: /help}`.
    fn window_ref(&mut self, node: &Node) -> Option<WindowRef> {
        const HINT: &str = "expected `main`, `{title: ...}` or `{url: ...}`";
        match node {
            Node::Scalar(s) if !s.quoted && s.value == "main" => Some(WindowRef::Main),
            Node::Map(entries, _) if entries.len() == 1 => {
                let (k, v) = &entries[0];
                match k.value.as_str() {
                    "title" => Some(WindowRef::Title(self.text(v, "title")?)),
                    "url" => Some(WindowRef::Url(self.text(v, "url")?)),
                    other => {
                        let label = expected_one_of(other, &["title", "url"]);
                        self.err(
                            k.span,
                            format!("unknown `switch_window` field `{other}`"),
                            label,
                        );
                        None
                    }
                }
            }
            other => {
                self.err(other.span(), "`switch_window` names no window", HINT);
                None
            }
        }
    }

    pub(super) fn expectation(&mut self, node: &Node) -> Option<Expectation> {
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
        if let Some(v) = get(entries, "checked") {
            return Some(Expectation::Checked(self.locator(v, "checked", &[])?));
        }
        if let Some(v) = get(entries, "unchecked") {
            return Some(Expectation::Unchecked(self.locator(v, "unchecked", &[])?));
        }
        Some(Expectation::Visible(self.locator(
            node,
            "expect",
            &["url", "title", "absent", "checked", "unchecked"],
        )?))
    }

    /// `upload: {label: Logo, file: files/logo.png}`: the file is relative to
    /// the runbook's own file and must exist now, not halfway through a run.
    fn upload(&mut self, node: &Node, key_span: Span) -> Option<Action> {
        let target = self.locator(node, "upload", &["file"])?;
        let Some(file) = get(node_entries(node), "file") else {
            self.err(
                key_span,
                "`upload` has no `file`",
                "add `file:` with a path relative to this runbook",
            );
            return None;
        };
        let file = self.string(file, "file")?;
        let dir = self.file.parent().unwrap_or(std::path::Path::new(""));
        let path = dir.join(&file.value);
        if file.value.trim().is_empty() || !path.is_file() {
            self.err(
                file.span,
                format!("file `{}` does not exist", file.value),
                format!(
                    "the path is relative to the runbook's folder: {} is not a file",
                    path.display()
                ),
            );
            return None;
        }
        // WebDriver wants an absolute path without `..` (chromedriver: "path
        // is not canonical"); the file exists, so this resolves.
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        Some(Action::Upload {
            target,
            file: file.value.clone(),
            path,
        })
    }
}

/// Why a duration could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DurationError {
    /// Not a number followed by `ms`, `s` or `m`.
    Invalid,
    /// A number too large for a [`Duration`].
    TooLong,
}
use DurationError::{Invalid, TooLong};

/// `500ms`, `1.5s` or `2m` as a [`Duration`]; total: never panics or overflows.
fn parse_duration(v: &str) -> Result<Duration, DurationError> {
    let whole = |n: &str| match n.trim().parse::<u64>() {
        Ok(n) => Ok(n),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => Err(TooLong),
        Err(_) => Err(Invalid),
    };
    if let Some(n) = v.strip_suffix("ms") {
        whole(n).map(Duration::from_millis)
    } else if let Some(n) = v.strip_suffix('s') {
        let secs = n.trim().parse::<f64>().map_err(|_| Invalid)?;
        if !secs.is_finite() || secs < 0.0 {
            return Err(Invalid);
        }
        Duration::try_from_secs_f64(secs).map_err(|_| TooLong)
    } else if let Some(n) = v.strip_suffix('m') {
        let secs = whole(n)?.checked_mul(60).ok_or(TooLong)?;
        Ok(Duration::from_secs(secs))
    } else {
        Err(Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_notes_and_crops_parse() {
        let text = "name: T\nbase_url: https://x\nmask: [{css: .avatar}, {text: Last login, contains: true}]\nsteps:\n  - doc: Go\n    goto: /\n    note: \"Sign in first\"\n    mask: {cell: \"2026-01-31\"}\n  - doc: The dialog\n    screenshot: {of: {dialog: Invite a user}, padding: 12}\n  - doc: The button\n    screenshot: {name: send, of: {button: Send invite}}\n";
        let rb = crate::runbook::load::parse_str(std::path::Path::new("t/x/10-flow.yaml"), text)
            .unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(rb.mask.len(), 2);
        assert_eq!(rb.mask[1].by, By::Text);
        assert!(rb.mask[1].contains);
        let go = &rb.steps[0];
        assert_eq!(
            go.note.as_ref().map(Template::source_text).as_deref(),
            Some("Sign in first")
        );
        assert_eq!(go.mask.len(), 1);
        assert_eq!(go.mask[0].by, By::Cell);
        match &rb.steps[1].action {
            Action::Screenshot {
                name,
                of: Some(t),
                padding,
            } => {
                assert_eq!((name.as_deref(), *padding), (None, 12));
                assert!(t.is_whole());
                assert_eq!(
                    t.within.as_deref(),
                    Some(&Scope::Dialog(Some(Template::literal("Invite a user"))))
                );
            }
            other => panic!("{other:?}"),
        }
        match &rb.steps[2].action {
            Action::Screenshot {
                name,
                of: Some(t),
                padding,
            } => {
                assert_eq!((name.as_deref(), *padding), (Some("send"), 0));
                assert_eq!(t.by, By::Button);
                assert!(!t.is_whole());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hover_upload_and_checked_expectations_parse() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("logo.png"), b"png").expect("file");
        let file = dir.path().join("flow.yaml");
        let text =
            "name: T\nbase_url: https://x\nsteps:\n  - doc: a\n    hover: {button: Actions}\n\
            \x20 - doc: b\n    upload: {label: Logo, file: logo.png}\n\
            \x20 - doc: c\n    expect: {checked: {checkbox: Org Admin}}\n\
            \x20 - doc: d\n    expect: {unchecked: {checkbox: Payroll}}\n";
        let rb = crate::runbook::load::parse_str(&file, text).unwrap_or_else(|d| panic!("{d:#?}"));
        let kinds: Vec<&str> = rb.steps.iter().map(|s| s.action.keyword()).collect();
        assert_eq!(kinds, ["hover", "upload", "expect", "expect"]);
        match &rb.steps[1].action {
            Action::Upload { file, path, target } => {
                assert_eq!(file, "logo.png");
                let want = std::fs::canonicalize(dir.path().join("logo.png")).expect("canonical");
                assert_eq!(path, &want);
                assert_eq!(target.by, By::Label);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            rb.steps[2].action,
            Action::Expect(Expectation::Checked(_))
        ));
        assert!(matches!(
            rb.steps[3].action,
            Action::Expect(Expectation::Unchecked(_))
        ));
        let missing = text.replace("logo.png", "nope.png");
        let d = crate::runbook::load::parse_str(&file, &missing)
            .err()
            .unwrap_or_default();
        let got: Vec<(String, usize, usize)> = d
            .iter()
            .map(|d| {
                let p = d.span.map(|s| s.start).unwrap_or_default();
                (d.message.clone(), p.line, p.column)
            })
            .collect();
        assert_eq!(got, [("file `nope.png` does not exist".to_string(), 7, 33)]);
    }

    #[test]
    fn durations_parse_totally() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("99999999999999999999s"), Err(TooLong));
        assert_eq!(parse_duration("1e20s"), Err(TooLong));
        assert_eq!(parse_duration("99999999999999999999ms"), Err(TooLong));
        assert_eq!(parse_duration("99999999999999999999m"), Err(TooLong));
        assert_eq!(parse_duration("307445734561825861m"), Err(TooLong));
        assert_eq!(parse_duration("infs"), Err(Invalid));
        assert_eq!(parse_duration("NaNs"), Err(Invalid));
        assert_eq!(parse_duration("-1s"), Err(Invalid));
        assert_eq!(parse_duration("soon"), Err(Invalid));
        assert_eq!(parse_duration("5"), Err(Invalid));
    }
}
