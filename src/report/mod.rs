//! Reports: JUnit XML, JSON, a self-contained HTML page, GitHub Actions
//! annotations and the end-of-run summary table.
//!
//! Reports read results only, never the browser (hurl's shape): their input is
//! the [`RunOutcome`]s that [`crate::evidence`] wrote as manifests, plus each manifest's
//! directory (screenshot names are relative to it). A [`RunReport`] is built
//! either from manifests in memory ([`RunReport::new`]) or from a run
//! directory on disk ([`RunReport::from_run_dir`]); each format is one module
//! that turns a `&RunReport` into text or files.
//!
//! This module knows nothing of YAML, WebDriver or the command line; the CLI
//! parses `--report KIND=PATH` into a [`ReportSpec`] and calls
//! [`ReportSpec::write`]. Manifests are already redacted, and nothing here
//! adds any value that was not in them.

pub mod annotations;
pub mod guide;
pub mod html;
pub mod json;
pub mod junit;
pub mod terminal;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::outcome::{Failure, FailureKind, RunOutcome, RunStatus, StepRecord, SCHEMA_VERSION};

pub use annotations::{github_annotations, in_github_actions};

/// Most suggestions ("did you mean ...") shown for one failure.
pub const MAX_SUGGESTIONS: usize = 3;

/// Why a report could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// A `manifest.json` is not a clickpath manifest.
    #[error("{}: not a clickpath manifest: {source}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// A manifest written by another version of clickpath's manifest format.
    #[error(
        "{}: manifest format version {found}, this clickpath reads version {SCHEMA_VERSION} \
         (run the runbooks again to regenerate it)",
        path.display()
    )]
    Version {
        /// The manifest file.
        path: PathBuf,
        /// The version it says (0: none, the format before versions).
        found: u64,
    },
    /// A run directory holds no `manifest.json` at all.
    #[error("{}: no manifest.json found (is this a screenshots/<run-id> directory?)", dir.display())]
    NoManifests {
        /// The directory searched.
        dir: PathBuf,
    },
    /// The JUnit XML could not be serialized.
    #[error("could not write JUnit XML: {0}")]
    Junit(#[source] quick_junit::SerializeError),
    /// The JSON report could not be serialized.
    #[error("could not write the JSON report: {0}")]
    Json(#[source] serde_json::Error),
}

impl ReportError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> ReportError + '_ {
        move |source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// How one runbook's run ended, as read from its manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunbookStatus {
    /// Every step passed.
    Passed,
    /// A step failed.
    Failed,
    /// The manifest says the run never finished (crash, interrupt).
    Incomplete,
}

impl RunbookStatus {
    /// `passed`, `failed` or `incomplete`.
    pub fn as_str(self) -> &'static str {
        match self {
            RunbookStatus::Passed => "passed",
            RunbookStatus::Failed => "failed",
            RunbookStatus::Incomplete => "incomplete",
        }
    }
}

impl fmt::Display for RunbookStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One runbook's results: its manifest and the directory it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct RunbookReport {
    /// The run outcome, as the evidence writer wrote it.
    pub manifest: RunOutcome,
    /// The manifest's directory; screenshot names are relative to it.
    pub dir: PathBuf,
}

impl RunbookReport {
    /// A report of one runbook from its manifest and flow directory.
    pub fn new(manifest: RunOutcome, dir: impl Into<PathBuf>) -> Self {
        RunbookReport {
            manifest,
            dir: dir.into(),
        }
    }

