//! Turning fantoccini's errors into ours: a failed New Session into a
//! [`BrowserError`], a failed command into a [`CommandError`] whose
//! [`ErrorKind`] comes from the WebDriver error code.
//!
//! Part of `webdriver.rs`, the only place that knows fantoccini.

use std::error::Error as StdError;

use fantoccini::error::{CmdError, ErrorStatus, NewSessionError};

use crate::browser::error::unknown_error_kind;
use crate::browser::{BrowserError, CommandError, ErrorKind};

/// Why an endpoint given with `--webdriver` gave no session.
pub(super) fn endpoint_error(url: String, e: NewSessionError) -> BrowserError {
    match e {
        NewSessionError::BadWebdriverUrl(e) => BrowserError::InvalidUrl {
            url,
            reason: e.to_string(),
        },
        NewSessionError::Failed(_) | NewSessionError::FailedC(_) | NewSessionError::Lost(_) => {
            BrowserError::Unreachable {
                url,
                reason: new_session_message(&e),
            }
        }
        e => BrowserError::SessionRefused {
            url,
            message: new_session_message(&e),
        },
    }
}

/// The driver's own words for a failed New Session.
pub(super) fn new_session_message(e: &NewSessionError) -> String {
    match e {
        NewSessionError::SessionNotCreated(wd) => wd.message.to_string(),
        NewSessionError::NotW3C(v) => format!("it does not answer as W3C WebDriver: {v}"),
        NewSessionError::UnexpectedError(e) => e.to_string(),
        NewSessionError::BadWebdriverUrl(e) => e.to_string(),
        NewSessionError::Failed(e) => innermost(e),
        NewSessionError::FailedC(e) => innermost(e),
        NewSessionError::Lost(e) => e.to_string(),
    }
}

