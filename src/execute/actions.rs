//! Performing one step in the browser: goto, click, press, expect, pause,
//! dialog; and probing a step without acting. Fill, select, check, hover
//! and upload are in `widgets.rs`.
//!
//! Each action locates its target through [`crate::locate`] (with its
//! actionability waits), acts, and checks that the action took (a filled
//! value was kept, a box became checked). A failure comes back as a
//! [`Fail`]; redaction happens when it becomes the manifest's failure.

use std::io;
use std::time::Duration;

use tokio::time::Instant;

use super::failure::{self, Fail};
use super::runner::Runner;
use super::totp_now;
use super::wait::{self, PageState};
use crate::browser::{key_text, ErrorKind};
use crate::locate::{Candidate, LocateError, Purpose, ResolvedTarget};
use crate::outcome::FailureKind;
use crate::runbook::{Action, Expectation, Step, Value};

/// What a passing action reports.
#[derive(Debug, Default)]
pub(crate) struct Done {
    /// The element acted on, as it was found.
    pub element: Option<Candidate>,
    /// The top-level page state the action's last script read after it had
    /// acted, when nothing it did can have started a navigation since (an
    /// expectation, a fill's read-back): the runner uses it instead of
    /// reading the state again, unless the document changed.
    pub state: Option<PageState>,
}

impl Done {
    /// The element, no page state.
    pub(crate) fn on(element: Candidate) -> Self {
        Done {
            element: Some(element),
            state: None,
        }
    }
}

