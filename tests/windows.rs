//! Windows and tabs (issue 10, part 4): a click on a `target=_blank` link
//! and on a `window.open` button is recorded in the step's record and the
//! run stays in its window; `switch_window` by title, by url and `main`,
//! `close_window`; each step's screenshot shows the window it acted in
//! (each page has its own background colour); and a target missing right
//! after a step that opened a window says to switch. Real headless
//! Chromium, pages on 127.0.0.1.

use std::path::Path;

mod binary;

use binary::{serve_pages, Reply};
use clickpath::outcome::RunOutcome;

/// `/` Users (white) with a link **Help centre** to a new tab and a button
/// **Open report** that calls `window.open`; `/help` (red) has **Close
/// help**; `/report` (blue) opens after a while (its title comes late).
fn site() -> u16 {
    serve_pages(|target| {
        let page = |title: &str, colour: &str, body: &str| {
            Reply::ok(format!(
                "<!doctype html><title>{title}</title>\
                 <style>html, body {{ background: {colour}; margin: 0 }}</style>{body}"
            ))
        };
        match target {
            "/" => page(
                "Users",
                "#ffffff",
                "<h1>Users</h1><a href=\"/help\" target=\"_blank\">Help centre</a> \
                 <button onclick=\"window.open('/report')\">Open report</button>",
            ),
            "/help" => page(
                "Help centre \u{2013} Acme",
                "#ff0000",
                "<h1>Help</h1><button>Close help</button>",
            ),
            "/report" => page(
                "Loading",
                "#0000ff",
                "<h1>Report</h1><script>setTimeout(() => document.title = 'Monthly report', 500)</script>",
            ),
            _ => Reply::status("404 Not Found", ""),
        }
    })
}

/// Run `steps` against the site; returns (exit code, stderr, manifest, evidence dir).
fn run(
    dir: &Path,
    port: u16,
    name: &str,
    steps: &str,
) -> (Option<i32>, String, RunOutcome, std::path::PathBuf) {
    let r = binary::run_steps(dir, port, "site", name, steps, |c| {
        c.env("CLICKPATH_TEST_MARKER", marker(name))
    });
    (r.code, r.err, r.manifest, r.evidence)
}

/// The marker the browser processes of the run of runbook `name` carry.
fn marker(name: &str) -> String {
    format!("windows-{name}-{}", std::process::id())
}

/// The colour of a step's screenshot near its top-left corner.
fn colour(evidence: &Path, m: &RunOutcome, step: usize) -> [u8; 3] {
    let shot = m.steps[step - 1]
        .screenshot
        .as_deref()
        .unwrap_or_else(|| panic!("step {step} has a screenshot"));
    let img = image::open(evidence.join(shot))
        .unwrap_or_else(|e| panic!("{shot}: {e}"))
        .to_rgb8();
    img.get_pixel(img.width() - 5, img.height() - 5).0
}

const WHITE: [u8; 3] = [255, 255, 255];
const RED: [u8; 3] = [255, 0, 0];
const BLUE: [u8; 3] = [0, 0, 255];

#[test]
fn issue_10_a_new_tab_is_recorded_switched_to_and_closed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m, evidence) = run(
        tmp.path(),
        port,
        "help",
        "  - doc: Open the users page\n    goto: /\n\
         \x20 - doc: Click **Help centre**\n    click: {link: Help centre}\n\
         \x20 - doc: The users page is still shown\n    expect: {heading: Users}\n\
         \x20 - doc: Go to the help tab\n    switch_window: {title: help centre - acme}\n\
         \x20 - doc: It is the help\n    expect: {heading: Help}\n\
         \x20 - doc: Close the help\n    close_window: true\n\
         \x20 - doc: Back on the users page\n    expect: {heading: Users}\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let opened = &m.steps[1].opened_windows;
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert_eq!(opened[0].title, "Help centre \u{2013} Acme");
    assert!(opened[0].url.ends_with("/help"), "{opened:?}");
    assert_eq!(m.steps[1].title.as_deref(), Some("Users"), "the run stays");
    assert_eq!(colour(&evidence, &m, 2), WHITE);
    assert_eq!(
        colour(&evidence, &m, 4),
        RED,
        "the switch shows the help tab"
    );
    assert_eq!(
        m.steps[3].title.as_deref(),
        Some("Help centre \u{2013} Acme")
    );
    assert_eq!(colour(&evidence, &m, 5), RED);
    assert_eq!(
        colour(&evidence, &m, 6),
        WHITE,
        "closed: back to its opener"
    );
    assert_eq!(m.steps[6].title.as_deref(), Some("Users"));
}

