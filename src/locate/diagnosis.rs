//! Diagnosis of a failed locator: what changed on the page, in one word and
//! one sentence, with the most likely replacement (issue 6).
//!
//! Works only on what the in-page resolver already reported ([`Seen`]: the
//! visible and hidden matches, the same-role controls in scope, same-named
//! controls of other roles with what reveals them, URL and main heading) plus
//! what the run knew before the step ([`Context`]). It sends no WebDriver
//! command and knows nothing of runbook files.
//!
//! Rules, first match wins:
//!
//! 1. **ambiguous**: two or more visible matches; names them all.
//! 2. **renamed** (role changed): a *visible* control of another role carries
//!    the wanted name (`link "Invite a user"` for `button "Invite a user"`).
//!    **renamed** too: nothing of the kind has the words, but a visible field
//!    has them as its placeholder or an image as its alt text (or a field as
//!    its label): names the locator to use (`placeholder: Search`).
//! 3. **hidden**: a control with the wanted name exists but is not visible;
//!    says what hides it (a closed menu, a collapsed section, another tab) and
//!    which visible control would reveal it, and when its words differ only
//!    in punctuation or case, says so.
//!    **wrong_page**: nothing matched and the page shows an error message
//!    (an alert, a form's error list or note, an invalid field's description):
//!    it is quoted instead of guessing a rename.
//! 4. **renamed**: a visible control of the same role in scope has a close
//!    name: [`closeness`] ≥ [`RENAMED_MIN`], or it is the only control of that
//!    role inside the step's `within:` scope. Candidates are ranked by
//!    closeness, minus [`CHROME_PENALTY`] in page chrome (banner, navigation,
//!    footer), then by document order. A control an earlier step of the run
//!    acted on, on this same page, is never taken for a renamed one.
//! 5. **wrong_page**: the page is not the one the previous step ended on (its
//!    URL without fragment, or its main heading, changed although the failing
//!    step had not acted yet), or the page has no control of the target's
//!    role at all (no `within:`), so the previous step led somewhere else.
//! 6. **gone**: nothing close; lists what the scoped region offers of that role.
//!    A missing `within:` scope lists the scopes of that kind the page has.
//!
//! When nothing matched, the summaries of rules 5 and 6 also name the page's
//! closed menus and dropdowns (`aria-haspopup`, `aria-expanded=false`), whose
//! items often exist only while they are open.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::witness::{self, Fit, Witness, WITNESS_MIN};
use super::{norm, similarity, Candidate, Related, ResolvedTarget, Seen};
use crate::runbook::{By, Edit};

/// Lowest [`closeness`] at which a control counts as the target renamed.
pub const RENAMED_MIN: f64 = 0.5;

/// Subtracted from the closeness of controls in page chrome (banner,
/// navigation, footer): documented targets are usually in the content.
pub const CHROME_PENALTY: f64 = 0.1;

/// What kind of drift a failed locator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DriftClass {
    /// A control of the same role (or the same name in another role) replaced it.
    Renamed,
    /// It exists but is hidden (menu, collapsed section, another tab).
    Hidden,
    /// Several visible controls match.
    Ambiguous,
    /// Nothing close is left.
    Gone,
    /// The page is not the one the previous steps led to.
    WrongPage,
    /// It is inside a frame the runbook did not scope to (`within: {frame: ...}`).
    InFrame,
}

impl DriftClass {
    /// Machine name: `renamed`, `hidden`, `ambiguous`, `gone`, `wrong_page`, `in_frame`.
    pub fn name(self) -> &'static str {
        match self {
            DriftClass::Renamed => "renamed",
            DriftClass::Hidden => "hidden",
            DriftClass::Ambiguous => "ambiguous",
            DriftClass::Gone => "gone",
            DriftClass::WrongPage => "wrong_page",
            DriftClass::InFrame => "in_frame",
        }
    }
}

