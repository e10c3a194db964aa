//! The run loop against a test double behind the browser seam: evidence
//! writes that fail at each event, and a page whose server answers 500.
//! No driver, no browser: the double answers the page-state script and
//! hands back screenshot bytes.

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;
use serde_json::{json, Value as Json};

use super::{run, RunConfig, StepSink, StepStart};
use crate::browser::{Browser, BrowserInfo, CommandError, ElementRef, ErrorKind};
use crate::diagnostic::Span;
use crate::outcome::{
    FailureClass, FailureKind, RunOutcome, RunStatus, SkipReason, StepRecord, StepStatus,
};
use crate::runbook::{Action, Origin, Runbook, Step, Template, Viewport};

/// A browser that shows one loaded page answering with `status`, perhaps
/// with a dialog open over it.
#[derive(Debug)]
struct Page {
    info: BrowserInfo,
    status: u16,
    round_trips: AtomicU64,
    dialog: Mutex<Option<String>>,
}

impl Page {
    fn new(status: u16) -> Self {
        Page {
            info: BrowserInfo {
                name: "double".into(),
                version: "1".into(),
                driver_version: None,
                viewport: Viewport {
                    width: 800,
                    height: 600,
                },
                headed: false,
                scale: 1.0,
            },
            status,
            round_trips: AtomicU64::new(0),
            dialog: Mutex::new(None),
        }
    }

    fn with_dialog(self, text: &str) -> Self {
        if let Ok(mut d) = self.dialog.lock() {
            *d = Some(text.to_string());
        }
        self
    }

    fn open_dialog(&self) -> Option<String> {
        self.dialog.lock().ok().and_then(|d| d.clone())
    }

    fn count(&self) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
    }

    /// What a session with `unhandledPromptBehavior: ignore` answers while
    /// a dialog is open.
    fn blocked(&self, command: &'static str) -> Result<(), CommandError> {
        match self.open_dialog() {
            Some(text) => Err(CommandError::new(
                ErrorKind::UnexpectedAlert,
                command,
                format!("unexpected alert open: {{Alert text : {text}}}"),
            )),
            None => Ok(()),
        }
    }
}

#[async_trait]
impl Browser for Page {
    fn info(&self) -> &BrowserInfo {
        &self.info
    }
    fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }
    async fn goto(&self, _url: &str) -> Result<(), CommandError> {
        self.count();
        Ok(())
    }
    async fn execute(&self, _script: &str, _args: Vec<Json>) -> Result<Json, CommandError> {
        self.count();
        Ok(json!(true))
    }
    async fn execute_async(&self, _script: &str, _args: Vec<Json>) -> Result<Json, CommandError> {
        // Only the page-state script runs here (no step locates anything).
        self.count();
        self.blocked("execute_async")?;
        Ok(json!({
            "url": "http://127.0.0.1:9/app", "title": "App", "ready_state": "complete",
            "doc": "d1", "leaving": false, "heading": "App", "status": self.status,
        }))
    }
    async fn click(&self, _el: &ElementRef) -> Result<(), CommandError> {
        self.count();
        Ok(())
    }
    async fn hover(&self, _el: &ElementRef) -> Result<(), CommandError> {
        self.count();
        Ok(())
    }
    async fn pointer_click(&self, _el: &ElementRef) -> Result<(), CommandError> {
        self.count();
        Ok(())
    }
    async fn clear(&self, _el: &ElementRef) -> Result<(), CommandError> {
        self.count();
        Ok(())
    }
    async fn send_keys(&self, _el: &ElementRef, _text: &str) -> Result<(), CommandError> {
        self.count();
        Ok(())
    }
    async fn active_element(&self) -> Result<ElementRef, CommandError> {
        self.count();
        Ok(ElementRef::new("active"))
    }
    async fn screenshot(&self) -> Result<Vec<u8>, CommandError> {
        self.count();
        self.blocked("screenshot")?;
        Ok(b"\x89PNG\r\n\x1a\n".to_vec())
    }
    async fn windows(&self) -> Result<Vec<String>, CommandError> {
        Ok(vec!["main".into()])
    }
    async fn switch_to_window(&self, _handle: &str) -> Result<(), CommandError> {
        Ok(())
    }
    async fn enter_frame(&self, _frame: Option<&ElementRef>) -> Result<(), CommandError> {
        Ok(())
    }
    async fn enter_parent_frame(&self) -> Result<(), CommandError> {
        Ok(())
    }
    async fn dialog_text(&self) -> Result<Option<String>, CommandError> {
        self.count();
        Ok(self.open_dialog())
    }
    async fn accept_dialog(&self) -> Result<(), CommandError> {
        self.dismiss_dialog().await
    }
    async fn dismiss_dialog(&self) -> Result<(), CommandError> {
        self.count();
        match self.dialog.lock() {
            Ok(mut d) if d.is_some() => {
                *d = None;
                Ok(())
            }
            _ => Err(CommandError::new(
                ErrorKind::NoSuchAlert,
                "dismiss_dialog",
                "no such alert",
            )),
        }
    }
    async fn close(&self) {}
}

