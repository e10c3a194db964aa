//! Locating: turning a documentation-word locator into exactly one element.
//!
//! Each attempt is one injected script (`locate/resolver.js`, one WebDriver
//! round trip) that computes every candidate's role, accessible name,
//! visibility and box in the page, applies `within` scoping, strictness and
//! `nth`, checks actionability (visible, stable over two animation frames,
//! enabled, receives the click) and reports what it saw, so a failure can say
//! what the page offers instead. Attempts repeat until a deadline.
//!
//! This module takes already-rendered targets ([`ResolvedTarget`]): it knows
//! nothing of YAML, templates or runbook files.

use std::fmt;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use tokio::time::Instant;

use crate::browser::{Browser, CommandError, ElementRef, PageScript};
use crate::runbook::By;

mod diagnosis;
mod target;
pub mod witness;

pub use crate::runbook::Edit;
pub use diagnosis::RENAMED_MIN;
pub use diagnosis::{
    diagnose, words_note, Context, Diagnosed, Diagnosis, DriftClass, Miss, PageMark,
};
pub use target::{ResolvedFrame, ResolvedScope, ResolvedTarget};
pub use witness::Witness;

/// The resolver as the page keeps it (see [`PageScript`]).
pub const RESOLVER: PageScript = PageScript {
    name: "resolver",
    body: RESOLVER_JS,
};

/// The in-page resolver script: the page marker, then the resolver's parts
/// (composed-tree walking, words/roles/names, scopes, failure hints) and its
/// entry point, which reads the script's arguments. Public for the oracle
/// test (tests/oracle.rs), which runs it exactly as `locate` injects it.
pub const RESOLVER_JS: &str = concat!(
    include_str!("locate/page.js"),
    include_str!("locate/words.js"),
    include_str!("locate/resolver/dom.js"),
    include_str!("locate/resolver/names.js"),
    include_str!("locate/resolver/scopes.js"),
    include_str!("locate/resolver/hints.js"),
    include_str!("locate/resolver.js")
);

/// How often a locate attempt is repeated while the element is not ready.
const POLL: Duration = Duration::from_millis(100);

/// What the step needs of the element before it may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Click: visible, stable, enabled and receiving the click at its centre.
    Act,
    /// Fill/select/press: visible, stable, enabled and not covered.
    Input,
    /// Fill by inserting text: [`Purpose::Input`], and then, in the same
    /// script, the field is focused and its text selected so inserted text
    /// replaces it ([`Located::prepared`] says what kind of field it is).
    Type,
    /// Expect: visible is enough.
    Present,
    /// Check, upload, expect checked: like [`Purpose::Present`], but when
    /// nothing visible matches a hidden match will do (a styled checkbox's
    /// native input, a file input behind its button); the action then acts
    /// on what a person would click.
    Any,
}

impl Purpose {
    fn keyword(self) -> &'static str {
        match self {
            Purpose::Act => "act",
            Purpose::Input => "input",
            Purpose::Type => "type",
            Purpose::Present => "present",
            Purpose::Any => "any",
        }
    }
}

/// A box in CSS pixels, relative to the viewport when it was measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct BoxPx {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// One element as the resolver saw it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Candidate {
    /// Tag name, lower case.
    pub tag: String,
    /// Computed ARIA role (empty when it has none).
    pub role: String,
    /// Computed accessible name.
    pub name: String,
    /// Its box.
    #[serde(rename = "box")]
    pub bbox: BoxPx,
    /// Whether it is rendered and visible.
    pub visible: bool,
    /// Why it is not visible ("it is inside nav.menu which has display:none").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_why: Option<String>,
    /// The nearest landmark around it (`main`, `dialog "Invite"`).
    #[serde(rename = "where_", default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Checked state, for checkboxes, radios and switches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
    /// The page's own words that the locator matched, exactly as the page
    /// has them (`Username:` for `label: Username`; the visible text for
    /// `text`, the placeholder for `placeholder`); absent for `css`/`xpath`
    /// and for elements that were not matched by words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// The header of the table column it is in (`Action`), `column 3` when
    /// the column has no header; absent outside tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The nearest visible, named controls of the same kind around it, in
    /// page order and in the step's scope: kept for the element a step acted
    /// on and for a failure's offers, so that a later run can tell the
    /// target's neighbours (which kept their names) from the target renamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<Near>,
}

