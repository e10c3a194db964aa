//! Driving the browser through a runbook, one step at a time.
//!
//! [`run`] walks a [`Runbook`]'s steps: it renders templates, locates each
//! target (with actionability waits), acts, waits for any navigation to load,
//! takes a viewport screenshot and pushes a [`StepRecord`] into a
//! [`StepSink`] (ripgrep's `Sink` shape: the executor drives, the caller owns
//! the output). The first failing step stops the run; the rest are reported
//! as skipped.
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
//! // Ctrl-C drops the run future; the browser is closed either way.
//! let outcome = tokio::select! {
//!     outcome = run(&*browser, &runbook, &config, &mut sink) => Some(outcome),
//!     _ = tokio::signal::ctrl_c() => None,
//! };
//! browser.close().await;
//! if let Some(err) = outcome.and_then(|o| o.error) {
//!     eprintln!("{err}");
//! }
//! # Ok(())
//! # }
//! ```

pub mod wait;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use tokio::time::Instant;

use crate::browser::{key_text, Browser, BrowserInfo, CommandError, ElementRef};
use crate::locate::{
    self, Candidate, Diagnosis, DriftClass, LocateError, Miss, Purpose, ResolvedTarget,
};
use crate::runbook::{Action, Expectation, Origin, Runbook, Step, Target, Template, Value};
use crate::secret::{redact, Secret};

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
    /// Identifier of this run (also the `{run_id}` built-in).
    pub run_id: String,
    /// The `{date}` built-in, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Probe mode: act on every step before the first `destructive` one, then
    /// only check that step's target is actionable, and stop (issue 6).
    pub probe: bool,
}

impl RunConfig {
    /// A config with a 10 s default timeout, no vars or secrets, and today's date.
    pub fn new(base_url: impl Into<String>, run_id: impl Into<String>) -> Self {
        let now = crate::evidence::rfc3339(SystemTime::now());
        RunConfig {
            base_url: base_url.into(),
            vars: BTreeMap::new(),
            secrets: BTreeMap::new(),
            timeout: Duration::from_secs(10),
            run_id: run_id.into(),
            date: now.get(..10).unwrap_or_default().to_string(),
            probe: false,
        }
    }
}

/// Run-level facts handed to the sink before the first step.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The runbook file.
    pub runbook: PathBuf,
    /// The runbook's title.
    pub name: String,
    /// Provider key.
    pub provider: String,
    /// Flow key.
    pub flow: String,
    /// Run identifier.
    pub run_id: String,
    /// Base URL used.
    pub base_url: String,
    /// Vars used, secrets redacted.
    pub vars: BTreeMap<String, String>,
    /// Browser, driver and viewport.
    pub browser: BrowserInfo,
    /// When the run started.
    pub started_at: SystemTime,
    /// Number of steps.
    pub steps_total: usize,
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

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// It did what the doc says.
    Passed,
    /// It failed; the run stopped here.
    Failed,
    /// It was not run because an earlier step failed.
    Skipped,
}

/// A failure as recorded in a step record.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Failure {
    /// `not_found`, `not_visible`, `covered`, `ambiguous`, `timeout`, ...
    pub kind: String,
    /// The one-line reason (secrets redacted).
    pub message: String,
    /// Elements relevant to the failure: the ambiguous matches, or what the
    /// page offers instead, best replacement first.
    pub candidates: Vec<Candidate>,
    /// What kind of drift a failed locator shows, with the top suggestion
    /// (absent in manifests written before issue 6, and for non-locator failures).
    #[serde(default)]
    pub diagnosis: Option<Diagnosis>,
}

/// What one step did: everything a manifest or report needs.
#[derive(Debug, Clone)]
pub struct StepRecord {
    /// 1-based step number.
    pub number: usize,
    /// Rendered `doc` text, secrets redacted.
    pub doc: String,
    /// Where the step was written.
    pub origin: Origin,
    /// Action keyword (`click`, `fill`, ...).
    pub action: &'static str,
    /// The locator as text, if the action has one (secrets redacted).
    pub locator: Option<String>,
    /// The element acted on, as it was found.
    pub element: Option<Candidate>,
    /// URL after the step.
    pub url: Option<String>,
    /// Title after the step.
    pub title: Option<String>,
    /// Whether the step led to a new document.
    pub navigated: bool,
    /// Wall time of the step, screenshot included.
    pub duration: Duration,
    /// WebDriver commands the step sent, screenshot included.
    pub round_trips: u64,
    /// How it ended.
    pub status: StepStatus,
    /// Why it failed.
    pub failure: Option<Failure>,
    /// Name of an explicit `screenshot` step's capture.
    pub capture: Option<String>,
    /// Probe mode: the target was checked actionable but not acted on.
    pub probed: bool,
}

/// Receives the executor's events (`Send` so a run can be spawned); implemented by [`crate::evidence::EvidenceWriter`].
pub trait StepSink: Send {
    /// The run is about to start its first step.
    fn run_started(&mut self, run: &RunInfo) -> io::Result<()>;
    /// A step is about to run.
    fn step_started(&mut self, _step: &StepStart<'_>) -> io::Result<()> {
        Ok(())
    }
    /// A step passed; `screenshot_png` is the viewport as the browser delivered it.
    fn step_finished(&mut self, record: &StepRecord, screenshot_png: &[u8]) -> io::Result<()>;
    /// A step failed; returns where the failure screenshot was saved, if it was.
    fn step_failed(
        &mut self,
        record: &StepRecord,
        error: &StepError,
        screenshot_png: Option<&[u8]>,
    ) -> io::Result<Option<PathBuf>>;
    /// A step was not run because an earlier one failed.
    fn step_skipped(&mut self, _record: &StepRecord) -> io::Result<()> {
        Ok(())
    }
    /// The run ended (all steps passed, or one failed).
    fn run_finished(&mut self, _outcome: &RunOutcome) -> io::Result<()> {
        Ok(())
    }
}

