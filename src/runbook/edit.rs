//! A change to one step's locator, proposed by a drift diagnosis: what
//! `clickpath fix` writes into the runbook file and what `run --heal` uses
//! once a person agrees. Plain data, independent of the YAML text.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
