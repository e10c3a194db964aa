//! The WebDriver session: finding and starting chromedriver, the browser's
//! capabilities, the viewport, and ending everything again.
//!
//! This file and [`crate::locate`] are the only places that touch fantoccini.
//! Every WebDriver command the executor sends goes through one [`Browser`]
//! method, which counts it, so each step can report its round trips.
//! Nothing here knows runbooks or YAML.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
pub use fantoccini::error::CmdError;
use fantoccini::error::NewSessionError;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value as Json};

use crate::runbook::Viewport;

/// The WebDriver element reference key (W3C WebDriver, "web element identifier").
pub(crate) const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long chromedriver may take to answer `/status` after it was started.
const DRIVER_READY_TIMEOUT: Duration = Duration::from_secs(20);

/// The install hint every "browser or driver missing" error ends with.
const INSTALL_HINT: &str =
    "Install them with `apt-get install chromium chromium-driver` (Debian/Ubuntu), \
     pass `--chromedriver PATH`, or point `--webdriver URL` at a running WebDriver endpoint.";

/// How to get a browser: start chromedriver ourselves or use a running endpoint.
#[derive(Debug, Clone, Default)]
pub struct BrowserConfig {
    /// A running WebDriver endpoint (chromedriver, geckodriver, Selenium Grid);
    /// when set, no driver is started.
    pub webdriver_url: Option<String>,
    /// The chromedriver binary; searched on `PATH` when absent.
    pub chromedriver: Option<PathBuf>,
    /// Show the browser window instead of running headless.
    pub headed: bool,
    /// Size of the page area (and of every screenshot) in CSS pixels.
    pub viewport: Viewport,
    /// The Chromium/Chrome binary; searched on `PATH` when absent.
    pub browser_binary: Option<PathBuf>,
}

/// Why no browser session could be started or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    /// No chromedriver binary was found.
    #[error(
        "chromedriver was not found ({searched}). clickpath drives a real Chromium through \
         chromedriver. {INSTALL_HINT}"
    )]
    DriverNotFound {
        /// Where we looked.
        searched: String,
    },
    /// No Chromium/Chrome binary was found.
    #[error(
        "no Chromium or Chrome browser was found ({searched}). clickpath drives a real \
         Chromium through chromedriver. {INSTALL_HINT}"
    )]
    BrowserNotFound {
        /// Where we looked.
        searched: String,
    },
    /// chromedriver could not be started or never became ready.
    #[error(
        "chromedriver at {} could not be started: {reason}. {INSTALL_HINT}",
        path.display()
    )]
    DriverStart {
        /// The binary we ran.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The WebDriver endpoint refused to open a session.
    #[error(
        "the WebDriver endpoint {url} could not open a browser session: {source}. {INSTALL_HINT}"
    )]
    Session {
        /// The endpoint.
        url: String,
        /// The driver's answer.
        #[source]
        source: NewSessionError,
    },
    /// A WebDriver command failed while preparing the session.
    #[error("the browser failed while preparing the session: {0}")]
    Command(#[from] CmdError),
    /// The temporary profile directory could not be created.
    #[error("could not create a temporary browser profile: {0}")]
    Profile(#[source] std::io::Error),
}

/// What the session reports about itself, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserInfo {
    /// Browser name from the capabilities (`chrome`, `firefox`).
    pub name: String,
    /// Browser version from the capabilities.
    pub version: String,
    /// Driver version (chromedriver/geckodriver), when the driver reports it.
    pub driver_version: Option<String>,
    /// The viewport every screenshot has, in CSS pixels.
    pub viewport: Viewport,
    /// Whether the window is shown.
    pub headed: bool,
}

/// A chromedriver we started: killed with its process group on drop.
#[derive(Debug)]
struct DriverProcess {
    child: Child,
    profile: Option<PathBuf>,
    /// Set once the process was killed and reaped: its pid may be reused.
    done: bool,
}

