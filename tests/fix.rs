//! From drift to fix (issue 13, "A patch" and "The article's line"): a
//! drifted sandbox screen fails a copy of the Xero runbooks; the run writes
//! `fix.patch` beside its manifest and names the help article's line;
//! `clickpath fix` shows the same diff without touching the file, `--write`
//! applies it, `check` accepts the result and the re-run passes. Real
//! binary, headless Chromium, the built-in sandbox (`--sandbox --variant`).
//!
//! See: issue 13, "From drift to fix".

use std::path::{Path, PathBuf};

mod binary;

use binary::{manifest, require_browser, stderr, stdout, Clickpath};
use clickpath::runbook::Edit;

const RUNBOOK: &str = "runbooks/xero/10-invite_user.yaml";

/// A copy of the Xero runbooks at `<tmp>/a/b/runbooks/xero/`, with the
/// article their `source:` names at the same relative place
/// (`<tmp>/a/shared/seeds/`), so the test never edits the repository.
/// Returns the directory to run in (`<tmp>/a/b`).
fn copy_runbooks(tmp: &Path) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tmp.join("a/b");
    let xero = work.join("runbooks/xero");
    std::fs::create_dir_all(&xero).expect("runbook dir");
    for entry in std::fs::read_dir(repo.join("runbooks/xero")).expect("runbooks/xero") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, xero.join(name)).expect("copy runbook");
        }
    }
    let text = std::fs::read_to_string(xero.join("10-invite_user.yaml")).expect("runbook");
    let source = text
        .lines()
        .find_map(|l| l.strip_prefix("source: "))
        .expect("the runbook names its article");
    let article = repo.join("runbooks/xero").join(source);
    let copy = xero.join(source);
    std::fs::create_dir_all(copy.parent().expect("a directory")).expect("article dir");
    std::fs::copy(&article, &copy)
        .unwrap_or_else(|e| panic!("the article {}: {e}", article.display()));
    work
}

/// `clickpath run --sandbox [--variant V] --var customer=acme` of the
/// invite runbook in `work`, evidence under `work/shots/<run_id>`.
fn run(work: &Path, variant: Option<&str>, run_id: &str) -> (Option<i32>, String) {
    let mut c = Clickpath::new().current_dir(work).args([
        "run",
        "--sandbox",
        "--var",
        "customer=acme",
        "--timeout",
        "3s",
    ]);
    if let Some(v) = variant {
        c = c.args(["--variant", v]);
    }
    let out = c.out(Path::new("shots"), run_id).arg(RUNBOOK).run();
    (out.status.code(), stderr(&out))
}

