//! The drift suite (issue 6): every sandbox `--variant` against the runbooks
//! it affects, through the real `clickpath` binary, headless Chromium and
//! chromedriver. For each drifted UI: exit code 1, the failing step, its
//! classification, and the intended replacement as the FIRST suggestion, on
//! stderr and in `manifest.json`. A variant that only adds delay must pass.
//!
//! Run with `--nocapture` to print the drift table (README "Drift detection").
//!
//! See: issue 6, "Drift detection and CI reports for QA".

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

mod binary;

use binary::{manifest, require_browser, Clickpath};
use clickpath::locate::DriftClass;
use clickpath::outcome::StepStatus;
use clickpath::outcome::{RunOutcome as Manifest, StepRecord as ManifestStep};
use clickpath::sandbox::{self, SandboxConfig};

/// The one failed step of a manifest.
fn failed_step(m: &Manifest) -> &ManifestStep {
    let failed: Vec<&ManifestStep> = m
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Failed)
        .collect();
    assert_eq!(failed.len(), 1, "exactly one failed step: {:#?}", m.steps);
    failed[0]
}

/// What a drifted runbook must report.
struct Expected {
    variant: &'static str,
    runbook: &'static str,
    /// The doc text of the step that must fail (its number is looked up in
    /// the manifest, then checked against stderr).
    step_doc: &'static str,
    class: DriftClass,
    /// `role "name"` of the first suggestion; `None` for `gone`.
    suggestion: Option<&'static str>,
    /// Text the stderr diagnosis line must contain.
    says: &'static str,
}

/// Check one failed run from both sides (stderr, manifest) and return the
/// drift table row.
fn check_failed_run(e: &Expected, output: &Output, flow_dir: &Path) -> String {
    let stderr = binary::stderr(output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}: a drifted UI is exit code 1:\n{stderr}",
        e.variant
    );
    let m = manifest(flow_dir);
    assert_eq!(m.status.name(), "failed");
    let step = failed_step(&m);
    assert_eq!(step.doc, e.step_doc, "{}: the wrong step failed", e.variant);
    assert!(
        m.steps[..step.number - 1]
            .iter()
            .all(|s| s.status == StepStatus::Passed),
        "{}: every step before {} passed",
        e.variant,
        step.number
    );
    assert!(
        m.steps[step.number..]
            .iter()
            .all(|s| matches!(s.status, StepStatus::Skipped { .. })),
        "{}: every step after {} is skipped",
        e.variant,
        step.number
    );
    let shot = step.screenshot.as_deref().expect("failure screenshot");
    assert!(flow_dir.join(shot).is_file(), "{shot} on disk");
    // Human side: the frame names the step and the diagnosis.
    assert!(
        stderr.contains(&format!(
            "error: step {} of {} failed:",
            step.number, e.runbook
        )),
        "{}: stderr names step {}:\n{stderr}",
        e.variant,
        step.number
    );
    let line = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("= diagnosis:"))
        .unwrap_or_else(|| panic!("{}: no diagnosis line:\n{stderr}", e.variant));
    assert!(
        line.contains(&format!("= diagnosis: {} \u{2014} ", e.class)),
        "{}: class {}: {line}",
        e.variant,
        e.class
    );
    assert!(line.contains(e.says), "{}: {line}", e.variant);
    // Machine side: the manifest's failure carries the same diagnosis.
    let f = step.failure.as_ref().expect("failure recorded");
    let d = f.diagnosis.as_ref().expect("diagnosis recorded");
    assert_eq!(d.class, e.class, "{}", e.variant);
    assert!(line.ends_with(&d.summary), "{line} vs {}", d.summary);
    let role_name = |c: &clickpath::locate::Candidate| format!("{} {:?}", c.role, c.name);
    let top = d.suggestion.as_ref().map(role_name);
    match e.class {
        // Gone: no replacement; the summary lists what the page offers.
        DriftClass::Gone => {
            assert_eq!(top, None, "{}", e.variant);
            assert!(!f.candidates().is_empty(), "the page's offers are recorded");
        }
        // Ambiguous: every match is named and recorded.
        DriftClass::Ambiguous => {
            assert_eq!(top.as_deref(), e.suggestion, "{}", e.variant);
            assert!(f.candidates().len() >= 2, "{:?}", f.candidates());
            for c in f.candidates() {
                assert!(d.summary.contains(&c.with_box()), "{} names {c}", d.summary);
            }
        }
        // Renamed, hidden: the intended replacement is the first suggestion,
        // first among the recorded candidates too.
        _ => {
            assert_eq!(top.as_deref(), e.suggestion, "{}", e.variant);
            assert_eq!(
                f.candidates().first().map(role_name),
                top,
                "{}: first candidate",
                e.variant
            );
        }
    }
    format!(
        "| `{}` | {} | {}: {} | {} | {} | fails as expected |",
        e.variant,
        e.runbook.trim_start_matches("runbooks/"),
        step.number,
        step.doc.replace('|', "\\|"),
        d.class,
        match (&d.suggestion, &d.reveal) {
            (Some(s), Some(r)) => format!("{} (reveal: click {r})", role_name(s)),
            (Some(s), None) if e.class == DriftClass::Ambiguous => format!(
                "{} ×{} (nth: 1..{})",
                role_name(s),
                f.candidates().len(),
                f.candidates().len()
            ),
            (Some(s), None) => role_name(s),
            (None, _) => "none (lists the form's other fields)".into(),
        }
        .replace('|', "\\|")
    )
}

fn print_rows(rows: &[String]) {
    for r in rows {
        println!("{r}");
    }
}

