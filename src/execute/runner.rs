//! The run loop: each step in turn, decided by the policy, performed,
//! captured and recorded into the [`RunOutcome`], with every event pushed
//! into the sink.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use tokio::time::Instant;

use super::actions::Done;
use super::capture;
use super::failure::{self, Fail};
use super::policy::{self, Decision};
use super::wait::{self, PageState};
use super::windows::{window_text, Tabs};
use super::{RunConfig, StepSink, StepStart};
use crate::browser::Browser;
use crate::locate::{self, ResolvedTarget};
use crate::outcome::{
    BrowserSummary, Failure, FailureKind, RunOutcome, RunStatus, Size, SourcePos, StepRecord,
    StepStatus, SCHEMA_VERSION,
};
use crate::runbook::{Action, Bindings, Expectation, Origin, Runbook, Step, Target, Template};
use crate::secret::{Redact, Redactor, Secret};

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

/// The step to perform, the one after it (does it answer a dialog?),
/// whether it is only probed, and a click to perform first (a heal's
/// `RevealFirst`).
#[derive(Clone, Copy)]
pub(super) struct At<'s> {
    pub(super) step: &'s Step,
    pub(super) next: Option<&'s Step>,
    pub(super) probing: bool,
    pub(super) reveal: Option<&'s Step>,
}

/// One run of one runbook in one browser.
pub(crate) struct Runner<'a> {
    pub(super) browser: &'a dyn Browser,
    pub(super) runbook: &'a Runbook,
    pub(super) config: &'a RunConfig,
    /// Every form of every secret value (as typed, URL-, HTML-, JSON- and
    /// `{:?}`-encoded), built once for the run.
    pub(super) redactor: Redactor,
    /// Built-ins and vars for templates.
    bindings: Bindings,
    /// The step entered frames: go back to the top-level document after it.
    pub(super) in_frame: AtomicBool,
    /// The current step entered frames at some point (what its scripts
    /// read is not the top-level page's state).
    pub(super) entered_frames: AtomicBool,
    /// The windows of the session and which one the run is in.
    pub(super) tabs: Tabs,
    /// Fields a `totp` step typed a one-time code into: masked in every
    /// capture from then on (the code changes every 30 s and is a
    /// credential while it lasts).
    pub(super) code_fields: std::sync::Mutex<Vec<Target>>,
    /// The current step's `mask:` (a capture before a click needs them).
    pub(super) step_masks: std::sync::Mutex<Vec<Target>>,
    /// The capture taken just before the current step's click
    /// ([`RunConfig::before_clicks`]).
    pub(super) before_shot: std::sync::Mutex<Option<Vec<u8>>>,
}

impl<'a> Runner<'a> {
    pub(super) fn new(
        browser: &'a dyn Browser,
        runbook: &'a Runbook,
        config: &'a RunConfig,
    ) -> Self {
        Runner {
            browser,
            runbook,
            config,
            redactor: Redactor::new(config.secrets.values()),
            bindings: config.bindings(),
            in_frame: AtomicBool::new(false),
            entered_frames: AtomicBool::new(false),
            tabs: Tabs::default(),
            code_fields: std::sync::Mutex::new(Vec::new()),
            step_masks: std::sync::Mutex::new(Vec::new()),
            before_shot: std::sync::Mutex::new(None),
        }
    }

    /// Whether the current step entered frames.
    pub(super) fn framed(&self) -> bool {
        self.entered_frames.load(Ordering::Relaxed)
    }

    /// A template with the run's vars and built-ins filled in.
    pub(super) fn render(&self, t: &Template) -> String {
        self.bindings.render(self.runbook, t)
    }

    /// A locator with its templates filled in.
    pub(super) fn resolve(&self, t: &Target) -> ResolvedTarget {
        ResolvedTarget::from_target(t, &|x| self.render(x))
    }

    /// The value of a declared secret.
    pub(super) fn secret(&self, name: &str) -> Result<&Secret, Fail> {
        self.config.secrets.get(name).ok_or_else(|| {
            Fail::new(
                FailureKind::Usage,
                format!(
                    "secret `{name}` has no value (set it in the environment the runbook names)"
                ),
            )
        })
    }