/// The named controls just before and after an element (nearest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Near {
    /// Up to two names before it, nearest first.
    #[serde(default)]
    pub before: Vec<String>,
    /// Up to two names after it, nearest first.
    #[serde(default)]
    pub after: Vec<String>,
}

impl fmt::Display for Candidate {
    /// `button "Invite user" (main)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.role_name())?;
        if let Some(r) = &self.region {
            write!(f, " ({r})")?;
        }
        if !self.visible {
            match &self.hidden_why {
                Some(why) => write!(f, " (hidden: {why})")?,
                None => f.write_str(" (hidden)")?,
            }
        }
        Ok(())
    }
}

impl Candidate {
    /// `menuitem "Invite a user"`: role (or tag, when it has no role) and name.
    pub fn role_name(&self) -> String {
        let role = if self.role.is_empty() {
            &self.tag
        } else {
            &self.role
        };
        format!("{role} {:?}", self.name)
    }

    /// `button "Save" at 10,20 80x30 (main)`: with the box, for ambiguity errors.
    pub fn with_box(&self) -> String {
        let b = self.bbox;
        let mut s = format!(
            "{} at {:.0},{:.0} {:.0}x{:.0}",
            self.role_name(),
            b.x,
            b.y,
            b.width,
            b.height
        );
        if let Some(r) = &self.region {
            s.push_str(&format!(" in {r}"));
        }
        s
    }
}

/// A control named like the target but not one of its visible matches: one
/// that changed role, or a match hidden in a menu, section or tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    /// The element.
    #[serde(flatten)]
    pub candidate: Candidate,
    /// When hidden: what hides it (`the closed menu "More"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_in: Option<String>,
    /// When hidden: the visible control whose click would show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal: Option<Candidate>,
}

/// The wanted words found under another kind of locator than the one the
/// runbook used (a field by its placeholder, an image by its alt text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// The locator kind that finds it (`placeholder`, `image`, `label`).
    pub by: String,
    /// The page's words it is found by.
    pub words: String,
    /// The element.
    pub element: Candidate,
}

impl Alternative {
    /// `placeholder: Search users`, as a runbook would write it.
    pub fn locator(&self) -> String {
        format!("{}: {}", self.by, self.words)
    }
}

/// Everything one resolver attempt saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Seen {
    /// Page URL at the time.
    pub url: String,
    /// Page title.
    pub title: String,
    /// `document.readyState`.
    pub ready_state: String,
    /// A marker unique to the current document (changes on navigation).
    pub doc: String,
    /// The `within` scope, as text, when one was given.
    #[serde(default)]
    pub scope: Option<String>,
    /// Visible matches (at most 10).
    #[serde(default)]
    pub matches: Vec<Candidate>,
    /// Matches that exist but are not visible (at most 10).
    #[serde(default)]
    pub hidden: Vec<Candidate>,
    /// Controls of the same role in scope, for "did you mean" (failures only).
    #[serde(default)]
    pub offers: Vec<Candidate>,
    /// Number of visible matches.
    #[serde(default)]
    pub match_count: usize,
    /// The page's main heading (first rendered `h1`), empty when none.
    #[serde(default)]
    pub heading: String,
    /// Same-named controls of any role that are not visible matches (failures only).
    #[serde(default)]
    pub related: Vec<Related>,
    /// The scopes of the wanted kind the page has (scope not found only).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The wanted words under other locator kinds (failures only).
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
    /// Visible triggers of closed menus, dropdowns and flyouts (failures only).
    #[serde(default)]
    pub menus: Vec<Candidate>,
    /// Error messages the page shows (alerts, form errors; failures only).
    #[serde(default)]
    pub errors: Vec<String>,
}

