//! The main job end to end: every committed runbook, through the real
//! `clickpath` binary, headless Chromium and chromedriver, against the
//! sandbox — asserting that the sandbox state changed as each article says,
//! that the evidence on disk is complete, and that no browser is left behind.
//!
//! The sandbox runs in this test process (so the test can read its state
//! between runbooks); the binary is pointed at it with `--sandbox-url`.

use std::path::{Path, PathBuf};
use std::time::Duration;

mod binary;

use binary::{assert_no_processes_left, require_browser, Clickpath};

use clickpath::sandbox::{self, SandboxConfig};
use serde_json::Value;

const EMAIL: &str = "dp-acme@drivetrain.ai";

/// Check the manifest and screenshots of one passed runbook.
fn assert_evidence(flow_dir: &Path) {
    let (text, m) = binary::manifest_text(flow_dir);
    assert_eq!(m.status.name(), "passed", "{}", flow_dir.display());
    assert_eq!(
        m.steps.len(),
        m.steps_total,
        "every step is in the manifest"
    );
    assert!(m.finished_at.is_some());
    assert!(!m.browser.version.is_empty(), "browser version recorded");
    let mut previous: Option<Vec<u8>> = None;
    let mut previous_url: Option<String> = None;
    for (i, step) in m.steps.iter().enumerate() {
        assert_eq!(step.number, i + 1);
        assert!(!step.doc.is_empty());
        assert!(
            step.source.line > 0 && step.source.file.extension().is_some_and(|e| e == "yaml"),
            "source line: {}",
            step.source
        );
        let shot = step
            .screenshot
            .as_ref()
            .unwrap_or_else(|| panic!("step {} has no screenshot", step.number));
        let bytes = std::fs::read(flow_dir.join(shot)).expect("screenshot on disk");
        let img = image::load_from_memory(&bytes).expect("screenshot is a PNG");
        assert_eq!(
            (img.width(), img.height()),
            (m.viewport.width, m.viewport.height),
            "step {} screenshot has the viewport's size",
            step.number
        );
        // Typing, choosing, and clicks that load a new document change the
        // page, and the screenshot must show it (clicking the tab already
        // shown, or checking a box already checked, rightly changes nothing).
        let changes = ["fill", "select", "totp"].contains(&step.action.as_str())
            || (step.action == "click" && step.navigated && step.url != previous_url);
        if changes {
            if let Some(prev) = &previous {
                assert!(
                    prev != &bytes,
                    "step {} ({} `{}`) left the page pixel-identical",
                    step.number,
                    step.action,
                    step.doc
                );
            }
        }
        if ["click", "fill", "select", "check", "uncheck", "totp"].contains(&step.action.as_str()) {
            let el = step
                .element
                .as_ref()
                .unwrap_or_else(|| panic!("step {} keeps its element", step.number));
            assert!(
                el.bbox.width > 0.0 && el.bbox.height > 0.0,
                "element box kept"
            );
        }
        previous = Some(bytes);
        previous_url = step.url.clone();
    }
    // Secrets never reach the manifest.
    assert!(!text.contains(sandbox::SANDBOX_PASSWORD));
    assert!(!text.contains(sandbox::DEFAULT_TOTP_SEED));
}

fn user<'a>(state: &'a Value, provider: &str, email: &str) -> Option<&'a Value> {
    state[provider]["users"]
        .as_array()?
        .iter()
        .find(|u| u["email"] == email)
}

type Check = fn(&Value, &Value);

/// Drive `flows` in order against one sandbox, checking state around each.
fn drive(provider: &str, flows: &[(&str, Check)]) {
    require_browser();
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let sb = rt
        .block_on(sandbox::start(SandboxConfig::default()))
        .expect("sandbox starts");
    let root = format!("http://{}", sb.addr());
    let out = tempfile::tempdir().expect("temp dir");
    let marker = format!("{provider}-{}", std::process::id());
    for (file, check) in flows {
        let path = format!("runbooks/{provider}/{file}.yaml");
        let before = sb.state_json();
        let stderr = Clickpath::new()
            .args(["run", "--sandbox-url", &root])
            .out(out.path(), "t")
            .arg(&path)
            .env("CLICKPATH_TEST_MARKER", &marker)
            .expect_exit(0);
        assert!(
            !stderr.contains(sandbox::SANDBOX_PASSWORD),
            "password in output"
        );
        assert_no_processes_left(&marker, Duration::from_secs(5));
        let after = sb.state_json();
        check(&before, &after);
        let flow = file.split_once('-').map(|(_, f)| f).unwrap_or(file);
        let dir: PathBuf = out.path().join("t").join(provider).join(flow);
        assert_evidence(&dir);
    }
    rt.block_on(sb.shutdown());
}

