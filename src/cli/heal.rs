//! `run --heal`: the [`Healer`] that asks the person at the terminal whether
//! to use a failed step's diagnosed fix.
//!
//! Only on a terminal and never in CI ([`heal_allowed`]): a heal is a
//! person's decision, never a guess the run takes alone. A step marked
//! `destructive: true` needs its step number typed, not a plain `y`. The
//! question goes to stderr with the progress bar hidden; the answer is read
//! on a thread of its own, so the run's signals still work while it waits.
//! End of input means no.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::execute::{HealDecision, HealOffer, Healer};
use crate::runbook::Edit;

/// The warning `run --heal` prints when it cannot ask anyone.
pub(super) const NO_TERMINAL: &str =
    "--heal needs a terminal (and is off in CI): running without it";

/// Whether `--heal` may ask: stdin and stderr are terminals and `CI` is
/// unset or empty.
pub(super) fn heal_allowed() -> bool {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    !ci && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks at the terminal; `confirmed_by: "terminal"` in the manifest.
#[derive(Debug, Default)]
pub(super) struct TerminalHealer {
    /// The progress bar of the runbook being run, hidden while asking.
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalHealer {
    /// The progress bar to hide while asking (`None` once the runbook ended).
    pub(super) fn show_over(&self, bar: Option<ProgressBar>) {
        if let Ok(mut slot) = self.bar.lock() {
            *slot = bar;
        }
    }

    fn bar(&self) -> Option<ProgressBar> {
        self.bar.lock().ok().and_then(|b| b.clone())
    }
}

#[async_trait]
impl Healer for TerminalHealer {
    async fn offer(&self, offer: &HealOffer) -> HealDecision {
        let bar = self.bar();
        if let Some(bar) = &bar {
            bar.disable_steady_tick();
            bar.set_draw_target(ProgressDrawTarget::hidden());
            // The bar's last line is still on screen: clear it.
            eprint!("\r\x1b[2K");
        }
        eprint!("{}", prompt(offer));
        let _ = std::io::stderr().flush();
        let answer = read_answer().await;
        if answer.is_none() {
            eprintln!();
        }
        let yes = accepts(offer, answer.as_deref().unwrap_or_default());
        if !yes {
            eprintln!("not healed: step {} stays failed", offer.step);
        }
        if let Some(bar) = &bar {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        if yes {
            HealDecision::Use {
                confirmed_by: "terminal".to_string(),
            }
        } else {
            HealDecision::Stop
        }
    }
}

/// One line from stdin, read on a thread of its own (a blocked read must
/// not hold the runtime or its shutdown); `None` at end of input.
async fn read_answer() -> Option<String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line);
        let _ = tx.send(read.ok().filter(|n| *n > 0).map(|_| line));
    });
    rx.await.ok().flatten()
}

/// Whether `answer` agrees: `y`/`yes` (any case), or for a destructive step
/// exactly its step number.
fn accepts(offer: &HealOffer, answer: &str) -> bool {
    let answer = answer.trim();
    if offer.destructive {
        answer == offer.step.to_string()
    } else {
        answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes")
    }
}

/// The question, from the failed step to the final `[y/N] ` (no newline).
pub(super) fn prompt(offer: &HealOffer) -> String {
    let mut text = format!(
        "\nstep {} of {} failed: {}\n  diagnosis: {}\n",
        offer.step,
        offer.runbook.display(),
        offer.doc,
        offer.summary
    );
    if let Some(shot) = &offer.screenshot {
        text.push_str(&format!("  screenshot: {}\n", shot.display()));
    }
    if let Some(c) = &offer.suggestion {
        text.push_str(&format!("  candidate: {c}\n"));
    }
    let question = question(offer);
    if offer.destructive {
        text.push_str(&format!(
            "{question}\nStep {n} is marked destructive: it changes the account. \
             Type the step number ({n}) to use this for step {n}; anything else stops: ",
            n = offer.step
        ));
    } else {
        text.push_str(&format!("{question} [y/N] "));
    }
    text
}

