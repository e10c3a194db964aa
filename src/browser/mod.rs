//! The browser seam: one WebDriver session behind the [`Browser`] trait.
//!
//! [`launch`] starts chromedriver with a headless Chromium (or attaches to
//! any WebDriver endpoint: chromedriver, geckodriver, a Selenium Grid) and
//! hands back a `Box<dyn Browser>`. The executor and the locator talk to that
//! trait only, so a test double can stand in for a real browser. Elements are
//! [`ElementRef`]s (the W3C web element id), failures are [`CommandError`]s
//! classified by WebDriver error code.
//!
//! Files: `webdriver.rs` (with `webdriver/classify.rs`, its errors, and
//! `webdriver/isolate.rs`, reusing a Chromium session for the next runbook)
//! is the only code that touches fantoccini; `chromedriver.rs` owns the driver process and its profile;
//! `guard.rs` the guardian process that cleans up after a killed run; `error.rs` the
//! errors and their predicates; `keys.rs` key names.
//!
//! This module sits below `locate` and `execute`: it knows nothing of
//! runbooks (beyond their [`Viewport`]), locators, steps, evidence or reports.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Value as Json};

use crate::runbook::Viewport;

mod chromedriver;
#[cfg(test)]
mod double;
mod error;
mod guard;
mod keys;
mod script;
mod webdriver;

pub use error::{BrowserError, CommandError, ErrorKind};
pub use guard::{enable as enable_guardian, serve as serve_guardian, GUARD_COMMAND};
pub use keys::key_text;
pub use script::PageScript;

/// The JSON key of a [web element reference](https://www.w3.org/TR/webdriver2/#dfn-web-element-reference).
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

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
    /// The session's page-load and script timeout; every WebDriver command
    /// (and opening the session) gets this plus a short grace before it is
    /// given up as [`ErrorKind::NoAnswer`]. `None`: 30 s.
    pub timeout: Option<Duration>,
    /// Device pixels per CSS pixel (`--scale`); 0 (the default) means 1.
    pub scale: f64,
}

impl BrowserConfig {
    /// Device pixels per CSS pixel asked for ([`BrowserConfig::scale`], else 1).
    pub fn device_scale(&self) -> f64 {
        if self.scale > 0.0 {
            self.scale
        } else {
            1.0
        }
    }

    /// The page-load and script timeout ([`BrowserConfig::timeout`], else 30 s).
    pub fn page_timeout(&self) -> Duration {
        self.timeout.unwrap_or(Duration::from_secs(30))
    }
}

/// What the session reports about itself, for the manifest.
#[derive(Debug, Clone, PartialEq)]
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
    /// Device pixels per CSS pixel of its screenshots, as the page reports
    /// it (`window.devicePixelRatio`).
    pub scale: f64,
}

/// An element in the page: the W3C web element id, valid until it goes stale.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ElementRef(String);

impl ElementRef {
    /// An element reference from the id a driver gave.
    pub fn new(id: impl Into<String>) -> Self {
        ElementRef(id.into())
    }

    /// The web element id.
    pub fn id(&self) -> &str {
        &self.0
    }

    /// The element as a script argument (`{"element-6066-…": id}`).
    pub fn to_json(&self) -> Json {
        json!({ ELEMENT_KEY: self.0 })
    }

    /// The element a script returned, if `v` is a web element reference.
    pub fn from_json(v: &Json) -> Option<ElementRef> {
        v.get(ELEMENT_KEY)?.as_str().map(ElementRef::new)
    }
}

/// One command sent to the browser and how long its round trip took, for
/// `-v`'s per-step breakdown. Never carries arguments (secrets pass
/// through scripts and typed text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandTime {
    /// The command (`execute_async`, `pointer_click`, `cdp`, …).
    pub name: &'static str,
    /// What it was about, when that is safe to show (`Page.captureScreenshot`, `20 chars`).
    pub note: Option<String>,
    /// Wall time of the round trip in milliseconds.
    pub ms: u64,
}

impl fmt::Display for CommandTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.note {
            Some(n) => write!(f, "{} {} {} ms", self.name, n, self.ms),
            None => write!(f, "{} {} ms", self.name, self.ms),
        }
    }
}

/// One browser session: the WebDriver commands clickpath sends.
///
/// Every command method is one round trip, counted in [`Browser::round_trips`].
/// Implementations must stop everything they started when dropped, even
/// without [`Browser::close`].
#[async_trait]
pub trait Browser: fmt::Debug + Send + Sync {
    /// Browser and driver versions, viewport and mode.
    fn info(&self) -> &BrowserInfo;

    /// WebDriver commands sent through this session so far.
    fn round_trips(&self) -> u64;

