//! The fantoccini-backed [`Browser`]: opening the session (capabilities,
//! viewport), sending each command (counted, timed, logged at debug without
//! its arguments), classifying fantoccini's errors by WebDriver error code,
//! and closing.
//!
//! This file and its `webdriver/classify.rs` are the only ones in the crate
//! that touch fantoccini; its types never leave them. Driver processes are
//! `chromedriver.rs`'s business.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use base64::Engine as _;
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::elements::Element;
use fantoccini::error::{CmdError, NewSessionError};
use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand, WindowHandle};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value as Json};

use super::chromedriver::{self, DriverProcess};
use super::{
    Browser, BrowserConfig, BrowserError, BrowserInfo, CommandError, CommandTime, ElementRef,
    ErrorKind, PageScript,
};
use crate::runbook::Viewport;
use classify::{classify, endpoint_error, new_session_message};

mod classify;
mod isolate;

/// How long ending the session may take before we stop the driver anyway.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

/// What a command gets on top of the session's page-load/script timeout
/// before it counts as unanswered: the driver's own timeout error must have
/// time to arrive first, so a slow page is reported as a slow page.
const COMMAND_GRACE: Duration = Duration::from_secs(5);

/// The least time a chromedriver we started gets to open the session:
/// starting Chromium cold on a busy machine takes seconds, whatever
/// `--timeout` says about pages.
const BROWSER_START_MIN: Duration = Duration::from_secs(20);

/// An open WebDriver session (and the driver we started for it, if any).
///
/// Dropped without [`Browser::close`] (panic, early return), the driver's
/// process group is killed and the profile removed all the same.
#[derive(Debug)]
pub(crate) struct WebDriverSession {
    client: Client,
    driver: Mutex<Option<DriverProcess>>,
    driver_pid: Option<u32>,
    info: BrowserInfo,
    round_trips: AtomicU64,
    closed: AtomicBool,
    /// The endpoint as shown to people (no credentials).
    endpoint: String,
    /// How long one command may take before it is given up, in ms: the
    /// browser-start allowance while the session is prepared, then the
    /// page timeout plus [`COMMAND_GRACE`].
    command_deadline_ms: AtomicU64,
    /// A command got no answer: fantoccini sends one request at a time, so
    /// every later command would queue behind it. They fail at once instead.
    stalled: AtomicBool,
    /// The DevTools passthrough: [`CDP_UNKNOWN`], [`CDP_YES`] or [`CDP_NO`].
    cdp: AtomicU8,
    /// Commands sent since [`Browser::take_commands`] last took them.
    commands: Mutex<Vec<CommandTime>>,
    /// The [`PageScript`]s registered for new documents.
    preloaded: Mutex<Vec<&'static str>>,
}

/// Not tried yet.
const CDP_UNKNOWN: u8 = 0;
/// It answered.
const CDP_YES: u8 = 1;
/// The endpoint has none (or it is not Chromium): use plain WebDriver.
const CDP_NO: u8 = 2;

/// Most commands kept for one step's breakdown (a step that polls for long
/// keeps its first ones).
const COMMAND_LOG_MAX: usize = 64;

