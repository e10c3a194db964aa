//! Browser errors: [`BrowserError`] when no session could be started, and
//! [`CommandError`] when one WebDriver command failed.
//!
//! A command error carries an [`ErrorKind`] decided from the WebDriver error
//! code (see `webdriver.rs`), and the predicates callers need
//! ([`CommandError::is_retryable`], [`CommandError::is_transient`],
//! [`CommandError::is_environment`]). Where a driver reports something without
//! a dedicated code, the message text is read in exactly two documented
//! functions here: [`unknown_error_kind`] and [`page_went_away`].
//!
//! Messages are stored as the driver gave them: they may echo page text or
//! script values, so callers redact before showing them. Nothing here knows
//! fantoccini, runbooks or the executor.

use std::fmt;
use std::path::PathBuf;

/// The install hint every "browser or driver missing" error ends with.
const INSTALL_HINT: &str =
    "Install them with `apt-get install chromium chromium-driver` (Debian/Ubuntu), \
     pass `--chromedriver PATH`, or point `--webdriver URL` at a running WebDriver endpoint.";

/// Why no browser session could be started.
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
    /// The chromedriver we ran could not be started or never became ready.
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
    /// The chromedriver we started could not start the browser.
    #[error("chromedriver could not start the browser: {message}. {INSTALL_HINT}")]
    BrowserStart {
        /// The driver's answer.
        message: String,
    },
    /// `--webdriver URL` is not a usable URL.
    #[error("the WebDriver URL `{url}` is not valid: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it does not parse.
        reason: String,
    },
    /// Nothing answered at the WebDriver endpoint that was given.
    #[error(
        "nothing is listening at the WebDriver endpoint {url} ({reason}). Start the WebDriver \
         server there (chromedriver, geckodriver, a Selenium Grid), or leave out `--webdriver` \
         to let clickpath start chromedriver itself."
    )]
    Unreachable {
        /// The endpoint.
        url: String,
        /// The connection error.
        reason: String,
    },
    /// The WebDriver endpoint that was given answered but refused a session.
    #[error("the WebDriver endpoint {url} refused to open a browser session: {message}")]
    SessionRefused {
        /// The endpoint.
        url: String,
        /// The endpoint's answer.
        message: String,
    },
    /// The WebDriver endpoint accepted the connection but did not answer.
    #[error(
        "the WebDriver endpoint {url} did not answer `{command}` within {after}: it accepts \
         connections but does not respond. Check that it is a WebDriver server and that it \
         is not stuck, or raise `--timeout`."
    )]
    NoAnswer {
        /// The endpoint.
        url: String,
        /// The command that got no answer (`status`, `new session`).
        command: &'static str,
        /// How long we waited, for people (`7s`).
        after: String,
    },
    /// A WebDriver command failed while preparing the session.
    #[error("the browser failed while preparing the session: {0}")]
    Command(#[from] CommandError),
    /// The temporary profile directory could not be created.
    #[error("could not create a temporary browser profile: {0}")]
    Profile(#[source] std::io::Error),
}

impl BrowserError {
    /// Whether the local browser or driver is missing or broken, so that
    /// installing them (the apt-get hint in the message) is the fix.
    ///
    /// False for an endpoint given with `--webdriver` that is unreachable or
    /// refused the session: installing anything locally would not help.
    pub fn is_missing_install(&self) -> bool {
        matches!(
            self,
            BrowserError::DriverNotFound { .. }
                | BrowserError::BrowserNotFound { .. }
                | BrowserError::DriverStart { .. }
                | BrowserError::BrowserStart { .. }
        )
    }
}

/// What kind of failure a WebDriver command had, from its
/// [error code](https://www.w3.org/TR/webdriver2/#errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `stale element reference`: the element left the document.
    StaleElement,
    /// `no such element`.
    NoSuchElement,
    /// `element not interactable`: hidden, zero-sized or not editable.
    ElementNotInteractable,
    /// `element click intercepted`: another element would receive the click.
    ClickIntercepted,
    /// `javascript error`: the injected script threw.
    JavascriptError,
    /// `script timeout`: an async script did not answer in time.
    ScriptTimeout,
    /// `timeout`: a page load (or other driver-side wait) took too long.
    Timeout,
    /// `no such window`: the window was closed.
    NoSuchWindow,
    /// `no such frame`: the frame went away.
    NoSuchFrame,
    /// `unexpected alert open`: a dialog blocks the page.
    UnexpectedAlert,
    /// No dialog is open (Get Alert Text with nothing to read).
    NoSuchAlert,
    /// The session or the driver is gone: `invalid session id`, a lost or
    /// refused connection, or the browser crashed.
    SessionLost,
    /// Navigation failed in the network (chromedriver: `net::ERR_…`).
    Navigation,
    /// The driver answered something WebDriver does not specify, or a script
    /// returned a value of the wrong shape.
    Protocol,
    /// The endpoint did not answer the command within its deadline (the
    /// driver hangs, or something that is not a driver holds the connection).
    NoAnswer,
    /// The endpoint has no such command (`unknown command`, `unknown
    /// method`, `unsupported operation`): e.g. the DevTools passthrough on
    /// a driver that is not chromedriver.
    Unsupported,
    /// Any other error code.
    Other,
}

