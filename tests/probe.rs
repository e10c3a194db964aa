//! Probe mode (issue 6): `clickpath run --probe` acts on every step before a
//! runbook's first `destructive: true` step, checks that step's target is
//! there and actionable without acting, and stops. Against every seed
//! runbook this must leave the sandbox state exactly as it was and report
//! `verified through step N of M` with N the first destructive step. Flows
//! that remove or change access are probed after the grant flow before them
//! ran normally, so the probe sees the screens a real account would show.
//!
//! The sandbox runs in this test process (its state is read before and after
//! each probe); the binary is pointed at it with `--sandbox-url`.
//!
//! See: issue 6, "Drift detection and CI reports for QA".

use std::path::Path;
use std::time::Instant;

mod binary;

use binary::{manifest, require_browser, Clickpath};
use clickpath::outcome::StepStatus;
use clickpath::sandbox::{self, Sandbox, SandboxConfig};

/// One provider's sandbox, driven phase by phase.
struct Provider {
    name: &'static str,
    rt: tokio::runtime::Runtime,
    sb: Sandbox,
    root: String,
    out: tempfile::TempDir,
    phase: usize,
}

impl Provider {
    fn start(name: &'static str) -> Self {
        require_browser();
        let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
        let sb = rt
            .block_on(sandbox::start(SandboxConfig::default()))
            .expect("sandbox starts");
        let root = format!("http://{}", sb.addr());
        Provider {
            name,
            rt,
            sb,
            root,
            out: tempfile::tempdir().expect("temp dir"),
            phase: 0,
        }
    }

    fn paths(&self, flows: &[&str]) -> Vec<String> {
        flows
            .iter()
            .map(|f| format!("runbooks/{}/{f}.yaml", self.name))
            .collect()
    }

    /// Run `flows` normally (to bring the account into the state the next
    /// probes need); they must pass.
    fn run(&mut self, flows: &[&str]) {
        self.phase += 1;
        let run_id = format!("run{}", self.phase);
        Clickpath::new()
            .args(["run", "--sandbox-url", &self.root])
            .out(self.out.path(), &run_id)
            .args(self.paths(flows))
            .expect_exit(0);
    }

    /// Probe `flows` in one invocation: the state must not change, and each
    /// must be verified through its first destructive step.
    fn probe(&mut self, flows: &[&str]) {
        self.phase += 1;
        let run_id = format!("probe{}", self.phase);
        let before = self.sb.state_json();
        let paths = self.paths(flows);
        let stderr = Clickpath::new()
            .args(["run", "--probe", "--sandbox-url", &self.root])
            .out(self.out.path(), &run_id)
            .args(&paths)
            .expect_exit(0);
        assert_eq!(
            self.sb.state_json(),
            before,
            "probing {flows:?} changed the sandbox state"
        );
        for (flow, path) in flows.iter().zip(&paths) {
            let rb = clickpath::runbook::load(Path::new(path))
                .unwrap_or_else(|d| panic!("{path} loads: {d:?}"));
            let total = rb.steps.len();
            let n = rb
                .steps
                .iter()
                .position(|s| s.destructive)
                .map(|i| i + 1)
                .unwrap_or_else(|| panic!("{path} marks a destructive step"));
            let key = flow.split_once('-').map_or(*flow, |(_, f)| f);
            let line = format!(
                "[{}/{key}] probe: verified through step {n} of {total}; steps after {n} need the account to change",
                self.name
            );
            assert!(stderr.contains(&line), "expected `{line}` in:\n{stderr}");
            let m = manifest(&self.out.path().join(&run_id).join(self.name).join(key));
            assert_eq!(m.status.name(), "passed", "{path}");
            for s in &m.steps {
                let want = match s.number.cmp(&n) {
                    std::cmp::Ordering::Less => "passed",
                    std::cmp::Ordering::Equal => "probed",
                    std::cmp::Ordering::Greater => "skipped",
                };
                assert_eq!(s.status.name(), want, "{path} step {}", s.number);
            }
            assert!(
                m.steps[n - 1].element.is_some(),
                "{path}: the destructive step's target was located"
            );
        }
    }

