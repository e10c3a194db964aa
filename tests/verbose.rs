//! `-v` and `-vv` as a user meets them: `-v` says what clickpath does with
//! the browser (start, session, close) and, per step, the commands it sent
//! with their times (issue 12); `-vv` adds every WebDriver command as it is
//! sent, and neither ever prints a secret (issue 9, "Seams").

use std::path::Path;
use std::process::Output;

mod binary;

use binary::{require_browser, Clickpath};

/// `clickpath FLAG run --sandbox` on the xero sign-in, which types the
/// sandbox password (a secret) and a one-time code.
fn sign_in(flag: &str, out: &Path) -> Output {
    Clickpath::new()
        .args([flag, "run", "--sandbox", "--out"])
        .arg(out)
        .arg("runbooks/xero/login.yaml")
        .env("RUST_LOG", "")
        .run()
}

/// The lines of `text` that carry `needle`.
fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

/// `webdriver: NAME … N ms` lines: the command named and a whole number of ms.
fn timed(line: &str, name: &str) -> bool {
    let Some(rest) = line
        .split_once(&format!("webdriver: {name} "))
        .map(|(_, r)| r)
    else {
        return false;
    };
    rest.strip_suffix(" ms")
        .and_then(|r| r.rsplit(' ').next())
        .is_some_and(|n| n.parse::<u64>().is_ok())
}

#[test]
fn issue_9_verbose_logs_the_browser_and_its_commands_but_never_a_secret() {
    require_browser();
    let password = clickpath::sandbox::SANDBOX_PASSWORD;
    let tmp = tempfile::tempdir().expect("temp dir");

    let o = sign_in("-v", &tmp.path().join("v"));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    for needle in [
        "browser: starting chromedriver ",
        "browser: session open: chrome ",
        "browser: closed in ",
    ] {
        assert_eq!(
            lines_with(&err, needle).len(),
            1,
            "{needle:?} once in:\n{err}"
        );
    }
    assert!(
        lines_with(&err, "session open")[0].contains("1280x800 headless"),
        "{err}"
    );
    assert!(
        lines_with(&err, "webdriver: ").is_empty(),
        "commands are -vv only:\n{err}"
    );
    // Per step, where its time went: each command with its milliseconds.
    let steps = lines_with(&err, " INFO step ");
    assert!(steps.len() >= 5, "a line per step in:\n{err}");
    let fill = steps
        .iter()
        .find(|l| l.contains("fill label \"Password\""))
        .unwrap_or_else(|| panic!("the password step in:\n{err}"));
    let (_, breakdown) = fill
        .split_once("round trips: ")
        .unwrap_or_else(|| panic!("a breakdown in {fill}"));
    let commands: Vec<&str> = breakdown.trim_end_matches(')').split(", ").collect();
    assert!(
        commands.iter().all(|c| c
            .strip_suffix(" ms")
            .and_then(|c| c.rsplit(' ').next())
            .is_some_and(|n| n.parse::<u64>().is_ok())),
        "every command timed: {fill}"
    );
    let count: usize = fill
        .split(" (")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert_eq!(count, commands.len(), "one entry per round trip: {fill}");
    assert!(fill.contains("cdp Input.insertText "), "{fill}");
    assert!(fill.contains("cdp Page.captureScreenshot "), "{fill}");
    assert!(!err.contains(password), "{err}");

    let o = sign_in("-vv", &tmp.path().join("vv"));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("browser: session open: chrome "), "{err}");
    for name in ["goto", "pointer_click", "execute_async", "cdp"] {
        assert!(
            err.lines().any(|l| timed(l, name)),
            "no timed `{name}` command in:\n{err}"
        );
    }
    // Typed text goes in one DevTools insertion, named by its method only.
    assert!(
        err.contains("webdriver: cdp (Input.insertText) "),
        "the fill's insertion in:\n{err}"
    );
    assert!(!err.contains(password), "the secret leaked:\n{err}");
}