impl ErrorKind {
    /// Short machine name (`stale_element`, `session_lost`, …).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::StaleElement => "stale_element",
            ErrorKind::NoSuchElement => "no_such_element",
            ErrorKind::ElementNotInteractable => "element_not_interactable",
            ErrorKind::ClickIntercepted => "click_intercepted",
            ErrorKind::JavascriptError => "javascript_error",
            ErrorKind::ScriptTimeout => "script_timeout",
            ErrorKind::Timeout => "timeout",
            ErrorKind::NoSuchWindow => "no_such_window",
            ErrorKind::NoSuchFrame => "no_such_frame",
            ErrorKind::UnexpectedAlert => "unexpected_alert",
            ErrorKind::NoSuchAlert => "no_such_alert",
            ErrorKind::SessionLost => "session_lost",
            ErrorKind::Navigation => "navigation",
            ErrorKind::Protocol => "protocol",
            ErrorKind::NoAnswer => "no_answer",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Other => "other",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One failed WebDriver command.
///
/// Displays as `command: message` (the message as the driver gave it, with
/// its W3C error code in front when the driver did not repeat it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{command}: {}", coded(*.code, .message))]
pub struct CommandError {
    kind: ErrorKind,
    command: &'static str,
    code: Option<&'static str>,
    message: String,
}

impl CommandError {
    /// An error of `kind` for `command` (`click`, `execute_async`, …).
    ///
    /// Test doubles use this; real sessions classify the driver's answer.
    pub fn new(kind: ErrorKind, command: &'static str, message: impl Into<String>) -> Self {
        CommandError {
            kind,
            command,
            code: None,
            message: message.into(),
        }
    }

    /// The same error, noting the W3C error code the driver sent.
    pub(crate) fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The WebDriver command that failed (`click`, `goto`, …).
    pub fn command(&self) -> &'static str {
        self.command
    }

    /// The W3C error code (`stale element reference`), when the driver sent one.
    pub fn code(&self) -> Option<&'static str> {
        self.code
    }

    /// The driver's message as given (may hold page text: redact before showing).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For a [`ErrorKind::Navigation`] error, Chromium's network error name
    /// (`net::ERR_NAME_NOT_RESOLVED`).
    pub fn net_error(&self) -> Option<&str> {
        let start = self.message.find("net::ERR_")?;
        let rest = &self.message[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        Some(&rest[..end])
    }

    /// The element went out of the document between finding and using it.
    pub fn is_stale(&self) -> bool {
        self.kind == ErrorKind::StaleElement
    }

    /// Worth finding the element again and repeating the action: it went
    /// stale, was not interactable or covered, or the page is navigating
    /// ([`Self::is_transient`]).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::StaleElement
                | ErrorKind::ElementNotInteractable
                | ErrorKind::ClickIntercepted
        ) || self.is_transient()
    }

    /// The page is changing under the command (navigating, re-rendering):
    /// polling again is the right answer, not failing.
    pub fn is_transient(&self) -> bool {
        match self.kind {
            ErrorKind::StaleElement | ErrorKind::NoSuchElement | ErrorKind::ScriptTimeout => true,
            ErrorKind::JavascriptError | ErrorKind::Other => page_went_away(&self.message),
            _ => false,
        }
    }

    /// Not the page's fault: the session or driver is gone, or the network
    /// failed. A run that ends on such an error is an environment failure.
    pub fn is_environment(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::SessionLost | ErrorKind::Navigation | ErrorKind::NoAnswer
        )
    }

    /// The endpoint did not answer within the command's deadline.
    pub fn is_no_answer(&self) -> bool {
        self.kind == ErrorKind::NoAnswer
    }
}

/// `code: message`, unless the driver already began the message with its code.
fn coded(code: Option<&str>, message: &str) -> String {
    match code {
        Some(code) if !message.starts_with(code) => format!("{code}: {message}"),
        _ => message.to_string(),
    }
}

