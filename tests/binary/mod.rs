//! Shared helpers for the tests that drive the built `clickpath` binary
//! (run, cli, drift, probe): the browser check, the run command, the
//! manifest on disk, the processes a run left behind, and polling a
//! condition with a deadline.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use clickpath::outcome::RunOutcome as Manifest;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_clickpath");

/// How long [`poll`] waits between two checks.
pub const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// Fail loudly (never skip) when the browser is missing.
pub fn require_browser() {
    for tool in ["chromedriver", "chromium"] {
        let found = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
            .unwrap_or(false);
        assert!(
            found,
            "{tool} is not installed: these tests drive a real browser. \
             Install it with `apt-get install chromium chromium-driver` (or run ./scripts/deps.sh)."
        );
    }
}

/// `clickpath run ARGS --out OUT --run-id ID RUNBOOKS`.
pub fn clickpath_run<S: AsRef<OsStr>>(
    args: &[&str],
    out: &Path,
    run_id: &str,
    runbooks: &[S],
) -> Output {
    Command::new(BIN)
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .args(["--run-id", run_id])
        .args(runbooks)
        .output()
        .expect("the clickpath binary runs")
}

/// The manifest in a flow directory.
pub fn manifest(dir: &Path) -> Manifest {
    let text = std::fs::read_to_string(dir.join("manifest.json"))
        .unwrap_or_else(|e| panic!("no manifest in {}: {e}", dir.display()));
    serde_json::from_str(&text).expect("the manifest parses")
}

/// Processes (pid, command line) whose environment carries
/// `CLICKPATH_TEST_MARKER=marker`: the chromedriver and Chromium a run
/// started inherit it from the binary.
pub fn processes_with_marker(marker: &str) -> Vec<(String, String)> {
    let needle = format!("CLICKPATH_TEST_MARKER={marker}");
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let pid = e.file_name().to_string_lossy().to_string();
        if !pid.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Ok(env) = std::fs::read(e.path().join("environ")) else {
            continue;
        };
        if env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()) {
            let cmd = std::fs::read(e.path().join("cmdline"))
                .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
                .unwrap_or_default();
            // A zombie nobody reaped has no command line and holds nothing.
            if !cmd.is_empty() {
                found.push((pid, cmd));
            }
        }
    }
    found
}

/// Wait until no process carries `CLICKPATH_TEST_MARKER=marker`; after
/// `timeout`, fail naming the ones still there.
pub fn assert_no_processes_left(marker: &str, timeout: Duration) {
    let gone = poll(timeout, || {
        let left = processes_with_marker(marker);
        if left.is_empty() {
            Ok(())
        } else {
            Err(left)
        }
    });
    if let Err(left) = gone {
        panic!("browser processes left {timeout:?} after the run: {left:#?}");
    }
}

/// Check `probe` every [`POLL_INTERVAL`] until it returns `Ok`, for at most
/// `timeout` (fantoccini's `Wait`, without a runtime). On timeout the `Err`
/// of the last check says what it saw, for the caller's message.
pub fn poll<T, E>(timeout: Duration, mut probe: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let deadline = Instant::now() + timeout;
    loop {
        let seen = match probe() {
            Ok(done) => return Ok(done),
            Err(seen) => seen,
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(seen);
        }
        std::thread::sleep(POLL_INTERVAL.min(deadline - now));
    }
}