/// Where the sink fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    RunStarted,
    StepStarted(usize),
    Screenshot(usize),
    StepRecorded(usize),
    RunFinished,
}

/// An in-memory sink that fails at one event, and counts manifest writes.
#[derive(Debug, Default)]
struct Sink {
    fail_at: Option<Event>,
    recorded: Vec<(usize, String)>,
    finished: Option<RunStatus>,
}

impl Sink {
    fn failing(at: Event) -> Self {
        Sink {
            fail_at: Some(at),
            ..Sink::default()
        }
    }

    fn check(&self, event: Event) -> io::Result<()> {
        if self.fail_at == Some(event) {
            return Err(io::Error::other("No space left on device"));
        }
        Ok(())
    }
}

impl StepSink for Sink {
    fn run_started(&mut self, _run: &RunOutcome) -> io::Result<Option<PathBuf>> {
        self.check(Event::RunStarted)?;
        Ok(None)
    }
    fn step_started(&mut self, _run: &RunOutcome, step: &StepStart<'_>) -> io::Result<()> {
        self.check(Event::StepStarted(step.number))
    }
    fn screenshot(&mut self, step: &StepRecord, _png: &[u8]) -> io::Result<Option<String>> {
        self.check(Event::Screenshot(step.number))?;
        Ok(Some(format!("{:02}.png", step.number)))
    }
    fn step_recorded(&mut self, run: &RunOutcome) -> io::Result<()> {
        let last = run.steps.last().map(|s| (s.number, s.status.to_string()));
        self.recorded.extend(last.clone());
        self.check(Event::StepRecorded(last.map_or(0, |(n, _)| n)))
    }
    fn run_finished(&mut self, run: &RunOutcome) -> io::Result<()> {
        self.finished = Some(run.status);
        self.check(Event::RunFinished)
    }
}

fn runbook(steps: usize) -> Runbook {
    let step = |n: usize| Step {
        id: None,
        doc: Template::literal(format!("Capture screen {n}")),
        action: Action::Screenshot {
            name: Some(format!("screen-{n}")),
            of: None,
            padding: 0,
        },
        timeout: None,
        destructive: false,
        note: None,
        mask: Vec::new(),
        origin: Origin {
            file: "runbooks/test/evidence.yaml".into(),
            span: Span::on_line(3 + 2 * n, 5, 10),
            via: Vec::new(),
        },
    };
    Runbook {
        path: "runbooks/test/evidence.yaml".into(),
        name: "Evidence".into(),
        provider: "test".into(),
        flow: "evidence".into(),
        source: None,
        base_url: "http://127.0.0.1:9".into(),
        vars: Vec::new(),
        secrets: Vec::new(),
        partial: false,
        viewport: None,
        mask: Vec::new(),
        steps: (1..=steps).map(step).collect(),
    }
}

async fn run_with(page: Page, sink: &mut Sink) -> RunOutcome {
    let mut config = RunConfig::new("http://127.0.0.1:9", "run-double");
    config.vars = BTreeMap::new();
    run(&page, &runbook(3), &config, sink).await
}

fn statuses(run: &RunOutcome) -> Vec<String> {
    run.steps.iter().map(|s| s.status.to_string()).collect()
}

#[tokio::test]
async fn a_run_that_keeps_its_evidence_passes() {
    let mut sink = Sink::default();
    let run = run_with(Page::new(200), &mut sink).await;
    assert_eq!(run.status, RunStatus::Passed);
    assert_eq!(statuses(&run), ["passed", "passed", "passed"]);
    assert_eq!(run.steps[2].screenshot.as_deref(), Some("03.png"));
    assert_eq!(run.steps[2].source.line, 9);
    assert_eq!(run.failure_class(), None);
    assert_eq!(sink.finished, Some(RunStatus::Passed));
}

/// Issue 9: "a failed final manifest write is ignored, so a run can exit 0
/// with its manifest left at `running`".
#[tokio::test]
async fn issue_9_a_failed_final_manifest_write_fails_the_run() {
    let mut sink = Sink::failing(Event::RunFinished);
    let run = run_with(Page::new(200), &mut sink).await;
    assert_eq!(statuses(&run), ["passed", "passed", "passed"]);
    assert_eq!(run.status, RunStatus::Failed);
    let error = run.error.as_ref().map(|f| (f.kind, f.message.as_str()));
    assert_eq!(
        error,
        Some((
            FailureKind::Evidence,
            "could not write the final manifest: No space left on device"
        ))
    );
    assert_eq!(run.failure_class(), Some(FailureClass::Environment));
}