    /// Read `<dir>/manifest.json`.
    pub fn read(dir: impl Into<PathBuf>) -> Result<Self, ReportError> {
        let dir = dir.into();
        let path = dir.join(crate::evidence::MANIFEST);
        let bytes = std::fs::read(&path).map_err(ReportError::io(&path))?;
        let json: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|source| ReportError::Manifest {
                path: path.clone(),
                source,
            })?;
        let found = json
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if found != u64::from(SCHEMA_VERSION) {
            return Err(ReportError::Version { path, found });
        }
        let manifest = serde_json::from_value(json)
            .map_err(|source| ReportError::Manifest { path, source })?;
        Ok(RunbookReport { manifest, dir })
    }

    /// The runbook file, as given to the run.
    pub fn runbook_path(&self) -> String {
        self.manifest.runbook.display().to_string()
    }

    /// `provider/flow`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.manifest.provider, self.manifest.flow)
    }

    /// How the run ended.
    pub fn status(&self) -> RunbookStatus {
        if self.failed_step().is_some() || self.manifest.status == RunStatus::Failed {
            RunbookStatus::Failed
        } else if self.manifest.status == RunStatus::Passed && self.manifest.finished_at.is_some() {
            RunbookStatus::Passed
        } else {
            RunbookStatus::Incomplete
        }
    }

    /// The step that failed, if one did.
    pub fn failed_step(&self) -> Option<&StepRecord> {
        self.manifest.failed_step()
    }

    /// Number of steps that passed.
    pub fn steps_passed(&self) -> usize {
        self.manifest
            .steps
            .iter()
            .filter(|s| s.status.is_ok())
            .count()
    }

    /// Sum of the steps' durations in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.manifest.steps.iter().map(|s| s.duration_ms).sum()
    }

    /// Path of a step's screenshot (`dir` joined with the manifest's name), if it has one.
    pub fn screenshot_path(&self, step: &StepRecord) -> Option<PathBuf> {
        step.screenshot.as_ref().map(|s| self.dir.join(s))
    }

    /// The one-line failure reason of the failed step, or why the run is incomplete.
    pub fn reason(&self) -> Option<String> {
        match self.status() {
            RunbookStatus::Passed => None,
            RunbookStatus::Failed => Some(
                self.manifest
                    .failure()
                    .map(|f| f.message.clone())
                    .unwrap_or_else(|| "the run failed before any step failed".into()),
            ),
            RunbookStatus::Incomplete => Some(format!(
                "the run did not finish ({} of {} steps recorded)",
                self.manifest.steps.len(),
                self.manifest.steps_total
            )),
        }
    }

    /// `step N: <doc text>: <reason>`, the headline of a failure.
    pub fn failure_headline(&self) -> Option<String> {
        let reason = self.reason()?;
        Some(match self.failed_step() {
            Some(s) => format!("step {}: {}: {}", s.number, s.doc, reason),
            None => reason,
        })
    }
}

/// The results of one run: every runbook's manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The run identifier (the `screenshots/<run-id>` directory name).
    pub run_id: String,
    /// Earliest start of any runbook, RFC 3339 UTC.
    pub started_at: Option<String>,
    /// Latest end of any runbook, RFC 3339 UTC; `None` if one never finished.
    pub finished_at: Option<String>,
    /// The runbooks, in run order.
    pub runbooks: Vec<RunbookReport>,
}

impl RunReport {
    /// A report of `runbooks` (in run order); the times are taken from their manifests.
    pub fn new(run_id: impl Into<String>, runbooks: Vec<RunbookReport>) -> Self {
        // RFC 3339 UTC strings of one format sort as times do.
        let started_at = runbooks.iter().map(|r| r.manifest.started_at.clone()).min();
        let finished_at = if runbooks.iter().all(|r| r.manifest.finished_at.is_some()) {
            runbooks
                .iter()
                .filter_map(|r| r.manifest.finished_at.clone())
                .max()
        } else {
            None
        };
        RunReport {
            run_id: run_id.into(),
            started_at,
            finished_at,
            runbooks,
        }
    }

    /// Read every `manifest.json` under a run directory (`screenshots/<run-id>/`).
    ///
    /// Runbooks are ordered by start time, then path. The run id is the
    /// manifests' (or the directory name if they disagree or none says).
    pub fn from_run_dir(dir: impl AsRef<Path>) -> Result<Self, ReportError> {
        let dir = dir.as_ref();
        let mut found = Vec::new();
        find_manifests(dir, &mut found, 0)?;
        if found.is_empty() {
            return Err(ReportError::NoManifests {
                dir: dir.to_path_buf(),
            });
        }
        found.sort();
        let mut runbooks = found
            .into_iter()
            .map(RunbookReport::read)
            .collect::<Result<Vec<_>, _>>()?;
        runbooks.sort_by(|a, b| {
            (&a.manifest.started_at, &a.dir).cmp(&(&b.manifest.started_at, &b.dir))
        });
        let dir_name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let first = runbooks.first().map(|r| r.manifest.run_id.clone());
        let run_id = match first {
            Some(id) if runbooks.iter().all(|r| r.manifest.run_id == id) => id,
            _ => dir_name,
        };
        Ok(RunReport::new(run_id, runbooks))
    }

