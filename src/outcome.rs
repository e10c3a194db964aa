//! The run outcome: what happened when one runbook ran, as typed data.
//!
//! [`RunOutcome`] is produced by [`crate::execute`], written as
//! `manifest.json` by [`crate::evidence`] after every step, and read back by
//! [`crate::report`] (and by anything else that wants to know what a run did:
//! guides, resume). It is the one shape of a run: the executor fills it, the
//! manifest *is* its JSON form, and nothing is copied field by field.
//!
//! The JSON form is versioned ([`SCHEMA_VERSION`]), described field by field
//! in `docs/manifest.md` and by the JSON Schema `clickpath schema --manifest`
//! prints (committed as `manifest.schema.json`).
//!
//! This module holds data only: it knows nothing of the browser, of YAML or
//! of files.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::locate::{BoxPx, Candidate, Diagnosis};
use crate::runbook::Edit;

/// Version of the manifest's JSON form. Version 1 (clickpath 0.1 before the
/// typed outcome) had no `schema_version` field; readers refuse other versions.
pub const SCHEMA_VERSION: u32 = 2;

fn one() -> f64 {
    1.0
}

/// What one runbook's run did: the content of its `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunOutcome {
    /// Version of this JSON form ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Version of clickpath that wrote it.
    pub clickpath_version: String,
    /// The run identifier (also the run directory name).
    pub run_id: String,
    /// The runbook file, as given.
    pub runbook: PathBuf,
    /// The runbook's title.
    pub name: String,
    /// Provider key.
    pub provider: String,
    /// Flow key.
    pub flow: String,
    /// The browser that ran it.
    pub browser: BrowserSummary,
    /// Viewport in CSS pixels.
    pub viewport: Size,
    /// Device pixels per CSS pixel in the screenshots (`run --scale`); a
    /// screenshot is `viewport` × this in pixels.
    #[serde(default = "one")]
    pub device_scale_factor: f64,
    /// Base URL used for relative `goto`s.
    pub base_url: String,
    /// Vars used; secret values never appear (redacted to `***`).
    pub vars: BTreeMap<String, String>,
    /// Start of the run, RFC 3339 UTC.
    pub started_at: String,
    /// End of the run, RFC 3339 UTC; absent while running.
    pub finished_at: Option<String>,
    /// Where the run stands.
    pub status: RunStatus,
    /// Number of steps in the runbook.
    pub steps_total: usize,
    /// Steps so far, in order.
    pub steps: Vec<StepRecord>,
    /// Probe mode: the destructive step that was verified (located and
    /// actionable) but not performed; later steps are skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probed_through: Option<usize>,
    /// Why the run could not go on, when that was not one step's failure (an
    /// evidence write that failed before the first step, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
    /// The directory the evidence went to, when the sink keeps files (not
    /// part of the JSON: the manifest lies in that directory).
    #[serde(skip)]
    pub evidence_dir: Option<PathBuf>,
    /// The runbook patch the run proposes: the failed step's diagnosed
    /// edits, or the edits a person agreed to during `run --heal`; its diff
    /// is `fix.patch` beside the manifest, which `clickpath fix` applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixRecord>,
    /// The run's animated GIF (`run --gif`), one frame per screenshot,
    /// relative to the manifest's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gif: Option<String>,
}

impl RunOutcome {
    /// Whether the run finished and every step passed (or was probed).
    pub fn passed(&self) -> bool {
        self.status == RunStatus::Passed
    }

    /// The step that failed, if one did.
    pub fn failed_step(&self) -> Option<&StepRecord> {
        self.steps
            .iter()
            .find(|s| matches!(s.status, StepStatus::Failed))
    }

    /// The runbook patch the run proposes, if it has one.
    pub fn fix(&self) -> Option<&FixRecord> {
        self.fix.as_ref()
    }

    /// The failure that ended the run: the failed step's, else the run's own.
    pub fn failure(&self) -> Option<&Failure> {
        self.failed_step()
            .and_then(|s| s.failure.as_ref())
            .or(self.error.as_ref())
    }