impl DriverProcess {
    /// Kill the driver, everything it started, and remove the profile. Idempotent.
    fn shutdown(&mut self) {
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
        // poll until the kernel has torn them down (bounded).
        let deadline = Instant::now() + Duration::from_secs(3);
        while descendants.iter().any(|p| process_running(*p)) && Instant::now() < deadline {
            std::thread::yield_now();
        }
        if let Some(dir) = self.profile.take() {
            // Chromium may still be flushing for a moment; retry briefly.
            let deadline = Instant::now() + Duration::from_secs(2);
            while std::fs::remove_dir_all(&dir).is_err()
                && dir.exists()
                && Instant::now() < deadline
            {
                std::thread::yield_now();
            }
        }
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.shutdown();
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
pub(crate) fn proc_parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces.
    let after = &stat[stat.rfind(')')? + 2..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// An open WebDriver session (and the driver we started for it, if any).
///
/// Call [`Browser::close`] when done; if it is dropped instead (panic,
/// early return), the driver process group is killed and the profile removed.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    driver: Option<DriverProcess>,
    info: BrowserInfo,
    round_trips: AtomicU64,
}

impl Browser {
    /// Start (or connect to) a WebDriver endpoint and open a browser session.
    pub async fn launch(config: &BrowserConfig) -> Result<Browser, BrowserError> {
        if let Some(url) = &config.webdriver_url {
            let caps = if sniff_chromedriver(url).await {
                chrome_capabilities(config, None, config.browser_binary.as_deref())
            } else {
                generic_capabilities(config)
            };
            let client = connect(url.trim_end_matches('/'), caps).await?;
            return Browser::finish(client, None, config).await;
        }
        let path = find_chromedriver(config)?;
        let binary = find_browser(config)?;
        let (url, mut driver) = start_chromedriver(&path).await?;
        // From here on, dropping `driver` kills chromedriver and removes the profile.
        driver.profile = Some(make_profile_dir().map_err(BrowserError::Profile)?);
        let caps = chrome_capabilities(config, driver.profile.as_deref(), binary.as_deref());
        let client = connect(&url, caps).await?;
        Browser::finish(client, Some(driver), config).await
    }

    async fn finish(
        client: Client,
        driver: Option<DriverProcess>,
        config: &BrowserConfig,
    ) -> Result<Browser, BrowserError> {
        let caps = client.capabilities().cloned().unwrap_or_default();
        let str_of = |v: Option<&Json>| v.and_then(Json::as_str).map(str::to_string);
        let driver_version = str_of(
            caps.get("chrome")
                .and_then(|c| c.get("chromedriverVersion")),
        )
        .or_else(|| str_of(caps.get("moz:geckodriverVersion")))
        .map(|v| v.split_whitespace().next().unwrap_or_default().to_string());
        let info = BrowserInfo {
            name: str_of(caps.get("browserName")).unwrap_or_else(|| "unknown".into()),
            version: str_of(caps.get("browserVersion")).unwrap_or_else(|| "unknown".into()),
            driver_version,
            viewport: config.viewport,
            headed: config.headed,
        };
        let browser = Browser {
            client,
            driver,
            info,
            round_trips: AtomicU64::new(0),
        };
        if let Err(e) = browser.fit_viewport(config.viewport).await {
            browser.close().await;
            return Err(e.into());
        }
        Ok(browser)
    }

    /// Resize the window so the page area is exactly `viewport` CSS pixels.
    async fn fit_viewport(&self, viewport: Viewport) -> Result<(), CmdError> {
        const SIZES: &str = "return [window.outerWidth, window.outerHeight, \
                             window.innerWidth, window.innerHeight];";
        for _ in 0..3 {
            let v = self.execute(SIZES, vec![]).await?;
            let n = |i: usize| v.get(i).and_then(Json::as_i64).unwrap_or(0);
            let (ow, oh, iw, ih) = (n(0), n(1), n(2), n(3));
            if iw == i64::from(viewport.width) && ih == i64::from(viewport.height) {
                return Ok(());
            }
            let w = i64::from(viewport.width) + (ow - iw).max(0);
            let h = i64::from(viewport.height) + (oh - ih).max(0);
            self.count();
            self.client
                .set_window_size(w.max(1) as u32, h.max(1) as u32)
                .await?;
        }
        tracing::warn!(
            "the window could not be fitted to {}x{}; screenshots may have another size",
            viewport.width,
            viewport.height
        );
        Ok(())
    }

    /// Browser and driver versions, viewport and mode.
    pub fn info(&self) -> &BrowserInfo {
        &self.info
    }

    /// WebDriver commands sent through this session so far.
    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }

    /// The process id of the chromedriver we started, if any.
    pub fn driver_pid(&self) -> Option<u32> {
        self.driver.as_ref().map(|d| d.child.id())
    }

    /// End the session, stop the driver we started, remove the temporary profile.
    ///
    /// Errors while ending are ignored: the goal is that nothing is left running.
    pub async fn close(mut self) {
        let driver = self.driver.take();
        let client = self.client.clone();
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        if let Some(mut d) = driver {
            // Killing and waiting blocks briefly; keep it off the async worker.
            let _ = tokio::task::spawn_blocking(move || d.shutdown()).await;
        }
    }

    fn count(&self) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
    }

