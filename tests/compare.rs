//! `run --compare` end to end, through the real binary, headless Chromium
//! and the built-in sandbox: references written by `--update-reference`, an
//! unchanged re-run that is pixel-identical, and the layout-only drift
//! variant `restyled-invite` that every locator survives but the comparison
//! catches at the first step whose screen shows it.
//!
//! See: issue 14, "Visual diff against reference images".

use std::path::Path;

mod binary;

use binary::{manifest, require_browser, stdout, Clickpath};
use clickpath::outcome::{FailureKind, RunOutcome, StepStatus};

const INVITE: &str = "runbooks/xero/10-invite_user.yaml";
const LOGIN: &str = "runbooks/xero/login.yaml";

/// The colour of changed pixels in a diff image.
const CHANGED: [u8; 4] = [230, 0, 110, 255];

/// `clickpath run --sandbox RUNBOOK --compare REF` with evidence under `out/id`.
fn run(runbook: &str, out: &Path, id: &str, reference: &Path) -> Clickpath {
    require_browser();
    let vars: &[&str] = if runbook == INVITE {
        &["--var", "customer=acme"]
    } else {
        &[]
    };
    Clickpath::new()
        .arg("run")
        .arg("--sandbox")
        .args(vars)
        .out(out, id)
        .arg("--compare")
        .arg(reference)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(runbook))
}

fn step_with_doc<'m>(m: &'m RunOutcome, doc: &str) -> &'m clickpath::outcome::StepRecord {
    m.steps
        .iter()
        .find(|s| s.doc == doc)
        .unwrap_or_else(|| panic!("no step {doc:?}"))
}

// See: issue 14, "a layout-only variant fails `--compare` at the right step
// with a diff image while an unchanged run passes".
#[test]
fn issue_14_layout_only_drift_fails_compare_at_the_users_page() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("shots");
    let reference = tmp.path().join("ref");

    // 1. The references.
    let written = run(INVITE, &out, "ref", &reference)
        .arg("--update-reference")
        .run();
    binary::assert_exit(&written, 0);
    let flow = reference.join("xero/invite_user");
    let listed: Vec<String> = stdout(&written)
        .lines()
        .filter_map(|l| l.strip_prefix("reference: "))
        .map(str::to_string)
        .collect();
    let first = manifest(&out.join("ref/xero/invite_user"));
    let shots = first
        .steps
        .iter()
        .filter(|s| s.screenshot.is_some())
        .count();
    assert_eq!(listed.len(), shots + 1, "every capture and the manifest");
    for file in &listed {
        assert!(Path::new(file).is_file(), "{file} written");
    }
    assert!(flow.join("manifest.json").is_file());
    assert!(flow.join("11-select-settings-users.png").is_file());

    // 2. Unchanged: every step compared, pixel-identical (the TOTP field,
    // whose code changes every 30 s, is masked).
    let same = run(INVITE, &out, "same", &reference).run();
    binary::assert_exit(&same, 0);
    let m = manifest(&out.join("same/xero/invite_user"));
    assert_eq!(m.status.name(), "passed");
    for s in &m.steps {
        let v = s
            .visual
            .as_ref()
            .unwrap_or_else(|| panic!("step {} compared", s.number));
        assert!(v.found, "step {}: {:?}", s.number, v.note);
        assert!(
            v.changed_percent == 0.0 && v.diff.is_none(),
            "step {} differs between two identical runs: {v:?}",
            s.number
        );
    }
    let totp = m
        .steps
        .iter()
        .find(|s| s.action == "totp")
        .expect("a totp step");
    assert_eq!(totp.masks.len(), 1, "the code field is masked");

    // 3. restyled-invite: names and roles unchanged, the screen is not.
    let drifted = run(INVITE, &out, "drift", &reference)
        .args(["--variant", "restyled-invite"])
        .run();
    binary::assert_exit(&drifted, 1);
    let dir = out.join("drift/xero/invite_user");
    let m = manifest(&dir);
    let failed = m.failed_step().expect("a failed step");
    let users = step_with_doc(&first, "Select **Settings > Users**");
    assert_eq!(
        failed.number, users.number,
        "the step that opens the Users page"
    );
    assert!(m.steps[..failed.number - 1]
        .iter()
        .all(|s| s.status == StepStatus::Passed));
    let failure = failed.failure.as_ref().expect("its failure");
    assert_eq!(failure.kind, FailureKind::Visual);
    assert!(
        failure.message.starts_with("visual change: ")
            && failure.message.contains("% of the viewport, around ")
            && failure.message.contains("button \"Invite a user\""),
        "{}",
        failure.message
    );
    assert!(binary::stderr(&drifted).contains(&failure.message));
    let visual = failed.visual.as_ref().expect("compared");
    assert!(visual.over && visual.changed_percent > 0.1, "{visual:?}");

    // The diff image: the changed pixels are where the button was and is.
    let diff = visual.diff.as_deref().expect("a diff image");
    assert_eq!(diff, "11-select-settings-users-diff.png");
    let img = image::open(dir.join(diff)).expect("decodes").into_rgba8();
    let region = visual.region.expect("a changed region");
    let invite = step_with_doc(&first, "Click **Invite a User**.")
        .element
        .as_ref()
        .expect("the button as the reference run found it")
        .bbox;
    let (cx, cy) = (
        invite.x + invite.width / 2.0,
        invite.y + invite.height / 2.0,
    );
    assert!(
        region.x <= cx
            && cx <= region.x + region.width
            && region.y <= cy
            && cy <= region.y + region.height,
        "the changed region {region:?} covers where \"Invite a user\" was ({invite:?})"
    );
    let mut marked = 0;
    for (x, y, p) in img.enumerate_pixels() {
        let inside = |b: f64| {
            f64::from(x) >= region.x - b
                && f64::from(x) <= region.x + region.width + b
                && f64::from(y) >= region.y - b
                && f64::from(y) <= region.y + region.height + b
        };
        if p.0 == CHANGED {
            marked += 1;
            // Changed pixels, and the box drawn 4 px around them.
            assert!(
                inside(6.0),
                "a marked pixel at ({x}, {y}) outside {region:?}"
            );
        }
    }
    assert!(marked > 100, "{marked} changed pixels marked");
}

#[test]
fn a_missing_reference_is_a_note_unless_strict() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("shots");
    let empty = tmp.path().join("none");

    let loose = run(LOGIN, &out, "loose", &empty).run();
    binary::assert_exit(&loose, 0);
    let m = manifest(&out.join("loose/xero/login"));
    for s in &m.steps {
        let v = s.visual.as_ref().expect("compared");
        assert!(!v.found && !v.over);
        assert!(
            v.note
                .as_deref()
                .is_some_and(|n| n.starts_with("no reference image")),
            "{v:?}"
        );
    }

    let strict = run(LOGIN, &out, "strict", &empty)
        .arg("--compare-strict")
        .run();
    binary::assert_exit(&strict, 1);
    let m = manifest(&out.join("strict/xero/login"));
    let failed = m.failed_step().expect("a failed step");
    assert_eq!(failed.number, 1);
    let failure = failed.failure.as_ref().expect("its failure");
    assert_eq!(failure.kind, FailureKind::Visual);
    assert!(
        failure.message.contains("no reference image"),
        "{}",
        failure.message
    );
}