/// Two sinks as one (evidence plus a progress display, say): every event goes
/// to both, first `.0`; the failure screenshot path is the first sink's.
#[derive(Debug)]
pub struct Tee<A, B>(pub A, pub B);

impl<A: StepSink, B: StepSink> StepSink for Tee<A, B> {
    fn run_started(&mut self, run: &RunInfo) -> io::Result<()> {
        self.0.run_started(run)?;
        self.1.run_started(run)
    }
    fn step_started(&mut self, step: &StepStart<'_>) -> io::Result<()> {
        self.0.step_started(step)?;
        self.1.step_started(step)
    }
    fn step_finished(&mut self, record: &StepRecord, png: &[u8]) -> io::Result<()> {
        self.0.step_finished(record, png)?;
        self.1.step_finished(record, png)
    }
    fn step_failed(
        &mut self,
        record: &StepRecord,
        error: &StepError,
        png: Option<&[u8]>,
    ) -> io::Result<Option<PathBuf>> {
        let path = self.0.step_failed(record, error, png)?;
        let other = self.1.step_failed(record, error, png)?;
        Ok(path.or(other))
    }
    fn step_skipped(&mut self, record: &StepRecord) -> io::Result<()> {
        self.0.step_skipped(record)?;
        self.1.step_skipped(record)
    }
    fn run_finished(&mut self, outcome: &RunOutcome) -> io::Result<()> {
        self.0.run_finished(outcome)?;
        self.1.run_finished(outcome)
    }
}

/// The result of running one runbook.
#[derive(Debug)]
pub struct RunOutcome {
    /// When the run started.
    pub started_at: SystemTime,
    /// When the last step ended.
    pub finished_at: SystemTime,
    /// One record per step, in order (passed, then failed, then skipped).
    pub steps: Vec<StepRecord>,
    /// The failure that stopped the run, if any.
    pub error: Option<StepError>,
    /// Probe mode: the destructive step that was verified (located and
    /// actionable) but not performed; later steps are skipped.
    pub probed_through: Option<usize>,
}

impl RunOutcome {
    /// Whether every step passed.
    pub fn passed(&self) -> bool {
        self.error.is_none()
    }
}

/// Why a step failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StepErrorKind {
    /// Nothing matched the locator.
    #[error("no {what}")]
    NotFound {
        /// `button named "Invite a user"`.
        what: String,
    },
    /// It matched, but stayed invisible.
    #[error("{what} is not visible: {why}")]
    NotVisible {
        /// The locator.
        what: String,
        /// Why, naming the hiding ancestor.
        why: String,
    },
    /// Another element would receive the click.
    #[error("{what} is covered by {by}")]
    Covered {
        /// The locator.
        what: String,
        /// The covering element.
        by: String,
    },
    /// Two or more elements matched and no `nth` was given.
    #[error("{what} matches {} elements: {}; add `nth:` or `within:`",
        .candidates.len(),
        .candidates.iter().map(Candidate::with_box).collect::<Vec<_>>().join(", "))]
    Ambiguous {
        /// The locator.
        what: String,
        /// The visible matches.
        candidates: Vec<Candidate>,
    },
    /// A condition did not become true in time.
    #[error("timed out after {} waiting for {waiting_for}{}", secs(*.after),
        .last_seen.as_ref().map(|s| format!(" (last seen: {s})")).unwrap_or_default())]
    Timeout {
        /// What was awaited.
        waiting_for: String,
        /// The deadline that passed.
        after: Duration,
        /// What was last observed.
        last_seen: Option<String>,
    },
    /// A URL was invalid or the page did not load.
    #[error("navigation failed: {message}")]
    Navigation {
        /// What went wrong.
        message: String,
    },
    /// The page did not accept the input (value did not take, option missing).
    #[error("{message}")]
    Input {
        /// What went wrong (never the secret value).
        message: String,
    },
    /// The step cannot run as configured (pause without --headed, missing secret).
    #[error("{message}")]
    Usage {
        /// What is missing.
        message: String,
    },
    /// A WebDriver command failed.
    #[error("browser error: {message}")]
    Browser {
        /// The error text, secrets redacted.
        message: String,
        /// The WebDriver error.
        #[source]
        source: CommandError,
    },
    /// The evidence sink could not write.
    #[error("could not write evidence: {0}")]
    Evidence(#[source] io::Error),
}

impl StepErrorKind {
    /// Short machine name of the kind (`not_found`, `covered`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            StepErrorKind::NotFound { .. } => "not_found",
            StepErrorKind::NotVisible { .. } => "not_visible",
            StepErrorKind::Covered { .. } => "covered",
            StepErrorKind::Ambiguous { .. } => "ambiguous",
            StepErrorKind::Timeout { .. } => "timeout",
            StepErrorKind::Navigation { .. } => "navigation",
            StepErrorKind::Input { .. } => "input",
            StepErrorKind::Usage { .. } => "usage",
            StepErrorKind::Browser { .. } => "browser",
            StepErrorKind::Evidence(_) => "evidence",
        }
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s:.1}s")
    }
}

