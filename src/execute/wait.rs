//! Waiting: polling a page condition until it holds or a deadline passes.
//!
//! No fixed sleeps: every wait is a `tokio::time::interval` poll of a real
//! condition, and a timeout says what was last seen.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value as Json;
use tokio::time::Instant;

use crate::browser::{Browser, CommandError, ErrorKind, PageScript};

/// How often page conditions are polled.
pub const POLL: Duration = Duration::from_millis(100);

/// URL, title and load state of the current document (one round trip).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PageState {
    /// `location.href`.
    pub url: String,
    /// `document.title`.
    pub title: String,
    /// `document.readyState`.
    pub ready_state: String,
    /// Marker unique to this document; a new value means the page navigated.
    pub doc: String,
    /// `beforeunload` fired: this document is being replaced.
    #[serde(default)]
    pub leaving: bool,
    /// How many times this document may have opened a window (see
    /// page.js); -1 when it cannot tell.
    #[serde(default)]
    pub popups: i64,
    /// Text of the page's main heading (first visible `h1`), empty when none.
    #[serde(default)]
    pub heading: String,
    /// HTTP status of the navigation that loaded the document (0: unknown).
    #[serde(default)]
    pub status: u16,
    /// On the browser's error page: the network error it shows
    /// (`ERR_CONNECTION_REFUSED`), else empty.
    #[serde(default)]
    pub net_error: String,
}

impl PageState {
    /// Loaded and not about to be replaced.
    pub fn settled(&self) -> bool {
        self.ready_state == "complete" && !self.leaving
    }
}

/// Marks the document (and notes when it starts to unload), then answers
/// after one animation frame and one task, so a navigation the last action
/// scheduled has begun (`leaving`) or finished (new `doc`) by then. A
/// document still loading is waited for in the page: the answer comes at
/// its `load` event (1 s at most), so the caller does not poll it; one
/// being replaced (`leaving`) answers after 250 ms at most, unless the new
/// document takes over first. Without animation frames (a background
/// window) it answers after 100 ms.
const STATE_JS: &str = concat!(
    include_str!("../locate/page.js"),
    "const done = arguments[arguments.length - 1];
let answered = false;
let framed = false;
const answer = () => { if (!answered) { answered = true; done(clickpathPage()); } };
requestAnimationFrame(() => setTimeout(() => {
  framed = true;
  const p = clickpathPage();
  if (p.ready_state === 'complete' && !p.leaving) { answered = true; done(p); return; }
  addEventListener('load', () => setTimeout(answer, 0), { once: true });
  setTimeout(answer, p.leaving ? 250 : 1000);
}, 0));
setTimeout(() => { if (!framed) answer(); }, 100);"
);

/// How soon an unsettled page is asked again: its own answer already
/// waited in the page (for `load`, or for the document to be replaced).
const LOAD_POLL: Duration = Duration::from_millis(10);

/// [`STATE_JS`] as the page keeps it.
pub(super) const STATE: PageScript = PageScript {
    name: "state",
    body: STATE_JS,
};

/// Read the page state once (one round trip, ~one frame).
pub async fn page_state(browser: &dyn Browser) -> Result<PageState, CommandError> {
    let v: Json = browser.run_script(&STATE, vec![], true).await?;
    if v.is_null() {
        // The document went away while answering: report "not loaded".
        return Ok(PageState::default());
    }
    serde_json::from_value(v).map_err(|e| {
        CommandError::new(
            ErrorKind::Protocol,
            "execute_async",
            format!("unexpected page state: {e}"),
        )
    })
}

/// A poll that ran out of time; `last` is the last state seen, if any.
#[derive(Debug)]
pub struct TimedOut<T> {
    /// The last value observed.
    pub last: Option<T>,
    /// The last transient browser error, if the last poll failed.
    pub error: Option<CommandError>,
}

/// Poll `check` every [`POLL`] until it returns `Some`, or `deadline` passes.
///
/// A browser error that is transient (the page is navigating) counts as "not
/// yet"; any other error is returned at once.
pub async fn poll<T, S, F, Fut>(
    deadline: Instant,
    check: F,
) -> Result<Result<T, TimedOut<S>>, CommandError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Result<T, S>, CommandError>>,
{
    poll_every(POLL, deadline, check).await
}

/// [`poll`] with another interval.
async fn poll_every<T, S, F, Fut>(
    every: Duration,
    deadline: Instant,
    mut check: F,
) -> Result<Result<T, TimedOut<S>>, CommandError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Result<T, S>, CommandError>>,
{
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last = None;
    let mut error: Option<CommandError>;
    loop {
        tick.tick().await;
        match check().await {
            Ok(Ok(v)) => return Ok(Ok(v)),
            Ok(Err(s)) => {
                last = Some(s);
                error = None;
            }
            Err(e) if e.is_transient() => error = Some(e),
            Err(e) => return Err(e),
        }
        if Instant::now() >= deadline {
            return Ok(Err(TimedOut { last, error }));
        }
    }
}

/// Wait until the current document has finished loading.
///
/// Returns the state of the loaded page; on timeout, the last state seen.
pub async fn until_loaded(
    browser: &dyn Browser,
    deadline: Instant,
) -> Result<Result<PageState, TimedOut<PageState>>, CommandError> {
    poll_every(LOAD_POLL, deadline, || async {
        let s = page_state(browser).await?;
        Ok(if s.settled() { Ok(s) } else { Err(s) })
    })
    .await
}
