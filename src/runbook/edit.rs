//! A change to one step's locator, proposed by a drift diagnosis: what
//! `clickpath fix` writes into the runbook file and what `run --heal` uses
//! once a person agrees. Plain data, independent of the YAML text.
//!
//! [`Edit::apply`] changes a model [`Step`] the way the edit would change
//! the runbook file, so the executor can perform the edited step without
//! any file being written.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::{Action, By, Scope, Step, Target, Template};

/// A change to one step's locator: `runbook::patch` turns it into an edit
/// of the file, the executor into a changed target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// Use these words (and maybe another kind of locator):
    /// `{button: Invite a user}` becomes `{button: Invite user}`, or
    /// `{button: Invite a user}` becomes `{link: Invite a user}`.
    Rename {
        /// The locator keyword (`button`, `link`, `label`, `placeholder`...).
        by: String,
        /// The page's words, exactly as the page has them.
        name: String,
    },
    /// Pick one of several matches: add (or change) `nth: N`.
    Nth {
        /// 1-based, in page order.
        nth: usize,
    },
    /// Narrow the search to a scope: add `within: {<scope>: <name>}`.
    Within {
        /// The scope keyword (`row`, `dialog`, `region`, `listitem`).
        scope: String,
        /// The scope's words.
        name: String,
    },
    /// Choose another option of a `select:` step: `option: <name>`.
    Option {
        /// The option's words, as the page has them.
        name: String,
    },
    /// The control is gone while its neighbours stayed: remove the step.
    RemoveStep,
    /// Click another control first: a new step before the failing one,
    /// `click: {<by>: <name>}` (opens the menu that holds the target).
    RevealFirst {
        /// The locator keyword of the control to click.
        by: String,
        /// Its words.
        name: String,
    },
}

impl fmt::Display for Edit {
    /// `use button "Invite user"`, `add nth: 2`, `add within: row "Ann"`,
    /// `click button "More" first`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::Rename { by, name } => write!(f, "use {by} {name:?}"),
            Edit::Nth { nth } => write!(f, "add nth: {nth}"),
            Edit::Within { scope, name } => write!(f, "add within: {scope} {name:?}"),
            Edit::Option { name } => write!(f, "choose option {name:?}"),
            Edit::RevealFirst { by, name } => write!(f, "click {by} {name:?} first"),
            Edit::RemoveStep => f.write_str("remove the step"),
        }
    }
}

/// `click button "More" first, then use menuitem "Invite a user"`: a
/// diagnosis's edits in order.
pub fn describe(edits: &[Edit]) -> String {
    edits
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", then ")
}

/// A step with an [`Edit`] applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    /// For [`Edit::RevealFirst`]: the click to perform before the step,
    /// written where the step is written.
    pub reveal: Option<Step>,
    /// The step, its locator changed (unchanged for `RevealFirst`).
    pub step: Step,
    /// [`Edit::RemoveStep`]: the step is to be removed, not performed.
    pub removed: bool,
}

/// Why an [`Edit`] does not fit a step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// The step's action acts on no element (`goto`, `pause`, ...).
    #[error("a `{action}` step has no locator to change")]
    NoTarget {
        /// The step's action keyword.
        action: &'static str,
    },
    /// `option:` is only for `select` steps.
    #[error("only a `select` step has an option to change, not a `{action}` step")]
    NotSelect {
        /// The step's action keyword.
        action: &'static str,
    },
    /// The edit names a kind of locator runbooks do not have.
    #[error("`{keyword}` is not a locator keyword")]
    UnknownLocator {
        /// The keyword as the edit has it.
        keyword: String,
    },
    /// The edit names a `within:` scope runbooks do not have.
    #[error("`{keyword}` is not a `within:` scope (expected row, listitem, dialog or region)")]
    UnknownScope {
        /// The keyword as the edit has it.
        keyword: String,
    },
    /// `nth:` counts from 1.
    #[error("`nth: 0`: matches are counted from 1")]
    ZeroNth,
}