impl Seen {
    /// Visible offers ranked by similarity to `wanted`, best first.
    pub fn suggestions(&self, wanted: &str) -> Vec<(f64, &Candidate)> {
        let mut ranked: Vec<(f64, &Candidate)> = self
            .offers
            .iter()
            .filter(|c| c.visible && !c.name.is_empty())
            .map(|c| (similarity(wanted, &c.name), c))
            .collect();
        // Stable sort keeps page order among equals.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked
    }
}

/// The element found, with what the resolver saw.
#[derive(Debug, Clone)]
pub struct Located {
    /// The element, ready for a WebDriver command.
    pub element: ElementRef,
    /// How the element looked when found.
    pub info: Candidate,
    /// The whole attempt.
    pub seen: Seen,
    /// For [`Purpose::Type`]: `{kind: "input"|"editable"|"other", type,
    /// value}` (the field's text before typing), as the resolver prepared it.
    pub prepared: Option<Json>,
}

/// Why a locator did not give one actionable element.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocateError {
    /// Nothing matched (by the deadline).
    #[error("no {0}")]
    NotFound(String, Box<Seen>),
    /// The `within` scope itself is not on the page.
    #[error("no {scope} on the page")]
    ScopeNotFound {
        /// The scope, as text.
        scope: String,
        /// What was seen.
        seen: Box<Seen>,
    },
    /// It matched, but is not visible.
    #[error("it is not visible: {why}")]
    NotVisible {
        /// The reason, naming the hiding ancestor.
        why: String,
        /// What was seen.
        seen: Box<Seen>,
    },
    /// Another element would receive the click.
    #[error("it is covered by {by}")]
    Covered {
        /// The covering element.
        by: String,
        /// What was seen.
        seen: Box<Seen>,
    },
    /// It stayed disabled.
    #[error("it stayed disabled")]
    Disabled(Box<Seen>),
    /// It kept moving (animation) until the deadline.
    #[error("it kept moving (not stable over two animation frames)")]
    Unstable(Box<Seen>),
    /// Two or more visible elements matched and no `nth` was given.
    #[error("it matches {} elements: {}", .candidates.len(), list_with_boxes(.candidates))]
    Ambiguous {
        /// The visible matches.
        candidates: Vec<Candidate>,
        /// What was seen.
        seen: Box<Seen>,
    },
    /// A WebDriver command failed.
    #[error("browser error: {0}")]
    Browser(#[source] CommandError),
    /// The resolver answered something unexpected.
    #[error("the in-page resolver failed: {0}")]
    Script(String),
}

fn list_with_boxes(c: &[Candidate]) -> String {
    c.iter()
        .map(Candidate::with_box)
        .collect::<Vec<_>>()
        .join(", ")
}

impl LocateError {
    /// What the last attempt saw, to amend (frames and windows add to it).
    pub fn seen_mut(&mut self) -> Option<&mut Seen> {
        match self {
            LocateError::NotFound(_, seen)
            | LocateError::ScopeNotFound { seen, .. }
            | LocateError::NotVisible { seen, .. }
            | LocateError::Covered { seen, .. }
            | LocateError::Disabled(seen)
            | LocateError::Unstable(seen)
            | LocateError::Ambiguous { seen, .. } => Some(seen),
            LocateError::Browser(_) | LocateError::Script(_) => None,
        }
    }

    /// What the last attempt saw, when there was one.
    pub fn seen(&self) -> Option<&Seen> {
        match self {
            LocateError::NotFound(_, seen)
            | LocateError::ScopeNotFound { seen, .. }
            | LocateError::NotVisible { seen, .. }
            | LocateError::Covered { seen, .. }
            | LocateError::Disabled(seen)
            | LocateError::Unstable(seen)
            | LocateError::Ambiguous { seen, .. } => Some(seen),
            LocateError::Browser(_) | LocateError::Script(_) => None,
        }
    }
}