impl Runner<'_> {
    /// Probe a destructive step: locate its target and check actionability, without acting.
    pub(super) async fn probe(&self, step: &Step, deadline: Instant) -> Result<Done, Fail> {
        let timeout = step.timeout.unwrap_or(self.config.timeout);
        let purpose = match &step.action {
            Action::Click { .. } | Action::Hover { .. } => Purpose::Act,
            Action::Check { .. } | Action::Uncheck { .. } | Action::Upload { .. } => Purpose::Any,
            Action::Expect(_) => return self.perform(step, deadline).await,
            _ => Purpose::Input,
        };
        match step.action.target() {
            Some(t) => {
                let t = self.resolve(t);
                let l = self.locate_framed(&t, purpose, deadline, timeout).await?;
                Ok(Done::on(l.info))
            }
            None => Ok(Done::default()),
        }
    }

    pub(super) async fn perform(&self, step: &Step, deadline: Instant) -> Result<Done, Fail> {
        let timeout = step.timeout.unwrap_or(self.config.timeout);
        match &step.action {
            Action::Goto { url, .. } => {
                let url = self.join_url(&self.render(url))?;
                self.browser.goto(&url).await.map_err(|e| {
                    // The session's page-load timeout is the step deadline:
                    // the driver gave up waiting for the document to load.
                    if e.kind() == ErrorKind::Timeout {
                        Fail::new(
                            FailureKind::Navigation,
                            format!(
                                "the page did not finish loading within {}",
                                failure::secs(timeout)
                            ),
                        )
                    } else {
                        Fail::command(&e)
                    }
                })?;
                Ok(Done::default())
            }
            Action::Click { target } => {
                let t = self.resolve(target);
                self.click(&t, deadline, timeout).await
            }
            Action::Fill { target, value } => {
                let t = self.resolve(target);
                let (text, secret) = match value {
                    Value::Text(v) => (self.render(v), false),
                    Value::Secret(name) => (self.secret(name)?.expose().to_string(), true),
                };
                // A secret typed into a field that shows its text is masked
                // on the page, so no screenshot (or onlooker) sees it.
                self.fill(&t, &text, secret, secret, deadline, timeout)
                    .await
            }
            Action::Totp { target, secret } => {
                let seed = self.secret(secret)?;
                let code = totp_now(seed.expose()).map_err(|message| {
                    Fail::new(
                        FailureKind::Usage,
                        format!("secret `{secret}` is not a usable TOTP seed: {message}"),
                    )
                })?;
                let t = self.resolve(target);
                // The one-time code is redacted from text output but stays
                // visible in the screenshot: it is worthless 30 s later.
                self.fill(&t, &code, true, false, deadline, timeout).await
            }
            Action::Select { target, option } => {
                let t = self.resolve(target);
                self.select(&t, &self.render(option), deadline, timeout)
                    .await
            }
            Action::Check { target } => {
                let t = self.resolve(target);
                self.set_checked(&t, true, deadline, timeout).await
            }
            Action::Uncheck { target } => {
                let t = self.resolve(target);
                self.set_checked(&t, false, deadline, timeout).await
            }
            Action::Hover { target } => {
                let t = self.resolve(target);
                self.hover(&t, deadline, timeout).await
            }
            Action::Upload { target, path, .. } => {
                let t = self.resolve(target);
                self.upload(&t, path, deadline, timeout).await
            }
            Action::Press { key, target } => {
                let text = key_text(key.name()).ok_or_else(|| {
                    Fail::new(
                        FailureKind::Usage,
                        format!("unknown key `{key}` (use a WebDriver key name such as Enter, Tab, Escape)"),
                    )
                })?;
                let (el, info) = match target {
                    Some(t) => {
                        let t = self.resolve(t);
                        let l = self
                            .locate_framed(&t, Purpose::Input, deadline, timeout)
                            .await?;
                        (l.element, Some(l.info))
                    }
                    None => (
                        self.browser
                            .active_element()
                            .await
                            .map_err(|e| Fail::command(&e))?,
                        None,
                    ),
                };
                self.browser
                    .send_keys(&el, &text)
                    .await
                    .map_err(|e| Fail::command(&e))?;
                Ok(Done {
                    element: info,
                    state: None,
                })
            }
            Action::Expect(exp) => self.expect(exp, deadline, timeout).await,
            Action::Pause { message } => {
                let message = self.render(message);
                if !self.browser.info().headed {
                    return Err(Fail::new(
                        FailureKind::Usage,
                        format!("pause needs --headed (a person must do this step: {message})"),
                    ));
                }
                eprintln!("clickpath: paused: {message}\n  press Enter to continue");
                let answer = tokio::task::spawn_blocking(|| {
                    let mut line = String::new();
                    io::stdin().read_line(&mut line)
                })
                .await;
                match answer {
                    Ok(Ok(n)) if n > 0 => Ok(Done::default()),
                    // EOF or no stdin: nobody can confirm the manual step,
                    // so the flow must not go on as if it had been done.
                    _ => Err(Fail::new(
                        FailureKind::Usage,
                        format!(
                            "pause needs a person at the terminal to press Enter, \
                             but standard input is closed ({message})"
                        ),
                    )),
                }
            }
            Action::Screenshot { of: Some(t), .. } => self.capture_of(t, deadline, timeout).await,
            Action::Screenshot { of: None, .. } => Ok(Done::default()),
            Action::SwitchWindow(w) => self.switch_window(w, deadline, timeout).await,
            Action::CloseWindow => self.close_window().await,
            Action::Dialog { accept, text } => {
                let want = text.as_ref().map(|t| self.render(t));
                self.answer_dialog(*accept, want.as_deref(), deadline, timeout)
                    .await
            }
        }
    }

    fn join_url(&self, url: &str) -> Result<String, Fail> {
        join_url(&self.config.base_url, url)
    }

    async fn click(
        &self,
        t: &ResolvedTarget,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        loop {
            let l = self
                .locate_framed(t, Purpose::Act, deadline, timeout)
                .await?;
            // The mouse, as a person clicks (one Perform Actions command:
            // move to the element's centre, press, release). The resolver
            // has scrolled it into view and checked that it is the element
            // there, stable and enabled, which is what Element Click would
            // check again at three times the cost.
            self.capture_before_click().await;
            match self.browser.pointer_click(&l.element).await {
                Ok(()) => return Ok(Done::on(l.info)),
                // Stale or intercepted between locate and act: resolve again.
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            }
        }
    }

    async fn expect(
        &self,
        exp: &Expectation,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        match exp {
            Expectation::Visible(target) => {
                let t = self.resolve(target);
                let l = self
                    .locate_framed(&t, Purpose::Present, deadline, timeout)
                    .await?;
                // The resolver read the page state as it found the target.
                let state = (!self.framed()).then(|| PageState {
                    url: l.seen.url.clone(),
                    title: l.seen.title.clone(),
                    ready_state: l.seen.ready_state.clone(),
                    doc: l.seen.doc.clone(),
                    heading: l.seen.heading.clone(),
                    ..PageState::default()
                });
                Ok(Done {
                    element: Some(l.info),
                    state,
                })
            }
            Expectation::Checked(target) | Expectation::Unchecked(target) => {
                let t = self.resolve(target);
                let want = matches!(exp, Expectation::Checked(_));
                self.expect_checked(&t, want, deadline, timeout).await
            }
            Expectation::Absent(target) => {
                let t = self.resolve(target);
                let r = wait::poll(deadline, || async {
                    match self.attempt_framed(&t, Some(deadline)).await {
                        Ok(a) if a.seen.match_count == 0 => Ok(Ok(())),
                        Ok(a) => Ok(Err(a.seen.matches)),
                        Err(LocateError::Browser(e)) => Err(e),
                        Err(e) => Ok(Err(vec![Candidate {
                            tag: String::new(),
                            role: String::new(),
                            name: e.to_string(),
                            bbox: Default::default(),
                            visible: false,
                            hidden_why: None,
                            region: None,
                            checked: None,
                            matched: None,
                            ..Default::default()
                        }])),
                    }
                })
                .await
                .map_err(|e| Fail::command(&e))?;
                match r {
                    Ok(()) => Ok(Done::default()),
                    Err(t_out) => {
                        let still = t_out.last.unwrap_or_default();
                        let mut f = Fail::timeout(
                            &format!("{t} to disappear"),
                            timeout,
                            still.first().map(Candidate::with_box),
                        );
                        f.matches = still;
                        Err(f)
                    }
                }
            }
            Expectation::Url(want) | Expectation::Title(want) => {
                let want = self.render(want);
                let is_url = matches!(exp, Expectation::Url(_));
                let r = wait::poll(deadline, || async {
                    let s = wait::page_state(self.browser).await?;
                    let have = if is_url { s.url } else { s.title };
                    Ok(if have.contains(&want) {
                        Ok(())
                    } else {
                        Err(have)
                    })
                })
                .await
                .map_err(|e| Fail::command(&e))?;
                match r {
                    Ok(()) => Ok(Done::default()),
                    Err(t_out) => Err(Fail::timeout(
                        &format!(
                            "{} to contain {want:?}",
                            if is_url { "the url" } else { "the title" },
                        ),
                        timeout,
                        t_out.last.map(|s| format!("{s:?}")),
                    )),
                }
            }
        }
    }
}