    /// Number of runbooks that passed.
    pub fn passed(&self) -> usize {
        self.count(RunbookStatus::Passed)
    }

    /// Number of runbooks that failed or did not finish.
    pub fn failed(&self) -> usize {
        self.runbooks.len() - self.passed()
    }

    /// Whether every runbook passed.
    pub fn all_passed(&self) -> bool {
        self.failed() == 0
    }

    fn count(&self, status: RunbookStatus) -> usize {
        self.runbooks
            .iter()
            .filter(|r| r.status() == status)
            .count()
    }

    /// The runbooks that did not pass, in run order.
    pub fn failures(&self) -> impl Iterator<Item = &RunbookReport> {
        self.runbooks
            .iter()
            .filter(|r| r.status() != RunbookStatus::Passed)
    }
}

/// Collect `manifest.json` files below `dir` (flow directories are two levels down).
fn find_manifests(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), ReportError> {
    const MAX_DEPTH: usize = 4;
    let entries = std::fs::read_dir(dir).map_err(ReportError::io(dir))?;
    for entry in entries {
        let entry = entry.map_err(ReportError::io(dir))?;
        let path = entry.path();
        let ty = entry.file_type().map_err(ReportError::io(&path))?;
        if ty.is_dir() && depth < MAX_DEPTH {
            find_manifests(&path, out, depth + 1)?;
        } else if ty.is_file() && entry.file_name() == "manifest.json" {
            out.push(dir.to_path_buf());
        }
    }
    Ok(())
}

/// The suggestions of a failure, best first, at most [`MAX_SUGGESTIONS`].
///
/// For an ambiguous locator the candidates are the matches (`matches button
/// "Save" (main)`); otherwise they are what the page offers instead (`did
/// you mean button "Invite user" (main)?`).
///
/// When the failure has a drift diagnosis, its sentence comes first
/// (`renamed: did you mean button "Invite user" (main) instead of "Invite a user"?`).
pub fn suggestions(failure: &Failure) -> Vec<String> {
    let ambiguous = failure.kind == FailureKind::Ambiguous;
    let diagnosis = failure
        .diagnosis
        .as_ref()
        .map(|d| format!("{}: {}", d.class, d.summary));
    diagnosis
        .into_iter()
        .chain(failure.candidates().iter().take(MAX_SUGGESTIONS).map(|c| {
            if ambiguous {
                format!("matches {c}")
            } else {
                format!("did you mean {c}?")
            }
        }))
        .collect()
}

/// The end-of-run table: runbook, status, steps passed/total, failing step, reason.
///
/// Plain text with space-padded columns (no colour), one runbook a line,
/// followed by a `N passed, M failed` line.
pub fn summary_table(report: &RunReport) -> String {
    const REASON_MAX: usize = 80;
    let header = ["RUNBOOK", "STATUS", "STEPS", "FAILING STEP", "REASON"];
    let mut rows: Vec<[String; 5]> = vec![header.map(String::from)];
    for r in &report.runbooks {
        let failing = r
            .failed_step()
            .map(|s| format!("{}: {}", s.number, truncate(&s.doc, 40)))
            .unwrap_or_else(|| "-".into());
        let reason = r
            .reason()
            .map(|s| truncate(&s, REASON_MAX))
            .unwrap_or_else(|| "-".into());
        rows.push([
            r.runbook_path().to_string(),
            r.status().to_string(),
            format!("{}/{}", r.steps_passed(), r.manifest.steps_total),
            failing,
            reason,
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} passed, {} failed\n",
        report.passed(),
        report.failed()
    ));
    out
}

fn truncate(s: &str, max: usize) -> String {
    let one_line = s.replace(['\r', '\n'], " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The kinds of report `--report` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// `junit=PATH`: JUnit XML file.
    Junit,
    /// `json=PATH`: JSON file (schema `clickpath-report/1`).
    Json,
    /// `html=DIR`: `DIR/index.html` plus `DIR/img/`.
    Html,
}

impl ReportKind {
    /// Every kind, in the order the help lists them.
    pub const ALL: [ReportKind; 3] = [ReportKind::Junit, ReportKind::Json, ReportKind::Html];

    /// The keyword before `=`.
    pub fn keyword(self) -> &'static str {
        match self {
            ReportKind::Junit => "junit",
            ReportKind::Json => "json",
            ReportKind::Html => "html",
        }
    }

    fn usage(self) -> &'static str {
        match self {
            ReportKind::Junit => "junit=PATH",
            ReportKind::Json => "json=PATH",
            ReportKind::Html => "html=DIR",
        }
    }
}