/// How the resolver answered one attempt (its `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    /// Exactly one usable element.
    Found,
    /// Nothing matched.
    NotFound,
    /// The `within:` scope is not on the page.
    ScopeNotFound,
    /// Matches exist but none is visible.
    NotVisible,
    /// The match cannot be acted on yet (see [`Blocker`]).
    NotActionable,
    /// Several visible matches and no `nth`.
    Ambiguous,
}

/// Why a found element cannot be acted on yet.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// Another element would receive the click.
    Covered {
        /// The covering element, described.
        #[serde(default)]
        by: Option<String>,
    },
    /// It is disabled.
    Disabled,
    /// It is still moving (animating).
    Unstable,
}

/// The outcome of one resolver attempt.
#[derive(Debug)]
pub struct Attempt {
    /// How the resolver answered.
    pub status: AttemptStatus,
    /// The element, when found.
    pub element: Option<ElementRef>,
    /// The element's description, when found.
    pub found: Option<Candidate>,
    /// What was seen.
    pub seen: Seen,
    /// Why not actionable.
    pub reason: Option<Blocker>,
    /// What [`Purpose::Type`] prepared.
    pub prepared: Option<Json>,
}

/// The longest one resolver call waits in the page for its answer to
/// change (see [`attempt_until`]): a step's deadline is spent in slices of
/// at most this, so a page that navigates away ends a wait soon.
pub const IN_PAGE_WAIT: Duration = Duration::from_secs(2);

/// What an in-page wait waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// An answer other than "not (yet) there or actionable".
    Found,
    /// No visible match.
    Absent,
}

/// Run the resolver once (one WebDriver round trip), answering at once.
///
/// `count` purpose is [`Purpose::Present`] without choosing an element: use it
/// to test absence ([`Seen::match_count`]).
pub async fn attempt(
    browser: &dyn Browser,
    target: &ResolvedTarget,
    purpose: Option<Purpose>,
) -> Result<Attempt, LocateError> {
    attempt_until(browser, target, purpose, Until::Found, None).await
}

/// Run the resolver in one round trip that waits in the page, until
/// `deadline` at most (in slices of [`IN_PAGE_WAIT`]), for the answer to
/// settle `until`: the page tries again on each DOM change (a
/// MutationObserver, and every 100 ms for changes that do not touch the
/// DOM), so the answer comes as soon as the page has it, without a poll
/// from here per try. `None`: answer at once.
pub async fn attempt_until(
    browser: &dyn Browser,
    target: &ResolvedTarget,
    purpose: Option<Purpose>,
    until: Until,
    deadline: Option<Instant>,
) -> Result<Attempt, LocateError> {
    let p = purpose.map_or("count", Purpose::keyword);
    // The script itself must answer within the session's script timeout,
    // which is at least the step's: leave it a margin on the first slice.
    let wait = deadline.map_or(Duration::ZERO, |d| {
        d.saturating_duration_since(Instant::now())
            .saturating_sub(WAIT_MARGIN)
            .min(IN_PAGE_WAIT)
    });
    let until = match until {
        Until::Found => "found",
        Until::Absent => "absent",
    };
    let how = json!({ "ms": u64::try_from(wait.as_millis()).unwrap_or(0), "until": until });
    let v = browser
        .run_script(&RESOLVER, vec![target.to_json(), json!(p), how], true)
        .await
        .map_err(LocateError::Browser)?;
    let status = match v.get("status").and_then(Json::as_str) {
        Some("error") | None => {
            let msg = v
                .get("message")
                .and_then(Json::as_str)
                .unwrap_or("no answer");
            return Err(LocateError::Script(msg.to_string()));
        }
        Some(_) => serde_json::from_value::<AttemptStatus>(v["status"].clone())
            .map_err(|e| LocateError::Script(format!("unknown resolver status: {e}")))?,
    };
    let seen: Seen =
        serde_json::from_value(v.clone()).map_err(|e| LocateError::Script(e.to_string()))?;
    let element = v.get("element").and_then(ElementRef::from_json);
    let found = v
        .get("found")
        .and_then(|f| serde_json::from_value(f.clone()).ok());
    let reason = v
        .get("reason")
        .and_then(|r| serde_json::from_value::<Blocker>(r.clone()).ok());
    Ok(Attempt {
        status,
        element,
        found,
        seen,
        reason,
        prepared: v.get("prepared").cloned(),
    })
}

