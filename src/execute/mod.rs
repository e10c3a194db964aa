//! Driving the browser through a runbook, one step at a time.
//!
//! [`run`] walks a [`Runbook`]'s steps: it asks the [`policy`] whether each
//! step runs, renders templates, locates each target (with actionability
//! waits), acts, waits for any navigation to load, takes a viewport
//! screenshot and records the step in the [`RunOutcome`] it builds, pushing
//! each event into a [`StepSink`] (ripgrep's `Sink` shape: the executor
//! drives, the caller owns the output).
//!
//! The stage is split by concern: [`policy`] decides (pure), `runner` walks
//! the steps and records them, `actions` performs one step in the browser,
//! `failure` turns what went wrong into a [`Failure`], [`wait`] polls,
//! `heal` offers a failed step's fix to a [`Healer`].
//!
//! This stage knows nothing of YAML or files: it takes a model [`Runbook`]
//! and leaves screenshots and manifests to the sink (see [`crate::evidence`]).
//!
//! ```no_run
//! # async fn demo(runbook: clickpath::runbook::Runbook) -> Result<(), clickpath::browser::BrowserError> {
//! use clickpath::browser::{launch, BrowserConfig};
//! use clickpath::evidence::EvidenceWriter;
//! use clickpath::execute::{run, RunConfig};
//!
//! let browser = launch(&BrowserConfig::default()).await?;
//! let config = RunConfig::new("http://127.0.0.1:4711/xero", "20261124-150000");
//! let mut sink = EvidenceWriter::new("screenshots");
//! let outcome = run(&*browser, &runbook, &config, &mut sink).await;
//! browser.close().await;
//! if let Some(failure) = outcome.failure() {
//!     eprintln!("{}", failure.message);
//! }
//! # Ok(())
//! # }
//! ```

mod actions;
mod capture;
mod failure;
mod frames;
mod heal;
pub mod policy;
mod redact;
mod runner;
mod visual;
pub mod wait;
mod widgets;
mod windows;

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::browser::Browser;
pub use crate::outcome::{
    Failure, FailureClass, FailureKind, Heal, RunOutcome, RunStatus, SkipReason, StepRecord,
    StepStatus, Visual,
};
use crate::runbook::{Bindings, Runbook, Step};
use crate::secret::Secret;
pub use heal::{HealDecision, HealOffer, Healer};

/// What a run needs besides the runbook and the browser.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Where relative `goto` URLs point (the runbook's, or a sandbox/`--base-url` override).
    pub base_url: String,
    /// Values of the runbook's vars (`{customer}`); defaults already applied.
    pub vars: BTreeMap<String, String>,
    /// Values of the runbook's secrets, by declared name.
    pub secrets: BTreeMap<String, Secret>,
    /// Default deadline of each step's waits (a step's `timeout:` overrides it).
    pub timeout: Duration,
    /// Identifier of this run (also the `{run_id}` built-in, unless
    /// [`RunConfig::frozen_run_id`] says otherwise).
    pub run_id: String,
    /// The `{run_id}` templates see instead of the run's identifier
    /// (`run --freeze run_id=…`): the same text run after run, while each
    /// run's evidence keeps a directory of its own.
    pub frozen_run_id: Option<String>,
    /// The `{date}` built-in, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Probe mode: act on every step before the first `destructive` one, then
    /// only check that step's target is actionable, and stop (issue 6).
    pub probe: bool,
    /// The last good run of this runbook: the witness of the drift diagnosis.
    pub baseline: Option<Arc<Baseline>>,
    /// Capture the page just before each click (`run --annotate`): when the
    /// click loads another page, that capture is the one that shows what
    /// was clicked, and the sink keeps it ([`StepSink::before`]).
    pub before_clicks: bool,
    /// Asked whether to perform a failed step again with its diagnosis's
    /// fix (`run --heal`); `None`: a failed step stops the run.
    pub healer: Option<Arc<dyn Healer>>,
}

/// A passing run of the same runbook, as its manifest recorded it: what a
/// failed locator's diagnosis compares the page with (issue 13).
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// Its run id.
    pub run_id: String,
    /// Its steps.
    pub steps: Vec<StepRecord>,
}

impl Baseline {
    /// What the baseline saw at the step with this id (else this number)
    /// and action, and the URL its page had before that step.
    pub(crate) fn witness(&self, rec: &StepRecord) -> Option<(&StepRecord, Option<&str>)> {
        let at = self
            .steps
            .iter()
            .position(|s| s.id == rec.id && s.action == rec.action)
            .or_else(|| {
                self.steps
                    .iter()
                    .position(|s| s.number == rec.number && s.action == rec.action)
            })?;
        let step = &self.steps[at];
        if !step.status.is_ok() || step.element.is_none() {
            return None;
        }
        let page = at
            .checked_sub(1)
            .and_then(|i| self.steps.get(i))
            .and_then(|s| s.url.as_deref());
        Some((step, page))
    }
}

impl RunConfig {
    /// A config with a 10 s default timeout, no vars or secrets, and today's date.
    pub fn new(base_url: impl Into<String>, run_id: impl Into<String>) -> Self {
        let now = crate::time::rfc3339(SystemTime::now());
        RunConfig {
            base_url: base_url.into(),
            vars: BTreeMap::new(),
            secrets: BTreeMap::new(),
            timeout: Duration::from_secs(10),
            run_id: run_id.into(),
            frozen_run_id: None,
            date: now.get(..10).unwrap_or_default().to_string(),
            probe: false,
            healer: None,
            baseline: None,
            before_clicks: false,
        }
    }
}