impl WebDriverSession {
    /// Start chromedriver (or attach to `config.webdriver_url`) and open a session.
    pub(crate) async fn launch(config: &BrowserConfig) -> Result<Self, BrowserError> {
        if let Some(given) = &config.webdriver_url {
            let url = url::Url::parse(given).map_err(|e| BrowserError::InvalidUrl {
                url: given.clone(),
                reason: e.to_string(),
            })?;
            let shown = without_credentials(&url);
            tracing::info!("browser: attaching to the WebDriver endpoint {shown}");
            // One deadline for asking what it is and opening the session: an
            // endpoint that accepts connections and never answers must not
            // hang the run.
            let limit = config.page_timeout() + COMMAND_GRACE;
            let deadline = tokio::time::Instant::now() + limit;
            let sniffed = tokio::time::timeout_at(deadline, chromedriver::sniff(&url))
                .await
                .unwrap_or(false);
            let caps = if sniffed {
                let base = generic_capabilities(config);
                chromedriver::chrome_capabilities(
                    config,
                    base,
                    None,
                    config.browser_binary.as_deref(),
                )
            } else {
                generic_capabilities(config)
            };
            let client =
                tokio::time::timeout_at(deadline, connect(given.trim_end_matches('/'), caps))
                    .await
                    .map_err(|_| BrowserError::NoAnswer {
                        url: shown.clone(),
                        command: "new session",
                        after: shown_secs(limit),
                    })?
                    .map_err(|e| endpoint_error(shown.clone(), e))?;
            return Self::finish(client, None, shown, config).await;
        }
        let path = chromedriver::find_chromedriver(config)?;
        let binary = chromedriver::find_browser(config)?;
        let (url, mut driver) = chromedriver::start(&path).await?;
        // From here on, dropping `driver` kills chromedriver and removes the profile.
        driver.profile = Some(chromedriver::make_profile_dir().map_err(BrowserError::Profile)?);
        let caps = chromedriver::chrome_capabilities(
            config,
            generic_capabilities(config),
            driver.profile.as_deref(),
            Some(&binary),
        );
        let limit = (config.page_timeout() + COMMAND_GRACE).max(BROWSER_START_MIN);
        let client = tokio::time::timeout(limit, connect(&url, caps))
            .await
            .map_err(|_| BrowserError::NoAnswer {
                url: url.clone(),
                command: "new session",
                after: shown_secs(limit),
            })?
            .map_err(|e| BrowserError::BrowserStart {
                message: new_session_message(&e),
            })?;
        Self::finish(client, Some(driver), url, config).await
    }

