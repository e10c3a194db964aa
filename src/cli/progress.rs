//! The progress display of `clickpath run`: a [`StepSink`] in front of the
//! evidence writer that shows a bar on a terminal, else one line per step.

use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::evidence::EvidenceWriter;
use crate::execute::{StepSink, StepStart};
use crate::outcome::{RunOutcome, StepRecord, StepStatus};

/// A [`StepSink`] that shows progress and forwards everything to the evidence writer.
pub(super) struct Progress<'a> {
    inner: &'a mut EvidenceWriter,
    label: &'a str,
    bar: Option<ProgressBar>,
}

impl<'a> Progress<'a> {
    pub(super) fn new(inner: &'a mut EvidenceWriter, label: &'a str, interactive: bool) -> Self {
        let bar = interactive.then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {prefix} [{pos}/{len}] {wide_msg}")
            {
                bar.set_style(style);
            }
            bar.set_prefix(label.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { inner, label, bar }
    }

    /// The bar shown on a terminal, to hide while asking something there.
    pub(super) fn bar(&self) -> Option<ProgressBar> {
        self.bar.clone()
    }
}

impl StepSink for Progress<'_> {
    fn run_started(&mut self, run: &RunOutcome) -> std::io::Result<Option<PathBuf>> {
        if let Some(bar) = &self.bar {
            bar.set_length(run.steps_total as u64);
        }
        self.inner.run_started(run)
    }

    fn step_started(&mut self, run: &RunOutcome, step: &StepStart<'_>) -> std::io::Result<()> {
        if let Some(bar) = &self.bar {
            bar.set_position(step.number.saturating_sub(1) as u64);
            bar.set_message(step.doc.to_string());
        }
        self.inner.step_started(run, step)
    }

    fn screenshot(&mut self, step: &StepRecord, png: &[u8]) -> std::io::Result<Option<String>> {
        self.inner.screenshot(step, png)
    }

    fn compare(
        &mut self,
        step: &StepRecord,
        png: &[u8],
    ) -> std::io::Result<Option<crate::outcome::Visual>> {
        self.inner.compare(step, png)
    }

    fn before(&mut self, step: &StepRecord, png: &[u8]) -> std::io::Result<Option<String>> {
        self.inner.before(step, png)
    }

    fn step_recorded(&mut self, run: &RunOutcome) -> std::io::Result<()> {
        if let Some(step) = run.steps.last() {
            match &self.bar {
                Some(bar) => bar.set_position(step.number as u64),
                None => {
                    let verdict = match &step.status {
                        StepStatus::Passed => Some("ok  "),
                        StepStatus::Probed => Some("verified, not performed:"),
                        StepStatus::Failed => Some("FAILED"),
                        StepStatus::Skipped { .. } => None,
                    };
                    if let Some(v) = verdict {
                        eprintln!(
                            "[{}] step {} {v} {} ({} ms)",
                            self.label, step.number, step.doc, step.duration_ms
                        );
                    }
                }
            }
        }
        self.inner.step_recorded(run)
    }

    fn run_finished(&mut self, run: &RunOutcome) -> std::io::Result<()> {
        let verdict = if run.passed() { "passed" } else { "FAILED" };
        match self.bar.take() {
            Some(bar) => bar.finish_with_message(verdict),
            None => eprintln!("[{}] {verdict}", self.label),
        }
        self.inner.run_finished(run)
    }
}