/// The kind hidden in an `unknown error` message, for the failures
/// chromedriver reports without a dedicated W3C code.
///
/// - `net::ERR_…`: a navigation failed in the network (DNS, refused, TLS);
///   WebDriver has no code for it, so chromedriver sends `unknown error`.
/// - `chrome not reachable`, `disconnected:`: the browser crashed or was
///   killed; chromedriver's own statuses, sent as `unknown error`.
pub(crate) fn unknown_error_kind(message: &str) -> ErrorKind {
    if message.contains("net::ERR_") {
        ErrorKind::Navigation
    } else if message.contains("chrome not reachable") || message.contains("disconnected:") {
        ErrorKind::SessionLost
    } else {
        ErrorKind::Other
    }
}

/// Whether a script error says the document went away under it.
///
/// Chromium reports a script cut short by a navigation as `javascript error`
/// ("Execution context was destroyed", "document unloaded") or `unknown
/// error` ("target frame detached", "Inspected target navigated"): WebDriver
/// has no code for "the page is navigating", so this is the one place that
/// reads the text for it.
fn page_went_away(message: &str) -> bool {
    [
        "unloaded",
        "context was destroyed",
        "navigat",
        "target frame detached",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates_follow_the_kind() {
        let e = |k| CommandError::new(k, "click", "x");
        assert!(e(ErrorKind::StaleElement).is_stale());
        assert!(e(ErrorKind::StaleElement).is_retryable());
        assert!(e(ErrorKind::ClickIntercepted).is_retryable());
        assert!(e(ErrorKind::ElementNotInteractable).is_retryable());
        assert!(!e(ErrorKind::ClickIntercepted).is_transient());
        assert!(e(ErrorKind::NoSuchElement).is_transient());
        assert!(e(ErrorKind::ScriptTimeout).is_transient());
        assert!(!e(ErrorKind::JavascriptError).is_transient());
        assert!(e(ErrorKind::SessionLost).is_environment());
        assert!(e(ErrorKind::Navigation).is_environment());
        assert!(!e(ErrorKind::Timeout).is_environment());
        assert!(e(ErrorKind::NoAnswer).is_environment());
        assert!(e(ErrorKind::NoAnswer).is_no_answer());
        assert!(!e(ErrorKind::NoAnswer).is_retryable());
        assert!(!e(ErrorKind::Other).is_retryable());
    }

    #[test]
    fn a_script_cut_short_by_navigation_is_transient() {
        let e = CommandError::new(
            ErrorKind::JavascriptError,
            "execute_async",
            "javascript error: Execution context was destroyed, most likely because of a navigation",
        );
        assert!(e.is_transient() && e.is_retryable() && !e.is_environment());
    }

    #[test]
    fn net_error_names_the_network_failure() {
        let e = CommandError::new(
            ErrorKind::Navigation,
            "goto",
            "unknown error: net::ERR_CONNECTION_REFUSED\n  (Session info: chrome=120)",
        );
        assert_eq!(e.net_error(), Some("net::ERR_CONNECTION_REFUSED"));
        assert_eq!(
            unknown_error_kind("unknown error: net::ERR_NAME_NOT_RESOLVED"),
            ErrorKind::Navigation
        );
        assert_eq!(
            unknown_error_kind("chrome not reachable"),
            ErrorKind::SessionLost
        );
        assert_eq!(unknown_error_kind("cannot focus"), ErrorKind::Other);
    }

    #[test]
    fn display_names_the_command_and_the_code_once() {
        let e = CommandError::new(
            ErrorKind::StaleElement,
            "click",
            "stale element reference: gone",
        )
        .with_code("stale element reference");
        assert_eq!(e.to_string(), "click: stale element reference: gone");
        let e = CommandError::new(ErrorKind::StaleElement, "click", "gone")
            .with_code("stale element reference");
        assert_eq!(e.to_string(), "click: stale element reference: gone");
    }

    #[test]
    fn only_local_install_problems_get_the_install_hint() {
        let missing = BrowserError::DriverNotFound {
            searched: "not on PATH".into(),
        };
        assert!(missing.is_missing_install());
        assert!(missing.to_string().contains("apt-get install"));
        let refused = BrowserError::Unreachable {
            url: "http://127.0.0.1:1".into(),
            reason: "connection refused".into(),
        };
        assert!(!refused.is_missing_install());
        let text = refused.to_string();
        assert!(text.contains("nothing is listening at"), "{text}");
        assert!(!text.contains("apt-get"), "{text}");
    }
}
