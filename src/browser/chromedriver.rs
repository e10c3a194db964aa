//! Running chromedriver ourselves: finding it and Chromium, starting it on a
//! free loopback port, polling `/status` until it is ready, the temporary
//! profile, Chromium's capabilities, and killing the driver's whole process
//! group again. Every driver and profile is also reported to the guardian
//! (`guard.rs`), which cleans up if clickpath dies without doing so.
//!
//! Profiles are `clickpath-profile-<owner pid>-…` directories in the
//! temporary directory, created user-only (0700); the first profile a
//! process creates sweeps away those whose owner is no longer running.
//!
//! Speaks plain HTTP for `/status` only; the WebDriver session itself is in
//! `webdriver.rs`. Knows nothing of fantoccini, runbooks or the executor.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};

use super::{guard, BrowserConfig, BrowserError};
use crate::runbook::Viewport;

/// How long chromedriver may take to answer `/status` after it was started.
const DRIVER_READY_TIMEOUT: Duration = Duration::from_secs(20);

/// How long shutdown waits for killed processes to be torn down.
const EXIT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long shutdown retries removing the profile (Chromium may still flush).
const PROFILE_TIMEOUT: Duration = Duration::from_secs(2);

/// Pause between two checks while shutting down (a sleep on a blocking
/// thread or in `Drop`, never on an async worker's poll loop).
const SHUTDOWN_POLL: Duration = Duration::from_millis(10);

/// A chromedriver we started: killed with its process group on drop.
#[derive(Debug)]
pub(crate) struct DriverProcess {
    child: Child,
    /// The temporary profile Chromium uses; removed on shutdown.
    pub(crate) profile: Option<PathBuf>,
    /// Set once the process was killed and reaped: its pid may be reused.
    done: bool,
}

impl DriverProcess {
    /// The driver's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kill the driver, everything it started, and remove the profile. Idempotent.
    ///
    /// Blocks for at most a few seconds, sleeping between checks: call it
    /// from `spawn_blocking` (or `Drop`), not from async code.
    pub(crate) fn shutdown(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        let pid = self.child.id();
        let descendants = kill_tree(pid);
        let _ = self.child.kill();
        let _ = self.child.wait();
        // SIGKILL is asynchronous for processes that are not our children:
        // poll the process table until the kernel has torn them down.
        poll_until(EXIT_TIMEOUT, || {
            !descendants.iter().any(|p| process_running(*p))
        });
        guard::release_process(pid);
        if let Some(dir) = self.profile.take() {
            poll_until(PROFILE_TIMEOUT, || {
                std::fs::remove_dir_all(&dir).is_ok() || !dir.exists()
            });
            if !dir.exists() {
                guard::release_dir(&dir);
            }
        }
        tracing::debug!("browser: chromedriver {pid} stopped");
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// SIGKILL the process group led by `pid` (chromedriver is started as its
/// own group leader) and every process below `pid`, found first: Chromium
/// helpers may leave the group. Returns the descendants it signalled.
pub(super) fn kill_tree(pid: u32) -> Vec<u32> {
    let descendants = descendants_of(pid);
    #[cfg(unix)]
    {
        let Ok(group) = i32::try_from(pid) else {
            return descendants;
        };
        // SAFETY: kill(2) with a negative pid signals the process group we
        // created for chromedriver (process_group(0)); no memory is touched.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
            for d in &descendants {
                if let Ok(d) = i32::try_from(*d) {
                    libc::kill(d, libc::SIGKILL);
                }
            }
        }
    }
    descendants
}

/// Check `done` every [`SHUTDOWN_POLL`] until it holds or `limit` passes.
pub(super) fn poll_until(limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() && Instant::now() < deadline {
        std::thread::sleep(SHUTDOWN_POLL);
    }
}

/// Every process below `root` in the process tree (Linux `/proc`; empty elsewhere).
pub(super) fn descendants_of(root: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut parent_of = Vec::new();
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(ppid) = proc_parent(pid) {
            parent_of.push((pid, ppid));
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(pid, ppid) in &parent_of {
            if ppid == p && !out.contains(&pid) {
                out.push(pid);
                frontier.push(pid);
            }
        }
    }
    out
}

/// Whether `pid` exists and is not a zombie (Linux `/proc`).
pub(super) fn process_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let state = s.get(s.rfind(')')? + 2..)?.chars().next()?;
            Some(state != 'Z' && state != 'X')
        })
        .unwrap_or(false)
}