impl fmt::Display for DriftClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The classification of a failed locator, as stored in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnosis {
    /// What kind of drift it is.
    pub class: DriftClass,
    /// One sentence for a human (`did you mean button "Invite user" (main) instead of "Invite a user"?`).
    pub summary: String,
    /// The most likely replacement (for `ambiguous`: the first match).
    #[serde(default)]
    pub suggestion: Option<Candidate>,
    /// For `hidden`: the control to click first (`button "More"`).
    #[serde(default)]
    pub reveal: Option<String>,
    /// The change to the step's locator that would make it find the
    /// suggestion: what `clickpath fix` writes into the runbook and what
    /// `run --heal` offers. Absent when there is nothing to propose (`gone`,
    /// `wrong_page`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix: Vec<Edit>,
}

/// How the resolver answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// Nothing matched.
    NotFound,
    /// The `within:` scope is not on the page.
    ScopeNotFound,
    /// Matches exist but none is visible.
    NotVisible,
    /// Several visible matches.
    Ambiguous,
}

/// A page as the run saw it: URL and main heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMark {
    /// The previous step's number (1-based).
    pub step: usize,
    /// `location.href`.
    pub url: String,
    /// Main heading (first rendered `h1`).
    pub heading: String,
}

/// What the run knew before the failing step.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The page the previous step ended on, when there was one.
    pub before: Option<PageMark>,
    /// Names of controls earlier steps acted on, on this same page.
    pub used_here: Vec<String>,
    /// What the last good run of this runbook saw at this step, when it was
    /// on the same page ([`witness`](super::witness)).
    pub witness: Option<Witness>,
}

/// A diagnosis and the page's offers ranked by it, best first.
#[derive(Debug, Clone)]
pub struct Diagnosed {
    /// The classification.
    pub diagnosis: Diagnosis,
    /// Visible same-role controls in scope, best replacement first.
    pub ranked: Vec<Candidate>,
    /// For `hidden`: the visible control that reveals the match (with its box).
    pub revealer: Option<Candidate>,
}