/// Issue 9: "a step whose `step_started` write fails is never recorded".
#[tokio::test]
async fn issue_9_a_step_whose_start_cannot_be_written_is_recorded_as_failed() {
    let mut sink = Sink::failing(Event::StepStarted(2));
    let run = run_with(Page::new(200), &mut sink).await;
    assert_eq!(statuses(&run), ["passed", "failed", "skipped"]);
    assert_eq!(
        run.steps[1].failure.as_ref().map(|f| f.kind),
        Some(FailureKind::Evidence)
    );
    assert_eq!(
        run.steps[2].status,
        StepStatus::Skipped {
            reason: SkipReason::EarlierFailure { step: 2 }
        }
    );
    assert_eq!(
        sink.recorded,
        [
            (1, "passed".into()),
            (2, "failed".into()),
            (3, "skipped".into())
        ]
    );
    assert_eq!(run.failure_class(), Some(FailureClass::Environment));
}

#[tokio::test]
async fn a_screenshot_that_cannot_be_written_fails_its_step() {
    let mut sink = Sink::failing(Event::Screenshot(1));
    let run = run_with(Page::new(200), &mut sink).await;
    assert_eq!(statuses(&run), ["failed", "skipped", "skipped"]);
    assert_eq!(run.steps[0].screenshot, None);
    assert_eq!(run.failure_class(), Some(FailureClass::Environment));
}

#[tokio::test]
async fn a_run_whose_evidence_cannot_start_runs_no_step() {
    let mut sink = Sink::failing(Event::RunStarted);
    let run = run_with(Page::new(200), &mut sink).await;
    assert_eq!(statuses(&run), ["skipped", "skipped", "skipped"]);
    assert!(run.steps.iter().all(|s| s.status
        == StepStatus::Skipped {
            reason: SkipReason::RunError
        }));
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(run.failure_class(), Some(FailureClass::Environment));
}

#[tokio::test]
async fn a_lost_manifest_write_stops_the_run() {
    let mut sink = Sink::failing(Event::StepRecorded(1));
    let run = run_with(Page::new(200), &mut sink).await;
    assert_eq!(statuses(&run), ["passed", "skipped", "skipped"]);
    assert_eq!(
        run.error.as_ref().map(|f| f.kind),
        Some(FailureKind::Evidence)
    );
    assert_eq!(run.status, RunStatus::Failed);
}

#[tokio::test]
async fn a_goto_answered_with_http_500_is_a_server_error() {
    let mut rb = runbook(2);
    rb.steps[0].action = Action::Goto {
        url: Template::literal("/app"),
        status: None,
    };
    let page = Page::new(500);
    let mut sink = Sink::default();
    let config = RunConfig::new("http://127.0.0.1:9", "run-500");
    let run = run(&page, &rb, &config, &mut sink).await;
    assert_eq!(statuses(&run), ["failed", "skipped"]);
    let failure = run.failure().map(|f| (f.kind, f.message.clone()));
    assert_eq!(
        failure,
        Some((
            FailureKind::ServerError,
            "the server answered HTTP 500 for http://127.0.0.1:9/app".to_string()
        ))
    );
    assert_eq!(run.failure_class(), Some(FailureClass::Environment));
    // The failure screenshot is kept.
    assert_eq!(run.steps[0].screenshot.as_deref(), Some("01.png"));
}

/// Issue 11: "an `alert()` on load: silently dismissed, not recorded".
#[tokio::test]
async fn issue_11_an_unexpected_dialog_fails_the_step_and_is_recorded() {
    let mut rb = runbook(2);
    rb.steps[0].action = Action::Goto {
        url: Template::literal("/app"),
        status: None,
    };
    let page = Page::new(200).with_dialog("Your session expires in 1 minute");
    let mut sink = Sink::default();
    let config = RunConfig::new("http://127.0.0.1:9", "run-dialog");
    let run = run(&page, &rb, &config, &mut sink).await;
    assert_eq!(statuses(&run), ["failed", "skipped"]);
    let step = &run.steps[0];
    assert_eq!(
        step.dialog.as_deref(),
        Some("Your session expires in 1 minute")
    );
    let failure = step.failure.as_ref().map(|f| (f.kind, f.message.clone()));
    assert_eq!(
        failure,
        Some((
            FailureKind::Dialog,
            "the page opened a dialog the runbook does not handle: \"Your session expires in 1 minute\""
                .to_string()
        ))
    );
    assert_eq!(page.open_dialog(), None, "dismissed for the screenshot");
    assert_eq!(step.screenshot.as_deref(), Some("01.png"));
    assert_eq!(run.failure_class(), Some(FailureClass::Page));
}
