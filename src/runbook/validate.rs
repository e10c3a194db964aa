//! Checks across a runbook's steps, returning every problem, not just the first.
//!
//! Works on the [`model`](super::model) types only (no YAML): duplicate step
//! ids, secrets used but not declared, `nth: 0`, empty names, the `css`/`xpath`
//! escape hatch, submit-like buttons not marked `destructive`, and `{var}`
//! references each file makes to names it does not declare. The loader calls
//! [`validate_loaded`] once, after `use` includes are expanded; nothing here
//! knows how the runbook was written down (YAML) or read.

use std::collections::HashMap;
use std::path::Path;

use super::model::*;
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest;

/// First words of buttons that change the account when clicked.
pub const SUBMIT_WORDS: [&str; 14] = [
    "send", "save", "remove", "delete", "confirm", "submit", "invite", "add", "grant", "revoke",
    "yes", "apply", "update", "give",
];

/// Whether a button name reads like a submit (first word is a [`SUBMIT_WORDS`] verb).
pub fn is_submit_like(name: &str) -> bool {
    name.split_whitespace()
        .next()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .is_some_and(|w| SUBMIT_WORDS.contains(&w.as_str()))
}

/// Warn when a step clicks a submit-like button and does not say whether it
/// is destructive; `destructive_written` is whether the step has the key at all.
pub fn unmarked_submit(file: &Path, step: &Step, destructive_written: bool) -> Option<Diagnostic> {
    let Action::Click { target } = &step.action else {
        return None;
    };
    if destructive_written || target.by != By::Button {
        return None;
    }
    let name = target.name.source_text();
    is_submit_like(&name).then(|| {
        Diagnostic::warning(
            file,
            Some(target.span),
            format!("click on submit-like button `{name}` is not marked `destructive`"),
        )
        .with_label(
            "write `destructive: true` if it changes the account, `destructive: false` if it only opens a form",
        )
    })
}

/// Check `{name}` references of one file against its declarations and the built-ins.
pub fn check_refs(
    file: &Path,
    vars: &[VarDecl],
    secrets: &[SecretDecl],
    refs: &[VarRef],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in refs {
        if vars.iter().any(|v| v.name == r.name) || BUILTINS.contains(&r.name.as_str()) {
            continue;
        }
        let label = if secrets.iter().any(|s| s.name == r.name) {
            format!(
                "`{}` is a secret; secrets never appear in text, use `secret: {}` in `fill`",
                r.name, r.name
            )
        } else {
            let names: Vec<&str> = vars
                .iter()
                .map(|v| v.name.as_str())
                .chain(BUILTINS)
                .collect();
            let mut l = format!(
                "not declared in `vars:` (built-ins: {})",
                BUILTINS.join(", ")
            );
            l.push_str(&suggest::hint(&r.name, names));
            l
        };
        out.push(
            Diagnostic::error(file, Some(r.span), format!("unknown var `{}`", r.name))
                .with_label(label),
        );
    }
    out
}

/// Check a loaded runbook and the facts of its files: every `{var}`
/// reference of each file, submit-like clicks not marked `destructive`, then
/// [`validate`]. Returns every problem found (errors and warnings).
pub fn validate_loaded(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in &loaded.files {
        out.extend(check_refs(&f.file, &f.vars, &f.secrets, &f.refs));
    }
    for step in &loaded.runbook.steps {
        let written = loaded
            .files
            .iter()
            .filter(|f| f.file == step.origin.file)
            .any(|f| f.destructive_written.contains(&step.origin.span));
        out.extend(unmarked_submit(&step.origin.file, step, written));
    }
    out.extend(validate(&loaded.runbook));
    out
}