/// The parent pid of `pid`, read from `/proc/<pid>/stat`.
fn proc_parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces.
    let after = stat.get(stat.rfind(')')? + 2..)?;
    after.split_whitespace().nth(1)?.parse().ok()
}

/// Whether the process runs as root (Chromium's sandbox refuses root).
fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// `goog:chromeOptions` on top of `base` (the W3C capabilities).
pub(crate) fn chrome_capabilities(
    config: &BrowserConfig,
    mut base: serde_json::Map<String, Json>,
    profile: Option<&Path>,
    binary: Option<&Path>,
) -> serde_json::Map<String, Json> {
    let Viewport { width, height } = config.viewport;
    let mut args: Vec<String> = Vec::new();
    if !config.headed {
        args.push("--headless=new".into());
    }
    if running_as_root() {
        args.push("--no-sandbox".into());
    }
    args.extend(
        [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            // No crash handler daemon: it would outlive the driver.
            "--disable-breakpad",
            "--disable-crash-reporter",
        ]
        .map(String::from),
    );
    args.push(format!(
        "--force-device-scale-factor={}",
        config.device_scale()
    ));
    args.push(format!("--window-size={width},{height}"));
    if let Some(p) = profile {
        args.push(format!("--user-data-dir={}", p.display()));
    }
    let mut opts = json!({ "args": args });
    if let Some(b) = binary {
        opts["binary"] = json!(b.display().to_string());
    }
    base.insert("browserName".into(), json!("chrome"));
    base.insert("goog:chromeOptions".into(), opts);
    base
}

fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The chromedriver binary: the configured one, or `chromedriver` on `PATH`.
pub(crate) fn find_chromedriver(config: &BrowserConfig) -> Result<PathBuf, BrowserError> {
    match &config.chromedriver {
        Some(p) if p.is_file() => Ok(p.clone()),
        Some(p) => Err(BrowserError::DriverNotFound {
            searched: format!("{} does not exist", p.display()),
        }),
        None => find_on_path(&["chromedriver"]).ok_or_else(|| BrowserError::DriverNotFound {
            searched: "not on PATH".into(),
        }),
    }
}

/// The Chromium/Chrome binary: the configured one, or the first on `PATH`.
pub(crate) fn find_browser(config: &BrowserConfig) -> Result<PathBuf, BrowserError> {
    const NAMES: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "chrome"];
    match &config.browser_binary {
        Some(p) if p.is_file() => Ok(p.clone()),
        Some(p) => Err(BrowserError::BrowserNotFound {
            searched: format!("{} does not exist", p.display()),
        }),
        None => find_on_path(&NAMES).ok_or_else(|| BrowserError::BrowserNotFound {
            searched: format!("none of {} on PATH", NAMES.join(", ")),
        }),
    }
}

/// The prefix of every profile directory's name; the owner's pid follows.
const PROFILE_PREFIX: &str = "clickpath-profile-";

/// A fresh, empty, user-only (0700) directory for Chromium's profile (no
/// state between runs), registered with the guardian before it exists.
///
/// The first call in a process also sweeps stale profiles (see
/// [`sweep_stale_profiles`]).
pub(crate) fn make_profile_dir() -> std::io::Result<PathBuf> {
    static N: AtomicU64 = AtomicU64::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    let tmp = std::env::temp_dir();
    SWEPT.call_once(|| sweep_stale_profiles(&tmp));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = tmp.join(format!(
        "{PROFILE_PREFIX}{}-{}-{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    ));
    guard::watch_dir(&dir);
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        // Autofill and cookies of a customer's account: nobody else's to read.
        builder.mode(0o700);
    }
    builder.create(&dir)?;
    Ok(dir)
}

/// Remove profiles in `tmp` left by runs that are gone (killed before their
/// cleanup, a guardian killed too): `clickpath-profile-<pid>-…` directories
/// of this user whose owner pid no longer runs. Errors are ignored; a
/// profile that cannot be removed now is tried again next time.
pub(crate) fn sweep_stale_profiles(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PROFILE_PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if owner_alive(owner) || !owned_by_us(&entry.path()) {
            continue;
        }
        let path = entry.path();
        if std::fs::remove_dir_all(&path).is_ok() {
            tracing::info!("browser: removed the stale profile {}", path.display());
        }
    }
}