/// Classify why `target` did not resolve, from the last attempt's `seen`.
pub fn diagnose(target: &ResolvedTarget, miss: Miss, seen: &Seen, ctx: &Context) -> Diagnosed {
    let ranked = rank(target, seen, ctx);
    let mut out = Diagnosed {
        diagnosis: Diagnosis {
            class: DriftClass::Gone,
            summary: String::new(),
            suggestion: None,
            reveal: None,
            fix: Vec::new(),
        },
        ranked: ranked.iter().map(|(_, c)| (*c).clone()).collect(),
        revealer: None,
    };
    let d = &mut out.diagnosis;
    let wanted = &target.name;

    // 1. Several visible matches.
    if miss == Miss::Ambiguous && seen.matches.len() > 1 {
        ambiguous(target, seen, ctx, d);
        return out;
    }

    // 2. The same name, visible, in another role.
    if let Some(r) = seen.related.iter().find(|r| r.candidate.visible) {
        d.class = DriftClass::Renamed;
        d.summary = format!(
            "did you mean {} instead of {} {wanted:?}? (it is no longer a {})",
            r.candidate,
            kind_word(target.by),
            kind_word(target.by)
        );
        d.suggestion = Some(r.candidate.clone());
        d.fix = vec![rename(target.by, &r.candidate)];
        out.ranked.insert(0, r.candidate.clone());
        return out;
    }

    // 2b. The same words under another kind of locator (a placeholder, an alt text).
    if let Some(a) = seen.alternatives.first().filter(|_| miss == Miss::NotFound) {
        d.class = DriftClass::Renamed;
        d.summary = format!(
            "no {} {wanted:?}, but {} has these words as its {}: use `{}`",
            kind_word(target.by),
            a.element,
            alternative_what(&a.by),
            a.locator()
        );
        d.suggestion = Some(a.element.clone());
        d.fix = vec![Edit::Rename {
            by: a.by.clone(),
            name: a.words.clone(),
        }];
        out.ranked.insert(0, a.element.clone());
        return out;
    }

    // 3. The same name, hidden.
    if let Some(r) = hidden_match(seen) {
        let what = r.candidate.role_name();
        let inside = r
            .hidden_in
            .as_ref()
            .map(|c| format!(" inside {c}"))
            .or_else(|| r.candidate.hidden_why.as_ref().map(|w| format!(" ({w})")))
            .unwrap_or_default();
        let inside = inside + &words_note(wanted, &r.candidate);
        d.class = DriftClass::Hidden;
        d.suggestion = Some(r.candidate.clone());
        match &r.reveal {
            Some(rev) => {
                let click = rev.role_name();
                d.summary = format!(
                    "{what} exists but is hidden{inside}; click {click} first to reveal it"
                );
                d.reveal = Some(click);
                d.fix = vec![Edit::RevealFirst {
                    by: locator_keyword(By::Css, rev).to_string(),
                    name: rev.name.clone(),
                }];
                // Revealed, it may still be of another role than the locator's.
                let by = locator_keyword(target.by, &r.candidate);
                if by != target.by.keyword() {
                    d.fix.push(Edit::Rename {
                        by: by.to_string(),
                        name: r.candidate.name.clone(),
                    });
                }
                out.revealer = Some(rev.clone());
            }
            None => d.summary = format!("{what} exists but is hidden{inside}"),
        }
        return out;
    }

    // 3b. The page says what went wrong: quote it rather than guess a rename.
    if miss == Miss::NotFound && !seen.errors.is_empty() {
        d.class = DriftClass::WrongPage;
        let quoted: Vec<String> = seen.errors.iter().map(|e| format!("{e:?}")).collect();
        let led = ctx
            .before
            .as_ref()
            .map(|b| format!("; step {} did not lead where the runbook expects", b.step))
            .unwrap_or_default();
        d.summary = format!(
            "no {} {wanted:?}: the page shows an error: {}{led}",
            kind_word(target.by),
            join_and(&quoted)
        );
        return out;
    }

    // 4. What the last good run saw: the control standing where the target
    // stood, with its neighbours, even when its words changed completely.
    if let Some((fit, best)) = witnessed(target, seen, ctx) {
        let run = ctx.witness.as_ref().map_or("", |w| w.run_id.as_str());
        d.class = DriftClass::Renamed;
        d.summary = format!(
            "did you mean {best} instead of {wanted:?}? ({})",
            fit.explain(run)
        );
        d.suggestion = Some(best.clone());
        d.fix = vec![rename(target.by, best)];
        out.ranked.retain(|c| c != best);
        out.ranked.insert(0, best.clone());
        return out;
    }

    // 4b. A close name in the same role.
    let sole_in_scope = target.within.is_some() && miss != Miss::ScopeNotFound && ranked.len() == 1;
    if let Some((score, best)) = ranked.first() {
        if *score >= RENAMED_MIN || (sole_in_scope && *score > 0.0) {
            d.class = DriftClass::Renamed;
            d.summary = format!("did you mean {best} instead of {wanted:?}?");
            if *score < RENAMED_MIN {
                d.summary.push_str(&format!(
                    " (the only {} in {})",
                    kind_word(target.by),
                    seen.scope.as_deref().unwrap_or("the scope")
                ));
            }
            d.suggestion = Some((*best).clone());
            d.fix = vec![rename(target.by, best)];
            return out;
        }
    }

    // 5. Not the page the previous step ended on.
    if let Some(before) = &ctx.before {
        let changed = !before.url.is_empty()
            && !seen.url.is_empty()
            && (without_fragment(&before.url) != without_fragment(&seen.url)
                || (!before.heading.is_empty() && before.heading != seen.heading));
        if changed {
            d.class = DriftClass::WrongPage;
            d.summary = format!(
                "the page changed after step {} although this step had not acted: it ended on {}, now it is {}",
                before.step,
                page_text(&before.heading, &before.url),
                page_text(&seen.heading, &seen.url)
            );
            return out;
        }
    }
    let none_of_role = target.within.is_none()
        && miss == Miss::NotFound
        && !matches!(target.by, By::Css | By::XPath | By::Text)
        && seen.offers.is_empty()
        && seen.hidden.is_empty()
        && seen.related.is_empty();
    if none_of_role {
        d.class = DriftClass::WrongPage;
        let led = ctx
            .before
            .as_ref()
            .map(|b| format!("; step {} did not lead where the runbook expects", b.step))
            .unwrap_or_default();
        d.summary = format!(
            "this page ({}) has no {} at all{led}{}",
            page_text(&seen.heading, &seen.url),
            kind_word(target.by),
            menus_note(seen)
        );
        return out;
    }

    // 6. Gone.
    let region = seen
        .scope
        .as_ref()
        .map_or_else(|| "on the page".to_string(), |s| format!("in {s}"));
    d.summary = if miss == Miss::ScopeNotFound {
        format!(
            "there is no {} on the page (looking for {} {wanted:?}); {}",
            seen.scope.as_deref().unwrap_or("such scope"),
            kind_word(target.by),
            scopes_note(&seen.scopes)
        )
    } else if out.ranked.is_empty() {
        format!(
            "nothing like {} {wanted:?} {region}, and no other {} there",
            kind_word(target.by),
            kind_word(target.by)
        )
    } else {
        let list: Vec<String> = out.ranked.iter().take(5).map(ToString::to_string).collect();
        format!(
            "nothing like {} {wanted:?} {region}; it offers {}",
            kind_word(target.by),
            list.join(", ")
        )
    };
    if miss != Miss::ScopeNotFound {
        d.summary.push_str(&menus_note(seen));
    }
    if let Some(note) = removed(target, miss, seen, ctx) {
        d.summary = note;
        d.fix = vec![Edit::RemoveStep];
    }
    out
}

