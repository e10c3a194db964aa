//! Building failures: what went wrong in a step, as a typed [`Failure`].
//!
//! Actions report a [`Fail`]: its kind and message, the elements it is
//! about, and (for a locator that missed) what the resolver saw. Once the
//! step's context is known, [`diagnose`] classifies the drift and ranks the
//! page's offers, and [`Fail::into_failure`] yields the manifest's
//! [`Failure`], still unredacted: the runner redacts the whole step record
//! at once ([`crate::secret::Redact`]). [`outline_boxes`] lists the boxes a
//! failure screenshot outlines, their labels redacted. Nothing here talks to
//! the browser.

use std::time::Duration;

use crate::browser::{CommandError, ErrorKind};
use crate::locate::{self, Candidate, Diagnosis, DriftClass, LocateError, Miss, ResolvedTarget};
use crate::outcome::{Failure, FailureKind, StepRecord};
use crate::secret::Redactor;

use super::wait::PageState;

/// Maximum number of "page offers" suggestions in a message.
const MAX_OFFERS: usize = 5;

/// A failing action's report, before it becomes a [`Failure`].
#[derive(Debug)]
pub(crate) struct Fail {
    pub kind: FailureKind,
    /// The one-line reason, not yet redacted.
    pub message: String,
    /// The elements the failure is about (matches, the covered target).
    pub matches: Vec<Candidate>,
    /// What the page offers instead, best first.
    pub offers: Vec<Candidate>,
    /// What the resolver saw, until the step's context is known to diagnose it.
    pub seen: Option<Box<locate::Seen>>,
    /// The locator that missed, and how, for the diagnosis.
    pub miss: Option<Box<(ResolvedTarget, Miss)>>,
    /// The drift classification.
    pub diagnosis: Option<Box<Diagnosis>>,
    /// For a hidden match: the visible control that reveals it.
    pub revealer: Option<Box<Candidate>>,
}

impl Fail {
    /// A failure of `kind` that says `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Fail {
            kind,
            message: message.into(),
            matches: Vec::new(),
            offers: Vec::new(),
            seen: None,
            miss: None,
            diagnosis: None,
            revealer: None,
        }
    }

    /// A WebDriver command failed: the environment's fault when the session
    /// or the network is gone, else the page refused the interaction.
    pub fn command(e: &CommandError) -> Self {
        if e.kind() == ErrorKind::UnexpectedAlert {
            return Fail::new(
                FailureKind::Dialog,
                format!("the page opened a dialog: {}", e.message()),
            );
        }
        if let Some(code) = e.net_error() {
            return Fail::new(
                FailureKind::Navigation,
                format!("the page could not be loaded: {code}"),
            );
        }
        let kind = if e.is_environment() {
            FailureKind::Browser
        } else {
            FailureKind::Input
        };
        Fail::new(kind, format!("browser error: {e}"))
    }

    /// A condition that did not hold within `after`.
    pub fn timeout(waiting_for: &str, after: Duration, last_seen: Option<String>) -> Self {
        let last = last_seen
            .map(|s| format!(" (last seen: {s})"))
            .unwrap_or_default();
        Fail::new(
            FailureKind::Timeout,
            format!(
                "timed out after {} waiting for {waiting_for}{last}",
                secs(after)
            ),
        )
    }

    /// The manifest's failure, not yet redacted: the runner redacts the
    /// step record it goes into, with everything else the page reported.
    pub fn into_failure(self) -> Failure {
        Failure {
            kind: self.kind,
            message: self.message,
            matches: self.matches,
            offers: self.offers,
            diagnosis: self.diagnosis.map(|d| *d),
            fix: None,
        }
    }
}

/// `10s`, `1.5s`: a deadline as a message says it.
pub(crate) fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s:.1}s")
    }
}