/// The most specific cause of an error (`Connection refused (os error 111)`
/// rather than hyper's `client error (Connect)`). fantoccini's own errors
/// implement only the deprecated `cause`: pass their inner error.
fn innermost(e: &dyn StdError) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Turn fantoccini's error into ours, by WebDriver error code.
pub(super) fn classify(command: &'static str, e: CmdError) -> CommandError {
    let kind = match &e {
        CmdError::Standard(wd) => match wd.error {
            ErrorStatus::StaleElementReference => ErrorKind::StaleElement,
            ErrorStatus::NoSuchElement => ErrorKind::NoSuchElement,
            ErrorStatus::ElementNotInteractable => ErrorKind::ElementNotInteractable,
            ErrorStatus::ElementClickIntercepted => ErrorKind::ClickIntercepted,
            ErrorStatus::JavascriptError => ErrorKind::JavascriptError,
            ErrorStatus::ScriptTimeout => ErrorKind::ScriptTimeout,
            ErrorStatus::Timeout => ErrorKind::Timeout,
            ErrorStatus::NoSuchWindow => ErrorKind::NoSuchWindow,
            ErrorStatus::NoSuchFrame => ErrorKind::NoSuchFrame,
            ErrorStatus::UnexpectedAlertOpen => ErrorKind::UnexpectedAlert,
            ErrorStatus::NoSuchAlert => ErrorKind::NoSuchAlert,
            ErrorStatus::InvalidSessionId | ErrorStatus::SessionNotCreated => {
                ErrorKind::SessionLost
            }
            ErrorStatus::UnknownError => unknown_error_kind(&wd.message),
            ErrorStatus::UnknownCommand
            | ErrorStatus::UnknownMethod
            | ErrorStatus::UnsupportedOperation => ErrorKind::Unsupported,
            _ => ErrorKind::Other,
        },
        CmdError::Lost(_) | CmdError::Failed(_) | CmdError::FailedC(_) => ErrorKind::SessionLost,
        CmdError::NotJson(_) | CmdError::Json(_) | CmdError::NotW3C(_) => ErrorKind::Protocol,
        _ => ErrorKind::Other,
    };
    match e {
        CmdError::Standard(wd) => {
            CommandError::new(kind, command, wd.message).with_code(wd.error.description())
        }
        CmdError::Failed(ref inner) => {
            let message = format!("{e}: {}", innermost(inner));
            CommandError::new(kind, command, message)
        }
        CmdError::FailedC(ref inner) => {
            let message = format!("{e}: {}", innermost(inner));
            CommandError::new(kind, command, message)
        }
        e => CommandError::new(kind, command, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fantoccini::error::WebDriver;

    fn standard(status: ErrorStatus, message: &str) -> CommandError {
        classify(
            "click",
            CmdError::Standard(WebDriver::new(status, message.to_string())),
        )
    }

    #[test]
    fn element_errors_are_classified_by_code() {
        let e = standard(
            ErrorStatus::StaleElementReference,
            "stale element not found",
        );
        assert_eq!(e.kind(), ErrorKind::StaleElement);
        assert!(e.is_stale() && e.is_retryable() && e.is_transient());
        assert_eq!(e.code(), Some("stale element reference"));
        assert_eq!(
            e.to_string(),
            "click: stale element reference: stale element not found"
        );

        // The message mentions no "intercepted": the code alone decides.
        let e = standard(
            ErrorStatus::ElementClickIntercepted,
            "Other element would receive it",
        );
        assert_eq!(e.kind(), ErrorKind::ClickIntercepted);
        assert!(e.is_retryable() && !e.is_transient() && !e.is_environment());

        let e = standard(ErrorStatus::ElementNotInteractable, "not interactable");
        assert_eq!(e.kind(), ErrorKind::ElementNotInteractable);
        assert!(e.is_retryable());

        let e = standard(ErrorStatus::NoSuchElement, "no such element");
        assert!(e.is_transient());

        // A message that merely sounds like a stale element is not one.
        let e = standard(ErrorStatus::InvalidArgument, "stale element reference");
        assert_eq!(e.kind(), ErrorKind::Other);
        assert!(!e.is_retryable());
    }

    #[test]
    fn session_and_network_failures_are_environment_errors() {
        let e = standard(ErrorStatus::InvalidSessionId, "invalid session id");
        assert_eq!(e.kind(), ErrorKind::SessionLost);
        assert!(e.is_environment() && !e.is_retryable());

        let lost = CmdError::Lost(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset",
        ));
        let e = classify("execute", lost);
        assert_eq!(e.kind(), ErrorKind::SessionLost);
        assert!(e.is_environment());

        let e = standard(
            ErrorStatus::UnknownError,
            "unknown error: net::ERR_NAME_NOT_RESOLVED\n  (Session info: chrome=120.0)",
        );
        assert_eq!(e.kind(), ErrorKind::Navigation);
        assert!(e.is_environment());
        assert_eq!(e.net_error(), Some("net::ERR_NAME_NOT_RESOLVED"));

        let e = standard(
            ErrorStatus::UnknownError,
            "unknown error: cannot focus element",
        );
        assert_eq!(e.kind(), ErrorKind::Other);
        assert!(!e.is_environment());
    }

    #[test]
    fn scripts_cut_short_by_a_navigation_are_transient() {
        let e = standard(
            ErrorStatus::JavascriptError,
            "javascript error: Execution context was destroyed, most likely because of a navigation",
        );
        assert_eq!(e.kind(), ErrorKind::JavascriptError);
        assert!(e.is_transient());
        let e = standard(
            ErrorStatus::JavascriptError,
            "javascript error: x is not defined",
        );
        assert!(!e.is_transient() && !e.is_retryable());
        let e = standard(ErrorStatus::ScriptTimeout, "script timeout");
        assert!(e.is_transient());
        let e = standard(ErrorStatus::UnexpectedAlertOpen, "unexpected alert open");
        assert_eq!(e.kind(), ErrorKind::UnexpectedAlert);
        let e = classify("execute", CmdError::NotJson("<html>".into()));
        assert_eq!(e.kind(), ErrorKind::Protocol);
    }
}