/// Rule 6 with a witness: when the target's nearest neighbours in the last
/// good run are all still on the page, visible, the target alone is gone:
/// `field "Last name" was removed: its neighbours field "First name" and
/// field "Email" are still here, as in run-X; remove the step`.
fn removed(target: &ResolvedTarget, miss: Miss, seen: &Seen, ctx: &Context) -> Option<String> {
    let w = ctx.witness.as_ref()?;
    let near = w.element.near.as_ref()?;
    if miss != Miss::NotFound || !seen.matches.is_empty() || !seen.hidden.is_empty() {
        return None;
    }
    let neighbours: Vec<&String> = near
        .before
        .iter()
        .take(1)
        .chain(near.after.iter().take(1))
        .collect();
    let shown = |n: &String| {
        seen.offers
            .iter()
            .find(|c| c.visible && norm(&c.name) == norm(n))
    };
    let kept: Vec<&Candidate> = neighbours.iter().filter_map(|n| shown(n)).collect();
    if neighbours.is_empty() || kept.len() != neighbours.len() {
        return None;
    }
    let list: Vec<String> = kept.iter().map(|c| c.role_name()).collect();
    Some(format!(
        "{} {:?} was removed: its neighbours {} are still here, as in {}; remove the step",
        kind_word(target.by),
        target.name,
        join_and(&list),
        w.run_id
    ))
}

