//! Issue 12: the benchmark's synthetic runbook (`bench/runbooks/synthetic.yaml`)
//! stays valid and green against the sandbox page it was written for
//! (`/bench/form`), so `bench/run.sh` never measures a flow that no longer
//! runs. The benchmark's figures are never asserted here: they belong to a
//! quiet machine, not to the test suite.
//!
//! See: issue 12 ("the side-by-side benchmark", bench/README.md).

use std::path::PathBuf;

use clickpath::outcome::StepStatus;

mod binary;

use binary::{manifest, require_browser, Clickpath};

fn synthetic() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/runbooks/synthetic.yaml")
}

#[test]
fn issue_12_the_synthetic_runbook_checks_clean() {
    let err = Clickpath::new()
        .arg("check")
        .arg(synthetic())
        .expect_exit(0);
    assert!(
        err.ends_with("checked 1 runbook: 0 errors, 0 warnings\n"),
        "{err}"
    );
}

#[test]
fn issue_12_the_synthetic_runbook_runs_green_against_the_sandbox() {
    require_browser();
    let dir = tempfile::tempdir().expect("evidence directory");
    Clickpath::new()
        .args(["run", "--sandbox"])
        .out(dir.path(), "bench")
        .arg(synthetic())
        .expect_exit(0);
    let m = manifest(&dir.path().join("bench/bench/synthetic"));
    assert_eq!(m.steps.len(), 100, "the benchmark counts on 100 steps");
    for s in &m.steps {
        assert_eq!(s.status, StepStatus::Passed, "step {}: {}", s.number, s.doc);
        assert!(
            s.screenshot.is_some(),
            "step {} has no screenshot: {}",
            s.number,
            s.doc
        );
    }
}