/// Whether a process `pid` exists (any user's; a zombie counts).
fn owner_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = i32::try_from(pid) else {
            return false;
        };
        // SAFETY: kill(2) with signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Whether `path` is a directory of the current user (never follow links).
fn owned_by_us(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir() && m.uid() == me)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// A loopback port that was free a moment ago.
fn free_port() -> std::io::Result<u16> {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(l.local_addr()?.port())
}

/// Start chromedriver on a free loopback port and wait for `/status` to say ready.
///
/// Returns the endpoint URL and the process (killed when dropped).
pub(crate) async fn start(path: &Path) -> Result<(String, DriverProcess), BrowserError> {
    let fail = |reason: String| BrowserError::DriverStart {
        path: path.to_path_buf(),
        reason,
    };
    let mut last = String::new();
    for _attempt in 0..3 {
        let port = free_port().map_err(|e| fail(format!("no free loopback port: {e}")))?;
        tracing::info!(
            "browser: starting chromedriver {} on 127.0.0.1:{port}",
            path.display()
        );
        let started = Instant::now();
        let mut cmd = Command::new(path);
        cmd.arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let child = cmd.spawn().map_err(|e| fail(e.to_string()))?;
        guard::watch_process(child.id());
        let mut driver = DriverProcess {
            child,
            profile: None,
            done: false,
        };
        let deadline = Instant::now() + DRIVER_READY_TIMEOUT;
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        loop {
            tick.tick().await;
            if let Ok(Some(status)) = driver.child.try_wait() {
                last = format!("it exited with {status} (port {port} taken?)");
                break;
            }
            if let Ok(body) = http_get(port, "/status").await {
                if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                    tracing::debug!(
                        "browser: chromedriver {} ready in {} ms",
                        driver.pid(),
                        started.elapsed().as_millis()
                    );
                    return Ok((format!("http://127.0.0.1:{port}"), driver));
                }
            }
            if Instant::now() >= deadline {
                last = format!(
                    "no ready answer on 127.0.0.1:{port}/status within {}s",
                    DRIVER_READY_TIMEOUT.as_secs()
                );
                break;
            }
        }
        tracing::debug!("browser: chromedriver did not become ready: {last}");
    }
    Err(fail(last))
}

/// A minimal HTTP/1.1 GET against 127.0.0.1:`port`, returning the response text.
///
/// Reads until the `Content-Length` body is complete (drivers keep the
/// connection open), the peer closes, or 2 s pass.
async fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let fetch = async {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        let req =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).await?;
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf);
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end].lines().find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                });
                if len.is_some_and(|len| buf.len() >= end + 4 + len) {
                    break;
                }
            }
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    };
    tokio::time::timeout(Duration::from_secs(2), fetch)
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer within 2s"))?
}

/// Whether a plain-HTTP endpoint on loopback answers `/status` like chromedriver.
pub(crate) async fn sniff(url: &url::Url) -> bool {
    if url.scheme() != "http" || !matches!(url.host_str(), Some("127.0.0.1" | "localhost")) {
        return false;
    }
    let Some(port) = url.port_or_known_default() else {
        return false;
    };
    let path = format!("{}/status", url.path().trim_end_matches('/'));
    match http_get(port, &path).await {
        Ok(body) => body.contains("ChromeDriver"),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_profiles_of_dead_owners_are_swept_and_live_ones_kept() {
        let tmp = tempfile::tempdir().expect("temp dir");
        // A pid that existed and is gone: a child we waited for.
        let mut child = Command::new("true").spawn().expect("run `true`");
        let dead = child.id();
        child.wait().expect("reaped");
        let stale = tmp.path().join(format!("{PROFILE_PREFIX}{dead}-1-0"));
        let live = tmp
            .path()
            .join(format!("{PROFILE_PREFIX}{}-1-0", std::process::id()));
        let other = tmp.path().join("unrelated-123");
        for d in [&stale, &live, &other] {
            std::fs::create_dir_all(d.join("Default")).expect("mkdir");
        }
        sweep_stale_profiles(tmp.path());
        assert!(!stale.exists(), "the dead run's profile is removed");
        assert!(live.exists(), "a running owner's profile is kept");
        assert!(other.exists(), "other directories are not touched");
    }

    #[cfg(unix)]
    #[test]
    fn profiles_are_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = make_profile_dir().expect("a profile");
        let mode = std::fs::metadata(&dir).expect("stat").permissions().mode();
        std::fs::remove_dir_all(&dir).expect("removed");
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    }
}