    fn start(&self) -> RunOutcome {
        let info = self.browser.info();
        let mut run = RunOutcome {
            schema_version: SCHEMA_VERSION,
            clickpath_version: env!("CARGO_PKG_VERSION").to_string(),
            run_id: self.config.run_id.clone(),
            runbook: self.runbook.path.clone(),
            name: self.runbook.name.clone(),
            provider: self.runbook.provider.clone(),
            flow: self.runbook.flow.clone(),
            browser: BrowserSummary {
                name: info.name.clone(),
                version: info.version.clone(),
                driver_version: info.driver_version.clone(),
                headed: info.headed,
            },
            device_scale_factor: info.scale,
            viewport: Size {
                width: info.viewport.width,
                height: info.viewport.height,
            },
            base_url: self.config.base_url.clone(),
            vars: self.config.vars.clone(),
            started_at: crate::time::rfc3339(SystemTime::now()),
            finished_at: None,
            status: RunStatus::Running,
            steps_total: self.runbook.steps.len(),
            steps: Vec::new(),
            probed_through: None,
            error: None,
            evidence_dir: None,
            fix: None,
            gif: None,
        };
        run.redact(&self.redactor);
        run
    }

    pub(super) async fn run(&self, sink: &mut dyn StepSink) -> RunOutcome {
        let mut run = self.start();
        match sink.run_started(&run) {
            Ok(dir) => run.evidence_dir = dir,
            Err(e) => {
                run.error = Some(Failure::new(
                    FailureKind::Evidence,
                    format!("could not write the evidence: {e}"),
                ))
            }
        }
        let options = policy::Options {
            probe: self.config.probe,
        };
        let total = self.runbook.steps.len();
        // Every document the run opens gets clickpath's page scripts before
        // its own scripts run, so each call sends a stub of a few bytes
        // instead of up to 45 KB (where the DevTools passthrough allows).
        for script in [&locate::RESOLVER, &wait::STATE]
            .into_iter()
            .chain(super::widgets::SCRIPTS)
        {
            self.browser.preload(script).await;
        }
        // The state after one step is the state before the next (saves a round trip).
        let mut last_state: Option<PageState> = None;
        self.track_windows().await;
        for (i, step) in self.runbook.steps.iter().enumerate() {
            let number = i + 1;
            let mut rec = self.record(number, step);
            let decision = policy::decide(step, options, &run);
            if let Decision::Skip(reason) = decision {
                rec.status = StepStatus::Skipped { reason };
                self.push(sink, &mut run, rec);
                continue;
            }
            let start = StepStart {
                number,
                total,
                doc: &rec.doc,
                step,
            };
            if let Err(e) = sink.step_started(&run, &start) {
                rec.status = StepStatus::Failed;
                rec.failure = Some(Failure::new(
                    FailureKind::Evidence,
                    format!("could not write the evidence: {e}"),
                ));
                self.push(sink, &mut run, rec);
                continue;
            }
            let probing = decision == Decision::Probe;
            let at = At {
                step,
                next: self.runbook.steps.get(i + 1),
                probing,
                reveal: None,
            };
            // What earlier steps (or the session's start) sent is not this step's.
            let _ = self.browser.take_commands();
            let rec = self.step(sink, rec, at, &mut last_state, &run.steps).await;
            // With a healer (`run --heal`), a failed step's fix may be used.
            let rec = self.heal(sink, rec, at, &mut last_state, &run).await;
            if probing && rec.status == StepStatus::Probed {
                run.probed_through = Some(number);
            }
            // Where the step's time went, command by command (names and
            // times only: arguments may carry secrets).
            let commands = self.browser.take_commands();
            let breakdown = commands
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            tracing::info!(
                "step {number}/{total} {} {}: {} in {} ms ({} round trips: {breakdown})",
                rec.action,
                rec.locator.as_deref().unwrap_or(""),
                rec.status,
                rec.duration_ms,
                rec.round_trips
            );
            self.push(sink, &mut run, rec);
        }
        run.finished_at = Some(crate::time::rfc3339(SystemTime::now()));
        run.status = if run.error.is_some() || run.failed_step().is_some() {
            RunStatus::Failed
        } else {
            RunStatus::Passed
        };
        if let Err(e) = sink.run_finished(&run) {
            run.status = RunStatus::Failed;
            run.error.get_or_insert(Failure::new(
                FailureKind::Evidence,
                format!("could not write the final manifest: {e}"),
            ));
        }
        run
    }

