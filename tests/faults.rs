//! Issue 11, "Survive faults": a run that is signalled, killed, attached to
//! an endpoint that never answers, or sent to a page that never loads ends
//! in bounded time, says so, keeps its evidence, and leaves no process and
//! no browser profile behind.
//!
//! Each test drives the real binary with its own `CLICKPATH_TEST_MARKER`
//! (to find the processes of its run) and its own `TMPDIR` (where the run's
//! Chromium profiles are created, `clickpath-profile-<pid>-…`, so "no profile
//! left" is checked there and nowhere else).
//!
//! See: issue 11 ("Survive faults").

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

mod binary;

use binary::{
    assert_no_processes_left, poll, processes_with_marker, require_browser, serve_pages, Clickpath,
    Reply,
};

/// A runbook long enough to be interrupted after a few of its steps.
const LONG_RUNBOOK: &str = "runbooks/xero/10-invite_user.yaml";

/// One run's temporary world: evidence, temp dir (profiles), marker.
struct Scene {
    tmp: tempfile::TempDir,
    marker: String,
}

impl Scene {
    fn new(tag: &str) -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(tmp.path().join("tmp")).expect("mkdir tmp");
        Scene {
            tmp,
            marker: format!("{tag}-{}", std::process::id()),
        }
    }

    /// The run's `TMPDIR`.
    fn tmpdir(&self) -> PathBuf {
        self.tmp.path().join("tmp")
    }

    fn shots(&self) -> PathBuf {
        self.tmp.path().join("shots")
    }

    fn report(&self) -> PathBuf {
        self.tmp.path().join("report.json")
    }

    /// `clickpath run --sandbox` of [`LONG_RUNBOOK`] with this scene's
    /// marker, temp dir, evidence and a JSON report.
    fn start_long_run(&self) -> Child {
        require_browser();
        Clickpath::new()
            .args(["run", "--sandbox"])
            .out(&self.shots(), "r")
            .arg("--report")
            .arg(format!("json={}", self.report().display()))
            .arg(LONG_RUNBOOK)
            .env("CLICKPATH_TEST_MARKER", &self.marker)
            .env("TMPDIR", self.tmpdir())
            .spawn()
    }

    /// Run a runbook `flow` (provider `site`, title `name`, the YAML step
    /// items `steps`) against a loopback site on `port`, to its end.
    fn run_site(&self, port: u16, flow: &str, name: &str, steps: &str) -> std::process::Output {
        require_browser();
        let runbook = self.tmp.path().join(format!("{flow}.yaml"));
        std::fs::write(
            &runbook,
            format!("name: {name}\nprovider: site\nbase_url: http://127.0.0.1:1\nsteps:\n{steps}"),
        )
        .expect("write runbook");
        Clickpath::new()
            .arg("run")
            .arg("--base-url")
            .arg(format!("http://127.0.0.1:{port}"))
            .out(&self.shots(), "r")
            .args(["--timeout", "5s"])
            .arg(&runbook)
            .env("CLICKPATH_TEST_MARKER", &self.marker)
            .env("TMPDIR", self.tmpdir())
            .run()
    }

    /// The flow directory of [`LONG_RUNBOOK`].
    fn flow_dir(&self) -> PathBuf {
        self.shots().join("r/xero/invite_user")
    }

    /// Wait until the manifest holds at least `n` steps, and the browser and
    /// its profile are there; returns the steps recorded.
    fn wait_for_steps(&self, n: usize) -> usize {
        let manifest = self.flow_dir().join("manifest.json");
        let seen = poll(Duration::from_secs(90), || {
            let steps = std::fs::read_to_string(&manifest)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| v["steps"].as_array().map(Vec::len))
                .unwrap_or(0);
            if steps >= n {
                Ok(steps)
            } else {
                Err((steps, processes_with_marker(&self.marker)))
            }
        })
        .unwrap_or_else(|(steps, procs)| {
            panic!("{steps} steps after 90 s, expected {n}; running: {procs:#?}")
        });
        let procs = processes_with_marker(&self.marker);
        assert!(
            procs.iter().any(|(_, c)| c.contains("chromium")),
            "the browser runs before the fault: {procs:#?}"
        );
        let profiles = self.profiles();
        assert_eq!(profiles.len(), 1, "one profile while running: {profiles:?}");
        assert_user_only(&profiles[0]);
        seen
    }

    /// This run's Chromium profiles still on disk.
    fn profiles(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.tmpdir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("clickpath-profile-")
            })
            .map(|e| e.path())
            .collect()
    }

    /// Nothing of the run is left: no process (the guardian included), no profile.
    fn assert_nothing_left(&self) {
        assert_no_processes_left(&self.marker, Duration::from_secs(10));
        let left = self.profiles();
        assert!(left.is_empty(), "profiles left on disk: {left:?}");
    }
}

