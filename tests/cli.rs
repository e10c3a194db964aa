//! `clickpath run` as a user meets it: setup errors that stop before any
//! browser starts (exit 2, a clear sentence, never a secret), the dry run,
//! and the reports and CI annotations of a run that fails at a drifted step.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

mod binary;

use binary::{assert_no_processes_left, poll, processes_with_marker, stderr, Clickpath};

#[test]
fn a_missing_secret_stops_the_run_before_a_browser_starts_and_names_only_the_variable() {
    let err = Clickpath::new()
        .args([
            "run",
            "--var",
            "customer=acme",
            "--var",
            "login_email=me@example.com",
            "runbooks/xero/10-invite_user.yaml",
        ])
        .env("XERO_PASSWORD", "")
        .env("XERO_TOTP_SEED", "")
        .expect_exit(2);
    assert!(err.contains("XERO_PASSWORD"), "{err}");
}

#[test]
fn a_missing_required_var_is_a_setup_error() {
    let err = Clickpath::new()
        .args(["run", "--dry-run", "runbooks/xero/10-invite_user.yaml"])
        .env("XERO_PASSWORD", "pw-value-1")
        .env("XERO_TOTP_SEED", "JBSWY3DP")
        .expect_exit(2);
    assert!(err.contains("--var customer=..."), "{err}");
    assert!(!err.contains("pw-value-1"), "a secret leaked: {err}");
}

#[test]
fn dry_run_lists_every_step_with_locator_source_line_and_destructive_mark() {
    let o = Clickpath::new()
        .args([
            "run",
            "--sandbox",
            "--dry-run",
            "runbooks/xero/10-invite_user.yaml",
        ])
        .run();
    binary::assert_exit(&o, 0);
    let out = binary::stdout(&o);
    assert!(out.contains("xero/invite_user"), "{out}");
    assert!(
        out.contains("secrets: password, totp_seed (values hidden)"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.contains("click")
            && l.contains("button \"Send invite\"")
            && l.contains("[destructive]")
            && l.contains("runbooks/xero/10-invite_user.yaml:")),
        "{out}"
    );
    assert!(!out.contains(clickpath::sandbox::SANDBOX_PASSWORD), "{out}");
}

#[test]
fn a_missing_chromedriver_says_how_to_install_it() {
    let out = tempfile::tempdir().expect("temp dir");
    // A missing driver is the environment's fault: exit 3.
    let err = Clickpath::new()
        .args([
            "run",
            "--sandbox",
            "--chromedriver",
            "/nonexistent/chromedriver",
            "--out",
        ])
        .arg(out.path())
        .arg("runbooks/qbo/10-add_user.yaml")
        .expect_exit(3);
    assert!(
        err.contains("apt-get install chromium chromium-driver"),
        "{err}"
    );
}

#[test]
fn unknown_paths_and_report_kinds_are_usage_errors() {
    let err = Clickpath::new()
        .args(["run", "--sandbox", "runbooks/nope.yaml"])
        .expect_exit(2);
    assert!(err.contains("runbooks/nope.yaml"), "{err}");
    let err = Clickpath::new()
        .args(["run", "--sandbox", "--report", "tap=x"])
        .expect_exit(2);
    assert!(err.contains("junit=PATH"), "{err}");
}