/// A failed step, with everything needed to point a human at it.
///
/// Every text field is already redacted; `Display` renders the
/// `error: step N of FILE failed: ...` frame.
#[derive(Debug, thiserror::Error)]
pub struct StepError {
    /// The runbook being run.
    pub runbook: PathBuf,
    /// 1-based step number.
    pub step: usize,
    /// Rendered `doc` text.
    pub doc: String,
    /// Where the step was written.
    pub origin: Origin,
    /// The locator as text.
    pub locator: Option<String>,
    /// The page URL when it failed.
    pub url: Option<String>,
    /// What the page offers instead, best guess first.
    pub offers: Vec<Candidate>,
    /// The failure screenshot, once the sink saved it.
    pub screenshot: Option<PathBuf>,
    /// The drift classification, when a locator failed.
    pub diagnosis: Option<Diagnosis>,
    /// Why it failed.
    #[source]
    pub kind: StepErrorKind,
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "error: step {} of {} failed: {}",
            self.step,
            self.runbook.display(),
            self.kind
        )?;
        let pos = self.origin.span.start;
        writeln!(
            f,
            "  --> {}:{}:{}",
            self.origin.file.display(),
            pos.line,
            pos.column
        )?;
        for (file, span) in &self.origin.via {
            writeln!(
                f,
                "  --> included from {}:{}:{}",
                file.display(),
                span.start.line,
                span.start.column
            )?;
        }
        writeln!(f, "   |")?;
        writeln!(f, "   | doc: {}", self.doc)?;
        writeln!(f, "   |")?;
        if let Some(l) = &self.locator {
            writeln!(f, "   = locator: {l}")?;
        }
        if let Some(u) = &self.url {
            writeln!(f, "   = url: {u}")?;
        }
        if !self.offers.is_empty() {
            let list: Vec<String> = self.offers.iter().map(ToString::to_string).collect();
            writeln!(f, "   = page offers: {}", list.join(", "))?;
        }
        if let Some(d) = &self.diagnosis {
            writeln!(f, "   = diagnosis: {} — {}", d.class, d.summary)?;
        }
        if let Some(s) = &self.screenshot {
            writeln!(f, "   = screenshot: {}", s.display())?;
        }
        Ok(())
    }
}

/// What a failing action reports before it is framed into a [`StepError`].
struct Fail {
    kind: Box<StepErrorKind>,
    candidates: Vec<Candidate>,
    offers: Vec<Candidate>,
    /// What the resolver saw, until the step's context is known to diagnose it.
    seen: Option<Box<locate::Seen>>,
    /// The locator that missed, and how, for the diagnosis.
    miss: Option<Box<(ResolvedTarget, Miss)>>,
    /// The drift classification.
    diagnosis: Option<Box<Diagnosis>>,
    /// For a hidden match: the visible control that reveals it.
    revealer: Option<Box<Candidate>>,
}

impl From<StepErrorKind> for Fail {
    fn from(kind: StepErrorKind) -> Self {
        Fail {
            kind: Box::new(kind),
            candidates: Vec::new(),
            offers: Vec::new(),
            seen: None,
            miss: None,
            diagnosis: None,
            revealer: None,
        }
    }
}

/// What a passing action reports.
#[derive(Default)]
struct Done {
    element: Option<Candidate>,
}

/// Draws labelled outlines (fixed-position, click-through) over boxes.
const OUTLINE_JS: &str = "for (const b of arguments[0]) { \
    const d = document.createElement('div'); d.className = '__clickpath_outline'; \
    d.style.cssText = 'position:fixed;pointer-events:none;z-index:2147483647;' + \
      'border:2px solid ' + b.color + ';left:' + (b.x - 3) + 'px;top:' + (b.y - 3) + \
      'px;width:' + (b.width + 2) + 'px;height:' + (b.height + 2) + 'px'; \
    if (b.label) { const l = document.createElement('span'); l.textContent = b.label; \
    l.style.cssText = 'position:absolute;left:-2px;top:-18px;font:11px sans-serif;' + \
      'color:#fff;background:' + b.color + ';padding:1px 3px;white-space:nowrap'; \
    d.appendChild(l); } document.documentElement.appendChild(d); } return true;";

/// Removes the outlines again.
const UNOUTLINE_JS: &str =
    "document.querySelectorAll('.__clickpath_outline').forEach(e => e.remove()); return true;";

/// Maximum number of "page offers" suggestions in a message.
const MAX_OFFERS: usize = 5;

/// Run every step of `runbook` in `browser`, pushing events into `sink`.
///
/// Stops at the first failing step (the rest are reported as skipped).
/// Never panics on page or browser behaviour; all failures are in the outcome.
pub async fn run(
    browser: &dyn Browser,
    runbook: &Runbook,
    config: &RunConfig,
    sink: &mut dyn StepSink,
) -> RunOutcome {
    // Redact secrets as typed and as they appear URL-encoded (GET forms).
    let mut secrets: Vec<Secret> = Vec::new();
    for secret in config.secrets.values() {
        let plain = secret.expose();
        let form: String = url::form_urlencoded::byte_serialize(plain.as_bytes()).collect();
        for variant in [form.replace('+', "%20"), form] {
            if variant != plain {
                secrets.push(Secret::new(variant));
            }
        }
        secrets.push(secret.clone());
    }
    let ex = Exec {
        browser,
        runbook,
        config,
        secrets,
    };
    ex.run(sink).await
}

struct Exec<'a> {
    browser: &'a dyn Browser,
    runbook: &'a Runbook,
    config: &'a RunConfig,
    secrets: Vec<Secret>,
}