/// A drifted run of the copy in `work` that fails with a patch whose
/// changed lines are `minus` and `plus`, made of `edit`, recorded in the
/// manifest with the article's line (also on stderr); then `fix` shows the
/// same diff without changing the file, `fix --write` applies it and
/// `check` accepts the result. Returns the patch.
fn fix_drift(
    work: &Path,
    variant: &str,
    run_id: &str,
    edits: &[Edit],
    minus: &[&str],
    plus: &[&str],
) -> String {
    let file = work.join(RUNBOOK);
    let original = std::fs::read_to_string(&file).expect("runbook");
    let (code, err) = run(work, Some(variant), run_id);
    assert_eq!(code, Some(1), "{variant}: a drifted screen fails:\n{err}");
    let flow = work.join("shots").join(run_id).join("xero/invite_user");
    let patch = std::fs::read_to_string(flow.join("fix.patch"))
        .unwrap_or_else(|e| panic!("{variant}: fix.patch beside the manifest: {e}\n{err}"));
    assert!(
        patch.starts_with(&format!("--- a/{RUNBOOK}\n+++ b/{RUNBOOK}\n@@ ")),
        "{variant}: {patch}"
    );
    let changed = |sign: char| -> Vec<&str> {
        patch
            .lines()
            .filter(|l| l.starts_with(sign) && !l.starts_with("---") && !l.starts_with("+++"))
            .map(|l| &l[1..])
            .collect()
    };
    assert_eq!(changed('-'), minus, "{variant}: removed lines\n{patch}");
    assert_eq!(changed('+'), plus, "{variant}: added lines\n{patch}");

    // The manifest records the same patch, its edit and the article line.
    let m = manifest(&flow);
    let fix = m
        .fix()
        .unwrap_or_else(|| panic!("{variant}: the manifest has the fix"));
    assert_eq!(fix.patch, "fix.patch");
    assert_eq!(fix.diff, patch);
    assert_eq!(fix.files, vec![PathBuf::from(RUNBOOK)]);
    let failed = m.failed_step().expect("a failed step");
    let recorded: Vec<Edit> = fix.edits.iter().map(|e| e.edit.clone()).collect();
    assert_eq!(recorded, edits, "{variant}");
    assert!(fix
        .edits
        .iter()
        .all(|e| e.step == failed.number && e.line == failed.source.line));
    let words = fix.edits[0].words.as_deref().expect("the old words");
    let locator = failed.locator.as_deref().unwrap_or_default();
    assert!(
        locator.contains(&format!("{words:?}")),
        "{words} in {locator}"
    );
    let article = fix.article.first().expect("the article line");
    let note = format!(
        "= article: ../shared/seeds/000_95b41b44f5458ec7.txt:{} quotes {:?}; the documentation needs the same change",
        article.line, article.quotes
    );
    assert!(err.contains(&note), "{variant}: `{note}` in:\n{err}");
    assert!(
        err.contains("= fix: ") && err.contains("fix.patch"),
        "{variant}: the fix note:\n{err}"
    );

    // A dry run prints the same diff and leaves the file alone.
    let run_dir = format!("shots/{run_id}");
    let out = Clickpath::new()
        .current_dir(work)
        .args(["fix", &run_dir])
        .run();
    binary::assert_exit(&out, 0);
    assert_eq!(stdout(&out), patch, "{variant}: `fix` prints the patch");
    assert!(stderr(&out).contains("run with --write to apply"));
    assert_eq!(std::fs::read_to_string(&file).expect("runbook"), original);

    // --write applies it (through `latest`); check accepts the result.
    let err = Clickpath::new()
        .current_dir(work)
        .args(["fix", "shots/latest", "--write"])
        .expect_exit(0);
    assert!(err.contains(&format!("patched {RUNBOOK}")), "{err}");
    let patched = std::fs::read_to_string(&file).expect("runbook");
    assert_ne!(patched, original, "{variant}: the file changed");
    for l in plus {
        assert!(patched.contains(l), "{variant}: `{l}` in\n{patched}");
    }
    Clickpath::new()
        .current_dir(work)
        .args(["check", RUNBOOK])
        .expect_exit(0);
    // Nothing left to do for this run.
    let err = Clickpath::new()
        .current_dir(work)
        .args(["fix", &run_dir])
        .expect_exit(1);
    assert!(err.contains("already"), "{err}");
    patch
}

/// The same drifted screen passes with the fixed copy in `work`.
fn passes_now(work: &Path, variant: &str) {
    let (code, err) = run(work, Some(variant), "fixed");
    assert_eq!(code, Some(0), "{variant}: the fixed runbook passes:\n{err}");
}

/// A fresh copy of the runbooks for one test: (temp dir guard, work dir).
fn fresh() -> (tempfile::TempDir, PathBuf) {
    require_browser();
    let tmp = tempfile::tempdir().expect("temp dir");
    let work = copy_runbooks(tmp.path());
    (tmp, work)
}