    /// Record `rec` in the run and tell the sink; a failed write becomes the
    /// run's error (the run stops: evidence that is not kept is no evidence).
    fn push(&self, sink: &mut dyn StepSink, run: &mut RunOutcome, rec: StepRecord) {
        run.steps.push(rec);
        if let Err(e) = sink.step_recorded(run) {
            run.error.get_or_insert(Failure::new(
                FailureKind::Evidence,
                format!("could not write the manifest: {e}"),
            ));
        }
    }

    /// Perform (or probe) one step, capture it and return its record.
    pub(super) async fn step(
        &self,
        sink: &mut dyn StepSink,
        mut rec: StepRecord,
        at: At<'_>,
        last_state: &mut Option<PageState>,
        earlier: &[StepRecord],
    ) -> StepRecord {
        let At {
            step,
            next,
            probing,
            reveal,
        } = at;
        let number = rec.number;
        let t0 = Instant::now();
        let rt0 = self.browser.round_trips();
        let timeout = step.timeout.unwrap_or(self.config.timeout);
        let deadline = t0 + timeout;
        let before = match last_state.take() {
            Some(s) => Some(s),
            None => wait::page_state(self.browser).await.ok(),
        };
        self.entered_frames.store(false, Ordering::Relaxed);
        self.begin_capture(step);
        let mut result = if probing {
            self.probe(step, deadline).await
        } else if let Some(reveal) = reveal {
            match self.perform(reveal, deadline).await {
                Ok(_) => {
                    self.leave_frames().await;
                    self.perform(step, deadline).await
                }
                Err(f) => Err(f),
            }
        } else {
            self.perform(step, deadline).await
        };
        self.leave_frames().await;
        if let Err(f) = &mut result {
            self.look_in_frames(f).await;
        }
        // The state the action's last script read, when it still holds: the
        // same document as before the step (no navigation whose HTTP status
        // would need reading), loaded, not unloading.
        let seen = match &mut result {
            Ok(done) => done
                .state
                .take()
                .filter(|s| s.settled() && before.as_ref().is_some_and(|b| b.doc == s.doc)),
            Err(_) => None,
        };
        // After the action: wait for any new document to load, then capture.
        let load_deadline = Instant::now() + timeout;
        let mut after = match seen {
            Some(s) => Some(s),
            None => match wait::until_loaded(self.browser, load_deadline).await {
                Ok(Ok(s)) => Some(s),
                Ok(Err(t)) => t.last,
                Err(_) => None,
            },
        };
        // A dialog the page opened (alert, confirm, prompt) blocks every
        // command until it is handled: look for one only when something
        // could not read the page, so a normal step pays no round trip.
        let blocked = after.is_none() || matches!(&result, Err(f) if f.kind == FailureKind::Dialog);
        // The next step answers it: leave it open (WebDriver cannot take a
        // screenshot under a native dialog; its text is the evidence).
        let answered_next = matches!(next.map(|s| &s.action), Some(Action::Dialog { .. }));
        let mut dialog_left_open = false;
        let mut open_dialog = None;
        if blocked {
            open_dialog = self.browser.dialog_text().await.ok().flatten();
        }
        if let Some(text) = open_dialog.take() {
            if answered_next && result.is_ok() {
                rec.dialog = Some(text);
                dialog_left_open = true;
            } else {
                // Dismissed so the failure screenshot and the next run see
                // the page; recorded so the evidence says what it said.
                let _ = self.browser.dismiss_dialog().await;
                self.leave_frames().await;
                if !matches!(&result, Err(f) if f.kind != FailureKind::Dialog) {
                    result = Err(Fail::new(
                        FailureKind::Dialog,
                        format!("the page opened a dialog the runbook does not handle: {text:?}"),
                    ));
                }
                rec.dialog = Some(text);
                after = match wait::until_loaded(self.browser, Instant::now() + timeout).await {
                    Ok(Ok(s)) => Some(s),
                    Ok(Err(t)) => t.last,
                    Err(_) => None,
                };
            }
        }
        if after.is_some() {
            self.leave_frames().await;
            // Windows are listed (a round trip) only when one may have
            // opened: the page counted a window.open or a click aimed at
            // another target, the document changed (its count went with
            // it), or the step acted inside frames (their counts are theirs).
            let may_have_opened = match (&before, &after) {
                (Some(b), Some(a)) => {
                    b.doc != a.doc || a.popups < 0 || a.popups > b.popups || self.framed()
                }
                _ => true,
            };
            if may_have_opened {
                rec.opened_windows = self.opened_windows(step, timeout).await;
            }
        }
        if let Some(s) = &after {
            rec.url = Some(s.url.clone());
            rec.title = Some(s.title.clone());
            rec.navigated = before.as_ref().is_some_and(|b| b.doc != s.doc);
            let expected = match &step.action {
                Action::Goto { status, .. } => *status,
                _ => None,
            };
            let arrived = rec.navigated || matches!(step.action, Action::Goto { .. });
            if arrived && result.is_ok() {
                if let Some(fail) = page_error(s, expected) {
                    result = Err(fail);
                }
            }
        }
        *last_state = after;
        if let Err(f) = &mut result {
            let baseline = self.config.baseline.as_deref().and_then(|b| {
                b.witness(&rec)
                    .map(|(step, page)| (b.run_id.as_str(), step, page))
            });
            failure::diagnose(f, number, before.as_ref(), earlier, baseline);
            self.window_hint(f, step, earlier).await;
        }
        // A failure screenshot outlines the elements the message names.
        let outlined = match &result {
            Err(f) => self.outline(f).await,
            Ok(_) => false,
        };
        let shot = if dialog_left_open {
            None
        } else {
            if let (Action::Totp { target, .. }, Ok(_)) = (&step.action, &result) {
                self.remember_code_field(target);
            }
            self.still_for_capture(step, &mut rec).await;
            Some(self.browser.screenshot().await)
        };
        if outlined {
            let _ = self.browser.execute(UNOUTLINE_JS, vec![]).await;
        }
        rec.duration_ms = u64::try_from(t0.elapsed().as_millis()).unwrap_or(u64::MAX);
        rec.round_trips = self.browser.round_trips() - rt0;
        let png = match (result, shot) {
            (Ok(Done { element, .. }), shot @ (Some(Ok(_)) | None)) => {
                if let (Action::Screenshot { padding, .. }, Some(el)) = (&step.action, &element) {
                    let v = self.browser.info().viewport;
                    rec.crop = capture::crop_box(&el.bbox, *padding, (v.width, v.height));
                }
                rec.element = element;
                rec.status = if probing {
                    StepStatus::Probed
                } else {
                    StepStatus::Passed
                };
                shot.and_then(Result::ok)
            }
            (Ok(_), Some(Err(e))) => {
                rec.status = StepStatus::Failed;
                rec.failure = Some(Fail::command(&e).into_failure());
                None
            }
            (Err(fail), shot) => {
                rec.status = StepStatus::Failed;
                rec.failure = Some(fail.into_failure());
                shot.and_then(Result::ok)
            }
        };
        // The one point where what the page reported back (element names,
        // URL, title, candidates, diagnosis, messages) enters the outcome:
        // nothing reaches the sink, the manifest or a report unredacted.
        rec.redact(&self.redactor);
        // A code field belongs to its document: once another page is
        // loaded, masking it would only cost a look-up per step.
        if rec.navigated {
            self.forget_code_fields();
        }
        // A click that loaded another page: the capture from before the
        // click shows what was clicked (only under `run --annotate`).
        let before = self.take_before();
        if let (Some(before), true, true) =
            (before, rec.navigated, rec.status == StepStatus::Passed)
        {
            match sink.before(&rec, &before) {
                Ok(name) => rec.before = name,
                Err(e) => tracing::warn!("could not write the capture before the click: {e}"),
            }
        }
        if let Some(png) = png {
            let writing = Instant::now();
            let kept = sink.screenshot(&rec, &png);
            tracing::debug!(
                "evidence: {} bytes of screenshot kept in {} ms",
                png.len(),
                writing.elapsed().as_millis()
            );
            match kept {
                Ok(name) => {
                    rec.screenshot = name;
                    // `run --compare`: after the screenshot, never before.
                    self.compare(sink, &mut rec, &png).await;
                }
                Err(e) if rec.status.is_ok() => {
                    rec.status = StepStatus::Failed;
                    rec.failure = Some(Failure::new(
                        FailureKind::Evidence,
                        format!("could not write the screenshot: {e}"),
                    ));
                }
                Err(e) => tracing::warn!("could not write the failure screenshot: {e}"),
            }
        }
        rec
    }