/// One element's role and accessible name as the resolver computes them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Described {
    /// Computed ARIA role (empty when it has none).
    pub role: String,
    /// Computed accessible name.
    pub name: String,
}

/// The resolver's role and name for every element of
/// `document.querySelectorAll("*")`, in document order (one round trip), to
/// compare with the browser's own (WebDriver "Get Computed Role"/"Label").
pub async fn describe(browser: &dyn Browser) -> Result<Vec<Described>, LocateError> {
    let spec = ResolvedTarget::new(By::Css, "*").to_json();
    let v = browser
        .execute_async(RESOLVER_JS, vec![spec, json!("describe")])
        .await
        .map_err(LocateError::Browser)?;
    match v.get("elements") {
        Some(e) => {
            serde_json::from_value(e.clone()).map_err(|e| LocateError::Script(e.to_string()))
        }
        None => Err(LocateError::Script(
            v.get("message")
                .and_then(Json::as_str)
                .unwrap_or("no elements in the answer")
                .to_string(),
        )),
    }
}

/// What an in-page wait leaves of the step's time for the script's own run.
const WAIT_MARGIN: Duration = Duration::from_millis(250);

/// Find exactly one element for `target`, waiting until `deadline`.
///
/// Each resolver call waits in the page for the target ([`attempt_until`]);
/// while nothing (actionable) is found it is called again;
/// an ambiguous match fails at once. On timeout the error says what the last
/// attempt saw.
pub async fn locate(
    browser: &dyn Browser,
    target: &ResolvedTarget,
    purpose: Purpose,
    deadline: Instant,
) -> Result<Located, LocateError> {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last: LocateError;
    loop {
        tick.tick().await;
        match attempt_until(browser, target, Some(purpose), Until::Found, Some(deadline)).await {
            Ok(a) => match (a.status, a.element, a.found) {
                (AttemptStatus::Found, Some(element), Some(info)) => {
                    return Ok(Located {
                        element,
                        info,
                        seen: a.seen,
                        prepared: a.prepared,
                    })
                }
                (AttemptStatus::Ambiguous, _, _) => {
                    return Err(LocateError::Ambiguous {
                        candidates: a.seen.matches.clone(),
                        seen: Box::new(a.seen),
                    })
                }
                (AttemptStatus::ScopeNotFound, _, _) => {
                    last = LocateError::ScopeNotFound {
                        scope: a.seen.scope.clone().unwrap_or_default(),
                        seen: Box::new(a.seen),
                    }
                }
                (AttemptStatus::NotVisible, _, _) => {
                    let why = a
                        .seen
                        .hidden
                        .first()
                        .and_then(|c| c.hidden_why.clone())
                        .unwrap_or_else(|| "it is hidden".into());
                    last = LocateError::NotVisible {
                        why,
                        seen: Box::new(a.seen),
                    }
                }
                (AttemptStatus::NotActionable, _, _) => {
                    let seen = Box::new(a.seen);
                    last = match a.reason {
                        Some(Blocker::Covered { by }) => LocateError::Covered {
                            by: by.unwrap_or_else(|| "another element".into()),
                            seen,
                        },
                        Some(Blocker::Disabled) => LocateError::Disabled(seen),
                        Some(Blocker::Unstable) | None => LocateError::Unstable(seen),
                    }
                }
                _ => last = LocateError::NotFound(not_found_text(target), Box::new(a.seen)),
            },
            Err(LocateError::Browser(e)) if e.is_transient() => last = LocateError::Browser(e),
            Err(e) => return Err(e),
        }
        if Instant::now() >= deadline {
            return Err(last);
        }
    }
}