#[cfg(unix)]
fn assert_user_only(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir).map(|m| m.permissions().mode());
    assert!(
        matches!(mode, Ok(m) if m & 0o777 == 0o700),
        "{} is not user-only: {mode:?}",
        dir.display()
    );
}

#[cfg(not(unix))]
fn assert_user_only(_dir: &Path) {}

fn send_signal(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -{signal} failed");
}

/// SIGTERM or SIGHUP mid-run: the Ctrl-C path. Exit 130, a message naming
/// the signal, the manifest finalised as interrupted with the steps done so
/// far, the JSON report written, no process and no profile left.
fn signal_mid_run_is_an_interrupt(signal: &str) {
    let scene = Scene::new(&format!("sig{}", signal.to_lowercase()));
    let child = scene.start_long_run();
    let before = scene.wait_for_steps(3);
    send_signal(&child, signal);
    let out = child.wait_with_output().expect("clickpath exits");
    binary::assert_exit(&out, 130);
    let err = binary::stderr(&out);
    assert!(
        err.contains(&format!("interrupted by SIG{signal}")),
        "the message names the signal: {err}"
    );
    let m = binary::manifest(&scene.flow_dir());
    assert_eq!(m.status.name(), "interrupted", "{m:#?}");
    assert!(m.finished_at.is_some(), "finished_at is set");
    assert!(
        m.steps.len() >= before && m.steps.len() < m.steps_total,
        "the steps done so far are kept: {} of {}, {before} seen before the signal",
        m.steps.len(),
        m.steps_total
    );
    // The JSON report covers what was done; its word for a run that did
    // not finish is `incomplete` (docs/reports.md).
    let report = std::fs::read_to_string(scene.report()).expect("the JSON report is written");
    let r: serde_json::Value = serde_json::from_str(&report).expect("the report parses");
    assert_eq!(r["runbooks"][0]["status"], "incomplete", "{report}");
    assert_eq!(
        r["runbooks"][0]["steps"].as_array().map(Vec::len),
        Some(m.steps.len()),
        "{report}"
    );
    scene.assert_nothing_left();
}

#[test]
fn issue_11_sigterm_mid_run_is_an_interrupt_and_leaves_nothing() {
    signal_mid_run_is_an_interrupt("TERM");
}

#[test]
fn issue_11_sighup_mid_run_is_an_interrupt_and_leaves_nothing() {
    signal_mid_run_is_an_interrupt("HUP");
}

/// SIGKILL runs no handler: the guardian stops the browser and removes the
/// profile within seconds.
#[test]
fn issue_11_sigkill_mid_run_leaves_no_process_and_no_profile() {
    let scene = Scene::new("sigkill");
    let mut child = scene.start_long_run();
    scene.wait_for_steps(1);
    let guardian = processes_with_marker(&scene.marker);
    assert!(
        guardian.iter().any(|(_, c)| c.contains("__guard")),
        "a guardian watches the run: {guardian:#?}"
    );
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reaped");
    assert!(!status.success(), "killed: {status}");
    scene.assert_nothing_left();
}

/// A loopback endpoint that accepts every connection and never answers.
fn silent_endpoint() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// `--webdriver` at something that accepts and never answers: exit 3 within
/// `--timeout` plus the grace, naming the endpoint and the command.
#[test]
fn issue_11_an_endpoint_that_never_answers_fails_within_the_deadline() {
    let port = silent_endpoint();
    let tmp = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let err = Clickpath::new()
        .args(["run", "--sandbox", "--timeout", "2s", "--webdriver"])
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("--out")
        .arg(tmp.path())
        .arg("runbooks/qbo/10-add_user.yaml")
        .expect_exit(3);
    let took = started.elapsed();
    // 2 s --timeout + 5 s grace, plus the sandbox's start and the exit.
    assert!(took < Duration::from_secs(15), "took {took:?}: {err}");
    assert!(took >= Duration::from_secs(2), "gave up early: {took:?}");
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("did not answer `new session`"),
        "{err}"
    );
}

