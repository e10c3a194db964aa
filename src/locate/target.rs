//! The targets `locate` takes: a runbook [`Target`] with its templates
//! rendered to plain text, its `within:` scopes and frames, and how each is
//! shown in messages (`label "Card number" within frame "Payment"`).

use std::fmt;

use serde_json::{json, Value as Json};

use crate::runbook::{By, FrameRef, Scope, Target, Template};

/// A [`crate::runbook::Target`] with its templates rendered to plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTarget {
    /// How the element is named.
    pub by: By,
    /// The name, label or text (or selector for `css`/`xpath`).
    pub name: String,
    /// Match a substring instead of the whole normalised name.
    pub contains: bool,
    /// Compare case-insensitively.
    pub ignore_case: bool,
    /// 1-based index among several visible matches.
    pub nth: Option<usize>,
    /// The region to search within.
    pub within: Option<Box<ResolvedScope>>,
}

impl ResolvedTarget {
    /// A strict, exact target with no scope.
    pub fn new(by: By, name: impl Into<String>) -> Self {
        ResolvedTarget {
            by,
            name: name.into(),
            contains: false,
            ignore_case: false,
            nth: None,
            within: None,
        }
    }

    pub(super) fn to_json(&self) -> Json {
        json!({
            "by": self.by.keyword(),
            "name": self.name,
            "contains": self.contains,
            "ignoreCase": self.ignore_case,
            "nth": self.nth,
            "within": self.within.as_ref().map(|w| w.to_json()),
        })
    }
}

/// A [`crate::runbook::Scope`] with its templates rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedScope {
    /// The table row containing this text.
    Row(String),
    /// The list item containing this text.
    ListItem(String),
    /// The open dialog, optionally the one with this name.
    Dialog(Option<String>),
    /// A landmark or section by name or heading.
    Region(String),
    /// The element another locator finds.
    Element(ResolvedTarget),
    /// A frame's document, optionally a scope inside it. The executor
    /// enters frames itself (`execute::frames`); the resolver never sees one.
    Frame {
        /// Which frame.
        frame: ResolvedFrame,
        /// The scope inside the frame's document.
        inner: Option<Box<ResolvedScope>>,
    },
}

/// A [`crate::runbook::FrameRef`] with its templates rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedFrame {
    /// By title, `name` attribute or `aria-label`.
    Name(String),
    /// The frame element another locator finds.
    Element(Box<ResolvedTarget>),
}

impl fmt::Display for ResolvedFrame {
    /// `frame "Payment"` or `frame (css "iframe.pay")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolvedFrame::Name(n) => write!(f, "frame {n:?}"),
            ResolvedFrame::Element(t) => write!(f, "frame ({t})"),
        }
    }
}

impl ResolvedTarget {
    /// Render a model [`Target`]'s templates with `render` (vars already known).
    pub fn from_target(t: &Target, render: &dyn Fn(&Template) -> String) -> Self {
        ResolvedTarget {
            by: t.by,
            name: render(&t.name),
            contains: t.contains,
            ignore_case: t.ignore_case,
            nth: t.nth,
            within: t
                .within
                .as_ref()
                .map(|s| Box::new(ResolvedScope::from_scope(s, render))),
        }
    }
}

impl ResolvedScope {
    /// Render a model [`Scope`]'s templates with `render`.
    pub fn from_scope(s: &Scope, render: &dyn Fn(&Template) -> String) -> Self {
        match s {
            Scope::Row(x) => ResolvedScope::Row(render(x)),
            Scope::ListItem(x) => ResolvedScope::ListItem(render(x)),
            Scope::Dialog(x) => ResolvedScope::Dialog(x.as_ref().map(render)),
            Scope::Region(x) => ResolvedScope::Region(render(x)),
            Scope::Element(t) => ResolvedScope::Element(ResolvedTarget::from_target(t, render)),
            Scope::Frame { frame, inner } => ResolvedScope::Frame {
                frame: match frame {
                    FrameRef::Name(x) => ResolvedFrame::Name(render(x)),
                    FrameRef::Element(t) => {
                        ResolvedFrame::Element(Box::new(ResolvedTarget::from_target(t, render)))
                    }
                },
                inner: inner
                    .as_ref()
                    .map(|i| Box::new(ResolvedScope::from_scope(i, render))),
            },
        }
    }
}

impl ResolvedScope {
    pub(super) fn to_json(&self) -> Json {
        match self {
            ResolvedScope::Row(n) => json!({"kind": "row", "name": n}),
            ResolvedScope::ListItem(n) => json!({"kind": "listitem", "name": n}),
            ResolvedScope::Dialog(n) => json!({"kind": "dialog", "name": n}),
            ResolvedScope::Region(n) => json!({"kind": "region", "name": n}),
            ResolvedScope::Element(t) => json!({"kind": "element", "target": t.to_json()}),
            // Entered by the executor before the resolver runs; one left
            // here (validation forbids it) is a scope the page does not have.
            ResolvedScope::Frame { frame, .. } => {
                json!({"kind": "frame", "name": frame.to_string()})
            }
        }
    }
}

impl fmt::Display for ResolvedTarget {
    /// `button "Invite a user"`, plus flags and scope as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(w), By::XPath, Target::WHOLE) = (&self.within, self.by, self.name.as_str()) {
            return write!(f, "{w}");
        }
        write!(f, "{} {:?}", self.by.keyword(), self.name)?;
        if self.contains {
            f.write_str(" (contains)")?;
        }
        if self.ignore_case {
            f.write_str(" (ignore case)")?;
        }
        if let Some(n) = self.nth {
            write!(f, " nth {n}")?;
        }
        if let Some(w) = &self.within {
            write!(f, " within {w}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ResolvedScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolvedScope::Row(n) => write!(f, "row {n:?}"),
            ResolvedScope::ListItem(n) => write!(f, "listitem {n:?}"),
            ResolvedScope::Dialog(Some(n)) => write!(f, "dialog {n:?}"),
            ResolvedScope::Dialog(None) => f.write_str("dialog"),
            ResolvedScope::Region(n) => write!(f, "region {n:?}"),
            ResolvedScope::Element(t) => write!(f, "({t})"),
            ResolvedScope::Frame { frame, inner } => {
                write!(f, "{frame}")?;
                match inner {
                    Some(i) => write!(f, " > {i}"),
                    None => Ok(()),
                }
            }
        }
    }
}
