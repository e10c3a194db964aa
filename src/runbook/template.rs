//! `{var}` templates: text with references to vars and built-ins.
//!
//! Parses the text of a runbook value into a [`Template`], with the exact
//! 1-based position of each `{name}` reference when the text maps character
//! for character onto its source line; `{{` and `}}` are literal braces.
//! Also substitutes the values a `use` step passes into an included runbook's
//! templates. Knows nothing of YAML (callers pass text and positions) or the
//! browser.

use std::collections::HashMap;

use super::model::*;
use crate::diagnostic::Span;

/// A template parsed from text, with what it references and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Parsed {
    /// The template.
    pub(super) template: Template,
    /// Each `{name}` reference, in order.
    pub(super) refs: Vec<VarRef>,
    /// Each `{` that starts no reference (kept as a literal brace).
    pub(super) stray_braces: Vec<Span>,
}

/// Parse `{name}` references in `text`; `{{` and `}}` are literal braces.
///
/// `whole` is where the text is written; `exact_col` is the column of its
/// first character when the text and its source coincide character for
/// character (otherwise positions fall back to `whole`).
pub(super) fn parse(text: &str, whole: Span, exact_col: Option<usize>) -> Parsed {
    let mut refs = Vec::new();
    let mut stray_braces = Vec::new();
    let chars: Vec<char> = text.chars().collect();
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
            let col = exact_col.map(|c0| c0 + i);
            match name {
                Some(name) if is_ident(&name) => {
                    let len = name.chars().count() + 2;
                    let span = match col {
                        Some(c) => Span::on_line(whole.start.line, c, len),
                        None => whole,
                    };
                    refs.push(VarRef {
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
                        Some(c) => Span::on_line(whole.start.line, c, 1),
                        None => whole,
                    };
                    stray_braces.push(span);
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
    Parsed {
        template: Template { parts },
        refs,
        stray_braces,
    }
}

/// Replace references to `subst`'s names by their templates.
pub(super) fn substitute(t: &mut Template, subst: &HashMap<String, Template>) {
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
        substitute_scope(scope, subst);
    }
}

fn substitute_scope(scope: &mut Scope, subst: &HashMap<String, Template>) {
    match scope {
        Scope::Row(x) | Scope::ListItem(x) | Scope::Region(x) | Scope::Dialog(Some(x)) => {
            substitute(x, subst)
        }
        Scope::Dialog(None) => {}
        Scope::Element(inner) => substitute_target(inner, subst),
        Scope::Frame { frame, inner } => {
            match frame {
                FrameRef::Name(x) => substitute(x, subst),
                FrameRef::Element(t) => substitute_target(t, subst),
            }
            if let Some(inner) = inner.as_deref_mut() {
                substitute_scope(inner, subst);
            }
        }
    }
}

/// [`substitute`] in every template of a step.
pub(super) fn substitute_step(step: &mut Step, subst: &HashMap<String, Template>) {
    substitute(&mut step.doc, subst);
    if let Some(note) = &mut step.note {
        substitute(note, subst);
    }
    for m in &mut step.mask {
        substitute_target(m, subst);
    }
    match &mut step.action {
        Action::Goto { url, .. } => substitute(url, subst),
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
        | Action::Hover { target }
        | Action::Upload { target, .. }
        | Action::Totp { target, .. } => substitute_target(target, subst),
        Action::Press { target, .. } => {
            if let Some(t) = target {
                substitute_target(t, subst);
            }
        }
        Action::Expect(e) => match e {
            Expectation::Visible(t)
            | Expectation::Absent(t)
            | Expectation::Checked(t)
            | Expectation::Unchecked(t) => substitute_target(t, subst),
            Expectation::Url(t) | Expectation::Title(t) => substitute(t, subst),
        },
        Action::Pause { message } => substitute(message, subst),
        Action::Screenshot { of, .. } => {
            if let Some(t) = of {
                substitute_target(t, subst);
            }
        }
        Action::CloseWindow => {}
        Action::SwitchWindow(w) => match w {
            WindowRef::Title(t) | WindowRef::Url(t) => substitute(t, subst),
            WindowRef::Main => {}
        },
        Action::Dialog { text, .. } => {
            if let Some(t) = text {
                substitute(t, subst);
            }
        }
    }
}

/// Whether `s` is a var name: a letter or `_`, then letters, digits, `_`.
pub(super) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_get_their_own_column_and_braces_escape() {
        let whole = Span::on_line(4, 10, 20);
        let p = parse("dp-{customer}@x {{lit}}", whole, Some(11));
        assert_eq!(p.template.source_text(), "dp-{customer}@x {lit}");
        assert_eq!(
            p.refs,
            vec![VarRef {
                name: "customer".into(),
                span: Span::on_line(4, 14, 10),
            }]
        );
        assert!(p.stray_braces.is_empty());
    }

    #[test]
    fn stray_braces_and_unknown_columns_fall_back() {
        let whole = Span::on_line(2, 3, 8);
        let p = parse("a { b {x}", whole, None);
        assert_eq!(p.stray_braces, vec![whole]);
        assert_eq!(p.refs[0].span, whole);
        assert_eq!(p.template.references().collect::<Vec<_>>(), vec!["x"]);
    }

    #[test]
    fn substitute_replaces_only_given_names() {
        let mut t = parse("{a}-{b}", Span::default(), None).template;
        let with = parse("x{c}", Span::default(), None).template;
        substitute(&mut t, &HashMap::from([("a".to_string(), with)]));
        assert_eq!(t.source_text(), "x{c}-{b}");
    }
}