/// Turn a locate failure into a step failure; `expect` steps time out
/// waiting for their target rather than "not finding" it; `what` is the
/// locator as text.
pub(crate) fn locate_fail(
    target: &ResolvedTarget,
    e: LocateError,
    expect: bool,
    timeout: Duration,
) -> Fail {
    let what = target.to_string();
    let seen = e.seen().cloned().map(Box::new);
    let miss = match &e {
        LocateError::NotFound(..) => Some(Miss::NotFound),
        LocateError::ScopeNotFound { .. } => Some(Miss::ScopeNotFound),
        LocateError::NotVisible { .. } => Some(Miss::NotVisible),
        LocateError::Ambiguous { .. } => Some(Miss::Ambiguous),
        _ => None,
    };
    let mut fail = match e {
        LocateError::NotFound(..) | LocateError::ScopeNotFound { .. } if expect => {
            let last = match &e {
                LocateError::ScopeNotFound { scope, .. } => format!("no {scope}"),
                _ => format!("no {}", locate::not_found_text(target)),
            };
            Fail::timeout(&format!("{what} to be visible"), timeout, Some(last))
        }
        LocateError::NotFound(..) => Fail::new(
            FailureKind::NotFound,
            format!("no {}", locate::not_found_text(target)),
        ),
        LocateError::ScopeNotFound { scope, seen } => {
            let there = if seen.scopes.is_empty() {
                "the page has none of that kind".to_string()
            } else {
                format!("the page has {}", seen.scopes.join(", "))
            };
            Fail::new(
                FailureKind::NotFound,
                format!("no {scope} (looking for {what}); {there}"),
            )
        }
        LocateError::NotVisible { why, seen } => {
            let note = seen
                .hidden
                .first()
                .map(|c| locate::words_note(&target.name, c))
                .unwrap_or_default();
            Fail::new(
                FailureKind::NotVisible,
                format!("{what} is not visible: {why}{note}"),
            )
        }
        LocateError::Covered { by, seen } => {
            let note = first_note(target, &seen.matches);
            let mut f = Fail::new(
                FailureKind::Covered,
                format!("{what} is covered by {by}{note}"),
            );
            f.matches = seen.matches;
            return f;
        }
        LocateError::Disabled(seen) => {
            let note = first_note(target, &seen.matches);
            let mut f = Fail::timeout(&format!("{what}{note} to become enabled"), timeout, None);
            f.matches = seen.matches;
            return f;
        }
        LocateError::Unstable(seen) => {
            let mut f = Fail::timeout(&format!("{what} to stop moving"), timeout, None);
            f.matches = seen.matches;
            return f;
        }
        LocateError::Ambiguous { candidates, .. } => {
            let list: Vec<String> = candidates.iter().map(Candidate::with_box).collect();
            let mut f = Fail::new(
                FailureKind::Ambiguous,
                format!(
                    "{what} matches {} elements: {}; add `nth:` or `within:`",
                    candidates.len(),
                    list.join(", ")
                ),
            );
            f.matches = candidates;
            f
        }
        LocateError::Browser(e) => Fail::command(&e),
        LocateError::Script(m) => Fail::new(
            FailureKind::Input,
            format!("the in-page resolver failed: {m}"),
        ),
    };
    fail.seen = seen;
    fail.miss = miss.map(|m| Box::new((target.clone(), m)));
    fail
}

/// The words note of the first match (see [`locate::words_note`]).
fn first_note(target: &ResolvedTarget, matches: &[Candidate]) -> String {
    matches
        .first()
        .map(|c| locate::words_note(&target.name, c))
        .unwrap_or_default()
}

/// Classify a locator failure from what the resolver saw and what the run
/// knew before the step (the page it was on, the controls used on this page
/// earlier); rank the page's offers by it.
pub(crate) fn diagnose(
    fail: &mut Fail,
    number: usize,
    before: Option<&PageState>,
    earlier: &[StepRecord],
) {
    let (Some(missed), Some(seen)) = (fail.miss.take(), fail.seen.take()) else {
        return;
    };
    let (target, miss) = *missed;
    let here = seen.url.split('#').next().unwrap_or_default();
    let ctx = locate::Context {
        before: before.filter(|_| number > 1).map(|b| locate::PageMark {
            step: number - 1,
            url: b.url.clone(),
            heading: b.heading.clone(),
        }),
        used_here: earlier
            .iter()
            .filter(|r| {
                r.url
                    .as_deref()
                    .is_some_and(|u| u.split('#').next() == Some(here))
            })
            .filter_map(|r| r.element.as_ref().map(|e| e.name.clone()))
            .collect(),
    };
    let d = locate::diagnose(&target, miss, &seen, &ctx);
    if miss != Miss::Ambiguous {
        let mut offers: Vec<Candidate> = Vec::new();
        if d.diagnosis.class == DriftClass::Hidden {
            offers.extend(d.diagnosis.suggestion.clone());
        }
        for c in d.ranked {
            if !offers.contains(&c) {
                offers.push(c);
            }
        }
        offers.truncate(MAX_OFFERS);
        fail.offers = offers;
    }
    fail.revealer = d.revealer.map(Box::new);
    fail.diagnosis = Some(Box::new(d.diagnosis));
}