impl Exec<'_> {
    fn redact(&self, s: &str) -> String {
        redact(s, &self.secrets)
    }

    fn render(&self, t: &Template) -> String {
        t.render(|name| match name {
            "run_id" => Some(self.config.run_id.clone()),
            "date" => Some(self.config.date.clone()),
            "provider" => Some(self.runbook.provider.clone()),
            other => self.config.vars.get(other).cloned().or_else(|| {
                // Fall back to the declared default when the caller gave none.
                self.runbook
                    .vars
                    .iter()
                    .find(|v| v.name == other)
                    .and_then(|v| v.default.clone())
            }),
        })
    }

    fn resolve(&self, t: &Target) -> ResolvedTarget {
        ResolvedTarget::from_target(t, &|x| self.render(x))
    }

    async fn run(&self, sink: &mut dyn StepSink) -> RunOutcome {
        let started_at = SystemTime::now();
        let total = self.runbook.steps.len();
        let mut outcome = RunOutcome {
            started_at,
            finished_at: started_at,
            steps: Vec::new(),
            error: None,
            probed_through: None,
        };
        let vars = self
            .config
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), self.redact(v)))
            .collect();
        let info = RunInfo {
            runbook: self.runbook.path.clone(),
            name: self.runbook.name.clone(),
            provider: self.runbook.provider.clone(),
            flow: self.runbook.flow.clone(),
            run_id: self.config.run_id.clone(),
            base_url: self.config.base_url.clone(),
            vars,
            browser: self.browser.info().clone(),
            started_at,
            steps_total: total,
        };
        if let Err(e) = sink.run_started(&info) {
            outcome.error = Some(self.frame(
                1,
                self.runbook.steps.first(),
                None,
                None,
                StepErrorKind::Evidence(e),
            ));
        }
        // The state after one step is the state before the next (saves a round trip).
        let mut last_state: Option<wait::PageState> = None;
        for (i, step) in self.runbook.steps.iter().enumerate() {
            let number = i + 1;
            let doc = self.redact(&self.render(&step.doc));
            if outcome.error.is_some() || outcome.probed_through.is_some() {
                let rec = self.record(number, step, doc, StepStatus::Skipped);
                let _ = sink.step_skipped(&rec);
                outcome.steps.push(rec);
                continue;
            }
            if let Err(e) = sink.step_started(&StepStart {
                number,
                total,
                doc: &doc,
                step,
            }) {
                outcome.error =
                    Some(self.frame(number, Some(step), None, None, StepErrorKind::Evidence(e)));
                continue;
            }
            let t0 = Instant::now();
            let rt0 = self.browser.round_trips();
            let timeout = step.timeout.unwrap_or(self.config.timeout);
            let deadline = t0 + timeout;
            let before = match last_state.take() {
                Some(s) => Some(s),
                None => wait::page_state(self.browser).await.ok(),
            };
            let probing = self.config.probe && step.destructive;
            let result = if probing {
                self.probe(step, deadline).await
            } else {
                self.perform(step, deadline).await
            };
            let mut rec = self.record(number, step, doc, StepStatus::Passed);
            rec.probed = probing;
            if probing && result.is_ok() {
                outcome.probed_through = Some(number);
            }
            // After the action: wait for any new document to load, then capture.
            let load_deadline = Instant::now() + timeout;
            let after = match wait::until_loaded(self.browser, load_deadline).await {
                Ok(Ok(s)) => Some(s),
                Ok(Err(t)) => t.last,
                Err(_) => None,
            };
            if let Some(s) = &after {
                rec.url = Some(self.redact(&s.url));
                rec.title = Some(self.redact(&s.title));
                rec.navigated = before.as_ref().is_some_and(|b| b.doc != s.doc);
            }
            last_state = after;
            let mut result = result;
            if let Err(f) = &mut result {
                self.diagnose(f, number, before.as_ref(), &outcome.steps);
            }
            // A failure screenshot outlines the elements the message names.
            let outlined = match &result {
                Err(f) => self.outline(f).await,
                Ok(_) => false,
            };
            let shot = self.browser.screenshot().await;
            if outlined {
                let _ = self.browser.execute(UNOUTLINE_JS, vec![]).await;
            }
            rec.duration = t0.elapsed();
            rec.round_trips = self.browser.round_trips() - rt0;
            match (result, shot) {
                (Ok(done), Ok(png)) => {
                    rec.element = done.element;
                    if let Err(e) = sink.step_finished(&rec, &png) {
                        rec.status = StepStatus::Failed;
                        let err = self.frame(
                            number,
                            Some(step),
                            rec.locator.clone(),
                            rec.url.clone(),
                            StepErrorKind::Evidence(e),
                        );
                        outcome.error = Some(err);
                    }
                    outcome.steps.push(rec);
                }
                (Ok(_), Err(e)) => {
                    let fail = Fail::from(self.browser_kind(e));
                    self.fail(sink, &mut outcome, rec, step, fail, None);
                }
                (Err(fail), shot) => {
                    self.fail(sink, &mut outcome, rec, step, fail, shot.ok());
                }
            }
        }
        outcome.finished_at = SystemTime::now();
        let _ = sink.run_finished(&outcome);
        outcome
    }

    fn fail(
        &self,
        sink: &mut dyn StepSink,
        outcome: &mut RunOutcome,
        mut rec: StepRecord,
        step: &Step,
        fail: Fail,
        png: Option<Vec<u8>>,
    ) {
        rec.status = StepStatus::Failed;
        let mut candidates = fail.candidates;
        if candidates.is_empty() {
            candidates = fail.offers.clone();
        }
        rec.failure = Some(Failure {
            kind: fail.kind.name().to_string(),
            message: self.redact(&fail.kind.to_string()),
            candidates,
            diagnosis: fail.diagnosis.as_deref().cloned(),
        });
        let mut err = self.frame(
            rec.number,
            Some(step),
            rec.locator.clone(),
            rec.url.clone(),
            *fail.kind,
        );
        err.offers = fail.offers;
        err.diagnosis = fail.diagnosis.map(|d| *d);
        match sink.step_failed(&rec, &err, png.as_deref()) {
            Ok(path) => err.screenshot = path,
            Err(e) => {
                tracing::warn!("could not write the failure evidence: {e}");
            }
        }
        outcome.steps.push(rec);
        outcome.error = Some(err);
    }

    /// Outline the failure's candidates (red) and suggestions (orange) on the
    /// page; only the top suggestion (or the control revealing a hidden
    /// match) is labelled.
    async fn outline(&self, fail: &Fail) -> bool {
        let class = fail.diagnosis.as_ref().map(|d| d.class);
        let top = |c: &Candidate| match class {
            Some(DriftClass::Gone) | Some(DriftClass::WrongPage) => {
                format!("page offers {:?}", c.name)
            }
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
        let boxes: Vec<serde_json::Value> = fail
            .candidates
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
                    "color": color, "label": self.redact(&label),
                })
            })
            .collect();
        if boxes.is_empty() {
            return false;
        }
        self.browser
            .execute(OUTLINE_JS, vec![serde_json::Value::Array(boxes)])
            .await
            .is_ok()
    }

    fn record(&self, number: usize, step: &Step, doc: String, status: StepStatus) -> StepRecord {
        StepRecord {
            number,
            doc,
            origin: step.origin.clone(),
            action: step.action.keyword(),
            locator: self.locator_text(step),
            element: None,
            url: None,
            title: None,
            navigated: false,
            duration: Duration::ZERO,
            round_trips: 0,
            status,
            failure: None,
            probed: false,
            capture: match &step.action {
                Action::Screenshot { name } => Some(name.clone()),
                _ => None,
            },
        }
    }

    fn locator_text(&self, step: &Step) -> Option<String> {
        let text = match &step.action {
            Action::Goto { url } => Some(format!("url {:?}", self.render(url))),
            Action::Expect(Expectation::Url(t)) => {
                Some(format!("url contains {:?}", self.render(t)))
            }
            Action::Expect(Expectation::Title(t)) => {
                Some(format!("title contains {:?}", self.render(t)))
            }
            a => a.target().map(|t| self.resolve(t).to_string()),
        };
        text.map(|t| self.redact(&t))
    }

    fn frame(
        &self,
        number: usize,
        step: Option<&Step>,
        locator: Option<String>,
        url: Option<String>,
        kind: StepErrorKind,
    ) -> StepError {
        let (doc, origin) = match step {
            Some(s) => (self.redact(&self.render(&s.doc)), s.origin.clone()),
            None => (
                String::new(),
                Origin {
                    file: self.runbook.path.clone(),
                    span: Default::default(),
                    via: Vec::new(),
                },
            ),
        };
        StepError {
            runbook: self.runbook.path.clone(),
            step: number,
            doc,
            origin,
            locator,
            url,
            offers: Vec::new(),
            screenshot: None,
            diagnosis: None,
            kind,
        }
    }

    fn browser_kind(&self, e: CommandError) -> StepErrorKind {
        StepErrorKind::Browser {
            message: self.redact(&e.to_string()),
            source: e,
        }
    }

    fn secret(&self, name: &str) -> Result<&Secret, Fail> {
        self.config.secrets.get(name).ok_or_else(|| {
            Fail::from(StepErrorKind::Usage {
                message: format!(
                    "secret `{name}` has no value (set it in the environment the runbook names)"
                ),
            })
        })
    }

    /// Turn a locate failure into a step failure, with suggestions.
    fn locate_fail(&self, target: &ResolvedTarget, e: LocateError, expect: bool) -> Fail {
        let what = self.redact(&target.to_string());
        // The target exists but cannot be used: show it, offer nothing else.
        if let LocateError::Covered { seen, .. }
        | LocateError::Disabled(seen)
        | LocateError::Unstable(seen) = &e
        {
            let candidates = seen.matches.clone();
            let mut f = self.locate_fail_kind(target, e, expect, &what);
            f.candidates = candidates;
            return f;
        }
        let miss = match &e {
            LocateError::NotFound(..) => Some(Miss::NotFound),
            LocateError::ScopeNotFound { .. } => Some(Miss::ScopeNotFound),
            LocateError::NotVisible { .. } => Some(Miss::NotVisible),
            LocateError::Ambiguous { .. } => Some(Miss::Ambiguous),
            _ => None,
        };
        let mut f = self.locate_fail_kind(target, e, expect, &what);
        f.miss = miss.map(|m| Box::new((target.clone(), m)));
        f
    }

    /// Classify a locator failure from what the resolver saw and what the
    /// run knew before the step; rank the page's offers by it.
    fn diagnose(
        &self,
        fail: &mut Fail,
        number: usize,
        before: Option<&wait::PageState>,
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
        let mut diagnosis = d.diagnosis;
        diagnosis.summary = self.redact(&diagnosis.summary);
        fail.diagnosis = Some(Box::new(diagnosis));
    }

    fn locate_fail_kind(
        &self,
        target: &ResolvedTarget,
        e: LocateError,
        expect: bool,
        what: &str,
    ) -> Fail {
        let what = what.to_string();
        let seen = e.seen().cloned().map(Box::new);
        let kind = match e {
            LocateError::NotFound(..) | LocateError::ScopeNotFound { .. } if expect => {
                StepErrorKind::Timeout {
                    waiting_for: format!("{what} to be visible"),
                    after: Duration::ZERO,
                    last_seen: match &e {
                        LocateError::ScopeNotFound { scope, .. } => Some(format!("no {scope}")),
                        _ => Some(format!("no {}", locate::not_found_text(target))),
                    },
                }
            }
            LocateError::NotFound(..) => StepErrorKind::NotFound {
                what: self.redact(&locate::not_found_text(target)),
            },
            LocateError::ScopeNotFound { scope, .. } => StepErrorKind::NotFound {
                what: self.redact(&format!("{scope} (looking for {what})")),
            },
            LocateError::NotVisible { why, .. } => StepErrorKind::NotVisible { what, why },
            LocateError::Covered { by, .. } => StepErrorKind::Covered { what, by },
            LocateError::Disabled(_) => StepErrorKind::Timeout {
                waiting_for: format!("{what} to become enabled"),
                after: Duration::ZERO,
                last_seen: None,
            },
            LocateError::Unstable(_) => StepErrorKind::Timeout {
                waiting_for: format!("{what} to stop moving"),
                after: Duration::ZERO,
                last_seen: None,
            },
            LocateError::Ambiguous { candidates, .. } => {
                return Fail {
                    kind: Box::new(StepErrorKind::Ambiguous {
                        what,
                        candidates: candidates.clone(),
                    }),
                    candidates,
                    offers: Vec::new(),
                    seen,
                    miss: None,
                    diagnosis: None,
                    revealer: None,
                }
            }
            LocateError::Browser(e) => self.browser_kind(e),
            LocateError::Script(m) => StepErrorKind::Input {
                message: format!("the in-page resolver failed: {}", self.redact(&m)),
            },
        };
        Fail {
            kind: Box::new(kind),
            candidates: Vec::new(),
            offers: Vec::new(),
            seen,
            miss: None,
            diagnosis: None,
            revealer: None,
        }
    }

    async fn find(
        &self,
        target: &ResolvedTarget,
        purpose: Purpose,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<locate::Located, Fail> {
        locate::locate(self.browser, target, purpose, deadline)
            .await
            .map_err(|e| {
                let mut f = self.locate_fail(target, e, purpose == Purpose::Present);
                if let StepErrorKind::Timeout { after, .. } = f.kind.as_mut() {
                    *after = timeout;
                }
                f
            })
    }

    /// Probe a destructive step: locate its target and check actionability, without acting.
    async fn probe(&self, step: &Step, deadline: Instant) -> Result<Done, Fail> {
        let timeout = step.timeout.unwrap_or(self.config.timeout);
        let purpose = match &step.action {
            Action::Click { .. } | Action::Check { .. } | Action::Uncheck { .. } => Purpose::Act,
            Action::Expect(_) => return self.perform(step, deadline).await,
            _ => Purpose::Input,
        };
        match step.action.target() {
            Some(t) => {
                let t = self.resolve(t);
                let l = self.find(&t, purpose, deadline, timeout).await?;
                Ok(Done {
                    element: Some(l.info),
                })
            }
            None => Ok(Done::default()),
        }
    }

    async fn perform(&self, step: &Step, deadline: Instant) -> Result<Done, Fail> {
        let timeout = step.timeout.unwrap_or(self.config.timeout);
        match &step.action {
            Action::Goto { url } => {
                let url = self.join_url(&self.render(url))?;
                self.browser
                    .goto(&url)
                    .await
                    .map_err(|e| Fail::from(self.browser_kind(e)))?;
                Ok(Done::default())
            }
            Action::Click { target } => {
                let t = self.resolve(target);
                self.click(&t, deadline, timeout).await
            }
            Action::Fill { target, value } => {
                let t = self.resolve(target);
                let (text, secret) = match value {
                    Value::Text(v) => (self.render(v), false),
                    Value::Secret(name) => (self.secret(name)?.expose().to_string(), true),
                };
                // A secret typed into a field that shows its text is masked
                // on the page, so no screenshot (or onlooker) sees it.
                self.fill(&t, &text, secret, secret, deadline, timeout)
                    .await
            }
            Action::Totp { target, secret } => {
                let seed = self.secret(secret)?;
                let code = totp_now(seed.expose()).map_err(|message| {
                    Fail::from(StepErrorKind::Usage {
                        message: format!("secret `{secret}` is not a usable TOTP seed: {message}"),
                    })
                })?;
                let t = self.resolve(target);
                // The one-time code is redacted from text output but stays
                // visible in the screenshot: it is worthless 30 s later.
                self.fill(&t, &code, true, false, deadline, timeout).await
            }
            Action::Select { target, option } => {
                let t = self.resolve(target);
                self.select(&t, &self.render(option), deadline, timeout)
                    .await
            }
            Action::Check { target } => {
                let t = self.resolve(target);
                self.set_checked(&t, true, deadline, timeout).await
            }
            Action::Uncheck { target } => {
                let t = self.resolve(target);
                self.set_checked(&t, false, deadline, timeout).await
            }
            Action::Press { key, target } => {
                let text = key_text(key).ok_or_else(|| {
                    Fail::from(StepErrorKind::Usage {
                        message: format!("unknown key `{key}` (use a WebDriver key name such as Enter, Tab, Escape)"),
                    })
                })?;
                let (el, info) = match target {
                    Some(t) => {
                        let t = self.resolve(t);
                        let l = self.find(&t, Purpose::Input, deadline, timeout).await?;
                        (l.element, Some(l.info))
                    }
                    None => (
                        self.browser
                            .active_element()
                            .await
                            .map_err(|e| Fail::from(self.browser_kind(e)))?,
                        None,
                    ),
                };
                self.browser
                    .send_keys(&el, &text)
                    .await
                    .map_err(|e| Fail::from(self.browser_kind(e)))?;
                Ok(Done { element: info })
            }
            Action::Expect(exp) => self.expect(exp, deadline, timeout).await,
            Action::Pause { message } => {
                let message = self.render(message);
                if !self.browser.info().headed {
                    return Err(Fail::from(StepErrorKind::Usage {
                        message: format!(
                            "pause needs --headed (a person must do this step: {message})"
                        ),
                    }));
                }
                eprintln!("clickpath: paused: {message}\n  press Enter to continue");
                let answer = tokio::task::spawn_blocking(|| {
                    let mut line = String::new();
                    io::stdin().read_line(&mut line)
                })
                .await;
                match answer {
                    Ok(Ok(n)) if n > 0 => Ok(Done::default()),
                    // EOF or no stdin: nobody can confirm the manual step,
                    // so the flow must not go on as if it had been done.
                    _ => Err(Fail::from(StepErrorKind::Usage {
                        message: format!(
                            "pause needs a person at the terminal to press Enter, \
                             but standard input is closed ({message})"
                        ),
                    })),
                }
            }
            Action::Screenshot { .. } => Ok(Done::default()),
        }
    }

    fn join_url(&self, url: &str) -> Result<String, Fail> {
        let joined = if url.contains("://") {
            url.to_string()
        } else {
            format!(
                "{}/{}",
                self.config.base_url.trim_end_matches('/'),
                url.trim_start_matches('/')
            )
        };
        url::Url::parse(&joined)
            .map(|u| u.to_string())
            .map_err(|e| {
                Fail::from(StepErrorKind::Navigation {
                    message: format!("`{}` is not a valid URL: {e}", self.redact(&joined)),
                })
            })
    }

    async fn click(
        &self,
        t: &ResolvedTarget,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        loop {
            let l = self.find(t, Purpose::Act, deadline, timeout).await?;
            match self.browser.click(&l.element).await {
                Ok(()) => {
                    return Ok(Done {
                        element: Some(l.info),
                    })
                }
                // Stale or intercepted between locate and act: resolve again.
                Err(e) if retryable(&e) && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::from(self.browser_kind(e))),
            }
        }
    }

    async fn fill(
        &self,
        t: &ResolvedTarget,
        text: &str,
        secret: bool,
        mask: bool,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        // Read the value back (did it take?) and, for a secret in a field
        // that is not a password field, hide its text in the same round trip.
        const READ_BACK: &str = "const [el, mask] = arguments; \
            if (mask && el.type !== 'password') { \
              el.style.setProperty('-webkit-text-security', 'disc', 'important'); \
              if (getComputedStyle(el).webkitTextSecurity !== 'disc') { \
                el.style.setProperty('color', 'transparent', 'important'); \
                el.style.setProperty('text-shadow', 'none', 'important'); } \
              el.setAttribute('data-clickpath-masked', ''); } \
            return el.value;";
        loop {
            let l = self.find(t, Purpose::Input, deadline, timeout).await?;
            let el = &l.element;
            let typed = async {
                self.browser.clear(el).await?;
                self.browser.send_keys(el, text).await?;
                self.browser
                    .execute(READ_BACK, vec![el.to_json(), serde_json::json!(mask)])
                    .await
            }
            .await;
            match typed {
                Ok(v) => {
                    let got = v.as_str().unwrap_or_default();
                    if got == text {
                        return Ok(Done {
                            element: Some(l.info),
                        });
                    }
                    let message = if secret {
                        format!(
                            "{} did not keep the typed secret value",
                            self.redact(&t.to_string())
                        )
                    } else {
                        format!(
                            "{} did not keep the typed value: expected {:?}, it holds {:?}",
                            self.redact(&t.to_string()),
                            self.redact(text),
                            self.redact(got)
                        )
                    };
                    return Err(Fail::from(StepErrorKind::Input { message }));
                }
                Err(e) if retryable(&e) && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::from(self.browser_kind(e))),
            }
        }
    }

    async fn select(
        &self,
        t: &ResolvedTarget,
        option: &str,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        const FIND_OPTION: &str = "const [sel, want] = arguments; \
            const norm = s => (s || '').replace(/\\s+/g, ' ').trim(); \
            const opts = Array.from(sel.options || sel.querySelectorAll('[role=option]')); \
            const hit = opts.find(o => norm(o.textContent) === norm(want)); \
            return {option: hit || null, offered: opts.map(o => norm(o.textContent))};";
        const SELECTED: &str = "const s = arguments[0]; \
            const o = s.options ? s.options[s.selectedIndex] : null; \
            return o ? o.textContent.replace(/\\s+/g, ' ').trim() : null;";
        loop {
            let l = self.find(t, Purpose::Input, deadline, timeout).await?;
            let arg = l.element.to_json();
            let res = self
                .browser
                .execute(FIND_OPTION, vec![arg.clone(), serde_json::json!(option)])
                .await;
            let v = match res {
                Ok(v) => v,
                Err(e) if retryable(&e) && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::from(self.browser_kind(e))),
            };
            let Some(opt) = v.get("option").and_then(ElementRef::from_json) else {
                let offered: Vec<String> = v
                    .get("offered")
                    .and_then(|o| o.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(|s| format!("{s:?}")))
                            .collect()
                    })
                    .unwrap_or_default();
                return Err(Fail::from(StepErrorKind::Input {
                    message: format!(
                        "{} has no option {option:?}; it offers {}",
                        self.redact(&t.to_string()),
                        self.redact(&offered.join(", "))
                    ),
                }));
            };
            match self.browser.click(&opt).await {
                Ok(()) => {}
                Err(e) if retryable(&e) && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::from(self.browser_kind(e))),
            }
            let now = self
                .browser
                .execute(SELECTED, vec![arg])
                .await
                .map_err(|e| Fail::from(self.browser_kind(e)))?;
            if now
                .as_str()
                .map(|s| s == option.split_whitespace().collect::<Vec<_>>().join(" "))
                == Some(true)
            {
                return Ok(Done {
                    element: Some(l.info),
                });
            }
            return Err(Fail::from(StepErrorKind::Input {
                message: format!(
                    "{} did not keep option {option:?} (it shows {})",
                    self.redact(&t.to_string()),
                    now
                ),
            }));
        }
    }

    async fn set_checked(
        &self,
        t: &ResolvedTarget,
        want: bool,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        const CHECKED: &str = "const e = arguments[0]; \
            return e.localName === 'input' ? e.checked : e.getAttribute('aria-checked') === 'true';";
        loop {
            let l = self.find(t, Purpose::Act, deadline, timeout).await?;
            if l.info.checked == Some(want) {
                return Ok(Done {
                    element: Some(l.info),
                });
            }
            match self.browser.click(&l.element).await {
                Ok(()) => {}
                Err(e) if retryable(&e) && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::from(self.browser_kind(e))),
            }
            let now = self
                .browser
                .execute(CHECKED, vec![l.element.to_json()])
                .await;
            match now {
                Ok(v) if v.as_bool() == Some(want) => {
                    let mut info = l.info;
                    info.checked = Some(want);
                    return Ok(Done {
                        element: Some(info),
                    });
                }
                Ok(_) => {
                    return Err(Fail::from(StepErrorKind::Input {
                        message: format!(
                            "{} did not become {} after a click",
                            self.redact(&t.to_string()),
                            if want { "checked" } else { "unchecked" }
                        ),
                    }))
                }
                Err(e) if retryable(&e) && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::from(self.browser_kind(e))),
            }
        }
    }

    async fn expect(
        &self,
        exp: &Expectation,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        match exp {
            Expectation::Visible(target) => {
                let t = self.resolve(target);
                let l = self.find(&t, Purpose::Present, deadline, timeout).await?;
                Ok(Done {
                    element: Some(l.info),
                })
            }
            Expectation::Absent(target) => {
                let t = self.resolve(target);
                let r = wait::poll(deadline, || async {
                    match locate::attempt(self.browser, &t, None).await {
                        Ok(a) if a.seen.match_count == 0 => Ok(Ok(())),
                        Ok(a) => Ok(Err(a.seen.matches)),
                        Err(LocateError::Browser(e)) => Err(e),
                        Err(e) => Ok(Err(vec![Candidate {
                            tag: String::new(),
                            role: String::new(),
                            name: e.to_string(),
                            bbox: Default::default(),
                            visible: false,
                            hidden_why: None,
                            region: None,
                            checked: None,
                        }])),
                    }
                })
                .await
                .map_err(|e| Fail::from(self.browser_kind(e)))?;
                match r {
                    Ok(()) => Ok(Done::default()),
                    Err(t_out) => {
                        let still = t_out.last.unwrap_or_default();
                        Err(Fail {
                            kind: Box::new(StepErrorKind::Timeout {
                                waiting_for: format!(
                                    "{} to disappear",
                                    self.redact(&t.to_string())
                                ),
                                after: timeout,
                                last_seen: still.first().map(|c| c.with_box()),
                            }),
                            candidates: still,
                            offers: Vec::new(),
                            seen: None,
                            miss: None,
                            diagnosis: None,
                            revealer: None,
                        })
                    }
                }
            }
            Expectation::Url(want) | Expectation::Title(want) => {
                let want = self.render(want);
                let is_url = matches!(exp, Expectation::Url(_));
                let r = wait::poll(deadline, || async {
                    let s = wait::page_state(self.browser).await?;
                    let have = if is_url { s.url } else { s.title };
                    Ok(if have.contains(&want) {
                        Ok(())
                    } else {
                        Err(have)
                    })
                })
                .await
                .map_err(|e| Fail::from(self.browser_kind(e)))?;
                match r {
                    Ok(()) => Ok(Done::default()),
                    Err(t_out) => Err(Fail::from(StepErrorKind::Timeout {
                        waiting_for: format!(
                            "{} to contain {:?}",
                            if is_url { "the url" } else { "the title" },
                            self.redact(&want)
                        ),
                        after: timeout,
                        last_seen: t_out.last.map(|s| format!("{:?}", self.redact(&s))),
                    })),
                }
            }
        }
    }
}