/// `step` as it would be with `edits` written into the runbook, in order
/// (a reveal, then the new role, say).
pub fn apply_all(edits: &[Edit], step: &Step) -> Result<Edited, EditError> {
    let mut out = Edited {
        reveal: None,
        step: step.clone(),
        removed: false,
    };
    for edit in edits {
        let next = edit.apply(&out.step)?;
        out.step = next.step;
        out.reveal = next.reveal.or(out.reveal);
        out.removed |= next.removed;
    }
    Ok(out)
}

impl Edit {
    /// `step` as it would be with this edit written into the runbook: the
    /// words are the page's, taken literally (no `{var}` in them).
    pub fn apply(&self, step: &Step) -> Result<Edited, EditError> {
        let mut edited = step.clone();
        let action = step.action.keyword();
        let mut reveal = None;
        let mut removed = false;
        match self {
            Edit::RemoveStep => removed = true,
            Edit::Rename { by, name } => {
                let by = locator_kind(by)?;
                let target = edited
                    .action
                    .target_mut()
                    .ok_or(EditError::NoTarget { action })?;
                target.by = by;
                target.name = Template::literal(name.clone());
            }
            Edit::Nth { nth } => {
                if *nth == 0 {
                    return Err(EditError::ZeroNth);
                }
                let target = edited
                    .action
                    .target_mut()
                    .ok_or(EditError::NoTarget { action })?;
                target.nth = Some(*nth);
            }
            Edit::Within { scope, name } => {
                let words = Template::literal(name.clone());
                let scope = match scope.as_str() {
                    "row" => Scope::Row(words),
                    "listitem" => Scope::ListItem(words),
                    "region" => Scope::Region(words),
                    "dialog" if name.trim().is_empty() => Scope::Dialog(None),
                    "dialog" => Scope::Dialog(Some(words)),
                    other => {
                        return Err(EditError::UnknownScope {
                            keyword: other.to_string(),
                        })
                    }
                };
                let target = edited
                    .action
                    .target_mut()
                    .ok_or(EditError::NoTarget { action })?;
                target.within = Some(Box::new(scope));
            }
            Edit::Option { name } => match &mut edited.action {
                Action::Select { option, .. } => *option = Template::literal(name.clone()),
                _ => return Err(EditError::NotSelect { action }),
            },
            Edit::RevealFirst { by, name } => {
                let by = locator_kind(by)?;
                let span = step
                    .action
                    .target()
                    .ok_or(EditError::NoTarget { action })?
                    .span;
                reveal = Some(Step {
                    id: None,
                    doc: Template::literal(format!("Click {} {name:?} first", by.keyword())),
                    action: Action::Click {
                        target: Target::new(by, Template::literal(name.clone()), span),
                    },
                    timeout: step.timeout,
                    destructive: false,
                    note: None,
                    mask: Vec::new(),
                    origin: step.origin.clone(),
                });
            }
        }
        Ok(Edited {
            reveal,
            step: edited,
            removed,
        })
    }
}