/// The boxes a failure screenshot outlines: the failure's matches (red) and
/// suggestions (orange); only the top suggestion (or the control revealing a
/// hidden match) is labelled. Labels are drawn on the page and so kept in
/// the screenshot: they pass through the run's `redactor`.
pub(crate) fn outline_boxes(fail: &Fail, redactor: &Redactor) -> Vec<serde_json::Value> {
    let class = fail.diagnosis.as_ref().map(|d| d.class);
    let top = |c: &Candidate| match class {
        Some(DriftClass::Gone) | Some(DriftClass::WrongPage) => {
            format!("page offers {:?}", c.name)
        }
        Some(DriftClass::InFrame) => format!("{:?} is in this frame", c.name),
        _ => format!("did you mean {:?}?", c.name),
    };
    let reveal = fail.revealer.as_deref().map(|r| {
        let hidden = fail
            .diagnosis
            .as_ref()
            .and_then(|d| d.suggestion.as_ref())
            .map(|s| format!(" to reveal {:?}", s.name))
            .unwrap_or_default();
        (r, "#e80", format!("click {:?}{hidden}", r.name))
    });
    fail.matches
        .iter()
        .map(|c| (c, "#d00", format!("match: {c}")))
        .chain(reveal)
        .chain(
            fail.offers
                .iter()
                .filter(|c| c.visible && Some(*c) != fail.revealer.as_deref())
                .take(3)
                .enumerate()
                .map(|(i, c)| {
                    // Only the best guess gets a label; neighbours would overlap.
                    let label = if i == 0 && fail.revealer.is_none() {
                        top(c)
                    } else {
                        String::new()
                    };
                    (c, "#e80", label)
                }),
        )
        .filter(|(c, _, _)| c.visible && c.bbox.width > 0.0)
        .map(|(c, color, label)| {
            serde_json::json!({
                "x": c.bbox.x, "y": c.bbox.y, "width": c.bbox.width, "height": c.bbox.height,
                "color": color, "label": redactor.redact(&label),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::By;

    #[test]
    fn an_ambiguous_locator_lists_every_match_with_its_box() {
        let c = |name: &str, y: f64| Candidate {
            tag: "button".into(),
            role: "button".into(),
            name: name.into(),
            bbox: locate::BoxPx {
                x: 10.0,
                y,
                width: 80.0,
                height: 30.0,
            },
            visible: true,
            hidden_why: None,
            region: Some("main".into()),
            checked: None,
            matched: None,
        };
        let target = ResolvedTarget::new(By::Button, "Remove");
        let e = LocateError::Ambiguous {
            candidates: vec![c("Remove", 20.0), c("Remove", 60.0)],
            seen: Box::default(),
        };
        let f = locate_fail(&target, e, false, Duration::from_secs(10));
        assert_eq!(f.kind, FailureKind::Ambiguous);
        assert_eq!(
            f.message,
            "button \"Remove\" matches 2 elements: button \"Remove\" at 10,20 80x30 in main, \
             button \"Remove\" at 10,60 80x30 in main; add `nth:` or `within:`"
        );
        assert_eq!(f.matches.len(), 2);
        let mut failure = f.into_failure();
        crate::secret::Redact::redact(
            &mut failure,
            &Redactor::new(&[crate::secret::Secret::new("Remove")]),
        );
        assert!(!failure.message.contains("Remove"));
        assert_eq!(failure.matches[0].name, "***");
    }

    #[test]
    fn an_expect_that_finds_nothing_times_out_waiting_for_it() {
        let target = ResolvedTarget::new(By::Text, "Invite sent");
        let e = LocateError::NotFound("x".into(), Box::default());
        let f = locate_fail(&target, e, true, Duration::from_millis(1500));
        assert_eq!(f.kind, FailureKind::Timeout);
        assert!(f.message.starts_with("timed out after 1.5s waiting for"));
        assert!(f.miss.is_some(), "kept for the diagnosis");
    }
}