/// The visible, same-role control in scope that the witness points at, when
/// one fits well enough and clearly better than the next: never a control
/// an earlier step used here, never one of the target's neighbours that
/// kept its name.
fn witnessed<'a>(
    target: &ResolvedTarget,
    seen: &'a Seen,
    ctx: &Context,
) -> Option<(Fit, &'a Candidate)> {
    let w = &ctx.witness.as_ref()?.element;
    let wanted = norm(&target.name);
    let used: Vec<String> = ctx.used_here.iter().map(|n| norm(n)).collect();
    let mut fits: Vec<(Fit, &Candidate)> = witness::with_neighbours(&seen.offers)
        .into_iter()
        .filter(|(c, _)| {
            let name = norm(&c.name);
            name != wanted && !used.contains(&name) && !witness::is_kept_neighbour(w, c)
        })
        .map(|(c, near)| (witness::fit(w, &target.name, c, Some(&near)), c))
        .collect();
    fits.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
    let mut it = fits.into_iter();
    let (best, c) = it.next()?;
    let second = it.next().map_or(0.0, |(f, _)| f.score);
    (best.score >= WITNESS_MIN && best.score - second >= 0.1).then_some((best, c))
}

/// Rule 1: several visible matches. Says how they differ (landmark, table
/// column), which one the last good run used, and proposes the `nth:` (or,
/// when the matches are in different dialogs or regions, the `within:`)
/// that picks it; without a witness, a match in an action column
/// (`Action`, `Actions`, `Manage`) is the likely one, else the first.
fn ambiguous(target: &ResolvedTarget, seen: &Seen, ctx: &Context, d: &mut Diagnosis) {
    let n = seen.matches.len();
    let list: Vec<String> = seen.matches.iter().map(described).collect();
    let pick = ctx.witness.as_ref().and_then(|w| {
        let mut fits: Vec<(usize, Fit)> = seen
            .matches
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let near = witness::neighbours_in(&seen.offers, c);
                (i, witness::fit(&w.element, &target.name, c, near.as_ref()))
            })
            .collect();
        fits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        let second = fits.get(1).map_or(0.0, |(_, f)| f.score);
        fits.into_iter()
            .next()
            .filter(|(_, f)| f.score - second >= 0.05)
            .map(|(i, f)| (i, format!(" ({})", f.explain(&w.run_id))))
    });
    let pick = pick.or_else(|| {
        let actions: Vec<usize> = seen
            .matches
            .iter()
            .enumerate()
            .filter(|(_, c)| c.column.as_deref().is_some_and(is_action_column))
            .map(|(i, _)| i)
            .collect();
        match actions.as_slice() {
            [one] => Some((*one, " (the one in the column of row actions)".to_string())),
            _ => None,
        }
    });
    let (i, why) = pick.unwrap_or((0, String::new()));
    let chosen = &seen.matches[i];
    let within = chosen
        .region
        .as_deref()
        .filter(|r| {
            seen.matches
                .iter()
                .filter(|c| c.region.as_deref() == Some(r))
                .count()
                == 1
        })
        .and_then(scope_of_region)
        .filter(|_| target.within.is_none());
    let (fix, how) = match within {
        Some((scope, name)) => {
            let how = format!("add `within: {{{scope}: {name}}}`");
            (Edit::Within { scope, name }, how)
        }
        None => (Edit::Nth { nth: i + 1 }, format!("add `nth: {}`", i + 1)),
    };
    let ordinal = ordinal(i + 1);
    d.class = DriftClass::Ambiguous;
    d.summary = if why.is_empty() {
        format!(
            "{n} elements match {} {:?}: {}; add `nth:` (1 to {n}) or `within:` to choose one",
            kind_word(target.by),
            target.name,
            join_and(&list),
        )
    } else {
        format!(
            "{n} elements match {} {:?}: {}; the {ordinal} is the one meant{why}: {how}",
            kind_word(target.by),
            target.name,
            join_and(&list),
        )
    };
    d.suggestion = Some(chosen.clone());
    d.fix = vec![fix];
}

/// `button "Delete" at 10,20 80x30 (main) in column "Notes"`.
fn described(c: &Candidate) -> String {
    match &c.column {
        Some(col) => format!("{} in column {col:?}", c.with_box()),
        None => c.with_box(),
    }
}

/// A column that holds a row's actions.
fn is_action_column(name: &str) -> bool {
    matches!(
        norm(name).as_str(),
        "action" | "actions" | "manage" | "options" | "operations"
    )
}