    fn finish(self) {
        self.rt.block_on(self.sb.shutdown());
    }
}

// See: issue 6. Articles 000 and 002 (Xero).
#[test]
fn issue_6_probing_each_xero_runbook_changes_nothing() {
    let started = Instant::now();
    let mut p = Provider::start("xero");
    p.probe(&[
        "10-invite_user",
        "30-add_xero_support",
        "40-contact_xero_support",
    ]);
    p.run(&["10-invite_user"]);
    p.probe(&["20-remove_user"]);
    p.finish();
    eprintln!("xero probes took {:?}", started.elapsed());
}

// See: issue 6. Article 001 (QuickBooks Online).
#[test]
fn issue_6_probing_each_qbo_runbook_changes_nothing() {
    let started = Instant::now();
    let mut p = Provider::start("qbo");
    p.probe(&["10-add_user"]);
    p.run(&["10-add_user"]);
    p.probe(&["20-remove_user"]);
    p.finish();
    eprintln!("qbo probes took {:?}", started.elapsed());
}

// See: issue 6. Article 003 (Xero practice / My Xero).
#[test]
fn issue_6_probing_each_myxero_runbook_changes_nothing() {
    let started = Instant::now();
    let mut p = Provider::start("myxero");
    // The grants, against the seeded state (nobody invited yet).
    p.probe(&[
        "10-invite_support_practice",
        "30-invite_support_via_contact_form",
        "60-invite_support_org_user",
    ]);
    // Grant both accesses, then probe the flows that change or revoke them.
    p.run(&[
        "10-invite_support_practice",
        "30-invite_support_via_contact_form",
    ]);
    p.probe(&[
        "20-remove_support_practice",
        "40-change_support_role",
        "50-remove_support_org",
    ]);
    p.finish();
    eprintln!("myxero probes took {:?}", started.elapsed());
}

// See: issue 6. A probe against a drifted UI fails where a normal run fails.
#[test]
fn issue_6_a_probe_against_a_drift_variant_fails_at_the_drifted_step() {
    require_browser();
    let started = Instant::now();
    let out = tempfile::tempdir().expect("temp dir");
    let runbook = "runbooks/xero/10-invite_user.yaml";
    let base = [
        "run",
        "--sandbox",
        "--variant",
        "renamed-invite",
        "--timeout",
        "3s",
    ];
    Clickpath::new()
        .args(base)
        .out(out.path(), "normal")
        .arg(runbook)
        .expect_exit(1);
    let stderr = Clickpath::new()
        .args(base)
        .arg("--probe")
        .out(out.path(), "probe")
        .arg(runbook)
        .expect_exit(1);
    let failed_at = |run_id: &str| {
        let m = manifest(&out.path().join(run_id).join("xero/invite_user"));
        let s = m
            .steps
            .iter()
            .find(|s| s.status == StepStatus::Failed)
            .unwrap_or_else(|| panic!("{run_id}: a step failed"));
        let class = s
            .failure
            .as_ref()
            .and_then(|f| f.diagnosis.as_ref())
            .map(|d| d.class);
        (s.number, class)
    };
    let (n, class) = failed_at("normal");
    assert_eq!(
        failed_at("probe"),
        (n, class),
        "probe fails like a normal run"
    );
    let rb = clickpath::runbook::load(Path::new(runbook)).expect("loads");
    let first_destructive = rb.steps.iter().position(|s| s.destructive).map(|i| i + 1);
    assert!(
        first_destructive.is_some_and(|d| n < d),
        "the drifted step {n} comes before the destructive one {first_destructive:?}"
    );
    assert!(
        stderr.contains(&format!(
            "error: step {n} of runbooks/xero/10-invite_user.yaml failed: no button named \"Invite a user\""
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("verified through"), "{stderr}");
    eprintln!("drift probe took {:?}", started.elapsed());
}
