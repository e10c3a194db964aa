//! The JSON report: machine-readable results of a run, schema
//! `clickpath-report/1`, documented field by field in `docs/reports.md`.
//!
//! The structs here are the schema: adding a field is compatible, renaming
//! or removing one needs a new schema version. Built only from manifests.

use serde::Serialize;

use super::{suggestions, ReportError, RunReport, RunbookReport, RunbookStatus};
use crate::outcome::{OpenedWindow, SourcePos, StepRecord};

/// The schema marker written in every JSON report.
pub const SCHEMA: &str = "clickpath-report/2";

/// The whole report (the JSON document's top level).
#[derive(Debug, Clone, Serialize)]
pub struct JsonReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Version of clickpath that wrote the report.
    pub clickpath_version: &'static str,
    /// The run identifier.
    pub run_id: String,
    /// Earliest runbook start, RFC 3339 UTC.
    pub started_at: Option<String>,
    /// Latest runbook end, RFC 3339 UTC; null if a runbook never finished.
    pub finished_at: Option<String>,
    /// Counts.
    pub summary: JsonSummary,
    /// One entry per runbook, in run order.
    pub runbooks: Vec<JsonRunbook>,
}

/// Counts of runbooks by outcome.
#[derive(Debug, Clone, Serialize)]
pub struct JsonSummary {
    /// Runbooks in the run.
    pub runbooks: usize,
    /// Runbooks whose every step passed.
    pub passed: usize,
    /// Runbooks with a failed step.
    pub failed: usize,
    /// Runbooks whose run never finished.
    pub incomplete: usize,
}

/// One runbook's results.
#[derive(Debug, Clone, Serialize)]
pub struct JsonRunbook {
    /// The runbook file as given to the run.
    pub runbook: String,
    /// The runbook's title.
    pub name: String,
    /// Provider key.
    pub provider: String,
    /// Flow key.
    pub flow: String,
    /// `passed`, `failed` or `incomplete`.
    pub status: RunbookStatus,
    /// Base URL the run used.
    pub base_url: String,
    /// Browser name and version.
    pub browser: String,
    /// Start, RFC 3339 UTC.
    pub started_at: String,
    /// End, RFC 3339 UTC; null if it never finished.
    pub finished_at: Option<String>,
    /// Sum of the steps' durations, milliseconds.
    pub duration_ms: u64,
    /// Steps in the runbook.
    pub steps_total: usize,
    /// Steps that passed.
    pub steps_passed: usize,
    /// The evidence directory (where `manifest.json` is).
    pub evidence_dir: String,
    /// The failure, null when the runbook passed.
    pub failure: Option<JsonFailure>,
    /// Every step recorded, in order.
    pub steps: Vec<JsonStep>,
}

/// Why a runbook did not pass.
#[derive(Debug, Clone, Serialize)]
pub struct JsonFailure {
    /// 1-based number of the failing step; null if no step failed (incomplete run).
    pub step: Option<usize>,
    /// The step's doc text.
    pub doc: Option<String>,
    /// Where the step is written in its runbook (file, line, column).
    pub source: Option<SourcePos>,
    /// Machine name of the failure (`not_found`, `ambiguous`, `timeout`, ..., or `incomplete`).
    pub kind: String,
    /// One-line reason.
    pub reason: String,
    /// `step N: <doc>: <reason>`.
    pub message: String,
    /// The locator as written.
    pub locator: Option<String>,
    /// Page URL when it failed.
    pub url: Option<String>,
    /// Drift diagnosis of a locator failure (class, summary, suggestion, reveal).
    pub diagnosis: Option<crate::locate::Diagnosis>,
    /// Human suggestions, best first (`did you mean button "Invite user" (main)?`).
    pub suggestions: Vec<String>,
    /// The elements behind the suggestions, as the resolver saw them.
    pub candidates: Vec<crate::locate::Candidate>,
    /// Path of the failure screenshot.
    pub screenshot: Option<String>,
    /// The runbook patch the run proposes (`fix.patch` beside the
    /// manifest: diff, edits, article lines); null when there is none.
    pub fix: Option<crate::outcome::FixRecord>,
}

/// One step.
#[derive(Debug, Clone, Serialize)]
pub struct JsonStep {
    /// 1-based step number.
    pub number: usize,
    /// The doc text.
    pub doc: String,
    /// Where the step is written (file, line, column).
    pub source: SourcePos,
    /// Action keyword.
    pub action: String,
    /// Locator as text.
    pub locator: Option<String>,
    /// `passed`, `probed`, `failed` or `skipped`.
    pub status: &'static str,
    /// URL after the step.
    pub url: Option<String>,
    /// Duration in milliseconds.
    pub duration_ms: u64,
    /// Path of the step's screenshot.
    pub screenshot: Option<String>,
    /// Windows or tabs the page opened during the step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opened_windows: Vec<OpenedWindow>,
}

impl JsonReport {
    /// Build the JSON document of `report`.
    pub fn new(report: &RunReport) -> Self {
        let count = |s: RunbookStatus| report.runbooks.iter().filter(|r| r.status() == s).count();
        JsonReport {
            schema: SCHEMA,
            clickpath_version: env!("CARGO_PKG_VERSION"),
            run_id: report.run_id.clone(),
            started_at: report.started_at.clone(),
            finished_at: report.finished_at.clone(),
            summary: JsonSummary {
                runbooks: report.runbooks.len(),
                passed: count(RunbookStatus::Passed),
                failed: count(RunbookStatus::Failed),
                incomplete: count(RunbookStatus::Incomplete),
            },
            runbooks: report.runbooks.iter().map(runbook).collect(),
        }
    }
}

