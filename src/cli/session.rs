//! The run's browser across its runbooks: one driver and one browser
//! session for the whole run where the endpoint can isolate one runbook
//! from the next, else a fresh session per runbook.
//!
//! [`Lifecycle`] is that decision, taken once by trying Chromium's DevTools
//! passthrough on the run's first session while it is new. [`Sessions`] opens that first
//! session in the background as soon as the run may start (while runbooks
//! are loaded and planned), hands a session to each runbook fitted to it
//! (viewport, page timeout), isolates it before the next runbook, and falls
//! back to closing it and starting a new one when isolating or fitting
//! fails (a hung page, a killed driver), saying so in the log.
//!
//! Glue over [`crate::browser`]: knows nothing of steps, evidence or reports.

use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use crate::browser::{self, Browser, BrowserConfig, BrowserError};
use crate::runbook::Viewport;

/// How the run's browser serves one runbook after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lifecycle {
    /// One session for the whole run, isolated before each next runbook
    /// ([`Browser::isolate`]: a new tab, every other window closed, cookies,
    /// storage, HTTP cache and permissions cleared) and refitted to it.
    /// Chromium through chromedriver (or a Chromium Grid node).
    Reuse,
    /// A new session (and, when clickpath starts the driver, a new driver
    /// with a fresh profile) for every runbook: endpoints without the
    /// DevTools passthrough, such as geckodriver.
    FreshPerRunbook,
}

impl Lifecycle {
    /// Decide by trying the DevTools passthrough once.
    async fn of(browser: &dyn Browser) -> Lifecycle {
        let lifecycle = if browser.can_isolate().await {
            Lifecycle::Reuse
        } else {
            Lifecycle::FreshPerRunbook
        };
        match lifecycle {
            Lifecycle::Reuse => tracing::info!(
                "browser: runbooks share this session, each isolated from the one before \
                 (a new tab, no other window, cookies, storage, cache and permissions cleared)"
            ),
            Lifecycle::FreshPerRunbook => tracing::info!(
                "browser: a new session for each runbook (this endpoint has no DevTools passthrough)"
            ),
        }
        lifecycle
    }
}

/// What one runbook asks of its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fit {
    /// The page area (and screenshot size), in CSS pixels.
    pub(super) viewport: Viewport,
    /// The session's page-load and script timeout.
    pub(super) page_timeout: Duration,
}

/// An open session and what it is fitted to.
struct Open {
    browser: Box<dyn Browser>,
    fit: Fit,
    /// Set when the session is handed to a runbook: the URLs that runbook
    /// reported, whose origins are cleared before the next one.
    used: Option<Vec<String>>,
}

/// A session being opened in the background, and what it is fitted to.
type Launch = (JoinHandle<Result<Box<dyn Browser>, BrowserError>>, Fit);

/// The run's browser sessions: at most one open, at most one being opened.
///
/// Call [`Sessions::close`] at the end, or [`Sessions::stop`] on a signal.
/// Dropped without either, a session still being opened is cancelled and
/// an open one stops its driver (see [`Browser`]).
pub(super) struct Sessions {
    /// The endpoint, driver and mode; viewport and timeout come from each [`Fit`].
    config: BrowserConfig,
    pending: Option<Launch>,
    open: Option<Open>,
    /// Decided on the run's first session, before it serves a runbook.
    lifecycle: Option<Lifecycle>,
}

impl Sessions {
    /// Start opening the run's first session now, in the background, fitted
    /// to `fit` (the run's defaults; a runbook that asks for another fit
    /// refits it). Needs a Tokio runtime.
    pub(super) fn start(config: BrowserConfig, fit: Fit) -> Sessions {
        let launching = with_fit(&config, fit);
        let handle = tokio::spawn(async move { browser::launch(&launching).await });
        Sessions {
            config,
            pending: Some((handle, fit)),
            open: None,
            lifecycle: None,
        }
    }