/// Errors that mean "the element went away or was covered between locate and act".
fn retryable(e: &CommandError) -> bool {
    e.is_retryable()
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
mod tests {
    use super::*;

    #[test]
    fn totp_matches_rfc6238_shape() {
        let code = totp_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert!(totp_now("not base32 !!").is_err());
    }

    #[test]
    fn step_error_renders_the_frame_with_doc_offers_and_screenshot() {
        use crate::diagnostic::Span;
        let offer = Candidate {
            tag: "button".into(),
            role: "button".into(),
            name: "Invite user".into(),
            bbox: Default::default(),
            visible: true,
            hidden_why: None,
            region: Some("main".into()),
            checked: None,
        };
        let err = StepError {
            runbook: "runbooks/xero/10-invite_user.yaml".into(),
            step: 4,
            doc: "Click **Invite a User**".into(),
            origin: Origin {
                file: "runbooks/xero/login.yaml".into(),
                span: Span::on_line(21, 5, 5),
                via: vec![(
                    "runbooks/xero/10-invite_user.yaml".into(),
                    Span::on_line(3, 3, 3),
                )],
            },
            locator: Some("button \"Invite a user\"".into()),
            url: Some("http://127.0.0.1:4711/xero/settings/users".into()),
            offers: vec![offer],
            screenshot: Some(
                "screenshots/r/xero/invite_user/04-click-invite-a-user-FAILED.png".into(),
            ),
            diagnosis: None,
            kind: StepErrorKind::NotFound {
                what: "button named \"Invite a user\"".into(),
            },
        };
        assert_eq!(
            err.to_string(),
            "error: step 4 of runbooks/xero/10-invite_user.yaml failed: no button named \"Invite a user\"
  --> runbooks/xero/login.yaml:21:5
  --> included from runbooks/xero/10-invite_user.yaml:3:3
   |
   | doc: Click **Invite a User**
   |
   = locator: button \"Invite a user\"
   = url: http://127.0.0.1:4711/xero/settings/users
   = page offers: button \"Invite user\" (main)
   = screenshot: screenshots/r/xero/invite_user/04-click-invite-a-user-FAILED.png
"
        );
    }

    #[test]
    fn key_names_map_to_webdriver_keys() {
        assert_eq!(key_text("Enter"), Some("\u{e007}".to_string()));
        assert_eq!(key_text("a"), Some("a".to_string()));
        assert_eq!(key_text("Nope"), None);
    }
}
