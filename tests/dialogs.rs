//! Dialogs and HTTP statuses a runbook expects (issue 11): a `confirm()`
//! answered by a `dialog:` step, a dialog that says something else
//! (dismissed, never accepted), and `goto: {url, status}` for a page that
//! documents its own absence, against a real headless Chromium and a small
//! site on 127.0.0.1.

use std::path::Path;

mod binary;

use binary::{serve_pages, Reply};

/// `/` asks `confirm('Remove Drivetrain AI from Acme?')` when **Remove** is
/// clicked and then says `Removed` or `Kept`; `/gone` answers 404.
fn site() -> u16 {
    serve_pages(|target| {
        if target == "/" {
            Reply::ok(
                "<!doctype html><title>Users</title><h1>Users</h1>\
                 <button onclick=\"document.getElementById('r').textContent = \
                 confirm('Remove Drivetrain AI from Acme?') ? 'Removed' : 'Kept'\">Remove</button>\
                 <p id=\"r\"></p>",
            )
        } else {
            Reply::status(
                "404 Not Found",
                "<!doctype html><title>Not found</title><h1>Page not found</h1>",
            )
        }
    })
}

/// Run `steps` (YAML step items) against the site; returns (exit code, stderr, manifest).
fn run(
    dir: &Path,
    port: u16,
    name: &str,
    steps: &str,
) -> (Option<i32>, String, clickpath::outcome::RunOutcome) {
    let r = binary::run_steps(dir, port, "site", name, steps, |c| c);
    (r.code, r.err, r.manifest)
}

const OPEN_AND_REMOVE: &str = "  - doc: Open the users page\n    goto: /\n\
                               \x20 - doc: Click **Remove**\n    click: {button: Remove}\n";

#[test]
fn issue_11_a_dialog_step_accepts_the_confirm_the_previous_step_opened() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m) = run(
        tmp.path(),
        port,
        "accept",
        &format!(
            "{OPEN_AND_REMOVE}\
             \x20 - doc: Confirm with **OK**\n    dialog: {{accept: true, text: Remove Drivetrain AI}}\n\
             \x20 - doc: The user is removed\n    expect: {{text: Removed}}\n"
        ),
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        m.steps[1].dialog.as_deref(),
        Some("Remove Drivetrain AI from Acme?"),
        "the click's record says what the dialog asked"
    );
    assert_eq!(
        m.steps[1].screenshot, None,
        "no screenshot under a native dialog"
    );
    assert!(m.steps[2].screenshot.is_some() && m.steps[3].screenshot.is_some());
}

#[test]
fn issue_11_a_dialog_that_asks_something_else_is_dismissed_and_fails() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m) = run(
        tmp.path(),
        port,
        "other",
        &format!(
            "{OPEN_AND_REMOVE}\
             \x20 - doc: Confirm with **OK**\n    dialog: {{accept: true, text: Remove Xero Support}}\n"
        ),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("the dialog says \"Remove Drivetrain AI from Acme?\", not \"Remove Xero Support\"; it was dismissed"),
        "{err}"
    );
    let failed = m.failed_step().expect("the dialog step failed");
    assert_eq!(failed.number, 3);
    assert_eq!(
        failed.failure.as_ref().map(|f| f.kind.name()),
        Some("dialog")
    );
    assert!(
        failed.screenshot.is_some(),
        "the failure screenshot, dialog gone"
    );
}

#[test]
fn issue_11_a_confirm_nobody_answers_fails_the_click() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m) = run(
        tmp.path(),
        port,
        "unanswered",
        &format!("{OPEN_AND_REMOVE}  - doc: The user is removed\n    expect: {{text: Removed}}\n"),
    );
    assert_eq!(code, Some(1), "{err}");
    let failed = m.failed_step().expect("the click failed");
    assert_eq!(failed.number, 2);
    assert_eq!(
        failed.dialog.as_deref(),
        Some("Remove Drivetrain AI from Acme?")
    );
    assert_eq!(
        failed.failure.as_ref().map(|f| f.kind.name()),
        Some("dialog")
    );
}

#[test]
fn issue_11_a_goto_answered_404_fails_unless_the_runbook_expects_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m) = run(
        tmp.path(),
        port,
        "missing",
        "  - doc: Open the old settings page\n    goto: /settings/old\n",
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("the server answered HTTP 404 for"), "{err}");
    assert_eq!(
        m.failed_step()
            .and_then(|s| s.failure.as_ref())
            .map(|f| f.kind.name()),
        Some("status")
    );
    let (code, err, _) = run(
        tmp.path(),
        port,
        "expected",
        "  - doc: The old settings page is gone\n    goto: {url: /settings/old, status: 404}\n\
         \x20 - doc: It says so\n    expect: {heading: Page not found}\n",
    );
    assert_eq!(code, Some(0), "{err}");
}