/// A run against a drifted sandbox writes every report and, on GitHub
/// Actions, an `::error` annotation pointing at the runbook line.
#[test]
fn issue_6_a_drifted_run_writes_reports_and_github_annotations() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let t = tmp.path();
    let (junit, json, html) = (t.join("junit.xml"), t.join("r.json"), t.join("html"));
    let o = Clickpath::new()
        .args([
            "run",
            "--sandbox",
            "--variant",
            "renamed-invite",
            "--timeout",
            "2s",
            "--out",
        ])
        .arg(t.join("shots"))
        .args(["--report", &format!("junit={}", junit.display())])
        .args(["--report", &format!("json={}", json.display())])
        .args(["--report", &format!("html={}", html.display())])
        .arg("runbooks/xero/10-invite_user.yaml")
        .env("GITHUB_ACTIONS", "true")
        .run();
    binary::assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("step 13 of runbooks/xero/10-invite_user.yaml failed"),
        "{err}"
    );

    let stdout = binary::stdout(&o);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("no annotation in {stdout}"));
    assert!(
        line.starts_with("::error file=runbooks/xero/10-invite_user.yaml,line="),
        "{line}"
    );
    assert!(
        line.contains("Invite user"),
        "suggestion in the annotation: {line}"
    );

    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.contains("<failure"), "{xml}");
    assert!(xml.contains("step 13"), "{xml}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written"))
            .expect("json parses");
    assert_eq!(report["schema"], "clickpath-report/2");
    let failure = &report["runbooks"][0]["failure"];
    assert_eq!(failure["step"], 13, "{failure}");
    assert_eq!(failure["diagnosis"]["class"], "renamed", "{failure}");
    assert_eq!(
        failure["diagnosis"]["suggestion"]["name"], "Invite user",
        "{failure}"
    );
    assert!(
        xml.contains("renamed: "),
        "diagnosis in the JUnit failure: {xml}"
    );
    let index = std::fs::read_to_string(html.join("index.html")).expect("html written");
    assert!(
        index.contains("Invite a User"),
        "doc text in the HTML report"
    );
    assert!(
        Path::new(&html).join("img").is_dir(),
        "screenshots copied next to the page"
    );
    for text in [&xml, &index, &err, &stdout] {
        assert!(!text.contains(clickpath::sandbox::SANDBOX_PASSWORD));
    }
}

/// Ctrl-C in the middle of a run closes the browser and the driver: exit 130,
/// and no chromedriver or Chromium of the run is left.
#[test]
fn ctrl_c_closes_the_browser_and_driver() {
    let out = tempfile::tempdir().expect("temp dir");
    let marker = format!("ctrlc-{}", std::process::id());
    let child = Clickpath::new()
        .args(["run", "--sandbox", "--out"])
        .arg(out.path())
        .arg("runbooks/myxero")
        .env("CLICKPATH_TEST_MARKER", &marker)
        .spawn();
    // Interrupt mid-run: once the first step's screenshot is on disk.
    let running = poll(Duration::from_secs(60), || {
        let procs = processes_with_marker(&marker);
        if has_png(out.path()) {
            Ok(procs)
        } else {
            Err(procs)
        }
    })
    .unwrap_or_else(|procs| panic!("no step finished within 60 s; running: {procs:#?}"));
    assert!(
        running.iter().any(|(_, c)| c.contains("chromium")),
        "the browser runs before the interrupt: {running:#?}"
    );
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let o = child.wait_with_output().expect("clickpath exits");
    binary::assert_exit(&o, 130);
    assert_no_processes_left(&marker, Duration::from_secs(10));
}

fn has_png(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let p = e.path();
            if p.is_dir() && !p.is_symlink() {
                has_png(&p)
            } else {
                p.extension().is_some_and(|x| x == "png")
            }
        })
}

/// A runbook with a manual step, in a temp dir: open the QBO sign-in page,
/// pause for a person, then check the page.
fn pause_runbook(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("manual.yaml");
    std::fs::write(
        &path,
        "name: A manual step\nprovider: qbo\nbase_url: https://qbo.intuit.com\nsteps:\n\
         \x20 - doc: Open QuickBooks\n    goto: /\n\
         \x20 - doc: Look at the sign-in page, then press Enter\n    pause: Check the sign-in page\n\
         \x20 - doc: The sign-in page is shown\n    expect: {heading: Sign in to QuickBooks}\n",
    )
    .expect("write the runbook");
    path
}