    /// The most serious kind of failure in this run, if any: the failed
    /// step's, the run's own error's (a lost manifest write), or an interrupt.
    pub fn failure_class(&self) -> Option<FailureClass> {
        let step = self
            .failed_step()
            .and_then(|s| s.failure.as_ref())
            .map(|f| f.kind.class());
        let run = self.error.as_ref().map(|f| f.kind.class());
        let interrupted =
            (self.status == RunStatus::Interrupted).then_some(FailureClass::Interrupted);
        step.max(run).max(interrupted)
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Steps are still running (a manifest left like this was cut short).
    Running,
    /// Every step passed (in probe mode: up to the probed step).
    Passed,
    /// A step failed, or the run could not go on.
    Failed,
    /// The run was stopped by a signal (Ctrl-C); the steps so far are kept.
    Interrupted,
}

impl RunStatus {
    /// Machine name: `running`, `passed`, `failed`, `interrupted`.
    pub fn name(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Passed => "passed",
            RunStatus::Failed => "failed",
            RunStatus::Interrupted => "interrupted",
        }
    }
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Browser and driver of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BrowserSummary {
    /// Browser name (`chrome`, `firefox`).
    pub name: String,
    /// Browser version.
    pub version: String,
    /// Driver version, when known.
    pub driver_version: Option<String>,
    /// Whether the window was shown.
    pub headed: bool,
}

/// A size in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Where a step is written: a 1-based position in a runbook file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourcePos {
    /// The runbook file that holds the step.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The `use` steps that included it, outermost first; empty for a step
    /// written in the runbook itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<SourcePos>,
}

impl fmt::Display for SourcePos {
    /// `runbooks/xero/10-invite_user.yaml:14:7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// What one step did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepRecord {
    /// Stable id: the step's `id:` in the runbook, else `step-N`.
    pub id: String,
    /// 1-based step number.
    pub number: usize,
    /// Rendered `doc` text, secrets redacted.
    pub doc: String,
    /// Where the step is written.
    pub source: SourcePos,
    /// Action keyword as written in the runbook (`click`, `fill`, ...).
    pub action: String,
    /// The locator as text, if the action has one (secrets redacted).
    pub locator: Option<String>,
    /// The element acted on, as it was found (box in CSS pixels).
    pub element: Option<Candidate>,
    /// URL after the step.
    pub url: Option<String>,
    /// Title after the step.
    pub title: Option<String>,
    /// Whether the step led to a new document.
    pub navigated: bool,
    /// Wall time of the step in milliseconds, screenshot included.
    pub duration_ms: u64,
    /// WebDriver commands the step sent, screenshot included.
    pub round_trips: u64,
    /// Screenshot file name, relative to the manifest's directory.
    pub screenshot: Option<String>,
    /// Name of an explicit `screenshot` step's capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<String>,
    /// The text of a dialog (`alert`, `confirm`, `prompt`) the page opened
    /// during the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog: Option<String>,
    /// Windows or tabs the page opened during the step (a link with
    /// `target=_blank`, `window.open`); the run stays in its window until a
    /// `switch_window` step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opened_windows: Vec<OpenedWindow>,
    /// How it ended.
    #[serde(flatten)]
    pub status: StepStatus,
    /// Why it failed.
    pub failure: Option<Failure>,
    /// The step failed, a person agreed to the diagnosis's fix (`run
    /// --heal`) and the step was performed again with it: what changed and
    /// the first attempt's failure. The status and failure above are the
    /// second attempt's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healed: Option<Heal>,
    /// The step's `note:`, rendered: the callout of its annotated image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The boxes painted over before its screenshot (`mask:`), in CSS
    /// pixels, viewport coordinates: a visual comparison ignores them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masks: Vec<BoxPx>,
    /// The annotated image beside the raw screenshot (file name, relative
    /// to the manifest's directory); the raw screenshot stays untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotated: Option<String>,
    /// The capture of the page just before the click, when the click
    /// loaded another page (`run --annotate`): the annotated image is drawn
    /// on it, since the element is on that page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// `screenshot: {of: …}`: the capture cropped to the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crop: Option<Crop>,
    /// The comparison of its screenshot with a reference image (`run
    /// --compare`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visual: Option<Visual>,
}