/// `dialog "Invite"` → (`dialog`, `Invite`); `region "Users"` likewise.
fn scope_of_region(region: &str) -> Option<(String, String)> {
    let (kind, rest) = region.split_once(' ')?;
    let name = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
    match kind {
        "dialog" | "alertdialog" => Some(("dialog".into(), name.into())),
        "region" => Some(("region".into(), name.into())),
        _ => None,
    }
}

/// `1st`, `2nd`, `3rd`, `4th`...
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `; it may be in a closed menu: button "Actions" or button "Settings"
/// (open it first)`, when the page has closed menus or dropdowns.
fn menus_note(seen: &Seen) -> String {
    let menus: Vec<String> = seen
        .menus
        .iter()
        .filter(|m| m.visible)
        .take(5)
        .map(Candidate::role_name)
        .collect();
    if menus.is_empty() {
        return String::new();
    }
    let or = match menus.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => String::new(),
    };
    format!("; it may be inside a closed menu or dropdown, which holds its items only while open: {or} (open it first)")
}

/// `the page has region "Users", table "Permissions"` or `the page has none`.
fn scopes_note(scopes: &[String]) -> String {
    if scopes.is_empty() {
        "the page has none of that kind".to_string()
    } else {
        format!("the page has {}", scopes.join(", "))
    }
}

/// ` (its words "Username:" differ from "Username" only in punctuation or
/// case)`, when the element was matched by normalised words.
pub fn words_note(wanted: &str, c: &Candidate) -> String {
    match &c.matched {
        Some(m) if m.trim() != wanted.trim() => format!(
            " (its words {m:?} differ from {wanted:?} only in punctuation or case, so it is the one meant)"
        ),
        _ => String::new(),
    }
}

/// What the alternative's words are to its element.
fn alternative_what(by: &str) -> &'static str {
    match by {
        "placeholder" => "placeholder",
        "image" => "alt text",
        "label" => "label",
        _ => "name",
    }
}

/// The first hidden same-named control (any role), else a hidden same-role match.
fn hidden_match(seen: &Seen) -> Option<Related> {
    seen.related
        .iter()
        .find(|r| !r.candidate.visible)
        .cloned()
        .or_else(|| {
            seen.hidden.first().map(|c| Related {
                candidate: c.clone(),
                hidden_in: None,
                reveal: None,
            })
        })
}

/// Visible, named, same-role controls in scope other than the target, best first.
fn rank<'a>(target: &ResolvedTarget, seen: &'a Seen, ctx: &Context) -> Vec<(f64, &'a Candidate)> {
    let wanted = norm(&target.name);
    let used: Vec<String> = ctx.used_here.iter().map(|n| norm(n)).collect();
    let mut ranked: Vec<(f64, &Candidate)> = seen
        .offers
        .iter()
        .filter(|c| c.visible && !c.name.trim().is_empty() && norm(&c.name) != wanted)
        .map(|c| {
            let score = if used.contains(&norm(&c.name)) {
                0.0
            } else {
                let chrome = c.region.as_deref().is_some_and(|r| {
                    let role = r.split(' ').next().unwrap_or(r);
                    ["banner", "navigation", "contentinfo"].contains(&role)
                });
                closeness(&target.name, &c.name) - if chrome { CHROME_PENALTY } else { 0.0 }
            };
            (score.max(0.0), c)
        })
        .collect();
    // Stable: page order among equals.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked
}

/// Words that UIs use for the same action; a rename often swaps one for another.
const SYNONYMS: &[&[&str]] = &[
    &["delete", "remove", "revoke"],
    &["invite", "add", "grant"],
    &["send", "submit"],
    &["ok", "confirm", "yes"],
    &["email", "e-mail"],
    &["settings", "preferences"],
];

fn canonical(word: &str) -> &str {
    SYNONYMS
        .iter()
        .find(|group| group.contains(&word))
        .map_or(word, |group| group[0])
}