// See: issue 6. The five Xero invite-form variants, one in-process sandbox
// per variant (the binary's own `--sandbox --variant`), 3 s step deadlines.
#[test]
fn issue_6_each_drifted_xero_screen_fails_at_its_step_with_the_right_diagnosis() {
    require_browser();
    let started = Instant::now();
    let out = tempfile::tempdir().expect("temp dir");
    let runbook = "runbooks/xero/10-invite_user.yaml";
    let cases = [
        Expected {
            variant: "renamed-invite",
            runbook,
            step_doc: "Click **Invite a User**.",
            class: DriftClass::Renamed,
            suggestion: Some("button \"Invite user\""),
            says: "did you mean button \"Invite user\" (main) instead of \"Invite a user\"?",
        },
        Expected {
            variant: "moved-invite",
            runbook,
            step_doc: "Click **Invite a User**.",
            class: DriftClass::Hidden,
            suggestion: Some("menuitem \"Invite a user\""),
            says: "inside the closed menu \"More\"; click button \"More\" first to reveal it",
        },
        Expected {
            variant: "removed-last-name",
            runbook,
            step_doc: "**Last name:** AI",
            class: DriftClass::Gone,
            suggestion: None,
            says: "nothing like field \"Last name\" on the page; it offers ",
        },
        Expected {
            variant: "relabelled-email",
            runbook,
            step_doc: "**Email:** the address provided by your Drivetrain Customer Success Manager (typically dp-acme@drivetrain.ai)",
            class: DriftClass::Renamed,
            suggestion: Some("textbox \"Email address\""),
            says: "did you mean textbox \"Email address\"",
        },
        Expected {
            variant: "duplicated-send",
            runbook,
            step_doc: "Click **Send Invite**.",
            class: DriftClass::Ambiguous,
            suggestion: Some("button \"Send invite\""),
            says: "2 elements match button \"Send invite\": button \"Send invite\" at ",
        },
    ];
    let mut rows = Vec::new();
    for e in &cases {
        let output = Clickpath::new()
            .args([
                "run",
                "--sandbox",
                "--variant",
                e.variant,
                "--timeout",
                "3s",
            ])
            .out(out.path(), e.variant)
            .arg(e.runbook)
            .run();
        let dir = out.path().join(e.variant).join("xero/invite_user");
        rows.push(check_failed_run(e, &output, &dir));
    }
    // The reveal hint is machine-readable too.
    let m = manifest(&out.path().join("moved-invite/xero/invite_user"));
    let d = failed_step(&m)
        .failure
        .as_ref()
        .and_then(|f| f.diagnosis.as_ref())
        .expect("diagnosis");
    assert_eq!(d.reveal.as_deref(), Some("button \"More\""));
    print_rows(&rows);
    eprintln!("xero drift variants took {:?}", started.elapsed());
}

// See: issue 6. QBO's renamed row button: removing the user needs the user,
// so add it first on the same (in-test) sandbox, which serves the variant.
#[test]
fn issue_6_renamed_qbo_delete_is_renamed_to_remove_access() {
    require_browser();
    let started = Instant::now();
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let sb = rt
        .block_on(sandbox::start(SandboxConfig {
            variant: Some("renamed-qbo-delete".into()),
            ..SandboxConfig::default()
        }))
        .expect("sandbox starts");
    let root = format!("http://{}", sb.addr());
    let out = tempfile::tempdir().expect("temp dir");
    // Adding the user is not affected by the variant.
    Clickpath::new()
        .args(["run", "--sandbox-url", &root])
        .out(out.path(), "add")
        .arg("runbooks/qbo/10-add_user.yaml")
        .expect_exit(0);
    let before = sb.state_json();
    let output = Clickpath::new()
        .args(["run", "--sandbox-url", &root, "--timeout", "3s"])
        .out(out.path(), "remove")
        .arg("runbooks/qbo/20-remove_user.yaml")
        .run();
    let row = check_failed_run(
        &Expected {
            variant: "renamed-qbo-delete",
            runbook: "runbooks/qbo/20-remove_user.yaml",
            step_doc: "**Locate** the Drivetrain user, then click **Delete**",
            class: DriftClass::Renamed,
            suggestion: Some("button \"Remove access\""),
            says: "did you mean button \"Remove access\"",
        },
        &output,
        &out.path().join("remove/qbo/remove_user"),
    );
    assert_eq!(sb.state_json(), before, "a failed removal changes nothing");
    rt.block_on(sb.shutdown());
    print_rows(&[row]);
    eprintln!("qbo drift variant took {:?}", started.elapsed());
}

// See: issue 6. A variant that only adds delay (the users table renders
// after 3 s) must pass with the default 10 s deadline.
#[test]
fn issue_6_slow_users_only_delays_and_passes() {
    require_browser();
    let started = Instant::now();
    let out = tempfile::tempdir().expect("temp dir");
    let runbooks = [
        "runbooks/xero/10-invite_user.yaml",
        "runbooks/xero/20-remove_user.yaml",
    ];
    // slow-users must pass.
    Clickpath::new()
        .args(["run", "--sandbox", "--variant", "slow-users"])
        .out(out.path(), "slow")
        .args(runbooks)
        .expect_exit(0);
    for flow in ["invite_user", "remove_user"] {
        let dir: PathBuf = out.path().join("slow/xero").join(flow);
        let m = manifest(&dir);
        assert_eq!(m.status.name(), "passed", "{flow}");
        assert!(m.steps.iter().all(|s| s.failure.is_none()));
    }
    print_rows(&[format!(
        "| `slow-users` | {} | none | none | none | passes |",
        runbooks
            .iter()
            .map(|r| r.trim_start_matches("runbooks/"))
            .collect::<Vec<_>>()
            .join(", ")
    )]);
    eprintln!("slow-users took {:?}", started.elapsed());
}