    async fn finish(
        client: Client,
        driver: Option<DriverProcess>,
        endpoint: String,
        config: &BrowserConfig,
    ) -> Result<Self, BrowserError> {
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
            scale: config.device_scale(),
        };
        let mut session = WebDriverSession {
            client,
            driver_pid: driver.as_ref().map(DriverProcess::pid),
            driver: Mutex::new(driver),
            info,
            round_trips: AtomicU64::new(0),
            closed: AtomicBool::new(false),
            endpoint,
            command_deadline_ms: AtomicU64::new(millis(
                (config.page_timeout() + COMMAND_GRACE).max(BROWSER_START_MIN),
            )),
            stalled: AtomicBool::new(false),
            // Only Chromium-based browsers speak CDP; the first call tells
            // whether this endpoint passes it through.
            cdp: AtomicU8::new(if is_chromium(&caps) {
                CDP_UNKNOWN
            } else {
                CDP_NO
            }),
            commands: Mutex::new(Vec::new()),
            preloaded: Mutex::new(Vec::new()),
        };
        // The session opened with WebDriver's generous default timeouts: a
        // cold Chromium's first script may take seconds whatever --timeout
        // says about pages. Once it answered, the run's deadlines apply.
        let prepared = async {
            session.fit_viewport(config.viewport).await?;
            let page = config.page_timeout();
            let timeouts = TimeoutConfiguration::new(Some(page), Some(page), None);
            session
                .call(
                    "set_timeouts",
                    None,
                    session.client.update_timeouts(timeouts),
                )
                .await
        };
        if let Err(e) = prepared.await {
            session.close().await;
            return Err(e.into());
        }
        session.info.scale = session.device_scale(config).await;
        session.command_deadline_ms.store(
            millis(config.page_timeout() + COMMAND_GRACE),
            Ordering::SeqCst,
        );
        let i = &session.info;
        tracing::info!(
            "browser: session open: {} {}, driver {}, {}x{} {}",
            i.name,
            i.version,
            i.driver_version.as_deref().unwrap_or("unknown"),
            i.viewport.width,
            i.viewport.height,
            if i.headed { "headed" } else { "headless" }
        );
        Ok(session)
    }

    /// The page's device pixel ratio, made the one asked for (`--scale`)
    /// through CDP when the browser did not take it from its options (a
    /// Chromium behind a remote endpoint); a browser that takes neither is
    /// a warning, and its own ratio is what the screenshots have.
    async fn device_scale(&self, config: &BrowserConfig) -> f64 {
        let want = config.device_scale();
        let read = || async {
            self.execute("return window.devicePixelRatio;", vec![])
                .await
                .ok()
                .and_then(|v| v.as_f64())
        };
        let Some(mut dpr) = read().await else {
            return want;
        };
        if (dpr - want).abs() > 0.01 && self.has_cdp() {
            let Viewport { width, height } = config.viewport;
            let params = json!({
                "width": width, "height": height, "deviceScaleFactor": want, "mobile": false
            });
            if self
                .cdp("Emulation.setDeviceMetricsOverride", params)
                .await
                .is_ok()
            {
                dpr = read().await.unwrap_or(dpr);
            }
        }
        if (dpr - want).abs() > 0.01 {
            tracing::warn!("browser: asked for device scale {want}, the browser shows {dpr}");
        }
        dpr
    }

    /// Resize the window so the page area is exactly `viewport` CSS pixels.
    async fn fit_viewport(&self, viewport: Viewport) -> Result<(), CommandError> {
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
            let (w, h) = (clamp_px(w), clamp_px(h));
            self.call("set_window_size", None, self.client.set_window_size(w, h))
                .await?;
        }
        tracing::warn!(
            "the window could not be fitted to {}x{}; screenshots may have another size",
            viewport.width,
            viewport.height
        );
        Ok(())
    }

    /// Send one command: counted, timed, logged at debug by name only (never
    /// its arguments: secrets pass through scripts and typed text), and
    /// given up after [`Self::command_deadline`] as [`ErrorKind::NoAnswer`].
    async fn call<T>(
        &self,
        command: &'static str,
        note: Option<String>,
        fut: impl Future<Output = Result<T, CmdError>> + Send,
    ) -> Result<T, CommandError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(CommandError::new(
                ErrorKind::SessionLost,
                command,
                "the browser session was closed",
            ));
        }
        if self.stalled.load(Ordering::SeqCst) {
            return Err(CommandError::new(
                ErrorKind::NoAnswer,
                command,
                format!(
                    "not sent: the WebDriver endpoint {} did not answer an earlier command",
                    self.endpoint
                ),
            ));
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let limit = Duration::from_millis(self.command_deadline_ms.load(Ordering::SeqCst));
        let result = match tokio::time::timeout(limit, fut).await {
            Ok(answer) => answer.map_err(|e| classify(command, e)),
            Err(_) => {
                self.stalled.store(true, Ordering::SeqCst);
                Err(CommandError::new(
                    ErrorKind::NoAnswer,
                    command,
                    format!(
                        "the WebDriver endpoint {} did not answer `{command}` within {}",
                        self.endpoint,
                        shown_secs(limit)
                    ),
                ))
            }
        };
        let ms = started.elapsed().as_millis();
        {
            let mut log = self.commands.lock().unwrap_or_else(PoisonError::into_inner);
            if log.len() < COMMAND_LOG_MAX {
                log.push(CommandTime {
                    name: command,
                    note: note.clone(),
                    ms: u64::try_from(ms).unwrap_or(u64::MAX),
                });
            }
        }
        let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
        match &result {
            Ok(_) => tracing::debug!("webdriver: {command}{note} {ms} ms"),
            Err(e) => tracing::debug!("webdriver: {command}{note} {ms} ms: failed ({})", e.kind()),
        }
        result
    }

    /// The tab changed: no [`PageScript`] is registered for its documents.
    fn forget_preloaded(&self) {
        self.preloaded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn element(&self, el: &ElementRef) -> Element {
        Element::from_element_id(self.client.clone(), el.id().to_string().into())
    }
}

#[async_trait]
impl Browser for WebDriverSession {
    fn info(&self) -> &BrowserInfo {
        &self.info
    }

    fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }

    fn driver_pid(&self) -> Option<u32> {
        self.driver_pid
    }

    fn take_commands(&self) -> Vec<CommandTime> {
        std::mem::take(&mut *self.commands.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn has_cdp(&self) -> bool {
        self.cdp.load(Ordering::Relaxed) != CDP_NO
    }

    async fn cdp(&self, method: &'static str, params: Json) -> Result<Json, CommandError> {
        if self.cdp.load(Ordering::Relaxed) == CDP_NO {
            return Err(CommandError::new(
                ErrorKind::Unsupported,
                "cdp",
                format!("{} has no DevTools passthrough for {method}", self.endpoint),
            ));
        }
        let cmd = SessionPost {
            path: "goog/cdp/execute",
            body: json!({ "cmd": method, "params": params }),
        };
        let sent = self
            .call("cdp", Some(method.to_string()), self.client.issue_cmd(cmd))
            .await;
        match &sent {
            Ok(_) => self.cdp.store(CDP_YES, Ordering::Relaxed),
            // A Grid or a driver without the passthrough: never ask again.
            Err(e) if e.kind() == ErrorKind::Unsupported => {
                tracing::debug!("webdriver: no DevTools passthrough; plain WebDriver from here");
                self.cdp.store(CDP_NO, Ordering::Relaxed);
            }
            Err(_) => {}
        }
        sent
    }

    async fn preload(&self, script: &PageScript) {
        if !self.has_cdp() {
            return;
        }
        {
            let mut done = self
                .preloaded
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if done.contains(&script.name) {
                return;
            }
            // Once, whatever the answer: without it the stub falls back to
            // the whole script, which is slower, not wrong.
            done.push(script.name);
        }
        let source = json!({ "source": script.on_new_document() });
        if let Err(e) = self
            .cdp("Page.addScriptToEvaluateOnNewDocument", source)
            .await
        {
            tracing::debug!("webdriver: {} not preloaded: {}", script.name, e.kind());
        }
    }

    async fn insert_text(&self, text: &str) -> Result<(), CommandError> {
        if self.has_cdp() {
            match self.cdp("Input.insertText", json!({ "text": text })).await {
                Err(e) if e.kind() == ErrorKind::Unsupported => {}
                r => return r.map(drop),
            }
        }
        let el = self.active_element().await?;
        self.send_keys(&el, text).await
    }

    async fn goto(&self, url: &str) -> Result<(), CommandError> {
        // The URL is not logged: query strings may carry tokens.
        self.call("goto", None, self.client.goto(url)).await
    }

    async fn execute(&self, script: &str, args: Vec<Json>) -> Result<Json, CommandError> {
        self.call("execute", None, self.client.execute(script, args))
            .await
    }

    async fn execute_async(&self, script: &str, args: Vec<Json>) -> Result<Json, CommandError> {
        self.call(
            "execute_async",
            None,
            self.client.execute_async(script, args),
        )
        .await
    }

    async fn click(&self, el: &ElementRef) -> Result<(), CommandError> {
        let el = self.element(el);
        self.call("click", None, el.click()).await
    }

    async fn hover(&self, el: &ElementRef) -> Result<(), CommandError> {
        let element = self.element(el);
        let moves =
            MouseActions::new("clickpath-mouse".into()).then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            });
        self.call("hover", None, self.client.perform_actions(moves))
            .await
    }

    async fn pointer_click(&self, el: &ElementRef) -> Result<(), CommandError> {
        let element = self.element(el);
        let click = MouseActions::new("clickpath-mouse".into())
            .then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.call("pointer_click", None, self.client.perform_actions(click))
            .await
    }

    async fn clear(&self, el: &ElementRef) -> Result<(), CommandError> {
        let el = self.element(el);
        self.call("clear", None, el.clear()).await
    }

    async fn send_keys(&self, el: &ElementRef, text: &str) -> Result<(), CommandError> {
        let el = self.element(el);
        let note = format!("{} chars", text.chars().count());
        self.call("send_keys", Some(note), el.send_keys(text)).await
    }

    async fn active_element(&self) -> Result<ElementRef, CommandError> {
        let el = self
            .call("active_element", None, self.client.active_element())
            .await?;
        Ok(ElementRef::new(el.element_id().to_string()))
    }

    async fn screenshot(&self) -> Result<Vec<u8>, CommandError> {
        // The same capture chromedriver's Take Screenshot makes (a PNG of
        // the viewport), asked for with the encoder set for speed: fewer ms
        // in the browser per step. The bytes are the browser's, decoded
        // from base64 only.
        if self.has_cdp() {
            let params = json!({ "format": "png", "optimizeForSpeed": true });
            match self.cdp("Page.captureScreenshot", params).await {
                Ok(v) => {
                    let data = v.get("data").and_then(Json::as_str).unwrap_or_default();
                    return base64::engine::general_purpose::STANDARD
                        .decode(data)
                        .map_err(|e| {
                            CommandError::new(
                                ErrorKind::Protocol,
                                "screenshot",
                                format!("the screenshot is not base64: {e}"),
                            )
                        });
                }
                Err(e) if e.kind() == ErrorKind::Unsupported => {}
                Err(e) => return Err(e),
            }
        }
        self.call("screenshot", None, self.client.screenshot())
            .await
    }

    async fn dialog_text(&self) -> Result<Option<String>, CommandError> {
        match self
            .call("dialog_text", None, self.client.get_alert_text())
            .await
        {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == ErrorKind::NoSuchAlert => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn accept_dialog(&self) -> Result<(), CommandError> {
        self.call("accept_dialog", None, self.client.accept_alert())
            .await
    }

    async fn dismiss_dialog(&self) -> Result<(), CommandError> {
        self.call("dismiss_dialog", None, self.client.dismiss_alert())
            .await
    }

    async fn windows(&self) -> Result<Vec<String>, CommandError> {
        let handles = self.call("windows", None, self.client.windows()).await?;
        Ok(handles.into_iter().map(String::from).collect())
    }

    async fn switch_to_window(&self, handle: &str) -> Result<(), CommandError> {
        let switch = async {
            let handle = WindowHandle::try_from(handle)?;
            self.client.switch_to_window(handle).await
        };
        self.call("switch_to_window", None, switch).await
    }

    async fn close_window(&self) -> Result<(), CommandError> {
        self.call("close_window", None, self.client.close_window())
            .await
    }

    async fn enter_frame(&self, frame: Option<&ElementRef>) -> Result<(), CommandError> {
        let id = frame.map_or(Json::Null, ElementRef::to_json);
        let cmd = SessionPost {
            path: "frame",
            body: json!({ "id": id }),
        };
        let switch = async { self.client.issue_cmd(cmd).await.map(drop) };
        self.call("enter_frame", None, switch).await
    }

    async fn enter_parent_frame(&self) -> Result<(), CommandError> {
        self.call("enter_parent_frame", None, self.client.enter_parent_frame())
            .await
    }

    async fn close(&self) {
        if self.closed.swap(true, Ordering::SeqCst) {
            return;
        }
        let started = Instant::now();
        // A stalled endpoint would only queue the request behind the hung one.
        if !self.stalled.load(Ordering::SeqCst) {
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.client.clone().close()).await;
        }
        let driver = self
            .driver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(mut d) = driver {
            // Killing and waiting for the process tree sleeps between checks:
            // keep it off the async workers.
            let _ = tokio::task::spawn_blocking(move || d.shutdown()).await;
        }
        tracing::info!("browser: closed in {} ms", started.elapsed().as_millis());
    }

    async fn can_isolate(&self) -> bool {
        self.devtools_answers().await
    }

    async fn isolate(&self, visited: &[String]) -> Result<(), CommandError> {
        self.isolate_session(visited).await
    }

    async fn refit(
        &mut self,
        viewport: Viewport,
        page_timeout: Duration,
    ) -> Result<(), CommandError> {
        self.refit_session(viewport, page_timeout).await
    }
}