    /// Outline the failure's elements on the page, for its screenshot.
    async fn outline(&self, fail: &Fail) -> bool {
        let boxes = failure::outline_boxes(fail, &self.redactor);
        if boxes.is_empty() {
            return false;
        }
        self.browser
            .execute(OUTLINE_JS, vec![serde_json::Value::Array(boxes)])
            .await
            .is_ok()
    }

    /// A step's record before it runs (status: skipped until it does).
    pub(super) fn record(&self, number: usize, step: &Step) -> StepRecord {
        let mut rec = StepRecord {
            id: step.id.clone().unwrap_or_else(|| format!("step-{number}")),
            number,
            doc: self.render(&step.doc),
            source: source_pos(&step.origin),
            action: step.action.keyword().to_string(),
            locator: self.locator_text(step),
            element: None,
            url: None,
            title: None,
            navigated: false,
            duration_ms: 0,
            round_trips: 0,
            screenshot: None,
            dialog: None,
            opened_windows: Vec::new(),
            capture: match &step.action {
                Action::Screenshot { name, .. } => name.clone(),
                _ => None,
            },
            status: StepStatus::Failed,
            failure: None,
            healed: None,
            note: step.note.as_ref().map(|n| self.render(n)),
            masks: Vec::new(),
            before: None,
            crop: None,
            annotated: None,
            visual: None,
        };
        // The doc goes to the sink before the step runs (progress, file names).
        rec.redact(&self.redactor);
        rec
    }