impl Runner<'_> {
    /// Wait for the dialog the previous step opened, check its words, and
    /// answer it. A dialog that says something else is dismissed, never
    /// accepted: a support engineer's "OK" must not confirm an unknown question.
    async fn answer_dialog(
        &self,
        accept: bool,
        want: Option<&str>,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        let open = wait::poll(deadline, || async {
            Ok(match self.browser.dialog_text().await? {
                Some(text) => Ok(text),
                None => Err(()),
            })
        })
        .await
        .map_err(|e| Fail::command(&e))?;
        let Ok(said) = open else {
            return Err(Fail::timeout("a dialog to open", timeout, None));
        };
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(want) = want {
            if !norm(&said).contains(&norm(want)) {
                let _ = self.browser.dismiss_dialog().await;
                return Err(Fail::new(
                    FailureKind::Dialog,
                    format!("the dialog says {said:?}, not {want:?}; it was dismissed"),
                ));
            }
        }
        let answered = if accept {
            self.browser.accept_dialog().await
        } else {
            self.browser.dismiss_dialog().await
        };
        answered.map_err(|e| Fail::command(&e))?;
        Ok(Done::default())
    }
}

/// Errors that mean "the element went away or was covered between locate and act".
/// Join a `goto` URL to the base URL: an absolute URL (one with a scheme)
/// stays as it is; anything else is a path under the base URL, even when it
/// contains `://` in its query (`/login?next=https://x`).
fn join_url(base: &str, url: &str) -> Result<String, Fail> {
    let joined = match url::Url::parse(url) {
        Ok(absolute) => return Ok(absolute.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => format!(
            "{}/{}",
            base.trim_end_matches('/'),
            url.trim_start_matches('/')
        ),
        Err(_) => url.to_string(),
    };
    url::Url::parse(&joined)
        .map(|u| u.to_string())
        .map_err(|e| {
            Fail::new(
                FailureKind::Usage,
                format!("`{joined}` is not a valid URL: {e}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_goto_urls_join_the_base_even_with_a_url_in_the_query() {
        let base = "http://127.0.0.1:4711/xero/";
        let j = |u: &str| join_url(base, u).map_err(|f| f.message);
        assert_eq!(
            j("/login?next=https://x").as_deref(),
            Ok("http://127.0.0.1:4711/xero/login?next=https://x")
        );
        assert_eq!(
            j("settings/users").as_deref(),
            Ok("http://127.0.0.1:4711/xero/settings/users")
        );
        assert_eq!(
            j("https://login.xero.com/").as_deref(),
            Ok("https://login.xero.com/")
        );
        assert!(j("http://[::1").is_err());
    }
}