/// One `--report KIND=PATH` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    /// Which format.
    pub kind: ReportKind,
    /// The file (junit, json) or directory (html) to write.
    pub path: PathBuf,
}

/// A `--report` value that is not `KIND=PATH` with a known kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid report `{given}`: {problem}; expected one of {}",
    kinds_list()
)]
pub struct ReportSpecError {
    /// The value as given.
    pub given: String,
    /// What is wrong with it.
    pub problem: String,
}

fn kinds_list() -> String {
    ReportKind::ALL
        .iter()
        .map(|k| k.usage())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for ReportSpec {
    type Err = ReportSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |problem: String| ReportSpecError {
            given: s.to_string(),
            problem,
        };
        let Some((kind, path)) = s.split_once('=') else {
            return Err(err("missing `=`".into()));
        };
        let kind = match kind.trim().to_ascii_lowercase().as_str() {
            "junit" => ReportKind::Junit,
            "json" => ReportKind::Json,
            "html" => ReportKind::Html,
            other => return Err(err(format!("unknown kind `{other}`"))),
        };
        if path.trim().is_empty() {
            return Err(err(format!("{} needs a path after `=`", kind.keyword())));
        }
        Ok(ReportSpec {
            kind,
            path: PathBuf::from(path),
        })
    }
}

impl fmt::Display for ReportSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.kind.keyword(), self.path.display())
    }
}

impl ReportSpec {
    /// Write this report of `report`; returns the main file written.
    ///
    /// Parent directories are created. For `html`, `index.html` and the
    /// copied screenshots go under the directory.
    pub fn write(&self, report: &RunReport) -> Result<PathBuf, ReportError> {
        match self.kind {
            ReportKind::Junit => {
                let xml = junit::to_string(report)?;
                write_file(&self.path, xml.as_bytes())?;
                Ok(self.path.clone())
            }
            ReportKind::Json => {
                let text = json::to_string(report)?;
                write_file(&self.path, text.as_bytes())?;
                Ok(self.path.clone())
            }
            ReportKind::Html => html::write(report, &self.path),
        }
    }
}

/// Write every requested report; returns the files written, in order.
///
/// Stops at the first report that cannot be written.
pub fn write_all(specs: &[ReportSpec], report: &RunReport) -> Result<Vec<PathBuf>, ReportError> {
    specs.iter().map(|s| s.write(report)).collect()
}

