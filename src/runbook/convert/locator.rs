//! Conversion of locators: which element a step means, and `within:` scopes.
//!
//! Knows nothing of the browser (how a locator is looked up is `locate`'s job).

use super::{Conv, LOCATOR_MODIFIERS};
use crate::diagnostic::Diagnostic;
use crate::runbook::model::*;
use crate::runbook::yaml::{Node, Scalar};
use crate::suggest::expected_one_of;

impl Conv<'_> {
    /// A locator: a mapping with exactly one kind and optional modifiers.
    /// `extra` are the action's own fields (`value`, `option`, ...).
    pub(super) fn locator(&mut self, node: &Node, what: &str, extra: &[&str]) -> Option<Target> {
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
            // An action's own field wins over a locator kind of the same word
            // (`select: {label: Role, option: Admin}`).
            if extra.contains(&key) {
                continue;
            }
            if let Some(b) = By::from_keyword(key) {
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

    pub(super) fn scope(&mut self, node: &Node) -> Option<Scope> {
        let entries = self.map(
            node,
            "within",
            "expected `{row: ...}`, `{dialog: true}`, `{frame: ...}` or a locator",
        )?;
        if entries.iter().any(|(k, _)| k.value == "frame") {
            return self.frame_scope(entries);
        }
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

    /// `{frame: Payment}`, `{frame: {css: iframe.pay}}`, either with an inner
    /// `within:` (another frame when frames nest).
    fn frame_scope(&mut self, entries: &[(Scalar, Node)]) -> Option<Scope> {
        let mut frame = None;
        let mut inner = None;
        let mut ok = true;
        for (k, v) in entries {
            match k.value.as_str() {
                "frame" => {
                    frame = match v {
                        Node::Map(..) => self
                            .locator(v, "frame", &[])
                            .map(|t| FrameRef::Element(Box::new(t))),
                        _ => self.text(v, "frame").map(FrameRef::Name),
                    }
                }
                "within" => inner = self.scope(v).map(Box::new),
                other => {
                    let label = expected_one_of(other, &["frame", "within"]);
                    self.err(
                        k.span,
                        format!("unknown field `{other}` of a frame scope"),
                        label,
                    );
                    ok = false;
                }
            }
        }
        let frame = frame?;
        ok.then_some(Scope::Frame { frame, inner })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::runbook::load::parse_str;
    use crate::runbook::model::*;

    fn steps(steps: &str) -> Result<Runbook, Vec<String>> {
        let text = format!("name: T\nbase_url: https://x\nsteps:\n{steps}");
        parse_str(Path::new("t/x/flow.yaml"), &text)
            .map_err(|d| d.iter().map(|d| d.message.clone()).collect())
    }

    fn within(rb: &Runbook) -> Option<&Scope> {
        rb.steps[0]
            .action
            .target()
            .and_then(|t| t.within.as_deref())
    }

    #[test]
    fn frame_scopes_name_a_frame_or_locate_it_and_nest() {
        let rb = steps("  - doc: Pay\n    click: {button: Pay, within: {frame: Payment, within: {frame: {css: iframe.card}, within: {region: Card}}}}\n")
            .unwrap_or_else(|d| panic!("{d:#?}"));
        let Some(Scope::Frame { frame, inner }) = within(&rb) else {
            panic!("{:?}", within(&rb));
        };
        assert_eq!(frame, &FrameRef::Name(Template::literal("Payment")));
        let Some(Scope::Frame { frame, inner }) = inner.as_deref() else {
            panic!("{inner:?}");
        };
        assert!(matches!(frame, FrameRef::Element(t) if t.by == By::Css));
        assert_eq!(
            inner.as_deref(),
            Some(&Scope::Region(Template::literal("Card")))
        );
    }

    #[test]
    fn frame_scopes_reject_unknown_fields_and_frames_inside_locator_scopes() {
        let e = steps("  - doc: Pay\n    click: {button: Pay, within: {frame: Payment, nth: 2}}\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e, vec!["unknown field `nth` of a frame scope".to_string()]);
        let e = steps(
            "  - doc: Pay\n    click: {button: Pay, within: {css: form, within: {frame: Payment}}}\n",
        )
        .err()
        .unwrap_or_default();
        assert!(
            e.iter()
                .any(|m| m == "a frame scope inside a locator scope"),
            "{e:?}"
        );
    }

    #[test]
    fn window_actions_parse() {
        let rb = steps(
            "  - doc: Help\n    switch_window: {title: Help centre}\n\
             \x20 - doc: Back\n    switch_window: main\n\
             \x20 - doc: Url\n    switch_window: {url: /help}\n\
             \x20 - doc: Close\n    close_window: true\n",
        )
        .unwrap_or_else(|d| panic!("{d:#?}"));
        let actions: Vec<&Action> = rb.steps.iter().map(|s| &s.action).collect();
        assert_eq!(
            actions,
            vec![
                &Action::SwitchWindow(WindowRef::Title(Template::literal("Help centre"))),
                &Action::SwitchWindow(WindowRef::Main),
                &Action::SwitchWindow(WindowRef::Url(Template::literal("/help"))),
                &Action::CloseWindow,
            ]
        );
        let e = steps("  - doc: Close\n    close_window: false\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e, vec!["`close_window` takes `true`".to_string()]);
        let e = steps("  - doc: Help\n    switch_window: {name: Help}\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e, vec!["unknown `switch_window` field `name`".to_string()]);
    }
}