/// Check a runbook model alone (no source facts); returns every problem found.
pub fn validate(rb: &Runbook) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut ids: HashMap<&str, &Step> = HashMap::new();
    for m in &rb.mask {
        check_mask(&rb.path, m, &mut out);
    }
    for (i, step) in rb.steps.iter().enumerate() {
        let file = step.origin.file.as_path();
        let at = Some(step.origin.span);
        if let Some(id) = &step.id {
            if id.trim().is_empty() {
                out.push(Diagnostic::error(
                    file,
                    at,
                    format!("step {} has an empty `id`", i + 1),
                ));
            } else if let Some(first) = ids.get(id.as_str()) {
                let label = if first.origin.file == step.origin.file {
                    format!("first used on line {}", first.origin.span.start.line)
                } else {
                    format!(
                        "first used at {}:{}",
                        first.origin.file.display(),
                        first.origin.span.start.line
                    )
                };
                out.push(
                    Diagnostic::error(file, at, format!("duplicate step id `{id}`"))
                        .with_label(label),
                );
            } else {
                ids.insert(id, step);
            }
        }
        if step.doc.source_text().trim().is_empty() {
            out.push(
                Diagnostic::error(file, at, format!("step {} has an empty `doc:`", i + 1))
                    .with_label("quote the article's words for this step"),
            );
        }
        let secret = match &step.action {
            Action::Fill {
                value: Value::Secret(s),
                ..
            }
            | Action::Totp { secret: s, .. } => Some(s),
            _ => None,
        };
        if let Some(s) = secret {
            if !rb.secrets.iter().any(|d| &d.name == s) {
                let names: Vec<&str> = rb.secrets.iter().map(|d| d.name.as_str()).collect();
                let mut label =
                    "declare it under `secrets:` as `{env: NAME}` or `{file: PATH}`".to_string();
                label.push_str(&suggest::hint(s, names));
                out.push(
                    Diagnostic::error(file, at, format!("secret `{s}` is not declared"))
                        .with_label(label),
                );
            }
        }
        match &step.action {
            Action::Goto { url, .. } if url.source_text().trim().is_empty() => {
                out.push(Diagnostic::error(file, at, "`goto` has an empty URL"));
            }
            Action::SwitchWindow(WindowRef::Title(t) | WindowRef::Url(t))
                if t.source_text().trim().is_empty() =>
            {
                out.push(Diagnostic::error(
                    file,
                    at,
                    "`switch_window` names no window",
                ));
            }
            Action::Screenshot {
                name: Some(name), ..
            } if name.is_empty() => {
                out.push(Diagnostic::error(
                    file,
                    at,
                    "`screenshot` has an empty name",
                ));
            }
            _ => {}
        }
        match (&step.action, step.action.target()) {
            // A crop needs no documented words, as a mask.
            (Action::Screenshot { .. }, Some(t)) => check_mask(file, t, &mut out),
            (_, Some(t)) => check_target(file, t, &mut out),
            (_, None) => {}
        }
        for m in &step.mask {
            check_mask(file, m, &mut out);
        }
    }
    out
}

fn check_target(file: &Path, t: &Target, out: &mut Vec<Diagnostic>) {
    let at: Option<Span> = Some(t.span);
    let kw = t.by.keyword();
    if t.name.source_text().trim().is_empty() {
        out.push(
            Diagnostic::error(file, at, format!("empty `{kw}` name"))
                .with_label("write the element's text as the article words it"),
        );
    }
    if t.by.is_escape_hatch() {
        out.push(
            Diagnostic::warning(file, at, format!("`{kw}` locator is an escape hatch"))
                .with_label("it names no documentation words and breaks when markup changes; prefer button, link, label, text, ..."),
        );
    }
    if t.nth == Some(0) {
        out.push(
            Diagnostic::error(file, at, "`nth` is 1-based")
                .with_label("use `nth: 1` for the first match"),
        );
    }
    if let Some(scope) = t.within.as_deref() {
        check_scope(file, at, scope, out);
    }
}

/// Check a `mask:` locator: as a step's, except that `css:` and `xpath:`
/// are no escape hatch here (a date or an avatar has no documented words).
fn check_mask(file: &Path, t: &Target, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    check_target(file, t, &mut found);
    out.extend(found.into_iter().filter(Diagnostic::is_error));
}

/// Check a `within:` scope. Only the outermost scope, and the scope inside a
/// frame, may name a frame: a frame is a document, not a part of one.
fn check_scope(file: &Path, at: Option<Span>, scope: &Scope, out: &mut Vec<Diagnostic>) {
    match scope {
        Scope::Row(x) | Scope::ListItem(x) | Scope::Region(x) | Scope::Dialog(Some(x))
            if x.source_text().trim().is_empty() =>
        {
            out.push(Diagnostic::error(file, at, "empty `within` scope"));
        }
        Scope::Element(inner) => {
            if has_frame(inner.within.as_deref()) {
                out.push(
                    Diagnostic::error(
                        file,
                        Some(inner.span),
                        "a frame scope inside a locator scope",
                    )
                    .with_label("write the frame first: `within: {frame: X, within: {...}}`"),
                );
            }
            check_target(file, inner, out)
        }
        Scope::Frame { frame, inner } => {
            match frame {
                FrameRef::Name(x) if x.source_text().trim().is_empty() => {
                    out.push(Diagnostic::error(file, at, "empty `frame` name"));
                }
                FrameRef::Name(_) => {}
                FrameRef::Element(t) => {
                    if has_frame(t.within.as_deref()) {
                        out.push(
                            Diagnostic::error(
                                file,
                                Some(t.span),
                                "a frame locator scoped to a frame",
                            )
                            .with_label(
                                "nest frames with `within: {frame: Outer, within: {frame: Inner}}`",
                            ),
                        );
                    }
                    check_target(file, t, out)
                }
            }
            if let Some(inner) = inner.as_deref() {
                check_scope(file, at, inner, out);
            }
        }
        _ => {}
    }
}