    /// The commands sent since the last call, oldest first (for `-v`).
    fn take_commands(&self) -> Vec<CommandTime> {
        Vec::new()
    }

    /// Whether [`Browser::cdp`] can work here: `false` once the endpoint
    /// said it has no DevTools passthrough (or for a browser without one).
    fn has_cdp(&self) -> bool {
        false
    }

    /// A [Chrome DevTools Protocol](https://chromedevtools.github.io/devtools-protocol/)
    /// command on the current page, through the driver's passthrough
    /// (chromedriver's `POST /session/{id}/goog/cdp/execute`); one round
    /// trip. An endpoint without it answers [`ErrorKind::Unsupported`] and
    /// callers fall back to plain WebDriver.
    async fn cdp(&self, method: &'static str, _params: Json) -> Result<Json, CommandError> {
        Err(CommandError::new(
            ErrorKind::Unsupported,
            "cdp",
            format!("this browser has no DevTools passthrough for {method}"),
        ))
    }

    /// Type `text` into the focused element as one insertion (CDP
    /// `Input.insertText`: the `beforeinput`/`input` events of typing, no
    /// key events), falling back to key presses on the focused element
    /// where the DevTools passthrough is missing.
    async fn insert_text(&self, text: &str) -> Result<(), CommandError> {
        let el = self.active_element().await?;
        self.send_keys(&el, text).await
    }

    /// Run a [`PageScript`] with [Execute Async Script] (`asynchronous`)
    /// or [Execute Script]: through the copy the document keeps once it ran
    /// the script (a stub of a few bytes), else whole, which installs it.
    /// Registers the script for new documents first where the DevTools
    /// passthrough allows ([`Browser::preload`]).
    ///
    /// [Execute Script]: https://www.w3.org/TR/webdriver2/#execute-script
    /// [Execute Async Script]: https://www.w3.org/TR/webdriver2/#execute-async-script
    async fn run_script(
        &self,
        script: &PageScript,
        args: Vec<Json>,
        asynchronous: bool,
    ) -> Result<Json, CommandError> {
        self.preload(script).await;
        let stub = script.stub();
        let v = if asynchronous {
            self.execute_async(&stub, args.clone()).await?
        } else {
            self.execute(&stub, args.clone()).await?
        };
        if !PageScript::missing(&v) {
            return Ok(v);
        }
        let full = script.full();
        if asynchronous {
            self.execute_async(&full, args).await
        } else {
            self.execute(&full, args).await
        }
    }

    /// Have every new document of this session install `script` before its
    /// own scripts run (CDP `Page.addScriptToEvaluateOnNewDocument`), once
    /// per script and session. Does nothing without the DevTools passthrough.
    async fn preload(&self, _script: &PageScript) {}

    /// The process id of the driver this session started, if it started one.
    fn driver_pid(&self) -> Option<u32> {
        None
    }

    /// [Navigate To](https://www.w3.org/TR/webdriver2/#navigate-to); waits for the load.
    async fn goto(&self, url: &str) -> Result<(), CommandError>;

    /// [Execute Script](https://www.w3.org/TR/webdriver2/#execute-script).
    async fn execute(&self, script: &str, args: Vec<Json>) -> Result<Json, CommandError>;

    /// [Execute Async Script](https://www.w3.org/TR/webdriver2/#execute-async-script).
    async fn execute_async(&self, script: &str, args: Vec<Json>) -> Result<Json, CommandError>;

    /// [Element Click](https://www.w3.org/TR/webdriver2/#element-click).
    async fn click(&self, el: &ElementRef) -> Result<(), CommandError>;

    /// [Perform Actions](https://www.w3.org/TR/webdriver2/#perform-actions):
    /// move the mouse pointer to the centre of `el` (hover), no button pressed.
    async fn hover(&self, el: &ElementRef) -> Result<(), CommandError>;

    /// [Perform Actions](https://www.w3.org/TR/webdriver2/#perform-actions):
    /// move the mouse to the centre of `el`, press and release the left
    /// button. A person's click, without Element Click's check that `el`
    /// itself is hit there (which misjudges text slotted into a web
    /// component's label); callers check what receives the click first.
    async fn pointer_click(&self, el: &ElementRef) -> Result<(), CommandError>;

    /// [Element Clear](https://www.w3.org/TR/webdriver2/#element-clear).
    async fn clear(&self, el: &ElementRef) -> Result<(), CommandError>;

    /// [Element Send Keys](https://www.w3.org/TR/webdriver2/#element-send-keys).
    async fn send_keys(&self, el: &ElementRef, text: &str) -> Result<(), CommandError>;

    /// [Get Active Element](https://www.w3.org/TR/webdriver2/#get-active-element).
    async fn active_element(&self) -> Result<ElementRef, CommandError>;