/// Write `bytes` to `path`, creating its parent directories.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(ReportError::io(parent))?;
    }
    crate::evidence::write_atomic(path, bytes).map_err(ReportError::io(path))
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn report_spec_parses_each_kind() {
        let s: ReportSpec = "junit=out/junit.xml".parse().unwrap();
        assert_eq!(s.kind, ReportKind::Junit);
        assert_eq!(s.path, PathBuf::from("out/junit.xml"));
        assert_eq!(
            "json=r.json".parse::<ReportSpec>().unwrap().kind,
            ReportKind::Json
        );
        let h: ReportSpec = "HTML=report".parse().unwrap();
        assert_eq!(h.kind, ReportKind::Html);
        assert_eq!(h.to_string(), "html=report");
    }

    #[test]
    fn report_spec_errors_list_the_kinds() {
        let e = "tap=x".parse::<ReportSpec>().unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid report `tap=x`: unknown kind `tap`; expected one of junit=PATH, json=PATH, html=DIR"
        );
        let e = "junit".parse::<ReportSpec>().unwrap_err().to_string();
        assert!(e.contains("missing `=`"), "{e}");
        let e = "html=".parse::<ReportSpec>().unwrap_err().to_string();
        assert!(e.contains("html needs a path"), "{e}");
    }

    #[test]
    fn status_counts_and_headline() {
        let r = sample_run(Path::new("/tmp/run"));
        assert_eq!(r.runbooks[0].status(), RunbookStatus::Passed);
        assert_eq!(r.runbooks[1].status(), RunbookStatus::Failed);
        assert_eq!((r.passed(), r.failed()), (1, 1));
        assert_eq!(
            r.runbooks[1].failure_headline().unwrap(),
            "step 3: Click **Invite a user**: no button named \"Invite a user\""
        );
        assert_eq!(r.started_at.as_deref(), Some("2026-11-24T10:00:00.000Z"));
        assert_eq!(r.finished_at.as_deref(), Some("2026-11-24T10:00:09.000Z"));
    }

    #[test]
    fn suggestions_name_role_name_and_region() {
        let r = sample_run(Path::new("/tmp/run"));
        let f = r.runbooks[1]
            .failed_step()
            .unwrap()
            .failure
            .clone()
            .unwrap();
        assert_eq!(
            suggestions(&f),
            vec![
                "did you mean button \"Invite user\" (main)?".to_string(),
                "did you mean button \"Add Xero support\" (main)?".to_string(),
            ]
        );
    }

    #[test]
    fn summary_table_has_a_row_per_runbook() {
        let r = sample_run(Path::new("/tmp/run"));
        let t = summary_table(&r);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 4, "{t}");
        assert!(lines[0].starts_with("RUNBOOK"), "{t}");
        assert!(lines[1].starts_with("runbooks/xero/05-users.yaml"), "{t}");
        assert!(
            lines[1].contains("passed") && lines[1].contains("3/3"),
            "{t}"
        );
        assert!(
            lines[2].contains("failed") && lines[2].contains("2/5"),
            "{t}"
        );
        assert!(lines[2].contains("3: Click **Invite a user**"), "{t}");
        assert!(
            lines[2].contains("no button named \"Invite a user\""),
            "{t}"
        );
        assert_eq!(lines[3], "1 passed, 1 failed");
        // Columns line up: STATUS starts at the same place in every row.
        let col = lines[0].find("STATUS").unwrap();
        assert_eq!(&lines[1][col..col + 6], "passed");
        assert_eq!(&lines[2][col..col + 6], "failed");
    }

    #[test]
    fn reports_carry_no_vars() {
        // Secret values are redacted to `***` in manifests already; reports go
        // further and never print vars at all.
        let tmp = TempDir::new("no-vars");
        let mut run = sample_run(&tmp.path().join("evidence"));
        for r in &mut run.runbooks {
            r.manifest
                .vars
                .insert("customer".into(), "var-value-not-in-reports".into());
        }
        let html_dir = tmp.path().join("html");
        let page = std::fs::read_to_string(html::write(&run, &html_dir).unwrap()).unwrap();
        for text in [
            junit::to_string(&run).unwrap(),
            json::to_string(&run).unwrap(),
            page,
            summary_table(&run),
            github_annotations(&run).join("\n"),
        ] {
            assert!(!text.contains("var-value-not-in-reports"), "{text}");
        }
    }

    #[test]
    fn write_all_writes_each_kind() {
        let tmp = TempDir::new("write-all");
        let run = sample_run(&tmp.path().join("evidence"));
        write_pngs(&run);
        let specs: Vec<ReportSpec> = [
            format!("junit={}", tmp.path().join("out/junit.xml").display()),
            format!("json={}", tmp.path().join("out/report.json").display()),
            format!("html={}", tmp.path().join("out/html").display()),
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        let written = write_all(&specs, &run).unwrap();
        assert_eq!(
            written,
            vec![
                tmp.path().join("out/junit.xml"),
                tmp.path().join("out/report.json"),
                tmp.path().join("out/html/index.html"),
            ]
        );
        for p in &written {
            assert!(std::fs::metadata(p).unwrap().len() > 100, "{}", p.display());
        }
    }

    #[test]
    fn from_run_dir_reads_every_manifest() {
        let tmp = TempDir::new("from-run-dir");
        let run = tmp.path().join("run-1");
        let sample = sample_run(&run);
        for r in &sample.runbooks {
            std::fs::create_dir_all(&r.dir).unwrap();
            std::fs::write(
                r.dir.join("manifest.json"),
                serde_json::to_vec(&r.manifest).unwrap(),
            )
            .unwrap();
        }
        let read = RunReport::from_run_dir(&run).unwrap();
        assert_eq!(read, sample);
        let empty = tmp.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(matches!(
            RunReport::from_run_dir(&empty),
            Err(ReportError::NoManifests { .. })
        ));
    }
}