/// A step's capture cropped to one element (`screenshot: {of, padding}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Crop {
    /// The cropped box: the element's box grown by the padding and cut to
    /// the viewport, in CSS pixels, viewport coordinates.
    pub bbox: BoxPx,
    /// The cropped image beside the screenshot (`NN-<slug>-crop.png`),
    /// once written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A step's screenshot compared with its reference image (`run --compare`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Visual {
    /// The reference image, as found under the reference directory
    /// (`<REF_DIR>/<provider>/<flow>/NN-<slug>.png`).
    pub reference: PathBuf,
    /// Whether the reference image exists; a missing one is a note (a
    /// failure with `--compare-strict`).
    pub found: bool,
    /// Changed pixels outside the masks, in percent of the viewport.
    pub changed_percent: f64,
    /// The changed region's box (the largest one), in CSS pixels, viewport
    /// coordinates; absent when nothing changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<BoxPx>,
    /// The diff image beside the screenshot (`NN-<slug>-diff.png`), written
    /// when something changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// Whether the change is over the tolerance (or the reference is missing
    /// under `--compare-strict`): the step fails with kind `visual`.
    pub over: bool,
    /// A note for a person (`no reference image`, a size mismatch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A confirmed heal of one step: the edit used, who agreed, and the first
/// attempt's failure and screenshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Heal {
    /// The changes to the step (what `fix` writes into the runbook), in order.
    pub edits: Vec<Edit>,
    /// The locator as the runbook has it (`button "Invite a user"`).
    pub from: String,
    /// The locator the step was performed with (`button "Invite user"`).
    pub to: String,
    /// Who agreed to it (`terminal`: a person at the terminal of `run --heal`).
    pub confirmed_by: String,
    /// Why the first attempt failed, with its diagnosis.
    pub failure: Failure,
    /// The first attempt's failure screenshot, relative to the manifest's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_screenshot: Option<String>,
}

/// A window or tab a step opened, as it was once loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OpenedWindow {
    /// Its URL.
    pub url: String,
    /// Its title.
    pub title: String,
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StepStatus {
    /// It did what the doc says.
    Passed,
    /// Probe mode: the target was verified actionable but not acted on.
    Probed,
    /// It failed; the run stopped here.
    Failed,
    /// It was not run.
    Skipped {
        /// Why not.
        reason: SkipReason,
    },
}

impl StepStatus {
    /// Machine name: `passed`, `probed`, `failed`, `skipped`.
    pub fn name(&self) -> &'static str {
        match self {
            StepStatus::Passed => "passed",
            StepStatus::Probed => "probed",
            StepStatus::Failed => "failed",
            StepStatus::Skipped { .. } => "skipped",
        }
    }

    /// Passed or probed: the step did what the run asked of it.
    pub fn is_ok(&self) -> bool {
        matches!(self, StepStatus::Passed | StepStatus::Probed)
    }
}

impl fmt::Display for StepStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a step was not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipReason {
    /// An earlier step failed and stopped the run.
    EarlierFailure {
        /// The failed step's number.
        step: usize,
    },
    /// Probe mode stopped after verifying this destructive step.
    Probe {
        /// The probed step's number.
        step: usize,
    },
    /// The run could not start its steps (the evidence could not be written).
    RunError,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::EarlierFailure { step } => write!(f, "step {step} failed"),
            SkipReason::Probe { step } => {
                write!(f, "probe mode stops after the destructive step {step}")
            }
            SkipReason::RunError => f.write_str("the run could not start"),
        }
    }
}

/// Why a step (or a run) failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Failure {
    /// What kind of failure it is.
    pub kind: FailureKind,
    /// The one-line reason (secrets redacted).
    pub message: String,
    /// The elements the failure is about: the ambiguous matches, the covered
    /// or disabled target, an element that did not go away.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<Candidate>,
    /// What the page offers instead, best replacement first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Candidate>,
    /// What kind of drift a failed locator shows, with the top suggestion
    /// (absent for failures that are not about a locator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Diagnosis>,
}