    /// [Take Screenshot](https://www.w3.org/TR/webdriver2/#take-screenshot): viewport PNG bytes as delivered.
    async fn screenshot(&self) -> Result<Vec<u8>, CommandError>;

    /// [Get Window Handles](https://www.w3.org/TR/webdriver2/#get-window-handles):
    /// every open window or tab, including ones the page opened.
    async fn windows(&self) -> Result<Vec<String>, CommandError>;

    /// [Switch To Window](https://www.w3.org/TR/webdriver2/#switch-to-window) by handle.
    async fn switch_to_window(&self, handle: &str) -> Result<(), CommandError>;

    /// [Close Window](https://www.w3.org/TR/webdriver2/#close-window): close
    /// the current window or tab; commands then fail until
    /// [`Browser::switch_to_window`] picks another. Closing the last one ends
    /// the session, so callers never do. A browser that cannot close windows
    /// answers [`ErrorKind::Other`].
    async fn close_window(&self) -> Result<(), CommandError> {
        Err(CommandError::new(
            ErrorKind::Other,
            "close_window",
            "this browser cannot close windows",
        ))
    }

    /// [Switch To Frame](https://www.w3.org/TR/webdriver2/#switch-to-frame):
    /// into the `<iframe>` `frame`, or back to the top document with `None`.
    async fn enter_frame(&self, frame: Option<&ElementRef>) -> Result<(), CommandError>;

    /// [Switch To Parent Frame](https://www.w3.org/TR/webdriver2/#switch-to-parent-frame).
    async fn enter_parent_frame(&self) -> Result<(), CommandError>;

    /// [Get Alert Text](https://www.w3.org/TR/webdriver2/#get-alert-text):
    /// the text of the open `alert`/`confirm`/`prompt`, or `None` when no
    /// dialog is open. Sessions are opened with `unhandledPromptBehavior:
    /// ignore`, so a dialog stays open until a command accepts or dismisses it.
    async fn dialog_text(&self) -> Result<Option<String>, CommandError>;

    /// [Accept Alert](https://www.w3.org/TR/webdriver2/#accept-alert) (OK).
    async fn accept_dialog(&self) -> Result<(), CommandError>;

    /// [Dismiss Alert](https://www.w3.org/TR/webdriver2/#dismiss-alert) (Cancel).
    async fn dismiss_dialog(&self) -> Result<(), CommandError>;

    /// End the session, stop the driver we started, remove the temporary profile.
    ///
    /// Idempotent; errors while ending are ignored (the goal is that nothing
    /// is left running). Later commands fail with [`ErrorKind::SessionLost`].
    async fn close(&self);

    /// Whether [`Browser::isolate`] works here: asked once, by trying it
    /// (Chromium's DevTools passthrough answers through chromedriver or a
    /// Chromium Grid node; geckodriver does not). `false` by default.
    async fn can_isolate(&self) -> bool {
        false
    }

    /// Leave this session as a new one would be for the next runbook: one
    /// new blank tab (clean history, no frame entered, no dialog), every
    /// other window closed, no cookies, no HTTP cache, permissions reset,
    /// and every origin's storage cleared (local and session storage,
    /// IndexedDB, cache storage, service workers) for each origin in
    /// `visited` (URLs the previous runbook reported) and each the browser
    /// itself shows (its windows' history, frames and workers).
    ///
    /// On error the session may be half reset: close it and start another.
    /// A browser that cannot do this answers [`ErrorKind::Other`].
    async fn isolate(&self, visited: &[String]) -> Result<(), CommandError> {
        let _ = visited;
        Err(CommandError::new(
            ErrorKind::Other,
            "isolate",
            "this browser cannot isolate one runbook from the next",
        ))
    }

    /// Fit the session to the next runbook: the page area to `viewport`
    /// (and [`Browser::info`] with it), the page-load and script timeouts
    /// to `page_timeout` (commands then get that plus a short grace). A
    /// browser that cannot answers [`ErrorKind::Other`].
    async fn refit(
        &mut self,
        viewport: Viewport,
        page_timeout: Duration,
    ) -> Result<(), CommandError> {
        let _ = (viewport, page_timeout);
        Err(CommandError::new(
            ErrorKind::Other,
            "refit",
            "this browser cannot be refitted",
        ))
    }
}

/// Start (or attach to) a WebDriver endpoint and open a browser session.
///
/// Without [`BrowserConfig::webdriver_url`], starts chromedriver on a free
/// loopback port with a fresh temporary profile. The window is sized so the
/// page area is exactly [`BrowserConfig::viewport`].
pub async fn launch(config: &BrowserConfig) -> Result<Box<dyn Browser>, BrowserError> {
    let session = webdriver::WebDriverSession::launch(config).await?;
    Ok(Box::new(session))
}
