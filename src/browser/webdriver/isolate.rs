//! Reusing one Chromium session for the next runbook, as if it were new.
//!
//! Part of `webdriver.rs`. Chromium's DevTools protocol is reached through
//! chromedriver's passthrough, `POST /session/{id}/goog/cdp/execute` with
//! `{"cmd", "params"}`, which runs the command on the *current window's*
//! target. That decides the method:
//!
//! - A fresh browser context (`Target.createBrowserContext`, the cleanest
//!   isolation) is refused on a window's target: Chromium 156 answers
//!   `Not allowed` (it is a browser-target command), so it cannot be had
//!   through chromedriver.
//! - So the session gets a new tab (W3C New Window: empty history, no frame
//!   entered, its own `sessionStorage`), every other window is closed
//!   (`Target.closeTarget`, which ignores `beforeunload` and open dialogs),
//!   and the profile's shared state is cleared: `Network.clearBrowserCookies`,
//!   `Network.clearBrowserCache`, `Browser.resetPermissions`, and
//!   `Storage.clearDataForOrigin` with `all` (local storage, IndexedDB,
//!   cache storage, service workers, file systems) for every origin the
//!   previous runbook was seen on.
//!
//! Origins come from the URLs the caller reports (each step's URL) and from
//! the browser before its windows close: every live target (pages, frames,
//! workers, service workers; `Target.getTargets`) and the current window's
//! history (`Page.getNavigationHistory`, which also holds pages a redirect
//! or a click passed through).

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{json, Value as Json};

use super::{millis, WebDriverSession, COMMAND_GRACE};
use crate::browser::{Browser, CommandError, ErrorKind};
use crate::runbook::Viewport;

/// How long one command may take while a session is isolated: these are
/// quick in a healthy browser, and one that does not answer (a hung page)
/// makes the caller start a new session instead.
const ISOLATION_COMMAND_DEADLINE: Duration = Duration::from_secs(10);

/// How long closed windows may still be listed before isolation gives up
/// (usually tens of ms; seconds on a machine busy with a spinning page).
const WINDOWS_CLOSED_WITHIN: Duration = Duration::from_secs(5);

/// Pause between two looks at the window list while windows close.
const WINDOW_POLL: Duration = Duration::from_millis(20);

impl WebDriverSession {
    /// Send one DevTools command like every other command ([`Browser::cdp`]):
    /// counted, timed, logged by its name only, given up after the command
    /// deadline.
    async fn devtools(&self, cmd: &'static str, params: Json) -> Result<Json, CommandError> {
        Browser::cdp(self, cmd, params).await
    }

    /// Whether the DevTools passthrough answers (`Browser.getVersion`).
    pub(super) async fn devtools_answers(&self) -> bool {
        match self.devtools("Browser.getVersion", json!({})).await {
            Ok(_) => true,
            Err(e) => {
                tracing::debug!("browser: no DevTools passthrough here: {}", e.kind());
                false
            }
        }
    }

    /// [`Browser::isolate`]: see the module documentation.
    pub(super) async fn isolate_session(&self, visited: &[String]) -> Result<(), CommandError> {
        let before = self.command_deadline_ms.load(Ordering::SeqCst);
        self.command_deadline_ms
            .store(millis(ISOLATION_COMMAND_DEADLINE), Ordering::SeqCst);
        let result = self.isolate_steps(visited).await;
        self.command_deadline_ms.store(before, Ordering::SeqCst);
        result
    }