/// A runbook patch a run proposes: its diff, the edits it is made of and
/// the lines of the source article that quote the old words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FixRecord {
    /// The patch file, relative to the manifest's directory (`fix.patch`).
    pub patch: String,
    /// The runbook files it changes, as the steps' sources name them.
    pub files: Vec<PathBuf>,
    /// The unified diff the patch file holds (`--- a/<file>`, `+++ b/<file>`).
    pub diff: String,
    /// The edits, in step order: what `clickpath fix` applies again to the
    /// runbook as it is then.
    pub edits: Vec<FixEdit>,
    /// Lines of the runbook's local source article that quote the old
    /// words: the documentation needs the same change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article: Vec<ArticleLine>,
}

/// One edit of a [`FixRecord`]: which step, where it is written, what changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FixEdit {
    /// 1-based step number in the run.
    pub step: usize,
    /// The runbook file the step is written in (an included file for a step
    /// of a `use:`).
    pub file: PathBuf,
    /// The step's line in that file (its action key, as `source.line`).
    pub line: usize,
    /// The locator's words as the file wrote them when the run failed
    /// (`Invite a user`): `clickpath fix` refuses to apply the edit to a
    /// step that now says something else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    /// The change.
    pub edit: Edit,
}

/// A line of a source article that quotes a step's old words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleLine {
    /// The article file (relative to the working directory of the run).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// The line's text, trimmed.
    pub text: String,
    /// The old words as the article writes them (`Invite a User`).
    pub quotes: String,
}

impl fmt::Display for ArticleLine {
    /// `../shared/seeds/000_….txt:13 quotes "Invite a User"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{} quotes {:?}",
            self.file.display(),
            self.line,
            self.quotes
        )
    }
}

impl Failure {
    /// A failure with a kind and a message, and nothing else.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            matches: Vec::new(),
            offers: Vec::new(),
            diagnosis: None,
        }
    }

    /// The elements a human should look at: the matches, else the offers.
    pub fn candidates(&self) -> &[Candidate] {
        if self.matches.is_empty() {
            &self.offers
        } else {
            &self.matches
        }
    }
}

/// What kind of failure: each kind belongs to one [`FailureClass`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FailureKind {
    /// Nothing matched the locator.
    NotFound,
    /// It matched, but stayed invisible.
    NotVisible,
    /// Another element would receive the click.
    Covered,
    /// Two or more elements matched and no `nth` was given.
    Ambiguous,
    /// A condition on the page did not become true in time.
    Timeout,
    /// The page did not accept the input (value did not take, option missing).
    Input,
    /// The page opened a dialog (`alert`, `confirm`, `prompt`) the runbook
    /// does not handle, or one that says something else than the runbook.
    Dialog,
    /// A page answered with a client error (HTTP 4xx), or with another
    /// status than the `goto` step expects.
    Status,
    /// The step cannot run as invoked (a `pause` without a person, a missing secret).
    Usage,
    /// The page could not be reached (DNS, connection refused, TLS, bad URL).
    Navigation,
    /// The page's server answered with an error (HTTP 5xx).
    ServerError,
    /// The browser or its driver failed (crashed, session lost, not answering).
    Browser,
    /// The evidence (screenshot, manifest) could not be written.
    Evidence,
    /// The screenshot differs from its reference image beyond the tolerance
    /// (`run --compare`): the names still match, the screen does not.
    Visual,
}