fn runbook(r: &RunbookReport) -> JsonRunbook {
    let m = &r.manifest;
    let path = |s: &StepRecord| r.screenshot_path(s).map(|p| p.display().to_string());
    let failure = r.reason().map(|reason| {
        let step = r.failed_step();
        let f = m.failure();
        JsonFailure {
            step: step.map(|s| s.number),
            doc: step.map(|s| s.doc.clone()),
            source: step.map(|s| s.source.clone()),
            kind: f
                .map(|f| f.kind.name().to_string())
                .unwrap_or_else(|| r.status().to_string()),
            message: r.failure_headline().unwrap_or_else(|| reason.clone()),
            reason,
            locator: step.and_then(|s| s.locator.clone()),
            url: step.and_then(|s| s.url.clone()),
            diagnosis: f.and_then(|f| f.diagnosis.clone()),
            suggestions: f.map(suggestions).unwrap_or_default(),
            candidates: f.map(|f| f.candidates().to_vec()).unwrap_or_default(),
            screenshot: step.and_then(path),
            fix: m.fix().cloned(),
        }
    });
    JsonRunbook {
        runbook: r.runbook_path(),
        name: m.name.clone(),
        provider: m.provider.clone(),
        flow: m.flow.clone(),
        status: r.status(),
        base_url: m.base_url.clone(),
        browser: format!("{} {}", m.browser.name, m.browser.version),
        started_at: m.started_at.clone(),
        finished_at: m.finished_at.clone(),
        duration_ms: r.duration_ms(),
        steps_total: m.steps_total,
        steps_passed: r.steps_passed(),
        evidence_dir: r.dir.display().to_string(),
        failure,
        steps: m
            .steps
            .iter()
            .map(|s| JsonStep {
                number: s.number,
                doc: s.doc.clone(),
                source: s.source.clone(),
                action: s.action.clone(),
                locator: s.locator.clone(),
                status: s.status.name(),
                url: s.url.clone(),
                duration_ms: s.duration_ms,
                screenshot: path(s),
                opened_windows: s.opened_windows.clone(),
            })
            .collect(),
    }
}

/// The JSON report of `report`, pretty-printed, ending with a newline.
pub fn to_string(report: &RunReport) -> Result<String, ReportError> {
    let mut s =
        serde_json::to_string_pretty(&JsonReport::new(report)).map_err(ReportError::Json)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sample_run;
    use super::*;
    use serde_json::Value;
    use std::path::Path;

    #[test]
    fn json_report_has_schema_summary_and_failure() {
        let r = sample_run(Path::new("run"));
        let v: Value = serde_json::from_str(&to_string(&r).unwrap()).unwrap();
        assert_eq!(v["schema"], "clickpath-report/2");
        assert_eq!(v["run_id"], "run-1");
        assert_eq!(v["summary"]["runbooks"], 2);
        assert_eq!(v["summary"]["passed"], 1);
        assert_eq!(v["summary"]["failed"], 1);
        let ok = &v["runbooks"][0];
        assert_eq!(ok["status"], "passed");
        assert!(ok["failure"].is_null());
        assert_eq!(ok["steps"].as_array().unwrap().len(), 3);
        let bad = &v["runbooks"][1];
        assert_eq!(bad["status"], "failed");
        assert_eq!(bad["steps_passed"], 2);
        assert_eq!(bad["steps_total"], 5);
        let f = &bad["failure"];
        assert_eq!(f["step"], 3);
        assert_eq!(f["kind"], "not_found");
        assert_eq!(f["source"]["file"], "runbooks/xero/10-invite_user.yaml");
        assert_eq!(f["source"]["line"], 14);
        assert_eq!(f["source"]["column"], 5);
        assert_eq!(
            f["message"],
            "step 3: Click **Invite a user**: no button named \"Invite a user\""
        );
        assert_eq!(
            f["suggestions"][0],
            "did you mean button \"Invite user\" (main)?"
        );
        assert_eq!(f["candidates"][0]["name"], "Invite user");
        assert_eq!(
            f["screenshot"],
            "run/xero/invite_user/03-click-invite-a-user-FAILED.png"
        );
        assert_eq!(bad["steps"][3]["status"], "skipped");
        assert!(bad["steps"][3]["screenshot"].is_null());
    }

    #[test]
    fn every_documented_field_is_in_docs() {
        // docs/reports.md documents every key the report writes.
        let docs = include_str!("../../docs/reports.md");
        let r = sample_run(Path::new("run"));
        let v: Value = serde_json::from_str(&to_string(&r).unwrap()).unwrap();
        let mut keys = Vec::new();
        collect_keys(&v, &mut keys);
        for k in keys {
            assert!(
                docs.contains(&format!("`{k}`")),
                "docs/reports.md does not document `{k}`"
            );
        }
    }

    fn collect_keys(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if !out.contains(k) {
                        out.push(k.clone());
                    }
                    collect_keys(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| collect_keys(v, out)),
            _ => {}
        }
    }
}