/// `button named "Invite a user"`: what "no ..." says for each kind of locator.
pub fn not_found_text(t: &ResolvedTarget) -> String {
    let what = match t.by {
        By::Label => format!("field labelled {:?}", t.name),
        By::Text => format!("text {:?}", t.name),
        By::Placeholder => format!("field with placeholder {:?}", t.name),
        By::Css => format!("element matching css {:?}", t.name),
        By::XPath => format!("element matching xpath {:?}", t.name),
        other => format!("{} named {:?}", other.keyword(), t.name),
    };
    let mut s = what;
    if let Some(n) = t.nth {
        s = format!("{s} number {n}");
    }
    if let Some(w) = &t.within {
        s.push_str(&format!(" within {w}"));
    }
    s
}

/// Similarity of two names in 0..=1: the better of normalised Levenshtein
/// (`strsim`) and token overlap (Jaccard), case-insensitive,
/// whitespace-normalised.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (norm(a), norm(b));
    let lev = strsim::normalized_levenshtein(&a, &b);
    let ta: std::collections::BTreeSet<&str> = a.split(' ').collect();
    let tb: std::collections::BTreeSet<&str> = b.split(' ').collect();
    let inter = ta.intersection(&tb).count() as f64;
    let union = ta.union(&tb).count() as f64;
    let jac = if union == 0.0 { 0.0 } else { inter / union };
    lev.max(jac)
}

/// A name as names are compared, as the resolver's `canon` does (without
/// NFKC): typographic quotes and dashes folded to ASCII, words single-spaced,
/// a trailing `:` and required marker (`*`, `(required)`) stripped, lower case.
pub(crate) fn norm(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let mut t = folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    loop {
        let trimmed = t.trim_end();
        let stripped = trimmed
            .strip_suffix(':')
            .or_else(|| trimmed.strip_suffix('*'))
            .or_else(|| trimmed.strip_suffix("(required)"));
        match stripped {
            Some(rest) => t = rest.trim_end().to_string(),
            None => return trimmed.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_prefers_the_renamed_control() {
        let wanted = "Invite a user";
        let close = similarity(wanted, "Invite user");
        let far = similarity(wanted, "Add Xero support");
        assert!(close > 0.7, "{close}");
        assert!(far < 0.4, "{far}");
        assert_eq!(similarity("Save", " save "), 1.0);
    }

    #[test]
    fn suggestions_rank_visible_offers_by_similarity() {
        let c = |name: &str, visible: bool| Candidate {
            tag: "button".into(),
            role: "button".into(),
            name: name.into(),
            bbox: BoxPx::default(),
            visible,
            hidden_why: None,
            region: Some("main".into()),
            checked: None,
            matched: None,
            ..Default::default()
        };
        let seen = Seen {
            offers: vec![
                c("Add Xero support", true),
                c("Invite a user", false),
                c("Invite user", true),
            ],
            ..Seen::default()
        };
        let s = seen.suggestions("Invite a user");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].1.name, "Invite user");
        assert_eq!(s[0].1.to_string(), "button \"Invite user\" (main)");
    }

    #[test]
    fn names_compare_as_the_resolver_compares_them() {
        assert_eq!(norm("  Username: "), "username");
        assert_eq!(norm("First Name *"), "first name");
        assert_eq!(norm("Email address (required):"), "email address");
        assert_eq!(
            norm("I\u{2019}m \u{201c}in\u{201d} \u{2013} now"),
            "i'm \"in\" - now"
        );
        assert_eq!(similarity("Username", "Username:"), 1.0);
        assert_ne!(norm("Invite a user"), norm("Invite user"));
    }

    #[test]
    fn target_renders_as_written() {
        let mut t = ResolvedTarget::new(By::Button, "Remove");
        t.within = Some(Box::new(ResolvedScope::Row("a@b.c".into())));
        assert_eq!(t.to_string(), "button \"Remove\" within row \"a@b.c\"");
        assert_eq!(
            not_found_text(&t),
            "button named \"Remove\" within row \"a@b.c\""
        );
    }
}
