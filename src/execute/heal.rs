//! Confirmed heals (`run --heal`): when a step fails and its diagnosis
//! proposes an edit of the step's locator, the runner asks a [`Healer`]
//! whether to perform the step again with it, once per step, after the
//! failure screenshot is kept.
//!
//! The executor never heals on its own and never knows how the question is
//! put: the CLI asks a person at a terminal; anything else implements
//! [`Healer`] as it likes. A heal is recorded on the step
//! ([`StepRecord::healed`]) with the edit, both locators, who agreed and the
//! first attempt's failure, redacted like the rest of the record.

use std::fmt;
use std::path::PathBuf;

use async_trait::async_trait;

use super::runner::{At, Runner};
use super::wait::PageState;
use super::StepSink;
use crate::locate::Candidate;
use crate::outcome::{Heal, RunOutcome, StepRecord, StepStatus};
use crate::runbook::{Action, Edit, Step};
use crate::secret::Redact;

/// Decides whether a failed step is performed again with its diagnosis's
/// fix. `Send + Sync` so a run can be spawned.
#[async_trait]
pub trait Healer: Send + Sync + fmt::Debug {
    /// Whether to use `offer`'s edit; asked at most once per step, never
    /// for a probed step.
    async fn offer(&self, offer: &HealOffer) -> HealDecision;
}

/// What a [`Healer`] is asked: the failed step, its diagnosis and the
/// proposed change. Every text is redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct HealOffer {
    /// The runbook being run.
    pub runbook: PathBuf,
    /// The failed step's number (1-based).
    pub step: usize,
    /// The failed step's rendered `doc`.
    pub doc: String,
    /// The step is marked `destructive: true` (it changes the account).
    pub destructive: bool,
    /// The diagnosis, in one sentence.
    pub summary: String,
    /// The element the diagnosis proposes (`button "Invite user" (main)`).
    pub suggestion: Option<Candidate>,
    /// The changes to the step, in order (a reveal, then a new role).
    pub edits: Vec<Edit>,
    /// The step's locator as the runbook has it (`button "Invite a user"`).
    pub from: String,
    /// The locator the step would be performed with (`button "Invite user"`).
    pub to: String,
    /// The failure screenshot, when it was kept (evidence directory joined
    /// with the step's screenshot name).
    pub screenshot: Option<PathBuf>,
}

/// A [`Healer`]'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealDecision {
    /// Perform the step again with the edit.
    Use {
        /// Who agreed, as the manifest records it (`terminal`).
        confirmed_by: String,
    },
    /// Keep the failure: the run stops as it would without a healer.
    Stop,
}

impl Runner<'_> {
    /// Offer the diagnosis's fix of a failed step to the run's healer and,
    /// when it agrees, perform the edited step under the same number (for
    /// `RevealFirst`, after clicking the revealer). Returns `failed` as it
    /// is when there is no healer, nothing to propose, or no agreement.
    pub(super) async fn heal(
        &self,
        sink: &mut dyn StepSink,
        failed: StepRecord,
        at: At<'_>,
        last_state: &mut Option<PageState>,
        run: &RunOutcome,
    ) -> StepRecord {
        let Some(healer) = &self.config.healer else {
            return failed;
        };
        if at.probing || failed.status != StepStatus::Failed {
            return failed;
        }
        let Some(failure) = failed.failure.clone() else {
            return failed;
        };
        // A heal replaces a locator; removing a step is for `fix`, after a
        // person read the diff.
        let Some(diagnosis) = failure
            .diagnosis
            .as_ref()
            .filter(|d| !d.fix.is_empty() && !d.fix.contains(&Edit::RemoveStep))
        else {
            return failed;
        };
        let edits = diagnosis.fix.clone();
        let edited = match crate::runbook::edit::apply_all(&edits, at.step) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(
                    "step {}: the diagnosis's fix ({}) does not fit the step: {e}",
                    failed.number,
                    crate::runbook::edit::describe(&edits)
                );
                return failed;
            }
        };
        let mut from = self.heal_text(at.step, None);
        let mut to = self.heal_text(&edited.step, edited.reveal.as_ref());
        from.redact(&self.redactor);
        to.redact(&self.redactor);
        let offer = HealOffer {
            runbook: self.runbook.path.clone(),
            step: failed.number,
            doc: failed.doc.clone(),
            destructive: at.step.destructive,
            summary: diagnosis.summary.clone(),
            suggestion: diagnosis.suggestion.clone(),
            edits: edits.clone(),
            from,
            to,
            screenshot: run
                .evidence_dir
                .as_ref()
                .zip(failed.screenshot.as_ref())
                .map(|(dir, name)| dir.join(name)),
        };
        let confirmed_by = match healer.offer(&offer).await {
            HealDecision::Use { confirmed_by } => confirmed_by,
            HealDecision::Stop => return failed,
        };
        tracing::info!(
            "step {}: healed by {confirmed_by}: {} instead of {}",
            failed.number,
            offer.to,
            offer.from
        );
        let mut rec = self.record(failed.number, &edited.step);
        rec.healed = Some(Heal {
            edits,
            from: offer.from,
            to: offer.to,
            confirmed_by,
            failure,
            failed_screenshot: failed.screenshot,
        });
        let again = At {
            step: &edited.step,
            next: at.next,
            probing: false,
            reveal: edited.reveal.as_ref(),
        };
        self.step(sink, rec, again, last_state, &run.steps).await
    }

    /// A step's locator as a heal shows it: with the option of a `select`,
    /// after the revealer's click for `RevealFirst`.
    fn heal_text(&self, step: &Step, reveal: Option<&Step>) -> String {
        let mut text = self.locator_text(step).unwrap_or_default();
        if let Action::Select { option, .. } = &step.action {
            text = format!("{text} option {:?}", self.render(option));
        }
        match reveal.and_then(|r| self.locator_text(r)) {
            Some(first) => format!("{first} first, then {text}"),
            None => text,
        }
    }
}
