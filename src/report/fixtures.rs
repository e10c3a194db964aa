//! Manifests built in Rust for the report unit tests: one passing and one
//! failing runbook, with PNG screenshots written on demand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::evidence::{Manifest, ManifestBrowser, ManifestStep, ManifestViewport};
use crate::execute::{Failure, StepStatus};
use crate::locate::{BoxPx, Candidate};

use super::{RunReport, RunbookReport};

/// A temporary directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "clickpath-report-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
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
    }
}

pub fn step(n: usize, doc: &str, file: &str, line: usize, status: StepStatus) -> ManifestStep {
    ManifestStep {
        number: n,
        doc: doc.into(),
        source: format!("{file}:{line}"),
        action: "click".into(),
        locator: Some(format!("button {doc:?}")),
        element: None,
        url: Some("http://127.0.0.1:4000/xero/settings/users".into()),
        title: Some("Users".into()),
        navigated: false,
        duration_ms: 100 * n as u64,
        round_trips: 3,
        screenshot: (status != StepStatus::Skipped).then(|| format!("{n:02}-step.png")),
        status,
        failure: None,
        probed: false,
    }
}

pub fn manifest(runbook: &str, flow: &str, steps: Vec<ManifestStep>, total: usize) -> Manifest {
    let failed = steps.iter().any(|s| s.status == StepStatus::Failed);
    let mut vars = BTreeMap::new();
    vars.insert("login_email".to_string(), "admin@example.com".to_string());
    Manifest {
        clickpath_version: "0.1.0".into(),
        run_id: "run-1".into(),
        runbook: runbook.into(),
        name: format!("The {flow} flow"),
        provider: "xero".into(),
        flow: flow.into(),
        browser: ManifestBrowser {
            name: "chrome".into(),
            version: "120.0".into(),
            driver_version: Some("120.0".into()),
            headed: false,
        },
        viewport: ManifestViewport {
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
        status: if failed { "failed" } else { "passed" }.into(),
        steps_total: total,
        steps,
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
        kind: "not_found".into(),
        message: "no button named \"Invite a user\"".into(),
        candidates: vec![
            candidate("button", "Invite user", "main"),
            candidate("button", "Add Xero support", "main"),
        ],
        diagnosis: None,
    });
    let failing = manifest(
        file,
        "invite_user",
        vec![
            step(1, "Sign in", file, 8, StepStatus::Passed),
            step(2, "Click **Users**", file, 11, StepStatus::Passed),
            failed,
            step(4, "Enter the email", file, 17, StepStatus::Skipped),
            step(5, "Click **Send invite**", file, 20, StepStatus::Skipped),
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
        std::fs::create_dir_all(&r.dir).unwrap();
        for s in &r.manifest.steps {
            if let Some(p) = r.screenshot_path(s) {
                let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]));
                img.save(&p).unwrap();
            }
        }
    }
}