#[test]
fn issue_10_a_window_open_is_followed_by_url_and_back_to_main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m, evidence) = run(
        tmp.path(),
        port,
        "report",
        "  - doc: Open the users page\n    goto: /\n\
         \x20 - doc: Click **Open report**\n    click: {button: Open report}\n\
         \x20 - doc: Go to the report\n    switch_window: {url: /REPORT}\n\
         \x20 - doc: It is the report\n    expect: {title: Monthly report}\n\
         \x20 - doc: Back to the users page\n    switch_window: main\n\
         \x20 - doc: Users\n    expect: {heading: Users}\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let opened = &m.steps[1].opened_windows;
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert!(opened[0].url.ends_with("/report"), "{opened:?}");
    assert_eq!(colour(&evidence, &m, 3), BLUE);
    assert_eq!(colour(&evidence, &m, 4), BLUE);
    assert_eq!(colour(&evidence, &m, 5), WHITE);
    assert_eq!(
        m.steps[2].locator.as_deref(),
        Some("window at url \"/REPORT\"")
    );
    // The run ended with two windows open: both go with the session.
    binary::assert_no_processes_left(&marker("report"), std::time::Duration::from_secs(10));
}

#[test]
fn issue_10_a_switch_to_a_window_that_never_opens_lists_the_windows() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m, evidence) = run(
        tmp.path(),
        port,
        "nowindow",
        "  - doc: Open the users page\n    goto: /\n\
         \x20 - doc: Click **Help centre**\n    click: {link: Help centre}\n\
         \x20 - doc: Go to the billing tab\n    switch_window: {title: Billing}\n    timeout: 1s\n",
    );
    assert_eq!(code, Some(1), "{err}");
    let failed = m.failed_step().expect("the switch failed");
    let message = &failed.failure.as_ref().expect("failure").message;
    assert!(
        message.starts_with("no window whose title contains \"Billing\" within 1s; open windows: \"Help centre \u{2013} Acme\" http://127.0.0.1:"),
        "{message}"
    );
    assert!(message.contains("\"Users\" http://127.0.0.1:"), "{message}");
    assert_eq!(colour(&evidence, &m, 3), WHITE, "still in the users window");
}

#[test]
fn issue_10_a_target_missing_after_a_new_tab_says_to_switch() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m, _) = run(
        tmp.path(),
        port,
        "noswitch",
        "  - doc: Open the users page\n    goto: /\n\
         \x20 - doc: Click **Help centre**\n    click: {link: Help centre}\n\
         \x20 - doc: Click **Close help**\n    click: {button: Close help}\n    timeout: 1s\n",
    );
    assert_eq!(code, Some(1), "{err}");
    let d = m
        .failed_step()
        .and_then(|s| s.failure.as_ref())
        .and_then(|f| f.diagnosis.as_ref())
        .expect("diagnosed");
    assert!(
        d.summary.starts_with(
            "the previous step opened a new window (\"Help centre \u{2013} Acme\" http://127.0.0.1:"
        ),
        "{}",
        d.summary
    );
    assert!(
        d.summary.ends_with(
            "add `switch_window: {title: \"Help centre \u{2013} Acme\"}` before this step"
        ),
        "{}",
        d.summary
    );
    assert!(
        d.summary
            .contains("/help) where button \"Close help\" is, and the run stays"),
        "{}",
        d.summary
    );
    assert!(err.contains("switch_window"), "{err}");
}

#[test]
fn issue_10_the_last_window_is_not_closed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let (code, err, m, _) = run(
        tmp.path(),
        port,
        "last",
        "  - doc: Open the users page\n    goto: /\n\
         \x20 - doc: Close it\n    close_window: true\n",
    );
    assert_eq!(code, Some(2), "a usage error: {err}");
    let failed = m.failed_step().expect("failed");
    assert_eq!(
        failed.failure.as_ref().map(|f| f.message.as_str()),
        Some("close_window would close the last window of the session")
    );
}
