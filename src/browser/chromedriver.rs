//! Running chromedriver ourselves: finding it and Chromium, starting it on a
//! free loopback port, polling `/status` until it is ready, the temporary
//! profile, Chromium's capabilities, and killing the driver's whole process
//! group again.
//!
//! Speaks plain HTTP for `/status` only; the WebDriver session itself is in
//! `webdriver.rs`. Knows nothing of fantoccini, runbooks or the executor.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};

use super::{BrowserConfig, BrowserError};
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
        let descendants = descendants_of(pid);
        #[cfg(unix)]
        // SAFETY: kill(2) with a negative pid signals the process group we
        // created for chromedriver (process_group(0)); no memory is touched.
        unsafe {
            libc::kill(-(pid as i32), libc::SIGKILL);
            for d in &descendants {
                libc::kill(*d as i32, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        // SIGKILL is asynchronous for processes that are not our children:
        // poll the process table until the kernel has torn them down.
        poll_until(EXIT_TIMEOUT, || {
            !descendants.iter().any(|p| process_running(*p))
        });
        if let Some(dir) = self.profile.take() {
            poll_until(PROFILE_TIMEOUT, || {
                std::fs::remove_dir_all(&dir).is_ok() || !dir.exists()
            });
        }
        tracing::debug!("browser: chromedriver {pid} stopped");
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Check `done` every [`SHUTDOWN_POLL`] until it holds or `limit` passes.
fn poll_until(limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() && Instant::now() < deadline {
        std::thread::sleep(SHUTDOWN_POLL);
    }
}

/// Every process below `root` in the process tree (Linux `/proc`; empty elsewhere).
fn descendants_of(root: u32) -> Vec<u32> {
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
fn process_running(pid: u32) -> bool {
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
            "--force-device-scale-factor=1",
            "--hide-scrollbars",
            // No crash handler daemon: it would outlive the driver.
            "--disable-breakpad",
            "--disable-crash-reporter",
        ]
        .map(String::from),
    );
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

/// A fresh, empty directory for Chromium's profile (no state between runs).
pub(crate) fn make_profile_dir() -> std::io::Result<PathBuf> {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "clickpath-profile-{}-{}-{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
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