    /// [Execute Script](https://www.w3.org/TR/webdriver2/#execute-script).
    pub async fn execute(&self, script: &str, args: Vec<Json>) -> Result<Json, CmdError> {
        self.count();
        self.client.execute(script, args).await
    }

    /// [Execute Async Script](https://www.w3.org/TR/webdriver2/#execute-async-script).
    pub(crate) async fn execute_async(
        &self,
        script: &str,
        args: Vec<Json>,
    ) -> Result<Json, CmdError> {
        self.count();
        self.client.execute_async(script, args).await
    }

    /// [Navigate To](https://www.w3.org/TR/webdriver2/#navigate-to); waits for the load.
    pub async fn goto(&self, url: &str) -> Result<(), CmdError> {
        self.count();
        self.client.goto(url).await
    }

    /// [Take Screenshot](https://www.w3.org/TR/webdriver2/#take-screenshot): viewport PNG bytes as delivered.
    pub async fn screenshot(&self) -> Result<Vec<u8>, CmdError> {
        self.count();
        self.client.screenshot().await
    }

    /// [Element Click](https://www.w3.org/TR/webdriver2/#element-click).
    pub(crate) async fn click(&self, el: &Element) -> Result<(), CmdError> {
        self.count();
        el.click().await
    }

    /// [Element Clear](https://www.w3.org/TR/webdriver2/#element-clear).
    pub(crate) async fn clear(&self, el: &Element) -> Result<(), CmdError> {
        self.count();
        el.clear().await
    }

    /// [Element Send Keys](https://www.w3.org/TR/webdriver2/#element-send-keys).
    pub(crate) async fn send_keys(&self, el: &Element, text: &str) -> Result<(), CmdError> {
        self.count();
        el.send_keys(text).await
    }

    /// [Get Active Element](https://www.w3.org/TR/webdriver2/#get-active-element).
    pub(crate) async fn active_element(&self) -> Result<Element, CmdError> {
        self.count();
        self.client.active_element().await
    }

    /// Turn a script result holding a web element reference into an [`Element`].
    pub(crate) fn element_from_json(&self, v: &Json) -> Option<Element> {
        let id = v.get(ELEMENT_KEY)?.as_str()?;
        Some(Element::from_element_id(
            self.client.clone(),
            id.to_string().into(),
        ))
    }

    /// An [`Element`] as a script argument.
    pub(crate) fn element_arg(el: &Element) -> Json {
        json!({ ELEMENT_KEY: el.element_id().to_string() })
    }
}