    /// A session for the next runbook, fitted to `fit` and isolated from
    /// every runbook before it: the previous runbook's session, isolated;
    /// else the one opened at the start; else a new one.
    pub(super) async fn next(&mut self, fit: Fit) -> Result<&dyn Browser, BrowserError> {
        let mut ready = match self.open.take() {
            Some(open) => self.reuse(open, fit).await,
            None => None,
        };
        if ready.is_none() {
            if let Some((handle, launched)) = self.pending.take() {
                match handle.await {
                    Ok(launch) => {
                        let open = Open {
                            browser: launch?,
                            fit: launched,
                            used: None,
                        };
                        ready = refit(open, fit).await;
                    }
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    // Cancelled: only `stop` and `close` cancel, and they take it.
                    Err(_) => {}
                }
            }
        }
        let mut open = match ready {
            Some(open) => open,
            None => Open {
                browser: browser::launch(&with_fit(&self.config, fit)).await?,
                fit,
                used: None,
            },
        };
        // Asked of the first session while it is new: a runbook may leave
        // it unable to answer (a hung page), which says nothing of the endpoint.
        if self.lifecycle.is_none() {
            self.lifecycle = Some(Lifecycle::of(&*open.browser).await);
        }
        // Whatever happens in the runbook from here, the session is not new.
        open.used = Some(Vec::new());
        let open = self.open.insert(open);
        Ok(&*open.browser)
    }

    /// The runbook that had the session is done; `visited` are URLs it
    /// reported (its base URL, every step's URL).
    pub(super) fn finished(&mut self, visited: Vec<String>) {
        if let Some(open) = &mut self.open {
            open.used = Some(visited);
        }
    }

    /// The session the previous runbook had, isolated and fitted for the
    /// next one; `None` when it was closed instead.
    async fn reuse(&mut self, open: Open, fit: Fit) -> Option<Open> {
        let Some(visited) = &open.used else {
            return refit(open, fit).await;
        };
        if self.lifecycle != Some(Lifecycle::Reuse) {
            open.browser.close().await;
            return None;
        }
        let started = Instant::now();
        if let Err(e) = open.browser.isolate(visited).await {
            tracing::warn!(
                "browser: the session could not be isolated for the next runbook ({e}); \
                 closing it and starting a new one"
            );
            open.browser.close().await;
            return None;
        }
        // The new tab is fitted again whatever the previous runbook asked.
        let mut open = Open { used: None, ..open };
        if let Err(e) = open.browser.refit(fit.viewport, fit.page_timeout).await {
            tracing::warn!(
                "browser: the session could not be fitted to the next runbook ({e}); \
                 closing it and starting a new one"
            );
            open.browser.close().await;
            return None;
        }
        open.fit = fit;
        tracing::info!(
            "browser: session isolated for the next runbook in {} ms",
            started.elapsed().as_millis()
        );
        Some(open)
    }

    /// Close the open session, and one still being opened (cancelled at
    /// once, which stops its driver). For the end of the run, and for a run
    /// that stops before its first runbook.
    pub(super) async fn close(&mut self) {
        if let Some((handle, _)) = self.pending.take() {
            handle.abort();
            if let Ok(Ok(browser)) = handle.await {
                browser.close().await;
            }
        }
        if let Some(open) = self.open.take() {
            open.browser.close().await;
        }
    }

    /// On a signal: stop everything now without asking the driver (a
    /// command may be hanging): dropping a session kills the driver's
    /// process group and removes its profile.
    pub(super) async fn stop(&mut self) {
        if let Some((handle, _)) = self.pending.take() {
            handle.abort();
            // A launch that finished meanwhile gives its session, dropped here.
            let _ = handle.await;
        }
        drop(self.open.take());
    }
}

impl Drop for Sessions {
    fn drop(&mut self) {
        // A JoinHandle dropped does not cancel its task: cancel it, so its
        // driver is stopped (by DriverProcess's drop) rather than kept.
        if let Some((handle, _)) = self.pending.take() {
            handle.abort();
        }
    }
}

/// `open` fitted to `fit`; closed (`None`) when that fails.
async fn refit(mut open: Open, fit: Fit) -> Option<Open> {
    if open.fit == fit {
        return Some(open);
    }
    match open.browser.refit(fit.viewport, fit.page_timeout).await {
        Ok(()) => {
            open.fit = fit;
            Some(open)
        }
        Err(e) => {
            tracing::warn!(
                "browser: the session could not be fitted to the runbook ({e}); starting a new one"
            );
            open.browser.close().await;
            None
        }
    }
}

/// `config` with `fit`'s viewport and page timeout.
fn with_fit(config: &BrowserConfig, fit: Fit) -> BrowserConfig {
    BrowserConfig {
        viewport: fit.viewport,
        timeout: Some(fit.page_timeout),
        ..config.clone()
    }
}