impl FailureKind {
    /// Machine name, as in the manifest (`not_found`, `server_error`, ...).
    pub fn name(self) -> &'static str {
        match self {
            FailureKind::NotFound => "not_found",
            FailureKind::NotVisible => "not_visible",
            FailureKind::Covered => "covered",
            FailureKind::Ambiguous => "ambiguous",
            FailureKind::Timeout => "timeout",
            FailureKind::Input => "input",
            FailureKind::Dialog => "dialog",
            FailureKind::Status => "status",
            FailureKind::Usage => "usage",
            FailureKind::Navigation => "navigation",
            FailureKind::ServerError => "server_error",
            FailureKind::Browser => "browser",
            FailureKind::Evidence => "evidence",
            FailureKind::Visual => "visual",
        }
    }

    /// Whose fault it is: the page, the invocation or the environment.
    pub fn class(self) -> FailureClass {
        match self {
            FailureKind::NotFound
            | FailureKind::NotVisible
            | FailureKind::Covered
            | FailureKind::Ambiguous
            | FailureKind::Timeout
            | FailureKind::Input
            | FailureKind::Dialog
            | FailureKind::Status
            | FailureKind::Visual => FailureClass::Page,
            FailureKind::Usage => FailureClass::Usage,
            FailureKind::Navigation
            | FailureKind::ServerError
            | FailureKind::Browser
            | FailureKind::Evidence => FailureClass::Environment,
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The classes of failure, least serious first; each has its exit code.
///
/// With several runbooks, the run's exit code is the most serious class that
/// occurred: `Interrupted` > `Environment` > `Usage` > `Page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureClass {
    /// The page differs from the runbook (a locator or an expectation): exit 1.
    Page,
    /// The invocation cannot work (usage error, invalid runbook): exit 2.
    Usage,
    /// The environment failed (browser, driver, network, server, disk): exit 3.
    Environment,
    /// Interrupted by a signal: exit 130.
    Interrupted,
}

impl FailureClass {
    /// The process exit code for this class.
    pub fn exit_code(self) -> u8 {
        match self {
            FailureClass::Page => 1,
            FailureClass::Usage => 2,
            FailureClass::Environment => 3,
            FailureClass::Interrupted => 130,
        }
    }
}

/// The JSON Schema of the manifest (`manifest.schema.json`), pretty-printed
/// with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RunOutcome);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_manifest_schema_is_current() {
        let committed = include_str!("../manifest.schema.json");
        assert!(
            committed == json_schema(),
            "manifest.schema.json is stale: run `cargo run -- schema --manifest > manifest.schema.json`"
        );
    }

    fn step(status: StepStatus) -> StepRecord {
        StepRecord {
            id: "step-1".into(),
            number: 1,
            doc: "Click **Save**".into(),
            source: SourcePos {
                file: "runbooks/x/a.yaml".into(),
                line: 4,
                column: 5,
                via: vec![],
            },
            action: "click".into(),
            locator: Some("button \"Save\"".into()),
            element: None,
            url: None,
            title: None,
            navigated: false,
            duration_ms: 12,
            round_trips: 3,
            screenshot: None,
            capture: None,
            dialog: None,
            opened_windows: Vec::new(),
            status,
            failure: None,
            healed: None,
            note: None,
            masks: Vec::new(),
            before: None,
            crop: None,
            annotated: None,
            visual: None,
        }
    }

    #[test]
    fn a_skipped_step_says_why_in_its_json() {
        let s = step(StepStatus::Skipped {
            reason: SkipReason::EarlierFailure { step: 3 },
        });
        let json = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(json["status"], "skipped");
        assert_eq!(json["reason"]["kind"], "earlier_failure");
        assert_eq!(json["reason"]["step"], 3);
        assert_eq!(json["source"]["line"], 4);
        let back: StepRecord = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, s);
    }

    #[test]
    fn passed_steps_round_trip_with_a_plain_status() {
        let s = step(StepStatus::Passed);
        let json = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(json["status"], "passed");
        assert!(json.get("reason").is_none());
        let back: StepRecord = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, s);
    }

    #[test]
    fn classes_order_by_seriousness_and_map_to_exit_codes() {
        assert!(FailureClass::Interrupted > FailureClass::Environment);
        assert!(FailureClass::Environment > FailureClass::Usage);
        assert!(FailureClass::Usage > FailureClass::Page);
        assert_eq!(FailureKind::NotFound.class().exit_code(), 1);
        assert_eq!(FailureKind::Visual.class().exit_code(), 1);
        assert_eq!(FailureKind::Usage.class().exit_code(), 2);
        assert_eq!(FailureKind::ServerError.class().exit_code(), 3);
        assert_eq!(FailureKind::Evidence.class().exit_code(), 3);
        assert_eq!(FailureClass::Interrupted.exit_code(), 130);
    }
}