/// A server that sends headers and part of a page, then holds the
/// connection: the document never finishes loading.
fn never_loading_server() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n\
                  <html><head><title>Slow</title></head><body><h1>Loading",
            );
            held.push(stream);
        }
    });
    port
}

/// A page that never finishes loading fails after about `--timeout` (3 s),
/// not after chromedriver's old 60 s page-load timeout.
#[test]
fn issue_11_a_page_that_never_loads_fails_after_the_step_timeout() {
    require_browser();
    let port = never_loading_server();
    let tmp = tempfile::tempdir().expect("temp dir");
    let runbook = tmp.path().join("never_loads.yaml");
    std::fs::write(
        &runbook,
        format!(
            "name: A page that never loads\nprovider: slow\nbase_url: http://127.0.0.1:{port}\n\
             steps:\n\
             \x20 - doc: Open the page\n    goto: /\n\
             \x20 - doc: The heading is shown\n    expect: {{heading: Loading}}\n"
        ),
    )
    .expect("write the runbook");
    let marker = format!("neverloads-{}", std::process::id());
    let started = Instant::now();
    let err = Clickpath::new()
        .args(["run", "--timeout", "3s"])
        .out(&tmp.path().join("shots"), "r")
        .arg(&runbook)
        .env("CLICKPATH_TEST_MARKER", &marker)
        .expect_exit(3);
    let took = started.elapsed();
    assert!(
        err.contains("the page did not finish loading within 3s"),
        "{err}"
    );
    let m = binary::manifest(&tmp.path().join("shots/r/slow/never_loads"));
    let step = &m.steps[0];
    assert_eq!(step.status.name(), "failed");
    assert!(
        (2_500..10_000).contains(&step.duration_ms),
        "step 1 failed after {} ms, expected about 3 s",
        step.duration_ms
    );
    assert!(took < Duration::from_secs(40), "the run took {took:?}");
    assert_no_processes_left(&marker, Duration::from_secs(10));
}

/// Ctrl-C already closed the browser; now its manifest is finalised too.
#[test]
fn issue_11_sigint_mid_run_finalises_the_manifest_and_writes_the_report() {
    signal_mid_run_is_an_interrupt("INT");
}

/// Kill one of the run's processes mid-run: the run fails at the next step
/// with an environment error (exit 3) naming the browser, the manifest is
/// finalised as failed with the steps done so far, nothing is left.
fn killed_mid_run(tag: &str, pick: impl Fn(&str) -> bool, what: &str) {
    let scene = Scene::new(tag);
    let child = scene.start_long_run();
    let before = scene.wait_for_steps(3);
    let victims: Vec<String> = processes_with_marker(&scene.marker)
        .into_iter()
        .filter(|(_, cmd)| pick(cmd))
        .map(|(pid, _)| pid)
        .collect();
    assert!(!victims.is_empty(), "no {what} process to kill");
    for pid in &victims {
        let killed = Command::new("kill")
            .args(["-KILL", pid])
            .status()
            .expect("kill runs");
        assert!(killed.success(), "kill -KILL {pid}");
    }
    let out = child.wait_with_output().expect("clickpath exits");
    binary::assert_exit(&out, 3);
    let err = binary::stderr(&out);
    assert!(
        err.contains("the environment failed at this step"),
        "one clear message: {err}"
    );
    let m = binary::manifest(&scene.flow_dir());
    assert_eq!(m.status.name(), "failed", "{m:#?}");
    assert!(m.finished_at.is_some(), "finished_at is set");
    let failed = m.failed_step().expect("a step failed");
    assert!(failed.number > before.min(m.steps_total), "{m:#?}");
    let kind = failed.failure.as_ref().map(|f| f.kind.name());
    assert_eq!(kind, Some("browser"), "{m:#?}");
    // The screenshots taken before the fault are intact PNGs.
    for s in m.steps.iter().filter(|s| s.number < failed.number) {
        let name = s.screenshot.as_deref().expect("a screenshot per step");
        let bytes = std::fs::read(scene.flow_dir().join(name)).expect("screenshot on disk");
        assert!(bytes.starts_with(b"\x89PNG"), "{name} is a PNG");
    }
    scene.assert_nothing_left();
}