impl RunConfig {
    /// The values templates are rendered with: built-ins and vars.
    pub fn bindings(&self) -> Bindings {
        Bindings {
            run_id: self
                .frozen_run_id
                .clone()
                .unwrap_or_else(|| self.run_id.clone()),
            date: self.date.clone(),
            provider: None,
            vars: self.vars.clone(),
        }
    }
}

/// A step about to run.
#[derive(Debug, Clone)]
pub struct StepStart<'a> {
    /// 1-based step number.
    pub number: usize,
    /// Number of steps in the runbook.
    pub total: usize,
    /// The rendered `doc` text (secrets redacted).
    pub doc: &'a str,
    /// The step itself.
    pub step: &'a Step,
}

/// Receives the executor's events and keeps what it wants of them.
///
/// Every event carries the [`RunOutcome`] as it stands, so a sink never has
/// to rebuild it. `Send` so a run can be spawned. Implemented by
/// [`crate::evidence::EvidenceWriter`]; an error from any method is an
/// evidence failure (the run stops and exits as an environment failure).
pub trait StepSink: Send {
    /// The run is about to start its first step; returns the directory the
    /// evidence goes to, if the sink keeps files.
    fn run_started(&mut self, run: &RunOutcome) -> io::Result<Option<PathBuf>>;
    /// A step is about to run.
    fn step_started(&mut self, _run: &RunOutcome, _step: &StepStart<'_>) -> io::Result<()> {
        Ok(())
    }
    /// Keep a step's screenshot, exactly the bytes the browser delivered;
    /// returns its file name relative to the evidence directory.
    fn screenshot(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<String>>;
    /// Compare a passed step's screenshot (kept just before under
    /// `step.screenshot`) with its reference image (`run --compare`);
    /// `None` when the sink does not compare. The executor never decodes
    /// images: a comparison `over` the tolerance fails the step.
    fn compare(&mut self, _step: &StepRecord, _png: &[u8]) -> io::Result<Option<Visual>> {
        Ok(None)
    }
    /// Keep the capture of the page just before a passed click that loaded
    /// another page (see [`RunConfig::before_clicks`]); returns its file
    /// name. Called before [`StepSink::screenshot`] for the same step.
    fn before(&mut self, _step: &StepRecord, _png: &[u8]) -> io::Result<Option<String>> {
        Ok(None)
    }
    /// A step was recorded: it is the last of `run.steps`.
    fn step_recorded(&mut self, run: &RunOutcome) -> io::Result<()>;
    /// The run ended (`run.status` says how).
    fn run_finished(&mut self, run: &RunOutcome) -> io::Result<()>;
}

/// Two sinks as one (evidence plus a progress display, say): every event goes
/// to both, first `.0`; the evidence directory and screenshot names are the
/// first sink's.
#[derive(Debug)]
pub struct Tee<A, B>(pub A, pub B);

impl<A: StepSink, B: StepSink> StepSink for Tee<A, B> {
    fn run_started(&mut self, run: &RunOutcome) -> io::Result<Option<PathBuf>> {
        let dir = self.0.run_started(run)?;
        let other = self.1.run_started(run)?;
        Ok(dir.or(other))
    }
    fn step_started(&mut self, run: &RunOutcome, step: &StepStart<'_>) -> io::Result<()> {
        self.0.step_started(run, step)?;
        self.1.step_started(run, step)
    }
    fn screenshot(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<String>> {
        let name = self.0.screenshot(step, png)?;
        let other = self.1.screenshot(step, png)?;
        Ok(name.or(other))
    }
    fn compare(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<Visual>> {
        let seen = self.0.compare(step, png)?;
        let other = self.1.compare(step, png)?;
        Ok(seen.or(other))
    }
    fn before(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<String>> {
        let name = self.0.before(step, png)?;
        let other = self.1.before(step, png)?;
        Ok(name.or(other))
    }
    fn step_recorded(&mut self, run: &RunOutcome) -> io::Result<()> {
        self.0.step_recorded(run)?;
        self.1.step_recorded(run)
    }
    fn run_finished(&mut self, run: &RunOutcome) -> io::Result<()> {
        self.0.run_finished(run)?;
        self.1.run_finished(run)
    }
}

/// Run every step of `runbook` in `browser`, pushing events into `sink`.
///
/// Stops at the first failing step (the rest are recorded as skipped).
/// Never panics on page or browser behaviour; every failure is in the
/// returned outcome, whose status is never `running`.
pub async fn run(
    browser: &dyn Browser,
    runbook: &Runbook,
    config: &RunConfig,
    sink: &mut dyn StepSink,
) -> RunOutcome {
    runner::Runner::new(browser, runbook, config)
        .run(sink)
        .await
}

/// The current RFC 6238 code (SHA1, 6 digits, 30 s) for a base32 seed.
pub fn totp_now(seed_base32: &str) -> Result<String, String> {
    let cleaned: String = seed_base32
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .collect::<String>()
        .to_uppercase();
    let bytes = totp_rs::Secret::Encoded(cleaned)
        .to_bytes()
        .map_err(|_| "it is not valid base32".to_string())?;
    let totp = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes);
    totp.generate_current().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod totp_tests {
    use super::*;

    #[test]
    fn totp_matches_rfc6238_shape() {
        let code = totp_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap_or_default();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert!(totp_now("not base32 !!").is_err());
    }
}
