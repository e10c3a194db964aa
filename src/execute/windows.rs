//! Windows and tabs: which window the run acts in, the windows a step
//! opened, `switch_window` and `close_window`.
//!
//! The run starts in the session's first window (`main`) and stays in the
//! window it is in until a `switch_window` step: a click that opens a tab
//! (`target=_blank`, `window.open`) is only recorded in the step's record
//! (`opened_windows`, each once loaded). Each window remembers the one it
//! was opened from, for `close_window`. Every command and screenshot acts on
//! the current window, so each step's screenshot shows the window it acted
//! in. The session closes every window when it ends.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::actions::Done;
use super::failure::Fail;
use super::runner::Runner;
use super::wait::{self, PageState};
use crate::browser::{CommandError, ErrorKind};
use crate::locate::{norm, DriftClass};
use crate::outcome::{FailureKind, OpenedWindow, StepRecord};
use crate::runbook::{Action, Step, WindowRef};

/// `window titled "Help centre"`: a `switch_window` target as text.
pub(crate) fn window_text(
    w: &WindowRef,
    render: &dyn Fn(&crate::runbook::Template) -> String,
) -> String {
    match w {
        WindowRef::Title(t) => format!("window titled {:?}", render(t)),
        WindowRef::Url(u) => format!("window at url {:?}", render(u)),
        WindowRef::Main => "the main window".to_string(),
    }
}

/// Longest wait for a newly opened window to load before it is recorded.
const OPENED_LOAD: Duration = Duration::from_secs(5);

/// The windows the run knows, by WebDriver handle.
#[derive(Debug, Default)]
pub(crate) struct Tabs(Mutex<TabState>);

#[derive(Debug, Default, Clone)]
struct TabState {
    /// The session's first window.
    main: Option<String>,
    /// The window commands go to.
    current: Option<String>,
    /// Every window seen, in the order seen.
    known: Vec<String>,
    /// (window, the window that was current when it appeared).
    opener: Vec<(String, String)>,
    /// The window the last step that opened windows opened last.
    last_opened: Option<String>,
}

impl Tabs {
    fn get(&self) -> TabState {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn update(&self, f: impl FnOnce(&mut TabState)) {
        if let Ok(mut s) = self.0.lock() {
            f(&mut s);
        }
    }
}

/// `"Help centre" http://…/help`.
fn seen_text(title: &str, url: &str) -> String {
    format!("{title:?} {url}")
}

impl Runner<'_> {
    /// Note the session's windows before the first step.
    pub(super) async fn track_windows(&self) {
        if let Ok(handles) = self.browser.windows().await {
            self.tabs.update(|s| {
                s.main = handles.first().cloned();
                s.current = s.main.clone();
                s.known = handles;
            });
        }
    }

    /// After a step that may open windows (click, press, check, select, a
    /// dialog answer): the windows that appeared, each once loaded; the run
    /// stays in its window. When the page closed the current window itself,
    /// the run goes back to the one it was opened from.
    pub(super) async fn opened_windows(&self, step: &Step, timeout: Duration) -> Vec<OpenedWindow> {
        let acts = matches!(
            step.action,
            Action::Click { .. }
                | Action::Press { .. }
                | Action::Check { .. }
                | Action::Uncheck { .. }
                | Action::Select { .. }
                | Action::Dialog { .. }
        );
        let state = self.tabs.get();
        let Some(current) = state.current.clone().filter(|_| acts) else {
            return Vec::new();
        };
        let Ok(handles) = self.browser.windows().await else {
            return Vec::new();
        };
        let fresh: Vec<String> = handles
            .iter()
            .filter(|h| !state.known.contains(h))
            .cloned()
            .collect();
        let mut here = current.clone();
        if !handles.contains(&current) {
            let back = self.fallback(&state, &current, &handles);
            if let Some(b) = &back {
                if self.browser.switch_to_window(b).await.is_ok() {
                    here = b.clone();
                }
            }
        }
        self.tabs.update(|s| {
            s.known = handles.clone();
            s.current = Some(here.clone());
            for f in &fresh {
                s.opener.push((f.clone(), current.clone()));
            }
            if let Some(f) = fresh.last() {
                s.last_opened = Some(f.clone());
            }
        });
        let mut opened = Vec::new();
        for handle in &fresh {
            if self.browser.switch_to_window(handle).await.is_err() {
                continue;
            }
            let deadline = Instant::now() + timeout.min(OPENED_LOAD);
            let s = match wait::until_loaded(self.browser, deadline).await {
                Ok(Ok(s)) => Some(s),
                Ok(Err(t)) => t.last,
                Err(_) => None,
            };
            if let Some(s) = s {
                opened.push(OpenedWindow {
                    url: s.url,
                    title: s.title,
                });
            }
        }
        if !fresh.is_empty() {
            let _ = self.browser.switch_to_window(&here).await;
        }
        opened
    }

    /// The window to go back to from `from`: the one it was opened from,
    /// else main, else the first one open.
    fn fallback(&self, state: &TabState, from: &str, open: &[String]) -> Option<String> {
        let opener = state
            .opener
            .iter()
            .rev()
            .find(|(w, _)| w == from)
            .map(|(_, o)| o.clone());
        opener
            .into_iter()
            .chain(state.main.clone())
            .find(|h| open.contains(h) && h != from)
            .or_else(|| open.iter().find(|h| *h != from).cloned())
    }