impl Drop for WebDriverSession {
    fn drop(&mut self) {
        if self.closed.load(Ordering::SeqCst) {
            return;
        }
        tracing::debug!("browser: session dropped without close; stopping it");
        // Our driver stops when `self.driver` drops (DriverProcess::drop).
        // A remote endpoint keeps sessions: ask it to end this one if a
        // runtime is still there to send the request.
        let remote = self.driver.get_mut().map_or(true, |d| d.is_none());
        if remote && !self.stalled.load(Ordering::SeqCst) {
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                let client = self.client.clone();
                rt.spawn(async move {
                    let _ = tokio::time::timeout(CLOSE_TIMEOUT, client.close()).await;
                });
            }
        }
    }
}

/// A `POST /session/{id}/PATH` with a JSON body, for the commands
/// fantoccini has no call for: [Switch To Frame] with any `id` (`null` is
/// the top-level document), and chromedriver's DevTools passthrough
/// (`goog/cdp/execute`, `{"cmd": method, "params": {...}}`, answering the
/// CDP result object).
///
/// [Switch To Frame]: https://www.w3.org/TR/webdriver2/#switch-to-frame
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: Json,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        // No session id only after the session ended; the request then fails.
        let session = session_id.unwrap_or("closed");
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Whether the session's browser is Chromium-based (Chrome, Chromium, Edge),
/// by its capabilities: only those speak CDP.
fn is_chromium(caps: &serde_json::Map<String, Json>) -> bool {
    let name = caps
        .get("browserName")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    ["chrome", "chromium", "msedge", "headless chrome"].contains(&name.as_str())
        || caps.contains_key("goog:chromeOptions")
}