// Seed article 000 (invite and remove the temporary user) and 002 (Xero support).
#[test]
fn xero_flows_change_the_sandbox_as_the_articles_say() {
    drive(
        "xero",
        &[
            ("10-invite_user", |b, a| {
                assert!(user(b, "xero", EMAIL).is_none(), "not invited before");
                let u = user(a, "xero", EMAIL).expect("invited");
                assert_eq!(u["first_name"], "Drivetrain");
                assert_eq!(u["last_name"], "AI");
                assert_eq!(u["projects"], "Admin");
                assert_eq!(u["business_and_accounting"], "Advisor");
                assert_eq!(u["status"], "Invite pending");
            }),
            ("20-remove_user", |b, a| {
                assert!(user(b, "xero", EMAIL).is_some());
                assert!(user(a, "xero", EMAIL).is_none(), "removed");
            }),
            ("30-add_xero_support", |b, a| {
                assert_eq!(b["xero"]["xero_support"], false);
                assert_eq!(a["xero"]["xero_support"], true);
                assert!(user(a, "xero", "support@xero.com").is_some());
            }),
            ("40-contact_xero_support", |b, a| {
                let n = |s: &Value| s["xero"]["support_requests"].as_array().map_or(0, Vec::len);
                assert_eq!(n(a), n(b) + 1, "one support request sent");
            }),
        ],
    );
}

// Seed article 001 (QuickBooks Online: add user with MFA, delete).
#[test]
fn qbo_flows_change_the_sandbox_as_the_article_says() {
    drive(
        "qbo",
        &[
            ("10-add_user", |b, a| {
                assert!(user(b, "qbo", EMAIL).is_none());
                let u = user(a, "qbo", EMAIL).expect("invited after MFA");
                assert_eq!(u["first_name"], "Drivetrain");
                assert_eq!(u["last_name"], "AI");
                assert_eq!(u["status"], "Invited");
            }),
            ("20-remove_user", |b, a| {
                assert!(user(b, "qbo", EMAIL).is_some());
                assert!(user(a, "qbo", EMAIL).is_none(), "deleted");
            }),
        ],
    );
}

// Seed article 003 (Xero practice: My Xero staff, practice organisation).
#[test]
fn myxero_flows_change_the_sandbox_as_the_article_says() {
    drive(
        "myxero",
        &[
            ("10-invite_support_practice", |b, a| {
                assert_eq!(b["myxero"]["practice_staff_support"], false);
                assert_eq!(a["myxero"]["practice_staff_support"], true);
            }),
            ("20-remove_support_practice", |_, a| {
                assert_eq!(a["myxero"]["practice_staff_support"], false);
            }),
            ("30-invite_support_via_contact_form", |b, a| {
                assert_eq!(b["myxero"]["practice_org_support"], false);
                assert_eq!(a["myxero"]["practice_org_support"], true);
                let reqs = a["myxero"]["support_requests"]
                    .as_array()
                    .expect("requests");
                assert_eq!(
                    reqs.last().map(|r| &r["give_access"]),
                    Some(&Value::Bool(true))
                );
            }),
            ("40-change_support_role", |b, a| {
                assert_eq!(b["myxero"]["payroll_admin"], true);
                assert_eq!(a["myxero"]["payroll_admin"], false, "Payroll Admin cleared");
                assert_eq!(a["myxero"]["support_role"], "Standard");
            }),
            ("50-remove_support_org", |_, a| {
                assert_eq!(a["myxero"]["practice_org_support"], false);
            }),
            ("60-invite_support_org_user", |_, a| {
                assert_eq!(a["myxero"]["practice_org_support"], true);
            }),
        ],
    );
}