    /// `switch_window`: continue in the window whose title or URL contains
    /// the words (polled until the deadline: new tabs load asynchronously),
    /// or in `main`.
    pub(super) async fn switch_window(
        &self,
        want: &WindowRef,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        let state = self.tabs.get();
        let current = state.current.clone().unwrap_or_default();
        if let WindowRef::Main = want {
            let Some(main) = state.main.clone() else {
                return Err(Fail::new(
                    FailureKind::Browser,
                    "the session has no first window",
                ));
            };
            self.browser.switch_to_window(&main).await.map_err(|e| {
                Fail::new(
                    FailureKind::NotFound,
                    format!("the main window is closed ({e})"),
                )
            })?;
            self.tabs.update(|s| s.current = Some(main));
            return Ok(Done::default());
        }
        let (is_title, words) = match want {
            WindowRef::Title(t) => (true, self.render(t)),
            WindowRef::Url(u) => (false, self.render(u)),
            WindowRef::Main => (true, String::new()),
        };
        let wanted = norm(&words);
        let polled = wait::poll(deadline, || async {
            let mut handles = self.browser.windows().await?;
            // The newest windows first, the current one last.
            handles.reverse();
            handles.sort_by_key(|h| *h == current);
            let mut seen = Vec::new();
            for h in &handles {
                let s = match self.state_of(h).await {
                    Ok(s) => s,
                    Err(e) if e.is_transient() || e.kind() == ErrorKind::NoSuchWindow => continue,
                    Err(e) => return Err(e),
                };
                let have = if is_title { &s.title } else { &s.url };
                if norm(have).contains(&wanted) {
                    return Ok(Ok(h.clone()));
                }
                seen.push(seen_text(&s.title, &s.url));
            }
            let _ = self.browser.switch_to_window(&current).await;
            Ok(Err(seen))
        })
        .await
        .map_err(|e| Fail::command(&e))?;
        match polled {
            Ok(handle) => {
                self.tabs.update(|s| {
                    s.current = Some(handle.clone());
                    if !s.known.contains(&handle) {
                        s.known.push(handle);
                    }
                });
                Ok(Done::default())
            }
            Err(t) => {
                let _ = self.browser.switch_to_window(&current).await;
                let open = t.last.unwrap_or_default();
                Err(Fail::new(
                    FailureKind::NotFound,
                    format!(
                        "no window whose {} contains {words:?} within {}; open windows: {}",
                        if is_title { "title" } else { "url" },
                        super::failure::secs(timeout),
                        open.join(", ")
                    ),
                ))
            }
        }
    }

    /// Switch to `handle` and read its page state.
    async fn state_of(&self, handle: &str) -> Result<PageState, CommandError> {
        self.browser.switch_to_window(handle).await?;
        wait::page_state(self.browser).await
    }

    /// `close_window`: close the current window and go back to the one it
    /// was opened from (else main). The last window is never closed: that
    /// would end the session.
    pub(super) async fn close_window(&self) -> Result<Done, Fail> {
        let handles = self
            .browser
            .windows()
            .await
            .map_err(|e| Fail::command(&e))?;
        let state = self.tabs.get();
        let Some(current) = state.current.clone() else {
            return Err(Fail::new(
                FailureKind::Browser,
                "the run does not know its window",
            ));
        };
        let Some(back) = self.fallback(&state, &current, &handles) else {
            return Err(Fail::new(
                FailureKind::Usage,
                "close_window would close the last window of the session",
            ));
        };
        self.browser
            .close_window()
            .await
            .map_err(|e| Fail::command(&e))?;
        self.browser
            .switch_to_window(&back)
            .await
            .map_err(|e| Fail::command(&e))?;
        self.tabs.update(|s| {
            s.known.retain(|h| *h != current);
            s.current = Some(back);
        });
        Ok(Done::default())
    }
}

impl Runner<'_> {
    /// A target was not found (nothing close on this page) right after a
    /// step that opened a window: the target is most likely there. Looks
    /// for it in that window and says to switch instead of a drift guess.
    pub(super) async fn window_hint(&self, fail: &mut Fail, step: &Step, earlier: &[StepRecord]) {
        let Some(opened) = earlier.last().and_then(|r| r.opened_windows.last()) else {
            return;
        };
        let lost = fail
            .diagnosis
            .as_deref()
            .is_some_and(|d| matches!(d.class, DriftClass::Gone | DriftClass::WrongPage));
        let state = self.tabs.get();
        let (Some(target), Some(there), Some(here), true) = (
            step.action.target(),
            state.last_opened.clone(),
            state.current.clone(),
            lost,
        ) else {
            return;
        };
        let target = self.resolve(target);
        let mut found = None;
        if self.browser.switch_to_window(&there).await.is_ok() {
            if let Ok(a) = self.attempt_framed(&target, None).await {
                found = a.seen.matches.first().map(|c| c.role_name());
            }
            self.leave_frames().await;
            let _ = self.browser.switch_to_window(&here).await;
        }
        let how = if opened.title.trim().is_empty() {
            format!("{{url: {:?}}}", opened.url)
        } else {
            format!("{{title: {:?}}}", opened.title.trim())
        };
        let where_ = found.map(|f| format!(" where {f} is,")).unwrap_or_default();
        if let Some(d) = fail.diagnosis.as_deref_mut() {
            d.class = DriftClass::WrongPage;
            d.summary = format!(
                "the previous step opened a new window ({}){where_} and the run stays in this one; add `switch_window: {how}` before this step",
                seen_text(&opened.title, &opened.url)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_compare_as_words_in_any_case() {
        assert!(norm("Help  Centre \u{2013} Acme").contains(&norm("help centre - acme")));
        assert!(norm("It\u{2019}s here").contains(&norm("it's")));
        assert!(!norm("Help").contains(&norm("Helpdesk")));
    }
}