async fn connect(url: &str, caps: serde_json::Map<String, Json>) -> Result<Client, BrowserError> {
    ClientBuilder::native()
        .capabilities(caps)
        .connect(url)
        .await
        .map_err(|source| BrowserError::Session {
            url: url.to_string(),
            source,
        })
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

/// `goog:chromeOptions` capabilities for chromedriver (see the shared brief).
fn chrome_capabilities(
    config: &BrowserConfig,
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
    let mut caps = generic_capabilities(config);
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("goog:chromeOptions".into(), opts);
    caps
}

/// W3C-only capabilities, for endpoints that are not chromedriver.
fn generic_capabilities(config: &BrowserConfig) -> serde_json::Map<String, Json> {
    let mut caps = serde_json::Map::new();
    caps.insert("pageLoadStrategy".into(), json!("normal"));
    caps.insert(
        "timeouts".into(),
        json!({ "script": 30_000, "pageLoad": 60_000, "implicit": 0 }),
    );
    if !config.headed {
        caps.insert(
            "moz:firefoxOptions".into(),
            json!({ "args": ["-headless"] }),
        );
    }
    caps
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

fn find_chromedriver(config: &BrowserConfig) -> Result<PathBuf, BrowserError> {
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

fn find_browser(config: &BrowserConfig) -> Result<Option<PathBuf>, BrowserError> {
    const NAMES: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "chrome"];
    match &config.browser_binary {
        Some(p) if p.is_file() => Ok(Some(p.clone())),
        Some(p) => Err(BrowserError::BrowserNotFound {
            searched: format!("{} does not exist", p.display()),
        }),
        None => match find_on_path(&NAMES) {
            Some(p) => Ok(Some(p)),
            None => Err(BrowserError::BrowserNotFound {
                searched: format!("none of {} on PATH", NAMES.join(", ")),
            }),
        },
    }
}

fn make_profile_dir() -> std::io::Result<PathBuf> {
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
async fn start_chromedriver(path: &Path) -> Result<(String, DriverProcess), BrowserError> {
    let fail = |reason: String| BrowserError::DriverStart {
        path: path.to_path_buf(),
        reason,
    };
    let mut last = String::new();
    for _attempt in 0..3 {
        let port = free_port().map_err(|e| fail(format!("no free loopback port: {e}")))?;
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
async fn sniff_chromedriver(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    if u.scheme() != "http" || !matches!(u.host_str(), Some("127.0.0.1" | "localhost")) {
        return false;
    }
    let Some(port) = u.port_or_known_default() else {
        return false;
    };
    let path = format!("{}/status", u.path().trim_end_matches('/'));
    match http_get(port, &path).await {
        Ok(body) => body.contains("ChromeDriver"),
        Err(_) => false,
    }
}

/// The WebDriver key text for a key name (`Enter`, `Tab`, `Escape`, ...) or a single character.
pub(crate) fn key_text(name: &str) -> Option<String> {
    use fantoccini::key::Key;
    let k = match name.to_ascii_lowercase().as_str() {
        "enter" | "return" => Key::Enter,
        "tab" => Key::Tab,
        "escape" | "esc" => Key::Escape,
        "backspace" => Key::Backspace,
        "delete" => Key::Delete,
        "space" => Key::Space,
        "arrowdown" | "down" => Key::Down,
        "arrowup" | "up" => Key::Up,
        "arrowleft" | "left" => Key::Left,
        "arrowright" | "right" => Key::Right,
        "home" => Key::Home,
        "end" => Key::End,
        "pageup" => Key::PageUp,
        "pagedown" => Key::PageDown,
        _ => {
            let mut c = name.chars();
            return match (c.next(), c.next()) {
                (Some(ch), None) => Some(ch.to_string()),
                _ => None,
            };
        }
    };
    Some(char::from(k).to_string())
}
