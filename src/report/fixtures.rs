//! Manifests built in Rust for the report unit tests: one passing and one
//! failing runbook, with PNG screenshots written on demand.

use std::collections::BTreeMap;
use std::path::Path;

use crate::locate::{BoxPx, Candidate};
use crate::outcome::{
    BrowserSummary, Failure, FailureKind, RunOutcome, RunStatus, Size, SkipReason, SourcePos,
    StepRecord, StepStatus, SCHEMA_VERSION,
};

use super::{RunReport, RunbookReport};

/// A temporary directory removed on drop.
pub struct TempDir(tempfile::TempDir);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        TempDir(
            tempfile::Builder::new()
                .prefix(&format!("clickpath-report-{tag}-"))
                .tempdir()
                .unwrap_or_else(|e| panic!("temp dir: {e}")),
        )
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

pub fn candidate(role: &str, name: &str, region: &str) -> Candidate {
    Candidate {
        tag: "button".into(),
        role: role.into(),
        name: name.into(),
        bbox: BoxPx {
            x: 10.0,
            y: 20.0,
            width: 80.0,
            height: 30.0,
        },
        visible: true,
        hidden_why: None,
        region: Some(region.into()),
        checked: None,
        matched: None,
        ..Default::default()
    }
}

pub fn step(n: usize, doc: &str, file: &str, line: usize, status: StepStatus) -> StepRecord {
    StepRecord {
        id: format!("step-{n}"),
        number: n,
        doc: doc.into(),
        source: SourcePos {
            file: file.into(),
            line,
            column: 5,
            via: vec![],
        },
        action: "click".into(),
        locator: Some(format!("button {doc:?}")),
        element: None,
        url: Some("http://127.0.0.1:4000/xero/settings/users".into()),
        title: Some("Users".into()),
        navigated: false,
        duration_ms: 100 * n as u64,
        round_trips: 3,
        screenshot: (!matches!(status, StepStatus::Skipped { .. }))
            .then(|| format!("{n:02}-step.png")),
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

/// Skipped after step 3 failed.
pub const SKIPPED: StepStatus = StepStatus::Skipped {
    reason: SkipReason::EarlierFailure { step: 3 },
};

pub fn manifest(runbook: &str, flow: &str, steps: Vec<StepRecord>, total: usize) -> RunOutcome {
    let failed = steps.iter().any(|s| s.status == StepStatus::Failed);
    let mut vars = BTreeMap::new();
    vars.insert("login_email".to_string(), "admin@example.com".to_string());
    RunOutcome {
        schema_version: SCHEMA_VERSION,
        clickpath_version: "0.1.0".into(),
        run_id: "run-1".into(),
        runbook: runbook.into(),
        name: format!("The {flow} flow"),
        provider: "xero".into(),
        flow: flow.into(),
        browser: BrowserSummary {
            name: "chrome".into(),
            version: "120.0".into(),
            driver_version: Some("120.0".into()),
            headed: false,
        },
        device_scale_factor: 1.0,
        viewport: Size {
            width: 800,
            height: 600,
        },
        base_url: "http://127.0.0.1:4000/xero".into(),
        vars,
        started_at: if failed {
            "2026-11-24T10:00:05.000Z".into()
        } else {
            "2026-11-24T10:00:00.000Z".into()
        },
        finished_at: Some(if failed {
            "2026-11-24T10:00:09.000Z".into()
        } else {
            "2026-11-24T10:00:04.000Z".into()
        }),
        status: if failed {
            RunStatus::Failed
        } else {
            RunStatus::Passed
        },
        steps_total: total,
        steps,
        probed_through: None,
        error: None,
        evidence_dir: None,
        fix: None,
        gif: None,
    }
}

/// A run with a passing `05-users` and an `10-invite_user` failing at step 3 of 5.
pub fn sample_run(root: &Path) -> RunReport {
    let ok_file = "runbooks/xero/05-users.yaml";
    let passing = manifest(
        ok_file,
        "users",
        vec![
            step(1, "Sign in", ok_file, 8, StepStatus::Passed),
            step(2, "Select **Settings**", ok_file, 10, StepStatus::Passed),
            step(3, "Click **Users**", ok_file, 12, StepStatus::Passed),
        ],
        3,
    );
    let file = "runbooks/xero/10-invite_user.yaml";
    let mut failed = step(3, "Click **Invite a user**", file, 14, StepStatus::Failed);
    failed.screenshot = Some("03-click-invite-a-user-FAILED.png".into());
    failed.failure = Some(Failure {
        offers: vec![
            candidate("button", "Invite user", "main"),
            candidate("button", "Add Xero support", "main"),
        ],
        ..Failure::new(FailureKind::NotFound, "no button named \"Invite a user\"")
    });
    let failing = manifest(
        file,
        "invite_user",
        vec![
            step(1, "Sign in", file, 8, StepStatus::Passed),
            step(2, "Click **Users**", file, 11, StepStatus::Passed),
            failed,
            step(4, "Enter the email", file, 17, SKIPPED),
            step(5, "Click **Send invite**", file, 20, SKIPPED),
        ],
        5,
    );
    RunReport::new(
        "run-1",
        vec![
            RunbookReport::new(passing, root.join("xero/users")),
            RunbookReport::new(failing, root.join("xero/invite_user")),
        ],
    )
}

/// Write a small solid-colour PNG for every screenshot the run names.
pub fn write_pngs(run: &RunReport) {
    for r in &run.runbooks {
        std::fs::create_dir_all(&r.dir).unwrap_or_else(|e| panic!("{e}"));
        for s in &r.manifest.steps {
            if let Some(p) = r.screenshot_path(s) {
                let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]));
                img.save(&p).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
}