/// `--headed` shows a real window (under Xvfb here, as there is no display)
/// and a `pause` step waits for Enter; with standard input closed the pause
/// fails instead of pretending a person did the step.
#[test]
fn headed_runs_show_the_window_and_pause_waits_for_enter() {
    assert!(
        Command::new("xvfb-run")
            .arg("--help")
            .output()
            .is_ok(),
        "xvfb-run is not installed: install it with `apt-get install xvfb` (or run ./scripts/deps.sh)"
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let runbook = pause_runbook(tmp.path());
    let marker = format!("headed-{}", std::process::id());
    let headed = |id: &str| {
        Clickpath::new()
            .through(["xvfb-run", "-a"])
            .env("CLICKPATH_TEST_MARKER", &marker)
            .args(["run", "--sandbox", "--headed", "--timeout", "5s"])
            .out(&tmp.path().join("shots"), id)
            .arg(&runbook)
    };

    let mut child = headed("answered").stdin(Stdio::piped()).spawn();
    // While the run waits at the pause, the browser is up, and not headless.
    let browser = poll(Duration::from_secs(30), || {
        let procs = processes_with_marker(&marker);
        let browser: Vec<_> = procs
            .iter()
            .filter(|(_, cmd)| cmd.contains("--user-data-dir=") && cmd.contains("chromium"))
            .cloned()
            .collect();
        if browser.is_empty() {
            Err(procs)
        } else {
            Ok(browser)
        }
    })
    .unwrap_or_else(|procs| panic!("no browser started within 30 s; running: {procs:#?}"));
    assert!(
        browser.iter().all(|(_, cmd)| !cmd.contains("--headless")),
        "--headed started a headless browser: {browser:?}"
    );
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(b"\n").expect("press Enter");
    }
    let o = child.wait_with_output().expect("clickpath exits");
    binary::assert_exit(&o, 0);
    let err = stderr(&o);
    assert!(err.contains("paused: Check the sign-in page"), "{err}");
    let m = binary::manifest(&tmp.path().join("shots/answered/qbo/manual"));
    assert!(m.browser.headed, "the manifest records a headed run");
    assert_eq!(m.status.name(), "passed");

    // Nobody at the terminal to do the manual step: a usage error, exit 2.
    let err = headed("closed").expect_exit(2);
    assert!(err.contains("step 2 of"), "{err}");
    assert!(err.contains("standard input is closed"), "{err}");
}

/// A flow's runbooks need not share their vars: `--var group=...` is fine
/// when one runbook of the run declares `group` and the other does not, and
/// each runbook gets only what it declares; a var no runbook declares is a
/// usage error naming it (issue 12: the benchmark's grant-then-revoke flow
/// is one `clickpath run`).
#[test]
fn a_var_needs_one_runbook_of_the_run_that_declares_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, vars: &str| {
        let path = tmp.path().join(name);
        std::fs::write(
            &path,
            format!(
                "name: {name}\nprovider: demo\nbase_url: http://127.0.0.1:9/\n{vars}\
                 steps:\n  - doc: Open it\n    goto: /\n"
            ),
        )
        .expect("write runbook");
        path
    };
    let grant = write("grant.yaml", "vars:\n  group:\n    required: true\n");
    let revoke = write("revoke.yaml", "");
    let o = Clickpath::new()
        .args(["run", "--dry-run", "--var", "group=Support"])
        .arg(&grant)
        .arg(&revoke)
        .run();
    binary::assert_exit(&o, 0);
    let out = binary::stdout(&o);
    assert!(
        out.contains("demo/grant") && out.contains("demo/revoke"),
        "{out}"
    );

    let err = Clickpath::new()
        .args(["run", "--dry-run", "--var", "team=Ops"])
        .arg(&grant)
        .arg(&revoke)
        .expect_exit(2);
    assert!(
        err.contains("--var team: no runbook of this run declares a var `team` (declared: group)"),
        "{err}"
    );
}