/// A window dimension as WebDriver takes it (at least 1 px).
fn clamp_px(v: i64) -> u32 {
    u32::try_from(v.max(1)).unwrap_or(u32::MAX)
}

/// [New Session](https://www.w3.org/TR/webdriver2/#new-session) at `url`.
async fn connect(
    url: &str,
    caps: serde_json::Map<String, Json>,
) -> Result<Client, NewSessionError> {
    let started = Instant::now();
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(url)
        .await;
    let ms = started.elapsed().as_millis();
    match &client {
        Ok(_) => tracing::debug!("webdriver: new_session {ms} ms"),
        Err(_) => tracing::debug!("webdriver: new_session {ms} ms: failed"),
    }
    client
}

/// W3C-only capabilities, which every endpoint understands.
fn generic_capabilities(config: &BrowserConfig) -> serde_json::Map<String, Json> {
    let mut caps = serde_json::Map::new();
    caps.insert("pageLoadStrategy".into(), json!("normal"));
    // A dialog the page opens stays open until a step handles it (or the
    // run records it and fails the step): never silently dismissed.
    caps.insert("unhandledPromptBehavior".into(), json!("ignore"));
    // While the session is prepared; `finish` then sets the run's page
    // timeout, so the driver reports a page that does not load (or a script
    // that does not answer) itself, as `timeout`, within the step deadline.
    caps.insert(
        "timeouts".into(),
        json!({ "script": 30_000, "pageLoad": 60_000, "implicit": 0 }),
    );
    // Firefox takes the device scale factor as a preference.
    let mut firefox = json!({
        "prefs": { "layout.css.devPixelsPerPx": format!("{}", config.device_scale()) }
    });
    if !config.headed {
        firefox["args"] = json!(["-headless"]);
    }
    caps.insert("moz:firefoxOptions".into(), firefox);
    caps
}

/// A duration in whole milliseconds (saturating).
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A duration for people: `7s`, `2.5s`.
fn shown_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s:.1}s")
    }
}

/// The endpoint URL without user name and password (Grid URLs may carry them).
fn without_credentials(url: &url::Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::without_credentials;

    #[test]
    fn credentials_in_the_endpoint_are_not_shown() {
        let u = url::Url::parse("https://me:hunter2@grid.example:4444/wd/hub").expect("url");
        let shown = without_credentials(&u);
        assert!(
            !shown.contains("hunter2") && !shown.contains("me@"),
            "{shown}"
        );
        assert!(shown.contains("grid.example:4444/wd/hub"), "{shown}");
    }
}