    pub(super) fn locator_text(&self, step: &Step) -> Option<String> {
        match &step.action {
            Action::Goto { url, .. } => Some(format!("url {:?}", self.render(url))),
            Action::Dialog { accept, text } => Some(format!(
                "{} dialog{}",
                if *accept { "accept" } else { "dismiss" },
                text.as_ref()
                    .map(|t| format!(" saying {:?}", self.render(t)))
                    .unwrap_or_default()
            )),
            Action::Expect(Expectation::Url(t)) => {
                Some(format!("url contains {:?}", self.render(t)))
            }
            Action::Expect(Expectation::Title(t)) => {
                Some(format!("title contains {:?}", self.render(t)))
            }
            Action::SwitchWindow(w) => Some(window_text(w, &|t| self.render(t))),
            Action::CloseWindow => Some("the current window".to_string()),
            a => a.target().map(|t| self.resolve(t).to_string()),
        }
    }
}

/// A step's origin as the manifest records it.
fn source_pos(origin: &Origin) -> SourcePos {
    let pos = |file: &PathBuf, span: &crate::diagnostic::Span| SourcePos {
        file: file.clone(),
        line: span.start.line,
        column: span.start.column,
        via: Vec::new(),
    };
    SourcePos {
        via: origin.via.iter().map(|(f, s)| pos(f, s)).collect(),
        ..pos(&origin.file, &origin.span)
    }
}

/// A page the browser could not load, or whose server answered with an
/// error status the step does not expect (`goto: {url, status}`): a 5xx is
/// the environment's failure, a 4xx (or another status than the expected
/// one) the page's.
fn page_error(s: &PageState, expected: Option<u16>) -> Option<Fail> {
    if s.url.starts_with("chrome-error://") || s.url.starts_with("about:neterror") {
        let cause = match s.net_error.trim() {
            "" => format!("the browser shows its error page ({})", s.url),
            code if code.starts_with("net::") => code.to_string(),
            code => format!("net::{code}"),
        };
        return Some(Fail::new(
            FailureKind::Navigation,
            format!("the page could not be loaded: {cause}"),
        ));
    }
    if s.status == 0 {
        return None; // The browser does not say (a cached or local page).
    }
    match expected {
        Some(want) if s.status == want => None,
        Some(want) => Some(Fail::new(
            FailureKind::Status,
            format!(
                "the server answered HTTP {} for {}, the runbook expects {want}",
                s.status, s.url
            ),
        )),
        None if s.status >= 500 => Some(Fail::new(
            FailureKind::ServerError,
            format!("the server answered HTTP {} for {}", s.status, s.url),
        )),
        None if s.status >= 400 => Some(Fail::new(
            FailureKind::Status,
            format!("the server answered HTTP {} for {}", s.status, s.url),
        )),
        None => None,
    }
}