    async fn isolate_steps(&self, visited: &[String]) -> Result<(), CommandError> {
        let old = self.windows().await?;
        // An open dialog blocks every other command on its window,
        // opening a new one included.
        if matches!(self.dialog_text().await, Ok(Some(_))) {
            self.dismiss_dialog().await?;
        }
        let mut origins: BTreeSet<String> = visited.iter().filter_map(|u| origin_of(u)).collect();
        // What the browser saw itself. Best effort: the current window may
        // be gone (the page closed it), and the caller's URLs remain.
        if let Ok(targets) = self.devtools("Target.getTargets", json!({})).await {
            origins.extend(urls_in(&targets, "targetInfos").filter_map(origin_of));
        }
        if let Ok(history) = self.devtools("Page.getNavigationHistory", json!({})).await {
            origins.extend(urls_in(&history, "entries").filter_map(origin_of));
        }
        let fresh = self
            .call("new_window", None, self.client.new_window(true))
            .await?;
        let fresh = String::from(fresh.handle);
        self.switch_to_window(&fresh).await?;
        // Scripts registered for new documents belong to the old tab's
        // target: the next runbook registers them again for this one.
        self.forget_preloaded();
        for handle in old.iter().filter(|h| **h != fresh) {
            let close = self
                .devtools("Target.closeTarget", json!({ "targetId": handle }))
                .await;
            // A window the page closed meanwhile is fine.
            if let Err(e) = close {
                if e.kind() != ErrorKind::NoSuchWindow {
                    return Err(e);
                }
            }
        }
        self.only_window_left(&fresh).await?;
        self.devtools("Network.clearBrowserCookies", json!({}))
            .await?;
        self.devtools("Network.clearBrowserCache", json!({}))
            .await?;
        self.devtools("Browser.resetPermissions", json!({})).await?;
        for origin in &origins {
            let params = json!({ "origin": origin, "storageTypes": "all" });
            self.devtools("Storage.clearDataForOrigin", params).await?;
        }
        tracing::debug!(
            "browser: isolated: {} window(s) closed, storage of {} origin(s) cleared",
            old.len(),
            origins.len()
        );
        Ok(())
    }

    /// Wait until `fresh` is the only window: Chromium answers
    /// `Target.closeTarget` before chromedriver stops listing the window.
    async fn only_window_left(&self, fresh: &str) -> Result<(), CommandError> {
        let deadline = tokio::time::Instant::now() + WINDOWS_CLOSED_WITHIN;
        loop {
            let left = self.windows().await?;
            if left == [fresh] {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(CommandError::new(
                    ErrorKind::Other,
                    "isolate",
                    format!(
                        "{} window(s) still open {} ms after closing the previous runbook's",
                        left.len(),
                        WINDOWS_CLOSED_WITHIN.as_millis()
                    ),
                ));
            }
            tokio::time::sleep(WINDOW_POLL).await;
        }
    }

    /// [`Browser::refit`]: the viewport, the page-load and script timeouts,
    /// and the command deadline that follows from them.
    pub(super) async fn refit_session(
        &mut self,
        viewport: Viewport,
        page_timeout: Duration,
    ) -> Result<(), CommandError> {
        self.fit_viewport(viewport).await?;
        let timeouts =
            fantoccini::wd::TimeoutConfiguration::new(Some(page_timeout), Some(page_timeout), None);
        self.call("set_timeouts", None, self.client.update_timeouts(timeouts))
            .await?;
        self.command_deadline_ms
            .store(millis(page_timeout + COMMAND_GRACE), Ordering::SeqCst);
        self.info.viewport = viewport;
        Ok(())
    }
}

/// The `url` of every object in the array `key` of a DevTools answer.
fn urls_in<'a>(answer: &'a Json, key: &str) -> impl Iterator<Item = &'a str> {
    answer
        .get(key)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("url").and_then(Json::as_str))
}

/// `scheme://host:port` of an `http(s)` URL; `None` for anything else
/// (`about:blank`, `data:`, `chrome-error://`), which holds no storage to clear.
fn origin_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    match u.origin() {
        o @ url::Origin::Tuple(..) => Some(o.ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_of_web_urls_only() {
        assert_eq!(
            origin_of("http://127.0.0.1:4711/xero/settings?x=1#y").as_deref(),
            Some("http://127.0.0.1:4711")
        );
        assert_eq!(
            origin_of("https://go.xero.com/app").as_deref(),
            Some("https://go.xero.com")
        );
        for none in [
            "about:blank",
            "data:,",
            "chrome-error://chromewebdata/",
            "*",
            "",
        ] {
            assert_eq!(origin_of(none), None, "{none}");
        }
    }

    #[test]
    fn urls_are_read_from_devtools_answers() {
        let targets = json!({"targetInfos": [
            {"type": "page", "url": "http://127.0.0.1:1/a"},
            {"type": "service_worker", "url": "http://127.0.0.1:2/sw.js"},
            {"type": "other"}
        ]});
        let urls: Vec<&str> = urls_in(&targets, "targetInfos").collect();
        assert_eq!(urls, ["http://127.0.0.1:1/a", "http://127.0.0.1:2/sw.js"]);
        assert_eq!(urls_in(&json!({}), "entries").count(), 0);
    }
}