#[test]
fn issue_11_chromedriver_killed_mid_run_is_an_environment_failure() {
    killed_mid_run(
        "killdriver",
        |cmd| cmd.contains("chromedriver") && !cmd.contains("__guard"),
        "chromedriver",
    );
}

#[test]
fn issue_11_browser_killed_mid_run_is_an_environment_failure() {
    killed_mid_run(
        "killbrowser",
        |cmd| {
            cmd.contains("chromium") && cmd.contains("--user-data-dir") && !cmd.contains("--type=")
        },
        "Chromium",
    );
}

/// A loopback site that serves its home page once, then goes away: its
/// port is closed (connection refused) before anything else is asked of it.
/// No timing is involved: the link on the home page can only fail.
fn site_that_serves_once() -> u16 {
    serve_pages(|target| {
        if target == "/" {
            Reply {
                last: true,
                ..Reply::ok(
                    "<!doctype html><title>Home</title><h1>Home</h1><a href=\"/next\">Next</a>",
                )
            }
        } else {
            Reply::status("404 Not Found", "not here")
        }
    })
}

/// The page server goes away mid-run: the next navigation lands on the
/// browser's error page, and that step fails (it used to pass "ok" on
/// `chrome-error://chromewebdata/`): exit 3, the cause named.
#[test]
fn issue_11_a_server_that_goes_away_mid_run_fails_the_next_navigation() {
    require_browser();
    let scene = Scene::new("vanish");
    let port = site_that_serves_once();
    let out = scene.run_site(
        port,
        "site",
        "A site that goes away",
        "  - doc: Open the home page\n    goto: /\n\
         \x20 - doc: The home page links to the next page\n    expect: {link: Next}\n\
         \x20 - doc: Click **Next**\n    click: {link: Next}\n\
         \x20 - doc: The next page shows\n    expect: {heading: Next page}\n",
    );
    binary::assert_exit(&out, 3);
    let err = binary::stderr(&out);
    assert!(
        err.contains("step 3 of") && err.contains("net::ERR_CONNECTION_REFUSED"),
        "the failing step and the cause: {err}"
    );
    let m = binary::manifest(&scene.shots().join("r/site/site"));
    assert_eq!(m.status.name(), "failed");
    let failed = m.failed_step().expect("a step failed");
    assert_eq!(failed.number, 3);
    assert_eq!(
        failed.failure.as_ref().map(|f| f.kind.name()),
        Some("navigation")
    );
    scene.assert_nothing_left();
}

/// A loopback page that opens an `alert()` as it loads.
fn alerting_page() -> u16 {
    serve_pages(|_| {
        Reply::ok(
            "<!doctype html><title>Home</title><h1>Home</h1>\
             <script>alert('Your session expires in 1 minute')</script>",
        )
    })
}

/// An `alert()` on load used to be dismissed silently and the step passed:
/// now the step fails (exit 1: the page is not what the runbook says), the
/// dialog's text is in the message and in the manifest, and the failure
/// screenshot is taken once the dialog is dismissed.
#[test]
fn issue_11_an_alert_on_load_fails_the_step_and_is_recorded() {
    require_browser();
    let scene = Scene::new("alert");
    let port = alerting_page();
    let out = scene.run_site(
        port,
        "alert",
        "A page that greets with an alert",
        "  - doc: Open the home page\n    goto: /\n\
         \x20 - doc: The home page shows\n    expect: {heading: Home}\n",
    );
    binary::assert_exit(&out, 1);
    let err = binary::stderr(&out);
    assert!(
        err.contains("step 1 of") && err.contains("Your session expires in 1 minute"),
        "the step and the dialog's text: {err}"
    );
    let dir = scene.shots().join("r/site/alert");
    let m = binary::manifest(&dir);
    let failed = m.failed_step().expect("a step failed");
    assert_eq!(failed.number, 1);
    assert_eq!(
        failed.failure.as_ref().map(|f| f.kind.name()),
        Some("dialog")
    );
    assert_eq!(
        failed.dialog.as_deref(),
        Some("Your session expires in 1 minute")
    );
    let shot = failed.screenshot.as_deref().expect("a failure screenshot");
    let png = std::fs::read(dir.join(shot)).expect("screenshot on disk");
    assert!(png.starts_with(b"\x89PNG"));
    scene.assert_nothing_left();
}