/// Whether a scope chain names a frame anywhere.
fn has_frame(scope: Option<&Scope>) -> bool {
    match scope {
        Some(Scope::Frame { .. }) => true,
        Some(Scope::Element(t)) => has_frame(t.within.as_deref()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;
    use std::path::PathBuf;

    fn target(by: By, name: &str) -> Target {
        Target::new(by, Template::literal(name), Span::on_line(3, 5, 2))
    }

    fn step(id: Option<&str>, action: Action, line: usize) -> Step {
        Step {
            id: id.map(str::to_string),
            doc: Template::literal("doc"),
            action,
            timeout: None,
            destructive: false,
            note: None,
            mask: Vec::new(),
            origin: Origin {
                file: PathBuf::from("f.yaml"),
                span: Span::on_line(line, 5, 4),
                via: Vec::new(),
            },
        }
    }

    fn runbook(steps: Vec<Step>) -> Runbook {
        Runbook {
            path: PathBuf::from("f.yaml"),
            name: "n".into(),
            provider: "p".into(),
            flow: "f".into(),
            source: None,
            base_url: "https://x".into(),
            partial: false,
            vars: Vec::new(),
            secrets: Vec::new(),
            viewport: None,
            mask: Vec::new(),
            steps,
        }
    }

    #[test]
    fn reports_every_problem_in_one_pass() {
        let mut nth0 = target(By::Button, "Go");
        nth0.nth = Some(0);
        let rb = runbook(vec![
            step(
                Some("a"),
                Action::Click {
                    target: target(By::Css, "#x"),
                },
                2,
            ),
            step(Some("a"), Action::Click { target: nth0 }, 4),
            step(
                None,
                Action::Fill {
                    target: target(By::Label, ""),
                    value: Value::Secret("pw".into()),
                },
                6,
            ),
        ]);
        let got: Vec<(String, Pos)> = validate(&rb)
            .into_iter()
            .map(|d| {
                (
                    format!("{}: {}", d.severity.word(), d.message),
                    d.span.unwrap_or_default().start,
                )
            })
            .collect();
        let names: Vec<&str> = got.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "warning: `css` locator is an escape hatch",
                "error: duplicate step id `a`",
                "error: `nth` is 1-based",
                "error: secret `pw` is not declared",
                "error: empty `label` name",
            ]
        );
        assert_eq!(got[1].1, Pos { line: 4, column: 5 });
    }

    #[test]
    fn validate_loaded_checks_each_files_refs_and_markings() {
        let send = step(
            None,
            Action::Click {
                target: target(By::Button, "Send invite"),
            },
            2,
        );
        let marked = step(
            None,
            Action::Click {
                target: target(By::Button, "Save"),
            },
            4,
        );
        let facts = FileFacts {
            file: PathBuf::from("f.yaml"),
            refs: vec![VarRef {
                name: "custmer".into(),
                span: Span::on_line(7, 9, 9),
            }],
            destructive_written: vec![marked.origin.span],
            ..FileFacts::default()
        };
        let loaded = Loaded {
            runbook: runbook(vec![send, marked]),
            files: vec![facts],
        };
        let got: Vec<String> = validate_loaded(&loaded)
            .into_iter()
            .map(|d| format!("{}: {}", d.severity.word(), d.message))
            .collect();
        assert_eq!(
            got,
            vec![
                "error: unknown var `custmer`",
                "warning: click on submit-like button `Send invite` is not marked `destructive`",
            ]
        );
    }

    #[test]
    fn submit_like_buttons_need_a_destructive_marking() {
        assert!(is_submit_like("Send invite"));
        assert!(is_submit_like("Remove"));
        assert!(!is_submit_like("Cancel"));
        assert!(!is_submit_like("Settings"));
        let s = step(
            None,
            Action::Click {
                target: target(By::Button, "Send invite"),
            },
            2,
        );
        assert!(unmarked_submit(Path::new("f"), &s, false).is_some());
        assert!(unmarked_submit(Path::new("f"), &s, true).is_none());
        let s = step(
            None,
            Action::Click {
                target: target(By::Link, "Add user"),
            },
            2,
        );
        assert!(unmarked_submit(Path::new("f"), &s, false).is_none());
    }
}