// See: issue 13. The invite button renamed: a rename of its words.
#[test]
fn issue_13_renamed_invite_is_fixed_by_renaming_the_button() {
    let (_tmp, work) = fresh();
    let patch = fix_drift(
        &work,
        "renamed-invite",
        "drifted",
        &[Edit::Rename {
            by: "button".into(),
            name: "Invite user".into(),
        }],
        &["    click: {button: Invite a user}"],
        &["    click: {button: Invite user}"],
    );
    passes_now(&work, "renamed-invite");
    println!("{patch}");
    // Two lines added above: the recorded line now holds another step, and
    // `fix` says so instead of editing it.
    let file = work.join(RUNBOOK);
    let text = std::fs::read_to_string(&file).expect("runbook");
    let moved = format!("# moved\n# down\n{text}");
    std::fs::write(&file, &moved).expect("write runbook");
    let err = Clickpath::new()
        .current_dir(&work)
        .args(["fix", "shots/drifted", "--write"])
        .expect_exit(1);
    assert!(
        err.contains(&format!("{RUNBOOK}:25: cannot use button \"Invite user\": the step there now names `Users`, not `Invite a user`")),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("runbook"), moved);
}

// See: issue 13. The invite button moved into the "More" menu, where it is
// a menu item: one fix inserts a click on "More" before the step and makes
// the step click a `menuitem`.
#[test]
fn issue_13_moved_invite_is_fixed_by_opening_the_menu_first() {
    let (_tmp, work) = fresh();
    fix_drift(
        &work,
        "moved-invite",
        "drifted",
        &[
            Edit::RevealFirst {
                by: "button".into(),
                name: "More".into(),
            },
            Edit::Rename {
                by: "menuitem".into(),
                name: "Invite a user".into(),
            },
        ],
        &["    click: {button: Invite a user}"],
        &[
            "  - doc: Click **More** (added by clickpath fix)",
            "    click: {button: More}",
            "    click: {menuitem: Invite a user}",
        ],
    );
    passes_now(&work, "moved-invite");
}

// See: issue 13. The email field relabelled: the label's words change, the
// value with its `{customer}` stays.
#[test]
fn issue_13_relabelled_email_is_fixed_by_renaming_the_label() {
    let (_tmp, work) = fresh();
    fix_drift(
        &work,
        "relabelled-email",
        "drifted",
        &[Edit::Rename {
            by: "label".into(),
            name: "Email address".into(),
        }],
        &["    fill: {label: Email, value: \"dp-{customer}@drivetrain.ai\"}"],
        &["    fill: {label: Email address, value: \"dp-{customer}@drivetrain.ai\"}"],
    );
    passes_now(&work, "relabelled-email");
}

// See: issue 13. A drift with no suggestion and no last good run (the
// field is gone) has nothing to fix, nor has a run that passed, and `fix`
// says so. Once a passing run is there, the same drift is a field removed
// between neighbours that stayed, and the fix removes its step.
#[test]
fn issue_13_a_passed_or_gone_run_has_nothing_to_fix() {
    let (_tmp, work) = fresh();
    let (code, err) = run(&work, Some("removed-last-name"), "gone");
    assert_eq!(code, Some(1), "{err}");
    assert!(!work.join("shots/gone/xero/invite_user/fix.patch").exists());
    assert!(!err.contains("= fix:"), "{err}");
    let err = Clickpath::new()
        .current_dir(&work)
        .args(["fix", "shots/gone"])
        .expect_exit(1);
    assert!(
        err.contains("its failure has no suggestion (gone)"),
        "{err}"
    );
    let (code, err) = run(&work, None, "ok");
    assert_eq!(code, Some(0), "{err}");
    assert!(!work.join("shots/ok/xero/invite_user/fix.patch").exists());
    let err = Clickpath::new()
        .current_dir(&work)
        .args(["fix", "shots/ok"])
        .expect_exit(1);
    assert!(err.contains("the run passed"), "{err}");
    assert!(err.contains("nothing to fix under shots/ok"), "{err}");
    // With "ok" as the last good run, the field is known removed.
    let patch = fix_drift(
        &work,
        "removed-last-name",
        "removed",
        &[Edit::RemoveStep],
        &[
            "  - doc: \"**Last name:** AI\"",
            "    fill: {label: Last name, value: AI}",
        ],
        &[],
    );
    assert!(
        patch.contains("-    fill: {label: Last name, value: AI}"),
        "{patch}"
    );
    passes_now(&work, "removed-last-name");
    // Not a run directory: a usage error.
    Clickpath::new()
        .current_dir(&work)
        .args(["fix", "shots/none"])
        .expect_exit(2);
}