/// The kind of locator an edit names.
fn locator_kind(keyword: &str) -> Result<By, EditError> {
    By::from_keyword(keyword).ok_or_else(|| EditError::UnknownLocator {
        keyword: keyword.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;
    use crate::runbook::model::{Origin, Part};

    fn step(action: Action) -> Step {
        Step {
            id: Some("invite".into()),
            doc: Template::literal("Click **Invite a user**"),
            action,
            timeout: None,
            destructive: false,
            note: None,
            mask: Vec::new(),
            origin: Origin {
                file: "runbooks/xero/invite.yaml".into(),
                span: Span::default(),
                via: Vec::new(),
            },
        }
    }

    fn click(by: By, name: &str) -> Step {
        step(Action::Click {
            target: Target::new(by, Template::literal(name), Span::default()),
        })
    }

    fn target(s: &Step) -> &Target {
        s.action
            .target()
            .unwrap_or_else(|| panic!("{s:?} has a target"))
    }

    fn apply(edit: Edit, s: &Step) -> Edited {
        edit.apply(s)
            .unwrap_or_else(|e| panic!("{edit} applies: {e}"))
    }

    #[test]
    fn rename_changes_kind_and_words_and_keeps_the_rest() {
        let mut s = click(By::Button, "Invite a user");
        if let Action::Click { target } = &mut s.action {
            target.within = Some(Box::new(Scope::Region(Template::literal("Users"))));
        }
        let edited = apply(
            Edit::Rename {
                by: "link".into(),
                name: "Invite {user}".into(),
            },
            &s,
        );
        assert_eq!(edited.reveal, None);
        let t = target(&edited.step);
        assert_eq!(t.by, By::Link);
        // The page's words are literal: braces are not a var reference.
        assert_eq!(t.name.parts, vec![Part::Lit("Invite {user}".into())]);
        assert_eq!(t.within, target(&s).within);
        assert_eq!(edited.step.id, s.id);
        assert_eq!(edited.step.origin, s.origin);
    }

    #[test]
    fn nth_and_within_scope_the_target() {
        let s = click(By::Button, "Send invite");
        let t = apply(Edit::Nth { nth: 2 }, &s).step;
        assert_eq!(target(&t).nth, Some(2));
        assert_eq!(Edit::Nth { nth: 0 }.apply(&s), Err(EditError::ZeroNth));
        for (scope, name, want) in [
            ("row", "Ann", Scope::Row(Template::literal("Ann"))),
            ("listitem", "Ann", Scope::ListItem(Template::literal("Ann"))),
            ("region", "Users", Scope::Region(Template::literal("Users"))),
            (
                "dialog",
                "Invite",
                Scope::Dialog(Some(Template::literal("Invite"))),
            ),
            ("dialog", "", Scope::Dialog(None)),
        ] {
            let edit = Edit::Within {
                scope: scope.into(),
                name: name.into(),
            };
            let t = apply(edit, &s).step;
            assert_eq!(target(&t).within.as_deref(), Some(&want), "{scope}");
        }
        let bad = Edit::Within {
            scope: "table".into(),
            name: "x".into(),
        };
        assert!(matches!(bad.apply(&s), Err(EditError::UnknownScope { .. })));
    }

    #[test]
    fn option_changes_a_select_and_nothing_else() {
        let s = step(Action::Select {
            target: Target::new(By::Label, Template::literal("Projects"), Span::default()),
            option: Template::literal("Admin"),
        });
        let edited = apply(
            Edit::Option {
                name: "Administrator".into(),
            },
            &s,
        );
        match &edited.step.action {
            Action::Select { option, target } => {
                assert_eq!(option, &Template::literal("Administrator"));
                assert_eq!(target.name, Template::literal("Projects"));
            }
            other => panic!("{other:?}"),
        }
        let err = Edit::Option { name: "x".into() }.apply(&click(By::Button, "Save"));
        assert_eq!(err, Err(EditError::NotSelect { action: "click" }));
    }

    #[test]
    fn reveal_first_adds_a_click_from_the_same_place() {
        let s = click(By::MenuItem, "Invite a user");
        let edited = apply(
            Edit::RevealFirst {
                by: "button".into(),
                name: "More".into(),
            },
            &s,
        );
        assert_eq!(edited.step, s, "the step itself is unchanged");
        let reveal = edited.reveal.unwrap_or_else(|| panic!("a reveal step"));
        assert_eq!(reveal.origin, s.origin);
        assert!(!reveal.destructive);
        let t = target(&reveal);
        assert_eq!((t.by, t.name.source_text()), (By::Button, "More".into()));
    }

    #[test]
    fn edits_that_do_not_fit_are_typed_errors() {
        let goto = step(Action::Goto {
            url: Template::literal("/"),
            status: None,
        });
        let rename = Edit::Rename {
            by: "button".into(),
            name: "Go".into(),
        };
        assert_eq!(
            rename.apply(&goto),
            Err(EditError::NoTarget { action: "goto" })
        );
        let unknown = Edit::Rename {
            by: "widget".into(),
            name: "Go".into(),
        };
        let err = unknown.apply(&click(By::Button, "Go"));
        assert_eq!(
            err,
            Err(EditError::UnknownLocator {
                keyword: "widget".into()
            })
        );
        assert!(err.is_err_and(|e| e.to_string().contains("`widget`")));
    }
}