/// How close two control names are, 0..=1: the best of [`similarity`]
/// (edit distance, word overlap), word overlap after mapping UI synonyms
/// (delete/remove, invite/add, ...), and word containment (`Email` in
/// `Email address` scores 0.5 + 0.3 × the share of words kept).
pub fn closeness(a: &str, b: &str) -> f64 {
    let base = similarity(a, b);
    let (na, nb) = (norm(a), norm(b));
    let wa: Vec<&str> = na.split(' ').filter(|w| !w.is_empty()).collect();
    let wb: Vec<&str> = nb.split(' ').filter(|w| !w.is_empty()).collect();
    if wa.is_empty() || wb.is_empty() {
        return base;
    }
    let ca: std::collections::BTreeSet<&str> = wa.iter().map(|w| canonical(w)).collect();
    let cb: std::collections::BTreeSet<&str> = wb.iter().map(|w| canonical(w)).collect();
    let synonyms = ca.intersection(&cb).count() as f64 / ca.union(&cb).count() as f64;
    let (short, long) = if ca.len() <= cb.len() {
        (&ca, &cb)
    } else {
        (&cb, &ca)
    };
    let contained = if short.is_subset(long) {
        0.5 + 0.3 * short.len() as f64 / long.len() as f64
    } else {
        0.0
    };
    base.max(synonyms).max(contained)
}

/// The edit that makes a `by` locator find `c`: its words, under the same
/// kind of locator when that kind finds `c`'s role, else under `c`'s own.
fn rename(by: By, c: &Candidate) -> Edit {
    Edit::Rename {
        by: locator_keyword(by, c).to_string(),
        name: c.name.clone(),
    }
}

/// The locator keyword that finds `c`: `by`'s own when its kind takes `c`'s
/// role (`label` for any field, `control` for anything operable), else the
/// keyword of `c`'s role (`link` for a link, `label` for a field; what
/// `By::Css` always yields).
pub(crate) fn locator_keyword(by: By, c: &Candidate) -> &'static str {
    const FIELDS: &[&str] = &[
        "textbox",
        "searchbox",
        "combobox",
        "spinbutton",
        "slider",
        "listbox",
        "checkbox",
        "radio",
        "switch",
    ];
    let own = match c.role.as_str() {
        "button" => By::Button,
        "link" => By::Link,
        "heading" => By::Heading,
        "tab" => By::Tab,
        "menuitem" | "menuitemcheckbox" | "menuitemradio" => By::MenuItem,
        "checkbox" => By::Checkbox,
        "radio" => By::Radio,
        "switch" => By::Switch,
        "combobox" => By::Combobox,
        "option" => By::Option,
        "img" | "image" => By::Image,
        "cell" | "gridcell" => By::Cell,
        "columnheader" => By::ColumnHeader,
        r if FIELDS.contains(&r) => By::Label,
        _ => By::Control,
    };
    let fits = own == by
        || (by == By::Label && FIELDS.contains(&c.role.as_str()))
        || (by == By::Control && own != By::Heading && own != By::Image);
    if fits {
        by.keyword()
    } else {
        own.keyword()
    }
}

/// `button`, `field`, `text`... for sentences.
fn kind_word(by: By) -> &'static str {
    match by {
        By::Label | By::Placeholder => "field",
        By::Text => "text",
        By::Css | By::XPath => "element",
        other => other.keyword(),
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// `"Users" (/xero/settings/users)`.
fn page_text(heading: &str, url: &str) -> String {
    let path = url::Url::parse(url)
        .map(|u| {
            let mut p = u.path().to_string();
            if let Some(q) = u.query() {
                p.push('?');
                p.push_str(q);
            }
            p
        })
        .unwrap_or_else(|_| url.to_string());
    if heading.is_empty() {
        format!("the page without a heading at {path}")
    } else {
        format!("{heading:?} ({path})")
    }
}

#[cfg(test)]
mod tests;