/// `Use button "Invite user" instead of button "Invite a user"?`, worded
/// after the edit.
fn question(offer: &HealOffer) -> String {
    let (from, to) = (&offer.from, &offer.to);
    // The edit that changes the step itself says what is asked; a reveal
    // alone asks for the click first.
    let main = offer
        .edits
        .iter()
        .find(|e| !matches!(e, Edit::RevealFirst { .. }))
        .or(offer.edits.first());
    match main {
        Some(Edit::Nth { nth }) => format!("Use match {nth} of {from} (add `nth: {nth}`)?"),
        Some(Edit::Within { scope, name }) => {
            format!("Look for {from} within {scope} {name:?} (add `within:`)?")
        }
        Some(Edit::RevealFirst { by, name }) => format!("Click {by} {name:?} first, then {from}?"),
        Some(Edit::Rename { .. } | Edit::Option { .. } | Edit::RemoveStep) | None => {
            format!("Use {to} instead of {from}?")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(edit: Edit, destructive: bool) -> HealOffer {
        HealOffer {
            runbook: "runbooks/xero/10-invite_user.yaml".into(),
            step: 13,
            doc: "Click **Invite a User**.".into(),
            destructive,
            summary: "did you mean button \"Invite user\" (main) instead of \"Invite a user\"?"
                .into(),
            suggestion: None,
            edits: vec![edit],
            from: "button \"Invite a user\"".into(),
            to: "button \"Invite user\"".into(),
            screenshot: Some("shots/r/xero/invite_user/13-x-FAILED.png".into()),
        }
    }

    fn rename() -> Edit {
        Edit::Rename {
            by: "button".into(),
            name: "Invite user".into(),
        }
    }

    #[test]
    fn the_prompt_names_step_diagnosis_screenshot_and_asks_y_n() {
        let text = prompt(&offer(rename(), false));
        assert!(
            text.contains(
                "step 13 of runbooks/xero/10-invite_user.yaml failed: Click **Invite a User**."
            ),
            "{text}"
        );
        assert!(text.contains("  diagnosis: did you mean"), "{text}");
        assert!(
            text.contains("  screenshot: shots/r/xero/invite_user/13-x-FAILED.png\n"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Use button \"Invite user\" instead of button \"Invite a user\"? [y/N] "
            ),
            "{text}"
        );
    }

    #[test]
    fn yes_means_y_or_yes_and_nothing_else() {
        let o = offer(rename(), false);
        for yes in ["y", "Y", "yes\n", " YES "] {
            assert!(accepts(&o, yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yep", "13", "y y"] {
            assert!(!accepts(&o, no), "{no:?}");
        }
    }

    #[test]
    fn a_destructive_step_needs_its_number_typed() {
        let o = offer(Edit::Nth { nth: 1 }, true);
        let text = prompt(&o);
        assert!(
            text.contains("Use match 1 of button \"Invite a user\" (add `nth: 1`)?"),
            "{text}"
        );
        assert!(text.contains("Step 13 is marked destructive"), "{text}");
        assert!(!text.contains("[y/N]"), "{text}");
        assert!(accepts(&o, "13\n"));
        for no in ["y", "yes", "", "12", "013"] {
            assert!(!accepts(&o, no), "{no:?}");
        }
    }

    #[test]
    fn each_edit_has_its_question() {
        let within = Edit::Within {
            scope: "row".into(),
            name: "Ann".into(),
        };
        let reveal = Edit::RevealFirst {
            by: "button".into(),
            name: "More".into(),
        };
        assert_eq!(
            question(&offer(within, false)),
            "Look for button \"Invite a user\" within row \"Ann\" (add `within:`)?"
        );
        assert_eq!(
            question(&offer(reveal, false)),
            "Click button \"More\" first, then button \"Invite a user\"?"
        );
    }
}
